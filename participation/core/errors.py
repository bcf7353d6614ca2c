"""Translated error pages for every HTTP error a visitor can meet."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

ERROR_TEXTS = {
    400: (_l("The request could not be understood"),
          _l("Something in the request was not right. Go back, check what you entered "
             "and try again.")),
    403: (_l("You do not have access to this page"),
          _l("This page is for users with a particular role. If you think you should have "
             "access, contact the service's administrators.")),
    404: (_l("Page not found"),
          _l("The page you were looking for does not exist or has been moved. Check the "
             "address or start from the front page.")),
    405: (_l("This action is not possible here"),
          _l("The page does not accept this kind of request. Go back and use the page's own "
             "buttons and forms.")),
    413: (_l("The upload is too large"),
          _l("What you sent is larger than the service accepts. Make the file smaller and "
             "try again.")),
    429: (_l("Too many attempts"),
          _l("You have made many requests in a short time. Wait a moment and try again.")),
    500: (_l("Something went wrong on our side"),
          _l("The error has been logged and we will look into it. Nothing you did caused "
             "it. Try again in a moment.")),
}
CSRF_TEXT = (
    _l("The form had expired"),
    _l("For your security, forms expire after a while. Go back, reload the page and send the "
       "form again. Your text may still be in the form when you go back."),
)


def render_error(code: int, title=None, message=None):
    default_title, default_message = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    html = render_template(
        "errors/error.html",
        code=code,
        title=title or default_title,
        message=message or default_message,
    )
    return html, code


def handle_http_error(error: HTTPException):
    code = error.code or 500
    if code not in ERROR_TEXTS:
        return error
    response = render_error(code)
    if code == 429 and getattr(error, "retry_after", None):
        return response[0], code, {"Retry-After": str(error.retry_after)}
    return response


def handle_csrf_error(error: CSRFError):
    return render_error(400, *CSRF_TEXT)


def handle_unexpected_error(error: Exception):
    from flask import current_app

    if isinstance(error, HTTPException):
        return handle_http_error(error)
    current_app.logger.exception("Unhandled error on %s %s", request.method, request.path)
    from ..extensions import db

    db.session.rollback()
    return render_error(500)


def register_error_handlers(app) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_unexpected_error)
    app.register_error_handler(Exception, handle_unexpected_error)
