"""An idea's optional place: checked input, shown as text and a map-service link, in the API
and in the author's data export; the ETRS-GK25 projection behind the link."""

from __future__ import annotations

import math
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from participation.core.exceptions import ServiceError
from participation.core.geo import GK25_FALSE_EASTING, in_espoo, to_gk25
from participation.extensions import db
from participation.ideas import places, services
from participation.ideas.models import Idea
from tests.api.conftest import get_json
from tests.api.schema_check import check, response_schema
from tests.ideas.builders import theme_id

GRS80_A, GRS80_F = 6378137.0, 1 / 298.257222101


def _meridian_arc(lat: float, steps: int = 20000) -> float:
    """Distance from the equator along a meridian, by Simpson's rule (independent check)."""
    e2 = GRS80_F * (2 - GRS80_F)
    phi = math.radians(lat)

    def radius(x):
        return GRS80_A * (1 - e2) / (1 - e2 * math.sin(x) ** 2) ** 1.5

    h = phi / steps
    total = radius(0) + radius(phi)
    total += sum((4 if i % 2 else 2) * radius(i * h) for i in range(1, steps))
    return total * h / 3


@pytest.mark.parametrize("lat", [60.0, 60.2055, 60.37])
def test_gk25_on_the_central_meridian_is_the_meridian_arc(lat):
    northing, easting = to_gk25(lat, 25.0)
    assert easting == pytest.approx(GK25_FALSE_EASTING, abs=1e-6)
    assert northing == pytest.approx(_meridian_arc(lat), abs=0.001)


def test_gk25_west_of_the_meridian_is_a_parallel_arc_away():
    # 0.35° west at 60.2° N: about N·cos(φ)·Δλ (prime-vertical radius), within 5 m.
    lat, dlon = 60.2, 0.35
    e2 = GRS80_F * (2 - GRS80_F)
    prime = GRS80_A / math.sqrt(1 - e2 * math.sin(math.radians(lat)) ** 2)
    expected = prime * math.cos(math.radians(lat)) * math.radians(dlon)
    northing, easting = to_gk25(lat, 25.0 - dlon)
    assert GK25_FALSE_EASTING - easting == pytest.approx(expected, abs=5)
    assert northing > to_gk25(lat, 25.0)[0]  # meridians converge: north of the arc


def test_place_parsing(app):
    with app.test_request_context():
        assert places.parse_place("", "", "") == places.Place()
        assert places.parse_place("  Otaniementie   1 ", "", "") == places.Place("Otaniementie 1")
        assert places.parse_place("", "60,17642", "24.65599") == \
            places.Place("", 60.17642, 24.65599)
        assert places.parse_place("", " 60.2° ", "24.7").lat == 60.2
        for lat, lon, field in (("60.2", "", "place_lon"), ("", "24.7", "place_lat"),
                                ("sixty", "24.7", "place_lat"), ("60.2", "1e3", "place_lon"),
                                ("60.1699", "24.9384", "place_lat"),  # Helsinki centre
                                ("61.5", "23.8", "place_lat"), ("nan", "nan", "place_lat")):
            with pytest.raises(ServiceError) as caught:
                places.parse_place("", lat, lon)
            assert caught.value.field == field, (lat, lon)
        with pytest.raises(ServiceError):
            places.parse_place("x" * 201, "", "")
    assert in_espoo(60.2055, 24.6559) and not in_espoo(60.1699, 24.9384)


def _form(app, **changes) -> dict:
    data = {"title": "A bench by the shore", "description": "Somewhere to sit.",
            "theme": str(theme_id(app)), "area": "", "district": "", "language": "en",
            "image_alt": "", "place_address": "Otsolahden ranta", "place_lat": "60,18090",
            "place_lon": "24.82450"}
    data.update(changes)
    return data


