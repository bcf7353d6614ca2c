"""The demo data: ideas in three languages with supports, comments and a city answer."""

from __future__ import annotations

import sqlalchemy as sa

from participation.demo import seed_demo_data
from participation.extensions import db
from participation.ideas.models import Idea, IdeaComment, IdeaStatusChange, IdeaSupport


def test_demo_ideas(app, client):
    with app.test_request_context():
        seed_demo_data(progress=lambda _message: None)
        db.session.commit()
        languages = set(db.session.scalars(sa.select(Idea.language)))
        areas = set(db.session.scalars(sa.select(Idea.area_id)))
        counts = [db.session.scalar(sa.select(sa.func.count()).select_from(model))
                  for model in (Idea, IdeaSupport, IdeaComment, IdeaStatusChange)]
        answered = db.session.scalar(sa.select(Idea).where(Idea.status == "answered"))
        assert answered.public_answer
        for idea in db.session.scalars(sa.select(Idea)):
            assert idea.support_count == db.session.scalar(
                sa.select(sa.func.count()).select_from(IdeaSupport)
                .where(IdeaSupport.idea_id == idea.id))
    assert languages == {"fi", "sv", "en"}
    assert None in areas and len(areas) >= 5
    assert counts[0] == 9 and counts[1] > 5 and counts[2] >= 3 and counts[3] == 2
    assert client.get("/ideas").status_code == 200
    with app.test_request_context():
        seed_demo_data(progress=lambda _message: None)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Idea)) == 9
