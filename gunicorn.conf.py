"""Gunicorn settings for production: `gunicorn -c gunicorn.conf.py` (see docs/operations.md).

Every setting can be changed from the environment; the app itself reads PARTICIPATION_*.
"""

import os


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (containers too)
    except AttributeError:  # pragma: no cover (not Linux)
        return os.cpu_count() or 1


wsgi_app = "participation:create_app()"
bind = os.environ.get("PARTICIPATION_BIND", "127.0.0.1:8000")
# Workers from the CPU count (gunicorn's usual 2 x cores + 1); WEB_CONCURRENCY overrides.
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * _cores() + 1)
worker_class = "gthread"
threads = int(os.environ.get("PARTICIPATION_THREADS", "4"))
timeout = int(os.environ.get("PARTICIPATION_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Restart a worker now and then so that slow leaks never grow (jitter: not all at once). A
# restart costs the new worker about 2 s of CPU (the app's start, its caches filled again):
# at 5,000 requests that was a tenth of a busy worker's time, and a voter's page waited
# seconds behind it (bench/README.md); at 50,000 a worker at 100 requests/s restarts every
# eight minutes or so. PARTICIPATION_MAX_REQUESTS changes it (0: never).
max_requests = int(os.environ.get("PARTICIPATION_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
# The reverse proxy's address(es) whose X-Forwarded-* headers are believed.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("PARTICIPATION_ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"  # heartbeat files off the disk
