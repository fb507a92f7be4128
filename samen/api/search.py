"""Search across the whole site in the API: the same query and the same rules as the search page (samen/search).

Without a token the caller sees what an anonymous visitor sees; with one, what its owner may see on the website.
"""
from __future__ import annotations

from typing import Any

from flask import g, jsonify, request
from flask_babel import lazy_gettext as _l

from samen.api.auth import token_optional
from samen.api.openapi import BEARER_OPTIONAL, ApiBlueprint, Spec, problems, ref, response
from samen.core import inputs
from samen.core.errors import DomainError
from samen.core.hosts import external_url
from samen.ideas.operations import MAX_PAGE
from samen.search import operations as ops
from samen.search.blueprint import link_of
from samen.search.highlight import highlight, snippet

SCHEMAS: dict[str, Spec] = {
    "SearchHit": {
        "type": "object",
        "description": "One thing found.",
        "required": ["kind", "id", "title", "title_html", "snippet", "snippet_html", "thinktank", "date", "status",
                     "url"],
        "properties": {
            "kind": {"type": "string", "enum": list(ops.KINDS),
                     "description": "minutes: a meeting's published minutes (id: the meeting's)."},
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "title_html": {"type": "string", "description": "The title, escaped, with the words in <mark>."},
            "snippet": {"type": "string", "description": "Plain text around the first word found."},
            "snippet_html": {"type": "string", "description": "The snippet, escaped, with the words in <mark>."},
            "thinktank": {"type": ["string", "null"],
                          "description": "The think tank's slug; null for the whole plan or a plenary meeting."},
            "date": {"type": ["string", "null"], "format": "date-time",
                     "description": "When posted (idea), last changed (action), held (meeting), defined "
                                    "(indicator) or published (minutes), UTC."},
            "status": {"type": ["string", "null"],
                       "description": "An idea's, action item's or meeting's status; null for the others."},
            "url": {"type": "string", "format": "uri", "description": "Its page on the website."},
        },
    },
    "SearchResults": {
        "type": "object",
        "required": ["q", "words", "items", "page", "per_page", "total", "pages"],
        "properties": {
            "q": {"type": "string"},
            "words": {"type": "array", "items": {"type": "string"},
                      "description": "The words searched for (at most eight, lower case)."},
            "items": {"type": "array", "items": ref("SearchHit"), "description": "Best first."},
            "page": {"type": "integer"}, "per_page": {"type": "integer"},
            "total": {"type": "integer"}, "pages": {"type": "integer"},
        },
    },
}

_BAD_QUERY: Spec = {"400": {"description": "A query parameter is not valid (code: invalid_q, invalid_kind, "
                                           "unknown_thinktank, invalid_page, invalid_per_page).",
                            "content": {"application/problem+json": {"schema": ref("Problem")}}}}

PATHS: dict[str, Spec] = {
    "/search": {
        "get": {
            "operationId": "search",
            "summary": "Search ideas, action items, meetings, indicators and published minutes",
            "description": "Every word must occur. Best first: how many of the words are in the title, then the "
                           "newest. Only what the caller may see on the website is found (docs/search.md).",
            "tags": ["search"],
            "security": BEARER_OPTIONAL,
            "parameters": [
                {"name": "q", "in": "query", "required": True,
                 "schema": {"type": "string", "minLength": 1, "maxLength": ops.QUERY_MAX},
                 "description": "The words; a query without words finds nothing."},
                {"name": "kind", "in": "query", "style": "form", "explode": True,
                 "schema": {"type": "array", "items": {"type": "string", "enum": list(ops.KINDS)}},
                 "description": "Only these kinds (repeat the parameter); none: every kind."},
                {"name": "thinktank", "in": "query", "schema": {"type": "string", "maxLength": 80},
                 "description": "Only what belongs to this think tank (its slug)."},
                {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}},
                {"name": "per_page", "in": "query",
                 "schema": {"type": "integer", "minimum": 1, "maximum": ops.MAX_PER_PAGE}},
            ],
            "responses": {"200": response("One page of what was found.", ref("SearchResults")), **_BAD_QUERY,
                          **problems(401)},
        },
    },
}

bp = ApiBlueprint("search", __name__, paths=PATHS, schemas=SCHEMAS)


def hit_json(hit: ops.Hit, words: list[str]) -> dict[str, Any]:
    text = snippet(hit.text, words)
    return {
        "kind": hit.kind,
        "id": hit.id,
        "title": hit.title,
        "title_html": str(highlight(hit.title, words)),
        "snippet": text,
        "snippet_html": str(highlight(text, words)),
        "thinktank": hit.thinktank.slug if hit.thinktank is not None else None,
        "date": hit.at.isoformat() + "Z" if hit.at is not None else None,
        "status": hit.status,
        "url": external_url(**link_of(hit)),
    }


@bp.get("/search")
@token_optional
def search():
    """Search the whole site for what the caller may see."""
    raw = request.args.get("q")
    q = inputs.search_text(raw, maximum=ops.QUERY_MAX)
    if not q or len(raw or "") > ops.QUERY_MAX:
        raise DomainError(_l("Give one to %(n)d characters to search for.", n=ops.QUERY_MAX), field="q",
                          code="invalid_q")
    thinktank = ops.parse_thinktank(request.args.get("thinktank"))
    page = ops.search(q, viewer=g.api_user, kinds=request.args.getlist("kind"), thinktank=thinktank,
                      page=request.args.get("page"), per_page=ops.parse_per_page(request.args.get("per_page")))
    return jsonify(q=page.q, words=page.words, items=[hit_json(hit, page.words) for hit in page.hits],
                   page=page.page, per_page=page.per_page, total=page.total, pages=page.pages)
