"""`participation backup FILE` and `participation restore FILE`: the whole database, online.

SQLite: the online backup API (a consistent copy while the site runs; the copy is itself a
SQLite database). PostgreSQL: pg_dump's custom format, restored with pg_restore in one
transaction. Only the database is copied: keys (instance/secret_key, pseudonym_key, ballot
keys) live outside it and are never in a backup; see docs/operations.md for why.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from ..extensions import db

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(click.ClickException):
    pass


def _url():
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _sqlite_path(url) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(url.database)


def _libpq(url) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore; the password goes in the environment."""
    options = ["--dbname", url.database or "postgres"]
    if url.host:
        options += ["--host", url.host]
    if url.port:
        options += ["--port", str(url.port)]
    if url.username:
        options += ["--username", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    return options, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


def backup_database(target: Path) -> str:
    """Write a consistent copy of the database to `target`; returns the database kind."""
    url = _url()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        copy = sqlite3.connect(partial)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
        kind = "sqlite"
    elif url.get_backend_name() == "postgresql":
        options, env = _libpq(url)
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
              "--file", str(partial), *options], env)
        kind = "postgresql"
    else:
        raise BackupError(f"Backups of {url.get_backend_name()} databases are not supported.")
    os.chmod(partial, 0o600)  # residents' personal data
    partial.replace(target)  # a half-written backup never carries the final name
    return kind


def restore_database(source: Path) -> str:
    """Replace the database's contents with the backup in `source`."""
    url = _url()
    with open(source, "rb") as handle:
        head = handle.read(16)
    backend = url.get_backend_name()
    if backend == "sqlite":
        if head != SQLITE_MAGIC:
            raise BackupError(f"{source} is not a SQLite backup.")
        db.session.remove()
        db.engine.dispose()  # no pooled connection may hold the old database open
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        live = sqlite3.connect(_sqlite_path(url))
        try:
            with live:
                backup.backup(live)
        finally:
            live.close()
            backup.close()
    elif backend == "postgresql":
        if not head.startswith(PG_MAGIC):
            raise BackupError(f"{source} is not a PostgreSQL (pg_dump custom format) backup.")
        db.session.remove()
        db.engine.dispose()
        options, env = _libpq(url)
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", *options, str(source)], env)
    else:
        raise BackupError(f"Backups of {backend} databases are not supported.")
    return backend


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def backup_command(file: Path) -> None:
    """Copy the whole database to FILE while the site runs (keys are not included)."""
    kind = backup_database(file)
    click.echo(f"Backed up the {kind} database to {file} (keys are not in it).")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(file: Path, yes: bool) -> None:
    """Replace the database's contents with the backup in FILE (stop the app servers first)."""
    if not yes:
        click.confirm(f"Replace everything in the database with {file}?", abort=True)
    kind = restore_database(file)
    click.echo(f"Restored the {kind} database from {file}.")
