"""Browser tests: Debian's Chromium driven by Playwright against the app served on 127.0.0.1.

The server runs the test session's app (same database, cleaned after each test) in a thread,
with CSRF protection on, exactly as residents meet it.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from participation import ROOT

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # the access log would drown test output
        pass


@pytest.fixture(scope="session")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs it.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _csrf_on(csrf_enabled):
    """Browser tests always post real forms with real CSRF tokens."""
    yield


def _new_context(browser, **options):
    # bypass_csp only so axe-core can be injected; the pages' own CSP is tested elsewhere.
    return browser.new_context(bypass_csp=True, **options)


@pytest.fixture
def context(browser):
    context = _new_context(browser, viewport={"width": 1280, "height": 900}, locale="fi-FI")
    yield context
    context.close()


@pytest.fixture
def page(context, request):
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)


@pytest.fixture
def new_page(browser):
    """Open extra pages (another user, another viewport, no JavaScript...)."""
    contexts = []

    def make(**options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = _new_context(browser, **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
