"""Results as CSV, anonymous ballots as Pabulib `.pb`, and rounds made from `.pb` files."""

from __future__ import annotations

import math
import secrets

import sqlalchemy as sa
from flask_babel import gettext as _

from ...core import audit
from ...core.csvsafe import write_csv
from ...core.disclosure import format_count
from ...core.exceptions import ServiceError
from ...core.formats import format_number
from ...core.types import utcnow
from ...extensions import db
from ..rounds.limits import MAX_CHOICES, MAX_EUROS, MAX_MIN_VOTES, MAX_POINTS
from ..rounds.models import Budget, BudgetRound, Proposal
from ..rounds.setup import set_budget
from ..voting.ballots import ballot_proposals
from ..voting.casting import new_receipt_code
from ..voting.models import Ballot, BallotChoice
from .groups import groups_json, round_groups
from .pabulib import PabulibError, parse_pb, write_pb
from .rules import Election
from .tally import budget_election, stored_result, without_unvoted

# META `rule` must be a Pabulib rule name. Ours map onto Pabulib's where the rule is the same
# (greedy variants; MES with add1 stopping before overspending is Pabulib's equalshares/add1);
# the rest have no Pabulib name: "unknown", and META `comment` says exactly which rule it was.
PABULIB_RULES = {
    "greedy": "greedy",
    "greedy_threshold": "greedy-threshold",
    "greedy_no_skip": "greedy-no-skip",
    "mes_cost_add1_until_over_budget": "equalshares/add1",
}
UNKNOWN_RULE = "unknown"
BALLOT_TYPE_FROM_PABULIB = {"approval": "approval", "choose-1": "approval",
                            "ordinal": "k_approval", "cumulative": "cumulative",
                            "scoring": "cumulative"}


def results_csv(budget_round: BudgetRound) -> str:
    """One row per proposal on the ballot of every budget, with votes and the outcome."""
    rows = []
    for budget in budget_round.budgets:
        result = stored_result(budget)
        if result is None:
            continue
        for proposal in ballot_proposals(budget):
            if proposal.moderation_state == "hidden":
                continue  # hidden by a moderator: counted, not published
            facts = result.details.get(str(proposal.id), {})
            rows.append([
                budget_round.id, budget.id, budget.area.name_fi if budget.area else "Koko kaupunki",
                budget.amount, proposal.id, proposal.title_fi, proposal.title_sv,
                proposal.title_en, proposal.cost, facts.get("votes", 0), facts.get("points", 0),
                1 if proposal.id in result.selected else 0, result.rule,
            ])
    return write_csv(rows, header=["round_id", "budget_id", "budget", "budget_amount",
                                   "proposal_id", "title_fi", "title_sv", "title_en", "cost",
                                   "votes", "points", "selected", "rule"])


def groups_csv(budget_round: BudgetRound) -> str:
    """Turnout by area and age band (hidden counts ".."), then the winning money by area."""
    data = groups_json(round_groups(budget_round))
    rows = []
    for table in [data["round"], *data["budgets"]]:
        scope = "round" if table["budget_id"] is None else table["budget_id"]
        rows.append([scope, "total", "", format_count(table["voters"]["count"], export=True),
                     table["residents"], "", ""])
        for kind, key in (("area", "area_code"), ("age_band", "age_band")):
            for row in table[kind + "s"]:
                rows.append([scope, kind, row[key],
                             format_count(row["voters"]["count"], export=True),
                             row["residents"], "", ""])
    for row in data["money_by_area"]:
        rows.append(["round", "winning_money", row["area_code"] or "city", "", "",
                     row["money"], "" if row["share"] is None else round(row["share"], 4)])
    return write_csv(rows, header=["scope", "group_type", "group", "voters", "residents",
                                   "winning_money", "money_share"])


def _year(budget_round: BudgetRound) -> int:
    voting = budget_round.phase("voting")
    return (voting.starts_at if voting else budget_round.created_at).year


