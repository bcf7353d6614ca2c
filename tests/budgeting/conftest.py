"""Shared Pabulib instances for the budgeting tests: located once, parsed once per session."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from participation.budgeting.results.pabulib import parse_pb
from participation.budgeting.results.rules import RULES, Election

# The repository sits beside shared/ (locally /work/main and /work/shared; CI the same).
PABULIB_DIR = Path(__file__).resolve().parents[3] / "shared" / "pabulib"

# City rules `official` can apply, so their `selected` column is a reference.
OFFICIAL_CITY_RULES = ("greedy", "greedy-threshold", "greedy-no-skip", "equalshares/add1")


def instance_names() -> list[str]:
    """File names of the shared .pb instances; a missing shared/ is an error, never a skip."""
    names = sorted(path.name for path in PABULIB_DIR.glob("*.pb"))
    if not names:
        raise pytest.UsageError(f"no Pabulib instances at {PABULIB_DIR}: ../shared must be "
                                "beside the checkout")
    return names


@cache
def load_election(name: str) -> Election:
    return parse_pb(PABULIB_DIR / name)


@cache
def load_reference(name: str) -> dict:
    return json.loads((PABULIB_DIR / f"{name}.outcomes.json").read_text(encoding="utf-8"))


def reference_cases() -> list[tuple[str, str]]:
    """(file, rule) for every pabutools outcome with status ok that a rule here reproduces."""
    return [
        (name, outcome["rule"])
        for name in instance_names()
        for outcome in load_reference(name)["outcomes"]
        if outcome["status"] == "ok" and outcome["rule"] in RULES
    ]


def official_cases() -> list[str]:
    """Files with official winners and a city rule that `official` applies."""
    return [
        name
        for name in instance_names()
        if load_reference(name)["file_selected_project_ids"] is not None
        and load_reference(name)["meta"].get("rule") in OFFICIAL_CITY_RULES
    ]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "reference_case" in metafunc.fixturenames:
        cases = reference_cases()
        metafunc.parametrize("reference_case", cases, ids=[f"{f}-{r}" for f, r in cases])
    if "official_case" in metafunc.fixturenames:
        metafunc.parametrize("official_case", official_cases())
    if "instance_name" in metafunc.fixturenames:
        metafunc.parametrize("instance_name", instance_names())


@pytest.fixture(scope="session")
def pabulib_dir() -> Path:
    if not PABULIB_DIR.is_dir():
        pytest.fail(f"shared Pabulib instances not found at {PABULIB_DIR}")
    return PABULIB_DIR
