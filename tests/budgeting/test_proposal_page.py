"""Proposal pages show the author's display name, the idea it came from and comments that are
moderated like idea comments (the moderation registry's queue, hide with a public reason)."""

from __future__ import annotations

import sqlalchemy as sa

from participation.accounts.models import User
from participation.budgeting.rounds import proposals as proposal_service
from participation.budgeting.rounds.models import BudgetRound, ProposalComment
from participation.extensions import db
from participation.moderation import registry
from participation.moderation.services import decide
from tests.budgeting.builders import en, pb_fixture  # noqa: F401  (the pb fixture)

EN = {"Accept-Language": "en"}


def _resident_proposal(app, pb, factory):
    ref = pb.round(state="proposals", costs={})
    author = factory.user(display_name="Aino Asukas", language="en")
    with en(app):
        budget_round = db.session.get(BudgetRound, ref.id)
        proposal = proposal_service.submit_proposal(
            budget_round, budget_round.city_budget, db.session.get(User, author.id),
            title="Penkkejä rannalle", description="Lisää penkkejä.", cost=5000,
            language="fi")
        db.session.commit()
        return ref, proposal.id, author


def test_the_page_names_the_author(app, client, pb, factory):
    _ref, proposal_id, _author = _resident_proposal(app, pb, factory)
    page = client.get(f"/budgeting/proposals/{proposal_id}", headers=EN).text
    assert "Proposed by" in page and "Aino Asukas" in page


def test_residents_comment_and_moderators_hide_with_a_reason(app, client, pb, factory, auth):
    _ref, proposal_id, _author = _resident_proposal(app, pb, factory)
    page = client.get(f"/budgeting/proposals/{proposal_id}", headers=EN).text
    assert "Log in to comment" in page
    commenter = factory.user(display_name="Kalle Kommentoija", language="en")
    auth.login(commenter.email)
    refused = client.post(f"/budgeting/proposals/{proposal_id}/comments", data={"body": " "})
    assert refused.status_code == 422 and 'id="body-error"' in refused.text
    posted = client.post(f"/budgeting/proposals/{proposal_id}/comments",
                         data={"body": "Hyvä idea, kannatan!"})
    assert posted.status_code == 302
    page = client.get(f"/budgeting/proposals/{proposal_id}", headers=EN).text
    assert "Hyvä idea, kannatan!" in page and "Kalle Kommentoija" in page
    assert registry.get("proposal_comment") is not None
    with en(app):
        comment = db.session.scalar(sa.select(ProposalComment))
        moderator = db.session.get(User, factory.user(roles=("moderator",)).id)
        decide(comment, moderator, "hide", "spam")
        db.session.commit()
    auth.logout()
    hidden = client.get(f"/budgeting/proposals/{proposal_id}", headers=EN).text
    assert "Hyvä idea, kannatan!" not in hidden
    assert "spam" in hidden.lower() or "advertising" in hidden.lower()


def test_only_the_author_deletes_a_comment(app, client, pb, factory, auth):
    _ref, proposal_id, _author = _resident_proposal(app, pb, factory)
    writer, other = factory.user(language="en"), factory.user(language="en")
    auth.login(writer.email)
    client.post(f"/budgeting/proposals/{proposal_id}/comments", data={"body": "Ehdottomasti."})
    with app.app_context():
        comment_id = db.session.scalar(sa.select(ProposalComment.id))
    auth.logout()
    auth.login(other.email)
    client.post(f"/budgeting/proposals/comments/{comment_id}/delete")
    with app.app_context():
        assert db.session.get(ProposalComment, comment_id).deleted_at is None
    auth.logout()
    auth.login(writer.email)
    client.post(f"/budgeting/proposals/comments/{comment_id}/delete")
    with app.app_context():
        deleted = db.session.get(ProposalComment, comment_id)
        assert deleted.deleted_at is not None and deleted.body == ""


def test_held_comments_show_only_to_their_author(app, client, pb, factory, auth):
    _ref, proposal_id, _author = _resident_proposal(app, pb, factory)
    writer = factory.user(language="en")
    auth.login(writer.email)
    client.post(f"/budgeting/proposals/{proposal_id}/comments", data={"body": "Odottaa."})
    with app.app_context():
        db.session.execute(sa.update(ProposalComment).values(moderation_state="pending"))
        db.session.commit()
    assert "Odottaa." in client.get(f"/budgeting/proposals/{proposal_id}", headers=EN).text
    auth.logout()
    assert "Odottaa." not in client.get(f"/budgeting/proposals/{proposal_id}",
                                        headers=EN).text


def test_the_page_shows_the_images_of_its_ideas_with_their_alt_text(app, client, pb, factory):
    """Point 9: a proposal shows the images of the ideas it came from, described and
    lazy-loaded, without JavaScript; a removed image or a hidden idea's image is not shown."""
    from participation.budgeting.rounds.models import ProposalIdea
    from participation.ideas.models import Idea
    from tests.ideas.builders import ensure_themes, make_idea

    ensure_themes(app)
    _ref, proposal_id, author = _resident_proposal(app, pb, factory)
    shown = make_idea(app, author.id, title="Benches by the shore")
    removed = make_idea(app, author.id, title="A picture taken away")
    hidden = make_idea(app, author.id, title="Hidden by a moderator")
    with app.app_context():
        for idea_id, file_name, alt in ((shown, "shore.jpg", "A <b>bench</b> by the sea"),
                                        (removed, None, "An old picture"),
                                        (hidden, "hidden.jpg", "A hidden picture")):
            idea = db.session.get(Idea, idea_id)
            idea.image_file, idea.image_alt = file_name, alt
            idea.image_width, idea.image_height = (640, 480) if file_name else (None, None)
            db.session.add(ProposalIdea(proposal_id=proposal_id, idea_id=idea_id))
        db.session.get(Idea, hidden).moderation_state = "hidden"
        db.session.commit()
    page = client.get(f"/budgeting/proposals/{proposal_id}", headers=EN).text
    assert "Images from the ideas" in page
    assert (f'<img src="/ideas/{shown}/image" alt="A &lt;b&gt;bench&lt;/b&gt; by the sea" '
            'lang="en" width="640" height="480" loading="lazy">') in page
    assert f'From the idea: <a href="/ideas/{shown}" lang="en">Benches by the shore</a>' in page
    section = page.split("Images from the ideas", 1)[1].split("</section>", 1)[0]
    assert section.count("<img ") == section.count('loading="lazy"') == 1
    assert "<script" not in section
    assert "An old picture" not in page and f"/ideas/{removed}/image" not in page
    assert "A hidden picture" not in page and f"/ideas/{hidden}/image" not in page


def test_a_proposal_without_idea_images_has_no_image_section(app, client, pb, factory):
    _ref, proposal_id, _author = _resident_proposal(app, pb, factory)
    page = client.get(f"/budgeting/proposals/{proposal_id}", headers=EN).text
    assert "Images from the ideas" not in page
