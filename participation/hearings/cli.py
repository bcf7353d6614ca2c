"""`participation hearings ...`: close ended hearings (from cron) and list class codes."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from . import services
from .demo import echo_open_codes
from .shuffle import vacuum

hearings_group = AppGroup("hearings", help="Youth hearings: closing and class codes.")


@hearings_group.command("close-ended")
def close_ended_command() -> None:
    """Close every hearing whose closing time has passed, then drop old row versions."""
    with current_app.test_request_context():
        closed = services.close_ended()
        db.session.commit()
    if closed:
        with db.engine.connect() as connection:
            vacuum(connection)
    click.echo(f"Closed {len(closed)} hearing(s): {', '.join(map(str, closed)) or '-'}")


@hearings_group.command("codes")
def codes_command() -> None:
    """List the class session codes in use now."""
    echo_open_codes(click.echo)
