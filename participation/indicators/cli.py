"""`participation indicators export` and `participation indicators report`."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from .periods import PeriodError, parse_period

indicators_group = AppGroup("indicators", help="Goal 1 participation indicators.")


@indicators_group.command("export")
@click.option("--period", "period_text", required=True,
              help="2026, 2026-Q1, 2026-03 or 2026-01-01..2026-06-30 (Helsinki time).")
@click.option("--format", "fmt", type=click.Choice(["csv", "json", "jsonstat"]),
              default="csv", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output.")
def export_command(period_text: str, fmt: str, output: Path | None) -> None:
    """Print (or write) the period's indicator rows, small groups suppressed."""
    from .exports import render

    try:
        period = parse_period(period_text)
    except PeriodError as error:
        raise click.BadParameter(str(error), param_hint="--period") from None
    body, _mimetype, _filename = render(period, fmt)
    if output:
        output.write_text(body, encoding="utf-8")
        click.echo(f"Wrote the indicators of {period.code} to {output}.", err=True)
    else:
        click.echo(body, nl=False)


@indicators_group.command("report")
@click.option("--year", type=click.IntRange(2000, 2100), required=True)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--language", type=click.Choice(["fi", "sv", "en"]), default="fi",
              show_default=True)
def report_command(year: int, output: Path, language: str) -> None:
    """Write the annual participation report as a printable HTML file."""
    from .views import report_page

    with current_app.test_request_context(f"/figures/report/{year}"), force_locale(language):
        html = report_page(year)
    output.write_text(html, encoding="utf-8")
    click.echo(f"Wrote the participation report {year} ({language}) to {output}.")


@indicators_group.command("rollup")
def rollup_command() -> None:
    """Rebuild the participant-period roll-up from the participation events."""
    from ..extensions import db
    from .rollup import rebuild

    rows = rebuild()
    db.session.commit()
    click.echo(f"Rebuilt the participation roll-up: {rows} person-period rows.")
