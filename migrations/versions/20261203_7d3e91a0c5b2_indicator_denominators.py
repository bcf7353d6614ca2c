"""Indicator denominators: population by language group, city-wide figures; event indexes

Revision ID: 7d3e91a0c5b2
Revises: 4d41077f612d
Create Date: 2026-12-03 14:15:00

A population figure now also names a language group (fi, sv, other or total), and a figure
without an area counts the whole city (Espoo's language figures are city-wide). The shipped
2019 mother-tongue figures (participation/data/languages.csv) are loaded as the default.
Two indexes let the indicators aggregate a year of events in the database quickly.
"""
import csv
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "7d3e91a0c5b2"
down_revision = '4d41077f612d'
branch_labels = None
depends_on = None

DATA = Path(__file__).resolve().parents[2] / "participation" / "data"
GROUPS = {"fi": "fi", "sv": "sv", "other": "other"}

population = sa.table(
    "population_figure",
    sa.column("area_id", sa.Integer), sa.column("year", sa.Integer),
    sa.column("age_band", sa.String), sa.column("language_group", sa.String),
    sa.column("population", sa.Integer), sa.column("source", sa.String),
)


def upgrade():
    with op.batch_alter_table("population_figure", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language_group", sa.String(length=16), nullable=False,
                                      server_default="total"))
        batch_op.alter_column("area_id", existing_type=sa.Integer(), nullable=True)
        batch_op.drop_constraint("uq_population_figure_area_id_year_age_band", type_="unique")
        batch_op.create_unique_constraint(
            "uq_population_figure_area_id_year_age_band_language_group",
            ["area_id", "year", "age_band", "language_group"])
    with op.batch_alter_table("participation_event", schema=None) as batch_op:
        batch_op.create_index("ix_participation_event_period_cells",
                              ["occurred_at", "participant_key", "area_id", "age_band",
                               "language_group", "channel", "kind"], unique=False)
        batch_op.create_index("ix_participation_event_key_occurred_at",
                              ["participant_key", "occurred_at", "area_id", "age_band",
                               "language_group", "channel", "kind"], unique=False)
    with open(DATA / "languages.csv", encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["language_code"] in GROUPS]
    source = "espoo.fi Väestörakenne ja väestönmuutokset (mother tongue, 2019)"
    op.bulk_insert(population, [
        {"area_id": None, "year": int(row["year"]), "age_band": "total",
         "language_group": GROUPS[row["language_code"]], "population": int(row["speakers"]),
         "source": source}
        for row in rows
    ] + [
        {"area_id": None, "year": int(rows[0]["year"]), "age_band": "total",
         "language_group": "total", "population": sum(int(row["speakers"]) for row in rows),
         "source": source}
    ])


def downgrade():
    op.execute(population.delete().where(sa.or_(population.c.area_id.is_(None),
                                                population.c.language_group != "total")))
    with op.batch_alter_table("participation_event", schema=None) as batch_op:
        batch_op.drop_index("ix_participation_event_key_occurred_at")
        batch_op.drop_index("ix_participation_event_period_cells")
    with op.batch_alter_table("population_figure", schema=None) as batch_op:
        batch_op.drop_constraint("uq_population_figure_area_id_year_age_band_language_group",
                                 type_="unique")
        batch_op.create_unique_constraint("uq_population_figure_area_id_year_age_band",
                                          ["area_id", "year", "age_band"])
        batch_op.alter_column("area_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("language_group")
