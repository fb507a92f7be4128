"""Think tanks in the API: list and show them (public), join and leave them (with a token)."""
from __future__ import annotations

from typing import Any

from flask import Response, g, jsonify, request
from flask_babel import gettext as _

from samen.api import queries
from samen.api.auth import token_optional, token_required
from samen.api.lines import line_from_query
from samen.api.openapi import BEARER, BEARER_OPTIONAL, PROBLEM_JSON, ApiBlueprint, problems, ref, response
from samen.core.database import db
from samen.core.markdown import render_markdown
from samen.core.views import or_404
from samen.programme import operations as programme_ops
from samen.thinktanks import operations as tt_ops
from samen.thinktanks.models import JOIN_POLICIES, MEMBER_ROLES, MEMBER_STATES, Membership, ThinkTank

SCHEMAS = {
    "Membership": {
        "type": "object",
        "description": "A user's place in a think tank.",
        "required": ["thinktank", "role", "status"],
        "properties": {
            "thinktank": {"type": "string", "description": "The think tank's slug."},
            "role": {"type": "string", "enum": list(MEMBER_ROLES)},
            "status": {"type": "string", "enum": list(MEMBER_STATES),
                       "description": "pending: waiting for a chair's approval."},
        },
    },
    "ThinkTank": {
        "type": "object",
        "required": ["id", "slug", "name", "theme", "summary", "description", "description_html",
                     "join_policy", "archived", "member_count", "chairs", "line"],
        "properties": {
            "id": {"type": "integer"},
            "slug": {"type": "string", "description": "The think tank's web address."},
            "name": {"type": "string"},
            "theme": {"type": "string"},
            "summary": {"type": "string"},
            "description": {"type": "string", "description": "Markdown, as written."},
            "description_html": {"type": "string", "description": "The description as sanitised HTML."},
            "join_policy": {"type": "string", "enum": list(JOIN_POLICIES),
                            "description": "approval: a chair approves each request to join."},
            "archived": {"type": "boolean", "description": "Archived think tanks are read-only."},
            "member_count": {"type": "integer", "description": "Active members, chairs included."},
            "chairs": {"type": "array", "items": {"type": "string"},
                       "description": "The chairs' display names."},
            "line": {"type": ["string", "null"], "description": "The slug of its programme line, or null."},
            "membership": {
                "anyOf": [ref("Membership"), {"type": "null"}],
                "description": "Only with a token: the caller's membership, or null.",
            },
        },
    },
    "ThinkTankList": {
        "type": "object",
        "required": ["items"],
        "properties": {"items": {"type": "array", "items": ref("ThinkTank")}},
    },
}

_SLUG = {"name": "slug", "in": "path", "required": True, "description": "The think tank's web address.",
         "schema": {"type": "string", "maxLength": 80}}
_LOCATION = {"Location": {"description": "The membership's address.", "schema": {"type": "string"}}}

PATHS = {
    "/thinktanks": {
        "get": {
            "operationId": "listThinkTanks",
            "summary": "List the think tanks, archived ones last",
            "tags": ["thinktanks"],
            "parameters": [{"name": "line", "in": "query", "schema": {"type": "string", "maxLength": 80},
                            "description": "A line's slug or id: only its think tanks."}],
            "security": BEARER_OPTIONAL,
            "responses": {"200": response("The think tanks.", ref("ThinkTankList")), **problems(400, 401)},
        },
    },
    "/thinktanks/{slug}": {
        "parameters": [_SLUG],
        "get": {
            "operationId": "getThinkTank",
            "summary": "Show a think tank",
            "tags": ["thinktanks"],
            "security": BEARER_OPTIONAL,
            "responses": {"200": response("The think tank.", ref("ThinkTank")), **problems(401, 404)},
        },
    },
    "/thinktanks/{slug}/membership": {
        "parameters": [_SLUG],
        "put": {
            "operationId": "joinThinkTank",
            "summary": "Join the think tank, or ask to join it",
            "description": "Open think tanks make you an active member; the others a pending one, until a "
                           "chair approves. Joining again changes nothing. Archived think tanks cannot be "
                           "joined (409).",
            "tags": ["thinktanks"],
            "security": BEARER,
            "responses": {
                "200": response("You were already a member, or waiting for approval.", ref("Membership")),
                "201": response("You joined, or asked to join.", ref("Membership"), headers=_LOCATION),
                **problems(401, 404, 409),
                "403": {"description": "Your e-mail address is not confirmed yet (code: email_unconfirmed).",
                        "content": {PROBLEM_JSON: {"schema": ref("Problem")}}},
            },
        },
        "delete": {
            "operationId": "leaveThinkTank",
            "summary": "Leave the think tank, or withdraw a request to join",
            "description": "Also answers 204 when you were not a member. The only chair cannot leave (409).",
            "tags": ["thinktanks"],
            "security": BEARER,
            "responses": {"204": response("You are no longer a member."), **problems(401, 404, 409)},
        },
    },
}

