"""The ballot's proposal cards and the content around them come from the fragment cache: the
same markup as rendered afresh, in every state and language, with each voter's own CSRF
token, running total and cards, and an edit or a moderator's hiding shown at once."""

from __future__ import annotations

import re

import pytest

from participation.budgeting.rounds.models import Budget, BudgetRound, Proposal
from participation.budgeting.voting.ballots import card_proposal
from participation.budgeting.web import ballot_cards
from participation.core import fragments
from participation.core.fragments import EXTENSION
from participation.extensions import db
from tests.budgeting.builders import pb_fixture  # noqa: F401  (pb fixture)
from tests.factories import DEFAULT_PASSWORD

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
CARDS = re.compile(r"<ul class=\"pb-ballot-list\" data-ballot-list>.*?</ul>", re.S)
MONEY = re.compile(r"(\d+)[\s,](\d{3})(?!\d)")  # an amount's digits ("10 000 €", "€10,000")
TITLE = re.compile(r"<title>.*?</title>", re.S)
CONTENT = re.compile(r'<main id="main".*?</main>', re.S)

# (round settings, the posts that fill the draft): every state a card can be in.
BALLOTS = {
    "approval": ({"budgets": {"city": 50_000}, "costs": {"city": [40_000, 30_000, 10_000]}},
                 [(0, "add")]),  # chosen, does not fit, fits
    "k_approval": ({"ballot_type": "k_approval", "max_choices": 1}, [(0, "add")]),  # full
    "cumulative": ({"ballot_type": "cumulative", "points_total": 2},
                   [(0, "more"), (0, "more")]),  # no point left to give
}


def _url(ref):
    return f"/budgeting/{ref.id}/vote/{ref.budget()}"


def _cards(client, ref, language):
    html = client.get(_url(ref), headers={"Accept-Language": language}).text
    return CARDS.search(html).group(0)


@pytest.mark.parametrize("kind", list(BALLOTS))
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_cached_cards_are_the_cards_rendered_afresh(app, client, pb, factory, auth, monkeypatch,
                                                    kind, language):
    settings, posts = BALLOTS[kind]
    ref = pb.round(**settings)
    auth.login(factory.user(language=language).email)
    _cards(client, ref, language)  # each card kept in its state before the draft changes it
    for index, action in posts:
        client.post(_url(ref), data={"proposal": ref.proposals["city"][index],
                                     "action": action})
    _cards(client, ref, language)
    rendered = []
    monkeypatch.setattr(ballot_cards, "card_proposal",
                        lambda row: rendered.append(row.id) or card_proposal(row))
    cached = _cards(client, ref, language)  # every card from the cache
    assert rendered == []
    monkeypatch.setitem(app.extensions, EXTENSION, False)  # off: every card rendered
    # (the signed token's time stamp changes from one second to the next)
    assert TOKEN.sub("", _cards(client, ref, language)) == TOKEN.sub("", cached)
    assert sorted(rendered) == ref.proposals["city"]
    assert cached.count("<li") == len(ref.proposals["city"])


def test_each_voter_gets_their_own_token_and_language(app, pb, factory):
    ref = pb.round()
    pages = {}
    for voter, language in enumerate(("fi", "fi", "sv")):
        client = app.test_client()
        client.post("/login", data={"email": factory.user(language=language).email,
                                    "password": DEFAULT_PASSWORD})
        pages[voter] = _cards(client, ref, language)
    tokens = [set(TOKEN.findall(cards)) for cards in pages.values()]
    assert all(len(found) == 1 for found in tokens)
    assert len(set.union(*tokens)) == 3  # the same cards, each voter's own token
    pages = {"fi": pages[0], "sv": pages[2]}
    assert "Ehdotus city-1" in pages["fi"] and "Förslag city-1" not in pages["fi"]
    assert "Förslag city-1" in pages["sv"] and "Ehdotus city-1" not in pages["sv"]
    assert "Lue lisää" in pages["fi"] and "Läs mer" in pages["sv"]


def test_an_edit_and_a_hiding_show_at_once(app, client, pb, factory, auth):
    ref = pb.round()
    auth.login(factory.user(language="en").email)
    first = ref.proposals["city"][0]
    assert "Proposal city-1" in _cards(client, ref, "en")
    with app.app_context():
        db.session.get(Proposal, first).title_en = "A bench by the shore"
        db.session.commit()
    cards = _cards(client, ref, "en")
    assert "A bench by the shore" in cards and "Proposal city-1" not in cards
    with app.app_context():
        db.session.get(Proposal, first).moderation_state = "hidden"
        db.session.commit()
    cards = _cards(client, ref, "en")
    assert "Proposal removed by a moderator" in cards and "A bench by the shore" not in cards


def _content(client, ref, language):
    """The page's title and content, without the CSRF tokens."""
    html = client.get(_url(ref), headers={"Accept-Language": language}).text
    return TOKEN.sub("", TITLE.search(html).group(0) + CONTENT.search(html).group(0))


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_kept_content_is_the_content_rendered_afresh_in_each_state(
        app, pb, factory, monkeypatch, language):
    ref = pb.round(budgets={"city": 50_000}, costs={"city": [40_000, 30_000, 10_000]})
    clients = {}
    for state in ("empty", "chosen", "voted"):  # three voters of the same round version
        clients[state] = app.test_client()
        clients[state].post("/login", data={"email": factory.user(language=language).email,
                                            "password": DEFAULT_PASSWORD})
    clients["voted"].post(_url(ref) + "/cast", data={"choice": f"{ref.proposals['city'][2]}:1"})
    clients["chosen"].post(_url(ref), data={"proposal": ref.proposals["city"][2],
                                            "action": "add"})
    for client in clients.values():
        _content(client, ref, language)  # each state kept
    bodies = []
    original = fragments.get_template_attribute  # (the body and title: fragments.piece)
    monkeypatch.setattr(fragments, "get_template_attribute",
                        lambda *args: bodies.append(args[0]) or original(*args))
    pages = {state: _content(client, ref, language) for state, client in clients.items()}
    assert ballot_cards.BODY not in bodies  # every page's from the cache
    monkeypatch.setitem(app.extensions, EXTENSION, False)  # off: rendered afresh
    assert {state: _content(client, ref, language)
            for state, client in clients.items()} == pages
    assert bodies.count(ballot_cards.BODY) == 6  # each page's content and title
    review = f"/budgeting/{ref.id}/vote/{ref.budget()}/review"
    assert review not in pages["empty"] and review in pages["chosen"]
    amounts = [a + b for a, b in MONEY.findall(pages["chosen"])]
    assert amounts.count("10000") >= 2  # the voter's own running total and card
    notice = {"fi": "Olet jo äänestänyt", "sv": "Du har redan röstat",
              "en": "You have already voted"}[language]
    assert notice not in pages["chosen"] and notice in pages["voted"]


def test_a_change_to_the_round_or_its_budget_shows_at_once(app, client, pb, factory, auth):
    ref = pb.round()
    auth.login(factory.user(language="en").email)
    page = _content(client, ref, "en")
    assert "<title>Ballot: Whole city – Participatory budgeting" in page
    with app.app_context():
        db.session.get(BudgetRound, ref.id).title_en = "Spring vote"
        db.session.get(Budget, ref.budget()).amount = 123_000
        db.session.commit()
    page = _content(client, ref, "en")
    assert "Spring vote" in page and "Participatory budgeting" not in page
    assert "<title>Ballot: Whole city – Spring vote" in page
    assert ("123", "000") in MONEY.findall(page)
