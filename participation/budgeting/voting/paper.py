"""In-person voting: staff check identity and mark the voter roll, then enter paper sheets.

Registering the person and entering their sheet are two separate acts: the sheet goes into a box
and is entered later with its printed number, so the ballot is as anonymous as an online one.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from ...core import audit
from ...core.dialect import session_dialect
from ...core.exceptions import ServiceError
from ...core.models import Area, age_band_for
from ...core.types import utcnow
from ...extensions import db
from ...indicators.services import participant_key, record_event
from ..rounds.models import Budget, BudgetRound
from ..rounds.permissions import allowed_in_round
from . import ballot_keys
from .ballots import check_choices
from .casting import (
    SealedBallot,
    claim_roll_entry,
    insert_roll_entry,
    open_envelope,
    refuse_if_closed,
    store_ballot,
)
from .eligibility import (
    account_person_keys,
    accounts_with_identity,
    budget_refusal,
    eligibility_refusal,
    in_person_entry,
    verify_in_person,
    voter_roll_entry,
)
from .identity import identity_key, round_person_key
from .models import Ballot, BallotEnvelope, VoterRollEntry

IN_PERSON_CHANNELS = ("paper", "assisted")


def _check_staff_may_enter(budget_round: BudgetRound, actor, now: datetime | None) -> None:
    if not (allowed_in_round(actor, "enter_paper_ballot", budget_round, now)
            and budget_round.voting_is_open(now)):
        raise ServiceError(_("In-person votes can be registered and entered only while voting "
                             "is open."))


def register_in_person_voter(budget_round: BudgetRound, budget: Budget, person, actor, *,
                             channel: str, document: str, full_name: str = "",
                             birth_date: date | None = None,
                             now: datetime | None = None) -> VoterRollEntry:
    """Mark `person` as having voted in `budget` at a service point (identity checked).

    The document's name and date of birth are required: the in-person register of people
    without an account is checked with them, and the account's staff check keeps their keyed
    hash, so the same person cannot be registered again without the account (or after
    deleting it)."""
    _check_staff_may_enter(budget_round, actor, now)
    if channel not in IN_PERSON_CHANNELS:
        raise ServiceError(_("Choose paper or assisted voting."), "channel")
    if person is None or not person.is_active:
        raise ServiceError(_("No account was found with that email address."), "email")
    if not (document or "").strip():
        raise ServiceError(_("Say which identity document you checked."), "document")
    _check_identity_given(full_name, birth_date, now)
    # Seeing the person and their document is the strongest check there is: skip the level.
    refusal = eligibility_refusal(budget_round, person, now)
    if refusal is not None and refusal.code not in ("verification", "email_unverified"):
        raise ServiceError(_("This person cannot vote: %(reason)s", reason=refusal.message))
    earlier = voter_roll_entry(budget, person)
    if earlier is not None:
        if earlier.channel == "web":
            raise ServiceError(_("This person has already voted online in this budget."),
                               "email")
        raise ServiceError(_("This person has already been registered to vote in this "
                             "budget at a service point."), "email")
    keys = account_person_keys(budget_round, person)
    keys.add(person_key(budget_round, full_name, birth_date))
    if in_person_entry(budget_round, budget, keys) is not None:
        raise ServiceError(_("This person has already voted at a service point without an "
                             "account (same name and date of birth)."), "email")
    refusal = budget_refusal(budget_round, budget, person)
    if refusal is not None:
        raise ServiceError(_("This person cannot vote: %(reason)s", reason=refusal.message))
    entry, created = claim_roll_entry(budget, person, channel, registered_by=actor)
    if entry is None or not created:
        raise ServiceError(_("This person has already voted in this budget."), "email")
    verify_in_person(person, actor, document=document, full_name=full_name,
                     birth_date=birth_date)
    record_event("ballot_cast", user=person, process=budget_round, channel=channel)
    audit.record(actor, "pb.voter.register_in_person", "user", person.id,
                 reason=document.strip()[:200],
                 after={"round_id": budget_round.id, "budget_id": budget.id, "channel": channel})
    return entry


def person_key(budget_round: BudgetRound, full_name: str, birth_date: date) -> str:
    """A keyed hash standing for a person without an account (name and date of birth)."""
    return round_person_key(budget_round.id, identity_key(full_name, birth_date))


def _check_identity_given(full_name: str, birth_date: date | None,
                          now: datetime | None) -> None:
    if not (full_name or "").strip():
        raise ServiceError(_("Write the person's name as on the identity document."),
                           "full_name")
    if birth_date is None or not 1900 <= birth_date.year <= (now or utcnow()).year:
        raise ServiceError(_("Give the person's date of birth."), "birth_date")


def _check_person_without_account(budget_round: BudgetRound, budget: Budget, *,
                                  full_name: str, birth_date: date | None,
                                  home_area_id: int | None, now: datetime | None) -> int:
    """The person's age this year, or ServiceError saying why they cannot vote here."""
    _check_identity_given(full_name, birth_date, now)
    age = (now or utcnow()).year - birth_date.year
    if age < budget_round.min_age or (budget_round.max_age is not None
                                      and age > budget_round.max_age):
        raise ServiceError(_("This person cannot vote: the round's age limits do not allow "
                             "it."), "birth_date")
    if home_area_id is None or db.session.get(Area, home_area_id) is None:
        raise ServiceError(_("Choose the major area where the person lives."), "home_area")
    if budget_round.area_id is not None and home_area_id != budget_round.area_id:
        raise ServiceError(_("This person cannot vote: the round is for residents of another "
                             "area."), "home_area")
    if budget.area_id is not None and budget.area_id != home_area_id \
            and not budget_round.allow_other_area:
        raise ServiceError(_("This person can vote in the budget of their home area only."),
                           "budget")
    return age


