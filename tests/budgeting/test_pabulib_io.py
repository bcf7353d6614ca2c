"""Pabulib files: parsing real-file quirks, clear errors, and write/parse round trips."""

from __future__ import annotations

from fractions import Fraction

import pytest

from participation.budgeting.results.pabulib import PabulibError, parse_pb, write_pb
from participation.budgeting.results.rules import Election, tally

from .conftest import load_election

QUIRKY = (
    "\ufeffMETA\r\n"
    "key;value\r\n"
    'description;"A vote; with a semicolon"\r\n'
    "vote_type;cumulative\r\n"
    "budget;1000,50\r\n"
    "rule;greedy\r\n"
    "PROJECTS\r\n"
    "project_id;cost;name;selected;extra\r\n"
    'M/01/X;400.25;"Park; phase ""2""";1;a\r\n'
    "10;600;Library;0;\r\n"
    "9;100;Bench;1;\r\n"
    "VOTES\r\n"
    "voter_id;vote;points;age;sex\r\n"
    "v1;M/01/X,10;2,1;34;F\r\n"
    "v2; 9 ,M/01/X ;1,2;;\r\n"
    "v3;;;;\r\n"
    "\r\n"
    "\r\n"
)


def test_parses_real_file_quirks() -> None:
    election = parse_pb(QUIRKY)
    assert election.vote_type == "cumulative"
    assert election.budget == Fraction(2001, 2)  # decimal comma, exact
    assert election.project_ids == ("M/01/X", "10", "9")
    assert election.costs == (Fraction(1601, 4), 600, 100)
    assert election.meta["description"] == "A vote; with a semicolon"
    assert election.project_meta[0]["name"] == 'Park; phase "2"'
    assert election.ballots == ((0, 1), (2, 0), ())
    assert election.points == ((2, 1), (1, 2), ())
    assert election.voter_ids == ("v1", "v2", "v3")
    assert election.official_winners() == ("9", "M/01/X")


def test_reads_a_path_as_well_as_text(tmp_path) -> None:
    path = tmp_path / "vote.pb"
    path.write_bytes(QUIRKY.encode("utf-8"))
    assert parse_pb(path) == parse_pb(str(path)) == parse_pb(QUIRKY)


BASE = ["META", "key;value", "vote_type;approval", "budget;100", "PROJECTS", "project_id;cost"]


@pytest.mark.parametrize(
    ("lines", "message", "line"),
    [
        (BASE + ["1;50", "1;60", "VOTES", "voter_id;vote"], "listed twice", 8),
        (BASE + ["1;fifty", "VOTES", "voter_id;vote"], "not a number", 7),
        (BASE + ["1;-5", "VOTES", "voter_id;vote"], "negative", 7),
        (BASE + ["1;50", "VOTES", "voter_id;vote", "a;1", "b;1,2"], "unknown project '2'", 11),
        (BASE + ["1;50", "VOTES", "voter_id;vote", "a;1;x;y"], "fields", 10),
        (BASE + ["1;50", "VOTES", "voter_id;points"], "lacks vote", 9),
        (["PROJECTS", "project_id;cost", "1;5", "META"], "no VOTES section", None),
        (BASE + ["1;50"], "no VOTES section", None),
        (["hello", "META"], "expected META", 1),
    ],
)
def test_malformed_files_name_the_line(lines: list[str], message: str, line: int | None) -> None:
    with pytest.raises(PabulibError, match=message) as caught:
        parse_pb("\n".join(lines) + "\n")
    assert caught.value.line == line
    if line is not None:
        assert str(caught.value).startswith(f"line {line}:")


def test_short_rows_missing_voter_ids_and_votes_before_projects() -> None:
    text = "\n".join([
        "META", "key;value", "vote_type;cumulative", "budget;100",
        "VOTES", "vote;points;age",
        "1,2;3,4;30",
        "2;5",  # a short row: its age cell is missing
        "",  # blank lines between sections are skipped
        "PROJECTS", "project_id;cost", "1;50", "2;60",
    ]) + "\n"
    election = parse_pb(text)
    assert election.ballots == ((0, 1), (1,))
    assert election.points == ((3, 4), (5,))
    assert election.voter_ids == ("0", "1")  # no voter_id column: numbered in file order


def test_the_first_bad_vote_row_is_the_one_reported() -> None:
    rows = ["VOTES", "voter_id;vote;points", "a;1;1,2", "b;9;1"]  # bad points, then a bad id
    text = "\n".join(BASE).replace("approval", "cumulative") + "\n1;5\n" + "\n".join(rows)
    with pytest.raises(PabulibError, match="2 points for 1 voted") as caught:
        parse_pb(text + "\n")
    assert caught.value.line == 10


