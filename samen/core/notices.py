"""Confirmations shown where the person is looking: next to the comment they reported, not at the top of a long
page. A view says where (`notice_at(anchor, message)`) and redirects to `#notice-<anchor>`; the page renders
`notice_for(anchor)` at that place: a status message (role="status", aria-live) that the fragment scrolls to and
that screen readers announce. A notice no page picked up is dropped with the next page shown, so it never turns up
later somewhere else. Knows no feature."""
from __future__ import annotations

from typing import Any

from flask import Flask, Response, request, session
from markupsafe import Markup, escape

KEY = "samen_notices"  # in the cookie session: {anchor: [category, message]}
CATEGORIES = ("success", "info", "error")


def notice_at(anchor: str, message: Any, category: str = "success") -> str:
    """Show `message` next to the element with id `anchor` on the next page; return the fragment to redirect to."""
    notices = dict(session.get(KEY) or {})
    notices[anchor] = [category if category in CATEGORIES else "info", str(message)]
    session[KEY] = notices
    return f"notice-{anchor}"


def notice_for(anchor: str) -> Markup:
    """Render (and use up) the notice for `anchor`, or nothing."""
    notices = session.get(KEY)
    if not notices or anchor not in notices:
        return Markup("")
    notices = dict(notices)
    category, message = notices.pop(anchor)
    session[KEY] = notices
    return Markup('<p id="notice-{anchor}" class="alert alert--{category} local-notice" role="status" '
                  'aria-live="polite" tabindex="-1">{message}</p>').format(
        anchor=escape(anchor), category=escape(category), message=escape(message))


def _drop_unused(response: Response) -> Response:
    """A page was shown: notices it did not show are no longer where the person is looking."""
    if (KEY in session and request.method == "GET" and response.status_code == 200
            and response.mimetype == "text/html"):
        session.pop(KEY)
    return response


def init_app(app: Flask) -> None:
    """Offer notice_for to the templates and drop notices no page showed."""
    app.jinja_env.globals["notice_for"] = notice_for
    app.after_request(_drop_unused)
