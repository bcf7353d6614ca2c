"""`pb tally`: JSON and table output, and one clear line for every user error."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from click.testing import CliRunner

from participation.budgeting.tally_cli import tally_command

from .conftest import PABULIB_DIR, load_reference

SMALL = """META
key;value
vote_type;approval
budget;100.5
rule;greedy
PROJECTS
project_id;cost;name
10;60.25;Ten
9;40;Nine
2;50;Two
VOTES
voter_id;vote
a;10,9
b;10,9
c;2
"""


def run(*args: str):
    return CliRunner().invoke(tally_command, list(args))


def test_console_script_tallies_without_building_the_app(small_file, monkeypatch):
    import participation.cli

    def no_app():
        raise AssertionError("pb tally built the Flask app")

    monkeypatch.setattr(participation.cli.main, "create_app", no_app)
    result = CliRunner().invoke(
        participation.cli.main, ["pb", "tally", str(small_file), "--rule", "greedy_cost", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["selected"] == ["10", "9"]


@pytest.fixture
def small_file(tmp_path):
    path = tmp_path / "small.pb"
    path.write_text(SMALL, encoding="utf-8")
    return str(path)


def test_json_output_shape(small_file) -> None:
    result = run(small_file, "--rule", "greedy_cost", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "rule": "greedy_cost",
        "selected": ["10", "9"],
        "total_cost": "100.25",
    }
    assert result.output.count("\n") == 1


def test_json_selected_is_plain_sorted_strings(tmp_path) -> None:
    """[project ids as strings, sorted]: Python's sorted(), '10' < '2' < '9' (not natural)."""
    path = tmp_path / "order.pb"
    path.write_text(SMALL.replace("budget;100.5", "budget;1000"), encoding="utf-8")
    result = run(str(path), "--rule", "greedy_cost", "--json")
    selected = json.loads(result.output)["selected"]
    assert selected == ["10", "2", "9"]
    assert selected == sorted(selected) and all(isinstance(pid, str) for pid in selected)


def test_json_total_is_an_int_when_whole(tmp_path) -> None:
    path = tmp_path / "whole.pb"
    path.write_text(SMALL.replace("60.25", "60"), encoding="utf-8")
    result = run(str(path), "--rule", "greedy_cost", "--json")
    assert result.output == '{"rule": "greedy_cost", "selected": ["10", "9"], "total_cost": 100}\n'


def test_json_matches_reference_file(pabulib_dir) -> None:
    name = "Poland_Swiecie_2023.pb"
    result = run(str(PABULIB_DIR / name), "--rule", "official", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    reference = load_reference(name)
    assert data["selected"] == sorted(reference["file_selected_project_ids"])
    expected = next(
        o for o in reference["outcomes"] if o["rule"] == "mes_cost_add1_until_over_budget"
    )
    assert Fraction(str(data["total_cost"])) == Fraction(expected["total_cost_exact"])


def test_table_output(small_file) -> None:
    result = run(small_file, "--rule", "official")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Rule official: 2 of 3 projects funded, 100.25 of 100.5 spent"
    assert lines[1].split() == ["project", "cost", "funded", "supporters", "note"]
    assert lines[2].split()[:3] == ["10", "60.25", "yes"]
    assert "did not fit" in lines[4]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--rule", "mes_cost"], "Missing argument"),
        (["missing.pb", "--rule", "mes_cost"], "does not exist"),
        (["SMALL", "--rule", "no_such_rule"], "unknown rule 'no_such_rule'"),
        (["SMALL", "--rule", "mes_cardinal"], "cumulative or scoring"),
        (["SMALL"], "Missing option '--rule'"),
    ],
)
def test_user_errors_are_one_clear_line(small_file, args: list[str], needle: str) -> None:
    result = run(*[small_file if arg == "SMALL" else arg for arg in args])
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert needle in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_malformed_file_names_the_line(tmp_path) -> None:
    path = tmp_path / "broken.pb"
    path.write_text(SMALL.replace("c;2", "c;7"), encoding="utf-8")
    result = run(str(path), "--rule", "greedy_cost")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {path}: line 15: vote names unknown project '7'"


def test_official_needs_a_known_city_rule(small_file, tmp_path) -> None:
    path = tmp_path / "unknown.pb"
    path.write_text(SMALL.replace("rule;greedy", "rule;unknown"), encoding="utf-8")
    result = run(str(path), "--rule", "official")
    assert result.exit_code == 1
    assert "rule 'unknown'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
