"""Queries per page on the benchmarked pages (bench/pages.py): nothing loaded twice, no query
per listed round."""

from __future__ import annotations

from participation.budgeting.rounds.models import RoundPhase
from tests.budgeting.builders import PB
from tests.ideas.builders import make_idea
from tests.ideas.test_queries import counted


def _statements(app, client, url) -> list[str]:
    with counted(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return [" ".join(statement.split()) for statement in statements]


def test_home_page_reads_the_phases_of_its_rounds_in_one_query(app, client, factory):
    pb = PB(app, factory)
    rounds = [pb.round(costs={"city": [10_000]}, budgets={"city": 50_000}) for _ in range(3)]
    statements = _statements(app, client, "/")
    phase_queries = [s for s in statements if f"FROM {RoundPhase.__tablename__} " in s]
    assert len(rounds) == 3 and len(phase_queries) == 1, phase_queries
    page = client.get("/").get_data(as_text=True)
    assert all(f'href="/budgeting/{ref.id}"' in page for ref in rounds)
    assert page.count("<strong>") >= 3  # "voting is open" (in the page's language) per round


def test_idea_page_loads_the_idea_once(app, client, factory):
    idea_id = make_idea(app, factory.user().id)
    statements = _statements(app, client, f"/ideas/{idea_id}")
    by_id = [s for s in statements if s.startswith("SELECT idea.id") and "WHERE idea.id = " in s]
    assert len(by_id) == 1, by_id
