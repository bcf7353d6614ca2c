"""Which database the session talks to: worked out once per app, right on either database,
and never with the password in it (the key names what a process keeps per database)."""

from __future__ import annotations

import sqlalchemy as sa

from participation import create_app
from participation.core.dialect import EXTENSION, database_key, session_dialect
from participation.extensions import db


def test_the_dialect_and_the_key_are_the_app_engines(app):
    with app.app_context():
        engine = db.engine
        assert session_dialect() == engine.dialect.name
        assert database_key() == engine.url.render_as_string(hide_password=True)
        assert app.extensions[EXTENSION] == (session_dialect(), database_key())


def test_each_app_has_its_own_answer_and_no_password(tmp_path):
    secret = "pg-secret-never-shown"
    apps = [create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": tmp_path / name,
                        "SECRET_KEY": "x", "PSEUDONYM_KEY": "x"})
            for name, url in (("a", f"sqlite:///{tmp_path}/a.db"),
                              ("b", f"postgresql+psycopg://bench:{secret}@127.0.0.1:1/none"))]
    answers = []
    for app in apps:
        with app.app_context():
            answers.append((session_dialect(), database_key()))
    assert [dialect for dialect, _key in answers] == ["sqlite", "postgresql"]
    assert answers[0][1] == f"sqlite:///{tmp_path}/a.db"
    assert secret not in answers[1][1] and sa.make_url(answers[1][1]).database == "none"
