"""Demo ideas in Finnish, Swedish and English, with supports, comments and a city answer."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from ..accounts import services as accounts
from ..core.models import Area, District
from ..extensions import db
from . import comments, services, status_service, themes
from .models import PUBLISHED, Idea, Theme

# author email, language, area code (None = whole city), district, theme slug, title, text
DEMO_IDEAS = [
    ("asukas@example.org", "fi", 1, "Leppävaara", "parks-nature",
     "Lisää penkkejä ja varjoa Leppävaaran puistoon",
     "Puistossa on kesällä paljon ihmisiä, mutta istumapaikkoja on vähän ja aurinko "
     "paahtaa.\n\nEhdotan:\n- penkkejä leikkipaikan ja lammen väliin\n- muutaman puun "
     "istuttamista varjoksi\n- juomapistettä kävelytien varteen"),
    ("asukas@example.org", "fi", None, None, "traffic-safety",
     "Turvallisemmat pyörätiet koulujen lähelle",
     "Monen koulun lähellä pyörätie loppuu kesken tai ylittää vilkkaan kadun ilman "
     "valoja. Selkeät ja erotellut pyörätiet koulujen ympärille rohkaisisivat lapsia "
     "pyöräilemään."),
    ("invanare@example.org", "sv", 2, "Tapiola", "culture",
     "Utomhuskonserter i Hagalunds centrum på sommaren",
     "Hagalund har fina öppna platser. Små gratis konserter på sommarkvällarna skulle "
     "samla grannar i alla åldrar.\n\nLokala musiker och skolornas band kunde uppträda."),
    ("invanare@example.org", "sv", 2, "Westend", "elderly",
     "Fler sittplatser längs strandpromenaden i Westend",
     "Strandpromenaden är lång och för många äldre är det svårt att gå hela sträckan "
     "utan att vila. Bänkar med armstöd var tvåhundrade meter skulle hjälpa."),
    ("resident@example.org", "en", 3, "Matinkylä", "sports-hobbies",
     "Outdoor gym next to Matinkylä metro station",
     "A small outdoor gym with pull-up bars and simple machines near the metro would let "
     "people exercise on their way to and from work. It should be lit in winter."),
    ("resident@example.org", "en", None, None, "learning",
     "Free coding clubs in libraries for teenagers",
     "Libraries could host weekly coding clubs run by volunteers. Teenagers could learn "
     "to build games and websites together. See https://www.helmet.fi for the libraries."),
    ("moderaattori@example.org", "fi", 4, "Soukka", "children-youth",
     "Skeittiparkki Soukkaan",
     "Soukan nuorilla ei ole lähellä paikkaa skeittaamiseen. Pieni betoninen "
     "skeittiparkki koulun viereen olisi nuorten toive jo monelta vuodelta."),
    ("nuorisotyo@example.org", "fi", 6, "Suvela", "community-events",
     "Kylätalo Suvelaan: yhteinen olohuone kaikenikäisille",
     "Suvelassa asuu ihmisiä monista kulttuureista. Yhteinen tila, jossa voi kokkailla, "
     "tehdä läksyjä ja pitää kerhoja, toisi naapurit yhteen."),
    ("yllapito@example.org", "sv", 2, "Otaniemi", "community-events",
     "Loppmarknad och grannskapsdag i Otnäs",
     "En gång om året kunde Otnäs ordna en loppmarknad och grannskapsdag där studenter "
     "och familjer träffas, byter saker och lär känna varandra."),
]
# (supporter email, index of the idea in DEMO_IDEAS)
DEMO_SUPPORTS = [
    ("invanare@example.org", 0), ("resident@example.org", 0), ("nuorisotyo@example.org", 0),
    ("asukas@example.org", 2), ("resident@example.org", 2), ("asukas@example.org", 4),
    ("nuorisotyo@example.org", 6), ("asukas@example.org", 6), ("invanare@example.org", 6),
    ("resident@example.org", 7), ("asukas@example.org", 8),
]
# (author email, idea index, language, text, reply to the comment at this list index or None)
DEMO_COMMENTS = [
    ("resident@example.org", 0, "en", "Yes please! Shade near the playground is much needed.",
     None),
    ("asukas@example.org", 0, "fi", "Kiitos! Juomapiste olisi tärkeä myös koirille.", 0),
    ("asukas@example.org", 2, "fi", "Hieno idea, tulisin kuuntelemaan.", None),
    ("invanare@example.org", 6, "sv", "Mina barnbarn skulle älska det här.", None),
]


def _user(email: str):
    user = accounts.find_user_by_email(email)
    if user is None:
        raise LookupError(f"demo account {email} missing: seed the accounts first")
    return user


def _district_id(area: Area | None, name: str | None) -> int | None:
    if area is None or not name:
        return None
    return db.session.scalar(sa.select(District.id).where(District.area_id == area.id,
                                                          District.name_fi == name))


def _create_ideas() -> list[Idea]:
    themes.ensure_default_themes()
    areas = {area.code: area for area in db.session.scalars(sa.select(Area))}
    by_slug = {theme.slug: theme for theme in db.session.scalars(sa.select(Theme))}
    ideas = []
    for email, language, code, district, slug, title, text in DEMO_IDEAS:
        area = areas.get(code) if code else None
        draft = services.IdeaDraft(
            title=title, description=text, theme_id=by_slug[slug].id,
            area_id=area.id if area else None, district_id=_district_id(area, district),
            language=language,
        )
        idea = services.submit_idea(_user(email), draft)
        if idea.moderation_state != PUBLISHED:  # held (a link, pre-moderation): approved
            from ..moderation.services import decide  # through the service, so it is logged

            decide(idea, _user("moderaattori@example.org"), "approve", "acceptable")
        ideas.append(idea)
    db.session.flush()
    return ideas


def seed_demo_ideas(progress: Callable[[str], None] = print) -> int:
    """Add the demo ideas unless there are ideas already; returns how many were added."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Idea)):
        return 0
    ideas = _create_ideas()
    for email, index in DEMO_SUPPORTS:
        services.support_idea(_user(email), ideas[index])
    posted = []
    for email, index, language, text, reply_to in DEMO_COMMENTS:
        parent = posted[reply_to] if reply_to is not None else None
        posted.append(comments.add_comment(_user(email), ideas[index], text,
                                           language=language, parent=parent))
    staff = _user("virkailija@example.org")
    status_service.change_status(ideas[0], staff, status_service.StatusDecision(
        status="answered", reason_language="fi",
        reason="Kiitos ideasta! Puistoon lisätään kuusi penkkiä ja kolme puuta ensi "
               "keväänä. Juomapisteen paikkaa selvitetään vesihuollon kanssa."))
    status_service.change_status(ideas[6], staff, status_service.StatusDecision(
        status="under_review", reason_language="fi",
        reason="Liikuntapalvelut selvittää sopivaa paikkaa ja kustannuksia."))
    progress(f"  {len(ideas)} demo ideas with supports, comments and answers")
    return len(ideas)
