"""What the results publish: no single person's ballot (finding 6), nothing a moderator hid
(finding 7)."""

from __future__ import annotations

import sqlalchemy as sa

from participation.budgeting.rounds.models import Proposal
from participation.extensions import db
from tests.budgeting.builders import pb_fixture  # noqa: F401  (the pb fixture)
from tests.budgeting.test_results import _publish, _vote_profile
from tests.budgeting.test_voting import _cast

WITHHELD = "fewer than 10 ballots"


def _one_ballot_round(app, pb):
    ref = pb.round()
    _cast(app, ref, pb.voters(1)[0], {ref.proposals["city"][1]: 1, ref.proposals["city"][3]: 1})
    _publish(app, pb, ref)
    return ref


def test_a_budget_with_one_ballot_publishes_totals_only(app, client, pb, factory):
    ref = _one_ballot_round(app, pb)
    english = {"Accept-Language": "en"}
    results = client.get(f"/budgeting/{ref.id}/results", headers=english).text
    assert WITHHELD in results
    assert f"/results/{ref.budget()}/ballots" not in results
    assert f"/results/{ref.budget()}.pb" not in results
    ballots = client.get(f"/budgeting/{ref.id}/results/{ref.budget()}/ballots", headers=english)
    assert ballots.status_code == 200 and WITHHELD in ballots.text
    assert "Proposal city-2" not in ballots.text
    assert client.get(f"/budgeting/{ref.id}/results/{ref.budget()}.pb").status_code == 404
    api = client.get(f"/api/v1/budgeting/rounds/{ref.id}/results").get_json()
    [city] = [b for b in api["budgets"] if b["budget"]["id"] == ref.budget()]
    assert city["ballots"] == 1 and city["ballots_published"] is False


def test_ballots_are_published_from_the_threshold_up(app, client, pb, factory):
    ref, _receipts = _vote_profile(app, pb, factory, scale=1)
    _publish(app, pb, ref)
    url = f"/budgeting/{ref.id}/results/{ref.budget()}"
    assert client.get(url + ".pb").status_code == 200
    assert WITHHELD not in client.get(url + "/ballots", headers={"Accept-Language": "en"}).text
    app.config["PB_PUBLISH_BALLOTS_MIN"] = 11
    try:
        assert client.get(url + ".pb").status_code == 404
    finally:
        app.config["PB_PUBLISH_BALLOTS_MIN"] = 10


def test_a_hidden_proposal_never_appears_in_the_pb_export(app, client, pb, factory):
    ref, _receipts = _vote_profile(app, pb, factory, scale=1)
    hidden = ref.proposals["city"][0]  # chosen on 6 of the 10 ballots
    with app.app_context():
        proposal = db.session.get(Proposal, hidden)
        proposal.moderation_state = "hidden"
        db.session.commit()
        title = proposal.title_fi
    _publish(app, pb, ref)
    text = client.get(f"/budgeting/{ref.id}/results/{ref.budget()}.pb").text
    projects, _sep, votes = text.partition("VOTES")
    assert title not in text
    assert not any(line.split(";")[0] == str(hidden) for line in projects.splitlines())
    assert not any(str(hidden) in line.split(";")[1].split(",")
                   for line in votes.splitlines()[2:] if ";" in line)
    with app.app_context():
        assert db.session.scalar(sa.select(Proposal.moderation_state)
                                 .where(Proposal.id == hidden)) == "hidden"
