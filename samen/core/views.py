"""What every view shares: load or answer 404, sign in first, and run an operation or show its error.

Views use these instead of copies of their own (STYLE.md: 'Views share their plumbing'). Nothing here knows a
feature: the sign-in page is the one Flask-Login is told about (login_view), and the rules are the operations'.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import Any, Generic, NoReturn, TypeVar

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from samen.core.database import db
from samen.core.errors import DomainError, Forbidden, problem, wants_problem_json
from samen.core.security import is_safe_next
from samen.extensions import login_manager

T = TypeVar("T")
R = TypeVar("R")
View = TypeVar("View", bound=Callable[..., Any])

# Fields that show no errors: a mistake there is said above the form.
_SILENT_FIELDS = ("HiddenField", "CSRFTokenField")


# --- loading ------------------------------------------------------------------------------------------------

def or_404(found: T | None, detail: Any = None) -> T:
    """Return what a lookup found, or answer 404. `detail` says what was not found, in problem+json (the API);
    pages show the usual 'page not found'."""
    if found is None:
        if detail is not None and wants_problem_json():
            abort(problem(404, detail=detail, code="not_found"))
        abort(404)
    return found


# --- signing in ---------------------------------------------------------------------------------------------

def _login_url(next_page: str | None) -> str:
    return url_for(str(login_manager.login_view), next=next_page)


def form_next() -> str | None:
    """Return the local page named by the posted form's `next` field, or None."""
    target = request.form.get("next")
    return target if is_safe_next(target) else None


def signed_in_then(page: Callable[[], str | None]) -> Callable[[View], View]:
    """For a POST-only route: send a visitor to sign in first, and afterwards to `page()`.

    (login_required would send them back to the POST's address, which has no page to show.)"""
    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return redirect(_login_url(page()))
            return view(*args, **kwargs)
        return wrapper  # type: ignore[return-value]
    return decorate


def signed_in(view: View) -> View:
    """For a POST-only route: send a visitor to sign in first, then back to the page the form was on (its
    `next` field)."""
    return signed_in_then(form_next)(view)


def sign_in_or_403(message: Any) -> NoReturn:
    """Refuse what the visitor may not see: ask someone anonymous to sign in (and to come back here after a
    GET); answer someone signed in with 403 and the message."""
    if not current_user.is_authenticated:
        here = request.full_path if request.query_string else request.path
        abort(redirect(_login_url(here if request.method == "GET" else None)))
    raise Forbidden(message)


# --- forms and operations -----------------------------------------------------------------------------------

def form_status(*forms: FlaskForm) -> int:
    """Return 422 when a form came back with mistakes, else 200."""
    return 422 if any(form.errors for form in forms) else 200


def show_error(form: FlaskForm, error: DomainError, *, fields: Mapping[str | None, str] | None = None) -> None:
    """Undo the failed change and show the error at the field it names, or above the form; a refusal is no
    mistake in the form and stays a 403. `fields` maps the operation's names to the form's (None: no field)."""
    db.session.rollback()
    if isinstance(error, Forbidden):
        raise error
    name = (fields or {}).get(error.field, error.field)
    field = form._fields.get(name) if name else None
    if field is not None and field.type not in _SILENT_FIELDS:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def flash_error(error: DomainError) -> None:
    """Undo the failed change and say why in a flash; a refusal stays a 403."""
    db.session.rollback()
    if isinstance(error, Forbidden):
        raise error
    flash(str(error.message), "error")


@dataclass(frozen=True)
class Done(Generic[R]):
    """An operation that succeeded and is committed, with what it returned."""

    value: R


def run_or_error(form: FlaskForm, operation: Callable[[], R], *,
                 fields: Mapping[str | None, str] | None = None) -> Done[R] | None:
    """Run the operation and commit; on a DomainError, undo it and show the error on the form (see show_error).
    Return Done with the operation's result, or None when it failed."""
    try:
        result = operation()
    except DomainError as error:
        show_error(form, error, fields=fields)
        return None
    db.session.commit()
    return Done(result)


def run_or_flash(operation: Callable[[], R]) -> Done[R] | None:
    """Run the operation and commit; on a DomainError, undo it and say why in a flash (see flash_error).
    Return Done with the operation's result, or None when it failed."""
    try:
        result = operation()
    except DomainError as error:
        flash_error(error)
        return None
    db.session.commit()
    return Done(result)
