"""Hand tasks to the configured backend; run them with retries and record final failures."""

from __future__ import annotations

import heapq
import itertools
import logging
import math
import threading
import time
from collections.abc import Callable

from flask import Flask, current_app

from ..core.types import utcnow
from ..extensions import db

log = logging.getLogger(__name__)
TASKS: dict[str, Callable[..., object]] = {}
_BOUND: dict[str, Flask] = {}  # the app an RQ worker process runs its tasks in


def task(name: str):
    """Register a task under a stable name (the name travels through Redis, not the code)."""

    def register(function):
        TASKS[name] = function
        return function

    return register


def backend(app: Flask) -> str:
    """rq when a Redis URL is configured, inline under tests, else the in-process thread."""
    chosen = app.config.get("JOBS_BACKEND", "auto")
    if chosen != "auto":
        return chosen
    if app.config.get("JOBS_REDIS_URL"):
        return "rq"
    return "inline" if app.testing else "thread"


def retry_delays(app: Flask) -> list[float]:
    return [float(delay) for delay in app.config["JOBS_RETRY_DELAYS"]]


def enqueue(name: str, *args, app: Flask | None = None) -> None:
    """Run task `name` off the request path (never raises: a lost hand-off is swept later)."""
    app = app or current_app._get_current_object()
    if name not in TASKS:
        raise KeyError(f"unknown task {name!r}")
    kind = backend(app)
    try:
        if kind == "rq":
            _rq_enqueue(app, name, args)
        elif kind == "thread":
            runner_for(app).submit(name, args)
        else:
            run_with_retries(app, name, args, sleep=lambda _seconds: None)
    except Exception:  # Redis down: the outbox sweep and the scheduler pick the work up again
        log.exception("Could not hand task %s%r to the %s backend", name, args, kind)


def run_task(app: Flask, name: str, args: tuple) -> object:
    """One attempt, in an app context of its own (its own database session)."""
    with app.app_context():
        try:
            return TASKS[name](*args)
        finally:
            db.session.remove()


def record_failure(app: Flask, name: str, args: tuple, error: BaseException,
                   attempts: int) -> None:
    from .models import JobFailure

    with app.app_context():
        db.session.add(JobFailure(task=name, arguments=repr(args)[:400],
                                  error=f"{type(error).__name__}: {error}"[:4000],
                                  attempts=attempts, failed_at=utcnow()))
        db.session.commit()
        db.session.remove()
    log.error("Task %s%r failed after %d attempts: %s", name, args, attempts, error)


def run_with_retries(app: Flask, name: str, args: tuple, sleep=time.sleep) -> bool:
    """Attempt the task, waiting the configured back-off between attempts (True if it ran)."""
    delays = retry_delays(app)
    for attempt in range(len(delays) + 1):
        try:
            run_task(app, name, args)
            return True
        except Exception as error:
            if attempt == len(delays):
                record_failure(app, name, args, error, attempt + 1)
                return False
            log.warning("Task %s%r failed (attempt %d), retrying in %ss: %s",
                        name, args, attempt + 1, delays[attempt], error)
            sleep(delays[attempt])
    return False


# --- RQ ---------------------------------------------------------------------------------

def redis_connection(app: Flask):
    from redis import Redis

    return Redis.from_url(app.config["JOBS_REDIS_URL"])


def rq_queue(app: Flask, connection=None):
    from rq import Queue

    return Queue(app.config["JOBS_QUEUE"], connection=connection or redis_connection(app))


def _rq_enqueue(app: Flask, name: str, args: tuple) -> None:
    from rq import Retry

    delays = [math.ceil(delay) for delay in retry_delays(app)]  # RQ counts whole seconds
    rq_queue(app).enqueue_call(
        perform, args=(name, *args), retry=Retry(max=len(delays), interval=delays) if delays
        else None, description=f"{name}{args!r}", failure_ttl=30 * 24 * 3600,
    )


def bind(app: Flask) -> None:
    """Tell this (worker) process which app its RQ tasks run in."""
    _BOUND["app"] = app


def perform(name: str, *args) -> object:
    """RQ's entry point: one attempt; the last failing attempt is recorded for the admins."""
    from rq import get_current_job

    app = _BOUND.get("app")
    if app is None:
        from .. import create_app

        app = _BOUND["app"] = create_app()
    try:
        return run_task(app, name, args)
    except Exception as error:
        job = get_current_job()
        left = job.retries_left if job is not None else 0
        if not left:
            attempts = len(retry_delays(app)) + 1
            record_failure(app, name, args, error, attempts)
        raise


# --- in-process thread --------------------------------------------------------------------

class ThreadRunner:
    """One daemon thread per app process: due tasks from a heap, and the scheduler's ticks."""

    def __init__(self, app: Flask, schedule: bool = True) -> None:
        self.app = app
        self.schedule = schedule
        self.stopped = False
        self.heap: list[tuple[float, int, str, tuple, int]] = []
        self.order = itertools.count()
        self.wake = threading.Condition()
        self.thread = threading.Thread(target=self._loop, name="participation-jobs",
                                       daemon=True)
        self.thread.start()

    def submit(self, name: str, args: tuple, delay: float = 0.0, attempt: int = 0) -> None:
        with self.wake:
            heapq.heappush(self.heap, (time.monotonic() + delay, next(self.order), name,
                                       args, attempt))
            self.wake.notify()

    def _loop(self) -> None:
        from .scheduler import SCHEDULER_TICK, tick_in_process

        next_tick = time.monotonic()
        while not self.stopped:
            now = time.monotonic()
            if now >= next_tick and self.schedule:
                next_tick = now + SCHEDULER_TICK
                try:
                    tick_in_process(self.app, self)
                except Exception:
                    log.exception("The in-process scheduler failed")
            with self.wake:
                due = self.heap[0][0] if self.heap else time.monotonic() + SCHEDULER_TICK
                if self.schedule:
                    due = min(due, next_tick)
                if due > time.monotonic():
                    self.wake.wait(timeout=due - time.monotonic())
                    continue
                if not self.heap or self.heap[0][0] > time.monotonic():
                    continue  # the scheduler's tick is due, not a task
                _due, _order, name, args, attempt = heapq.heappop(self.heap)
            self._attempt(name, args, attempt)

    def stop(self) -> None:
        with self.wake:
            self.stopped = True
            self.wake.notify()
        self.thread.join(timeout=5)

    def _attempt(self, name: str, args: tuple, attempt: int) -> None:
        delays = retry_delays(self.app)
        try:
            run_task(self.app, name, args)
        except Exception as error:
            if attempt >= len(delays):
                record_failure(self.app, name, args, error, attempt + 1)
            else:
                log.warning("Task %s%r failed, retrying in %ss", name, args, delays[attempt])
                self.submit(name, args, delay=delays[attempt], attempt=attempt + 1)


_RUNNERS: dict[int, ThreadRunner] = {}
_RUNNERS_LOCK = threading.Lock()


def runner_for(app: Flask, schedule: bool = True) -> ThreadRunner:
    with _RUNNERS_LOCK:
        runner = _RUNNERS.get(id(app))
        if runner is None or not runner.thread.is_alive():
            runner = _RUNNERS[id(app)] = ThreadRunner(app, schedule=schedule)
        return runner


def stop_runner(app: Flask) -> None:
    with _RUNNERS_LOCK:
        runner = _RUNNERS.pop(id(app), None)
    if runner is not None:
        runner.stop()
