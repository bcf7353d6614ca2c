"""Account rules: registration, login, password reset, profile, roles, export and deletion."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..core import audit, privacy
from ..core.exceptions import ServiceError
from ..core.formats import machine_datetime as _iso
from ..core.models import Area
from ..core.permissions import ROLES
from ..core.types import utcnow
from ..extensions import db
from .loading import forget_loaded_roles
from .models import RoleGrant, User
from .passwords import (
    burn_verification_time,
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)

RESET_SALT = "participation.password-reset"
VERIFY_SALT = "participation.email-verification"
OLDEST_BIRTH_YEAR = 1900


@dataclass
class Registration:
    email: str
    display_name: str
    password: str
    birth_year: int
    home_area_id: int | None
    preferred_language: str
    accepted_privacy_notice: bool
    email_notifications: bool = False
    # Needed when the birth year alone cannot tell whether the person has turned 13 yet.
    confirmed_minimum_age: bool = False
    # True only where the address is known to work (demo data, accounts made by an admin);
    # a person registering on the site confirms it through the link mailed to them.
    email_verified: bool = False


class EmailTaken(ServiceError):
    """The address has an account already: the page must not say so (the owner is mailed)."""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def age_problem(birth_year: int | None, minimum_age: int, today: datetime | None = None,
                confirmed: bool = True):
    """Why someone born in `birth_year` may not register, or None.

    Only the year of birth is asked; in the year someone turns the minimum age they must also
    confirm they have had that birthday (`confirmed`).
    """
    year = (today or utcnow()).year
    if birth_year is None or birth_year < OLDEST_BIRTH_YEAR or birth_year > year:
        return _("Enter your year of birth as four digits, for example 1985.")
    if year - birth_year < minimum_age:
        return _(
            "You can register when you are %(age)d years old. Under data protection law, "
            "younger children need their guardian's consent to use online services, so we "
            "cannot create an account for you yet. You can still read everything on the site, "
            "and your school or youth centre can pass on your ideas.",
            age=minimum_age,
        )
    if year - birth_year == minimum_age and not confirmed:
        return _(
            "If you were born in %(year)d, tick the box to confirm that you are already "
            "%(age)d years old.", year=birth_year, age=minimum_age,
        )
    return None


def register(data: Registration, *, minimum_age: int) -> User:
    email = normalise_email(data.email)
    if not data.accepted_privacy_notice:
        raise ServiceError(_("Confirm that you have read the privacy notice."),
                           "accept_privacy")
    problem = age_problem(data.birth_year, minimum_age, confirmed=data.confirmed_minimum_age)
    if problem:
        raise ServiceError(problem, "birth_year")
    problem = password_problem(data.password, email=email, display_name=data.display_name)
    if problem:
        raise ServiceError(problem, "password")
    if find_user_by_email(email):
        hash_password(data.password)  # the same work as a new account: time tells nothing
        raise EmailTaken("email taken", "email")  # never shown: the page says the same
    if data.home_area_id is not None and db.session.get(Area, data.home_area_id) is None:
        raise ServiceError(_("Choose your home area from the list."), "home_area")
    user = User(
        email=email,
        display_name=data.display_name.strip(),
        password_hash=hash_password(data.password),
        birth_year=data.birth_year,
        home_area_id=data.home_area_id,
        preferred_language=data.preferred_language,
        email_notifications=data.email_notifications,
        privacy_accepted_at=utcnow(),
        email_verified_at=utcnow() if data.email_verified else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None (same time and answer either way)."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        burn_verification_time(password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def _reset_serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=RESET_SALT)


def _password_fingerprint(user: User) -> str:
    # Ties a reset token to the current password, so a used token cannot be used again.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_reset_token(user: User, secret_key: str) -> str:
    return _reset_serializer(secret_key).dumps([user.id, _password_fingerprint(user)])


def user_for_reset_token(token: str, secret_key: str, max_age: int) -> User:
    try:
        user_id, fingerprint = _reset_serializer(secret_key).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise ServiceError(
            _("This password reset link has expired. Ask for a new link below.")
        ) from error
    except (BadSignature, ValueError, TypeError) as error:
        raise ServiceError(
            _("This password reset link is not valid. Ask for a new link below.")
        ) from error
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or not hmac.compare_digest(
        fingerprint, _password_fingerprint(user)
    ):
        raise ServiceError(
            _("This password reset link has already been used. Ask for a new link below.")
        )
    return user


def make_verification_token(user: User, secret_key: str) -> str:
    """A signed link token confirming that `user` receives mail at their current address."""
    return URLSafeTimedSerializer(secret_key, salt=VERIFY_SALT).dumps([user.id, user.email])


def verify_email(token: str, secret_key: str, max_age: int) -> User:
    """Mark the address confirmed (again is fine); ServiceError for a bad or old link."""
    try:
        user_id, email = URLSafeTimedSerializer(secret_key, salt=VERIFY_SALT).loads(
            token, max_age=max_age)
    except SignatureExpired as error:
        raise ServiceError(_("This confirmation link has expired. Log in and ask for a new "
                             "link on your profile page.")) from error
    except (BadSignature, ValueError, TypeError) as error:
        raise ServiceError(_("This confirmation link is not valid. Log in and ask for a new "
                             "link on your profile page.")) from error
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.is_active or user.email != email:
        raise ServiceError(_("This confirmation link is not valid. Log in and ask for a new "
                             "link on your profile page."))
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    return user


def set_password(user: User, password: str) -> None:
    problem = password_problem(password, email=user.email, display_name=user.display_name)
    if problem:
        raise ServiceError(problem, "password")
    user.password_hash = hash_password(password)
    user.end_sessions()  # whoever knew the old password is logged out everywhere


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise ServiceError(_("Your current password is not correct."), "current_password")
    set_password(user, new_password)


def update_profile(user: User, *, display_name: str, birth_year: int | None,
                   home_area_id: int | None, preferred_language: str,
                   email_notifications: bool, minimum_age: int) -> None:
    problem = age_problem(birth_year, minimum_age)
    if problem:
        raise ServiceError(problem, "birth_year")
    if home_area_id is not None and db.session.get(Area, home_area_id) is None:
        raise ServiceError(_("Choose your home area from the list."), "home_area")
    user.display_name = display_name.strip()
    user.birth_year = birth_year
    user.home_area_id = home_area_id
    user.preferred_language = preferred_language
    user.email_notifications = email_notifications


def grant_role(user: User, role: str, *, actor: User | None, reason: str = "") -> bool:
    """Give `user` the role; False when they already had it."""
    if role not in ROLES:
        raise ServiceError(_("Unknown role: %(role)s", role=role), "role")
    if role == "resident" or any(grant.role == role for grant in user.role_grants):
        return False
    before = sorted(user.roles)
    forget_loaded_roles(user)
    user.role_grants.append(RoleGrant(role=role, granted_by_id=getattr(actor, "id", None)))
    db.session.flush()
    audit.record(actor, "role.grant", "user", user.id, reason=reason or role,
                 before={"roles": before}, after={"roles": sorted(user.roles)})
    return True


def revoke_role(user: User, role: str, *, actor: User | None, reason: str = "") -> bool:
    if role not in ROLES:
        raise ServiceError(_("Unknown role: %(role)s", role=role), "role")
    grants = [grant for grant in user.role_grants if grant.role == role]
    if not grants:
        return False
    before = sorted(user.roles)
    forget_loaded_roles(user)
    for grant in grants:
        user.role_grants.remove(grant)
    db.session.flush()
    audit.record(actor, "role.revoke", "user", user.id, reason=reason or role,
                 before={"roles": before}, after={"roles": sorted(user.roles)})
    return True


def export_personal_data(user: User) -> dict:
    """Everything the service holds about the person, for 'download my data'."""
    account = {
        "email": user.email,
        "display_name": user.display_name,
        "birth_year": user.birth_year,
        "home_area": user.home_area.name_fi if user.home_area else None,
        "preferred_language": user.preferred_language,
        "email_notifications": user.email_notifications,
        "roles": sorted(user.roles),
        "privacy_notice_accepted_at": _iso(user.privacy_accepted_at),
        "created_at": _iso(user.created_at),
        "last_login_at": _iso(user.last_login_at),
        "email_verified_at": _iso(user.email_verified_at),
    }
    data = {"exported_at": _iso(utcnow()), "account": account}
    for section, exporter in sorted(privacy.exporters().items()):
        data[section] = exporter(user)
    return data


def delete_account(user: User, password: str) -> None:
    """Anonymise the person and their content; anonymous statistics stay."""
    if not verify_password(user.password_hash, password):
        raise ServiceError(_("Your password is not correct."), "password")
    for _name, anonymiser in sorted(privacy.anonymisers().items()):
        anonymiser(user)
    user.email = f"deleted-{user.id}@invalid"
    user.display_name = ""
    user.password_hash = ""
    user.birth_year = None
    user.home_area_id = None
    user.email_notifications = False
    user.pseudonym_seed = None
    user.deleted_at = utcnow()
    user.end_sessions()
    forget_loaded_roles(user)
    user.role_grants.clear()
    db.session.flush()


