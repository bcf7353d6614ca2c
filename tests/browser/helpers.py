"""Helpers for browser tests: accessibility checks with axe-core, form filling."""

from __future__ import annotations

import json
import re

import pytest

from participation import ROOT

AXE_SCRIPT = ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[dict]:
    """Run axe-core (from npm, see the Makefile) on the page; WCAG 2.1 A and AA rules."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"axe-core missing at {AXE_SCRIPT}: run `make test`, which installs it.")
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    return result["violations"]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    summary = [
        {"rule": v["id"], "impact": v["impact"], "help": v["help"],
         "targets": [node["target"] for node in v["nodes"]][:5]}
        for v in violations
    ]
    assert not violations, f"axe-core found on {page.url}:\n{json.dumps(summary, indent=2)}"


def click_to_load(page, target) -> None:
    """Click a link or a submit button that loads another page, and return once that page has
    loaded: what follows never reads the page being left, nor one still arriving. (A click that
    JavaScript answers in place loads nothing: wait for its content instead.)"""
    locator = page.locator(target) if isinstance(target, str) else target
    with page.expect_navigation(wait_until="load"):
        locator.click()


def log_in(page, live_server, person) -> None:
    """Sign in through the login form and wait for the front page it lands on."""
    page.goto(live_server + "/login")
    page.fill("#email", person.email)
    page.fill("#password", person.password)
    click_to_load(page, "main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))
