"""The application factory itself (as in Flask's tutorial)."""

from participation import create_app


def test_config_testing_flag(app):
    assert app.testing
    assert not create_app({"INSTANCE_PATH": app.instance_path,
                           "SECRET_KEY": "x"}).testing


def test_environment_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("PARTICIPATION_MAX_CONTENT_LENGTH", "1234")
    monkeypatch.setenv("PARTICIPATION_DATABASE_URL", "postgresql://u@h:5432/d")
    monkeypatch.setenv("PARTICIPATION_SESSION_COOKIE_SECURE", "true")
    app = create_app({"INSTANCE_PATH": tmp_path})
    assert app.config["MAX_CONTENT_LENGTH"] == 1234
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h:5432/d"
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_secret_key_generated_once_and_kept_in_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("PARTICIPATION_SECRET_KEY", raising=False)
    first = create_app({"INSTANCE_PATH": tmp_path})
    second = create_app({"INSTANCE_PATH": tmp_path})
    assert len(first.config["SECRET_KEY"]) >= 32
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert (tmp_path / "secret_key").read_text().strip() == first.config["SECRET_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_secret_key_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTICIPATION_SECRET_KEY", "from-env")
    assert create_app({"INSTANCE_PATH": tmp_path}).config["SECRET_KEY"] == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_default_database_is_sqlite_in_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("PARTICIPATION_DATABASE_URL", raising=False)
    app = create_app({"INSTANCE_PATH": tmp_path})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'participation.db'}"
