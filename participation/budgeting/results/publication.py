"""Which anonymous ballots are published: a budget's own only from a threshold of ballots up.

A budget with one ballot (or a handful, in a small area or a youth round) would publish one
person's ballot for anyone who knows they voted there; the results show totals only until the
budget has `PB_PUBLISH_BALLOTS_MIN` ballots (default 10). The same rule holds for the ballots
page, the Pabulib `.pb` download and the API.
"""

from __future__ import annotations

from flask import current_app

DEFAULT_MINIMUM = 10


def minimum_ballots() -> int:
    return int(current_app.config.get("PB_PUBLISH_BALLOTS_MIN", DEFAULT_MINIMUM))


def ballots_published(result) -> bool:
    """Whether the individual ballots of a budget with this stored result may be published."""
    return result is not None and (result.ballots or 0) >= minimum_ballots()
