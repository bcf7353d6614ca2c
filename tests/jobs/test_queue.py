"""The job queue in its three modes: inline (tests), in-process thread, and RQ on Redis."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from participation.accounts.models import User
from participation.core.mail import send_mail
from participation.core.types import utcnow
from participation.extensions import db
from participation.jobs import queue, scheduler
from participation.jobs.models import JobFailure, OutgoingMail
from participation.jobs.tasks import sweep_outbox

from .conftest import mail_rows

CALLS: list[tuple] = []


@queue.task("test.flaky")
def _flaky(fail_times: int, key: str) -> str:
    """Fails `fail_times` times for `key`, then succeeds."""
    CALLS.append((key, time.monotonic()))
    if sum(1 for called, _ in CALLS if called == key) <= fail_times:
        raise RuntimeError(f"planned failure of {key}")
    return key


def _change_with_mail(app, person, rollback=False):
    with app.test_request_context():
        db.session.get(User, person.id).display_name = "Renamed"
        send_mail(person.email, "Subject", "Body")
        if rollback:
            db.session.rollback()
        db.session.commit()


def test_mail_is_stored_with_the_change_and_marked_sent(app, outbox, factory):
    person = factory.user()
    _change_with_mail(app, person)
    [row] = mail_rows(app)
    assert row.sent_at is not None and row.attempts == 1 and row.recipient == person.email
    assert len(list(outbox.glob("*.eml"))) == 1


def test_rolled_back_change_stores_no_mail(app, outbox, factory):
    _change_with_mail(app, factory.user(), rollback=True)
    assert mail_rows(app) == [] and list(outbox.glob("*.eml")) == []


def test_thread_mode_delivers_after_the_commit_and_retries_with_back_off(
        app, outbox, factory, jobs_config):
    person = factory.user()
    jobs_config.update(JOBS_BACKEND="thread", JOBS_RETRY_DELAYS=[0.2, 0.4])
    runner = queue.runner_for(app, schedule=False)  # the periodic tasks are tested below
    try:
        _wait_for_thread_work(app, outbox, person, runner)
    finally:
        queue.stop_runner(app)
    assert not runner.thread.is_alive()


def _wait_for_thread_work(app, outbox, person, runner):
    _change_with_mail(app, person)
    runner.submit("test.flaky", (2, "thread-key"))
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and (
            len([c for c in CALLS if c[0] == "thread-key"]) < 3 or not outbox.glob("*.eml")):
        time.sleep(0.05)
    assert len(list(outbox.glob("*.eml"))) == 1
    times = [at for key, at in CALLS if key == "thread-key"]
    assert len(times) == 3
    assert times[1] - times[0] >= 0.2 and times[2] - times[1] >= 0.4  # the back-off waited
    assert mail_rows(app)[0].sent_at is not None


def test_final_failure_is_recorded_and_shown_to_admins(app, factory, auth, jobs_config):
    jobs_config.update(JOBS_RETRY_DELAYS=[0, 0])
    assert queue.run_with_retries(app, "test.flaky", (5, "doomed"), sleep=lambda s: None) is False
    assert queue.run_with_retries(app, "test.flaky", (1, "lucky"), sleep=lambda s: None) is True
    with app.app_context():
        [failure] = db.session.scalars(sa.select(JobFailure)).all()
        assert failure.task == "test.flaky" and failure.attempts == 3
        assert "planned failure of doomed" in failure.error
    admin = factory.user(roles=("admin",))
    auth.login(admin.email)
    page = auth.client.get("/admin/jobs")
    assert page.status_code == 200
    assert "planned failure of doomed" in page.get_data(as_text=True)
    assert "lucky" not in page.get_data(as_text=True)
    resident = factory.user()
    auth.logout()
    auth.login(resident.email)
    assert auth.client.get("/admin/jobs").status_code == 403


def test_refused_mail_is_retried_then_kept_and_counted(app, outbox, factory, auth, jobs_config):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    jobs_config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False,
                       JOBS_RETRY_DELAYS=[0, 0])
    person = factory.user()
    _change_with_mail(app, person)
    [row] = mail_rows(app)
    assert row.failed_at is not None and row.sent_at is None and row.attempts == 3
    assert len(list((outbox / "undelivered").glob("*.eml"))) == 1
    admin = factory.user(roles=("admin",))
    auth.login(admin.email)
    shown = auth.client.get("/admin/jobs").get_data(as_text=True)
    assert "1 viesti, jota sähköpostipalvelin ei ottanut vastaan" in shown
    for kept in (outbox / "undelivered").glob("*.eml"):
        kept.unlink()


def test_sweep_requeues_a_lost_hand_off_once(app, outbox, jobs_config):
    with app.app_context():
        db.session.add(OutgoingMail(recipient="a@example.org", subject="S", message="To: a\n\nx",
                                    created_at=utcnow() - timedelta(minutes=5), attempts=0))
        db.session.commit()
        assert len(sweep_outbox()) == 1
        assert sweep_outbox() == []  # sent now
    assert len(list(outbox.glob("*.eml"))) == 1


def test_rq_mode_runs_through_redis_with_retries(rq_app, outbox, factory, jobs_config):
    from rq.worker import SimpleWorker

    jobs_config.update(JOBS_RETRY_DELAYS=[0])
    person = factory.user()
    _change_with_mail(rq_app, person)
    assert outbox.glob("*.eml") and not list(outbox.glob("*.eml"))  # waiting in Redis
    queue.enqueue("test.flaky", 1, "rq-key", app=rq_app)
    queue.enqueue("test.flaky", 9, "rq-doomed", app=rq_app)
    assert len(queue.rq_queue(rq_app)) == 3
    queue.bind(rq_app)
    connection = queue.redis_connection(rq_app)
    SimpleWorker([queue.rq_queue(rq_app, connection)], connection=connection).work(
        burst=True, with_scheduler=True)
    assert len(list(outbox.glob("*.eml"))) == 1
    assert len([c for c in CALLS if c[0] == "rq-key"]) == 2
    assert len([c for c in CALLS if c[0] == "rq-doomed"]) == 2
    with rq_app.app_context():
        failures = db.session.scalars(sa.select(JobFailure)).all()
    assert [(f.task, f.attempts) for f in failures] == [("test.flaky", 2)]
    assert "rq-doomed" in failures[0].arguments


def test_scheduler_enqueues_each_period_once_across_schedulers(rq_app):
    now = datetime(2026, 12, 3, 14, 0, 5, tzinfo=UTC)  # a 5-minute block starts at 14:00
    first = scheduler.tick(rq_app, now)
    assert set(first) == set(scheduler.SCHEDULE)
    assert scheduler.tick(rq_app, now) == []  # a second scheduler in the same minute
    later = scheduler.tick(rq_app, now + timedelta(minutes=1, seconds=1))
    assert later == ["mail.sweep"]
    assert len(queue.rq_queue(rq_app)) == len(scheduler.SCHEDULE) + 1


def test_periodic_tasks_close_rounds_and_record_figures(app):
    from participation.moderation.models import MonthlyFigures

    assert queue.run_with_retries(app, "budgeting.close_ended", ()) is True
    assert queue.run_with_retries(app, "moderation.record_figures", ()) is True
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(MonthlyFigures.id))) == 1


def test_cli_runs_a_periodic_task_and_lists_failures(app, runner):
    result = runner.invoke(args=["jobs", "run", "budgeting.close_ended"])
    assert result.exit_code == 0 and "done" in result.output
    assert runner.invoke(args=["jobs", "run", "mail.deliver"]).exit_code == 2  # needs an id
    assert "No failed tasks." in runner.invoke(args=["jobs", "failures"]).output
    assert "PARTICIPATION_JOBS_REDIS_URL" in runner.invoke(args=["jobs", "worker"]).output
