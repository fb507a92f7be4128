"""The programme in the API: its lines, the optional level above think tanks (public), and the plan's inbox of
ideas from plenary meetings, which its chairs and the coordinator assign to think tanks (docs/programme.md)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import g, jsonify
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from samen.api.auth import token_required
from samen.api.openapi import BEARER, PUBLIC, ApiBlueprint, Spec, problems, ref, request_body, response
from samen.api.validation import Field, json_object, object_schema
from samen.core.database import db
from samen.core.errors import DomainError
from samen.core.markdown import render_markdown
from samen.core.views import or_404
from samen.programme import inbox
from samen.programme import operations as ops
from samen.programme.models import InboxIdea, Line
from samen.thinktanks.models import ThinkTank
from samen.thinktanks.operations import get_thinktank

MAX_IDS = 100


@dataclass(frozen=True)
class _Ids(Field):
    """The numbers of inbox ideas: a list of 1 to MAX_IDS whole numbers."""

    def check(self, value: Any) -> Any | None:
        if value is None:
            return _l("This field is required.")
        if (not isinstance(value, list) or not 0 < len(value) <= MAX_IDS
                or not all(type(i) is int and 0 < i <= 2_147_483_647 for i in value)):
            return _l("Must be a list of 1 to %(n)d numbers.", n=MAX_IDS)
        return None

    def schema(self) -> dict[str, Any]:
        return {"type": "array", "minItems": 1, "maxItems": MAX_IDS,
                "items": {"type": "integer", "minimum": 1, "maximum": 2_147_483_647},
                "description": self.description}


ASSIGN: dict[str, Field] = {
    "ids": _Ids(list, description="The inbox ideas to assign, all to the same think tank."),
    "thinktank": Field(str, max_length=80, description="The slug of the think tank they go to."),
}

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
SCHEMAS["InboxIdea"] = {
    "type": "object",
    "required": ["id", "title", "body", "meeting_id", "author", "created_at", "thinktank", "idea_id",
                 "assigned_at"],
    "properties": {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "body": {"type": "string", "description": "Markdown, as written."},
        "meeting_id": {"type": ["integer", "null"], "description": "The plenary where it was submitted."},
        "author": {"type": ["string", "null"], "description": "The author's display name, or null."},
        "created_at": {"type": "string", "format": "date-time"},
        "thinktank": {"type": ["string", "null"], "description": "Where it went (a slug); null while waiting."},
        "idea_id": {"type": ["integer", "null"], "description": "The idea it became; null while waiting."},
        "assigned_at": {"type": ["string", "null"], "format": "date-time"},
    },
}
SCHEMAS["InboxIdeaList"] = {"type": "object", "required": ["items"],
                            "properties": {"items": {"type": "array", "items": ref("InboxIdea")}}}
SCHEMAS["InboxAssignment"] = object_schema(ASSIGN)
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

PATHS["/inbox"] = {
    "get": {
        "operationId": "listInbox",
        "summary": "List the ideas of plenary meetings waiting for a think tank (that you may assign)",
        "description": "For the coordinator and admins all of them; for a plenary's organiser its own.",
        "tags": ["lines"],
        "security": BEARER,
        "responses": {"200": response("The waiting ideas, oldest first.", ref("InboxIdeaList")), **problems(401)},
    },
}
PATHS["/inbox/assign"] = {
    "post": {
        "operationId": "assignInbox",
        "summary": "Assign inbox ideas to a think tank, in one step",
        "description": "Each becomes an idea of the think tank and its author is notified. All or none: an "
                       "idea assigned already is 409 (code assigned); one you may not assign is 403.",
        "tags": ["lines"],
        "security": BEARER,
        "requestBody": request_body(ref("InboxAssignment")),
        "responses": {"200": response("The inbox ideas, as assigned.", ref("InboxIdeaList")),
                      **problems(401, 409, 415, 422),
                      "403": {"description": "You may not assign one of them (code not_chair).",
                              "content": {"application/problem+json": {"schema": ref("Problem")}}}},
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


def inbox_json(item: InboxIdea, thinktank: str | None = None) -> dict[str, Any]:
    """Return an inbox idea as the API shows it."""
    return {"id": item.id, "title": item.title, "body": item.body, "meeting_id": item.meeting_id,
            "author": item.author.display_name if item.author else None,
            "created_at": _time(item.created_at), "thinktank": thinktank, "idea_id": item.idea_id,
            "assigned_at": _time(item.assigned_at)}


def _time(value: Any) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds") + "Z"


@bp.get("/inbox")
@token_required
def list_inbox():
    """List the inbox ideas the caller may assign that still wait."""
    return jsonify(items=[inbox_json(item) for item in inbox.waiting_for(g.api_user)])


@bp.post("/inbox/assign")
@token_required
def assign_inbox():
    """Assign inbox ideas to one think tank."""
    data = json_object(ASSIGN)
    thinktank = get_thinktank(data["thinktank"])
    if thinktank is None:
        raise DomainError(_l("There is no think tank with this web address."), field="thinktank",
                          code="unknown_thinktank", status=422)
    items = inbox.find(data["ids"])
    try:
        inbox.assign(items, thinktank, by=g.api_user)
    except DomainError as error:
        if error.status == 400:
            error.status = 422
        raise
    db.session.commit()
    return jsonify(items=[inbox_json(item, thinktank.slug) for item in items])
