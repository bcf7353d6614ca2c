"""/api/v1/budgeting/rounds: public rounds only, their settings, and results once published."""

from __future__ import annotations

from participation.accounts.models import User
from participation.budgeting.rounds.idea_links import link_ideas
from participation.budgeting.rounds.models import BudgetRound, Proposal
from participation.extensions import db
from participation.ideas.models import Idea
from tests.api.conftest import get_json, moderate


def test_rounds_list_only_published_non_simulation_rounds(app, client, pb):
    shown = pb.round(state="voting")
    draft = pb.round(state="voting", publish=False)
    simulation = pb.round(state="voting", publish=False)
    with app.app_context():
        db.session.get(BudgetRound, simulation.id).is_simulation = True
        db.session.commit()
    items = get_json(client, "/api/v1/budgeting/rounds")["items"]
    assert [item["id"] for item in items] == [shown.id]
    assert items[0]["title"] == {"fi": "Osallistuva budjetointi", "sv": "Deltagande budgetering",
                                 "en": "Participatory budgeting"}
    assert items[0]["current_phase"] == "voting" and items[0]["results_published"] is False
    for hidden in (draft, simulation):
        get_json(client, f"/api/v1/budgeting/rounds/{hidden.id}", status=404)
        get_json(client, f"/api/v1/budgeting/rounds/{hidden.id}/results", status=404)


def test_round_detail(app, client, pb, factory):
    ref = pb.round(state="voting", ballot_type="k_approval", max_choices=2,
                   rule="greedy_threshold", min_votes=3)
    body = get_json(client, f"/api/v1/budgeting/rounds/{ref.id}")
    assert [phase["kind"] for phase in body["phases"]] == ["proposals", "review", "voting",
                                                           "results"]
    assert all(phase["starts_at"].endswith("Z") for phase in body["phases"])
    assert body["phases"][2]["name"]["en"] == "Voting"
    assert body["phases"][2]["name"]["fi"] == "Äänestys"
    budgets = {budget["id"]: budget for budget in body["budgets"]}
    assert budgets[ref.budget("city")]["area"] is None
    assert budgets[ref.budget("city")]["amount"] == 100_000
    assert budgets[ref.budget(1)]["area"]["code"] == 1
    assert body["ballot"]["type"] == "k_approval" and body["ballot"]["max_choices"] == 2
    assert body["ballot"]["points_total"] is None
    assert body["rule"]["key"] == "greedy_threshold" and body["rule"]["min_votes"] == 3
    assert "3 votes" in body["rule"]["explanation"]["en"]
    assert body["rule"]["explanation"]["fi"] != body["rule"]["explanation"]["en"]
    assert body["description"] == {"fi": "Kuvaus.", "sv": "Beskrivning.", "en": ""}
    assert "results" not in body["links"]


def test_results_are_404_until_published(app, client, pb):
    ref = pb.round(state="voting")
    body = get_json(client, f"/api/v1/budgeting/rounds/{ref.id}/results", status=404,
                    headers={"Accept-Language": "en"})
    assert body["error"]["code"] == "results_not_published"
    assert body["error"]["message"] == "The results of this round have not been published."
    pb.move_to(ref.id, "results")  # the phase alone does not publish them
    get_json(client, f"/api/v1/budgeting/rounds/{ref.id}/results", status=404)


def test_results_list_selected_proposals_with_votes(app, client, results_round):
    p1, p2, p3, p4 = results_round.proposals["city"]
    body = get_json(client, f"/api/v1/budgeting/rounds/{results_round.id}/results")
    assert body["rule"]["key"] == "greedy" and body["rule"]["name"]["en"]
    (budget,) = body["budgets"]
    assert budget["budget"]["amount"] == 100_000 and budget["ballots"] == 4
    selected = [(row["id"], row["votes"], row["cost"]) for row in budget["selected"]]
    assert selected == [(p1, 3, 40_000), (p2, 3, 30_000), (p3, 1, 20_000)]
    assert budget["total_cost"] == 90_000
    assert budget["selected"][0]["title"]["sv"] == "Förslag city-1"
    detail = get_json(client, f"/api/v1/budgeting/rounds/{results_round.id}")
    assert detail["results_published_at"].endswith("Z")
    assert detail["links"]["results"].endswith(f"/rounds/{results_round.id}/results")


def test_results_leave_out_hidden_and_held_proposals(app, client, results_round, people):
    p1, p2, p3, _p4 = results_round.proposals["city"]
    url = f"/api/v1/budgeting/rounds/{results_round.id}/results"
    assert "city-2" in client.get(url).get_data(as_text=True)  # the control
    moderate(app, Proposal, p2, people.moderator.id)
    with app.app_context():
        db.session.get(Proposal, p3).moderation_state = "pending"
        db.session.commit()
    (budget,) = get_json(client, url)["budgets"]
    assert [row["id"] for row in budget["selected"]] == [p1]
    assert budget["total_cost"] == 40_000
    assert "city-2" not in client.get(url).get_data(as_text=True)


def test_results_name_linked_published_ideas_only(app, client, results_round, ideas, people,
                                                 factory):
    p1 = results_round.proposals["city"][0]
    staff = factory.user(roles=("staff",))
    with app.test_request_context():
        link_ideas(db.session.get(Proposal, p1), [ideas["benches"], ideas["library"]],
                   db.session.get(User, staff.id))
        db.session.commit()
    url = f"/api/v1/budgeting/rounds/{results_round.id}/results"
    linked = get_json(client, url)["budgets"][0]["selected"][0]["ideas"]
    assert [idea["id"] for idea in linked] == [ideas["benches"], ideas["library"]]
    moderate(app, Idea, ideas["library"], people.moderator.id)
    linked = get_json(client, url)["budgets"][0]["selected"][0]["ideas"]
    assert [idea["id"] for idea in linked] == [ideas["benches"]]


def test_a_round_taken_back_from_public_is_gone(app, client, pb):
    ref = pb.round(state="voting")
    with app.test_request_context():
        budget_round = db.session.get(BudgetRound, ref.id)
        budget_round.published_at = None
        db.session.commit()
    get_json(client, f"/api/v1/budgeting/rounds/{ref.id}", status=404)
    assert get_json(client, "/api/v1/budgeting/rounds")["items"] == []
