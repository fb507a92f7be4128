"""Lines of the programme in the API: the optional level above think tanks (public; docs/programme.md)."""
from __future__ import annotations

from typing import Any

from flask import jsonify
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from samen.api.openapi import PUBLIC, ApiBlueprint, Spec, problems, ref, response
from samen.core.database import db
from samen.core.errors import DomainError
from samen.core.markdown import render_markdown
from samen.core.views import or_404
from samen.programme import operations as ops
from samen.programme.models import Line
from samen.thinktanks.models import ThinkTank

SCHEMAS: dict[str, Spec] = {
    "Line": {
        "type": "object",
        "required": ["id", "slug", "name", "description", "description_html", "position", "thinktanks"],
        "properties": {
            "id": {"type": "integer"},
            "slug": {"type": "string", "description": "The line's web address; filters take it (?line=)."},
            "name": {"type": "string"},
            "description": {"type": "string", "description": "Markdown, as written."},
            "description_html": {"type": "string", "description": "The description as sanitised HTML."},
            "position": {"type": "integer", "description": "Lines are listed in this order."},
            "thinktanks": {"type": "array", "items": {"type": "string"},
                           "description": "The slugs of the line's think tanks."},
        },
    },
    "LineList": {
        "type": "object",
        "required": ["items"],
        "properties": {"items": {"type": "array", "items": ref("Line"),
                                 "description": "In the programme's order; empty when the plan has no lines."}},
    },
}
_SLUG = {"name": "slug", "in": "path", "required": True, "description": "The line's web address.",
         "schema": {"type": "string", "maxLength": 80}}
PATHS: dict[str, Spec] = {
    "/lines": {
        "get": {
            "operationId": "listLines",
            "summary": "List the lines of the programme, each with its think tanks",
            "description": "Public: no token is needed or looked at.",
            "tags": ["lines"],
            "security": PUBLIC,
            "responses": {"200": response("The lines.", ref("LineList"))},
        },
    },
    "/lines/{slug}": {
        "parameters": [_SLUG],
        "get": {
            "operationId": "getLine",
            "summary": "Show a line of the programme",
            "tags": ["lines"],
            "security": PUBLIC,
            "responses": {"200": response("The line.", ref("Line")), **problems(404)},
        },
    },
}

bp = ApiBlueprint("lines", __name__, paths=PATHS, schemas=SCHEMAS)


def _tanks() -> dict[int, list[str]]:
    """Return the slugs of the think tanks per line id (one query)."""
    result: dict[int, list[str]] = {}
    for line_id, slug in db.session.execute(select(ThinkTank.line_id, ThinkTank.slug).where(
            ThinkTank.line_id.is_not(None)).order_by(ThinkTank.position, ThinkTank.name)):
        result.setdefault(line_id, []).append(slug)
    return result


def line_json(line: Line, thinktanks: list[str]) -> dict[str, Any]:
    """Return a line as the API shows it."""
    return {"id": line.id, "slug": line.slug, "name": line.name, "description": line.description,
            "description_html": str(render_markdown(line.description)), "position": line.position,
            "thinktanks": thinktanks}


def line_from_query(value: str | None) -> Line | None:
    """Return the line a query names by slug or id (None for none), or answer 400 unknown_line."""
    if not value:
        return None
    line = ops.find_line(value) if len(value) <= 80 else None
    if line is None:
        raise DomainError(_l("There is no line with this address."), field="line", code="unknown_line",
                          status=400)
    return line


@bp.get("/lines")
def list_lines():
    """List the lines in their order, with their think tanks (two queries)."""
    tanks = _tanks()
    return jsonify(items=[line_json(line, tanks.get(line.id, [])) for line in ops.list_lines()])


@bp.get("/lines/<slug>")
def show_line(slug: str):
    """Show one line with its think tanks."""
    line = or_404(ops.line_by_slug(slug), _("There is no line at this address."))
    return jsonify(line_json(line, _tanks().get(line.id, [])))
