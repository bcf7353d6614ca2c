"""Tallying a round with the engine in rules/, storing, comparing and publishing the results."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
from fractions import Fraction

import sqlalchemy as sa
from flask_babel import gettext as _

from ...core import audit
from ...core.exceptions import ServiceError
from ...core.types import utcnow
from ...extensions import db
from ..rounds.models import Budget, BudgetResult, BudgetRound, Proposal
from ..rounds.statuses import move
from ..voting.ballots import ballot_proposals
from ..voting.casting import ensure_voting_closed
from ..voting.models import Ballot, BallotChoice
from .rulebook import ROUND_RULES, engine_call, rules_for
from .rules import Election, Outcome, RuleNotApplicable, tally


def budget_election(budget_round: BudgetRound, budget: Budget,
                    meta: dict[str, str] | None = None) -> Election:
    """The budget's anonymous ballots as an engine Election (project ids = proposal ids)."""
    proposals = ballot_proposals(budget)
    rows = db.session.execute(
        sa.select(Ballot.id, BallotChoice.proposal_id, BallotChoice.points)
        .join(BallotChoice, BallotChoice.ballot_id == Ballot.id)
        .where(Ballot.budget_id == budget.id)
        .order_by(Ballot.id, BallotChoice.proposal_id)).all()
    grouped: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for ballot_id, proposal_id, points in rows:
        grouped[ballot_id].append((proposal_id, points))
    cumulative = budget_round.ballot_type == "cumulative"
    return Election.from_ballots(
        budget=budget.amount,
        costs={str(p.id): p.cost for p in proposals},
        ballots=[[str(pid) for pid, _pts in choices] for choices in grouped.values()],
        points=[[pts for _pid, pts in choices] for choices in grouped.values()]
        if cumulative else None,
        vote_type="cumulative" if cumulative else "approval",
        meta=meta or {},
        project_meta={str(p.id): {"name": p.title_fi or p.title_sv or p.title_en}
                      for p in proposals},
        voter_ids=[str(number) for number in range(1, len(grouped) + 1)],
    )


def without_unvoted(election: Election) -> Election:
    """The election minus proposals nobody voted for: the service never funds those.

    Such projects score zero, so every rule here would reach them last (or never): leaving
    them out changes no other decision, it only stops greedy steps from funding them.
    """
    voted = {project for ballot in election.ballots for project in ballot}
    if len(voted) == election.num_projects:
        return election
    ids = election.project_ids
    return Election.from_ballots(
        budget=election.budget,
        costs={ids[p]: election.costs[p] for p in range(election.num_projects) if p in voted},
        ballots=[[ids[p] for p in ballot] for ballot in election.ballots],
        points=[list(points) for points in election.points] if election.points else None,
        vote_type=election.vote_type, meta=election.meta,
        project_meta={ids[p]: election.project_meta[p] for p in sorted(voted)},
        voter_ids=election.voter_ids)


def tally_budget(budget_round: BudgetRound, budget: Budget, rule_key: str | None = None,
                 election: Election | None = None) -> Outcome:
    """The round's rule (or `rule_key`) on the budget's ballots, unvoted proposals left out."""
    engine_key, meta = engine_call(budget_round, rule_key)
    election = without_unvoted(election or budget_election(budget_round, budget))
    return tally(replace(election, meta={**election.meta, **meta}), engine_key)


def vote_totals(election: Election) -> dict[str, tuple[int, int]]:
    """Per proposal id: (voters who chose it, points given to it)."""
    supporters: dict[str, int] = defaultdict(int)
    points: dict[str, int] = defaultdict(int)
    for index, ballot in enumerate(election.ballots):
        for position, project in enumerate(ballot):
            pid = election.project_ids[project]
            supporters[pid] += 1
            points[pid] += int(election.points[index][position]) if election.points else 1
    return {pid: (supporters[pid], points[pid]) for pid in election.project_ids}


def _money(value: Fraction | None) -> float | None:
    return None if value is None else round(float(value), 2)


