"""Ending a running vote early: staff in the UI or `participation pb close-voting` in a shell.

The voting phase is cut to end now (audited), then the ordinary close in voting.py runs, so an
early end and a natural one leave the same trace: the same close, the same erased links.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from ...core import audit
from ...core.exceptions import ServiceError
from ...core.types import utcnow
from ...extensions import db
from ..rounds.models import BudgetRound
from .casting import close_voting


def end_voting_now(budget_round: BudgetRound, actor, now: datetime | None = None) -> None:
    """End voting at `now` for everyone and close it for good (links erased)."""
    now = now or utcnow()
    if not budget_round.voting_is_open(now):
        raise ServiceError(_("Voting is not open, so there is nothing to end."))
    voting = budget_round.phase("voting")
    before = voting.ends_at
    voting.ends_at = now
    db.session.flush()
    audit.record(actor, "pb.voting.end_now", "budget_round", budget_round.id,
                 before={"ends_at": before.isoformat()}, after={"ends_at": now.isoformat()})
    close_voting(budget_round, actor, now)
