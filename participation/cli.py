"""The `participation` command: Flask's CLI with the project's command groups."""

from __future__ import annotations

import click
from flask.cli import AppGroup, FlaskGroup

from .accounts.cli import users_group
from .core.cli import areas_group, seed_group
from .ideas.cli import ideas_group
from .moderation.cli import moderation_group
from .translate import translate_group


def register_commands(app) -> None:
    for group in (translate_group, seed_group, users_group, areas_group, moderation_group,
                  ideas_group, pb_group()):
        app.cli.add_command(group)


def pb_group() -> AppGroup:
    group = AppGroup("pb", help="Participatory budgeting: tally Pabulib files and rounds.")
    from .budgeting.cli import ROUND_COMMANDS
    from .budgeting.tally_cli import tally_command

    for command in (*ROUND_COMMANDS, tally_command):
        group.add_command(command)
    return group


def _create_app():
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False,
             load_dotenv=False, set_debug_flag=False)
def main() -> None:
    """Osallistu Espoo: manage the database, translations, users, areas and tallies."""