def register_in_person_without_account(
        budget_round: BudgetRound, budget: Budget, actor, *, full_name: str,
        birth_date: date | None, home_area_id: int | None, channel: str, document: str,
        now: datetime | None = None) -> VoterRollEntry:
    """In-person voting for someone with no account (children under the registration age,
    people without email): the roll keeps a keyed hash of name and birth date, not the name."""
    _check_staff_may_enter(budget_round, actor, now)
    if channel not in IN_PERSON_CHANNELS:
        raise ServiceError(_("Choose paper or assisted voting."), "channel")
    if not (document or "").strip():
        raise ServiceError(_("Say which identity document you checked."), "document")
    if budget.round_id != budget_round.id:
        raise ServiceError(_("Choose a budget of this round."), "budget")
    age = _check_person_without_account(budget_round, budget, full_name=full_name,
                                        birth_date=birth_date, home_area_id=home_area_id,
                                        now=now)
    identity = identity_key(full_name, birth_date)
    if accounts_with_identity(identity):
        # Their account's roll entry is what stops them voting online as well.
        raise ServiceError(_("This person has an account whose identity staff have checked. "
                             "Register them with the account's email address instead."),
                           "email")
    key = round_person_key(budget_round.id, identity)
    entry = insert_roll_entry({
        "round_id": budget_round.id, "budget_id": budget.id, "user_id": None,
        "person_key": key, "slot": budget.slot, "channel": channel, "voted_at": utcnow(),
        "registered_by_id": getattr(actor, "id", None)})
    if entry is None:
        raise ServiceError(_("This person has already voted at a service point in this budget "
                             "(or in another area's budget)."), "full_name")
    record_event("ballot_cast", key=participant_key(key), process=budget_round,
                 area_id=home_area_id, channel=channel, age_band=age_band_for(age))
    audit.record(actor, "pb.voter.register_in_person", "budget_round", budget_round.id,
                 reason=document.strip()[:200],
                 after={"budget_id": budget.id, "channel": channel, "account": False})
    return entry


