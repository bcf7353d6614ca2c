"""The `participation` command: Flask's CLI with the project's command groups."""

from __future__ import annotations

import importlib

import click
from flask.cli import FlaskGroup


def _import(path: str) -> click.Command:
    module, _, attribute = path.partition(":")
    return getattr(importlib.import_module(module), attribute)


class _LazyGroup(click.Group):
    """A group whose commands are imported when named: `pb tally` needs no web stack."""

    def __init__(self, name: str, commands_at: dict[str, str], **kwargs) -> None:
        super().__init__(name, **kwargs)
        self.commands_at = commands_at

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.commands_at})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.commands_at:
            return _import(self.commands_at[name])
        return super().get_command(ctx, name)


pb_group = _LazyGroup(
    "pb",
    help="Participatory budgeting: tally Pabulib files and rounds.",
    commands_at={  # the round commands load the app themselves (with_appcontext)
        "tally": "participation.budgeting.tally_cli:tally_command",
        "close-voting": "participation.budgeting.cli:close_voting_command",
        "publish-results": "participation.budgeting.cli:publish_results_command",
        "close-ended": "participation.budgeting.cli:close_ended_command",
    },
)

# The project's groups by import path, imported when named; `participation pb tally` then
# starts without building the app (a quarter of a second instead of well over one).
GROUPS = {
    "translate": "participation.translate:translate_group",
    "seed": "participation.core.cli:seed_group",
    "users": "participation.accounts.cli:users_group",
    "areas": "participation.core.cli:areas_group",
    "moderation": "participation.moderation.cli:moderation_group",
    "ideas": "participation.ideas.cli:ideas_group",
    "pb": "participation.cli:pb_group",
    "hearings": "participation.hearings.cli:hearings_group",
    "indicators": "participation.indicators.cli:indicators_group",
    "jobs": "participation.jobs.cli:jobs_group",
    "backup": "participation.core.backup:backup_command",
    "restore": "participation.core.backup:restore_command",
}


def register_commands(app) -> None:
    for path in GROUPS.values():
        app.cli.add_command(_import(path))


# How SQLite and PostgreSQL say that a table or column the code expects is not there.
_MISSING_SCHEMA = ("no such table", "no such column", "UndefinedTable", "UndefinedColumn")


class _Main(FlaskGroup):
    """Flask's group that finds the project's groups without building the app first, and
    says in one line when the database has not been migrated yet."""

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in GROUPS:
            return _import(GROUPS[name])
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except Exception as error:  # sqlalchemy is not imported here: `pb tally` needs none
            if type(error).__module__.startswith("sqlalchemy") and any(
                sign in str(error) for sign in _MISSING_SCHEMA
            ):
                raise click.ClickException(
                    "the database is not migrated yet: run `participation db upgrade` first"
                ) from None
            raise


def _create_app():
    from . import create_app

    return create_app()


@click.group(cls=_Main, create_app=_create_app, add_version_option=False,
             load_dotenv=False, set_debug_flag=False)
def main() -> None:
    """Osallistu Espoo: manage the database, translations, users, areas and tallies."""

