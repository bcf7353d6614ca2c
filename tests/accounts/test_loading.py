"""The user loader puts the account together from a plain row (accounts/loading.py): it must
behave as one the ORM loaded: persistent, clean, written when changed, lazy-loading its
relationships, and the session's own object when the session already holds the account."""

from __future__ import annotations

import sqlalchemy as sa

from participation.accounts.loading import load_signed_in
from participation.accounts.models import User
from participation.extensions import db
from tests.factories import login_of
from tests.statements import counted


def test_the_account_is_persistent_clean_and_complete(app, factory):
    person = factory.user(display_name="Aino Virtanen")
    with app.test_request_context():
        login = login_of(person.id)
        with counted(app) as statements:
            user = load_signed_in(login)
            state = sa.inspect(user)
            values = {column.key: getattr(user, column.key)
                      for column in User.__table__.c}
        assert len(statements) == 1  # every column came with the one statement
        assert state.persistent and not state.modified and user in db.session
        assert values["display_name"] == "Aino Virtanen" and values["email"] == person.email
        assert not db.session.dirty and not db.session.new


def test_a_change_is_written_and_relationships_load(app, factory):
    person = factory.user()
    with app.test_request_context():
        user = load_signed_in(login_of(person.id))
        assert [grant.role for grant in user.role_grants] == []  # lazy load works
        user.display_name = "Uusi nimi"
        assert list(db.session.dirty) == [user]
        db.session.commit()
        db.session.remove()
        assert db.session.get(User, person.id).display_name == "Uusi nimi"


def test_an_account_the_session_holds_is_that_object(app, factory):
    person = factory.user()
    with app.test_request_context():
        login = login_of(person.id)
        held = db.session.get(User, person.id)
        assert load_signed_in(login) is held


def test_a_deleted_account_or_an_old_session_is_nobody(app, factory):
    person = factory.user()
    with app.test_request_context():
        login = login_of(person.id)
        user_id, version = login.split(".")
        assert load_signed_in(f"{user_id}.{int(version) + 1}") is None
        db.session.get(User, person.id).deleted_at = sa.func.now()
        db.session.commit()
        db.session.remove()
        assert load_signed_in(login) is None
        assert load_signed_in("not-a-number.0") is None
