"""Votes that name a project more than once: read as pabutools reads them, warned, or refused."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from participation.budgeting.results.pabulib import PabulibError, parse_pb
from participation.budgeting.tally_cli import tally_command

CUMULATIVE = """META
key;value
vote_type;cumulative
budget;1000
max_sum_points;10
PROJECTS
project_id;cost
579;400
580;300
581;500
VOTES
voter_id;vote;points
a;579,579,579,579;1,1,1,1
b;580,579,580;2,3,4
c;581;5
d;579,579,579,579;1,1,1,1
"""

APPROVAL = """META
key;value
vote_type;approval
budget;100
PROJECTS
project_id;cost
1;60
2;50
VOTES
voter_id;vote
a;2,1,2
b;1
"""


def test_repeats_count_once_in_first_place_with_last_points_and_warn_the_lines():
    warnings: list[str] = []
    election = parse_pb(CUMULATIVE, warnings=warnings)
    ids = election.project_ids
    assert [[ids[p] for p in ballot] for ballot in election.ballots] == [
        ["579"], ["580", "579"], ["581"], ["579"]
    ]
    assert election.points == ((1,), (4, 3), (5,), (1,))
    assert [w.split(":")[0] for w in warnings] == ["line 13", "line 14", "line 16"]
    assert "'579' 4 times" in warnings[0] and "'580' 2 times" in warnings[1]


def test_approval_repeats_count_once():
    warnings: list[str] = []
    election = parse_pb(APPROVAL, warnings=warnings)
    assert election.ballots == ((1, 0), (0,))
    assert warnings == ["line 11: vote names '2' 2 times; counted once"]


@pytest.mark.parametrize("text", [CUMULATIVE, APPROVAL])
def test_reading_matches_pabutools(text):
    from pabutools.election.pabulib import parse_pabulib_from_string

    _instance, profile = parse_pabulib_from_string(text)
    election = parse_pb(text)
    ids = election.project_ids
    for v, theirs in enumerate(profile):
        ours = [ids[p] for p in election.ballots[v]]
        if election.points is None:  # pabutools keeps approvals as a set
            assert sorted(ours) == sorted(project.name for project in theirs)
        else:
            assert ours == [project.name for project in theirs]
            assert list(election.points[v]) == [theirs[project] for project in theirs]


@pytest.mark.parametrize(("text", "line"), [(CUMULATIVE, 13), (APPROVAL, 11)])
def test_strict_refuses_with_the_line(text, line):
    with pytest.raises(PabulibError, match="more than once") as caught:
        parse_pb(text, strict=True)
    assert caught.value.line == line


def test_cli_tallies_with_warnings_on_stderr_and_strict_refuses(tmp_path):
    path = tmp_path / "repeats.pb"
    path.write_text(CUMULATIVE, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(tally_command, [str(path), "--rule", "greedy_cardinal", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rule"] == "greedy_cardinal"
    warned = result.stderr.splitlines()
    assert len(warned) == 3 and warned[0].startswith(f"Warning: {path}: line 13: vote names")
    strict = runner.invoke(tally_command, [str(path), "--rule", "greedy_cardinal", "--strict"])
    assert strict.exit_code == 1
    assert f"{path}: line 13: vote names a project more than once" in strict.stderr


def test_cli_caps_the_warnings(tmp_path):
    rows = "".join(f"v{i};1,1\n" for i in range(30))
    path = tmp_path / "many.pb"
    path.write_text(APPROVAL.split("a;2,1,2")[0] + rows, encoding="utf-8")
    result = CliRunner().invoke(tally_command, [str(path), "--rule", "greedy_cost"])
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert len(lines) == 21 and "10 more votes" in lines[-1]