def test_a_place_goes_through_preview_and_is_shown_with_a_map_link(app, client, auth, resident):
    auth.login(resident.email)
    preview = client.post("/ideas/new/preview", data=_form(app)).get_data(as_text=True)
    assert "Otsolahden ranta" in preview and "60.18090° N, 24.82450° E" in preview
    assert '<input type="hidden" name="place_lat" value="60,18090">' in preview
    assert client.post("/ideas/new/publish", data=_form(app)).status_code == 302
    with app.app_context():
        idea = db.session.scalar(sa.select(Idea))
        assert (idea.place_address, idea.place_lat, idea.place_lon) == \
            ("Otsolahden ranta", 60.1809, 24.8245)
        idea_id = idea.id
    page = client.get(f"/ideas/{idea_id}").get_data(as_text=True)
    assert "Otsolahden ranta" in page and "60.18090° N, 24.82450° E" in page
    link = next(part.split('"')[0] for part in page.split('href="')[1:]
                if part.startswith("https://kartat.espoo.fi/"))
    assert link.startswith("https://kartat.espoo.fi/IMS/en/Map?cp=")
    northing, easting = (int(value) for value in parse_qs(urlsplit(link).query)["cp"][0]
                         .split(","))
    expected = to_gk25(60.1809, 24.8245)
    assert (northing, easting) == (round(expected[0]), round(expected[1]))
    assert 6_670_000 < northing < 6_685_000 and 25_490_000 < easting < 25_500_000
    with app.test_request_context(), force_locale("fi"):
        assert places.coordinates_text(60.1809, 24.8245) == "60,18090° P, 24,82450° I"
    with app.test_request_context(), force_locale("sv"):
        assert places.coordinates_text(60.1809, 24.8245) == "60,18090° N, 24,82450° O"


def test_a_point_outside_espoo_is_refused_with_everything_kept(app, client, auth, resident):
    auth.login(resident.email)
    response = client.post("/ideas/new/publish",
                           data=_form(app, place_lat="60.1699", place_lon="24.9384"))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="place_lat-error"' in body and "not in Espoo" in body
    assert 'value="Otsolahden ranta"' in body and 'value="60.1699"' in body
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Idea)) == 0


def test_no_place_is_fine_and_shows_nothing(app, client, auth, resident):
    auth.login(resident.email)
    client.post("/ideas/new/publish", data=_form(app, place_address="", place_lat="",
                                                   place_lon=""))
    with app.app_context():
        idea = db.session.scalar(sa.select(Idea))
        assert (idea.place_address, idea.place_lat, idea.place_lon, idea.has_place) == \
            ("", None, None, False)
        idea_id = idea.id
    assert "kartat.espoo.fi" not in client.get(f"/ideas/{idea_id}").get_data(as_text=True)


def _idea_with_place(app, author_id: int, address: str, lat: str, lon: str) -> int:
    from participation.accounts.models import User

    with app.test_request_context():
        draft = services.IdeaDraft(title="Lights on the path", description="It is dark.",
                                   theme_id=theme_id(app), language="en",
                                   place_address=address, place_lat=lat, place_lon=lon)
        idea = services.submit_idea(db.session.get(User, author_id), draft)
        db.session.commit()
        return idea.id


def test_api_and_data_export_carry_the_place(app, client, auth, resident):
    with_point = _idea_with_place(app, resident.id, "", "60.2055", "24.6559")
    address_only = _idea_with_place(app, resident.id, "Kirkkojärventie 6", "", "")
    body = get_json(client, f"/api/v1/ideas/{with_point}")
    assert body["place"]["lat"] == 60.2055 and body["place"]["lon"] == 24.6559
    assert body["place"]["address"] is None
    assert body["place"]["map_url"].startswith("https://kartat.espoo.fi/IMS/")
    assert "cp=" in body["place"]["map_url"]
    other = get_json(client, f"/api/v1/ideas/{address_only}")["place"]
    assert other["address"] == "Kirkkojärventie 6" and other["lat"] is None
    assert "cp=" not in other["map_url"]
    document = get_json(client, "/api/v1/openapi.json")
    schema = response_schema(document, "/api/v1/ideas/{idea_id}", 200)
    assert check(body, schema, document) == []
    assert check({**body, "place": {**body["place"], "lat": "60.2"}}, schema, document) != []
    auth.login(resident.email)
    exported = client.get("/profile/my-data.json").get_json()["ideas"]["ideas"]
    assert {(row["place_address"], row["place_lat"], row["place_lon"]) for row in exported} == \
        {("", 60.2055, 24.6559), ("Kirkkojärventie 6", None, None)}
