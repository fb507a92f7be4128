"""The site search page: every kind of thing, filtered by kind and think tank, best first (docs/search.md)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlalchemy import select

from samen.core import inputs
from samen.core.database import db
from samen.core.errors import DomainError
from samen.search import operations as ops
from samen.search.highlight import highlight, snippet
from samen.thinktanks.models import ThinkTank

bp = Blueprint("search", __name__)

# Where a hit lives: the endpoint and its arguments (minutes: the meeting's page, at its minutes).
LINKS: dict[str, tuple[str, str, str | None]] = {
    "idea": ("ideas.show", "idea_id", None),
    "action": ("actions.show", "action_id", None),
    "meeting": ("meetings.show", "meeting_id", None),
    "indicator": ("actions.indicator", "indicator_id", None),
    "minutes": ("meetings.show", "meeting_id", "minutes-heading"),
}


def link_of(hit: ops.Hit) -> dict[str, Any]:
    """Return url_for's arguments for a hit's page."""
    endpoint, name, anchor = LINKS[hit.kind]
    values: dict[str, Any] = {"endpoint": endpoint, name: hit.id}
    if anchor:
        values["_anchor"] = anchor
    return values


@bp.route("/search")
def index():
    """Search ideas, action items, meetings, indicators and minutes that you may see, best first."""
    q = inputs.search_text(request.args.get("q"), maximum=ops.QUERY_MAX)
    filters = {"q": q, "kind": [kind for kind in request.args.getlist("kind") if kind],
               "thinktank": request.args.get("thinktank", "")}
    # Every think tank, once: the filter offers the ones not archived; the hits name theirs (archived too).
    every = list(db.session.scalars(select(ThinkTank).order_by(ThinkTank.position, ThinkTank.name)))
    tanks = [tank for tank in every if tank.archived_at is None]
    try:
        thinktank = ops.parse_thinktank(filters["thinktank"])
        page = ops.search(q, viewer=current_user, kinds=filters["kind"], thinktank=thinktank,
                          page=request.args.get("page"), thinktanks=every)
        error, status = None, 200
    except DomainError as exc:
        page, error, status = None, exc.message, exc.status
    return render_template("search/index.html", page=page, error=error, filters=filters, thinktanks=tanks,
                           kinds=ops.KIND_LABELS, link_of=link_of, highlight=highlight, snippet=snippet), status
