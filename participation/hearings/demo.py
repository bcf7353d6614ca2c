"""Demo hearings: one open with a class session code, one closed with results and feedback."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from ..accounts import services as accounts
from ..core.types import utcnow
from ..extensions import db
from . import answering, feedback, services
from .models import ClassSession, Hearing

WORKER_EMAIL = "nuorisotyo@example.org"
ORGANISER = "Espoon nuorisovaltuusto / Esbo ungdomsfullmäktige"


def _question(kind, fi, sv, en, options=(), **extra) -> dict:
    values = {"kind": kind, "text_fi": fi, "text_sv": sv, "text_en": en, "required": False}
    if options:
        values.update(options_fi="\n".join(o[0] for o in options),
                      options_sv="\n".join(o[1] for o in options),
                      options_en="\n".join(o[2] for o in options))
    values.update(extra)
    return values


def _hearing(worker, title, intro, plain, opens, closes, due) -> Hearing:
    return services.create_hearing(worker, {
        "title_fi": title[0], "title_sv": title[1], "title_en": title[2],
        "intro_fi": intro[0], "intro_sv": intro[1], "intro_en": intro[2],
        "plain_fi": plain[0], "plain_sv": plain[1], "plain_en": plain[2],
        "organiser": ORGANISER, "contact_name": "Nea Nuorisotyöntekijä",
        "contact_email": "nuoriso@example.org", "min_age": 12, "max_age": 17, "area_ids": [],
        "opens_at": opens, "closes_at": closes, "feedback_due": due, "ask_background": True})


PLACES = (("Nuorisotila", "Ungdomsgård", "Youth centre"), ("Kirjasto", "Bibliotek", "Library"),
          ("Kauppakeskus", "Köpcentrum", "Shopping centre"), ("Urheilupaikka", "Idrottsplats",
                                                              "Sports ground"))


def seed_demo_hearings(*, progress: Callable[[str], None] = print) -> None:
    if db.session.scalar(sa.select(sa.func.count()).select_from(Hearing)):
        return
    worker = accounts.find_user_by_email(WORKER_EMAIL)
    if worker is None:
        return
    now = utcnow()
    # The open hearing: every question type, a conditional one, and a class session.
    current = _hearing(
        worker, ("Millainen on hyvä nuorisotila?", "Hur ser en bra ungdomsgård ut?",
                 "What makes a good youth centre?"),
        ("Espoo suunnittelee nuorisotilojen aukioloaikoja ja toimintaa ensi vuodelle. "
         "Kerro, mitä sinä toivot.",
         "Esbo planerar ungdomsgårdarnas öppettider och verksamhet för nästa år. "
         "Berätta vad du önskar.",
         "Espoo is planning youth centre opening hours and activities for next year. "
         "Tell us what you would like."),
        ("Kerro, mitä haluat tehdä nuorisotilassa.", "Berätta vad du vill göra på ungdomsgården.",
         "Tell us what you want to do at a youth centre."),
        now - timedelta(days=2), now + timedelta(days=21), (now + timedelta(days=45)).date())
    services.add_question(current, worker, _question(
        "single", "Käytkö nuorisotilassa?", "Besöker du en ungdomsgård?",
        "Do you go to a youth centre?",
        (("Kyllä", "Ja", "Yes"), ("En", "Nej", "No")), required=True,
        plain_fi="Käytkö nuorisotalolla?", plain_sv="Går du till ungdomsgården?"))
    yes = current.questions[0].options[0]
    services.add_question(current, worker, _question(
        "multiple", "Mitä teet siellä?", "Vad gör du där?", "What do you do there?",
        (("Pelaan", "Spelar", "Play games"), ("Tapaan kavereita", "Träffar kompisar",
                                              "Meet friends"),
         ("Urheilen", "Idrottar", "Do sports"), ("Teen musiikkia", "Gör musik", "Make music")),
        max_choices=2, show_if_option_id=yes.id))
    services.add_question(current, worker, _question(
        "scale", "Kuinka tärkeitä iltaisin auki olevat tilat ovat sinulle?",
        "Hur viktigt är det för dig att gårdarna är öppna på kvällarna?",
        "How important is it to you that centres are open in the evenings?",
        low_fi="Ei lainkaan", low_sv="Inte alls", low_en="Not at all",
        high_fi="Erittäin", high_sv="Mycket", high_en="Very"))
    services.add_question(current, worker, _question(
        "ranking", "Missä haluaisit viettää vapaa-aikaa?", "Var vill du helst vara på fritiden?",
        "Where would you like to spend your free time?", PLACES, max_choices=4))
    services.add_question(current, worker, _question(
        "area", "Missä nuorisotilassa käyt eniten?", "Vilken ungdomsgård besöker du mest?",
        "Which youth centre do you visit most?"))
    services.add_question(current, worker, _question(
        "text", "Mitä muuta haluat sanoa?", "Vad vill du säga mer?",
        "What else would you like to say?", max_length=500))
    services.publish(current, worker)
    class_session = services.open_session(current, worker, "Espoonlahden koulu 8B", 30, 24 * 7)
    progress(f"  hearing “{current.title_fi}”: class session code {class_session.code}")

    # The closed hearing: answered, closed, results and feedback published.
    earlier = _hearing(
        worker, ("Koulumatkat turvallisemmiksi", "Säkrare skolvägar", "Safer journeys to school"),
        ("Kysyimme, missä koulumatka tuntuu vaaralliselta.",
         "Vi frågade var skolvägen känns farlig.",
         "We asked where the journey to school feels unsafe."),
        ("", "", ""), now - timedelta(days=60), now + timedelta(days=1),
        (now + timedelta(days=14)).date())
    services.add_question(earlier, worker, _question(
        "single", "Miten kuljet kouluun?", "Hur tar du dig till skolan?",
        "How do you get to school?",
        (("Kävellen", "Till fots", "On foot"), ("Pyörällä", "Med cykel", "By bike"),
         ("Bussilla tai metrolla", "Med buss eller metro", "By bus or metro"),
         ("Autolla", "Med bil", "By car")), required=True))
    services.add_question(earlier, worker, _question(
        "scale", "Kuinka turvalliselta koulumatkasi tuntuu?", "Hur trygg känns din skolväg?",
        "How safe does your journey to school feel?", low_fi="Vaaralliselta",
        low_sv="Farlig", low_en="Unsafe", high_fi="Turvalliselta", high_sv="Trygg",
        high_en="Safe"))
    services.publish(earlier, worker)
    chooser = random.Random(11)
    options = [option.id for option in earlier.questions[0].options]
    for _ in range(23):
        raw = {f"q{earlier.questions[0].id}": [str(chooser.choice(options[:3]))],
               f"q{earlier.questions[1].id}": [str(chooser.choice((2, 3, 4, 4, 5)))],
               "bg_age": [chooser.choice(("12-14", "15-17"))]}
        answering.submit_response(earlier, raw, paper=True, now=now - timedelta(days=30))
    earlier.closes_at = now - timedelta(days=20)
    services.close(earlier, worker, now=now)
    feedback.add_point(earlier, worker, {
        "question_id": earlier.questions[1].id,
        "heard_fi": "Moni kertoi Kirkkojärventien risteyksen tuntuvan vaaralliselta.",
        "heard_sv": "Många berättade att korsningen vid Kyrkträskvägen känns farlig.",
        "action_fi": "Risteykseen tulee suojatievalot ensi keväänä.",
        "action_sv": "Korsningen får trafikljus vid övergångsstället nästa vår.",
        "link_url": "https://www.espoo.fi/fi/kaupunkisuunnittelu"})
    with current_app.test_request_context():  # the feedback mail links need a URL
        feedback.publish_feedback(earlier, worker)
    progress(f"  hearing “{earlier.title_fi}” closed, with results and feedback")


def echo_open_codes(echo: Callable[[str], None] = print) -> None:
    """Print the class session codes in use now, so a new user can try answering at once."""
    active = [row for row in db.session.scalars(sa.select(ClassSession).order_by(ClassSession.id))
              if row.is_active() and row.hearing.is_open()]
    if active:
        echo("Youth hearing class session codes (answer at /hearings/code):")
    for row in active:
        echo(f"  {row.code}  {row.group_name}: {row.hearing.title_fi}")
