"""A hearing with every question type, made through the services as an organiser would."""

from __future__ import annotations

from datetime import timedelta

import pytest

from participation.accounts.models import User
from participation.core.types import utcnow
from participation.extensions import db
from participation.hearings import services
from participation.hearings.models import Hearing


def hearing_values(**overrides) -> dict:
    now = utcnow()
    values = {
        "title_fi": "Nuorisotilat", "title_sv": "Ungdomsgårdar", "title_en": "Youth centres",
        "intro_fi": "Kerro mielipiteesi.", "intro_sv": "Berätta vad du tycker.", "intro_en": "",
        "plain_fi": "", "plain_sv": "", "plain_en": "", "organiser": "Nuorisovaltuusto",
        "contact_name": "Nea", "contact_email": "", "min_age": 12, "max_age": 17,
        "area_ids": [], "opens_at": now - timedelta(days=1), "closes_at": now + timedelta(days=7),
        "feedback_due": (now + timedelta(days=30)).date(), "ask_background": True,
    }
    values.update(overrides)
    return values


def question(kind, options=(), **extra) -> dict:
    values = {"kind": kind, "text_fi": f"Kysymys {kind}", "text_sv": f"Fråga {kind}",
              "required": False}
    if options:
        values["options_fi"] = "\n".join(options)
        values["options_sv"] = "\n".join(f"{o} sv" for o in options)
    if kind == "scale":
        values.update(low_fi="Huono", low_sv="Dålig", high_fi="Hyvä", high_sv="Bra")
    values.update(extra)
    return values


def build(worker, *, publish=True, **overrides) -> Hearing:
    """Questions in order: single (required), multiple (max 2, shown if single = A),
    scale, text (max 20), ranking (4 options, at most 3), area."""
    hearing = services.create_hearing(worker, hearing_values(**overrides))
    services.add_question(hearing, worker, question("single", ("A", "B", "C"), required=True))
    first = hearing.questions[0].options[0]
    services.add_question(hearing, worker, question("multiple", ("P", "Q", "R"), max_choices=2,
                                                    show_if_option_id=first.id))
    services.add_question(hearing, worker, question("scale"))
    services.add_question(hearing, worker, question("text", max_length=20))
    services.add_question(hearing, worker, question("ranking", ("W", "X", "Y", "Z"),
                                                    max_choices=3))
    services.add_question(hearing, worker, question("area"))
    if publish:
        services.publish(hearing, worker)
    db.session.flush()
    return hearing


@pytest.fixture
def worker(app, factory):
    ref = factory.user(roles=("youth_worker",))
    return ref


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield
        db.session.rollback()


def user(ref) -> User:
    return db.session.get(User, ref.id)
