"""`participation jobs worker|scheduler|run|failures`: the job queue's processes."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from .queue import backend, bind, redis_connection, rq_queue, run_with_retries
from .scheduler import SCHEDULE, run_forever, tick

jobs_group = AppGroup("jobs", help="Job queue: worker, scheduler and failed tasks.")


@jobs_group.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
def worker_command(burst: bool) -> None:
    """Run an RQ worker (needs PARTICIPATION_JOBS_REDIS_URL); retries wait in its scheduler."""
    from rq.worker import SimpleWorker

    app = current_app._get_current_object()
    if backend(app) != "rq":
        raise click.ClickException("Set PARTICIPATION_JOBS_REDIS_URL to run a worker; without "
                                   "Redis the app runs its tasks in-process.")
    bind(app)
    db.session.remove()  # each task opens its own session
    connection = redis_connection(app)
    # SimpleWorker: tasks run in this process, which keeps the app and its connection pool.
    worker = SimpleWorker([rq_queue(app, connection)], connection=connection)
    worker.work(burst=burst, with_scheduler=True)


@jobs_group.command("scheduler")
@click.option("--once", is_flag=True, help="Enqueue what is due now and stop.")
def scheduler_command(once: bool) -> None:
    """Enqueue the periodic tasks when they are due (one loop; several may run)."""
    app = current_app._get_current_object()
    if once:
        names = tick(app)
        click.echo(f"Enqueued: {', '.join(names)}" if names else "Nothing was due.")
        return
    run_forever(app)


@jobs_group.command("run")
@click.argument("name", type=click.Choice(sorted(SCHEDULE)))
def run_command(name: str) -> None:
    """Run one periodic task now, in this process (with the usual retries)."""
    app = current_app._get_current_object()
    ok = run_with_retries(app, name, ())
    click.echo(f"{name}: done" if ok else f"{name}: failed (see /admin/jobs)")
    if not ok:
        raise SystemExit(1)


@jobs_group.command("failures")
@click.option("--limit", default=20, show_default=True)
def failures_command(limit: int) -> None:
    """The latest tasks that failed after their last retry."""
    from .models import JobFailure

    rows = db.session.scalars(
        sa.select(JobFailure).order_by(JobFailure.failed_at.desc()).limit(limit)).all()
    for row in rows:
        click.echo(f"{row.failed_at:%Y-%m-%d %H:%M} {row.task}{row.arguments} "
                   f"({row.attempts} attempts): {row.error.splitlines()[0] if row.error else ''}")
    if not rows:
        click.echo("No failed tasks.")
    if backend(current_app) == "rq":
        click.echo(f"Queued now: {len(rq_queue(current_app))}")
