"""Free-text answers go through the moderation registry before they appear anywhere public;
feedback mail goes to those who gave an address, which is then erased."""

from __future__ import annotations

import sqlalchemy as sa

from participation.extensions import db
from participation.hearings import answering, feedback, services
from participation.hearings.models import Respondent, TextAnswer
from tests.hearings.conftest import build, user


def _closed_with_text(app, worker, email=None) -> tuple[int, int]:
    with app.test_request_context():
        hearing = build(user(worker))
        single, text = hearing.questions[0], hearing.questions[3]
        group = services.open_session(hearing, user(worker), "7A", 30, 2)
        answering.submit_response(hearing, {f"q{single.id}": [str(single.options[1].id)],
                                            f"q{text.id}": ["Lisää sohvia"]},
                                  token="t1", session=group, email=email)
        services.close(hearing, user(worker))
        db.session.commit()
        return hearing.id, db.session.scalar(sa.select(TextAnswer.id))


def test_free_text_waits_for_a_moderator(app, client, auth, worker, factory):
    hearing_id, answer_id = _closed_with_text(app, worker)
    assert "Lisää sohvia" not in client.get(f"/hearings/{hearing_id}/results").text
    assert "Lisää sohvia" not in client.get(f"/hearings/{hearing_id}/results.json").text
    moderator = factory.user(roles=("moderator",))
    auth.login(moderator.email)
    assert "Lisää sohvia" in client.get("/moderation/").text
    item = f"/moderation/item/hearing_answer/{answer_id}"
    assert client.get(item).status_code == 200
    response = client.post(item, data={"action": "approve", "reason": "acceptable"})
    assert response.status_code == 302, response.text[:500]
    auth.logout()
    assert "Lisää sohvia" in client.get(f"/hearings/{hearing_id}/results").text


def test_feedback_mail_goes_to_given_addresses_which_are_then_erased(app, worker, outbox):
    hearing_id, _answer_id = _closed_with_text(app, worker, email="oppilas@example.org")
    with app.test_request_context():
        from participation.hearings.models import Hearing

        hearing = db.session.get(Hearing, hearing_id)
        feedback.add_point(hearing, user(worker), {
            "heard_fi": "Sohvia", "heard_sv": "Soffor", "action_fi": "Ostamme",
            "action_sv": "Vi köper", "link_url": "https://example.org"})
        assert feedback.publish_feedback(hearing, user(worker)) == 1
        db.session.commit()
        assert db.session.scalar(sa.select(Respondent.email)) is None
    mails = [path.read_text() for path in outbox.glob("*.eml")]
    assert len(mails) == 1 and "oppilas@example.org" in mails[0]


def test_data_export_names_hearings_answered_and_deletion_forgets_who(app, worker, factory):
    from participation.accounts import services as accounts
    from participation.core.types import utcnow
    from participation.hearings.models import Response

    person = factory.user(birth_year=utcnow().year - 16)
    with app.test_request_context():
        hearing = build(user(worker))
        single = hearing.questions[0]
        answering.submit_response(hearing, {f"q{single.id}": [str(single.options[0].id)]},
                                  user=user(person))
        db.session.commit()
        data = accounts.export_personal_data(user(person))
        assert data["youth_hearings"]["answered"] == [
            {"hearing_id": hearing.id, "title": "Nuorisotilat"}]
        accounts.delete_account(user(person), person.password)
        db.session.commit()
        assert db.session.scalar(sa.select(Respondent.user_id)) is None
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1


def test_feedback_links_only_to_ideas_and_proposals_that_exist(app, worker):
    import pytest

    from participation.core.exceptions import ServiceError
    from participation.hearings.models import Hearing

    hearing_id, _answer_id = _closed_with_text(app, worker)
    with app.test_request_context():
        hearing = db.session.get(Hearing, hearing_id)
        texts = {"heard_fi": "a", "heard_sv": "b", "action_fi": "c", "action_sv": "d"}
        for field in ("idea_id", "proposal_id"):
            with pytest.raises(ServiceError) as refused:
                feedback.add_point(hearing, user(worker), {**texts, field: 999999})
            assert refused.value.field == field
