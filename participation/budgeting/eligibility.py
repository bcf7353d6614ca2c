"""Who may vote in a round: age by year of birth, residence, verification level.

Identity verification is pluggable: an identity provider integration registers a verifier with
`register_verifier(name, callable)`; the callable gets a user and returns True when the provider
has verified them. Staff verification in person is built in (`verify_in_person`, audited).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from ..core import audit
from ..core.exceptions import ServiceError
from ..core.types import utcnow
from ..extensions import db
from .models import VERIFICATION_LEVELS, Budget, BudgetRound, VoterRollEntry, VoterVerification

_verifiers: dict[str, Callable] = {}


def register_verifier(name: str, verifier: Callable) -> None:
    """Plug in an identity provider: `verifier(user) -> bool` (True: verified by it)."""
    _verifiers[name] = verifier


def unregister_verifier(name: str) -> None:
    _verifiers.pop(name, None)


def verifiers() -> dict[str, Callable]:
    return dict(_verifiers)


def _rank(level: str) -> int:
    return VERIFICATION_LEVELS.index(level)


def verification_level(user) -> str:
    """The highest level this person has reached (self-declared for every account)."""
    stored = db.session.scalars(
        sa.select(VoterVerification.level).where(VoterVerification.user_id == user.id)).all()
    levels = {"self_declared", *stored}
    if any(verifier(user) for verifier in _verifiers.values()):
        levels.add("identity_provider")
    return max(levels, key=_rank)


def _add_verification(user, level: str, method: str, actor) -> bool:
    existing = db.session.scalar(sa.select(VoterVerification).filter_by(
        user_id=user.id, level=level))
    if existing is not None:
        return False
    db.session.add(VoterVerification(user_id=user.id, level=level, method=method,
                                     verified_by_id=getattr(actor, "id", None)))
    db.session.flush()
    return True


def verify_in_person(user, actor, *, document: str) -> bool:
    """Staff have seen the person and an identity document; False if already verified so."""
    if not (document or "").strip():
        raise ServiceError(_("Say which identity document you checked."), "document")
    added = _add_verification(user, "staff_verified", "in_person", actor)
    if added:
        audit.record(actor, "pb.voter.verify", "user", user.id, reason=document.strip()[:200],
                     after={"level": "staff_verified"})
    return added


def record_provider_verification(user, provider: str) -> bool:
    """An identity provider confirmed the person (called by the provider's integration)."""
    if provider not in _verifiers:
        raise ValueError(f"no identity provider registered as {provider!r}")
    added = _add_verification(user, "identity_provider", provider, None)
    if added:
        audit.record(None, "pb.voter.verify", "user", user.id, reason=provider,
                     after={"level": "identity_provider"})
    return added


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str


def eligibility_refusal(budget_round: BudgetRound, user,
                        now: datetime | None = None) -> Refusal | None:
    """Why this person may not vote in the round (age, residence, verification), or None."""
    year = (now or utcnow()).year
    if user.birth_year is None:
        return Refusal("no_birth_year", _(
            "We do not know your year of birth, which decides whether you can vote. Add it on "
            "your profile page, then come back to vote."))
    age = year - user.birth_year
    if age < budget_round.min_age:
        return Refusal("too_young", _(
            "You can vote in this round from the year you turn %(age)d. You can still follow "
            "the proposals and the results.", age=budget_round.min_age))
    if budget_round.max_age is not None and age > budget_round.max_age:
        return Refusal("too_old", _(
            "This round is for people up to %(age)d years old (counted by year of birth), so "
            "you cannot vote in it. You can still follow the proposals and the results.",
            age=budget_round.max_age))
    if user.home_area_id is None:
        return Refusal("no_home_area", _(
            "Voting is for residents of Espoo. Choose the major area where you live on your "
            "profile page, then come back to vote."))
    if budget_round.area_id is not None and user.home_area_id != budget_round.area_id:
        return Refusal("outside_area", _(
            "This round is for residents of %(area)s. If you have moved there, change your "
            "home area on your profile page.", area=budget_round.area.name))
    needed = budget_round.min_verification
    if _rank(verification_level(user)) < _rank(needed):
        if needed == "staff_verified":
            return Refusal("verification", _(
                "This vote needs your identity to be checked. Take an identity document to a "
                "city service point or library and ask staff to verify you, then vote here."))
        return Refusal("verification", _(
            "This vote needs your identity verified with strong electronic identification "
            "(online bank codes or mobile ID). Verify it from your profile page, or vote "
            "at a city service point."))
    return None


def budget_refusal(budget_round: BudgetRound, budget: Budget, user) -> Refusal | None:
    """Why this person may not vote in this particular budget of the round, or None."""
    if budget.round_id != budget_round.id:
        return Refusal("other_round", _("This budget belongs to another round."))
    if budget.area_id is not None and budget.area_id != user.home_area_id \
            and not budget_round.allow_other_area:
        return Refusal("other_area", _(
            "In this round you vote in the budget of your home area. If you have moved, change "
            "your home area on your profile page."))
    if budget.area_id is not None:
        earlier = chosen_area_budget(budget_round, user)
        if earlier is not None and earlier.id != budget.id:
            return Refusal("one_area", _(
                "You have already voted in the budget of %(area)s. You can vote in one area's "
                "budget per round; you can still change that ballot.", area=earlier.name))
    entry = voter_roll_entry(budget, user)
    if entry is not None and entry.channel != "web":
        return Refusal("voted_in_person", _(
            "You have already voted in this budget at a service point, so you cannot vote in "
            "it online as well."))
    return None


def voter_roll_entry(budget: Budget, user) -> VoterRollEntry | None:
    return db.session.scalar(sa.select(VoterRollEntry).filter_by(
        round_id=budget.round_id, budget_id=budget.id, user_id=user.id))


def chosen_area_budget(budget_round: BudgetRound, user) -> Budget | None:
    """The area budget this person voted in already (one area per round), if any."""
    return db.session.scalar(
        sa.select(Budget).join(VoterRollEntry, VoterRollEntry.budget_id == Budget.id)
        .where(VoterRollEntry.round_id == budget_round.id, VoterRollEntry.user_id == user.id,
               Budget.area_id.is_not(None)))
