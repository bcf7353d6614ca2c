"""`participation users ...`: list, create and change roles from the command line."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from ..core.exceptions import ServiceError
from ..core.permissions import ROLES
from ..extensions import db
from . import services
from .models import RoleGrant, User

users_group = AppGroup("users", help="Manage user accounts and roles.")


def _user_or_fail(email: str) -> User:
    user = services.find_user_by_email(email)
    if user is None or not user.is_active:
        raise click.ClickException(f"no account with the email address {email}")
    return user


@users_group.command("grant")
@click.argument("email")
@click.argument("role", type=click.Choice([r for r in ROLES if r != "resident"]))
@click.option("--reason", default="granted from the command line", show_default=True)
def grant(email: str, role: str, reason: str) -> None:
    """Give the account EMAIL the ROLE."""
    user = _user_or_fail(email)
    changed = services.grant_role(user, role, actor=None, reason=reason)
    db.session.commit()
    click.echo(f"{email} now has the role {role}." if changed else f"{email} already had {role}.")


@users_group.command("revoke")
@click.argument("email")
@click.argument("role", type=click.Choice([r for r in ROLES if r != "resident"]))
@click.option("--reason", default="revoked from the command line", show_default=True)
def revoke(email: str, role: str, reason: str) -> None:
    """Take the ROLE away from the account EMAIL."""
    user = _user_or_fail(email)
    changed = services.revoke_role(user, role, actor=None, reason=reason)
    db.session.commit()
    click.echo(f"{email} no longer has {role}." if changed else f"{email} did not have {role}.")


@users_group.command("list")
@click.option("--role", type=click.Choice(ROLES), help="Only accounts with this role.")
def list_users(role: str | None) -> None:
    """List active accounts with their roles."""
    statement = sa.select(User).where(User.deleted_at.is_(None)).order_by(User.email)
    if role and role != "resident":
        statement = statement.where(User.role_grants.any(RoleGrant.role == role))
    for user in db.session.scalars(statement):
        click.echo(f"{user.email}\t{user.display_name}\t{','.join(sorted(user.roles))}")


@users_group.command("create")
@click.argument("email")
@click.option("--name", prompt="Name shown to others")
@click.option("--birth-year", type=int, prompt="Year of birth")
@click.option("--language", type=click.Choice(["fi", "sv", "en"]), default="fi")
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES[1:]))
@click.password_option()
def create(email, name, birth_year, language, roles, password) -> None:
    """Create an account (for staff accounts made on a server)."""
    data = services.Registration(
        email=email, display_name=name, password=password, birth_year=birth_year,
        home_area_id=None, preferred_language=language, accepted_privacy_notice=True,
        email_verified=True,  # made by an administrator on the server, who vouches for it
    )
    try:
        user = services.register(data, minimum_age=13)
        for role in roles:
            services.grant_role(user, role, actor=None, reason="created from the command line")
    except ServiceError as error:
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"Created {user.email} with roles {', '.join(sorted(user.roles))}.")
