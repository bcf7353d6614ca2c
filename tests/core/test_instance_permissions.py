"""instance/ holds the database, the secret keys and the outbox (reset links): only the
service's own user may read it, even where the default umask makes files world-readable."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from participation import create_app


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_instance_folder_database_keys_and_mail_are_private(tmp_path, open_umask):
    instance = tmp_path / "instance"
    app = create_app({"INSTANCE_PATH": instance, "TESTING": True,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'participation.db'}",
                      "PASSWORD_HASH_TIME_COST": 1, "PASSWORD_HASH_MEMORY_KIB": 1024})
    with app.app_context():
        from flask_migrate import upgrade

        from participation.core.mail import send_mail
        from participation.extensions import db

        upgrade()  # the database file, and the outbox table mail passes through
        send_mail("someone@example.org", "Reset", "http://127.0.0.1:5000/password/reset/x",
                  immediately=True)
        db.engine.dispose()
    assert _mode(instance) == 0o700
    for name in ("participation.db", "secret_key", "pseudonym_key"):
        assert _mode(instance / name) == 0o600, name
    [mail] = list((instance / "outbox").glob("*.eml"))
    assert _mode(mail) == 0o600 and _mode(instance / "outbox") == 0o700


def test_an_existing_open_instance_folder_is_closed(tmp_path, open_umask):
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    (instance / "participation.db").touch(mode=0o644)
    create_app({"INSTANCE_PATH": instance, "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'participation.db'}"})
    assert _mode(instance) == 0o700 and _mode(instance / "participation.db") == 0o600
