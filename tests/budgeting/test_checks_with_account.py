"""Whether an account has identity checks is read with the account (accounts/loading.py):
a voter without any costs no checks query, a verified voter's checks are still read, and a
check added during a request is seen by the rest of that request."""

from __future__ import annotations

from participation.accounts.loading import load_signed_in, loaded_has_checks
from participation.accounts.models import User
from participation.budgeting.voting import eligibility
from participation.extensions import db
from tests.budgeting.builders import en, pb_fixture  # noqa: F401  (the pb fixture)
from tests.statements import counted

CHECKS_QUERY = "FROM voter_verification \nWHERE voter_verification.user_id"


def _cast(client, ref, proposal):
    return client.post(f"/budgeting/{ref.id}/vote/{ref.budget()}/cast",
                       data={"choice": [str(proposal)]})


def _verify(app, voter, staff) -> None:
    with en(app):
        assert eligibility.verify_in_person(db.session.get(User, voter.id),
                                            db.session.get(User, staff.id), document="passport")
        db.session.commit()


def _checks_queries(statements) -> list[str]:
    return [s for s in statements if "FROM voter_verification" in s and "EXISTS" not in s]


def test_a_verified_voter_votes_through_the_site_where_the_round_needs_a_check(
        app, client, auth, pb, factory):
    ref = pb.round(min_verification="staff_verified")
    voter = factory.user()
    auth.login(voter.email)
    proposal = ref.proposals["city"][0]
    assert not _cast(client, ref, proposal).headers.get("Location", "").endswith("/done")
    _verify(app, voter, factory.user(roles=("staff",)))
    with counted(app) as statements:
        answer = _cast(client, ref, proposal)
    assert answer.headers["Location"].endswith("/done")
    assert len(_checks_queries(statements)) == 1  # the voter has one: it is read


def test_a_voter_without_checks_costs_no_checks_query(app, client, auth, pb, factory):
    ref = pb.round()
    auth.login(factory.user().email)
    with counted(app) as statements:
        assert _cast(client, ref, ref.proposals["city"][0]).headers["Location"].endswith(
            "/done")
        assert client.get(f"/budgeting/{ref.id}/vote/{ref.budget()}").status_code == 200
    assert _checks_queries(statements) == []


def test_a_check_added_during_a_request_is_seen_by_the_rest_of_it(app, pb, factory):
    voter = pb.voters(1)[0]
    staff = factory.user(roles=("staff",))
    with en(app):
        person = db.session.get(User, voter.id)
        login = f"{person.id}.{person.session_version or 0}"
        db.session.remove()
        signed_in = load_signed_in(login)
        assert loaded_has_checks(signed_in) is False
        assert eligibility.valid_checks(signed_in) == []
        eligibility.verify_in_person(signed_in, db.session.get(User, staff.id),
                                     document="passport")
        assert [check.level for check in eligibility.valid_checks(signed_in)] == [
            "staff_verified"]
        db.session.rollback()
