"""Read and write Pabulib `.pb` files (https://pabulib.org/format).

A file has three `;`-separated sections: META (key;value), PROJECTS (project_id;cost;...) and
VOTES (voter_id;vote[;points];...). Ids stay strings, amounts become exact Fractions. Voter
columns other than voter_id/vote/points (age, sex, ...) are personal data and are dropped.

A vote that names a project more than once (real files hold cumulative ballots written as
`579,579,579,579` with points `1,1,1,1`) is read as pabutools reads it: the project counts once,
in the place it first appears, with the points of its last mention. Each such row gives a
warning with its line number; `strict=True` refuses the file instead.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path

from .rules.model import POINT_VOTE_TYPES, VOTE_TYPES, Election, exact_amount, format_amount

SECTIONS = ("meta", "projects", "votes")


class PabulibError(ValueError):
    """A malformed Pabulib file; the message names the line."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


def parse_pb(
    source: str | os.PathLike[str],
    *,
    strict: bool = False,
    warnings: list[str] | None = None,
) -> Election:
    """Parse a Pabulib file given as a path or as the file's text.

    Repeated projects in a vote are read as pabutools reads them and noted in `warnings`
    ("line N: ..."), or refused with `strict`.
    """
    parser = _Parser(_read_text(source), strict=strict)
    election = parser.election()
    if warnings is not None:
        warnings.extend(parser.warnings)
    return election


def _read_text(source: str | os.PathLike[str]) -> str:
    if isinstance(source, str) and ("\n" in source or source.lstrip("\ufeff").startswith("META")):
        return source.lstrip("\ufeff")
    path = Path(source)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise PabulibError(f"cannot read {path}: {error.strerror or error}") from error
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise PabulibError("the file is not UTF-8 text", line) from error


def _amount(text: str, what: str, line: int) -> Fraction:
    try:
        value = exact_amount(text)
    except (ValueError, ZeroDivisionError):
        raise PabulibError(f"{what} is not a number: {text!r}", line) from None
    if value < 0:
        raise PabulibError(f"{what} is negative: {text!r}", line)
    return value


