"""gunicorn.conf.py: workers from the CPU count, and worker restarts rare enough to be cheap
(a restart costs the new worker about 2 s of CPU: bench/README.md)."""

from __future__ import annotations

import os
import runpy

import pytest

from participation import ROOT

NAMES = ("WEB_CONCURRENCY", "PARTICIPATION_THREADS", "PARTICIPATION_MAX_REQUESTS")


def _settings(monkeypatch, **env) -> dict:
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_workers_come_from_the_cores(monkeypatch):
    settings = _settings(monkeypatch)
    assert settings["workers"] == 2 * len(os.sched_getaffinity(0)) + 1
    assert (settings["worker_class"], settings["threads"]) == ("gthread", 4)


def test_a_worker_serves_tens_of_thousands_of_requests_between_restarts(monkeypatch):
    """At 5,000 a busy worker spent a tenth of its time starting again (the ballot page fell
    to 3.9 % of hello beside 9.2 % at 50,000, alternating)."""
    settings = _settings(monkeypatch)
    assert settings["max_requests"] >= 50_000
    assert 0 < settings["max_requests_jitter"] < settings["max_requests"]


@pytest.mark.parametrize("value, expected", [("20000", 20_000), ("0", 0)])
def test_the_environment_sets_them(monkeypatch, value, expected):
    settings = _settings(monkeypatch, PARTICIPATION_MAX_REQUESTS=value, WEB_CONCURRENCY="3",
                         PARTICIPATION_THREADS="2")
    assert (settings["max_requests"], settings["workers"], settings["threads"]) == \
        (expected, 3, 2)
