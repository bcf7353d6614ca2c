"""A job worker SIGKILLed mid-job: no mail is lost and none is sent twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from participation.core.mail import compose
from participation.core.types import utcnow
from participation.extensions import db
from participation.jobs import queue
from participation.jobs.models import OutgoingMail
from participation.jobs.tasks import deliver_mail, outbox_path, sweep_outbox

from .conftest import mail_rows

MAILS = 100
PARTICIPATION = Path(sys.executable).with_name("participation")


def _store_mails(app, count: int) -> list[int]:
    with app.test_request_context():
        rows = [OutgoingMail(recipient=f"r{n}@example.org", subject=f"S{n}",
                             message=compose(f"r{n}@example.org", f"S{n}", "Body").as_string(),
                             created_at=utcnow(), attempts=0) for n in range(count)]
        db.session.add_all(rows)
        db.session.commit()
        ids = [row.id for row in rows]
        db.session.remove()
    return ids


def _worker(app, database_url: str, instance: Path) -> subprocess.Popen:
    env = {**os.environ,
           "PARTICIPATION_DATABASE_URL": database_url,
           "PARTICIPATION_INSTANCE_PATH": str(instance),
           "PARTICIPATION_SECRET_KEY": "worker-test", "PARTICIPATION_PSEUDONYM_KEY": "worker-test",
           "PARTICIPATION_JOBS_REDIS_URL": app.config["JOBS_REDIS_URL"],
           "PARTICIPATION_JOBS_QUEUE": app.config["JOBS_QUEUE"],
           "PARTICIPATION_JOBS_RETRY_DELAYS": "[1]",
           "PARTICIPATION_MAIL_CLAIM_SECONDS": str(app.config["MAIL_CLAIM_SECONDS"]),
           "PARTICIPATION_OUTBOX_DIR": app.config["OUTBOX_DIR"]}
    return subprocess.Popen([str(PARTICIPATION), "jobs", "worker", "--burst"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def _delivered_ids(outbox: Path) -> list[int]:
    return [int(path.stem.rsplit("-", 1)[1]) for path in outbox.glob("*.eml")]


def test_worker_killed_mid_job_loses_no_mail_and_sends_none_twice(
        rq_app, outbox, database_url, tmp_path, jobs_config):
    jobs_config.update(MAIL_CLAIM_SECONDS=2)
    ids = _store_mails(rq_app, MAILS)
    for mail_id in ids:
        queue.enqueue("mail.deliver", mail_id, app=rq_app)
    worker = _worker(rq_app, database_url, tmp_path / "worker")
    deadline = time.monotonic() + 60
    while len(_delivered_ids(outbox)) < MAILS // 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(worker.pid, signal.SIGKILL)  # mid-queue, most likely mid-job
    worker.wait(timeout=10)
    assert MAILS // 4 <= len(_delivered_ids(outbox)) < MAILS, "the kill did not land mid-run"

    time.sleep(2.1)  # the killed worker's delivery lease expires
    with rq_app.app_context():
        sweep_outbox(now=utcnow() + timedelta(minutes=1))  # re-queues what was in flight
    second = _worker(rq_app, database_url, tmp_path / "worker")
    assert second.wait(timeout=120) == 0

    delivered = _delivered_ids(outbox)
    assert sorted(delivered) == sorted(ids), "a mail was lost or sent twice"
    assert all(row.sent_at is not None for row in mail_rows(rq_app))


def test_delivery_interrupted_after_writing_is_not_written_again(app, outbox, jobs_config):
    """The window a kill can hit: the message is out, the row not yet marked sent."""
    jobs_config.update(MAIL_CLAIM_SECONDS=0)
    [mail_id] = _store_mails(app, 1)
    with app.app_context():
        mail = db.session.get(OutgoingMail, mail_id)
        outbox_path(outbox, mail).write_bytes(mail.message.encode())  # written, then "killed"
        db.session.execute(sa.update(OutgoingMail).values(claimed_at=utcnow() - timedelta(1)))
        db.session.commit()
        assert deliver_mail(mail_id) is True  # the lease expired: tried again...
        assert deliver_mail(mail_id) is False  # ...once
    assert len(list(outbox.glob("*.eml"))) == 1
