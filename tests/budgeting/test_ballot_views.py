"""The ballot pages with plain form posts: draft, running total, review, cast, receipt."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from participation.budgeting.voting.models import Ballot, BallotEnvelope, VoterRollEntry
from participation.extensions import db
from tests.budgeting.builders import pb_fixture, sealed_ballots  # noqa: F401  (pb fixture)

LANGUAGES = ("fi", "sv", "en")


def voting_year() -> int:
    from participation.core.types import utcnow

    return utcnow().year


def _url(ref, key="city", suffix=""):
    return f"/budgeting/{ref.id}/vote/{ref.budget(key)}{suffix}"


def _draft(client, ref, key="city"):
    """The draft the session cookie holds for the budget (drafts are never in the database)."""
    with client.session_transaction() as session:
        draft = (session.get("pb_drafts") or {}).get(str(ref.budget(key)))
    return {int(k): v for k, v in draft.items()} if draft is not None else None


@pytest.fixture
def voter(factory, auth):
    person = factory.user(language="en")
    auth.login(person.email)
    return person


def test_vote_page_lists_city_and_home_area_budgets(client, pb, voter):
    ref = pb.round(budgets={"city": 100_000, 1: 50_000, 2: 50_000})
    html = client.get(f"/budgeting/{ref.id}/vote").text
    assert _url(ref, "city") in html and _url(ref, 1) in html
    assert _url(ref, 2) not in html  # another area, not allowed in this round


@pytest.mark.parametrize("language", LANGUAGES)
def test_ballot_page_renders(client, pb, factory, auth, language):
    ref = pb.round()
    auth.login(factory.user(language=language).email)
    response = client.get(_url(ref))
    assert response.status_code == 200
    html = response.text
    assert f'<html lang="{language}"' in html
    assert html.count("<h1") == 1
    assert 'id="pb-total"' in html
    assert html.count('name="action" value="add"') == 4


def test_add_and_remove_keep_a_draft_in_the_session_only(app, client, pb, voter):
    ref = pb.round()
    first, second = ref.proposals["city"][:2]
    response = client.post(_url(ref), data={"proposal": first, "action": "add"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#proposal-{first}")
    client.post(_url(ref), data={"proposal": second, "action": "add"})
    assert _draft(client, ref) == {first: 1, second: 1}
    html = client.get(_url(ref), headers={"Accept-Language": "en"}).text
    assert "70,000" in html and "30,000" in html  # chosen and left
    client.post(_url(ref), data={"proposal": first, "action": "remove"})
    assert _draft(client, ref) == {second: 1}
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Ballot)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BallotEnvelope)) == 0
        assert "ballot_draft" not in sa.inspect(db.engine).get_table_names()


def test_adding_what_does_not_fit_is_refused_with_a_message(app, client, pb, voter):
    ref = pb.round(budgets={"city": 50_000}, costs={"city": [40_000, 30_000]})
    first, second = ref.proposals["city"]
    client.post(_url(ref), data={"proposal": first, "action": "add"})
    html = client.get(_url(ref), headers={"Accept-Language": "en"}).text
    assert "Costs more than what is left" in html  # the button is disabled with a reason
    client.post(_url(ref), data={"proposal": second, "action": "add"})
    html = client.get(_url(ref), headers={"Accept-Language": "en"}).text
    assert "more than the budget" in html
    assert _draft(client, ref) == {first: 1}


def test_bad_posts_do_not_break_the_ballot(app, client, pb, voter):
    ref = pb.round()
    for data in ({"proposal": "x", "action": "add"}, {"action": "add"},
                 {"proposal": ref.proposals["city"][0], "action": "explode"},
                 {"proposal": ref.proposals[1][0], "action": "add"}):
        response = client.post(_url(ref), data=data)
        assert response.status_code == 302
    assert _draft(client, ref) in (None, {})


def test_review_cast_and_receipt_shown_once(app, client, pb, voter):
    ref = pb.round()
    first = ref.proposals["city"][0]
    client.post(_url(ref), data={"proposal": first, "action": "add"})
    review = client.get(_url(ref, suffix="/review"))
    assert review.status_code == 200
    assert f'value="{first}:1"' in review.text
    response = client.post(_url(ref, suffix="/cast"), data={"choice": f"{first}:1"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/done")
    done = client.get(response.headers["Location"]).text
    code = re.search(r'id="receipt-code">([A-Z0-9-]+)<', done).group(1)
    assert [ballot["receipt"] for ballot in sealed_ballots(app)] == [code]
    with app.app_context():
        assert db.session.scalar(sa.select(VoterRollEntry.user_id)) == voter.id
    assert _draft(client, ref) is None
    again = client.get(response.headers["Location"]).text
    assert code not in again  # shown once only
    assert "Ehdotus" not in done  # the receipt page names no choices


def test_changing_a_cast_ballot_starts_from_it(app, client, pb, voter):
    ref = pb.round()
    first, second = ref.proposals["city"][:2]
    client.post(_url(ref, suffix="/cast"), data={"choice": f"{first}:1"})
    html = client.get(_url(ref)).text
    assert html.count('name="action" value="remove"') == 1  # the cast choice is shown
    client.post(_url(ref), data={"proposal": second, "action": "add"})
    assert _draft(client, ref) == {first: 1, second: 1}
    client.post(_url(ref, suffix="/cast"), data={"choice": [f"{first}:1", f"{second}:1"]})
    ballots = sealed_ballots(app)
    assert len(ballots) == 1 and len(ballots[0]["choices"]) == 2
    assert _draft(client, ref) is None  # casting drops the draft


def test_review_of_an_empty_ballot_goes_back(client, pb, voter):
    ref = pb.round()
    response = client.get(_url(ref, suffix="/review"))
    assert response.status_code == 302 and response.headers["Location"].endswith(_url(ref))


def test_cast_refusal_shows_the_reason_and_stores_nothing(app, client, pb, voter):
    ref = pb.round(budgets={"city": 50_000}, costs={"city": [40_000, 30_000]})
    choices = [f"{pid}:1" for pid in ref.proposals["city"]]
    response = client.post(_url(ref, suffix="/cast"), data={"choice": choices},
                           follow_redirects=True, headers={"Accept-Language": "en"})
    assert "more than the budget" in response.text
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BallotEnvelope)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(VoterRollEntry)) == 0
    bad = client.post(_url(ref, suffix="/cast"), data={"choice": "nonsense"},
                      follow_redirects=True)
    assert bad.status_code == 200


def test_ineligible_voter_sees_why_and_what_to_do(app, client, pb, factory, auth):
    ref = pb.round(min_age=12)
    child = factory.user(language="en")
    with app.app_context():
        from participation.accounts.models import User

        db.session.get(User, child.id).birth_year = voting_year() - 10
        db.session.commit()
    auth.login(child.email)
    for url in (f"/budgeting/{ref.id}/vote", _url(ref), _url(ref, suffix="/review")):
        response = client.get(url, headers={"Accept-Language": "en"})
        assert response.status_code == 403
        assert "from the year you turn 12" in response.text
        assert 'href="/profile"' in response.text


def test_anonymous_visitors_are_sent_to_log_in(client, pb):
    ref = pb.round()
    response = client.get(_url(ref))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_ballot_pages_work_for_cumulative_and_k_approval(app, client, pb, voter):
    ref = pb.round(ballot_type="cumulative", points_total=3)
    pid = ref.proposals["city"][0]
    for _ in range(3):
        client.post(_url(ref), data={"proposal": pid, "action": "more"})
    assert _draft(client, ref) == {pid: 3}
    client.post(_url(ref), data={"proposal": pid, "action": "more"})  # no points left
    client.post(_url(ref), data={"proposal": pid, "action": "less"})
    assert _draft(client, ref) == {pid: 2}
    k_ref = pb.round(ballot_type="k_approval", max_choices=1)
    one, two = k_ref.proposals["city"][:2]
    client.post(_url(k_ref), data={"proposal": one, "action": "add"})
    client.post(_url(k_ref), data={"proposal": two, "action": "add"})
    assert _draft(client, k_ref) == {one: 1}


def test_page_sizes_do_not_tell_the_choices(app, client, pb, voter):
    """Finding 8: an access log's response sizes of the ballot and review pages showed how
    many (and which) proposals were chosen."""
    ref = pb.round()
    city = ref.proposals["city"]
    sizes = {"ballot": set(), "review": set()}
    for picks in ([], [city[0]], [city[3]], [city[1], city[2]], city):
        with client.session_transaction() as session:
            session["pb_drafts"] = {str(ref.budget()): {str(pid): 1 for pid in picks}}
        page = client.get(_url(ref))
        assert page.status_code == 200
        sizes["ballot"].add(len(page.get_data()))
        if picks:
            review = client.get(_url(ref, suffix="/review"))
            assert review.status_code == 200 and f'value="{picks[0]}:1"' in review.text
            sizes["review"].add(len(review.get_data()))
    assert len(sizes["ballot"]) == 1 and len(sizes["review"]) == 1, sizes