def paper_counts(budget: Budget) -> tuple[int, int]:
    """(people registered to vote in person, in-person ballots entered) for a budget."""
    registered = db.session.scalar(
        sa.select(sa.func.count()).select_from(VoterRollEntry).where(
            VoterRollEntry.budget_id == budget.id,
            VoterRollEntry.channel.in_(IN_PERSON_CHANNELS)))
    entered = sum(db.session.scalar(
        sa.select(sa.func.count()).select_from(model).where(
            model.budget_id == budget.id, model.channel.in_(IN_PERSON_CHANNELS))) or 0
        for model in (BallotEnvelope, Ballot))  # sealed while open, opened after closing
    return registered or 0, entered


def enter_paper_ballot(budget_round: BudgetRound, budget: Budget, actor, *, sheet_number: int,
                       choices: dict[int, int], channel: str = "paper",
                       now: datetime | None = None) -> SealedBallot:
    """Enter one numbered sheet; each number once per round, never more sheets than voters.

    The sheet is sealed into an envelope like an online ballot and goes through the same
    closing; its number is kept only on the envelope (to refuse it twice), never on the
    anonymous ballot, so the audit record of its entry leads to no ballot after closing."""
    _check_staff_may_enter(budget_round, actor, now)
    refuse_if_closed(budget_round)
    if channel not in IN_PERSON_CHANNELS:
        raise ServiceError(_("Choose paper or assisted voting."), "channel")
    if budget.round_id != budget_round.id:
        raise ServiceError(_("Choose a budget of this round."), "budget")
    if sheet_number is None or sheet_number <= 0:
        raise ServiceError(_("Give the number printed on the sheet."), "sheet_number")
    lock_budget(budget)
    taken = db.session.scalar(sa.select(BallotEnvelope.id).filter_by(
        round_id=budget_round.id, sheet_number=sheet_number))
    if taken is not None:
        raise ServiceError(_("Sheet number %(number)d has already been entered.",
                             number=sheet_number), "sheet_number")
    registered, entered = paper_counts(budget)
    if entered >= registered:
        raise ServiceError(_("Every person registered to vote in person in this budget already "
                             "has a ballot entered. Register the voter first."))
    choices = check_choices(budget_round, budget, choices, final=True)
    ballot = store_ballot(budget, choices, channel=channel, sheet_number=sheet_number)
    # Who entered which sheet and when; never the choices (they are on the anonymous ballot).
    audit.record(actor, "pb.paper_ballot.enter", "budget", budget.id,
                 reason=str(sheet_number),
                 after={"sheet_number": sheet_number, "channel": channel})
    return ballot


def lock_budget(budget: Budget) -> None:
    """Serialise sheet entry per budget, so "sheets <= registered voters" holds under load.

    PostgreSQL: a row lock on the budget until commit. SQLite: a write to the row takes the
    database's write lock at once, so a second entry waits instead of counting stale rows.
    """
    if session_dialect() == "postgresql":
        db.session.execute(sa.select(Budget.id).where(Budget.id == budget.id).with_for_update())
    else:
        db.session.execute(sa.update(Budget).where(Budget.id == budget.id)
                           .values(position=Budget.position)
                           .execution_options(synchronize_session=False))


def paper_receipt(budget_round: BudgetRound, budget: Budget, sheet_number: int) -> str | None:
    """The receipt code of an entered sheet, for staff to print and hand over (while voting
    is open: afterwards sheets and ballots can no longer be matched, by design)."""
    envelope = db.session.scalar(sa.select(BallotEnvelope).where(
        BallotEnvelope.round_id == budget_round.id, BallotEnvelope.budget_id == budget.id,
        BallotEnvelope.sheet_number == sheet_number,
        BallotEnvelope.channel.in_(IN_PERSON_CHANNELS)))
    keys = ballot_keys.load(budget_round.id)
    if envelope is None or keys is None:
        return None
    return open_envelope(keys, envelope)["receipt"]
