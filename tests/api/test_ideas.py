"""/api/v1/ideas: the HTML list's filters, search and sorts, pagination, one idea, 400 and 404."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from participation.accounts import services as accounts
from participation.accounts.models import User
from participation.extensions import db
from participation.ideas.models import Idea
from tests.api.conftest import get_json
from tests.factories import DEFAULT_PASSWORD
from tests.ideas.builders import make_idea


def _titles(client, query: str = "") -> list[str]:
    return [item["title"] for item in get_json(client, f"/api/v1/ideas{query}")["items"]]


def test_list_shows_published_ideas_newest_first(client, ideas):
    body = get_json(client, "/api/v1/ideas")
    assert [item["id"] for item in body["items"]] == [ideas["lights"], ideas["library"],
                                                       ideas["benches"]]
    assert (body["total"], body["page"], body["pages"], body["sort"]) == (3, 1, 1, "newest")
    assert body["links"]["next"] is None and body["links"]["prev"] is None


def test_list_item_fields(client, ideas):
    item = next(i for i in get_json(client, "/api/v1/ideas")["items"]
                if i["id"] == ideas["benches"])
    assert item["area"]["code"] == 1
    assert item["area"]["name"] == {"fi": "Suur-Leppävaara", "sv": "Stor-Alberga",
                                    "en": "Greater Leppävaara"}
    assert item["theme"]["slug"] == "parks-nature" and item["theme"]["name"]["fi"]
    assert item["status"]["code"] == "submitted"
    assert set(item["status"]["label"]) == {"fi", "sv", "en"}
    assert item["status"]["label"]["en"] == "Submitted"
    assert item["comments_count"] == 1 and item["supporters_count"] == 0
    assert item["author"] == "Aino API"
    assert item["created_at"].endswith("Z")
    assert item["links"]["self"].endswith(f"/api/v1/ideas/{ideas['benches']}")


@pytest.mark.parametrize("query, expected", [
    ("?area=city", ["Longer library opening hours"]),
    ("?theme=culture", ["Longer library opening hours"]),
    ("?status=under_review", ["Belysning längs stranden"]),
    ("?language=sv", ["Belysning längs stranden"]),
    ("?q=library", ["Longer library opening hours"]),
    ("?q=bench", ["Benches for Leppävaara park"]),
    ("?theme=parks-nature&language=en", ["Benches for Leppävaara park"]),
    ("?process=ideas&status=rejected", []),
])
def test_filters_and_search(client, ideas, query, expected):
    assert _titles(client, query) == expected


def test_area_filter_by_id(app, client, factory, ideas):
    area_id = factory.area_id(2)
    assert _titles(client, f"?area={area_id}") == ["Belysning längs stranden"]


def test_sort_by_support(app, client, ideas, people):
    from participation.ideas import services

    with app.test_request_context():
        services.support_idea(db.session.get(User, people.other.id),
                              db.session.get(Idea, ideas["benches"]))
        db.session.commit()
    body = get_json(client, "/api/v1/ideas?sort=supported")
    assert body["sort"] == "supported"
    assert body["items"][0]["id"] == ideas["benches"]
    assert body["items"][0]["supporters_count"] == 1


def test_pagination_links_and_bounds(app, client, people):
    for number in range(5):
        make_idea(app, [people.author.id, people.other.id][number % 2],
                  title=f"Idea number {number}",
                  description=f"Plant {number} new trees on street {number}.")
    body = get_json(client, "/api/v1/ideas?per_page=2&page=2&theme=parks-nature")
    assert (body["total"], body["page"], body["per_page"], body["pages"]) == (5, 2, 2, 3)
    assert len(body["items"]) == 2
    next_args = parse_qs(urlsplit(body["links"]["next"]).query)
    assert next_args["page"] == ["3"] and next_args["per_page"] == ["2"]
    assert next_args["theme"] == ["parks-nature"]
    assert parse_qs(urlsplit(body["links"]["prev"]).query)["page"] == ["1"]
    last = get_json(client, body["links"]["next"])
    assert len(last["items"]) == 1 and last["links"]["next"] is None
    beyond = get_json(client, "/api/v1/ideas?per_page=2&page=9")
    assert beyond["items"] == [] and beyond["page"] == 9 and beyond["total"] == 5
    assert parse_qs(urlsplit(beyond["links"]["prev"]).query)["page"] == ["3"]


def test_per_page_is_capped_at_100(client, ideas):
    assert get_json(client, "/api/v1/ideas?per_page=5000")["per_page"] == 100
    assert get_json(client, "/api/v1/ideas")["per_page"] == 20


@pytest.mark.parametrize("query, parameter", [
    ("page=0", "page"), ("page=-1", "page"), ("page=²", "page"), ("page=1e3", "page"),
    ("per_page=0", "per_page"), ("per_page=x", "per_page"),
    ("per_page=99999999999999999999", "per_page"),
    ("status=done", "status"), ("theme=no-such-theme", "theme"), ("area=0", "area"),
    ("area=north", "area"), ("language=xx", "language"), ("sort=random", "sort"),
    ("process=nope", "process"),
])
def test_bad_parameters_are_400_with_a_json_error(client, ideas, query, parameter):
    body = get_json(client, f"/api/v1/ideas?{query}", status=400,
                    headers={"Accept-Language": "en"})
    assert body["error"]["code"] == "bad_request"
    assert body["error"]["parameter"] == parameter
    assert parameter in body["error"]["message"]


def test_idea_detail(app, client, ideas):
    body = get_json(client, f"/api/v1/ideas/{ideas['benches']}")
    assert body["title"] == "Benches for Leppävaara park"
    assert body["description"] == {
        "html": "<p>More benches near the playground, please.</p>", "language": "en"}
    assert body["status"]["public_answer"] is None
    assert body["merged_into"] is None and body["image"] is None


def test_idea_detail_shows_the_public_answer(app, client, ideas, factory):
    from participation.ideas.status_service import StatusDecision, change_status

    staff = factory.user(roles=("staff",))
    with app.test_request_context():
        change_status(db.session.get(Idea, ideas["library"]), db.session.get(User, staff.id),
                      StatusDecision(status="answered", reason="The library will try it."))
        db.session.commit()
    status = get_json(client, f"/api/v1/ideas/{ideas['library']}")["status"]
    assert status["code"] == "answered"
    assert status["public_answer"]["text"] == "The library will try it."
    assert status["public_answer"]["html"] == "<p>The library will try it.</p>"
    assert status["changed_at"].endswith("Z")


def test_deleted_authors_name_is_null(app, client, ideas, people):
    with app.test_request_context():
        accounts.delete_account(db.session.get(User, people.author.id), DEFAULT_PASSWORD)
        db.session.commit()
    assert get_json(client, f"/api/v1/ideas/{ideas['benches']}")["author"] is None
    assert get_json(client, f"/api/v1/ideas/{ideas['library']}")["author"] == "Bertil API"


@pytest.mark.parametrize("path", ["/api/v1/ideas/999999", "/api/v1/ideas/99999999999",
                                  "/api/v1/ideas/abc", "/api/v1/no-such-thing", "/api/v2/"])
def test_unknown_addresses_are_404_json(client, ideas, path):
    body = get_json(client, path, status=404, headers={"Accept-Language": "en"})
    assert body["error"]["code"] == "not_found"
    assert body["error"]["message"] == "There is nothing at this address in the API."
