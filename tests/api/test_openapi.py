"""The OpenAPI description tells the truth: every route in it and only those, every response
(with real data) fits its declared schema, and the checker itself catches a wrong shape."""

from __future__ import annotations

import re

import pytest

from participation.api.views import bp
from tests.api.conftest import get_json
from tests.api.schema_check import check, response_schema


@pytest.fixture
def document(client):
    return get_json(client, "/api/v1/openapi.json")


def _api_paths(app) -> dict[str, set[str]]:
    """OpenAPI-style path -> its parameters, for every route of the API blueprint."""
    paths = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(f"{bp.name}."):
            path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
            paths[path] = set(rule.arguments)
    return paths


def test_every_api_route_is_described_and_nothing_else(app, document):
    routes = _api_paths(app)
    assert len(routes) == 12
    assert set(document["paths"]) == set(routes)
    for path, arguments in routes.items():
        operation = document["paths"][path]["get"]
        declared = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
        assert declared == arguments, path
        assert "200" in operation["responses"] and "429" in operation["responses"]


def test_document_is_openapi_31_and_every_reference_resolves(document):
    assert document["openapi"].startswith("3.1")
    schemas = document["components"]["schemas"]
    text = str(document)
    for name in re.findall(r"#/components/schemas/(\w+)", text):
        assert name in schemas, name
    operation_ids = [op["get"]["operationId"] for op in document["paths"].values()]
    assert len(operation_ids) == len(set(operation_ids))


@pytest.fixture
def hearing_ids(app, factory):
    """An open hearing and a closed one with answers and published feedback."""
    from tests.hearings.api_samples import open_and_closed_hearings

    return open_and_closed_hearings(app, factory)


def _sample_urls(ideas, results_round, pb, hearings) -> dict[tuple[str, int], str]:
    open_round = pb.round(state="voting", ballot_type="cumulative", points_total=10,
                          rule="greedy")
    return {
        ("/api/v1/", 200): "/api/v1/",
        ("/api/v1/areas", 200): "/api/v1/areas",
        ("/api/v1/ideas", 200): "/api/v1/ideas?per_page=2",
        ("/api/v1/ideas", 400): "/api/v1/ideas?page=zero",
        ("/api/v1/ideas/{idea_id}", 200): f"/api/v1/ideas/{ideas['benches']}",
        ("/api/v1/ideas/{idea_id}", 404): "/api/v1/ideas/999999",
        ("/api/v1/indicators", 200): "/api/v1/indicators?period=2026",
        ("/api/v1/indicators", 400): "/api/v1/indicators?period=2026-Q9",
        ("/api/v1/budgeting/rounds", 200): "/api/v1/budgeting/rounds",
        ("/api/v1/budgeting/rounds/{round_id}", 200):
            f"/api/v1/budgeting/rounds/{open_round.id}",
        ("/api/v1/budgeting/rounds/{round_id}", 404): "/api/v1/budgeting/rounds/999999",
        ("/api/v1/budgeting/rounds/{round_id}/results", 200):
            f"/api/v1/budgeting/rounds/{results_round.id}/results",
        ("/api/v1/budgeting/rounds/{round_id}/results", 404):
            f"/api/v1/budgeting/rounds/{open_round.id}/results",
        ("/api/v1/hearings", 200): "/api/v1/hearings",
        ("/api/v1/hearings/{hearing_id}", 200): f"/api/v1/hearings/{hearings[1]}",
        ("/api/v1/hearings/{hearing_id}", 404): "/api/v1/hearings/999999",
        ("/api/v1/hearings/{hearing_id}/results", 200):
            f"/api/v1/hearings/{hearings[1]}/results",
        ("/api/v1/hearings/{hearing_id}/results", 404): f"/api/v1/hearings/{hearings[0]}/results",
    }


def test_responses_fit_their_declared_schemas(app, client, document, ideas, results_round,
                                              pb, hearing_ids):
    samples = _sample_urls(ideas, results_round, pb, hearing_ids)
    described = {path for path, _status in samples} | {"/api/v1/openapi.json"}
    assert described == set(document["paths"])  # a new endpoint needs a sample here
    for (path, status), url in samples.items():
        body = get_json(client, url, status=status)
        problems = check(body, response_schema(document, path, status), document)
        assert problems == [], (url, problems)
    # Every item and detail variant was checked with content in it, not only empty lists.
    rounds = get_json(client, "/api/v1/budgeting/rounds")["items"]
    assert len(rounds) == 2 and get_json(client, "/api/v1/areas")["items"]
    for item in get_json(client, "/api/v1/ideas?per_page=100")["items"]:
        detail = get_json(client, item["links"]["self"])
        assert check(detail, response_schema(document, "/api/v1/ideas/{idea_id}", 200),
                     document) == []


def test_the_checker_finds_wrong_shapes(client, document, ideas):
    schema = response_schema(document, "/api/v1/ideas/{idea_id}", 200)
    good = get_json(client, f"/api/v1/ideas/{ideas['benches']}")
    assert check(good, schema, document) == []
    cases = {
        "missing": {key: value for key, value in good.items() if key != "title"},
        "extra": {**good, "email": "someone@example.org"},
        "type": {**good, "supporters_count": "3"},
        "bool": {**good, "comments_count": True},
        "nested": {**good, "area": {**good["area"], "name": {"fi": "x"}}},
        "enum": {**good, "status": {**good["status"], "code": "deleted"}},
        "date": {**good, "created_at": "yesterday"},
        "not_null": {**good, "theme": None},
    }
    for name, bad in cases.items():
        assert check(bad, schema, document) != [], name
    assert check({**good, "area": None, "author": None}, schema, document) == []
