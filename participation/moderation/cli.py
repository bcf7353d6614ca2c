"""`participation moderation figures`: the moderation figures for a period, for reporting."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from ..extensions import db
from .figures import figures, month_bounds, record_month, record_previous_month

moderation_group = AppGroup("moderation", help="Moderation figures for reporting.")


def _month_bounds(month: str):
    try:
        return month_bounds(month)
    except ValueError:
        raise click.BadParameter("give the month as YYYY-MM, e.g. 2026-11") from None


@moderation_group.command("figures")
@click.option("--month", help="Calendar month, YYYY-MM (UTC). With --record and no month: "
                              "the month that has just ended.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option("--record", is_flag=True, help="Also store the month's figures for the "
                                             "indicators (overwrites an earlier record).")
def figures_command(month: str | None, as_json: bool, record: bool) -> None:
    """Median and 90th-percentile hours to a first decision, queue length, decisions by reason."""
    if month is None and not record:
        raise click.BadParameter("give the month as YYYY-MM, e.g. 2026-11", param_hint="--month")
    if record:
        if month is not None:
            _month_bounds(month)
        row = record_month(month) if month else record_previous_month()
        db.session.commit()
        month = row.month
    start, end = _month_bounds(month)
    result = figures(start, end)
    data = {
        "month": month, "items_decided": result.decided,
        "median_hours_to_first_decision": result.median_hours,
        "p90_hours_to_first_decision": result.p90_hours,
        "queue_length_now": result.queue_length,
        "decisions_per_reason": result.per_reason, "decisions_per_action": result.per_action,
        "recorded": record,
    }
    if as_json:
        click.echo(json.dumps(data, indent=2, sort_keys=True))
        return
    for key, value in data.items():
        click.echo(f"{key}: {value}")