def pabulib_meta(budget_round: BudgetRound, budget: Budget) -> dict[str, object]:
    voting = budget_round.phase("voting")
    meta: dict[str, object] = {
        "description": f"Osallistu Espoo: {budget_round.title_fi or budget_round.title_sv}",
        "country": "Finland",
        "unit": "Espoo",
        "subunit": budget.area.name_fi if budget.area else "Koko kaupunki",
        "instance": str(_year(budget_round)),
        "language": "fi",
        "rule": PABULIB_RULES.get(budget_round.rule, UNKNOWN_RULE),
    }
    if budget_round.rule not in PABULIB_RULES:
        meta["comment"] = f"Osallistu Espoo rule: {budget_round.rule}"
    if budget_round.rule == "greedy_threshold":
        meta["min_project_score_threshold"] = budget_round.min_votes or 0
    if voting is not None:
        meta["date_begin"] = voting.starts_at.strftime("%d.%m.%Y")
        meta["date_end"] = voting.ends_at.strftime("%d.%m.%Y")
    if budget_round.ballot_type == "approval":
        meta["max_sum_cost"] = budget.amount
    elif budget_round.ballot_type == "k_approval":
        meta["max_length"] = budget_round.max_choices or 0
    else:
        meta["max_sum_points"] = budget_round.points_total or 0
    return meta


def without_hidden(election: Election, budget: Budget) -> Election:
    """The election minus proposals a moderator has hidden: they are counted in the tally but
    never published (see rounds/moderation_hooks.py), so their name, cost and every vote for them
    leave the file. A ballot left empty is left out; the file then shows `selected` as
    published rather than letting a recount fund the hidden proposal's money elsewhere."""
    hidden = {str(pid) for pid in db.session.scalars(sa.select(Proposal.id).where(
        Proposal.budget_id == budget.id, Proposal.moderation_state == "hidden"))}
    ids = election.project_ids
    if not hidden & set(ids):
        return election
    keep = [p for p in range(election.num_projects) if ids[p] not in hidden]
    ballots, points = [], []
    for index, ballot in enumerate(election.ballots):
        kept = [position for position, project in enumerate(ballot) if project in keep]
        if not kept:
            continue
        ballots.append([ids[ballot[position]] for position in kept])
        if election.points:
            points.append([election.points[index][position] for position in kept])
    return Election.from_ballots(
        budget=election.budget, costs={ids[p]: election.costs[p] for p in keep},
        ballots=ballots, points=points if election.points else None,
        vote_type=election.vote_type, meta=election.meta,
        project_meta={ids[p]: election.project_meta[p] for p in keep},
        voter_ids=[str(number) for number in range(1, len(ballots) + 1)])


def export_pb(budget_round: BudgetRound, budget: Budget) -> str:
    """The budget's anonymous ballots (in random order) as a Pabulib file.

    Only the proposals that were tallied: nobody voting for a proposal means it cannot be
    selected, and leaving it out is what lets any Pabulib tool reproduce the published result
    (greedy in pabutools would otherwise fund a zero-vote proposal that still fits). The
    results CSV lists every proposal on the ballot, those with 0 votes included.
    """
    election = without_hidden(without_unvoted(budget_election(budget_round, budget)), budget)
    result = stored_result(budget)
    for pid, extra in zip(election.project_ids, election.project_meta, strict=True):
        facts = result.details.get(pid, {}) if result else {}
        if result is not None:
            extra["votes"] = str(facts.get("votes", 0))
            if budget_round.ballot_type == "cumulative":
                extra["score"] = str(facts.get("points", 0))
            extra["selected"] = "1" if int(pid) in result.selected else "0"
    return write_pb(election, pabulib_meta(budget_round, budget))


# --- import -----------------------------------------------------------------------------------

def _whole_euros(value, what: str) -> int:
    if value.denominator != 1:
        raise ServiceError(_("The file has amounts with cents (%(what)s); only whole euros are "
                             "supported.", what=what), "file")
    return int(value)


def _file_number(election, name: str, default, *, most: int, whole: bool = False) -> int:
    """A META number of an imported file, 1..most, or ServiceError naming the field (422)."""
    raw = str(election.meta.get(name) or "").strip() or default
    try:
        value = float(raw)
        number = max(1, math.ceil(value))
    except (TypeError, ValueError, OverflowError):
        number = None
    if number is None or number > most or (whole and value != number):
        raise ServiceError(_("The file's META field %(field)s must be a number from 1 to "
                             "%(max)s (the file has %(value)s).", field=name,
                             max=format_number(most),
                             value=str(raw)[:40]), "file")
    return number


