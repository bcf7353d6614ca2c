"""The staff tables: breakdowns the public pages do not show (area x age group x language
group, area x channel), under the same disclosure rules.

The public cells are protected first (compute.publish_people) and stay as published: the
staff cells are protected on top of them, hiding only staff cells, so that no staff table,
together with the public pages, gives back a hidden cell. Each line of a staff table adds up
to a public cell (a table of two, an area) or to a channel total, and the lines are filled
with zeros, so a zero can be hidden as a complement (a zero whose line total is zero is
known and never is; nor is a cell a reader can already work out from another line). If a
line would still give a hidden cell back, that kind of table is withheld for the period.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.disclosure import MIN_CELL, is_small
from .cells import DIMENSIONS, UNKNOWN, margin, people_cube
from .compute import known_values, publish_people
from .models import CHANNELS
from .periods import Period

CHANNEL = "channel"


@dataclass
class StaffTables:
    # (area, age group, language group) and (CHANNEL, area or "", channel) -> count or None
    cells: dict = field(default_factory=dict)
    triples_withheld: bool = False
    channels_withheld: bool = False

    def shown(self, key: tuple) -> int | None:
        return 0 if key not in self.cells else self.cells[key]


def _values(public: dict, position: int) -> list[str]:
    dimension = DIMENSIONS[position]
    seen = {key[position] for key in public if key[position] and key[0] != "inclusive"}
    return [*known_values(dimension), *sorted(seen - set(known_values(dimension)))]


def staff_cells(cube, published: dict) -> tuple[dict, list[tuple]]:
    """(staff cells -> true count, their equations: (total, parts))."""
    public = {key: count for key, (count, _shown) in published.items()}
    cells: dict = {}
    triples = margin(cube, *DIMENSIONS)
    areas, ages, languages = (_values(public, position) for position in range(3))
    lines: dict = {}
    for key in ((a, b, c) for a in areas for b in ages for c in languages):
        cells[key] = triples.get(key, 0)
        for position in range(3):
            parent = tuple("" if index == position else part for index, part in enumerate(key))
            lines.setdefault((parent, position), []).append(key)
    by_channel = margin(cube, "area", "channel")
    for channel in CHANNELS:
        cells[(CHANNEL, "", channel)] = sum(count for (_area, name), count in by_channel.items()
                                            if name == channel)
        for area in areas:
            key = (CHANNEL, area, channel)
            cells[key] = by_channel.get((area, channel), 0)
            lines.setdefault(((area, "", ""), "channels"), []).append(key)
            lines.setdefault(((CHANNEL, "", channel), "areas"), []).append(key)
    lines[(("", "", ""), "channels")] = [(CHANNEL, "", channel) for channel in CHANNELS]
    return cells, [(total, parts) for (total, _line), parts in lines.items()]


def protect_staff(public: dict, cells: dict, equations: list[tuple]) -> tuple[set, bool]:
    """Staff cells to hide (public cells stay as they are); True if that cannot be done."""
    counts = {**{key: count for key, (count, _shown) in public.items()}, **cells}
    hidden = {key for key, (_count, shown) in public.items() if shown is None}
    hidden |= {key for key, count in cells.items() if is_small(count)}
    known_zero = {part for total, parts in equations if counts.get(total, 0) == 0
                  for part in parts}
    lines_of: dict = {}
    for total, parts in equations:
        for part in parts:
            lines_of.setdefault(part, []).append((total, parts))

    def stuck(cell) -> bool:
        """Hidden, the cell would be the only unknown of a line whose total is shown and
        whose other parts are known zeros: a reader gets it back whatever else is hidden."""
        return any(total not in hidden and total not in cells
                   and all(part == cell or (part in known_zero and part not in hidden)
                           for part in parts)
                   for total, parts in lines_of[cell])

    changed = True
    while changed:
        changed = False
        for total, parts in equations:
            # A hidden zero is unknown to a reader, so it counts like any hidden part.
            hidden_parts = [key for key in parts if key in hidden]
            members = len(hidden_parts) + (total in hidden)
            small_rest = total not in hidden and hidden_parts and \
                sum(counts[key] for key in hidden_parts) < MIN_CELL
            if members != 1 and not small_rest:
                continue
            candidates = sorted((counts[key] == 0, counts[key], key) for key in parts
                                if key not in hidden and key not in known_zero
                                and not stuck(key))
            if candidates:
                hidden.add(candidates[0][2])
            elif total in cells and total not in hidden:
                hidden.add(total)
            else:
                return hidden, True
            changed = True
    return hidden, False


def staff_tables(period: Period) -> StaffTables:
    start, end = period.bounds()
    cube = people_cube(start, end, period)
    published = publish_people(cube)
    cells, equations = staff_cells(cube, published)
    tables = StaffTables()
    # The two kinds of table share no line, so each is protected (or withheld) on its own.
    for channels in (False, True):
        own = {key: count for key, count in cells.items() if (key[0] == CHANNEL) == channels}
        hidden, failed = protect_staff(published, own, [
            (total, parts) for total, parts in equations if parts[0] in own])
        if failed:
            setattr(tables, "channels_withheld" if channels else "triples_withheld", True)
            continue
        tables.cells.update({key: None if key in hidden else count
                             for key, count in own.items()})
    return tables


def table_areas(tables: StaffTables, area_filter: str) -> list[str]:
    """The areas whose three-way table is shown: the chosen one, else every known area."""
    areas = sorted({key[0] for key in tables.cells if key[0] != CHANNEL and key[0] != UNKNOWN},
                   key=lambda code: (not code.isdigit(), int(code) if code.isdigit() else 0))
    return [area_filter] if area_filter in areas else areas
