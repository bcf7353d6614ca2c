"""An email address is confirmed (a mailed link) before the account votes or proposes in a
round that takes identity on trust; the mail leaves after the response, so timing tells
nothing about which addresses have accounts."""

from __future__ import annotations

import re
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
import sqlalchemy as sa
from werkzeug.test import EnvironBuilder

from participation.accounts.models import User
from participation.budgeting.rounds import proposals
from participation.budgeting.rounds.models import Budget, BudgetRound
from participation.budgeting.voting import eligibility
from participation.core.exceptions import ServiceError
from participation.extensions import db
from tests.accounts.test_register import form
from tests.budgeting.builders import en, pb_fixture  # noqa: F401  (the pb fixture)

LINK = re.compile(r"http://127\.0\.0\.1:5000(/email/verify/\S+)")


def _mails(outbox):
    return [message_from_bytes(p.read_bytes(), policy=default_policy)
            for p in sorted(outbox.glob("*.eml"))]


def _register(client, factory, email="uusi.asukas@example.org"):
    response = client.post("/register", data=form(factory, email=email), buffered=True)
    assert response.status_code == 200
    with client.application.app_context():
        return db.session.scalar(sa.select(User.id).filter_by(email=email))


def test_voting_and_proposing_wait_for_the_confirmed_address(app, client, factory, outbox, pb):
    ref = pb.round(state="voting")
    proposing = pb.round(state="proposals")
    user_id = _register(client, factory)
    [mail] = _mails(outbox)
    path = LINK.search(mail.get_content()).group(1)
    with en(app):
        budget_round = db.session.get(BudgetRound, ref.id)
        user = db.session.get(User, user_id)
        refusal = eligibility.eligibility_refusal(budget_round, user)
        assert refusal is not None and refusal.code == "email_unverified"
        with pytest.raises(ServiceError, match="Confirm your email address"):
            proposals.submit_proposal(
                db.session.get(BudgetRound, proposing.id),
                db.session.get(Budget, proposing.budget("city")), user,
                title="T", description="D", cost=1000, language="fi")
        db.session.rollback()
    opened = client.get(path)
    assert opened.status_code == 302 and opened.headers["Location"] == "/login"
    with en(app):
        user = db.session.get(User, user_id)
        assert user.email_verified_at is not None
        assert eligibility.eligibility_refusal(db.session.get(BudgetRound, ref.id), user) is None


def test_rounds_that_check_identity_do_not_need_the_email_check(app, factory, pb):
    ref = pb.round(min_verification="staff_verified")
    person = factory.user(email_verified=False)
    with en(app):
        refusal = eligibility.eligibility_refusal(db.session.get(BudgetRound, ref.id),
                                                  db.session.get(User, person.id))
        assert refusal.code == "verification"


def test_a_bad_or_foreign_link_is_refused(app, client, factory):
    from participation.accounts import services

    person = factory.user(email_verified=False)
    assert client.get("/email/verify/not-a-token").status_code == 400
    with app.app_context():
        user = db.session.get(User, person.id)
        token = services.make_verification_token(user, "another-secret-key")
    assert client.get(f"/email/verify/{token}").status_code == 400
    with app.app_context():
        assert db.session.get(User, person.id).email_verified_at is None


def test_a_new_link_from_the_profile(app, client, auth, factory, outbox):
    person = factory.user(email_verified=False, language="en")
    auth.login(person.email)
    assert "not confirmed yet" in client.get("/profile", headers={"Accept-Language": "en"}).text
    response = client.post("/profile/verify-email", buffered=True)
    assert response.status_code == 302
    [mail] = _mails(outbox)
    assert mail["To"] == person.email
    assert client.get(LINK.search(mail.get_content()).group(1)).headers["Location"] == "/profile"
    assert "not confirmed yet" not in client.get("/profile").text


def _run_until_response(app, path, data):
    """The app's answer as a server sees it: the mail must wait until it closes the response."""
    environ = EnvironBuilder(path=path, method="POST", data=data).get_environ()
    statuses = []
    body = app.wsgi_app(environ, lambda status, headers, exc_info=None: statuses.append(status))
    return statuses, body


@pytest.mark.parametrize("path, data", [
    ("/password/forgot", {"email": "known@example.org"}),
    ("/register", None),
])
def test_mail_leaves_after_the_response(app, factory, outbox, path, data):
    factory.user(email="known@example.org")
    data = data or form(factory, email="known@example.org")
    statuses, body = _run_until_response(app, path, data)
    assert statuses == ["200 OK"]
    assert _mails(outbox) == []  # the answer is complete, the mail not yet written
    body.close()  # what every WSGI server does once the response is sent
    assert [m["To"] for m in _mails(outbox)] == ["known@example.org"]