class _Parser:
    """One pass over the rows; sections may come in any order after META."""

    def __init__(self, text: str, strict: bool = False) -> None:
        self.strict = strict
        self.warnings: list[str] = []
        self.reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
        self.meta: dict[str, str] = {}
        self.project_rows: list[tuple[int, dict[str, str]]] = []
        # Votes as parallel lists of strings: 90,000 rows kept as (line, row) pairs made the
        # garbage collector walk them again and again (it doubled the parse time).
        self.vote_lines: list[int] = []
        self.vote_texts: list[str] = []
        self.voter_texts: list[str] = []
        self.point_texts: list[str] = []
        self.vote_columns: tuple[int, int | None, int | None] = (0, None, None)

    def election(self) -> Election:
        self._split_sections()
        vote_type = self.meta.get("vote_type", "").strip().lower()
        if not vote_type:
            raise PabulibError("META has no vote_type")
        if vote_type not in VOTE_TYPES:
            raise PabulibError(f"unsupported vote_type {vote_type!r}")
        if "budget" not in self.meta:
            raise PabulibError("META has no budget")
        budget = _amount(self.meta["budget"], "budget", None)
        ids, costs, extras = self._projects()
        ballots, points, voters = self._votes(ids, vote_type)
        return Election(
            budget=budget,
            project_ids=tuple(ids),
            costs=tuple(costs),
            ballots=ballots,
            points=points,
            vote_type=vote_type,
            meta=self.meta,
            project_meta=tuple(extras),
            voter_ids=voters,
        )

    def _split_sections(self) -> None:
        section = None
        header: list[str] | None = None
        seen = set()
        for row in self.reader:
            line = self.reader.line_num
            if not row or (not row[0].strip() and all(not cell.strip() for cell in row)):
                continue
            first = row[0].strip().lower()
            if first in SECTIONS and all(not cell.strip() for cell in row[1:]):
                if first in seen:
                    raise PabulibError(f"section {first.upper()} appears twice", line)
                section, header = first, None
                seen.add(first)
                continue
            if section is None:
                raise PabulibError("expected META, PROJECTS or VOTES first", line)
            if header is None:
                header = [cell.strip() for cell in row]
                self._check_header(section, header, line)
                continue
            if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
                raise PabulibError(f"{len(row)} fields but the header has {len(header)}", line)
            self._take(section, header, row, line)
        for name in SECTIONS:
            if name not in seen:
                raise PabulibError(f"the file has no {name.upper()} section")

    def _check_header(self, section: str, header: list[str], line: int) -> None:
        needed = {"meta": ("key",), "projects": ("project_id", "cost"), "votes": ("vote",)}
        missing = [name for name in needed[section] if name not in header]
        if missing:
            raise PabulibError(f"{section.upper()} header lacks {', '.join(missing)}", line)
        if section == "votes":
            self.vote_columns = (
                header.index("vote"),
                header.index("voter_id") if "voter_id" in header else None,
                header.index("points") if "points" in header else None,
            )

    def _take(self, section: str, header: list[str], row: list[str], line: int) -> None:
        if section == "meta":
            if len(row) < 2:
                raise PabulibError("META rows need key;value", line)
            self.meta[row[0].strip()] = row[1].strip()
        elif section == "projects":
            fields = {name: cell.strip() for name, cell in zip(header, row, strict=False)}
            self.project_rows.append((line, fields))
        else:
            col_vote, col_voter, col_points = self.vote_columns
            width = len(row)
            self.vote_lines.append(line)
            self.vote_texts.append(row[col_vote].strip() if col_vote < width else "")
            if col_voter is not None:
                self.voter_texts.append(row[col_voter].strip() if col_voter < width else "")
            if col_points is not None:
                self.point_texts.append(row[col_points] if col_points < width else "")

    def _projects(self) -> tuple[list[str], list[Fraction], list[dict[str, str]]]:
        ids, costs, extras = [], [], []
        seen: set[str] = set()
        for line, fields in self.project_rows:
            pid = fields.get("project_id", "")
            if not pid:
                raise PabulibError("a project has no project_id", line)
            if pid in seen:
                raise PabulibError(f"project {pid!r} is listed twice", line)
            seen.add(pid)
            ids.append(pid)
            costs.append(_amount(fields.get("cost", ""), f"cost of project {pid!r}", line))
            extras.append({k: v for k, v in fields.items() if k not in ("project_id", "cost")})
        return ids, costs, extras

    def _votes(self, ids: list[str], vote_type: str):
        index = {pid: i for i, pid in enumerate(ids)}
        _, col_voter, col_points = self.vote_columns
        with_points = vote_type in POINT_VOTE_TYPES
        if with_points and col_points is None and self.vote_lines:
            raise PabulibError(f"{vote_type} votes need a points column")
        ballot_cache: dict[str, tuple[tuple[int, ...], bool]] = {}
        point_cache: dict[str, Fraction | int] = {}
        ballots, points = [], []
        for row, (line, text) in enumerate(zip(self.vote_lines, self.vote_texts, strict=True)):
            cached = ballot_cache.get(text)
            if cached is None:
                raw = self._ballot(text, index, line)
                cached = ballot_cache[text] = (raw, len(set(raw)) != len(raw))
            ballot, repeated = cached
            values = None
            if with_points:
                values = self._points(self.point_texts[row], len(ballot), point_cache, line)
            if repeated:
                ballot, values = self._merge_repeats(ballot, values, ids, line)
            ballots.append(ballot)
            if with_points:
                points.append(values)
        voters = self.voter_texts if col_voter is not None else [
            str(v) for v in range(len(ballots))
        ]
        if len(set(voters)) != len(voters):
            raise PabulibError("voter ids are not unique")
        return tuple(ballots), (tuple(points) if with_points else None), tuple(voters)

    @staticmethod
    def _ballot(text: str, index: dict[str, int], line: int) -> tuple[int, ...]:
        names = [name.strip() for name in text.split(",")] if text.lower() != "none" else []
        names = [name for name in names if name]
        try:
            ballot = tuple(index[name] for name in names)
        except KeyError as error:
            raise PabulibError(f"vote names unknown project {error.args[0]!r}", line) from None
        return ballot

    def _merge_repeats(self, ballot, values, ids: list[str], line: int):
        """One entry per project, where it first appears, with its last points (as pabutools)."""
        counts: dict[int, int] = {}
        for project in ballot:
            counts[project] = counts.get(project, 0) + 1
        named = ", ".join(f"{ids[p]!r} {n} times" for p, n in counts.items() if n > 1)
        if self.strict:
            raise PabulibError(f"vote names a project more than once ({named})", line)
        merged: dict[int, Fraction | int | None] = {}
        for position, project in enumerate(ballot):
            merged[project] = values[position] if values is not None else None
        kept = "once, with the points of its last mention" if values is not None else "once"
        self.warnings.append(f"line {line}: vote names {named}; counted {kept}")
        return tuple(merged), (tuple(merged.values()) if values is not None else None)

    @staticmethod
    def _points(text: str, length: int, cache: dict[str, Fraction | int], line: int):
        blank = not text.strip() or text.strip().lower() == "none"
        values = [] if blank else [value.strip() for value in text.split(",")]
        if len(values) != length:
            raise PabulibError(f"{len(values)} points for {length} voted projects", line)
        out = []
        for value in values:
            number = cache.get(value)
            if number is None:  # whole points stay ints: exact, and quick to hash
                amount = _amount(value, "points", line)
                number = cache[value] = int(amount) if amount.denominator == 1 else amount
            out.append(number)
        return tuple(out)


