"""The read API: drafts never appear, results only once closed, hidden cells marked only."""

from __future__ import annotations

from tests.api.conftest import get_json
from tests.hearings.api_samples import open_and_closed_hearings
from tests.hearings.conftest import build, user


def test_hearings_list_detail_and_results(app, client, factory):
    open_id, closed_id = open_and_closed_hearings(app, factory)
    with app.test_request_context():
        draft_id = build(user(factory.user(roles=("staff",))), publish=False).id
        from participation.extensions import db

        db.session.commit()
    listed = {item["id"] for item in get_json(client, "/api/v1/hearings")["items"]}
    assert listed == {open_id, closed_id}
    get_json(client, f"/api/v1/hearings/{draft_id}", status=404)
    get_json(client, f"/api/v1/hearings/{open_id}/results", status=404)
    detail = get_json(client, f"/api/v1/hearings/{closed_id}")
    assert [q["kind"] for q in detail["questions"]] == \
        ["single", "multiple", "scale", "text", "ranking", "area"]
    assert detail["questions"][1]["show_if"]["option_id"] == \
        detail["questions"][0]["options"][0]["id"]
    assert detail["feedback"]["points"][0]["heard"]["sv"] == "Vi hörde"
    results = get_json(client, f"/api/v1/hearings/{closed_id}/results")
    assert results["respondents"] == {"count": 7, "suppressed": False}
    single = results["questions"][0]
    # 6 and 1 of 7: the 1 is hidden, so the 6 is hidden too (else 7 - 6 gives it away).
    assert [(row["count"], row["suppressed"]) for row in single["rows"]] == \
        [(None, True), (None, True), (0, False)]
    ages = {row["group"]: row["count"] for row in results["breakdowns"]["age_band"]}
    assert ages == {"12-14": None, "15-17": None}  # 5 and 2: the 5 hides with the 2
    assert results["questions"][3]["approved_texts"] == []  # not yet approved by moderation
