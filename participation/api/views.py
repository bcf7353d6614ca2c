"""The /api/v1/ blueprint: parse, ask services, answer JSON. Errors under /api/ are JSON too."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, NotFound

from ..core.errors import ERROR_TEXTS, handle_http_error
from ..core.permissions import public
from ..extensions import db, limiter
from . import serializers, services
from .openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")
API_PATHS = "/api/"
PUBLIC_CACHE = "public, max-age=60"
ERROR_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed",
               429: "rate_limited", 500: "server_error"}


def _rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


# One budget per visitor across the whole API.
limiter.shared_limit(_rate_limit, scope="api")(bp)


class ResultsNotPublished(NotFound):
    pass


def error_response(status: int, message: str, code: str | None = None, **extra):
    body = {"code": code or ERROR_CODES.get(status, "error"), "message": message, **extra}
    return jsonify({"error": body}), status


def _message(error: HTTPException) -> str:
    if isinstance(error, ResultsNotPublished):
        return _("The results of this round have not been published.")
    if error.code == 404:
        return _("There is nothing at this address in the API.")
    if error.code == 400:
        return _("The request could not be understood.")
    return str(ERROR_TEXTS.get(error.code, ERROR_TEXTS[500])[1])


def _code(error: HTTPException) -> str | None:
    return "results_not_published" if isinstance(error, ResultsNotPublished) else None


@bp.errorhandler(HTTPException)
def api_http_error(error: HTTPException):
    response, status = error_response(error.code or 500, _message(error), _code(error))
    if status == 429 and getattr(error, "retry_after", None):
        response.headers["Retry-After"] = str(error.retry_after)
    return response, status


@bp.errorhandler(Exception)
def api_unexpected_error(error: Exception):
    if isinstance(error, HTTPException):
        return api_http_error(error)
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    db.session.rollback()
    return error_response(500, str(ERROR_TEXTS[500][1]))


@bp.app_errorhandler(404)
@bp.app_errorhandler(405)
def unrouted_error(error: HTTPException):
    """Addresses under /api/ that match no API route get JSON; every other page the site's."""
    if request.path.startswith(API_PATHS):
        return api_http_error(error)
    return handle_http_error(error)


@bp.after_app_request
def api_headers(response):
    """CORS for reading from any origin, and caching of public data, on /api/ only."""
    if not request.path.startswith(API_PATHS):
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
    response.headers["Access-Control-Expose-Headers"] = "Retry-After, X-RateLimit-Limit, " \
        "X-RateLimit-Remaining, X-RateLimit-Reset"
    cacheable = response.status_code == 200 and "Set-Cookie" not in response.headers
    response.headers["Cache-Control"] = PUBLIC_CACHE if cacheable else "no-store"
    return response


def bad_parameter(name: str):
    return error_response(400, _("The parameter %(name)s has a value the API cannot use.",
                                 name=name), parameter=name)


@bp.route("/")
@public
def index():
    link = serializers.link
    return jsonify({
        "name": "Osallistu Espoo API",
        "version": "1",
        "links": {
            "openapi": link("api.openapi"),
            "areas": link("api.areas"),
            "ideas": link("api.ideas"),
            "budgeting_rounds": link("api.budget_rounds"),
            "hearings": link("api.hearings"),
            "indicators": link("api.indicators"),
        },
    })


@bp.route("/openapi.json")
@public
def openapi():
    return jsonify(openapi_document())


@bp.route("/areas")
@public
def areas():
    return jsonify({"items": [serializers.area(area, figure)
                              for area, figure in services.areas_with_population()]})


@bp.route("/indicators")
@public
def indicators():
    from ..indicators.compute import COLUMNS, compute
    from ..indicators.periods import PeriodError, current_year, parse_period

    try:
        period = parse_period(request.args["period"]) if "period" in request.args \
            else current_year()
    except PeriodError:
        return bad_parameter("period")
    return jsonify({"period": period.code, "previous_period": period.previous().code,
                    "columns": list(COLUMNS), "rows": [row.as_dict() for row in compute(period)]})


@bp.route("/ideas")
@public
def ideas():
    try:
        query = services.parse_idea_query(request.args)
    except services.BadParameter as error:
        return bad_parameter(error.name)
    result = services.find_ideas(query)
    page = result.page
    args = {**query.filters.as_args(), "q": query.q or None, "sort": result.sort,
            "per_page": page.per_page}
    args = {key: value for key, value in args.items() if value}

    def page_link(number: int) -> str:
        return serializers.link("api.ideas", page=number, **args)

    return jsonify({
        "items": [serializers.idea_summary(idea) for idea in page.items],
        "total": page.total,
        "capped": result.capped,
        "page": page.page,
        "per_page": page.per_page,
        "pages": page.pages,
        "sort": result.sort,
        "links": {
            "self": page_link(page.page),
            "next": page_link(page.page + 1) if page.page < page.pages else None,
            "prev": page_link(min(page.page - 1, page.pages)) if page.page > 1 else None,
        },
    })


@bp.route("/ideas/<int:idea_id>")
@public
def idea(idea_id: int):
    found = services.published_idea(idea_id)
    if found is None:
        raise NotFound()
    return jsonify(serializers.idea_detail(found))


@bp.route("/budgeting/rounds")
@public
def budget_rounds():
    return jsonify({"items": [serializers.round_summary(budget_round)
                              for budget_round in services.public_rounds()]})


@bp.route("/budgeting/rounds/<int:round_id>")
@public
def budget_round(round_id: int):
    found = services.public_round(round_id)
    if found is None:
        raise NotFound()
    return jsonify(serializers.round_detail(found))


@bp.route("/budgeting/rounds/<int:round_id>/results")
@public
def round_results(round_id: int):
    found = services.public_round(round_id)
    if found is None:
        raise NotFound()
    if not services.results_are_public(found):
        raise ResultsNotPublished()
    return jsonify(serializers.round_results(found))


from . import hearings  # noqa: E402,F401  (youth hearings add their routes to this blueprint)
