"""The demo seed leaves the same trail as real use: every decision it makes is in the audit log
and the moderation log, so the logs agree with what the pages show."""

from __future__ import annotations

import sqlalchemy as sa

from participation.budgeting.rounds.models import BudgetRound
from participation.core.models import AuditEntry
from participation.demo import seed_demo_data
from participation.extensions import db
from participation.moderation import registry
from participation.moderation.models import ModerationDecision


def test_demo_decisions_are_in_the_logs(app):
    with app.test_request_context():
        seed_demo_data(progress=lambda _message: None)
        db.session.commit()
        # Moderation: the latest decision on each item is the state the item is in.
        latest = {}
        for decision in db.session.scalars(sa.select(ModerationDecision)
                                           .order_by(ModerationDecision.id)):
            if decision.content_type and decision.state_after:
                latest[(decision.content_type, decision.content_id)] = decision.state_after
        assert latest, "the demo's held idea should be in the moderation log"
        for (content_type, content_id), state in latest.items():
            obj = db.session.get(registry.get(content_type).model, content_id)
            assert obj.moderation_state == state, (content_type, content_id)
        # Budgeting: every phase of every round was set through the audited service.
        for budget_round in db.session.scalars(sa.select(BudgetRound)):
            audited = set(db.session.scalars(
                sa.select(AuditEntry.reason).where(AuditEntry.action == "pb.phase.set",
                                                   AuditEntry.target_id == budget_round.id)))
            assert {phase.kind for phase in budget_round.phases} <= audited, budget_round.id
