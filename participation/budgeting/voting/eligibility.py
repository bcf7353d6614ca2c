"""Who may vote in a round: age by year of birth, residence, verification level.

Identity verification is pluggable: an identity provider integration registers a verifier with
`register_verifier(name, callable)`; the callable gets a user and returns True when the provider
has verified them. Staff verification in person is built in (`verify_in_person`, audited).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _

from ...accounts.loading import forget_loaded_checks, loaded_has_checks
from ...core import audit
from ...core.exceptions import ServiceError
from ...core.sentinels import NOT_READ
from ...core.types import utcnow
from ...extensions import db
from ..rounds.models import VERIFICATION_LEVELS, Budget, BudgetRound
from .identity import identity_key, round_person_key
from .models import VoterRollEntry, VoterVerification

_verifiers: dict[str, Callable] = {}
_start_urls: dict[str, Callable[[], str]] = {}


def register_verifier(name: str, verifier: Callable,
                      start_url: Callable[[], str] | None = None) -> None:
    """Plug in an identity provider: `verifier(user) -> bool` (True: verified by it), and
    `start_url()`: where a person starts verifying (the profile page then shows a button)."""
    _verifiers[name] = verifier
    if start_url is not None:
        _start_urls[name] = start_url


def unregister_verifier(name: str) -> None:
    _verifiers.pop(name, None)
    _start_urls.pop(name, None)


def verifiers() -> dict[str, Callable]:
    return dict(_verifiers)


def provider_start_urls() -> dict[str, str]:
    """Identity providers a person can start verifying with, by name -> address."""
    return {name: start() for name, start in _start_urls.items()}


def _rank(level: str) -> int:
    return VERIFICATION_LEVELS.index(level)


def still_valid(check: VoterVerification, user) -> bool:
    """A check covers the year of birth and home area the account had; changing them voids it."""
    return (check.birth_year, check.home_area_id) == (user.birth_year, user.home_area_id)


@cache
def _checks_query() -> sa.Select:
    return sa.select(VoterVerification).where(VoterVerification.user_id == sa.bindparam("user_id"))


def has_checks_of(user_id) -> sa.Exists:
    """Whether an account has any identity check, as a column (the user loader reads it with
    the account, so a voter without checks costs no query here: valid_checks)."""
    return sa.exists().where(VoterVerification.user_id == user_id)


def valid_checks(user) -> list[VoterVerification]:
    if loaded_has_checks(user) is False:  # read with the account: none at all
        return []
    checks = db.session.scalars(_checks_query(), {"user_id": user.id}).all()
    return [check for check in checks if still_valid(check, user)]


def verification_level(user, checks: list[VoterVerification] | None = None) -> str:
    """The highest level this person has reached (self-declared for every account);
    `checks`: their valid_checks, when the caller has them already."""
    checks = valid_checks(user) if checks is None else checks
    levels = {"self_declared", *(check.level for check in checks)}
    if any(verifier(user) for verifier in _verifiers.values()):
        levels.add("identity_provider")
    return max(levels, key=_rank)


def _add_verification(user, level: str, method: str, actor, identity: str | None = None) -> bool:
    """Record (or renew, if the account changed since) a check; False if nothing was new."""
    existing = db.session.scalar(sa.select(VoterVerification).filter_by(
        user_id=user.id, level=level))
    if existing is not None and still_valid(existing, user) \
            and (identity is None or existing.identity_key == identity):
        return False
    if existing is None:
        existing = VoterVerification(user_id=user.id, level=level)
        db.session.add(existing)
    existing.method = method
    existing.verified_at = utcnow()
    existing.verified_by_id = getattr(actor, "id", None)
    existing.birth_year, existing.home_area_id = user.birth_year, user.home_area_id
    existing.identity_key = identity or existing.identity_key
    db.session.flush()
    forget_loaded_checks(user)
    return True


def verify_in_person(user, actor, *, document: str, full_name: str = "",
                     birth_date: date | None = None) -> bool:
    """Staff have seen the person and an identity document; False if already verified so.

    With the name and date of birth on the document, a keyed hash of them is kept, so the same
    person cannot also vote in person without an account (see identity.py)."""
    if not (document or "").strip():
        raise ServiceError(_("Say which identity document you checked."), "document")
    identity = identity_key(full_name, birth_date) \
        if (full_name or "").strip() and birth_date else None
    added = _add_verification(user, "staff_verified", "in_person", actor, identity)
    if added:
        audit.record(actor, "pb.voter.verify", "user", user.id, reason=document.strip()[:200],
                     after={"level": "staff_verified"})
    return added


def record_provider_verification(user, provider: str, *, full_name: str,
                                 birth_date: date) -> bool:
    """An identity provider confirmed the person (called by the provider's integration).

    Providers give the name and date of birth they checked: the keyed hash of them is kept as
    for a staff check, so the same person cannot also vote in person, or with another account."""
    if provider not in _verifiers:
        raise ValueError(f"no identity provider registered as {provider!r}")
    if not (full_name or "").strip() or birth_date is None:
        raise ValueError("an identity provider must give the name and date of birth it checked")
    added = _add_verification(user, "identity_provider", provider, None,
                              identity_key(full_name, birth_date))
    if added:
        audit.record(None, "pb.voter.verify", "user", user.id, reason=provider,
                     after={"level": "identity_provider"})
    return added


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str


def eligibility_refusal(budget_round: BudgetRound, user, now: datetime | None = None,
                        checks: list[VoterVerification] | None = None) -> Refusal | None:
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
    unconfirmed = email_refusal(budget_round, user)
    if unconfirmed is not None:
        return unconfirmed
    needed = budget_round.min_verification
    if _rank(verification_level(user, checks)) < _rank(needed):
        if needed == "staff_verified":
            return Refusal("verification", _(
                "This vote needs your identity to be checked. Take an identity document to a "
                "city service point or library and ask staff to verify you, then vote here."))
        if provider_start_urls():
            return Refusal("verification", _(
                "This vote needs your identity verified with strong electronic "
                "identification (online bank codes or mobile ID). Verify it from your profile "
                "page, or vote at a city service point."))
        return Refusal("verification", _(
            "This vote needs your identity verified with strong electronic identification, "
            "which cannot be done in this service yet. You can vote at a city service point "
            "or library: take an identity document with you."))
    return None


def email_refusal(budget_round: BudgetRound, user) -> Refusal | None:
    """Where identity is only self-declared, an account counts once its email address is
    confirmed (one working address per account, not an unlimited supply of made-up ones).
    Rounds that check identity (staff or a provider) do not need it."""
    if budget_round.min_verification != "self_declared" \
            or getattr(user, "email_verified_at", None) is not None:
        return None
    return Refusal("email_unverified", _(
        "Confirm your email address first: open the link we sent you when you registered. "
        "You can ask for a new link on your profile page."))


def budget_refusal(budget_round: BudgetRound, budget: Budget, user,
                   checks: list[VoterVerification] | None = None, *,
                   entry: VoterRollEntry | None | object = NOT_READ) -> Refusal | None:
    """Why this person may not vote in this particular budget of the round, or None.
    `entry`: the person's roll entry in the budget (None: none), if the caller has read it."""
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
    if entry is NOT_READ:
        entry = voter_roll_entry(budget, user)
    same_person = in_person_entry(budget_round, budget,
                                  account_person_keys(budget_round, user, checks))
    if same_person is not None and same_person.channel == "web":
        # An earlier account of the same verified person (deleted since) voted here.
        return Refusal("voted_before", _(
            "A vote has already been cast in this budget with the identity checked on your "
            "account, so you cannot vote in it again."))
    if (entry is not None and entry.channel != "web") or same_person is not None:
        return Refusal("voted_in_person", _(
            "You have already voted in this budget at a service point, so you cannot vote in "
            "it online as well."))
    return None


def account_person_keys(budget_round: BudgetRound, user,
                        checks: list[VoterVerification] | None = None) -> set[str]:
    """The round's voter-roll keys for the identities staff checked on this account."""
    checks = valid_checks(user) if checks is None else checks
    return {round_person_key(budget_round.id, check.identity_key)
            for check in checks if check.identity_key}


def in_person_entry(budget_round: BudgetRound, budget: Budget,
                    keys: set[str]) -> VoterRollEntry | None:
    """A roll entry without an account for one of `keys` in this budget's slot (one city-wide
    vote and one area vote per person), if any."""
    if not keys:
        return None
    return db.session.scalar(sa.select(VoterRollEntry).where(
        VoterRollEntry.round_id == budget_round.id, VoterRollEntry.slot == budget.slot,
        VoterRollEntry.person_key.in_(keys)).limit(1))


def in_person_votes_of(user) -> list[VoterRollEntry]:
    """Roll entries without an account that carry an identity checked on this account: the
    person voted at a service point before (or with a deleted account), in those budgets."""
    identities = {check.identity_key for check in valid_checks(user) if check.identity_key}
    if not identities:
        return []
    round_ids = db.session.scalars(sa.select(VoterRollEntry.round_id).distinct().where(
        VoterRollEntry.user_id.is_(None), VoterRollEntry.person_key.is_not(None))).all()
    keys = {round_person_key(round_id, identity)
            for round_id in round_ids for identity in identities}
    if not keys:
        return []
    return db.session.scalars(sa.select(VoterRollEntry).where(
        VoterRollEntry.user_id.is_(None), VoterRollEntry.person_key.in_(keys))
        .order_by(VoterRollEntry.round_id, VoterRollEntry.budget_id)).all()


def accounts_with_identity(identity: str) -> list[int]:
    """Ids of accounts whose (still valid) staff check was made with this identity."""
    from ...accounts.models import User

    checks = db.session.scalars(sa.select(VoterVerification).where(
        VoterVerification.identity_key == identity)).all()
    return sorted({check.user_id for check in checks
                   if still_valid(check, db.session.get(User, check.user_id))})


@cache
def roll_entry_query() -> sa.Select:
    """A person's roll entry in a budget (parameters round_id, budget_id, user_id)."""
    return sa.select(VoterRollEntry).where(
        VoterRollEntry.round_id == sa.bindparam("round_id"),
        VoterRollEntry.budget_id == sa.bindparam("budget_id"),
        VoterRollEntry.user_id == sa.bindparam("user_id"))


def voter_roll_entry(budget: Budget, user) -> VoterRollEntry | None:
    return db.session.scalar(roll_entry_query(), {
        "round_id": budget.round_id, "budget_id": budget.id, "user_id": user.id})


class RollMark(NamedTuple):
    """What a page that only reads needs of a roll entry: that it exists and its channel
    (read as a row, not an object the session would track)."""
    id: int
    channel: str


@cache
def _version_and_entry_query() -> sa.Select:
    return (sa.select(BudgetRound.data_version, VoterRollEntry.id, VoterRollEntry.channel)
            .outerjoin(VoterRollEntry, sa.and_(
                VoterRollEntry.round_id == BudgetRound.id,
                VoterRollEntry.budget_id == sa.bindparam("budget_id"),
                VoterRollEntry.user_id == sa.bindparam("user_id")))
            .where(BudgetRound.id == sa.bindparam("round_id")))


def version_and_roll_entry(round_id: int, budget_id: int, user
                           ) -> tuple[int | None, RollMark | None]:
    """(the round's data version, this person's roll entry in the budget or None) in one
    statement, for the ballot page (rounds/snapshots.py); (None, None): no such round. On
    the session's connection, without the ORM: the page reads nothing else through it."""
    row = db.session.connection().execute(_version_and_entry_query(), {
        "round_id": round_id, "budget_id": budget_id, "user_id": user.id}).first()
    if row is None:
        return None, None
    version, entry_id, channel = row
    return version, (None if entry_id is None else RollMark(entry_id, channel))


def chosen_area_budget(budget_round: BudgetRound, user) -> Budget | None:
    """The area budget this person voted in already (one area per round), if any."""
    return db.session.scalar(
        sa.select(Budget).join(VoterRollEntry, VoterRollEntry.budget_id == Budget.id)
        .where(VoterRollEntry.round_id == budget_round.id, VoterRollEntry.user_id == user.id,
               Budget.area_id.is_not(None)))