def test_meta_errors() -> None:
    without_budget = "META\nkey;value\nvote_type;approval\nPROJECTS\nproject_id;cost\n"
    with pytest.raises(PabulibError, match="no budget"):
        parse_pb(without_budget + "VOTES\nvoter_id;vote\n")
    with pytest.raises(PabulibError, match="unsupported vote_type"):
        parse_pb(without_budget.replace("approval", "quadratic") + "VOTES\nvoter_id;vote\n")
    cumulative = "\n".join(BASE).replace("approval", "cumulative")
    with pytest.raises(PabulibError, match="2 points for 1 voted"):
        parse_pb(cumulative + "\n1;5\nVOTES\nvoter_id;vote;points\na;1;1,2\n")


def test_unreadable_files(tmp_path) -> None:
    with pytest.raises(PabulibError, match="cannot read"):
        parse_pb(tmp_path / "missing.pb")
    latin = tmp_path / "latin1.pb"
    latin.write_bytes("META\nkey;value\ndescription;Kraków\n".encode("latin-1"))
    with pytest.raises(PabulibError, match="line 3: the file is not UTF-8"):
        parse_pb(latin)


def assert_same_election(left: Election, right: Election) -> None:
    for field in ("budget", "project_ids", "costs", "ballots", "points", "vote_type"):
        assert getattr(left, field) == getattr(right, field), field
    assert left.project_meta == right.project_meta
    assert left.voter_ids == right.voter_ids
    assert {k: v for k, v in right.meta.items() if k in left.meta} == left.meta


@pytest.mark.parametrize(
    "name",
    [
        "France_Toulouse_2022_1_-_Capitole_Arnaud_Bernard_Carmes.pb",  # decimal amounts
        "Poland_Krakow_2022_Mistrzejowice.pb",  # ordinal
        "Poland_Katowice_2023.pb",  # cumulative, ids like M/01/X
        "Worldwide_Mechanical_Turk_Knapsack_3.pb",  # quoted META values
    ],
)
def test_round_trip_of_shared_instances(pabulib_dir, name: str) -> None:
    election = load_election(name)
    again = parse_pb(write_pb(election))
    assert_same_election(election, again)
    assert parse_pb(write_pb(again)) == again


def test_round_trip_of_a_built_election() -> None:
    election = Election.from_ballots(
        Fraction(2001, 2),
        {"a;b": Fraction(1, 4), "10": 500, "9": "99.99"},
        [["10", "a;b"], ["9"], []],
        points=[[3, Fraction(1, 2)], [1], []],
        meta={"description": "multi\nline", "rule": "greedy"},
        project_meta={
            pid: {"name": name, "selected": chosen}
            for pid, name, chosen in [("a;b", "", "0"), ("10", 'Quote "q"', "1"), ("9", "x", "")]
        },
    )
    text = write_pb(election, {"comment": "exported"})
    again = parse_pb(text)
    assert_same_election(election.__class__(**{**vars_of(election), "meta": {}}), again)
    assert again.meta["description"] == "multi line"
    assert again.meta["comment"] == "exported"
    assert again.meta["num_votes"] == "3"
    assert again.official_winners() == ("10",)


def vars_of(election: Election) -> dict:
    fields = ("budget", "project_ids", "costs", "ballots", "points", "vote_type")
    extra = {"project_meta": election.project_meta, "voter_ids": election.voter_ids}
    return {name: getattr(election, name) for name in fields} | extra


def test_writer_refuses_amounts_without_a_decimal_form() -> None:
    election = Election.from_ballots(Fraction(1, 3), {"1": 1}, [["1"]])
    with pytest.raises(ValueError, match="decimal"):
        write_pb(election)


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("Netherlands_Assen_2024.pb", "greedy_cost"),
        ("Netherlands_Assen_2024.pb", "mes_cost"),
        ("Poland_Zabrze_2021_Konczyce.pb", "mes_cost_add1"),
    ],
)
def test_pabutools_reads_what_we_write(pabulib_dir, name: str, rule: str) -> None:
    """pabutools parses write_pb's output of a real vote and finds the same winners."""
    from pabutools.election import Cost_Sat
    from pabutools.election.pabulib import parse_pabulib_from_string
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

    election = load_election(name)
    instance, profile = parse_pabulib_from_string(write_pb(election))
    assert instance.budget_limit == election.budget
    assert profile.num_ballots() == election.num_voters
    if rule == "greedy_cost":
        theirs = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    else:
        increment = 1 if rule == "mes_cost_add1" else None
        theirs = method_of_equal_shares(
            instance, profile, sat_class=Cost_Sat, voter_budget_increment=increment
        )
    assert sorted(p.name for p in theirs) == sorted(tally(election, rule).selected)


def test_pabutools_reads_our_cumulative_files() -> None:
    from pabutools.election import Additive_Cardinal_Sat
    from pabutools.election.pabulib import parse_pabulib_from_string
    from pabutools.rules import method_of_equal_shares

    election = parse_pb(QUIRKY)
    instance, profile = parse_pabulib_from_string(write_pb(election))
    theirs = method_of_equal_shares(instance, profile, sat_class=Additive_Cardinal_Sat)
    assert sorted(p.name for p in theirs) == sorted(tally(election, "mes_cardinal").selected)
