"""Idea tests: the seeded themes are put back before each test (the clean-up empties them)."""

from __future__ import annotations

import pytest

from tests.ideas.builders import ensure_themes


@pytest.fixture(autouse=True)
def _themes(app):
    ensure_themes(app)
    yield


@pytest.fixture
def resident(factory):
    return factory.user(display_name="Riikka Resident", language="en")


@pytest.fixture
def other(factory):
    return factory.user(display_name="Olli Other", language="fi")


@pytest.fixture
def staff(factory):
    return factory.user(roles=("staff",), display_name="Sari Staff", language="fi")
