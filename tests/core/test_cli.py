"""The `participation` command line: help everywhere, clear one-line errors, real effects."""

from __future__ import annotations

import sqlalchemy as sa
from click.testing import CliRunner

from participation.accounts.models import User
from participation.cli import main
from participation.core.models import Area, AuditEntry
from participation.core.services import latest_population
from participation.extensions import db


def _commands(group, prefix=()):
    import click

    ctx = click.Context(group)
    for name in group.list_commands(ctx):  # lazy groups (pb) list commands they import later
        command = group.get_command(ctx, name)
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


def test_every_command_has_help(app):
    commands = list(_commands(app.cli))
    assert ("users", "grant") in commands and ("translate", "compile") in commands
    assert ("pb", "tally") in commands and ("pb", "close-ended") in commands
    runner = app.test_cli_runner()
    for path in commands:
        result = runner.invoke(args=[*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Usage:" in result.output


def test_console_script_entry_point_shows_groups():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for group in ("translate", "seed", "users", "areas", "pb", "db"):
        assert group in result.output


def test_users_grant_and_revoke(app, runner, factory):
    person = factory.user(email="Staff.Person@Example.org")
    result = runner.invoke(args=["users", "grant", "staff.person@example.org", "staff"])
    assert result.exit_code == 0, result.output
    assert "now has the role staff" in result.output
    with app.app_context():
        user = db.session.get(User, person.id)
        assert user.has_role("staff") and not user.has_role("admin")
        entry = db.session.scalar(sa.select(AuditEntry).filter_by(action="role.grant"))
        assert entry.target_id == person.id and entry.actor_id is None
    again = runner.invoke(args=["users", "grant", person.email, "staff"])
    assert "already had" in again.output
    revoked = runner.invoke(args=["users", "revoke", person.email, "staff"])
    assert revoked.exit_code == 0 and "no longer has" in revoked.output


def test_users_grant_unknown_email_is_one_clear_line(runner):
    result = runner.invoke(args=["users", "grant", "nobody@example.org", "admin"])
    assert result.exit_code != 0
    assert "no account with the email address nobody@example.org" in result.output
    assert "Traceback" not in result.output


def test_users_grant_unknown_role(runner, factory):
    person = factory.user()
    result = runner.invoke(args=["users", "grant", person.email, "emperor"])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_import_population_command(app, runner, tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text("area_code,population\n5,13000\n7,11500\n", encoding="utf-8")
    result = runner.invoke(args=["areas", "import-population", str(path), "--year", "2025"])
    assert result.exit_code == 0, result.output
    assert "Imported 2 population figures" in result.output
    with app.app_context():
        area = db.session.scalar(sa.select(Area).filter_by(code=5))
        assert (latest_population(area).year, latest_population(area).population) == (2025,
                                                                                       13000)


def test_import_population_bad_row_names_line_and_changes_nothing(app, runner, tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text("area_code,year,population\n5,2025,13000\n8,2025,1\n", encoding="utf-8")
    result = runner.invoke(args=["areas", "import-population", str(path)])
    assert result.exit_code == 1
    assert "line 3: unknown area '8'" in result.output and "Traceback" not in result.output
    with app.app_context():
        area = db.session.scalar(sa.select(Area).filter_by(code=5))
        assert latest_population(area).year == 2016


def test_import_population_missing_or_binary_file(runner, tmp_path):
    missing = runner.invoke(args=["areas", "import-population", str(tmp_path / "no.csv")])
    assert missing.exit_code == 2 and "does not exist" in missing.output
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    result = runner.invoke(args=["areas", "import-population", str(binary)])
    assert result.exit_code == 1 and "not UTF-8" in result.output


def test_seed_demo_creates_one_account_per_role_once(app, runner):
    from participation.demo import DEMO_ACCOUNTS

    first = runner.invoke(args=["seed", "demo", "--if-empty"])
    assert first.exit_code == 0, first.output
    assert "Demo data created." in first.output
    with app.app_context():
        users = db.session.scalars(sa.select(User)).all()
        roles = set().union(*(u.roles for u in users))
        languages = {u.preferred_language for u in users}
    assert len(users) >= len(DEMO_ACCOUNTS)
    assert roles == {"resident", "moderator", "youth_worker", "staff", "admin"}
    assert languages == {"fi", "sv", "en"}
    second = runner.invoke(args=["seed", "demo", "--if-empty"])
    assert "demo data not added" in second.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == len(users)


def test_areas_list(runner):
    result = runner.invoke(args=["areas", "list"])
    assert result.exit_code == 0
    assert "Suur-Leppävaara / Stor-Alberga / Greater Leppävaara" in result.output


def test_unmigrated_database_is_one_clear_line(tmp_path):
    from flask.cli import ScriptInfo

    from participation import create_app

    def empty_app():
        return create_app({
            "INSTANCE_PATH": str(tmp_path),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'empty.db'}",
            "TESTING": True,
        })

    result = CliRunner().invoke(main, ["users", "list"], obj=ScriptInfo(create_app=empty_app))
    assert result.exit_code == 1
    assert "not migrated yet: run `participation db upgrade` first" in result.output
    assert "Traceback" not in result.output
