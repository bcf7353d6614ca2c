"""Figures: median and p90 of the time to a first decision, recorded monthly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from participation.extensions import db
from participation.moderation import figures as figures_module
from participation.moderation.figures import (
    figures,
    median,
    percentile,
    record_month,
    record_previous_month,
)
from participation.moderation.models import ModerationDecision, MonthlyFigures

EN = {"Accept-Language": "en"}
START = datetime(2026, 10, 1, tzinfo=UTC)


@pytest.mark.parametrize("values, expected_median, expected_p90", [
    ([5.0], 5.0, 5.0),
    ([1.0, 3.0], 2.0, 3.0),
    ([4.0, 1.0, 3.0, 2.0, 10.0], 3.0, 10.0),
    ([float(n) for n in range(1, 11)], 5.5, 9.0),
    ([float(n) for n in range(1, 21)], 10.5, 18.0),
])
def test_median_and_p90(values, expected_median, expected_p90):
    ordered = sorted(values)
    assert median(ordered) == expected_median
    assert percentile(ordered, 0.9) == expected_p90


def test_empty_figures():
    assert median([]) is None and percentile([], 0.9) is None


def _decisions(moderator_id, hours_list, month_start=START):
    for number, hours in enumerate(hours_list, start=1):
        decided = month_start + timedelta(days=number)
        db.session.add(ModerationDecision(
            moderator_id=moderator_id, content_type="idea", content_id=number, action="hide",
            reason="spam" if number % 2 else "harassment", created_at=decided,
            content_created_at=decided - timedelta(hours=hours)))
        # A later decision on the same item does not count as its first.
        db.session.add(ModerationDecision(
            moderator_id=moderator_id, content_type="idea", content_id=number, action="restore",
            reason="appeal_accepted", created_at=decided + timedelta(hours=100),
            content_created_at=decided - timedelta(hours=hours)))
    db.session.flush()


def test_month_figures_are_recorded(app, moderator):
    with app.app_context():
        _decisions(moderator.id, [2, 4, 6, 8, 100])
        result = figures(START, datetime(2026, 11, 1, tzinfo=UTC))
        assert (result.decided, result.median_hours, result.p90_hours) == (5, 6, 100)
        row = record_month("2026-10")
        db.session.commit()
        assert (row.items_decided, row.median_hours, row.p90_hours) == (5, 6.0, 100.0)
        assert row.per_reason == {"spam": 3, "harassment": 2, "appeal_accepted": 5}
        again = record_month("2026-10")  # recording again overwrites, never duplicates
        db.session.commit()
        assert again.id == row.id
        assert db.session.scalar(sa.select(sa.func.count()).select_from(MonthlyFigures)) == 1
        previous = record_previous_month(datetime(2026, 11, 15, tzinfo=UTC))
        assert previous.month == "2026-10"
        assert record_previous_month(datetime(2026, 1, 3, tzinfo=UTC)).month == "2025-12"


def test_figures_command_records(app, runner, moderator):
    with app.app_context():
        _decisions(moderator.id, [1, 3])
        db.session.commit()
    result = runner.invoke(args=["moderation", "figures", "--month", "2026-10", "--record",
                                 "--json"])
    assert result.exit_code == 0, result.output
    assert '"recorded": true' in result.output
    with app.app_context():
        row = db.session.scalar(sa.select(MonthlyFigures))
        assert (row.month, row.items_decided, row.median_hours) == ("2026-10", 2, 2.0)
    bad = runner.invoke(args=["moderation", "figures", "--month", "10/2026", "--record"])
    assert bad.exit_code == 2


def test_figures_page_counts_the_queue_once(app, client, auth, moderator, idea_id,
                                            monkeypatch):
    with app.app_context():
        record_month("2026-10")
        db.session.commit()
    calls = []
    real = figures_module.figures

    def counting_queue_length():
        calls.append(1)
        return 7

    monkeypatch.setattr("participation.moderation.views_audit.queue_length",
                        counting_queue_length)
    monkeypatch.setattr("participation.moderation.queue.queue_length",
                        counting_queue_length)
    auth.login(moderator.email)
    html = client.get("/moderation/figures", headers=EN).get_data(as_text=True)
    assert len(calls) == 1 and html.count("<td>7</td>") == 3
    assert "2026-10" in html  # the recorded month is listed
    assert real is figures_module.figures
