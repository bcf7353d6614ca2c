"""The figures: public dashboard, a page per indicator, the method page, the staff tables,
downloads and the annual report. Views parse, call services and render."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, render_template, request

from ..core.disclosure import format_count
from ..core.models import Area
from ..core.permissions import public, roles_required
from ..extensions import db, limiter
from ..templating import isolate_bidi
from . import dashboard, exports, report
from . import staff as staff_tables
from .definitions import (
    AGE_GROUP_LABELS,
    AGE_GROUPS,
    BAND_TO_GROUP,
    BY_ID,
    CHANNEL_LABELS,
    DIRECTION_LABELS,
    INDICATORS,
    LANGUAGE_GROUP_LABELS,
    POPULATION_BASED,
    UNIT_LABELS,
)
from .forms import FigureFilterForm
from .interface_languages import OFFLINE, interface_language_table
from .periods import current_year
from .population import population_sources

bp = Blueprint("indicators", __name__, url_prefix="/figures")
EXPORT_LIMIT = "30 per minute"


def _format_count(value) -> str:
    """A count or "<5", kept left to right on right-to-left pages."""
    return isolate_bidi(format_count(value))


def _context(**extra) -> dict:
    areas = db.session.scalars(sa.select(Area).order_by(Area.code)).all()
    return {"age_labels": AGE_GROUP_LABELS, "language_labels": LANGUAGE_GROUP_LABELS,
            "unit_labels": UNIT_LABELS, "direction_labels": DIRECTION_LABELS,
            "format_count": _format_count, "population_based": POPULATION_BASED,
            "area_names": {str(area.code): area.name for area in areas}, "offline": OFFLINE,
            **extra}


def _chosen():
    form = FigureFilterForm(formdata=request.args)
    period, filters = form.chosen()
    return form, period, filters


@bp.route("/")
@public
def overview():
    form, period, filters = _chosen()
    figures = dashboard.figures(period)
    months, series = dashboard.trends(period)
    return render_template(
        "indicators/overview.html", **_context(
            form=form, period=period, filters=filters, figures=figures, months=months,
            series=series, indicators=dashboard.overview_indicators(),
            trend_key=dashboard.trend_key(filters),
            age_series=[(AGE_GROUP_LABELS[group], series[("age_band", group)])
                        for group in AGE_GROUPS]))


@bp.route("/about")
@public
def about():
    return render_template("indicators/about.html", **_context(
        indicators=INDICATORS, sources=population_sources(), period=current_year(),
        bands=BAND_TO_GROUP))


@bp.route("/staff")
@roles_required("staff")
def staff():
    form, period, filters = _chosen()
    figures = dashboard.figures(period)
    language_rows, language_total = interface_language_table(
        period, current_app.config["LANGUAGES"])
    tables = staff_tables.staff_tables(period)
    return render_template("indicators/staff.html", **_context(
        form=form, period=period, filters=filters, figures=figures,
        language_rows=language_rows, language_total=language_total,
        language_names={language.interface: language.native_name
                        for language in current_app.config["LANGUAGES"]},
        tables=tables, table_areas=staff_tables.table_areas(tables, filters.area),
        channel_key=staff_tables.CHANNEL, channel_labels=CHANNEL_LABELS))


@bp.route("/export/<fmt>")
@public
@limiter.limit(EXPORT_LIMIT)
def export(fmt: str):
    if fmt not in exports.FORMATS:
        abort(404)
    _form, period, _filters = _chosen()
    body, mimetype, filename = exports.render(period, fmt)
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.route("/report/<int:year>")
@public
def annual_report(year: int):
    if not 2000 <= year <= 2100:
        abort(404)
    return report_page(year)


def report_page(year: int) -> str:
    """The report's HTML (also written to a file by `participation indicators report`)."""
    return render_template("indicators/report.html", **_context(**report.context(year)))


@bp.route("/<indicator_id>")
@public
def indicator(indicator_id: str):
    definition = BY_ID.get(indicator_id)
    if definition is None:
        abort(404)
    form, period, filters = _chosen()
    figures = dashboard.figures(period)
    months, series = dashboard.trends(period) if indicator_id == "participants" else ([], {})
    return render_template("indicators/indicator.html", **_context(
        form=form, period=period, filters=filters, figures=figures, indicator=definition,
        months=months, series=series, trend_key=dashboard.trend_key(filters)))
