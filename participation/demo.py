"""Demo data for `make run` and trying the service: one account per role, content in fi/sv/en."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from .accounts import services as accounts
from .accounts.models import User
from .core.models import Area
from .extensions import db

DEMO_PASSWORD = "osallistu-demo-2026"
# email, display name, roles beyond resident, language, home area code
DEMO_ACCOUNTS = [
    ("asukas@example.org", "Aino Asukas", (), "fi", 1),
    ("invanare@example.org", "Bo Invånare", (), "sv", 2),
    ("resident@example.org", "Olga Resident", (), "en", 3),
    ("moderaattori@example.org", "Mikko Moderaattori", ("moderator",), "fi", 4),
    ("nuorisotyo@example.org", "Nea Nuorisotyöntekijä", ("youth_worker",), "fi", 6),
    ("virkailija@example.org", "Ville Virkailija", ("staff",), "fi", 6),
    ("yllapito@example.org", "Ylva Ylläpitäjä", ("admin",), "sv", 2),
]
DEMO_BIRTH_YEARS = [1984, 1957, 1992, 1979, 1990, 1971, 1988]


def seed_demo_data(*, if_empty: bool = False, progress: Callable[[str], None] = print) -> bool:
    """Create the demo accounts; returns False (and does nothing) if users exist and if_empty."""
    if if_empty and db.session.scalar(sa.select(sa.func.count()).select_from(User)):
        return False
    areas = {area.code: area for area in db.session.scalars(sa.select(Area))}
    for (email, name, roles, language, area_code), year in zip(
        DEMO_ACCOUNTS, DEMO_BIRTH_YEARS, strict=True
    ):
        if accounts.find_user_by_email(email):
            continue
        user = accounts.register(
            accounts.Registration(
                email=email, display_name=name, password=DEMO_PASSWORD, birth_year=year,
                home_area_id=areas[area_code].id if area_code in areas else None,
                preferred_language=language, accepted_privacy_notice=True,
                email_verified=True,
            ),
            minimum_age=13,
        )
        for role in roles:
            accounts.grant_role(user, role, actor=None, reason="demo data")
        progress(f"  account {email}")
    from .ideas.demo import seed_demo_ideas

    seed_demo_ideas(progress=progress)
    from .budgeting.demo import seed_demo_budgeting

    seed_demo_budgeting(progress=progress)
    from .hearings.demo import seed_demo_hearings

    seed_demo_hearings(progress=progress)
    from .indicators.demo import seed_demo_participation

    seed_demo_participation(progress=progress)
    return True
