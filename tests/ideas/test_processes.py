"""The idea list's process filter: ideas not yet in a process, and each budgeting round."""

from __future__ import annotations

import re

from participation.accounts.models import User
from participation.budgeting.rounds import idea_links
from participation.budgeting.rounds.models import Proposal
from participation.extensions import db
from tests.budgeting.builders import pb_fixture  # noqa: F401  (the pb fixture)
from tests.i18n_helpers import translated
from tests.ideas.builders import make_idea


def _titles(body: str) -> list[str]:
    return sorted(re.findall(r'class="idea-card-title"[^>]*><a href="/ideas/\d+">([^<]+)</a>',
                             body))


def _options(body: str) -> dict[str, str]:
    select = re.search(r'<select id="process" name="process">(.*?)</select>', body, re.S)
    return dict(re.findall(r'<option (?:selected )?value="([^"]*)">([^<]*)</option>',
                           select.group(1)))


def _link(app, staff_id, proposal_id, idea_id):
    with app.test_request_context():
        idea_links.link_ideas(db.session.get(Proposal, proposal_id), [idea_id],
                              db.session.get(User, staff_id))
        db.session.commit()


def test_process_filter_offers_rounds_with_ideas_each_at_its_own_address(app, client, pb,
                                                                         resident, staff):
    spring = make_idea(app, resident.id, title="Spring idea",
                  description="Spring idea: the details.")
    autumn = make_idea(app, resident.id, title="Autumn idea",
                  description="Autumn idea: the details.")
    draft_round_idea = make_idea(app, resident.id, title="Draft round idea",
                  description="Draft round idea: the details.")
    make_idea(app, resident.id, title="Open idea",
                  description="Open idea: the details.")
    first, second = pb.round(state="review"), pb.round(state="review")
    unpublished = pb.round(state="review", publish=False)
    without_ideas = pb.round(state="review")
    _link(app, staff.id, first.proposals["city"][0], spring)
    _link(app, staff.id, second.proposals[1][0], autumn)
    _link(app, staff.id, unpublished.proposals["city"][0], draft_round_idea)

    body = client.get("/ideas").get_data(as_text=True)
    options = _options(body)
    assert list(options) == ["", "ideas", f"budgeting-{second.id}", f"budgeting-{first.id}"]
    assert f"budgeting-{unpublished.id}" not in options
    assert f"budgeting-{without_ideas.id}" not in options
    assert options["ideas"] == translated(app, "Ideas not yet in any process", "fi")

    cases = {
        "/ideas?process=ideas": ["Open idea"],
        f"/ideas?process=budgeting-{first.id}": ["Spring idea"],
        f"/ideas?process=budgeting-{second.id}": ["Autumn idea"],
        f"/ideas?process=budgeting-{first.id}&q=autumn": [],
        # A round not offered (unpublished) is ignored like any unknown value.
        f"/ideas?process=budgeting-{unpublished.id}": sorted(
            ["Spring idea", "Autumn idea", "Draft round idea", "Open idea"]),
    }
    for url, expected in cases.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert _titles(response.get_data(as_text=True)) == expected, url
    chosen = client.get(f"/ideas?process=budgeting-{first.id}").get_data(as_text=True)
    assert f'<option selected value="budgeting-{first.id}">' in chosen


def test_an_idea_feeding_proposals_in_two_rounds_is_in_both(app, client, pb, resident, staff):
    shared = make_idea(app, resident.id, title="Shared idea",
                  description="Shared idea: the details.")
    first, second = pb.round(state="review"), pb.round(state="review")
    _link(app, staff.id, first.proposals["city"][0], shared)
    _link(app, staff.id, second.proposals["city"][0], shared)
    for ref in (first, second):
        body = client.get(f"/ideas?process=budgeting-{ref.id}").get_data(as_text=True)
        assert _titles(body) == ["Shared idea"]
    assert _titles(client.get("/ideas?process=ideas").get_data(as_text=True)) == []
