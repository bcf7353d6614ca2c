"""Espoo's major areas, districts and 2016 populations (reference data)

Revision ID: a1b2c3d4e5f6
Revises: 3e6604dc8798
Create Date: 2026-11-23 19:00:00

"""
import csv
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "a1b2c3d4e5f6"
down_revision = "3e6604dc8798"
branch_labels = None
depends_on = None

DATA = Path(__file__).resolve().parents[2] / "participation" / "data"

area = sa.table(
    "area",
    sa.column("id", sa.Integer), sa.column("code", sa.Integer),
    sa.column("name_fi", sa.String), sa.column("name_sv", sa.String),
    sa.column("name_en", sa.String),
)
district = sa.table(
    "district",
    sa.column("area_id", sa.Integer), sa.column("name_fi", sa.String),
    sa.column("name_sv", sa.String),
)
population = sa.table(
    "population_figure",
    sa.column("area_id", sa.Integer), sa.column("year", sa.Integer),
    sa.column("age_band", sa.String), sa.column("population", sa.Integer),
    sa.column("source", sa.String),
)


def _rows(name):
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def upgrade():
    areas = _rows("areas.csv")
    op.bulk_insert(area, [
        {"id": int(row["code"]), "code": int(row["code"]), "name_fi": row["name_fi"],
         "name_sv": row["name_sv"], "name_en": row["name_en"]}
        for row in areas
    ])
    op.bulk_insert(district, [
        {"area_id": int(row["area_code"]), "name_fi": row["district_fi"],
         "name_sv": row.get("district_sv") or ""}
        for row in _rows("districts.csv")
    ])
    op.bulk_insert(population, [
        {"area_id": int(row["code"]), "year": int(row["population_year"]), "age_band": "total",
         "population": int(row["population"]), "source": row["source"]}
        for row in areas
    ])
    if op.get_bind().dialect.name == "postgresql":
        # Explicit ids were inserted: move the sequence past them.
        op.execute("SELECT setval(pg_get_serial_sequence('area', 'id'), "
                   "(SELECT MAX(id) FROM area))")


def downgrade():
    op.execute(population.delete())
    op.execute(district.delete())
    op.execute(area.delete())
