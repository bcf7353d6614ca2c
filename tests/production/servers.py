"""Start real gunicorn app servers on the test run's database, and talk to them over HTTP."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One gunicorn app server (its own instance/ folder: it may keep nothing of its own)."""

    def __init__(self, database_url: str, instance: Path, env: dict[str, str] | None = None,
                 workers: int = 1, threads: int = 2, port: int | None = None) -> None:
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.instance = instance
        self.log = instance / f"gunicorn-{self.port}.log"
        instance.mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            "PARTICIPATION_DATABASE_URL": database_url,
            "PARTICIPATION_INSTANCE_PATH": str(instance),
            "PARTICIPATION_SECRET_KEY": "shared-test-secret",
            "PARTICIPATION_PSEUDONYM_KEY": "shared-test-pseudonym",
            "PARTICIPATION_PASSWORD_HASH_TIME_COST": "1",
            "PARTICIPATION_PASSWORD_HASH_MEMORY_KIB": "1024",
            "PARTICIPATION_ACCESS_LOG": "",
            "WEB_CONCURRENCY": str(workers),
            "PARTICIPATION_THREADS": str(threads),
            "PARTICIPATION_JOBS_BACKEND": "inline",  # no background thread in test servers
            "PARTICIPATION_PAGE_CACHE_SECONDS": "0",  # each page rendered (bench/ turns it on)
            **(env or {}),
        }
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> Server:
        self.spawn()
        return self.wait_ready(timeout)

    def spawn(self, wsgi: str | None = None) -> None:
        """Start gunicorn; `wsgi` serves another app (a benchmark baseline) the same way."""
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [str(GUNICORN), "-c", str(ROOT / "gunicorn.conf.py"),
                 "--bind", f"127.0.0.1:{self.port}", *([wsgi] if wsgi else [])],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)

    def wait_ready(self, timeout: float = 60, path: str = "/healthz") -> Server:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.base + path, timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer: {self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL the whole server (master and workers), as a crash would."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGQUIT)  # quick shutdown
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.kill()


class Browser:
    """A cookie-keeping HTTP client (one visitor), pointed at any server."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def request(self, url: str, data: dict | None = None, timeout: float = 30):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(url, data=body, timeout=timeout) as answer:
                return answer.status, answer.read().decode("utf-8", "replace"), answer.url
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), url

    def csrf(self, url: str) -> str:
        status, page, _ = self.request(url)
        found = CSRF.search(page)
        if status != 200 or not found:
            raise AssertionError(f"no form at {url} ({status})")
        return found.group(1)
