"""Round rules: settings, phases (entered in Helsinki time, stored UTC), budgets, publishing."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _

from ...core import audit
from ...core.exceptions import ServiceError
from ...core.formats import format_datetime, format_number
from ...core.models import TOTAL, Area
from ...core.services import latest_population
from ...core.types import utcnow
from ...extensions import db
from ..results.rulebook import ROUND_RULES
from .limits import MAX_CHOICES, MAX_EUROS, MAX_MIN_VOTES, MAX_POINTS
from .models import (
    BALLOT_TYPES,
    CITY_WIDE,
    PHASE_KINDS,
    VERIFICATION_LEVELS,
    Budget,
    BudgetRound,
    RoundPhase,
)
from .phases import PHASE_LABELS as PHASE_NAMES

HELSINKI = ZoneInfo("Europe/Helsinki")
TEXT_FIELDS = tuple(f"{name}_{code}" for name in ("title", "description")
                    for code in ("fi", "sv", "en"))
VOTING_SETTINGS = ("ballot_type", "max_choices", "points_total", "rule", "min_votes")
SETTINGS = (*VOTING_SETTINGS, "min_age", "max_age", "area_id", "allow_other_area",
            "min_verification")


def helsinki_to_utc(local: datetime) -> datetime:
    """A wall-clock time in Espoo (naive, as typed) as an aware UTC datetime."""
    if local.tzinfo is None:
        local = local.replace(tzinfo=HELSINKI)
    return local.astimezone(UTC)


def utc_to_helsinki(moment: datetime) -> datetime:
    return moment.astimezone(HELSINKI)


# --- settings -------------------------------------------------------------------------------

def _check_settings(values: dict) -> None:
    ballot_type = values["ballot_type"]
    if ballot_type not in BALLOT_TYPES:
        raise ServiceError(_("Choose a ballot type from the list."), "ballot_type")
    if ballot_type == "k_approval" and not (values.get("max_choices") or 0) >= 1:
        raise ServiceError(_("Give how many proposals a voter may choose (at least 1)."),
                           "max_choices")
    if ballot_type == "cumulative" and not (values.get("points_total") or 0) >= 1:
        raise ServiceError(_("Give how many points a voter may spread (at least 1)."),
                           "points_total")
    for name, most in (("max_choices", MAX_CHOICES), ("points_total", MAX_POINTS),
                       ("min_votes", MAX_MIN_VOTES)):
        if (values.get(name) or 0) > most:
            raise ServiceError(_("Enter a number from %(min)s to %(max)s.", min=1,
                                 max=format_number(most)), name)
    rule = ROUND_RULES.get(values["rule"])
    if rule is None or ballot_type not in rule.ballot_types:
        raise ServiceError(_("Choose a rule that works with the ballot type."), "rule")
    if rule.key == "greedy_threshold" and not (values.get("min_votes") or 0) >= 1:
        raise ServiceError(_("Give the minimum number of votes (at least 1)."), "min_votes")
    if values["min_age"] is None or not 0 <= values["min_age"] <= 120:
        raise ServiceError(_("Give a minimum age between 0 and 120."), "min_age")
    if values.get("max_age") is not None and values["max_age"] < values["min_age"]:
        raise ServiceError(_("The maximum age cannot be below the minimum age."), "max_age")
    if values["min_verification"] not in VERIFICATION_LEVELS:
        raise ServiceError(_("Choose a verification level from the list."), "min_verification")
    if values.get("area_id") is not None and db.session.get(Area, values["area_id"]) is None:
        raise ServiceError(_("Choose an area from the list."), "area_id")


def create_round(actor, **values) -> BudgetRound:
    budget_round = BudgetRound(created_by_id=getattr(actor, "id", None))
    defaults = {column: BudgetRound.__table__.c[column].default.arg
                for column in ("ballot_type", "rule", "min_age", "min_verification",
                               "allow_other_area")}
    for name, value in {**defaults, **values}.items():
        if name not in TEXT_FIELDS + SETTINGS + ("is_simulation",):
            raise TypeError(f"unknown round field {name}")
        setattr(budget_round, name, value)
    _check_settings({name: getattr(budget_round, name) for name in SETTINGS})
    db.session.add(budget_round)
    db.session.flush()
    audit.record(actor, "pb.round.create", "budget_round", budget_round.id,
                 after={"title_fi": budget_round.title_fi})
    return budget_round


def update_round(budget_round: BudgetRound, actor, **values) -> None:
    """Change texts and settings; the ballot and rule are frozen once voting has opened."""
    current = {name: getattr(budget_round, name) for name in SETTINGS}
    merged = {**current, **{k: v for k, v in values.items() if k in SETTINGS}}
    changed_voting = [name for name in VOTING_SETTINGS if merged[name] != current[name]]
    if changed_voting and budget_round.voting_has_opened():
        raise ServiceError(
            _("The rule and the ballot cannot be changed after voting has opened."),
            changed_voting[0])
    if budget_round.published_at is not None:
        for name in ("title_fi", "title_sv", "description_fi", "description_sv"):
            if name in values and not (values[name] or "").strip():
                raise ServiceError(_("A published round needs its texts in Finnish and "
                                     "Swedish."), name)
    _check_settings(merged)
    before = {name: current[name] for name in SETTINGS}
    for name, value in values.items():
        if name not in TEXT_FIELDS + SETTINGS:
            raise TypeError(f"unknown round field {name}")
        setattr(budget_round, name, value.strip() if isinstance(value, str) else value)
    db.session.flush()
    audit.record(actor, "pb.round.update", "budget_round", budget_round.id,
                 before=before, after={name: getattr(budget_round, name) for name in SETTINGS})


def publish_round(budget_round: BudgetRound, actor) -> None:
    missing = [name for name in ("title_fi", "title_sv", "description_fi", "description_sv")
               if not (getattr(budget_round, name) or "").strip()]
    if missing:
        raise ServiceError(
            _("Add the round's title and description in Finnish and in Swedish before "
              "publishing."), missing[0])
    if not budget_round.budgets:
        raise ServiceError(_("Add at least one budget before publishing."))
    if budget_round.phase("voting") is None:
        raise ServiceError(_("Add the voting phase before publishing."))
    if budget_round.is_simulation:
        raise ServiceError(_("A simulation round made from a file cannot be published."))
    if budget_round.published_at is None:
        budget_round.published_at = utcnow()
        db.session.flush()
        audit.record(actor, "pb.round.publish", "budget_round", budget_round.id)


# --- phases -----------------------------------------------------------------------------------

def to_minute(moment: datetime) -> datetime:
    """Phases are edited to the minute: the form never shows seconds, so they never count."""
    return moment.replace(second=0, microsecond=0)


def set_phase(budget_round: BudgetRound, kind: str, starts_at: datetime, ends_at: datetime,
              actor) -> RoundPhase:
    """Create or move a phase; times are aware datetimes (use helsinki_to_utc for form input)."""
    if kind not in PHASE_KINDS:
        raise ServiceError(_("Choose a phase from the list."), "kind")
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise ValueError("phase times must be timezone-aware")
    starts_at, ends_at = to_minute(starts_at), to_minute(ends_at)
    if ends_at <= starts_at:
        raise ServiceError(_("The phase must end after it starts."), "ends_at")
    if kind == "voting" and budget_round.voting_closed_at is not None:
        raise ServiceError(_("Voting has been closed; its dates can no longer change."),
                           "starts_at")
    phase = budget_round.phase(kind)
    if phase is not None and to_minute(phase.starts_at) == starts_at:
        starts_at = phase.starts_at  # the same minute as stored: keep the stored seconds
    if kind == "voting" and phase is not None and budget_round.voting_has_opened() \
            and starts_at != phase.starts_at:
        raise ServiceError(_("Voting has opened; only its end can still be moved."),
                           "starts_at")
    _check_phase_order(budget_round, kind, starts_at)
    _check_no_overlap(budget_round, kind, starts_at, ends_at)
    before = None
    if phase is None:
        phase = RoundPhase(kind=kind, starts_at=starts_at, ends_at=ends_at)
        budget_round.phases.append(phase)
    else:
        before = {"starts_at": phase.starts_at.isoformat(), "ends_at": phase.ends_at.isoformat()}
        phase.starts_at, phase.ends_at = starts_at, ends_at
    db.session.flush()
    audit.record(actor, "pb.phase.set", "budget_round", budget_round.id, reason=kind,
                 before=before,
                 after={"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()})
    return phase


def _check_phase_order(budget_round: BudgetRound, kind: str, starts_at: datetime) -> None:
    position = PHASE_KINDS.index(kind)
    for other in budget_round.phases:
        if other.kind == kind:
            continue
        other_position = PHASE_KINDS.index(other.kind)
        if (other_position < position and other.starts_at > starts_at) or (
                other_position > position and other.starts_at < starts_at):
            raise ServiceError(
                _("Phases must follow each other in order: proposals, review, voting, "
                  "results, implementation."), "starts_at")


def _check_no_overlap(budget_round: BudgetRound, kind: str, starts_at: datetime,
                      ends_at: datetime) -> None:
    """Phases never overlap (touching is fine), so results never show while voting runs."""
    for other in budget_round.phases:
        if other.kind == kind:
            continue
        if starts_at < to_minute(other.ends_at) and to_minute(other.starts_at) < ends_at:
            if {kind, other.kind} == {"voting", "results"}:
                raise ServiceError(_("The results phase cannot start before voting ends."),
                                   "starts_at" if kind == "results" else "ends_at")
            raise ServiceError(
                _("This phase overlaps the phase “%(other)s” (%(start)s – %(end)s). "
                  "Phases cannot overlap.", other=PHASE_NAMES.get(other.kind, other.kind),
                  start=format_datetime(other.starts_at),
                  end=format_datetime(other.ends_at)),
                "starts_at")


def remove_phase(budget_round: BudgetRound, kind: str, actor) -> None:
    phase = budget_round.phase(kind)
    if phase is None:
        return
    if kind == "voting" and budget_round.voting_has_opened():
        raise ServiceError(_("Voting has opened; the voting phase cannot be removed."))
    budget_round.phases.remove(phase)
    db.session.flush()
    audit.record(actor, "pb.phase.remove", "budget_round", budget_round.id, reason=kind)


# --- budgets ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class BudgetSplit:
    city_wide: int
    areas: dict

    @property
    def total(self) -> int:
        return self.city_wide + sum(self.areas.values())


def split_budget(total: int, areas_with_population: Mapping[Hashable, int]
                 | Iterable[tuple[Hashable, int]],
                 city_wide_share: Fraction = Fraction(1, 5)) -> BudgetSplit:
    """Split `total` euros: `city_wide_share` city-wide, the rest by population.

    Largest remainder: every part gets the whole euros of its exact quota, then the euros
    left go one each to the largest fractions (earlier parts first on ties), so parts always
    sum to `total` exactly.
    """
    pairs = list(areas_with_population.items() if isinstance(areas_with_population, Mapping)
                 else areas_with_population)
    share = Fraction(city_wide_share)
    if isinstance(total, bool) or not isinstance(total, int) or total < 0:
        raise ValueError("total must be a non-negative whole number of euros")
    if not 0 <= share <= 1:
        raise ValueError("city_wide_share must be between 0 and 1")
    if any(population < 0 for _key, population in pairs):
        raise ValueError("populations must not be negative")
    people = sum(population for _key, population in pairs)
    if pairs and people == 0:
        raise ValueError("the areas have no population to split by")
    if not pairs:
        share = Fraction(1)
    quotas = [total * share] + [total * (1 - share) * population / people
                                for _key, population in pairs]
    amounts = [quota.numerator // quota.denominator for quota in quotas]
    left = total - sum(amounts)
    by_fraction = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - amounts[i]), i))
    for index in by_fraction[:left]:
        amounts[index] += 1
    return BudgetSplit(amounts[0], {key: amount for (key, _p), amount
                                    in zip(pairs, amounts[1:], strict=True)})


def _check_budgets_editable(budget_round: BudgetRound) -> None:
    if budget_round.voting_has_opened():
        raise ServiceError(_("Budgets cannot change after voting has opened."))


def set_budget(budget_round: BudgetRound, area_id: int | None, amount: int, actor) -> Budget:
    _check_budgets_editable(budget_round)
    if amount is None or amount <= 0:
        raise ServiceError(_("Give the budget as whole euros, more than zero."), "amount")
    if amount > MAX_EUROS:
        raise ServiceError(_("A budget can be at most %(max)s euros.",
                             max=format_number(MAX_EUROS)), "amount")
    key = CITY_WIDE if area_id is None else f"area:{area_id}"
    budget = next((b for b in budget_round.budgets if b.scope_key == key), None)
    if budget is None:
        if area_id is not None and db.session.get(Area, area_id) is None:
            raise ServiceError(_("Choose an area from the list."), "area_id")
        position = 0 if area_id is None else db.session.get(Area, area_id).code
        budget = Budget(area_id=area_id, scope_key=key, amount=amount, position=position)
        budget_round.budgets.append(budget)
    before = budget.amount if budget.id else None
    budget.amount = amount
    db.session.flush()
    audit.record(actor, "pb.budget.set", "budget", budget.id, reason=key,
                 before={"amount": before}, after={"amount": amount})
    return budget


def apply_budget_split(budget_round: BudgetRound, total: int, city_wide_share: Fraction,
                       actor) -> BudgetSplit:
    """One budget per major area (by latest population) and one city-wide."""
    _check_budgets_editable(budget_round)
    areas = db.session.scalars(sa.select(Area).order_by(Area.code)).all()
    populations = {}
    for area in areas:
        figure = latest_population(area, TOTAL)
        populations[area.id] = figure.population if figure else 0
    if not areas or sum(populations.values()) == 0:
        raise ServiceError(_("The areas have no population figures to split the money by."))
    if total is None or total <= 0:
        raise ServiceError(_("Give the total as whole euros, more than zero."), "total")
    if total > MAX_EUROS:
        raise ServiceError(_("A budget can be at most %(max)s euros.",
                             max=format_number(MAX_EUROS)), "total")
    split = split_budget(total, populations, city_wide_share)
    set_budget(budget_round, None, split.city_wide, actor)
    for area_id, amount in split.areas.items():
        if amount > 0:
            set_budget(budget_round, area_id, amount, actor)
    return split
