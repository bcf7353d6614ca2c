"""Test data made through the real services (so factories obey the same rules as users)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import sqlalchemy as sa

from participation.accounts import services as accounts
from participation.core.models import Area
from participation.extensions import db

DEFAULT_PASSWORD = "correct horse battery"
_counter = itertools.count(1)


@dataclass(frozen=True)
class UserRef:
    """What a test needs of a user, safe to keep across requests and sessions."""

    id: int
    email: str
    password: str
    display_name: str


def login_of(user_id: int) -> str:
    """The login a session cookie carries for the account (User.get_id), read in the
    request's session, which is then closed: what the user loader is next given."""
    from participation.accounts.models import User

    login = db.session.get(User, user_id).get_id()
    db.session.remove()
    return login


class Factory:
    def __init__(self, app):
        self.app = app

    def area_id(self, code: int = 1) -> int:
        with self.app.app_context():
            return db.session.scalar(sa.select(Area.id).where(Area.code == code))

    def user(self, *, roles=(), email=None, display_name=None, password=DEFAULT_PASSWORD,
             birth_year=1990, area_code=1, language="fi", email_verified=True) -> UserRef:
        number = next(_counter)
        email = email or f"person{number}@example.org"
        display_name = display_name or f"Person {number}"
        with self.app.test_request_context():
            home_area_id = db.session.scalar(sa.select(Area.id).where(Area.code == area_code))
            user = accounts.register(
                accounts.Registration(
                    email=email, display_name=display_name, password=password,
                    birth_year=birth_year, home_area_id=home_area_id,
                    preferred_language=language, accepted_privacy_notice=True,
                    email_verified=email_verified,
                ),
                minimum_age=13,
            )
            for role in roles:
                accounts.grant_role(user, role, actor=None, reason="test")
            db.session.commit()
            return UserRef(user.id, user.email, password, user.display_name)
