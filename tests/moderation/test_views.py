"""Moderation pages: queue, decisions, audit trail and CSV, bans, reports and answers."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa

from participation.extensions import db
from participation.ideas.models import Idea, IdeaComment
from participation.moderation.models import Appeal, Flag, ModerationDecision
from tests.ideas.builders import make_idea

EN = {"Accept-Language": "en"}


def test_residents_cannot_reach_or_act(client, factory, auth, idea_id, comment_id):
    person = factory.user()
    auth.login(person.email)
    for path in ("/moderation/", "/moderation/log", "/moderation/log.csv",
                 "/moderation/figures", f"/moderation/item/idea/{idea_id}",
                 f"/moderation/users/{person.id}/ban", "/moderation/wordlists"):
        assert client.get(path).status_code == 403, path
    response = client.post(f"/moderation/item/idea/{idea_id}",
                           data={"action": "hide", "reason": "spam"})
    assert response.status_code == 403
    with client.application.app_context():
        assert db.session.get(Idea, idea_id).moderation_state == "published"


def test_queue_lists_new_and_flagged_content_oldest_first(app, client, auth, moderator,
                                                          factory, idea_id, comment_id):
    auth.login(moderator.email)
    flagger = factory.user()
    with app.test_request_context():
        from participation.accounts.models import User
        from participation.moderation import services

        services.flag_content(db.session.get(IdeaComment, comment_id),
                              db.session.get(User, flagger.id), "spam", "")
        db.session.commit()
    html = client.get("/moderation/", headers=EN).get_data(as_text=True)
    assert "2 items in the queue." in html
    assert html.index("Flagged") < html.index("New, not yet reviewed")
    filtered = client.get("/moderation/?type=idea_comment&language=sv", headers=EN)
    assert "1 item in the queue." in filtered.get_data(as_text=True)
    assert "0 items" in client.get("/moderation/?language=en", headers=EN) \
        .get_data(as_text=True)


def test_decision_through_the_page(app, client, auth, moderator, idea_id):
    auth.login(moderator.email)
    page = client.get(f"/moderation/item/idea/{idea_id}", headers=EN).get_data(as_text=True)
    assert "Leikkipuisto Tapiolaan" in page
    # The public reasons are offered in the content's language (Finnish) too.
    assert 'lang="fi"' in page
    missing = client.post(f"/moderation/item/idea/{idea_id}", data={"action": "hide"},
                          headers=EN)
    assert missing.status_code == 422
    assert "Choose a reason for the decision." in missing.get_data(as_text=True)
    response = client.post(f"/moderation/item/idea/{idea_id}",
                           data={"action": "hide", "reason": "spam", "note": "ad"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Idea, idea_id).moderation_state == "hidden"
    log = client.get("/moderation/log", headers=EN).get_data(as_text=True)
    assert "Mona Moderator" in log and "Spam or advertising" in log


def test_audit_trail_csv_and_filters(app, client, auth, moderator, idea_id, comment_id):
    auth.login(moderator.email)
    client.post(f"/moderation/item/idea/{idea_id}", data={"action": "approve",
                                                          "reason": "acceptable"})
    client.post(f"/moderation/item/idea_comment/{comment_id}",
                data={"action": "hide", "reason": "harassment"})
    response = client.get("/moderation/log.csv?action=hide")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["action"], r["reason"], r["content_type"], r["state_before"],
             r["state_after"]) for r in rows] == [
        ("hide", "harassment", "idea_comment", "published", "hidden")]
    assert rows[0]["moderator"] == "Mona Moderator"
    everything = client.get("/moderation/log.csv").get_data(as_text=True)
    assert everything.count("\n") == 3


def test_report_flow(app, client, factory, auth, idea_id):
    person = factory.user(language="en")
    auth.login(person.email)
    page = client.get(f"/moderation/report/idea/{idea_id}")
    assert page.status_code == 200
    empty = client.post(f"/moderation/report/idea/{idea_id}", data={"reason": "other"})
    assert empty.status_code == 422
    assert "Tell us briefly what is wrong." in empty.get_data(as_text=True)
    response = client.post(f"/moderation/report/idea/{idea_id}",
                           data={"reason": "other", "details": "Phone number in the text"})
    assert response.status_code == 302 and response.headers["Location"] == f"/ideas/{idea_id}"
    with app.app_context():
        flag = db.session.scalar(sa.select(Flag))
        assert (flag.reason, flag.details, flag.user_id) == ("other", "Phone number in the text",
                                                              person.id)


def test_reporting_is_rate_limited(client, factory, auth, author):
    app = client.application
    ideas = [make_idea(app, author.id, title=f"Idea {n}") for n in range(21)]
    person = factory.user()
    auth.login(person.email)
    statuses = [client.post(f"/moderation/report/idea/{i}", data={"reason": "spam"}).status_code
                for i in ideas]
    assert statuses[:20] == [302] * 20 and statuses[20] == 429


def test_author_answers_a_decision(app, client, auth, author, moderator, idea_id):
    auth.login(moderator.email)
    client.post(f"/moderation/item/idea/{idea_id}", data={"action": "hide", "reason": "spam"})
    auth.logout()
    with app.app_context():
        decision_id = db.session.scalar(sa.select(ModerationDecision.id))
    auth.login(author.email)
    notifications = client.get("/notifications").get_data(as_text=True)
    assert f"/moderation/decisions/{decision_id}/appeal" in notifications
    response = client.post(f"/moderation/decisions/{decision_id}/appeal",
                           data={"text": "Tämä ei ole mainos."})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/ideas/{idea_id}"  # back to the content
    assert client.get(response.headers["Location"]).status_code == 200  # its author sees it
    with app.app_context():
        assert db.session.scalar(sa.select(Appeal.text)) == "Tämä ei ole mainos."
    auth.logout()
    auth.login(moderator.email)
    html = client.get("/moderation/", headers=EN).get_data(as_text=True)
    assert "Author answered" in html


def test_only_the_author_can_answer(app, client, auth, factory, moderator, idea_id):
    auth.login(moderator.email)
    client.post(f"/moderation/item/idea/{idea_id}", data={"action": "hide", "reason": "spam"})
    with app.app_context():
        decision_id = db.session.scalar(sa.select(ModerationDecision.id))
    auth.logout()
    auth.login(factory.user().email)
    assert client.get(f"/moderation/decisions/{decision_id}/appeal").status_code == 404


def test_ban_stops_writing_everywhere(app, client, auth, factory, moderator, idea_id):
    person = factory.user(language="en")
    auth.login(moderator.email)
    response = client.post(f"/moderation/users/{person.id}/ban",
                           data={"action": "ban", "days": "7", "reason": "harassment"})
    assert response.status_code == 302
    auth.logout()
    auth.login(person.email)
    assert client.get(f"/ideas/{idea_id}").status_code == 200  # reading is fine
    writes = [
        ("/ideas/new", {"title": "x"}),
        (f"/ideas/{idea_id}/support", {}),
        (f"/ideas/{idea_id}/comments", {"body": "Hello"}),
        (f"/moderation/report/idea/{idea_id}", {"reason": "spam"}),
        ("/profile", {"display_name": "New name"}),
    ]
    for path, data in writes:
        refused = client.post(path, data=data)
        assert refused.status_code == 403, path
        assert "You cannot write at the moment" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(IdeaComment)) == 0
        assert db.session.get(Idea, idea_id).support_count == 0
    # Leaving is still possible.
    assert client.post("/logout").status_code == 302


def test_lift_ban_through_the_page(client, auth, factory, moderator):
    person = factory.user()
    auth.login(moderator.email)
    client.post(f"/moderation/users/{person.id}/ban",
                data={"action": "ban", "days": "3", "reason": "spam"})
    response = client.post(f"/moderation/users/{person.id}/ban",
                           data={"action": "lift", "lift-reason": "appeal_accepted"})
    assert response.status_code == 302
    page = client.get(f"/moderation/users/{person.id}/ban", headers=EN).get_data(as_text=True)
    assert "lifted" in page


def test_figures_page_and_command(app, client, auth, moderator, idea_id, runner):
    auth.login(moderator.email)
    client.post(f"/moderation/item/idea/{idea_id}", data={"action": "approve",
                                                          "reason": "acceptable"})
    html = client.get("/moderation/figures", headers=EN).get_data(as_text=True)
    assert "Median hours to first decision" in html
    from participation.core.types import utcnow

    result = runner.invoke(args=["moderation", "figures", "--month",
                                 utcnow().strftime("%Y-%m"), "--json"])
    assert result.exit_code == 0, result.output
    assert '"items_decided": 1' in result.output
    assert '"acceptable": 1' in result.output
    bad = runner.invoke(args=["moderation", "figures", "--month", "November"])
    assert bad.exit_code == 2 and "YYYY-MM" in bad.output