bp = ApiBlueprint("thinktanks", __name__, paths=PATHS, schemas=SCHEMAS)


def membership_json(membership: Membership, thinktank: ThinkTank) -> dict[str, Any]:
    """Return a membership as the API shows it."""
    return {"thinktank": thinktank.slug, "role": membership.role, "status": membership.status}


def _line_slugs() -> dict[int, str]:
    """Return the lines' slugs by id (one query)."""
    return {line.id: line.slug for line in programme_ops.list_lines()}


def _thinktank_json(thinktank: ThinkTank, *, member_count: int, chairs: list[str],
                    lines: dict[int, str] | None = None) -> dict[str, Any]:
    return {
        "id": thinktank.id,
        "slug": thinktank.slug,
        "name": thinktank.name,
        "theme": thinktank.theme,
        "summary": thinktank.summary,
        "description": thinktank.description,
        "description_html": str(render_markdown(thinktank.description)),
        "join_policy": thinktank.join_policy,
        "archived": thinktank.is_archived,
        "member_count": member_count,
        "chairs": chairs,
        "line": (lines if lines is not None else _line_slugs()).get(thinktank.line_id)
        if thinktank.line_id is not None else None,
    }


def thinktank_or_404(slug: str, detail: Any = None) -> ThinkTank:
    """Return the think tank a slug in the path names, or answer 404 saying there is none (or `detail`)."""
    return or_404(tt_ops.get_thinktank(slug),
                  _("There is no think tank at this address.") if detail is None else detail)


@bp.get("/thinktanks")
@token_optional
def list_thinktanks():
    """List the think tanks, with the caller's membership when a token is sent."""
    rows = tt_ops.thinktanks_with_counts(include_archived=True)
    line = line_from_query(request.args.get("line"))
    if line is not None:
        rows = [(thinktank, count) for thinktank, count in rows if thinktank.line_id == line.id]
    lines = _line_slugs()
    chairs = queries.chair_names((thinktank.id for thinktank, _count in rows), g.api_user)
    mine = {m.thinktank_id: m for m in queries.memberships_of_user(g.api_user)} if g.api_user else None
    items = []
    for thinktank, count in rows:
        item = _thinktank_json(thinktank, member_count=count, chairs=chairs[thinktank.id], lines=lines)
        if mine is not None:
            membership = mine.get(thinktank.id)
            item["membership"] = membership_json(membership, thinktank) if membership else None
        items.append(item)
    return jsonify(items=items)


@bp.get("/thinktanks/<slug>")
@token_optional
def show(slug: str):
    """Show a think tank, with the caller's membership when a token is sent."""
    thinktank = thinktank_or_404(slug)
    item = _thinktank_json(thinktank, member_count=tt_ops.member_count(thinktank),
                           chairs=queries.chair_names([thinktank.id], g.api_user)[thinktank.id])
    if g.api_user:
        membership = tt_ops.membership_of(thinktank, g.api_user)
        item["membership"] = membership_json(membership, thinktank) if membership else None
    return jsonify(item)


@bp.put("/thinktanks/<slug>/membership")
@token_required
def join(slug: str):
    """Join the think tank, or ask to join it: 201 when new, 200 when you were in or waiting already."""
    thinktank = thinktank_or_404(slug)
    is_new = tt_ops.membership_of(thinktank, g.api_user) is None
    membership = tt_ops.join_thinktank(thinktank, g.api_user)
    db.session.commit()
    answer = jsonify(membership_json(membership, thinktank))
    if is_new:
        answer.status_code = 201
        answer.headers["Location"] = request.path
    return answer


@bp.delete("/thinktanks/<slug>/membership")
@token_required
def leave(slug: str):
    """Leave the think tank, or withdraw a request to join; not being a member is fine too."""
    thinktank = thinktank_or_404(slug)
    tt_ops.leave_thinktank(thinktank, g.api_user)
    db.session.commit()
    return Response(status=204)
