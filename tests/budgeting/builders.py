"""Rounds, budgets and proposals for budgeting tests, built through the real services."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
import sqlalchemy as sa

from participation.accounts.models import User
from participation.budgeting.rounds import proposals as proposal_service
from participation.budgeting.rounds import setup as rounds
from participation.budgeting.rounds.models import BudgetRound, RoundPhase
from participation.core.models import Area
from participation.core.types import utcnow
from participation.extensions import db

DAY = timedelta(days=1)
# Where "now" falls for each named state: phase kind -> (start, end) offsets in days.
PHASE_PLANS = {
    "proposals": {"proposals": (-1, 1), "review": (1, 2), "voting": (2, 3), "results": (3, 4)},
    "review": {"proposals": (-3, -2), "review": (-1, 1), "voting": (2, 3), "results": (3, 4)},
    "voting": {"proposals": (-5, -4), "review": (-4, -3), "voting": (-1, 1), "results": (1, 30)},
    "results": {"proposals": (-6, -5), "review": (-5, -4), "voting": (-3, -1),
                "results": (-1, 30)},
    "before": {"voting": (5, 6)},
}


_voter_numbers = itertools.count(1)


@dataclass(frozen=True)
class VoterRef:
    id: int


@dataclass
class RoundRef:
    id: int
    budgets: dict = field(default_factory=dict)  # "city" or area code -> budget id
    proposals: dict = field(default_factory=dict)  # same keys -> [proposal ids]

    def budget(self, key="city") -> int:
        return self.budgets[key]


class PB:
    """`pb.round(...)` builds a published round in the given state with proposals on ballot."""

    def __init__(self, app, factory):
        self.app = app
        self.factory = factory
        self._staff = None

    @property
    def staff(self):
        if self._staff is None:
            self._staff = self.factory.user(roles=("staff",))
        return self._staff

    def round(self, *, state="voting", ballot_type="approval", rule="greedy", budgets=None,
              costs=None, publish=True, **settings) -> RoundRef:
        budgets = budgets if budgets is not None else {"city": 100_000, 1: 50_000}
        costs = costs if costs is not None else {key: [40_000, 30_000, 20_000, 10_000]
                                                 for key in budgets}
        staff_ref = self.staff
        with self.app.test_request_context():
            staff = db.session.get(User, staff_ref.id)
            budget_round = rounds.create_round(
                staff, title_fi="Osallistuva budjetointi", title_sv="Deltagande budgetering",
                title_en="Participatory budgeting", description_fi="Kuvaus.",
                description_sv="Beskrivning.", ballot_type=ballot_type, rule=rule, **settings)
            ref = RoundRef(budget_round.id)
            for key, amount in budgets.items():
                area_id = None if key == "city" else db.session.scalar(
                    sa.select(Area.id).where(Area.code == key))
                budget = rounds.set_budget(budget_round, area_id, amount, staff)
                ref.budgets[key] = budget.id
                ref.proposals[key] = []
                for number, cost in enumerate(costs.get(key, []), start=1):
                    proposal = proposal_service.create_proposal(
                        budget_round, budget, staff, cost=cost,
                        title_fi=f"Ehdotus {key}-{number}", title_sv=f"Förslag {key}-{number}",
                        title_en=f"Proposal {key}-{number}",
                        description_fi="Kuvaus.", description_sv="Beskrivning.")
                    proposal_service.review_proposal(proposal, staff, feasible=True)
                    ref.proposals[key].append(proposal.id)
            self._phases(budget_round, state)
            if publish:
                rounds.publish_round(budget_round, staff)
            db.session.commit()
        return ref

    @staticmethod
    def _phases(budget_round, state: str) -> None:
        now = utcnow()
        for kind, (start, end) in PHASE_PLANS[state].items():
            budget_round.phases.append(RoundPhase(kind=kind, starts_at=now + start * DAY,
                                                  ends_at=now + end * DAY))
        db.session.flush()

    def voters(self, count: int, area_code: int = 1, birth_year: int = 1990) -> list:
        """Accounts that can vote but not log in (no password hashing: fast)."""
        made = []
        with self.app.app_context():
            area_id = db.session.scalar(sa.select(Area.id).where(Area.code == area_code))
            for _ in range(count):
                user = User(email=f"voter{next(_voter_numbers)}@example.org",
                            display_name="Voter", birth_year=birth_year, home_area_id=area_id,
                            preferred_language="en", email_verified_at=utcnow())
                db.session.add(user)
                made.append(user)
            db.session.commit()
            return [VoterRef(user.id) for user in made]

    def move_to(self, round_id: int, state: str) -> None:
        """Put the round's phases where `state` says, as time passing would."""
        with self.app.app_context():
            budget_round = db.session.get(BudgetRound, round_id)
            budget_round.phases.clear()
            db.session.flush()
            self._phases(budget_round, state)
            db.session.commit()

    def get(self, model, ident):
        return db.session.get(model, ident)


@pytest.fixture(name="pb")
def pb_fixture(app, factory):
    """Import `pb_fixture` into a test module to use the `pb` fixture there."""
    return PB(app, factory)


def en(app):
    """A request context in English, so tests can read the services' messages."""
    return app.test_request_context(headers={"Accept-Language": "en"})


def sealed_ballots(app, round_id: int | None = None) -> list[dict]:
    """The cast ballots of open votes, opened with their rounds' keys (as closing would):
    dicts with round_id, budget_id, channel, sheet_number, lookup, choices and receipt."""
    import sqlalchemy as sa

    from participation.budgeting.voting import ballot_keys
    from participation.budgeting.voting.casting import open_envelope
    from participation.budgeting.voting.models import BallotEnvelope
    from participation.extensions import db

    with app.app_context():
        statement = sa.select(BallotEnvelope)
        if round_id is not None:
            statement = statement.where(BallotEnvelope.round_id == round_id)
        opened = []
        for envelope in db.session.scalars(statement):
            content = open_envelope(ballot_keys.load(envelope.round_id), envelope)
            opened.append({"round_id": envelope.round_id, "budget_id": envelope.budget_id,
                           "channel": envelope.channel, "sheet_number": envelope.sheet_number,
                           "lookup": envelope.lookup, **content})
        return opened
