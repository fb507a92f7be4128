"""Domain errors, problem+json responses and the error pages in both languages."""
from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request

from samen.core.database import db, is_unavailable


class DomainError(Exception):
    """A rule of the domain was broken; the message is shown to the user as it is."""

    status = 400

    def __init__(self, message: Any, *, code: str = "invalid", status: int | None = None,
                 field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field
        if status is not None:
            self.status = status


class Forbidden(DomainError):
    status = 403

    def __init__(self, message: Any = None, *, code: str = "forbidden") -> None:
        super().__init__(message or _l("You are not allowed to do this."), code=code)


class Conflict(DomainError):
    status = 409

    def __init__(self, message: Any, *, code: str = "conflict", field: str | None = None) -> None:
        super().__init__(message, code=code, field=field)


ERROR_TEXT = {
    400: (_l("Bad request"), _l("The request could not be understood. Please check what you entered and try again.")),
    401: (_l("Sign-in required"), _l("Please sign in to continue.")),
    403: (_l("No access"), _l("You do not have access to this page or action.")),
    404: (_l("Page not found"), _l("This page does not exist, or it was moved.")),
    405: (_l("Method not allowed"), _l("This action is not possible here.")),
    409: (_l("Conflict"), _l("This conflicts with something that already exists.")),
    413: (_l("Too large"), _l("What you sent is too large. Please make it shorter or smaller.")),
    422: (_l("Invalid input"), _l("Some of what you entered is not valid.")),
    429: (_l("Too many requests"), _l("You did this too often in a short time. Please wait a moment and try again.")),
    500: (_l("Something went wrong"),
          _l("Something went wrong on our side. Nothing you saved is lost; please try again later.")),
    503: (_l("Temporarily unavailable"),
          _l("The site is very busy or partly unavailable for a moment. What you just sent was not saved; "
             "please try again in a little while.")),
}

# Seconds a client is asked to wait after a 503 because the database was too slow or unreachable.
RETRY_AFTER_UNAVAILABLE = 10


def wants_problem_json(asked: Request | None = None) -> bool:
    """Answer API requests, and clients that ask for JSON, with problem+json (`asked`: this request's)."""
    asked = request if asked is None else asked
    if asked.path.startswith("/api/"):
        return True
    best = asked.accept_mimetypes.best_match(["text/html", "application/json", "application/problem+json"])
    return best in ("application/json", "application/problem+json")


def problem(status: int, title: Any = None, detail: Any = None, *, errors: dict[str, list[str]] | None = None,
            code: str | None = None, headers: dict[str, str] | None = None) -> Response:
    """Return an RFC 9457 problem+json response."""
    default_title, default_detail = ERROR_TEXT.get(status, ERROR_TEXT[400 if status < 500 else 500])
    body: dict[str, Any] = {
        "type": f"https://samen.example/problems/{code}" if code else "about:blank",
        "title": str(title or default_title),
        "status": status,
        "detail": str(detail or default_detail),
    }
    if code:
        body["code"] = code
    if errors:
        body["errors"] = {name: [str(m) for m in messages] for name, messages in errors.items()}
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _error_page(status: int, detail: Any = None) -> tuple[str, int]:
    title, default_detail = ERROR_TEXT.get(status, ERROR_TEXT[500])
    return render_template("errors/error.html", status=status, title=title, detail=detail or default_detail), status


def _handle_http(error: HTTPException) -> Any:
    if error.response is not None:  # an answer made for it already (abort(response), a limit's on_breach)
        return error.response
    status = error.code or 500
    if status >= 500:
        db.session.rollback()
    headers = {}
    if status == 405 and error.valid_methods:  # type: ignore[attr-defined]
        headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    if wants_problem_json():
        custom = error.description if isinstance(error.description, str) and status not in ERROR_TEXT else None
        return problem(status, detail=custom, headers=headers)
    page, code = _error_page(status)
    return page, code, headers


def _handle_csrf(error: CSRFError) -> Any:
    message = _l("The form had expired or was sent from elsewhere. Please reload the page and try again.")
    if wants_problem_json():
        return problem(400, detail=message, code="csrf")
    return _error_page(400, message)


def _handle_domain(error: DomainError) -> Any:
    db.session.rollback()
    if wants_problem_json():
        errors = {error.field: [error.message]} if error.field else None
        return problem(error.status, detail=error.message, code=error.code, errors=errors)
    return _error_page(error.status, error.message)


def _handle_unexpected(error: Exception) -> Any:
    db.session.rollback()
    # A route whose address holds a secret (a receipt code) has set a redacted one to log (observability.py).
    current_app.logger.exception("Unhandled error on %s %s", request.method, g.get("log_path") or request.path)
    if wants_problem_json():
        return problem(500)
    return _error_page(500)


def _handle_database(error: SQLAlchemyError) -> Any:
    """A database that is too slow, locked or unreachable: 503 with Retry-After, the request's writes undone."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        db.session.remove()  # the connection is gone; the next request gets a new one
    if not is_unavailable(error):
        if current_app.config.get("PROPAGATE_EXCEPTIONS") or current_app.testing:
            raise error
        return _handle_unexpected(error)
    current_app.logger.warning("The database could not serve %s %s in time: %s", request.method,
                               g.get("log_path") or request.path,
                               error.__class__.__name__, exc_info=error)
    headers = {"Retry-After": str(RETRY_AFTER_UNAVAILABLE)}
    if wants_problem_json():
        return problem(503, code="unavailable", headers=headers)
    try:
        page, status = _error_page(503)
    except SQLAlchemyError:  # the page's own queries (the signed-in user, the menu) failed too: a bare page
        db.session.rollback()
        title, detail = ERROR_TEXT[503]
        page, status = f"<!doctype html><title>{escape(title)}</title><h1>{escape(title)}</h1><p>{escape(detail)}", 503
    return page, status, headers


def init_app(app: Flask) -> None:
    """Register the error handlers."""
    app.register_error_handler(OperationalError, _handle_database)
    app.register_error_handler(SQLAlchemyTimeoutError, _handle_database)
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(DomainError, _handle_domain)
    if not app.config.get("PROPAGATE_EXCEPTIONS"):
        app.register_error_handler(Exception, _handle_unexpected)
