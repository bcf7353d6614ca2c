"""`participation areas ...` and `participation seed ...`."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from ..extensions import db
from .models import TOTAL, Area
from .services import (
    PopulationImportError,
    import_population,
    latest_population,
    parse_population_csv,
)

areas_group = AppGroup("areas", help="Espoo's major areas and their population figures.")
seed_group = AppGroup("seed", help="Fill the database with demo content.")


@areas_group.command("list")
def list_areas() -> None:
    """Show the major areas, their districts and latest populations."""
    for area in db.session.scalars(sa.select(Area).order_by(Area.code)):
        figure = latest_population(area, TOTAL)
        population = f"{figure.population} ({figure.year})" if figure else "-"
        click.echo(f"{area.code}\t{area.name_fi} / {area.name_sv} / {area.name_en}\t{population}")
        click.echo(f"\t{', '.join(d.name_fi for d in area.districts)}")


@areas_group.command("import-population")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=int, help="Year of the figures when the file has no year column.")
@click.option("--source", help="Where the figures come from (kept with them).")
def import_population_command(csv_file: Path, year: int | None, source: str | None) -> None:
    """Import population figures from CSV_FILE.

    Columns: area_code (1-7) or area (a name in fi, sv or en; "all" for the whole city),
    population, and optionally year, age_band (0-11, 12-14, 15-17, 18-29, 30-44, 45-64,
    65-74, 75+ or total) and language_group (fi, sv, other or total).
    """
    try:
        text = csv_file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise click.ClickException(f"{csv_file}: the file is not UTF-8 text") from None
    try:
        rows = parse_population_csv(text, default_year=year)
    except PopulationImportError as error:
        raise click.ClickException(f"{csv_file}: {error}") from None
    with click.progressbar(length=len(rows), label="Importing population figures") as bar:
        count = import_population(rows, source=source or csv_file.name, progress=bar.update)
    db.session.commit()
    click.echo(f"Imported {count} population figures from {csv_file.name}.")


@seed_group.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing if the database already has users.")
def seed_demo(if_empty: bool) -> None:
    """Create the demo accounts (one per role) and demo content in fi, sv and en."""
    from ..demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo_data

    created = seed_demo_data(if_empty=if_empty, progress=click.echo)
    db.session.commit()
    click.echo("Demo data created." if created else "The database has users already: "
               "demo data not added.")
    click.echo(f"Demo accounts (password for each: {DEMO_PASSWORD}):")
    for email, _name, roles, _lang, _area in DEMO_ACCOUNTS:
        click.echo(f"  {email:<32} {', '.join(roles) or 'resident'}")
    from ..hearings.demo import echo_open_codes

    echo_open_codes(click.echo)
