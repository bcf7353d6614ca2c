"""Exports parse back to the same numbers; JSON-stat validates; the CLI writes both."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

import jsonschema
import pytest
import sqlalchemy as sa

from participation.accounts import services as accounts
from participation.accounts.models import User
from participation.extensions import db
from participation.indicators import pipeline
from participation.indicators.compute import COLUMNS, compute
from participation.indicators.periods import parse_period
from participation.indicators.services import record_event
from tests.indicators.fixture import event, seed_fixture

# The parts of JSON-stat 2.0's dataset class this service writes (https://json-stat.org/format/).
JSONSTAT_SCHEMA = {
    "type": "object",
    "required": ["version", "class", "id", "size", "dimension", "value"],
    "properties": {
        "version": {"const": "2.0"},
        "class": {"const": "dataset"},
        "label": {"type": "string"},
        "source": {"type": "string"},
        "updated": {"type": ["string", "null"]},
        "id": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "size": {"type": "array", "items": {"type": "integer", "minimum": 1}},
        "role": {"type": "object", "properties": {
            name: {"type": "array", "items": {"type": "string"}}
            for name in ("time", "geo", "metric")}},
        "value": {"oneOf": [
            {"type": "array", "items": {"type": ["number", "null"]}},
            {"type": "object", "additionalProperties": {"type": ["number", "null"]}}]},
        "status": {"oneOf": [
            {"type": "string"}, {"type": "array", "items": {"type": ["string", "null"]}},
            {"type": "object", "additionalProperties": {"type": "string"}}]},
        "note": {"type": "array", "items": {"type": "string"}},
        "dimension": {"type": "object", "additionalProperties": {
            "type": "object", "required": ["category"],
            "properties": {
                "label": {"type": "string"},
                "category": {"type": "object", "properties": {
                    "index": {"oneOf": [
                        {"type": "array", "items": {"type": "string"}},
                        {"type": "object", "additionalProperties": {"type": "integer"}}]},
                    "label": {"type": "object", "additionalProperties": {"type": "string"}},
                    "unit": {"type": "object", "additionalProperties": {
                        "type": "object", "properties": {
                            "decimals": {"type": "integer"}, "label": {"type": "string"}}}},
                }},
            }}},
    },
}


def _expected(app, period="2026"):
    with app.app_context():
        return {row.key: row for row in compute(parse_period(period))}


def _number(text):
    return None if text in ("", "..") else float(text)


def test_csv_and_json_parse_back_to_the_same_numbers(app, client):
    seed_fixture(app)
    expected = _expected(app)
    response = client.get("/figures/export/csv?period=2026")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == len(expected)
    for row in rows:
        want = expected[(row["indicator_id"], row["area_code"], row["age_band"],
                         row["language_group"])]
        assert row["suppressed"] == ("true" if want.suppressed else "false")
        if want.suppressed:
            assert row["value"] == ".." and row["numerator"] == ".."
        else:
            assert _number(row["value"]) == want.value
            assert _number(row["numerator"]) == want.numerator
        assert _number(row["denominator"]) == want.denominator
    body = json.loads(client.get("/figures/export/json?period=2026").text)
    assert body["period"] == "2026" and body["columns"] == list(COLUMNS)
    assert {tuple(r[c] for c in ("indicator_id", "area_code", "age_band", "language_group")):
            (r["value"], r["numerator"], r["suppressed"]) for r in body["rows"]} == \
        {key: (row.value, row.numerator, row.suppressed) for key, row in expected.items()}


def test_jsonstat_validates_and_holds_the_rows(app, client):
    seed_fixture(app)
    expected = _expected(app)
    stat = json.loads(client.get("/figures/export/jsonstat?period=2026").text)
    jsonschema.validate(stat, JSONSTAT_SCHEMA)
    sizes = dict(zip(stat["id"], stat["size"], strict=True))
    total = 1
    for size in stat["size"]:
        total *= size
    assert len(stat["value"]) == total
    index = {name: stat["dimension"][name]["category"]["index"] for name in stat["id"]}
    for (indicator, area, age, language), row in expected.items():
        coordinates = (index["indicator"].index(indicator), 0, index["area"].index(area or "total"),
                       index["age"].index(age or "total"),
                       index["language"].index(language or "total"))
        flat = 0
        for name, coordinate in zip(stat["id"], coordinates, strict=True):
            flat = flat * sizes[name] + coordinate
        assert stat["value"][flat] == row.value
        assert (stat["status"].get(str(flat)) == "..") == row.suppressed
    labels = stat["dimension"]["area"]["category"]["label"]
    assert labels["1"] == "Greater Leppävaara" and labels["total"] == "Total"
    broken = dict(stat, version="1.0")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, JSONSTAT_SCHEMA)


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonstat"])
def test_cli_export(app, runner, fmt):
    seed_fixture(app)
    result = runner.invoke(args=["indicators", "export", "--period", "2026", "--format", fmt])
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        assert result.output.startswith(",".join(COLUMNS))
        assert "participants,2026,,,,41,41," in result.output
    else:
        assert json.loads(result.output)
    bad = runner.invoke(args=["indicators", "export", "--period", "20x6"])
    assert bad.exit_code != 0 and "period" in bad.output


def test_cli_report_writes_a_printable_page(app, runner, tmp_path):
    seed_fixture(app)
    target = tmp_path / "report.html"
    result = runner.invoke(args=["indicators", "report", "--year", "2026", "--output",
                                 str(target), "--language", "sv"])
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    assert '<html lang="sv"' in html and "2026" in html and "2025" in html


def test_export_refuses_an_unknown_format_and_a_bad_period_reads_this_year(client):
    assert client.get("/figures/export/xlsx").status_code == 404
    response = client.get("/figures/export/csv?period=2026-13")
    assert response.status_code == 200 and "participants" in response.text


def test_suppression_at_four_and_five_people(app):
    with app.app_context():
        for n in range(4):
            event(f"p{n}")
        db.session.commit()
        four = {row.key: row for row in compute(parse_period("2026"))}
        event("p4")
        db.session.commit()
        five = {row.key: row for row in compute(parse_period("2026"))}
    assert four[("participants", "", "", "")].suppressed
    assert four[("participants", "", "", "")].value is None
    assert four[("participation_rate", "", "", "")].suppressed  # derived: hidden with it
    assert five[("participants", "", "", "")].value == 5
    assert five[("participants", "1", "18-29", "")].value == 5
    assert five[("participants", "1", "", "")].value == 5


def test_deleting_an_account_keeps_the_counts(app, factory):
    people = [factory.user(language="fi", area_code=2, birth_year=1990) for _ in range(6)]
    when = datetime(2026, 5, 5, tzinfo=UTC)
    with app.test_request_context():
        for person in people:
            record_event("idea_supported", user=db.session.get(User, person.id),
                         occurred_at=when)
        db.session.commit()
        before = {row.key: row.value for row in compute(parse_period("2026"))}
        accounts.delete_account(db.session.get(User, people[0].id), people[0].password)
        db.session.commit()
        after = {row.key: row.value for row in compute(parse_period("2026"))}
    assert before[("participants", "2", "", "")] == 6
    assert after == before


def test_idea_pipeline_and_median_days_to_an_answer(app, factory):
    from participation.ideas.models import Idea, IdeaStatusChange
    from tests.ideas.builders import ensure_themes, make_idea

    ensure_themes(app)
    author = factory.user()
    ids = [make_idea(app, author.id) for _ in range(3)]
    with app.app_context():
        created = {idea.id: idea.created_at for idea in db.session.scalars(sa.select(Idea))}
        for idea_id, days in ((ids[0], 2), (ids[1], 5)):
            db.session.add(IdeaStatusChange(idea_id=idea_id, from_status="submitted",
                                            to_status="answered",
                                            created_at=created[idea_id] + timedelta(days=days)))
        db.session.get(Idea, ids[1]).status = "implemented"
        db.session.commit()
        start, end = parse_period(str(created[ids[0]].year)).bounds()
        pipe = pipeline.idea_pipeline(start, end)
    assert (pipe["submitted"], pipe["answered"], pipe["implemented"]) == (3, 2, 1)
    assert round(pipe["median_days"], 3) == 3.5
    assert pipe["proposal"] == pipe["ballot"] == pipe["chosen"] == 0


def test_hearings_read_zero_then_count_closed_hearings_and_timely_feedback(app, factory):
    from participation.hearings.models import Hearing
    from tests.hearings.conftest import build

    with app.test_request_context():
        start, end = parse_period("2026").bounds()
        assert pipeline.hearing_counts(start, end) == (0, 0)
        worker = factory.user(roles=("youth_worker",))
        due = date(2026, 6, 30)
        published = (datetime(2026, 6, 30, 20, 0, tzinfo=UTC),  # 23.00 in Helsinki: on time
                     datetime(2026, 6, 1, tzinfo=UTC), datetime(2026, 6, 2, tzinfo=UTC),
                     datetime(2026, 6, 30, 21, 30, tzinfo=UTC),  # 1.7. 0.30 in Helsinki: late
                     None)
        for when in published:
            hearing: Hearing = build(db.session.get(User, worker.id))
            hearing.state, hearing.closed_at = "closed", datetime(2026, 5, 1, tzinfo=UTC)
            hearing.feedback_due, hearing.feedback_published_at = due, when
        db.session.commit()
        rows = {row.key: row for row in compute(parse_period("2026"))}
        assert pipeline.hearing_counts(*parse_period("2025").bounds()) == (0, 0)
    assert rows[("hearings_held", "", "", "")].value == 5
    assert rows[("hearing_feedback_on_time", "", "", "")].value == 60.0


def test_idea_pipeline_follows_proposals_to_the_ballot_the_choice_and_completion(app, factory):
    from participation.budgeting.rounds.models import Proposal, ProposalIdea
    from participation.ideas.models import Idea
    from tests.budgeting.builders import PB
    from tests.ideas.builders import ensure_themes, make_idea

    ensure_themes(app)
    author = factory.user()
    ref = PB(app, factory).round(state="results", budgets={"city": 100_000},
                                 costs={"city": [10, 20, 30, 40, 50]})
    ids = [make_idea(app, author.id) for _ in range(6)]
    statuses = ("on_ballot", "not_selected", "selected", "implemented", "cancelled")
    with app.app_context():
        for idea_id, proposal_id, status in zip(ids, ref.proposals["city"], statuses,
                                                strict=False):
            db.session.get(Proposal, proposal_id).status = status
            db.session.add(ProposalIdea(proposal_id=proposal_id, idea_id=idea_id))
        db.session.commit()
        created = db.session.scalar(sa.select(sa.func.min(Idea.created_at)))
        start, end = parse_period(str(created.year)).bounds()
        pipe = pipeline.idea_pipeline(start, end)
    assert (pipe["submitted"], pipe["proposal"], pipe["ballot"]) == (6, 5, 5)
    assert (pipe["chosen"], pipe["implemented"]) == (3, 1)
