"""The overview page (what waits for you) and the count of it that the header adds to the unread ones."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, g, render_template, url_for
from flask_login import current_user, login_required

from samen.overview import operations as ops

bp = Blueprint("overview", __name__)


def waiting_count() -> int | None:
    """Return how many things wait for the signed-in user (one query, once per request), else None."""
    if not current_user.is_authenticated:
        return None
    if "overview_waiting" not in g:
        g.overview_waiting = ops.waiting_count(ops.who_for(current_user, current_app.config))
    return g.overview_waiting


@bp.app_context_processor
def _waiting() -> dict[str, Any]:
    # A function, not the number: only a page that shows it (the header, for signed-in users) counts.
    return {"waiting_count": waiting_count}


@bp.route("/overview")
@login_required
def index():
    """Show what waits for you: requests, reports, unanswered ideas, actions, meetings and minutes."""
    groups = ops.waiting_for(ops.who_for(current_user, current_app.config))
    g.overview_waiting = sum(group.total for group in groups)  # the header's count, without asking again
    return render_template("overview/index.html", groups=groups, shown=ops.SHOWN,
                           link=lambda task: url_for(task.endpoint, **task.values))
