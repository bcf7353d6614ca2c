"""The what-if page's rule problems in the reader's language; the round form offers every rule
the engine has for the ballot type (cumulative MES variants included)."""

from __future__ import annotations

import pytest
from markupsafe import escape

from participation.budgeting.results import tally as results
from participation.budgeting.results.rulebook import ROUND_RULES, rules_for
from participation.budgeting.results.rules import RULES, RuleNotApplicable
from participation.budgeting.rounds.models import BudgetRound
from participation.budgeting.voting.casting import close_voting
from participation.extensions import db
from tests.budgeting.builders import en, pb_fixture  # noqa: F401  (the pb fixture)
from tests.budgeting.test_results import _vote_profile
from tests.i18n_helpers import translated

ENGINE_TEXT = "rule greedy-threshold needs the META field min_project_score_threshold"


def test_rule_problems_on_the_what_if_page_are_translated(app, client, pb, factory, auth,
                                                          monkeypatch):
    ref, _receipts = _vote_profile(app, pb, factory, scale=1)
    pb.move_to(ref.id, "results")
    with en(app):
        close_voting(db.session.get(BudgetRound, ref.id), None)
        db.session.commit()
    real = results.tally_budget

    def tally_budget(budget_round, budget, rule_key=None, election=None):
        if rule_key == "greedy_threshold":
            raise RuleNotApplicable(ENGINE_TEXT)
        return real(budget_round, budget, rule_key, election)

    monkeypatch.setattr(results, "tally_budget", tally_budget)
    auth.login(factory.user(roles=("staff",), language="sv").email)
    html = client.get(f"/budgeting/manage/{ref.id}/what-if").text
    wanted = translated(app, "This rule needs a minimum number of votes. Set it in the "
                             "round's settings.", "sv")
    assert str(escape(wanted)) in html and ENGINE_TEXT not in html


@pytest.mark.parametrize("ballot_type", ["approval", "k_approval", "cumulative"])
def test_round_form_offers_every_rule_for_the_ballot_type(client, factory, auth, ballot_type):
    auth.login(factory.user(roles=("staff",)).email)
    html = client.get("/budgeting/manage/new").text
    for rule in rules_for(ballot_type):
        assert f'value="{rule.key}"' in html


def test_cumulative_mes_until_over_budget_is_offered_once_the_engine_has_it():
    key = "mes_cardinal_add1_until_over_budget"
    if key in RULES:
        assert key in ROUND_RULES and "cumulative" in ROUND_RULES[key].ballot_types
    else:
        assert key not in ROUND_RULES  # never offer a rule the engine cannot run