def _cell(value: object) -> str:
    """One field: exact amounts as decimals, newlines flattened (pabutools splits lines)."""
    if isinstance(value, Fraction | int):
        shown = format_amount(Fraction(value))
        if isinstance(shown, str) and "/" in shown:
            raise ValueError(f"{value} has no exact decimal form for a Pabulib file")
        return str(shown)
    return " ".join(str(value).splitlines())


def write_pb(election: Election, meta: Mapping[str, object] | None = None) -> str:
    """A Pabulib file for an election; `meta` adds or overrides META fields."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    fields = {**election.meta, **{k: v for k, v in (meta or {}).items()}}
    fields.update(num_projects=election.num_projects, num_votes=election.num_voters)
    fields["vote_type"] = election.vote_type
    try:  # keep the file's own spelling of the budget ('400000.0') when it is the same
        same = exact_amount(str(fields.get("budget", ""))) == election.budget
    except (ValueError, ZeroDivisionError):
        same = False
    if not same:
        fields["budget"] = election.budget
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    for key, value in fields.items():
        writer.writerow([_cell(key), _cell(value)])
    columns: list[str] = []
    for extra in election.project_meta:
        columns.extend(name for name in extra if name not in columns)
    writer.writerow(["PROJECTS"])
    writer.writerow(["project_id", "cost", *columns])
    for pid, cost, extra in zip(
        election.project_ids, election.costs, election.project_meta, strict=True
    ):
        writer.writerow([pid, _cell(cost), *(_cell(extra.get(name, "")) for name in columns)])
    if any("," in pid or pid != pid.strip() or not pid for pid in election.project_ids):
        raise ValueError("project ids must be non-empty, without commas or outer spaces")
    writer.writerow(["VOTES"])
    with_points = election.points is not None
    writer.writerow(["voter_id", "vote", "points"] if with_points else ["voter_id", "vote"])
    ids = election.project_ids
    for v, ballot in enumerate(election.ballots):
        row = [election.voter_ids[v], ",".join(ids[p] for p in ballot)]
        if with_points:  # pabutools reads an empty points cell as a number: write none
            row.append(",".join(_cell(x) for x in election.points[v]) or "none")
        writer.writerow(row)
    return out.getvalue()
