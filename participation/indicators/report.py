"""The annual participation report: the council's questions answered with a year's figures,
beside the year before (a printable page; `participation indicators report` writes it)."""

from __future__ import annotations

import sqlalchemy as sa

from ..core.models import Area
from ..extensions import db
from .dashboard import Filters, figures
from .definitions import AGE_GROUPS, BY_ID, LANGUAGE_GROUPS
from .periods import year_period
from .population import population_sources

PIPELINE = ("ideas_submitted", "ideas_answered", "ideas_to_proposal", "ideas_on_ballot",
            "ideas_chosen", "ideas_implemented")
HEARINGS = ("hearings_held", "hearing_responses", "hearing_feedback_on_time")
REACH = ("participants", "first_time_participants", "repeat_participants",
         "inclusive_channel_share", "pb_turnout", "equity_gap")


def context(year: int) -> dict:
    result = figures(year_period(year))
    area_names = {str(area.code): area.name
                  for area in db.session.scalars(sa.select(Area).order_by(Area.code))}
    return {
        "year": year, "figures": result, "all": Filters(),
        "reach": [BY_ID[i] for i in REACH], "pipeline": [BY_ID[i] for i in PIPELINE],
        "hearings": [BY_ID[i] for i in HEARINGS], "area_names": area_names,
        "age_groups": AGE_GROUPS, "language_groups": LANGUAGE_GROUPS,
        "sources": population_sources(), "by_id": BY_ID,
    }
