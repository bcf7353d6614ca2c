"""Reference data (Espoo's areas, districts, population figures) and the audit log."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..i18n import localized
from .types import UTCDateTime, utcnow

TOTAL = "total"
# Age bands used everywhere (indicators, population imports); youth bands are narrow on purpose.
AGE_BANDS = ("0-11", "12-14", "15-17", "18-29", "30-44", "45-64", "65-74", "75+")


def age_band_for(age: int) -> str:
    for band in AGE_BANDS:
        low, _, high = band.partition("-")
        if band.endswith("+"):
            return band
        if int(low) <= age <= int(high):
            return band
    return AGE_BANDS[-1]


class Area(db.Model):
    """One of Espoo's seven major areas (suuralue)."""

    __tablename__ = "area"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[int] = mapped_column(unique=True)
    name_fi: Mapped[str] = mapped_column(sa.String(120))
    name_sv: Mapped[str] = mapped_column(sa.String(120))
    name_en: Mapped[str] = mapped_column(sa.String(120))

    districts: Mapped[list[District]] = relationship(
        back_populates="area", order_by="District.name_fi"
    )

    @property
    def name(self) -> str:
        return localized(self, "name")

    def __repr__(self) -> str:
        return f"<Area {self.code} {self.name_fi}>"


class District(db.Model):
    """A district (kaupunginosa) within a major area."""

    __tablename__ = "district"
    __table_args__ = (sa.UniqueConstraint("area_id", "name_fi"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("area.id"), index=True)
    name_fi: Mapped[str] = mapped_column(sa.String(120))
    name_sv: Mapped[str] = mapped_column(sa.String(120), default="")

    area: Mapped[Area] = relationship(back_populates="districts")

    @property
    def name(self) -> str:
        return localized(self, "name")


class PopulationFigure(db.Model):
    """Residents of an area (None: the whole city) in a year, in total or in one age band or
    language group: the indicators' denominators."""

    __tablename__ = "population_figure"
    __table_args__ = (sa.UniqueConstraint("area_id", "year", "age_band", "language_group"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int | None] = mapped_column(sa.ForeignKey("area.id"), index=True)
    year: Mapped[int]
    age_band: Mapped[str] = mapped_column(sa.String(16), default=TOTAL)
    language_group: Mapped[str] = mapped_column(sa.String(16), default=TOTAL,
                                                server_default=TOTAL)
    population: Mapped[int]
    source: Mapped[str] = mapped_column(sa.String(300), default="")

    area: Mapped[Area] = relationship()


class AuditEntry(db.Model):
    """Who did what to which object, why, and the state before and after."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[object] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(60), index=True)
    target_type: Mapped[str] = mapped_column(sa.String(60))
    target_id: Mapped[int | None]
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    before: Mapped[dict | None] = mapped_column(sa.JSON)
    after: Mapped[dict | None] = mapped_column(sa.JSON)

    actor = relationship("User", foreign_keys=[actor_id], lazy="joined")