def _import_settings(election) -> dict:
    ballot_type = BALLOT_TYPE_FROM_PABULIB[election.vote_type]
    settings: dict = {"ballot_type": ballot_type, "rule": "greedy"}
    longest = max((len(ballot) for ballot in election.ballots), default=1)
    if ballot_type == "k_approval":
        settings["max_choices"] = _file_number(election, "max_length", longest or 1,
                                               most=MAX_CHOICES, whole=True)
    if ballot_type == "cumulative":
        most = max((sum(points) for points in election.points or ()), default=1)
        settings["points_total"] = _file_number(election, "max_sum_points", float(most),
                                                most=MAX_POINTS)
    city_rule = election.meta.get("rule", "")
    threshold = election.meta.get("min_project_score_threshold", "")
    if city_rule == "greedy-threshold" and str(threshold).strip():
        settings.update(rule="greedy_threshold", min_votes=_file_number(
            election, "min_project_score_threshold", None, most=MAX_MIN_VOTES))
    elif city_rule == "greedy-no-skip":
        settings["rule"] = "greedy_no_skip"
    elif city_rule.startswith("equalshares") and ballot_type != "cumulative":
        settings["rule"] = "mes_cost_add1_until_over_budget"
    return settings


def import_pb(text: str, actor, title: str = "") -> BudgetRound:
    """A simulation round (never published) with one budget, the projects and the votes."""
    from ..rounds.setup import create_round

    try:
        election = parse_pb(text)
    except PabulibError as error:
        raise ServiceError(_("The file is not a valid Pabulib file: %(problem)s",
                             problem=str(error)), "file") from None
    if election.vote_type not in BALLOT_TYPE_FROM_PABULIB:
        raise ServiceError(_("Ballots of this type cannot be imported."), "file")
    amount = _whole_euros(election.budget, "budget")
    costs = [_whole_euros(cost, pid) for pid, cost in zip(election.project_ids,
                                                           election.costs, strict=True)]
    if amount <= 0 or any(cost <= 0 for cost in costs):
        raise ServiceError(_("The budget and every project's cost must be more than zero."),
                           "file")
    if amount > MAX_EUROS or any(cost > MAX_EUROS for cost in costs):
        raise ServiceError(_("The budget and every project's cost must be at most %(max)s "
                             "euros.", max=format_number(MAX_EUROS)), "file")
    if any(point > MAX_POINTS for points in election.points or () for point in points):
        raise ServiceError(_("A ballot in the file gives more than %(max)s points to a "
                             "project.", max=MAX_POINTS), "file")
    name = title.strip() or " ".join(
        part for part in (election.meta.get("unit", ""), election.meta.get("instance", ""),
                          election.meta.get("subunit", "")) if part) or "Pabulib"
    budget_round = create_round(actor, title_fi=name[:200], title_sv=name[:200],
                                title_en=name[:200], is_simulation=True,
                                **_import_settings(election))
    budget = set_budget(budget_round, None, amount, actor)
    proposal_ids = _import_projects(budget_round, budget, election, costs)
    _import_votes(budget, election, proposal_ids)
    budget_round.voting_closed_at = utcnow()
    db.session.flush()
    audit.record(actor, "pb.round.import", "budget_round", budget_round.id,
                 after={"projects": election.num_projects, "ballots": election.num_voters})
    return budget_round


def _import_projects(budget_round, budget, election, costs) -> list[int]:
    proposals = []
    for pid, cost, extra in zip(election.project_ids, costs, election.project_meta, strict=True):
        title = (extra.get("name") or f"{pid}")[:200]
        proposals.append(Proposal(
            round_id=budget_round.id, budget_id=budget.id, title_fi=title, title_sv=title,
            title_en=title, description_fi=extra.get("description", ""),
            description_sv=extra.get("description", ""), cost=cost, status="on_ballot",
            source_key=pid[:60]))
    db.session.add_all(proposals)
    db.session.flush()
    return [proposal.id for proposal in proposals]


def _import_votes(budget: Budget, election, proposal_ids: list[int]) -> None:
    ballots, choices = [], []
    for index, ballot in enumerate(election.ballots):
        if not ballot:
            continue
        ballot_id = secrets.token_hex(16)
        ballots.append({"id": ballot_id, "round_id": budget.round_id, "budget_id": budget.id,
                        "receipt_code": new_receipt_code(),
                        "channel": "import", "sheet_number": None})
        points = election.points[index] if election.points is not None else None
        for position, project in enumerate(ballot):
            value = int(math.ceil(points[position])) if points is not None else 1
            if value > 0:
                choices.append({"ballot_id": ballot_id, "proposal_id": proposal_ids[project],
                                "points": value})
    for start in range(0, len(ballots), 5000):
        db.session.execute(sa.insert(Ballot), ballots[start:start + 5000])
    for start in range(0, len(choices), 5000):
        db.session.execute(sa.insert(BallotChoice), choices[start:start + 5000])