def outcome_details(election: Election, outcome: Outcome) -> dict[str, dict]:
    """JSON-safe facts per proposal: votes and why it was or was not funded."""
    totals = vote_totals(election)
    details = {}
    for pid in election.project_ids:
        why = outcome.explanations.get(pid)
        supporters, points = totals[pid]
        details[pid] = {
            "votes": supporters,
            "points": points,
            "selected": pid in outcome.selected,
            "status": why.status if why else None,
            "stage": why.stage if why else None,
            "rank": why.rank if why else None,
            "round": why.round if why else None,
            "remaining_budget": _money(why.remaining_budget) if why else None,
            "price_per_supporter": _money(why.price_per_supporter) if why else None,
            "supporters_money_left": _money(why.supporters_money_left) if why else None,
        }
    return details


def _store(budget: Budget, rule_key: str, election: Election, outcome: Outcome) -> BudgetResult:
    result = db.session.scalar(sa.select(BudgetResult).filter_by(budget_id=budget.id))
    if result is None:
        result = BudgetResult(budget_id=budget.id)
        db.session.add(result)
    result.rule = rule_key
    result.selected = sorted(int(pid) for pid in outcome.selected)
    result.total_cost = int(outcome.total_cost)
    result.ballots = election.num_voters
    result.details = outcome_details(election, outcome)
    result.computed_at = utcnow()
    return result


def publish_results(budget_round: BudgetRound, actor, now: datetime | None = None) -> None:
    """Close voting if needed, tally every budget with the round's rule and publish."""
    if budget_round.results_published_at is not None:
        raise ServiceError(_("The results have already been published."))
    if budget_round.is_simulation:
        raise ServiceError(_("A simulation round made from a file cannot be published."))
    ensure_voting_closed(budget_round, actor, now)
    chosen: dict[int, set[int]] = {}
    for budget in budget_round.budgets:
        election = budget_election(budget_round, budget)
        outcome = tally_budget(budget_round, budget, election=election)
        _store(budget, budget_round.rule, election, outcome)
        chosen[budget.id] = {int(pid) for pid in outcome.selected}
    budget_round.results_published_at = now or utcnow()
    for budget in budget_round.budgets:
        for proposal in ballot_proposals(budget):
            if proposal.status == "on_ballot":  # every ballot proposal learns its fate
                move(proposal, "selected" if proposal.id in chosen[budget.id]
                     else "not_selected")
    db.session.flush()
    audit.record(actor, "pb.results.publish", "budget_round", budget_round.id,
                 after={"rule": budget_round.rule})


def stored_result(budget: Budget) -> BudgetResult | None:
    return db.session.scalar(sa.select(BudgetResult).filter_by(budget_id=budget.id))


@dataclass
class Comparison:
    """One budget tallied with every rule that fits the ballot type."""

    budget: Budget
    proposals: list[Proposal]
    votes: dict[str, tuple[int, int]]
    outcomes: dict[str, Outcome]
    problems: dict[str, str]


def what_if_refusal(budget_round: BudgetRound) -> str | None:
    """Why the rules cannot be compared yet (None: they can). Nothing is ever changed here."""
    if budget_round.is_simulation or budget_round.voting_closed_at is not None:
        return None
    return _("The rules can be compared once voting has ended.")


def rule_problem_text(error: RuleNotApplicable) -> str:
    """The engine's (English) reason a rule does not apply, in the reader's language."""
    detail = str(error)
    if "min_project_score_threshold" in detail:
        return _("This rule needs a minimum number of votes. Set it in the round's settings.")
    if "points" in detail:
        return _("This rule needs ballots with points (cumulative ballots).")
    if "ordinal" in detail:
        return _("This rule needs ranked ballots.")
    return _("This rule cannot be applied to the ballots of this round.")


def compare_rules(budget_round: BudgetRound) -> list[Comparison]:
    """The what-if view: each budget under each applicable rule. Read only: voting must be
    closed already (or the round is a simulation); this never closes it."""
    refusal = what_if_refusal(budget_round)
    if refusal is not None:
        raise ServiceError(refusal)
    comparisons = []
    for budget in budget_round.budgets:
        election = budget_election(budget_round, budget)
        outcomes, problems = {}, {}
        for rule in rules_for(budget_round.ballot_type):
            try:
                outcomes[rule.key] = tally_budget(budget_round, budget, rule.key, election)
            except RuleNotApplicable as error:
                problems[rule.key] = rule_problem_text(error)
        comparisons.append(Comparison(budget, ballot_proposals(budget), vote_totals(election),
                                      outcomes, problems))
    return comparisons


def rule_label(key: str) -> str:
    rule = ROUND_RULES.get(key)
    return str(rule.label) if rule else key
