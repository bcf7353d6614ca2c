"""The signed-in account's roles are read with it as one column (accounts/loading.py): pages
check roles without another statement or joined grant rows, and a role granted or revoked in
the request is seen by the rest of it, also after a commit."""

from __future__ import annotations

from participation.accounts import services as accounts
from participation.accounts.loading import load_signed_in
from participation.extensions import db
from tests.factories import login_of
from tests.statements import counted


def _signed_in(user_id: int):
    return load_signed_in(login_of(user_id))


def test_the_loader_reads_the_roles_in_its_one_statement(app, factory):
    moderator = factory.user(roles=("moderator", "staff"))
    with app.test_request_context():
        login = login_of(moderator.id)  # (outside the counted statements)
        with counted(app) as statements:
            signed_in = load_signed_in(login)
            roles = signed_in.roles
            checks = (signed_in.has_role("moderator"), signed_in.has_role("admin"))
        assert roles == {"resident", "moderator", "staff"}
        assert checks == (True, False)
        assert len(statements) == 1
        assert "JOIN role_grant" not in statements[0]


def test_an_account_without_grants_is_a_resident(app, factory):
    resident = factory.user()
    with app.test_request_context():
        signed_in = _signed_in(resident.id)
        assert signed_in.roles == {"resident"}
        assert not signed_in.has_role("moderator")


def test_a_role_granted_in_the_request_is_seen_after_the_commit(app, factory):
    admin = factory.user(roles=("admin",))
    with app.test_request_context():
        signed_in = _signed_in(admin.id)
        accounts.grant_role(signed_in, "moderator", actor=signed_in)
        db.session.commit()  # expires the grants the grant loaded
        assert signed_in.roles == {"resident", "admin", "moderator"}


def test_a_role_revoked_in_the_request_is_gone_after_the_commit(app, factory):
    admin = factory.user(roles=("admin", "moderator"))
    with app.test_request_context():
        signed_in = _signed_in(admin.id)
        accounts.revoke_role(signed_in, "admin", actor=signed_in)
        db.session.commit()
        assert signed_in.roles == {"resident", "moderator"}
        assert not signed_in.has_role("staff")
