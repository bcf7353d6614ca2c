"""The periodic tasks and the one scheduler that enqueues them (no cron entries).

Each task has a period key (the minute block, or the month); the scheduler that first claims
a key enqueues the task. Claims live in Redis (SET NX, so several scheduler processes enqueue
each run once) or, for the embedded default, in the one app process holding a file lock.
"""

from __future__ import annotations

import fcntl
import logging
import time
from datetime import datetime
from pathlib import Path

from flask import Flask

from ..core.types import utcnow
from .queue import backend, enqueue, redis_connection

log = logging.getLogger(__name__)
SCHEDULER_TICK = 10  # seconds between looks at the schedule

# task name -> seconds between runs, or "monthly"
SCHEDULE: dict[str, int | str] = {
    "mail.sweep": 60,
    "budgeting.close_ended": 300,
    "hearings.close_ended": 300,
    "moderation.record_figures": "monthly",
    "indicators.rebuild_rollup": "monthly",
}


def period_key(every: int | str, now: datetime) -> str:
    if every == "monthly":
        return now.strftime("%Y-%m")
    return str(int(now.timestamp()) // int(every))


def due_tasks(claim, now: datetime | None = None) -> list[str]:
    """The tasks whose current period this scheduler claimed first."""
    now = now or utcnow()
    return [name for name, every in SCHEDULE.items() if claim(name, period_key(every, now))]


def redis_claim(app: Flask):
    connection = redis_connection(app)
    prefix = f"{app.config['JOBS_QUEUE']}:schedule"

    def claim(name: str, period: str) -> bool:
        return bool(connection.set(f"{prefix}:{name}:{period}", "1", nx=True, ex=40 * 24 * 3600))

    return claim


class _MemoryClaims:
    def __init__(self) -> None:
        self.last: dict[str, str] = {}

    def __call__(self, name: str, period: str) -> bool:
        if self.last.get(name) == period:
            return False
        self.last[name] = period
        return True


_LOCKS: dict[str, object] = {}
_CLAIMS = _MemoryClaims()


def _hold_scheduler_lock(app: Flask) -> bool:
    """Only one app process on this host schedules (the lock is freed when it exits)."""
    path = str(Path(app.instance_path) / "jobs-scheduler.lock")
    if path in _LOCKS:
        return True
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    handle = open(path, "w")  # noqa: SIM115 (kept open: the lock lives as long as the process)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return False
    _LOCKS[path] = handle
    return True


def tick_in_process(app: Flask, runner) -> list[str]:
    """The embedded scheduler's tick: run due tasks on this process's thread."""
    if not _hold_scheduler_lock(app):
        return []
    names = due_tasks(_CLAIMS)
    for name in names:
        runner.submit(name, ())
    return names


def tick(app: Flask, now: datetime | None = None) -> list[str]:
    """One look at the schedule: enqueue what is due (claims in Redis when RQ is used)."""
    claim = redis_claim(app) if backend(app) == "rq" else _CLAIMS
    names = due_tasks(claim, now)
    for name in names:
        enqueue(name, app=app)
    return names


def run_forever(app: Flask) -> None:  # pragma: no cover (a loop; `tick` is tested)
    log.info("Scheduler started: %s", ", ".join(SCHEDULE))
    while True:
        for name in tick(app):
            log.info("Enqueued %s", name)
        time.sleep(SCHEDULER_TICK)
