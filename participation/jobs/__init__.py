"""Work off the request path: outgoing mail, closing ended rounds, monthly figures.

`queue.enqueue(task, *args)` hands a task to the configured backend:
- `rq`: a Redis queue (RQ) served by `participation jobs worker`, with `participation jobs
  scheduler` enqueueing the periodic tasks; retries with back-off through RQ's Retry.
- `thread`: the embedded default (no Redis): a thread inside each app process runs the tasks
  and, in the one process holding the scheduler lock, the periodic ones.
- `inline`: the task runs at once in the caller's process (tests, one-off commands).
A task that fails after its last attempt is recorded as a `JobFailure`, listed on /admin/jobs.
"""

from __future__ import annotations

from flask import Flask

from . import tasks  # noqa: F401  (registers the tasks by name)


def init_jobs(app: Flask) -> None:
    """The admin page, and for the embedded default the in-process runner, started with the
    first request (so commands such as `db upgrade` start no thread)."""
    from .queue import backend, runner_for
    from .views import bp

    app.register_blueprint(bp)
    if backend(app) != "thread":
        return

    def start_runner() -> None:
        runner_for(app)

    app.before_request(start_runner)
