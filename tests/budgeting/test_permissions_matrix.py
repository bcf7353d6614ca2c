"""Every phase x role x action combination of the budgeting permission table (adhocracy+ style).

The expected table is written out here by hand, so a change in permissions.py must be made
deliberately in both places.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from participation.budgeting.rounds.permissions import ACTIONS, allowed, allowed_in_round
from participation.core.types import utcnow

PHASES = (None, "proposals", "review", "voting", "results", "implementation")
ROLES = ("anonymous", "resident", "moderator", "youth_worker", "staff", "admin")
SIGNED_IN = {"resident", "moderator", "youth_worker", "staff", "admin"}
STAFF = {"staff", "admin"}
EVERYONE = set(ROLES)

EXPECTED = {
    (None, "review_proposal"): STAFF,
    ("proposals", "submit_proposal"): SIGNED_IN,
    ("proposals", "review_proposal"): STAFF,
    ("review", "review_proposal"): STAFF,
    ("voting", "vote"): SIGNED_IN,
    ("voting", "enter_paper_ballot"): STAFF,
    ("results", "view_results"): EVERYONE,
    ("results", "post_progress_update"): STAFF,
    ("implementation", "view_results"): EVERYONE,
    ("implementation", "post_progress_update"): STAFF,
}


def person(role: str):
    if role == "anonymous":
        return SimpleNamespace(is_authenticated=False)
    roles = {"resident"} if role == "resident" else {"resident", role}
    return SimpleNamespace(is_authenticated=True, roles=roles)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("phase", PHASES)
def test_phase_role_action(phase, role, action):
    expected = role in EXPECTED.get((phase, action), set())
    assert allowed(person(role), action, phase) is expected


def test_table_names_only_known_actions():
    assert {action for _phase, action in EXPECTED} <= set(ACTIONS)
    with pytest.raises(ValueError):
        allowed(person("admin"), "launch_rocket", "voting")


def _round(published=True, closed=False, results=False, phase="voting"):
    now = utcnow()
    open_phase = SimpleNamespace(kind=phase) if phase else None
    return SimpleNamespace(
        published_at=now if published else None,
        voting_closed_at=now if closed else None,
        results_published_at=now if results else None,
        current_phase=lambda now=None: open_phase,
    )


def test_unpublished_round_allows_only_staff_review():
    draft = _round(published=False, phase="proposals")
    assert not allowed_in_round(person("resident"), "submit_proposal", draft)
    assert allowed_in_round(person("staff"), "review_proposal", draft)
    assert not allowed_in_round(person("staff"), "vote", _round(published=False))


def test_closed_voting_refuses_votes_even_inside_the_phase():
    assert allowed_in_round(person("resident"), "vote", _round())
    assert not allowed_in_round(person("resident"), "vote", _round(closed=True))


def test_finished_round_keeps_its_results_visible():
    finished = _round(closed=True, results=True, phase=None)
    assert allowed_in_round(person("anonymous"), "view_results", finished)
    assert not allowed_in_round(person("anonymous"), "view_results", _round(phase=None))
