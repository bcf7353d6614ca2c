"""The signed-in person, read once per request with what every request asks of them.

Flask-Login's user loader (create_app) calls `load_signed_in`: one query reads the account, its
role grants (pages check roles), the id of the person's active ban, if any (every write
request is refused to a banned person: moderation/guard.py takes the ban from here instead of
asking the database again), the number of unread notifications (the header's badge on
every page: ideas/notifications.py takes it from here) and whether the account has any
identity check (the ballot pages and casts ask; most voters have none, and then
budgeting/voting/eligibility.py need not look). A request that marks notifications read
redirects, so the count read here is the one its next page shows; a request that adds an
identity check forgets the flag read here. The role grants come as one aggregated column, not
as joined rows the session would make objects of; a request that grants or revokes a role
forgets them (User.roles then reads the grants themselves).

Every signed-in page runs this statement, so it is read as a plain row on the session's
connection and the account is put together from it (`_account`): the ORM's loading of the
same row cost about 3 % of a ballot page's CPU (bench/README.md). The account then joins
the session as if the ORM had loaded it (make_transient_to_detached: its values are the
committed ones, with no history), so it is persistent, lazy-loads its relationships and is
written at the next flush when changed; an account the session already holds is used as it
is.
"""

from __future__ import annotations

from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import make_transient_to_detached

from ..core.parsing import parse_id
from ..core.sentinels import NOT_READ
from ..core.types import UTCDateTime, utcnow
from ..extensions import db
from ..moderation.sanctions import active_ban_id
from .models import LOADED_ROLES, RoleGrant, User

# The account's attribute for each column of its table, in the table's order.
_COLUMNS = tuple(sa.inspect(User).get_property_by_column(column).key
                 for column in User.__table__.c)
# Plain attributes on the loaded User, not columns.
_BAN_ID = "_signed_in_ban_id"
_UNREAD = "_signed_in_unread_count"
_HAS_CHECKS = "_signed_in_has_checks"


@cache
def _signed_in_query() -> sa.Select:
    from ..budgeting.voting.eligibility import has_checks_of
    from ..ideas.notifications import unread_count_of

    account = User.__table__
    return (sa.select(*account.c,
                      active_ban_id(account.c.id, sa.bindparam("now", type_=UTCDateTime())),
                      unread_count_of(account.c.id), has_checks_of(account.c.id),
                      _roles_of(account.c.id))
            .where(account.c.id == sa.bindparam("user_id")))


def _roles_of(user_id) -> sa.ScalarSelect:
    """The account's granted roles joined by commas (None: none), as a column. The separator
    is written into the SQL (a bound one is put in at every execution)."""
    return (sa.select(sa.func.aggregate_strings(RoleGrant.role, sa.literal_column("','")))
            .where(RoleGrant.user_id == user_id).scalar_subquery())


def _account(values: dict) -> User:
    """The account whose column values are `values`, persistent in the request's session."""
    session = db.session()
    held = session.identity_map.get(sa.inspect(User).identity_key_from_primary_key(
        (values["id"],)))
    if held is not None:
        return held
    user = User()
    user.__dict__.update(values)  # as the ORM's loading does (no attribute events)
    make_transient_to_detached(user)  # the values as loaded: no history, nothing to write
    session.add(user)
    return user


def load_signed_in(login: str) -> User | None:
    """The account a session's login ("id.version") names, or None: unknown, deleted, or a
    cookie from before the person's sessions were ended."""
    user_id, _dot, version = (login or "").partition(".")
    user_pk = parse_id(user_id)
    if user_pk is None:
        return None
    row = db.session.connection().execute(_signed_in_query(),
                                          {"user_id": user_pk, "now": utcnow()}).first()
    if row is None:
        return None
    *values, ban_id, unread, has_checks, roles = row
    values = dict(zip(_COLUMNS, values, strict=True))
    deleted = values["deleted_at"] is not None  # not User.is_active
    if deleted or version != str(values["session_version"] or 0):
        return None
    user = _account(values)
    setattr(user, _BAN_ID, ban_id)
    setattr(user, _UNREAD, unread or 0)
    setattr(user, _HAS_CHECKS, bool(has_checks))
    setattr(user, LOADED_ROLES, frozenset(roles.split(",")) if roles else frozenset())
    return user


def loaded_unread_count(user):
    """The unread count read with the account, or NOT_READ (see loaded_ban_id)."""
    return getattr(user, _UNREAD, NOT_READ)


def loaded_ban_id(user):
    """The id of the active ban read with the account (None: not banned), or NOT_READ when
    the account came from elsewhere (e.g. the sign-in request itself)."""
    return getattr(user, _BAN_ID, NOT_READ)


def loaded_has_checks(user):
    """Whether the account had any identity check when it was read, or NOT_READ."""
    return getattr(user, _HAS_CHECKS, NOT_READ)


def forget_loaded_checks(user) -> None:
    """An identity check was added: valid_checks must look again."""
    if hasattr(user, _HAS_CHECKS):
        delattr(user, _HAS_CHECKS)


def forget_loaded_roles(user) -> None:
    """The account's roles change in this request: User.roles must read the grants."""
    user.__dict__.pop(LOADED_ROLES, None)
