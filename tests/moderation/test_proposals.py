"""Budgeting proposals are moderated like ideas: screened, reportable, hidden with a reason."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa

from participation.accounts.models import User
from participation.budgeting.results.tally import publish_results
from participation.budgeting.rounds.models import BudgetRound, Proposal
from participation.extensions import db
from participation.ideas.models import Notification
from participation.moderation import services
from participation.moderation.queue import QueueFilters, queue
from tests.budgeting.builders import en, pb_fixture  # noqa: F401  (the pb fixture)
from tests.budgeting.test_voting import _cast
from tests.i18n_helpers import translated

SPAM = "This content was removed because it was spam or advertising."
EN = {"Accept-Language": "en"}


def _hide(app, proposal_id, moderator_id, reason="spam"):
    with app.test_request_context():
        services.decide(db.session.get(Proposal, proposal_id),
                        db.session.get(User, moderator_id), "hide", reason)
        db.session.commit()


def _propose(client, ref, title, description):
    return client.post(f"/budgeting/{ref.id}/propose", data={
        "budget": ref.budget(), "title": title, "description": description, "cost": "5000",
        "language": "fi"})


def test_resident_proposals_are_screened_and_reportable(app, client, auth, pb, factory,
                                                        moderator):
    ref = pb.round(state="proposals", costs={})
    resident = factory.user(language="fi")
    auth.login(resident.email)
    assert _propose(client, ref, "Penkkejä", "Rannalle lisää penkkejä.").status_code == 302
    assert _propose(client, ref, "Vitun penkit", "Rannalle.").status_code == 302
    with app.app_context():
        clean, held = db.session.scalars(sa.select(Proposal).order_by(Proposal.id)).all()
        assert (clean.moderation_state, held.moderation_state) == ("published", "pending")
        kinds = {(e.moderated.key, e.obj.id): e.kind for e in queue(QueueFilters())}
        assert kinds[("proposal", held.id)] == "held"
        clean_id, held_id = clean.id, held.id
    # Its author still sees the held proposal; others do not, and it is not listed.
    assert client.get(f"/budgeting/proposals/{held_id}").status_code == 200
    auth.logout()
    assert client.get(f"/budgeting/proposals/{held_id}").status_code == 404
    round_page = client.get(f"/budgeting/{ref.id}").text
    assert "Penkkejä" in round_page and "Vitun penkit" not in round_page
    other = factory.user(language="en")
    auth.login(other.email)
    page = client.get(f"/budgeting/proposals/{clean_id}", headers=EN).text
    assert f"/moderation/report/proposal/{clean_id}" in page
    assert client.post(f"/moderation/report/proposal/{clean_id}",
                       data={"reason": "spam"}).status_code == 302
    auth.logout()
    auth.login(moderator.email)
    assert client.get("/moderation/?type=proposal", headers=EN).text.count("queue-item") == 2


def test_hidden_proposal_shows_the_reason_and_leaves_lists(app, client, pb, factory,
                                                           moderator):
    ref = pb.round(state="review")
    hidden, kept = ref.proposals["city"][:2]
    _hide(app, hidden, moderator.id)
    with app.app_context():
        # Hidden before voting: off the ballot, back to staff review.
        assert db.session.get(Proposal, hidden).status == "in_review"
    round_page = client.get(f"/budgeting/{ref.id}").text
    assert "Ehdotus city-2" in round_page and "Ehdotus city-1" not in round_page
    for language in ("fi", "sv", "en"):
        page = client.get(f"/budgeting/proposals/{hidden}",
                          headers={"Accept-Language": language}).text
        assert translated(app, SPAM, language) in page
        assert "Ehdotus city-1" not in page and "Förslag city-1" not in page
    assert kept != hidden


def test_hidden_during_voting_stays_counted_but_unseen(app, client, pb, factory, moderator):
    staff_member = pb.staff
    ref = pb.round(state="voting", budgets={"city": 100_000},
                   costs={"city": [30_000, 30_000]})
    hidden, kept = ref.proposals["city"]
    voters = pb.voters(3)
    for voter in voters:
        _cast(app, ref, voter, {hidden: 1, kept: 1})
    _hide(app, hidden, moderator.id)
    with app.app_context():
        assert db.session.get(Proposal, hidden).status == "on_ballot"
        told = db.session.scalars(sa.select(Notification).filter_by(
            user_id=staff_member.id, kind="pb_proposal_hidden_on_ballot")).all()
        assert [n.params["proposal_id"] for n in told] == [hidden]
    pb.move_to(ref.id, "results")
    with en(app):
        publish_results(db.session.get(BudgetRound, ref.id), None)
        db.session.commit()
    results = client.get(f"/budgeting/{ref.id}/results").text
    details = client.get(f"/budgeting/{ref.id}/results/{ref.budget()}").text
    for html in (results, details):
        assert "Ehdotus city-2" in html  # positive control
        assert "Ehdotus city-1" not in html and f"/budgeting/proposals/{hidden}" not in html
    rows = list(csv.DictReader(io.StringIO(client.get(f"/budgeting/{ref.id}/results.csv").text)))
    assert [int(row["proposal_id"]) for row in rows] == [kept]


def test_a_ban_stops_proposing_and_voting(app, client, auth, pb, factory, moderator):
    proposing = pb.round(state="proposals", costs={})
    voting = pb.round(state="voting")
    person = factory.user(language="en")
    with app.test_request_context():
        services.ban_user(db.session.get(User, person.id), db.session.get(User, moderator.id),
                          3, "spam")
        db.session.commit()
    auth.login(person.email)
    refused = _propose(client, proposing, "Penkkejä", "Rannalle.")
    assert refused.status_code == 403
    first = voting.proposals["city"][0]
    url = f"/budgeting/{voting.id}/vote/{voting.budget()}"
    assert client.post(url, data={"proposal": first, "action": "add"}).status_code == 403
    assert client.post(url + "/cast", data={"choice": f"{first}:1"}).status_code == 403
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Proposal)
                                 .where(Proposal.submitted_by_id == person.id)) == 0
        from participation.budgeting.voting.models import Ballot, BallotEnvelope

        assert db.session.scalar(sa.select(sa.func.count()).select_from(Ballot)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BallotEnvelope)) == 0


def test_only_residents_proposals_wait_for_a_first_look(app, client, auth, pb, factory):
    ref = pb.round(state="proposals", costs={"city": [40_000]})
    resident = factory.user(language="fi")
    auth.login(resident.email)
    assert _propose(client, ref, "Penkkejä", "Rannalle lisää penkkejä.").status_code == 302
    with app.app_context():
        staff_made = ref.proposals["city"][0]
        resident_made = db.session.scalar(
            sa.select(Proposal.id).where(Proposal.submitted_by_id == resident.id))
        new = {e.obj.id for e in queue(QueueFilters(content_type="proposal"))
               if e.kind == "new"}
    assert new == {resident_made}
    assert staff_made not in new
