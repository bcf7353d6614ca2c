"""`participation backup` / `restore`: a restored database equals the backed-up one, and a
backup never holds a key."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from participation.extensions import db


def _snapshot(app) -> dict[str, list[tuple]]:
    with app.app_context():
        db.session.remove()
        rows = {}
        for table in db.metadata.sorted_tables:
            found = db.session.execute(sa.select(table)).all()
            rows[table.name] = sorted(tuple(map(repr, row)) for row in found)
        db.session.remove()
        return rows


def _key_material(app) -> list[bytes]:
    """Every key the app holds outside the database (instance files and the ballot keys)."""
    with app.app_context():
        try:
            from participation.budgeting.voting.casting import ballot_key

            ballot_key()
        except ImportError:  # the ballot keys moved; their folder is read below
            pass
    instance = Path(app.instance_path)
    files = [path for path in instance.rglob("*") if path.is_file()
             and ("key" in path.name or "ballot-keys" in path.parts)]
    material = [path.read_bytes().strip() for path in files]
    material += [app.config["SECRET_KEY"].encode(), app.config["PSEUDONYM_KEY"].encode()]
    return [key for key in material if len(key) >= 8]


def test_backup_then_restore_gives_back_the_same_database(app, runner, factory, tmp_path):
    first = factory.user(display_name="Ennen Varmuuskopiota")
    factory.user(roles=("moderator",))
    before = _snapshot(app)
    target = tmp_path / "backups" / "site.backup"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert target.exists() and not target.with_name("site.backup.partial").exists()
    assert target.stat().st_mode & 0o077 == 0  # personal data: readable by the owner only

    data = target.read_bytes()
    for key in _key_material(app):
        assert key not in data, "a key is in the database backup"

    with app.app_context():  # the database moves on after the backup
        from participation.accounts.models import User

        db.session.get(User, first.id).display_name = "Muutettu"
        db.session.commit()
    factory.user()
    assert _snapshot(app) != before

    result = runner.invoke(args=["restore", "--yes", str(target)])
    assert result.exit_code == 0, result.output
    assert _snapshot(app) == before


def test_restore_refuses_a_file_that_is_not_a_backup(app, runner, tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database")
    result = runner.invoke(args=["restore", "--yes", str(bogus)])
    assert result.exit_code == 1
    assert "is not a" in result.output and "backup" in result.output


def test_restore_asks_first(app, runner, tmp_path):
    target = tmp_path / "site.backup"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    result = runner.invoke(args=["restore", str(target)], input="n\n")
    assert result.exit_code == 1 and "Aborted" in result.output
