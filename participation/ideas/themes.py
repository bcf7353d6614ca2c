"""Theme rules for administrators: add, edit, reorder and take out of use (audited)."""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from ..config import ROOT
from ..core import audit
from ..core.exceptions import ServiceError
from ..extensions import db
from .models import Theme


@dataclass
class ThemeData:
    slug: str
    name_fi: str
    name_sv: str
    name_en: str
    position: int = 0
    active: bool = True


def _snapshot(theme: Theme) -> dict:
    return {"slug": theme.slug, "name_fi": theme.name_fi, "name_sv": theme.name_sv,
            "name_en": theme.name_en, "position": theme.position, "active": theme.active}


def _check_slug(slug: str, theme_id: int | None) -> None:
    clash = db.session.scalar(sa.select(Theme.id).where(Theme.slug == slug))
    if clash is not None and clash != theme_id:
        raise ServiceError(_("Another theme already uses this short name."), "slug")


DEFAULT_THEMES = ROOT / "participation" / "data" / "themes.csv"


def ensure_default_themes() -> int:
    """Add the shipped themes (the ones the migration seeds) if there are no themes at all."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Theme)):
        return 0
    with open(DEFAULT_THEMES, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        db.session.add(Theme(slug=row["slug"], position=int(row["position"]), active=True,
                             name_fi=row["name_fi"], name_sv=row["name_sv"],
                             name_en=row["name_en"]))
    db.session.flush()
    return len(rows)


def ordered_themes() -> list[Theme]:
    return list(db.session.scalars(sa.select(Theme).order_by(Theme.position, Theme.id)))


def create_theme(data: ThemeData, actor) -> Theme:
    _check_slug(data.slug, None)
    theme = Theme(**asdict(data))
    db.session.add(theme)
    db.session.flush()
    audit.record(actor, "theme.create", "theme", theme.id, reason=theme.slug,
                 after=_snapshot(theme))
    return theme


def update_theme(theme: Theme, data: ThemeData, actor) -> None:
    _check_slug(data.slug, theme.id)
    before = _snapshot(theme)
    for name, value in asdict(data).items():
        setattr(theme, name, value)
    db.session.flush()
    audit.record(actor, "theme.update", "theme", theme.id, reason=theme.slug, before=before,
                 after=_snapshot(theme))


def move_theme(theme: Theme, direction: int, actor) -> bool:
    """Swap the theme with its neighbour above (-1) or below (+1); renumbers positions."""
    themes = ordered_themes()
    index = themes.index(theme)
    other = index + direction
    if direction not in (-1, 1) or not 0 <= other < len(themes):
        return False
    themes[index], themes[other] = themes[other], themes[index]
    for position, item in enumerate(themes, start=1):
        item.position = position
    db.session.flush()
    audit.record(actor, "theme.move", "theme", theme.id, reason=theme.slug,
                 after={"order": [item.slug for item in themes]})
    return True
