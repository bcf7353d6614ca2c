"""A checker that reads published rows only, as an attacker would, and reports every cell it
can work out (rule 1: a published count of 1-4 people; rule 2: a line whose published total
minus its published parts gives one hidden part, or hidden parts of fewer than 5 people)."""

from __future__ import annotations

from collections import defaultdict

DIMENSIONS = ("area_code", "age_band", "language_group")
PEOPLE_LINES = ("participants", "pb_turnout_voters")


def _number(value):
    if value in (None, "", ".."):
        return None
    return int(float(value))


def problems(rows: list[dict], indicator_id: str = "participants") -> list[str]:
    """`rows`: dicts with the export columns (values as numbers, None or "..")."""
    found = []
    cells = {}
    for row in rows:
        if row["indicator_id"] != indicator_id:
            continue
        key = tuple(row[name] or "" for name in DIMENSIONS)
        count = _number(row["numerator"])
        suppressed = str(row["suppressed"]).lower() == "true"
        if not suppressed and count is not None and 0 < count < 5:
            found.append(f"{indicator_id} {key}: {count} people published")
        cells[key] = None if suppressed else count
    # Every line: a published cell (the total) and its parts along one more dimension.
    lines = defaultdict(dict)
    for key in cells:
        for position, value in enumerate(key):
            if value:
                parent = key[:position] + ("",) + key[position + 1:]
                if parent in cells:
                    lines[(parent, position)][key] = cells[key]
    for (parent, position), parts in lines.items():
        total = cells[parent]
        hidden = [key for key, value in parts.items() if value is None]
        published = sum(value for value in parts.values() if value is not None)
        if total is None:
            if not hidden:  # every part shown: the hidden total is their sum
                found.append(f"{indicator_id} {parent} is the sum of its {DIMENSIONS[position]}"
                             f" parts: {published}")
            continue
        if not hidden:
            continue
        rest = total - published
        if len(hidden) == 1 or 0 < rest < 5:
            found.append(f"{indicator_id} {parent} along {DIMENSIONS[position]}: "
                         f"hidden {hidden} add up to {rest}")
    return found
