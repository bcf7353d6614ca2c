"""`participation moderation figures`: the moderation figures for a period, for reporting."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click
from flask.cli import AppGroup

from .figures import figures

moderation_group = AppGroup("moderation", help="Moderation figures for reporting.")


def _month_bounds(month: str) -> tuple[datetime, datetime]:
    try:
        start = datetime.strptime(month, "%Y-%m").replace(tzinfo=UTC)
    except ValueError:
        raise click.BadParameter("give the month as YYYY-MM, e.g. 2026-11") from None
    end = start.replace(year=start.year + 1, month=1) if start.month == 12 else \
        start.replace(month=start.month + 1)
    return start, end


@moderation_group.command("figures")
@click.option("--month", required=True, help="Calendar month, YYYY-MM (UTC).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def figures_command(month: str, as_json: bool) -> None:
    """Median and 90th-percentile hours to a first decision, queue length, decisions by reason."""
    start, end = _month_bounds(month)
    result = figures(start, end)
    data = {
        "month": month, "items_decided": result.decided,
        "median_hours_to_first_decision": result.median_hours,
        "p90_hours_to_first_decision": result.p90_hours,
        "queue_length_now": result.queue_length,
        "decisions_per_reason": result.per_reason, "decisions_per_action": result.per_action,
    }
    if as_json:
        click.echo(json.dumps(data, indent=2, sort_keys=True))
        return
    for key, value in data.items():
        click.echo(f"{key}: {value}")
