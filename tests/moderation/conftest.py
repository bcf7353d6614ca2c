"""Moderation tests use ideas and comments as the moderated content."""

from __future__ import annotations

import pytest

from tests.ideas.builders import ensure_themes, make_comment, make_idea


@pytest.fixture(autouse=True)
def _themes(app):
    ensure_themes(app)
    yield


@pytest.fixture
def author(factory):
    return factory.user(display_name="Aila Author", language="fi")


@pytest.fixture
def moderator(factory):
    return factory.user(display_name="Mona Moderator", roles=("moderator",), language="en")


@pytest.fixture
def idea_id(app, author):
    return make_idea(app, author.id, title="A new playground", language="fi",
                     description="Leikkipuisto Tapiolaan, kiitos.")


@pytest.fixture
def comment_id(app, factory, idea_id):
    commenter = factory.user(display_name="Kalle Commenter", language="sv")
    return make_comment(app, commenter.id, idea_id, body="Bra idé!", language="sv")


@pytest.fixture(autouse=True)
def _shipped_word_lists(app):
    """Edited word lists live in instance/; put the shipped ones back after each test."""
    yield
    import shutil
    from pathlib import Path

    shutil.rmtree(Path(app.instance_path) / "moderation", ignore_errors=True)
