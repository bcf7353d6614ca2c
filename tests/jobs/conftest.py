"""Fixtures for the job queue: a Redis queue of this test run's own, and config restored."""

from __future__ import annotations

import uuid

import pytest

from participation.extensions import db

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def jobs_config(app):
    """Restore the job settings a test changes."""
    keys = ("JOBS_BACKEND", "JOBS_REDIS_URL", "JOBS_QUEUE", "JOBS_RETRY_DELAYS",
            "MAIL_CLAIM_SECONDS", "MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS")
    saved = {key: app.config[key] for key in keys}
    yield app.config
    app.config.update(saved)


@pytest.fixture
def rq_app(app, jobs_config):
    """The app on RQ, with a queue (and scheduler keys) named for this test alone."""
    from redis import Redis

    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except Exception as error:  # pragma: no cover
        pytest.fail(f"Redis is not reachable at {REDIS_URL}: {error}")
    name = f"participation-test-{uuid.uuid4().hex[:12]}"
    jobs_config.update(JOBS_BACKEND="rq", JOBS_REDIS_URL=REDIS_URL, JOBS_QUEUE=name)
    yield app
    keys = list(connection.scan_iter(f"*{name}*"))
    if keys:
        connection.delete(*keys)


def mail_rows(app):
    import sqlalchemy as sa

    from participation.jobs.models import OutgoingMail

    with app.app_context():
        rows = db.session.scalars(sa.select(OutgoingMail).order_by(OutgoingMail.id)).all()
        db.session.expunge_all()
        return rows
