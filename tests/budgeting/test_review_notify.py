"""The resident who made a proposal hears the review's outcome; an idea lists every proposal
made from it."""

from __future__ import annotations

import email

import sqlalchemy as sa

from participation.accounts.models import User
from participation.budgeting.rounds.notifications import REVIEWED
from participation.extensions import db
from participation.ideas.models import Notification
from tests.budgeting.builders import pb_fixture  # noqa: F401  (the pb fixture)
from tests.ideas.builders import ensure_themes, make_idea


def _submit(app, client, pb, factory, auth, language="en", opted_in=False):
    ref = pb.round(state="proposals", costs={})
    resident = factory.user(language=language)
    with app.app_context():
        db.session.get(User, resident.id).email_notifications = opted_in
        db.session.commit()
    auth.login(resident.email)
    client.post(f"/budgeting/{ref.id}/propose", data={
        "budget": ref.budget(), "title": "More benches", "description": "By the shore.",
        "cost": "5000", "language": "en"})
    pb.move_to(ref.id, "review")
    auth.logout()
    with app.app_context():
        from participation.budgeting.rounds.models import Proposal

        proposal_id = db.session.scalar(sa.select(Proposal.id))
    return ref, resident, proposal_id


def test_resident_is_told_why_the_proposal_is_not_feasible(app, client, pb, factory, auth,
                                                           outbox):
    _ref, resident, proposal_id = _submit(app, client, pb, factory, auth, language="sv",
                                          opted_in=True)
    auth.login(factory.user(roles=("staff",)).email)
    response = client.post(f"/budgeting/manage/proposals/{proposal_id}/review", data={
        "decision": "not_feasible", "reason_fi": "Ranta on suojelualuetta.",
        "reason_sv": "Stranden är ett skyddsområde."})
    assert response.status_code == 302
    with app.app_context():
        note = db.session.scalar(sa.select(Notification).where(
            Notification.user_id == resident.id))
        assert note is not None and note.kind == REVIEWED
        assert note.params == {"proposal_id": proposal_id, "status": "not_feasible"}
    mails = [email.message_from_bytes(path.read_bytes()) for path in outbox.glob("*.eml")]
    assert [mail["To"] for mail in mails] == [resident.email]
    body = mails[0].get_payload(decode=True).decode()
    assert "Stranden är ett skyddsområde." in body  # the public reason, in her language
    auth.logout()
    auth.login(resident.email)
    page = client.get("/notifications").text
    assert "Stranden är ett skyddsområde." in page
    assert f"/budgeting/proposals/{proposal_id}" in page


def test_resident_is_told_the_proposal_is_on_the_ballot(app, client, pb, factory, auth, outbox):
    _ref, resident, proposal_id = _submit(app, client, pb, factory, auth)
    auth.login(factory.user(roles=("staff",)).email)
    client.post(f"/budgeting/manage/proposals/{proposal_id}", data={
        "budget": str(_ref.budget()), "cost": "5000", "title_fi": "Penkkejä",
        "title_sv": "Bänkar", "title_en": "More benches", "description_fi": "Rannalle.",
        "description_sv": "Vid stranden.", "description_en": "By the shore."})
    client.post(f"/budgeting/manage/proposals/{proposal_id}/review",
                data={"decision": "feasible"})
    with app.app_context():
        note = db.session.scalar(sa.select(Notification).where(
            Notification.user_id == resident.id))
        assert note.params["status"] == "on_ballot"
    assert list(outbox.glob("*.eml")) == []  # not opted in to email: in-app only


def test_idea_page_lists_every_proposal_made_from_it(app, client, pb, factory, auth):
    ensure_themes(app)
    idea = make_idea(app, factory.user().id, title="Benches for the park")
    ref = pb.round(state="review", costs={})
    auth.login(factory.user(roles=("staff",), language="en").email)
    made = []
    for title in ("Penkkejä puistoon", "Penkkejä rannalle"):
        response = client.post(f"/budgeting/manage/{ref.id}/proposals/new", data={
            "budget": ref.budget(), "cost": "8000", "title_fi": title, "title_sv": title,
            "title_en": title, "description_fi": "x", "description_sv": "x",
            "ideas": str(idea)})
        made.append(int(response.headers["Location"].rsplit("/", 1)[1]))
    auth.logout()
    page = client.get(f"/ideas/{idea}", headers={"Accept-Language": "en"}).text
    for proposal_id in made:
        assert f'href="/budgeting/proposals/{proposal_id}"' in page
