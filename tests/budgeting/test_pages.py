"""Every budgeting page renders for those allowed to see it, in every language."""

from __future__ import annotations

import pytest

from tests.budgeting.builders import pb_fixture  # noqa: F401  (the pb fixture)

LANGUAGES = ("fi", "sv", "en")


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages(client, pb, language):
    ref = pb.round(state="proposals")
    for url in ("/budgeting/", f"/budgeting/{ref.id}",
                f"/budgeting/proposals/{ref.proposals['city'][0]}"):
        response = client.get(url, headers={"Accept-Language": language})
        assert response.status_code == 200, url
        assert f'<html lang="{language}"' in response.text
        assert response.text.count("<h1") == 1


def test_home_page_points_to_budgeting(client, pb):
    ref = pb.round()
    html = client.get("/").text
    assert 'href="/budgeting/"' in html and f'href="/budgeting/{ref.id}"' in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_pages(client, pb, factory, auth, language):
    ref = pb.round()
    auth.login(factory.user(roles=("staff",), language=language).email)
    for url in ("/budgeting/manage", "/budgeting/manage/new", f"/budgeting/manage/{ref.id}",
                f"/budgeting/manage/{ref.id}/proposals",
                f"/budgeting/manage/{ref.id}/proposals/new",
                f"/budgeting/manage/proposals/{ref.proposals['city'][0]}",
                f"/budgeting/manage/{ref.id}/in-person",
                f"/budgeting/manage/{ref.id}/in-person/{ref.budget()}",
                "/budgeting/manage/import", "/budgeting/manage/verify"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}"' in response.text
        assert response.text.count("<h1") == 1, url


def test_no_inline_scripts_or_styles(client, pb, factory, auth):
    ref = pb.round()
    auth.login(factory.user().email)
    for url in (f"/budgeting/{ref.id}", f"/budgeting/{ref.id}/vote",
                f"/budgeting/{ref.id}/vote/{ref.budget()}"):
        html = client.get(url).text
        assert "<script>" not in html and " style=" not in html and "<style" not in html


def test_unknown_things_are_404(client, pb, factory, auth):
    ref = pb.round()
    other = pb.round()
    auth.login(factory.user().email)
    for url in ("/budgeting/999999", "/budgeting/proposals/999999",
                f"/budgeting/{ref.id}/vote/{other.budget()}", "/budgeting/photos/nothing.jpg",
                f"/budgeting/{ref.id}/results/999999"):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(("budgets", "promise"), [
    ({"city": 100_000}, "For residents of Espoo. You vote in the city-wide budget."),
    ({1: 50_000}, "For residents of Espoo. You vote in your own major area's budget."),
    ({"city": 100_000, 1: 50_000}, "For residents of Espoo. You vote in the city-wide budget "
                                   "and in one major area's budget."),
])
def test_round_rules_promise_only_the_budgets_it_has(app, client, pb, budgets, promise):
    from html import unescape

    from tests.i18n_helpers import translated

    ref = pb.round(state="proposals", budgets=budgets, costs={})
    for language in LANGUAGES:
        html = client.get(f"/budgeting/{ref.id}", headers={"Accept-Language": language}).text
        assert translated(app, promise, language) in unescape(html), language
