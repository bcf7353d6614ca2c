"""`participation hearings ...`: close ended hearings and list class codes."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..jobs.tasks import close_ended_hearings
from .demo import echo_open_codes

hearings_group = AppGroup("hearings", help="Youth hearings: closing and class codes.")


@hearings_group.command("close-ended")
def close_ended_command() -> None:
    """Close every hearing whose closing time has passed, then drop old row versions (the
    job scheduler does this every five minutes)."""
    closed = close_ended_hearings()
    click.echo(f"Closed {len(closed)} hearing(s): {', '.join(map(str, closed)) or '-'}")


@hearings_group.command("codes")
def codes_command() -> None:
    """List the class session codes in use now."""
    echo_open_codes(click.echo)
