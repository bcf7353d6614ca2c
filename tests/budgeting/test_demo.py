"""The budgeting demo: a round open for voting and an earlier one with published results."""

from __future__ import annotations

import sqlalchemy as sa

from participation.budgeting.rounds.models import BudgetRound, Proposal
from participation.budgeting.voting.models import BallotEnvelope
from participation.demo import seed_demo_data
from participation.extensions import db
from tests.ideas.builders import ensure_themes


def test_demo_rounds(app, client):
    ensure_themes(app)  # the ideas demo needs the migrated themes back after clean-ups
    with app.test_request_context():
        seed_demo_data(progress=lambda _message: None)
        db.session.commit()
        rounds = db.session.scalars(sa.select(BudgetRound).order_by(BudgetRound.id)).all()
        assert len(rounds) == 2
        earlier, current = rounds
        assert earlier.results_published_at is not None
        assert current.voting_is_open() and len(current.budgets) == 8
        assert sum(b.amount for b in current.budgets) == 2_000_000
        proposals = db.session.scalars(sa.select(Proposal).where(
            Proposal.round_id == current.id)).all()
        assert len(proposals) == 10
        assert all(p.title_fi and p.title_sv and p.title_en for p in proposals)
        cast = db.session.scalar(sa.select(sa.func.count()).select_from(BallotEnvelope)
                                 .where(BallotEnvelope.round_id == current.id))
        assert cast >= 4
        current_id, earlier_id = current.id, earlier.id
    assert client.get(f"/budgeting/{current_id}").status_code == 200
    assert client.get(f"/budgeting/{earlier_id}/results").status_code == 200
    with app.test_request_context():
        assert seed_demo_data(progress=lambda _message: None)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BudgetRound)) == 2
