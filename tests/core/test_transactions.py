"""One service call as a unit of work: it stands (commit) or is refused (rollback, the
refusal shown on the form)."""

from __future__ import annotations

import sqlalchemy as sa

from participation.core import transactions
from participation.core.exceptions import ServiceError
from participation.core.models import Area
from participation.extensions import db


class _Field:
    def __init__(self):
        self.errors = []


class _Form:
    def __init__(self):
        self.name_fi = _Field()
        self.form_errors = []


def _rename(name: str, refuse_on: str | None = None):
    def action():
        area = db.session.scalars(sa.select(Area).order_by(Area.id)).first()
        area.name_fi = name
        db.session.flush()
        if refuse_on:
            raise ServiceError("Not like that.", refuse_on)
    return action


def _name_in_database() -> str:
    db.session.expire_all()
    return db.session.scalars(sa.select(Area.name_fi).order_by(Area.id)).first()


def test_a_call_that_stands_is_committed(app):
    with app.app_context():
        form = _Form()
        assert transactions.attempt(form, _rename("Uusi nimi")) is True
        db.session.remove()
        assert _name_in_database() == "Uusi nimi"
        assert form.form_errors == [] and form.name_fi.errors == []


def test_a_refused_call_is_rolled_back_and_shown_beside_its_field_or_on_top(app):
    with app.app_context():
        before = _name_in_database()
        form = _Form()
        assert transactions.attempt(form, _rename("Ei näin", "name_fi")) is False
        assert _name_in_database() == before
        assert form.name_fi.errors == ["Not like that."] and form.form_errors == []
        other = _Form()
        assert transactions.attempt(other, _rename("Ei näin", "no_such_field")) is False
        assert other.form_errors == ["Not like that."]
        assert _name_in_database() == before
