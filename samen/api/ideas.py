"""Ideas in the API: list and read them, post and edit your own, support, discuss, decide (chairs), report.

Reading follows the web: the ideas of open think tanks are public, those of think tanks that need approval are
for members and admins. Every change goes through samen/ideas/operations.py, which checks who may do it.
"""
from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from typing import Any, NoReturn

from flask import Response, abort, g, jsonify, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from samen.api.actions import body_errors
from samen.api import idempotency
from samen.api.auth import token_optional, token_required, unauthorized
from samen.api.idempotency import idempotent
from samen.api.openapi import (BEARER, BEARER_OPTIONAL, PROBLEM_JSON, ApiBlueprint, Spec, problems, ref,
                               request_body, response)
from samen.api.thinktanks import thinktank_or_404
from samen.api.validation import Field, json_object, object_schema
from samen.core import inputs, ratelimit
from samen.core.database import db
from samen.core.errors import DomainError, Forbidden, problem
from samen.core.hosts import external_url
from samen.core.markdown import render_markdown
from samen.core.views import or_404
from samen.ideas import operations as ops
from samen.ideas.models import IDEA_STATUSES, Comment, Idea
from samen.thinktanks import operations as tt_ops
from samen.thinktanks.models import ThinkTank

MAX_PER_PAGE = 100
MAX_TAGS = 20
TAG_MAX = 40
MEMBERS_ONLY = _l("Only members of this think tank can see its ideas.")

# --- request bodies -----------------------------------------------------------------------------------------

NEW_IDEA = {
    "title": Field(str, max_length=ops.TITLE_MAX),
    "body": Field(str, required=False, max_length=ops.BODY_MAX, multiline=True, description="Markdown."),
    "anonymous": Field(bool, required=False, description="Hide your name from other participants "
                                                         "(chairs and admins still see it)."),
}
IDEA_CHANGES = {name: replace(field, required=False) for name, field in NEW_IDEA.items()}
NEW_COMMENT = {
    "body": Field(str, max_length=ops.COMMENT_MAX, multiline=True, description="Markdown."),
    "parent_id": Field(int, required=False, id=True, description="The comment this one replies to. A reply to a reply "
                                                        "becomes a reply to its parent: one level deep."),
    "anonymous": Field(bool, required=False, description="Hide your name from other participants "
                                                         "(chairs and admins still see it)."),
}
DECISION = {
    "status": Field(str, max_length=20),
    "answer": Field(str, max_length=ops.ANSWER_MAX, multiline=True,
                    description="The chairs' written answer, in Markdown."),
    "merged_into": Field(int, required=False, id=True, description="With status merged: the idea of the same think "
                                                          "tank that this one is merged into."),
}
MOVE = {
    "thinktank": Field(str, max_length=80, description="The web address (slug) of the think tank to move it to."),
    "reason": Field(str, required=False, max_length=ops.REASON_MAX,
                    description="Why: the author and the followers read it with the news."),
}
NEW_REPORT = {
    "reason": Field(str, max_length=ops.REASON_MAX, multiline=True, description="Why the chairs should look at it."),
    "comment_id": Field(int, required=False, id=True, description="Report this comment of the idea, not the idea."),
}

_TAGS_SCHEMA: Spec = {"type": "array", "maxItems": MAX_TAGS,
                      "items": {"type": "string", "minLength": 1, "maxLength": TAG_MAX},
                      "description": "Slugs of tags the think tank offers (see an idea's tags)."}


def _with(schema: Spec, **properties: Spec) -> Spec:
    """Return an object schema with more, or more precise, properties."""
    return {**schema, "properties": {**schema["properties"], **properties}}


# --- OpenAPI ------------------------------------------------------------------------------------------------

_TIME = {"type": "string", "format": "date-time"}
_MAYBE_TIME = {"type": ["string", "null"], "format": "date-time"}

SCHEMAS: dict[str, Spec] = {
    "Idea": {
        "type": "object",
        "required": ["id", "thinktank", "title", "body", "body_html", "author", "anonymous", "status",
                     "status_label", "answer", "answer_html", "answered_at", "merged_into", "support_count",
                     "comment_count", "tags", "created_at", "updated_at", "withdrawn", "hidden",
                     "hidden_reason", "review", "review_reason", "supported_by_me", "url"],
        "properties": {
            "id": {"type": "integer"},
            "thinktank": {"type": "string", "description": "The think tank's slug."},
            "title": {"type": "string"},
            "body": {"type": "string", "description": "Markdown, as written."},
            "body_html": {"type": "string", "description": "The body as sanitised HTML."},
            "author": {"type": ["string", "null"],
                       "description": "The author's display name; null for an anonymous idea."},
            "author_for_moderation": {
                "type": ["string", "null"],
                "description": "Only for chairs of the think tank and admins: the author's name, also when "
                               "the idea is anonymous. Not to be shown to others."},
            "anonymous": {"type": "boolean"},
            "status": {"type": "string", "enum": list(IDEA_STATUSES)},
            "status_label": {"type": "string",
                             "description": "The status in words, in the answer's language."},
            "answer": {"type": ["string", "null"], "description": "The chairs' answer (Markdown), if any."},
            "answer_html": {"type": ["string", "null"], "description": "The answer as sanitised HTML."},
            "answered_at": _MAYBE_TIME,
            "merged_into": {"type": ["integer", "null"],
                            "description": "With status merged: the other idea."},
            "support_count": {"type": "integer"},
            "comment_count": {"type": "integer",
                              "description": "Comments shown; deleted and hidden ones are not counted."},
            "tags": {"type": "array", "items": {"type": "string"}, "description": "Tag slugs."},
            "created_at": _TIME,
            "updated_at": _TIME,
            "withdrawn": {"type": "boolean",
                          "description": "Withdrawn by the author: out of the lists, still readable here."},
            "hidden": {"type": "boolean", "description": "Hidden by a moderator (only chairs and admins see "
                                                         "the idea itself; others get a HiddenIdea)."},
            "hidden_reason": {"type": ["string", "null"]},
            "review": {"type": ["string", "null"], "enum": [None, "waiting", "rejected"],
                       "description": "Pre-moderation: null once published; waiting for a chair's approval, or "
                                      "refused (with review_reason). Only the author, chairs and admins ever see "
                                      "one that is not null: to others it does not exist (404)."},
            "review_reason": {"type": ["string", "null"], "description": "Why a chair refused it."},
            "supported_by_me": {"type": "boolean", "description": "False without a token."},
            "url": {"type": "string", "format": "uri", "description": "The idea's page on the website."},
        },
    },
    "HiddenIdea": {
        "type": "object",
        "description": "What participants see of an idea a moderator has hidden: the reason, not the idea.",
        "required": ["id", "thinktank", "hidden", "hidden_reason", "url"],
        "properties": {
            "id": {"type": "integer"},
            "thinktank": {"type": "string"},
            "hidden": {"type": "boolean", "enum": [True]},
            "hidden_reason": {"type": ["string", "null"]},
            "url": {"type": "string", "format": "uri"},
        },
    },
    "IdeaPage": {
        "type": "object",
        "required": ["items", "page", "per_page", "total", "pages"],
        "properties": {
            "items": {"type": "array", "items": ref("Idea")},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "total": {"type": "integer", "description": "Ideas that match, on all pages."},
            "pages": {"type": "integer", "description": "At least 1."},
        },
    },
    "Comment": {
        "type": "object",
        "required": ["id", "parent_id", "author", "anonymous", "by_me", "by_idea_author", "body", "body_html",
                     "created_at", "edited_at", "deleted", "hidden", "hidden_reason", "review", "review_reason"],
        "properties": {
            "id": {"type": "integer"},
            "parent_id": {"type": ["integer", "null"]},
            "author": {"type": ["string", "null"],
                       "description": "The author's display name; null for a deleted or anonymous comment, or "
                                      "when the author of an anonymous idea comments on it."},
            "anonymous": {"type": "boolean", "description": "Posted as anonymous participant."},
            "by_me": {"type": "boolean", "description": "Written by the caller (false without a token), so an "
                                                        "author recognises their anonymous comments."},
            "author_for_moderation": {"type": ["string", "null"],
                                      "description": "Only for chairs and admins: the author's name."},
            "by_idea_author": {"type": "boolean", "description": "Written by the author of the idea (false for an "
                                                                 "anonymous comment on an idea that is not)."},
            "body": {"type": "string", "description": "Markdown; empty when deleted or hidden."},
            "body_html": {"type": "string"},
            "created_at": _TIME,
            "edited_at": _MAYBE_TIME,
            "deleted": {"type": "boolean", "description": "Deleted by its author: a placeholder."},
            "hidden": {"type": "boolean", "description": "Hidden by a moderator: only the reason is shown."},
            "hidden_reason": {"type": ["string", "null"]},
            "review": {"type": ["string", "null"], "enum": [None, "waiting", "rejected"],
                       "description": "Pre-moderation: null once published; waiting for a chair's approval, or "
                                      "refused (with review_reason). Only the author, chairs and admins ever see "
                                      "one that is not null: to others it does not exist (404)."},
            "review_reason": {"type": ["string", "null"], "description": "Why a chair refused it."},
            "replies": {"type": "array", "items": ref("Comment"),
                        "description": "Only on comments (not on replies): the replies, oldest first."},
        },
    },
    "CommentList": {
        "type": "object",
        "required": ["items"],
        "properties": {"items": {"type": "array", "items": ref("Comment"),
                                 "description": "The comments, oldest first, each with its replies."}},
    },
    "Report": {
        "type": "object",
        "required": ["id", "idea_id", "comment_id", "reason", "created_at"],
        "properties": {
            "id": {"type": "integer"},
            "idea_id": {"type": "integer"},
            "comment_id": {"type": ["integer", "null"]},
            "reason": {"type": "string"},
            "created_at": _TIME,
        },
    },
    "NewIdea": _with(object_schema(NEW_IDEA), tags=_TAGS_SCHEMA),
    "IdeaChanges": _with(object_schema(IDEA_CHANGES), tags=_TAGS_SCHEMA),
    "NewComment": object_schema(NEW_COMMENT),
    "Decision": _with(object_schema(DECISION), status={"type": "string", "enum": list(IDEA_STATUSES)}),
    "NewReport": object_schema(NEW_REPORT),
    "Move": object_schema(MOVE),
}

_IDEA_OR_HIDDEN = {"anyOf": [ref("Idea"), ref("HiddenIdea")]}
_SLUG = {"name": "slug", "in": "path", "required": True, "description": "The think tank's web address.",
         "schema": {"type": "string", "maxLength": 80}}
_IDEA_ID = {"name": "idea_id", "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": inputs.MAX_ID}}
_PREFER = {"name": "Prefer", "in": "header", "required": False, "schema": {"type": "string"},
           "description": "`return=minimal`: answer 204 without the idea (RFC 7240); the answer then has "
                          "`Preference-Applied: return=minimal`.", "example": "return=minimal"}


def _problem(description: str) -> Spec:
    return {"description": description, "content": {PROBLEM_JSON: {"schema": ref("Problem")}}}


# Statuses the shared responses in openapi.py do not describe for these operations.
_FORBIDDEN = {"403": _problem("The think tank's ideas are for its members, or you may not do this here "
                              "(code: members_only, not_member, not_author, not_chair), or your e-mail address "
                              "is not confirmed yet and you may read but not take part (code: email_unconfirmed).")}
_BAD_QUERY = {"400": _problem("A query parameter is not valid; `errors` names it.")}
_NOT_FOUND = {"404": _problem("No such think tank or idea, or an idea you may not read (also for an id that is "
                              "not a number).")}
_UNAUTHORIZED = problems(401)


def _writes(*statuses: int) -> Spec:
    """Return the problems an operation with a JSON body can answer, 403 and 404 included."""
    return {**problems(*statuses), **_FORBIDDEN, **_NOT_FOUND}


PATHS: dict[str, Spec] = {
    "/thinktanks/{slug}/ideas": {
        "parameters": [_SLUG],
        "get": {
            "operationId": "listIdeas",
            "summary": "List the think tank's ideas, a page at a time",
            "description": "Withdrawn and hidden ideas are not listed. Think tanks that need approval show "
                           "their ideas only to members and admins: 401 without a token, 403 otherwise.",
            "tags": ["ideas"],
            "security": BEARER_OPTIONAL,
            "parameters": [
                {"name": "sort", "in": "query", "schema": {"type": "string", "enum": list(ops.SORTS),
                                                           "default": "support"},
                 "description": "rising: most support in the last seven days."},
                {"name": "status", "in": "query", "schema": {"type": "string", "enum": list(IDEA_STATUSES)}},
                {"name": "tag", "in": "query", "schema": {"type": "string", "maxLength": TAG_MAX},
                 "description": "A tag slug the think tank offers."},
                {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 200},
                 "description": "Words that must all occur in the title or the text."},
                {"name": "page", "in": "query",
                 "schema": {"type": "integer", "minimum": 1, "maximum": ops.MAX_PAGE, "default": 1}},
                {"name": "per_page", "in": "query",
                 "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE,
                            "default": ops.PER_PAGE}},
            ],
            "responses": {"200": response("One page of ideas.", ref("IdeaPage")), **_BAD_QUERY,
                          **_UNAUTHORIZED, **_FORBIDDEN, **_NOT_FOUND},
        },
        "post": {
            "operationId": "createIdea",
            "summary": "Post an idea (members)",
            "description": "Unknown tags are refused (422, code unknown_tag). Archived think tanks are "
                           "read-only (409). In a pre-moderated think tank the idea of a member who does not "
                           "chair has `review: waiting` until a chair approves it. With an Idempotency-Key, the "
                           "same request sent again gets the first answer (Idempotent-Replayed: true) instead of "
                           "a second idea.",
            "tags": ["ideas"],
            "security": BEARER,
            "parameters": [idempotency.describe()],
            "requestBody": request_body(ref("NewIdea")),
            "responses": {
                "201": response("The idea.", ref("Idea"), headers={"Location": {
                    "description": "The idea's address in the API.", "schema": {"type": "string"}}}),
                **_writes(400, 401, 409, 413, 415, 422, 429),
            },
        },
    },
    "/ideas/{idea_id}": {
        "parameters": [_IDEA_ID],
        "get": {
            "operationId": "getIdea",
            "summary": "Show an idea",
            "description": "Withdrawn ideas stay readable. A hidden idea is a HiddenIdea, except for the "
                           "think tank's chairs and admins. An idea waiting for a chair's approval (or refused) "
                           "is a 404 except for its author and the think tank's chairs and admins. An idea of a "
                           "think tank whose ideas you may not read does not exist for you: 404, as for an unknown "
                           "number (on every /ideas/{idea_id} path).",
            "tags": ["ideas"],
            "security": BEARER_OPTIONAL,
            "responses": {"200": response("The idea.", _IDEA_OR_HIDDEN), **_UNAUTHORIZED, **_NOT_FOUND},
        },
        "patch": {
            "operationId": "editIdea",
            "summary": "Change your own idea",
            "description": "Send only what changes. The earlier title and text are kept as a version. "
                           "Other fields (id, author, status, counts, dates, …) are ignored: a chair sets "
                           "the status with POST /ideas/{idea_id}/status.",
            "tags": ["ideas"],
            "security": BEARER,
            "requestBody": request_body(ref("IdeaChanges")),
            "responses": {"200": response("The idea as it is now.", _IDEA_OR_HIDDEN),
                          **_writes(400, 401, 409, 413, 415, 422)},
        },
        "delete": {
            "operationId": "withdrawIdea",
            "summary": "Withdraw your own idea",
            "description": "It leaves the lists and stays readable. Withdrawing again changes nothing.",
            "tags": ["ideas"],
            "security": BEARER,
            "responses": {"204": response("The idea is withdrawn."), **_writes(401, 409)},
        },
    },
    "/ideas/{idea_id}/support": {
        "parameters": [_IDEA_ID],
        "put": {
            "operationId": "supportIdea",
            "summary": "Support an idea (members)",
            "description": "Supporting again changes nothing. Closed, withdrawn or hidden ideas cannot be "
                           "supported (409, code closed), nor more ideas than the think tank's limit "
                           "(409, code support_limit). With `Prefer: return=minimal` the answer is 204 "
                           "without a body, which costs the server less.",
            "tags": ["ideas"],
            "security": BEARER,
            "parameters": [_PREFER],
            "responses": {"200": response("The idea, with its support count.", _IDEA_OR_HIDDEN),
                          "204": response("Supported (asked with `Prefer: return=minimal`)."),
                          **_writes(401, 409, 429)},
        },
        "delete": {
            "operationId": "withdrawSupport",
            "summary": "Withdraw your support",
            "description": "Also answers 200 when you did not support the idea; with `Prefer: "
                           "return=minimal`, 204 without a body.",
            "tags": ["ideas"],
            "security": BEARER,
            "parameters": [_PREFER],
            "responses": {"200": response("The idea, with its support count.", _IDEA_OR_HIDDEN),
                          "204": response("Not supported (any more) (asked with `Prefer: return=minimal`)."),
                          **_writes(401, 409, 429)},
        },
    },
    "/ideas/{idea_id}/comments": {
        "parameters": [_IDEA_ID],
        "get": {
            "operationId": "listComments",
            "summary": "List the discussion of an idea",
            "description": "Deleted comments are placeholders; hidden ones show the moderator's reason, "
                           "never their text. The discussion of a hidden idea is not shown (404, code "
                           "hidden) except to chairs and admins. Comments waiting for a chair's approval (or "
                           "refused) are left out, except for their author and the chairs and admins.",
            "tags": ["ideas"],
            "security": BEARER_OPTIONAL,
            "responses": {"200": response("The comments with their replies.", ref("CommentList")),
                          **_UNAUTHORIZED, **_NOT_FOUND},
        },
        "post": {
            "operationId": "addComment",
            "summary": "Comment on an idea, or reply to a comment (members)",
            "description": "With `anonymous: true` others see no name. In a pre-moderated think tank the "
                           "comment of a member who does not chair has `review: waiting` until a chair "
                           "approves it. With an Idempotency-Key, the same request sent again gets the first "
                           "answer (Idempotent-Replayed: true) instead of a second comment.",
            "tags": ["ideas"],
            "security": BEARER,
            "parameters": [idempotency.describe()],
            "requestBody": request_body(ref("NewComment")),
            "responses": {"201": response("The comment.", ref("Comment")),
                          **_writes(400, 401, 409, 413, 415, 422, 429)},
        },
    },
    "/ideas/{idea_id}/status": {
        "parameters": [_IDEA_ID],
        "post": {
            "operationId": "decideIdea",
            "summary": "Set the idea's status with a written answer (chairs and admins)",
            "description": "Author and supporters are told.",
            "tags": ["ideas"],
            "security": BEARER,
            "requestBody": request_body(ref("Decision")),
            "responses": {"200": response("The idea with its new status.", _IDEA_OR_HIDDEN),
                          **_writes(400, 401, 409, 413, 415, 422)},
        },
    },
    "/ideas/{idea_id}/move": {
        "parameters": [_IDEA_ID],
        "post": {
            "operationId": "moveIdea",
            "summary": "Move the idea to another think tank (chairs and admins)",
            "description": "Supports, comments and reports go along; the old think tank's tags are dropped. The "
                           "author and the followers are told. 409 for an idea that is part of an action item "
                           "or a merge.",
            "tags": ["ideas"],
            "security": BEARER,
            "requestBody": request_body(ref("Move")),
            "responses": {"200": response("The idea in its new think tank.", _IDEA_OR_HIDDEN),
                          **_writes(400, 401, 409, 413, 415, 422)},
        },
    },
    "/ideas/{idea_id}/reports": {
        "parameters": [_IDEA_ID],
        "post": {
            "operationId": "reportIdea",
            "summary": "Report the idea, or one of its comments, to the chairs (members)",
            "tags": ["ideas"],
            "security": BEARER,
            "requestBody": request_body(ref("NewReport")),
            "responses": {"201": response("The report.", ref("Report")),
                          **_writes(400, 401, 409, 413, 415, 422, 429)},
        },
    },
}

bp = ApiBlueprint("ideas", __name__, paths=PATHS, schemas=SCHEMAS)


# --- answers ------------------------------------------------------------------------------------------------

def _time(value: datetime | None) -> str | None:
    """Return a stored (naive UTC) time in ISO 8601."""
    return None if value is None else value.isoformat(timespec="seconds") + "Z"


def _html(markdown: str | None) -> str:
    return str(render_markdown(markdown))


def _url(idea: Idea) -> str:
    return external_url("ideas.show", idea_id=idea.id)


def idea_json(idea: Idea, thinktank: ThinkTank, *, supported: bool, moderator: bool) -> dict[str, Any]:
    """Return an idea as the API shows it to this caller: a placeholder when hidden from them."""
    if idea.hidden_at is not None and not moderator:
        return {"id": idea.id, "thinktank": thinktank.slug, "hidden": True,
                "hidden_reason": idea.hidden_reason, "url": _url(idea)}
    item = {
        "id": idea.id,
        "thinktank": thinktank.slug,
        "title": idea.title,
        "body": idea.body,
        "body_html": _html(idea.body),
        "author": ops.author_name(idea, g.api_user),  # names only to a token's holder (core/names.py)
        "anonymous": idea.anonymous,
        "status": idea.status,
        "status_label": str(ops.STATUS_LABELS[idea.status]),
        "answer": idea.answer,
        "answer_html": None if idea.answer is None else _html(idea.answer),
        "answered_at": _time(idea.answered_at),
        "merged_into": idea.merged_into_id,
        "support_count": idea.support_count,
        "comment_count": idea.comment_count,
        "tags": [tag.slug for tag in idea.tags],
        "created_at": _time(idea.created_at),
        "updated_at": _time(idea.updated_at),
        "withdrawn": idea.withdrawn_at is not None,
        "hidden": idea.hidden_at is not None,
        "hidden_reason": idea.hidden_reason,
        "review": idea.review,
        "review_reason": idea.review_reason,
        "supported_by_me": supported,
        "url": _url(idea),
    }
    if moderator:
        item["author_for_moderation"] = ops.author_name(idea, moderator=True)
    return item


def comment_json(comment: Comment, idea: Idea, *, moderator: bool,
                 replies: list[Comment] | None = None) -> dict[str, Any]:
    """Return a comment, and its replies if it is not one; never the text of a deleted or hidden one."""
    gone = comment.deleted_at is not None
    shown = not gone and comment.hidden_at is None
    # An anonymous comment by the author of a named idea would name them through by_idea_author.
    by_idea_author = (not gone and comment.author_id is not None and comment.author_id == idea.author_id
                      and (idea.anonymous or not comment.anonymous))
    # The author of an anonymous idea stays anonymous in its discussion.
    item: dict[str, Any] = {
        "id": comment.id,
        "parent_id": comment.parent_id,
        "author": None if gone or (by_idea_author and idea.anonymous) else ops.author_name(comment, g.api_user),
        "anonymous": comment.anonymous,
        "by_me": ops.is_author(comment, g.api_user),
        "by_idea_author": by_idea_author,
        "body": comment.body if shown else "",
        "body_html": _html(comment.body) if shown else "",
        "created_at": _time(comment.created_at),
        "edited_at": _time(comment.edited_at),
        "deleted": gone,
        "hidden": comment.hidden_at is not None,
        "hidden_reason": comment.hidden_reason,
        "review": comment.review,
        "review_reason": comment.review_reason,
    }
    if moderator:
        item["author_for_moderation"] = None if gone else ops.author_name(comment, moderator=True)
    if comment.parent_id is None:
        item["replies"] = [comment_json(reply, idea, moderator=moderator) for reply in replies or []]
    return item


def _created(body: dict[str, Any], location: str | None = None) -> Response:
    answer = jsonify(body)
    answer.status_code = 201
    if location:
        answer.headers["Location"] = location
    return answer


# --- loading and checking -----------------------------------------------------------------------------------

def _idea_or_404(idea_id: int, *, minimal: bool = False) -> Idea:
    # Think tank and author in the same query (each is one row); the tags in a second. `minimal`: the think
    # tank only, for an answer without the idea.
    options = ([joinedload(Idea.thinktank)] if minimal else
               [selectinload(Idea.tags), joinedload(Idea.author), joinedload(Idea.thinktank)])
    idea = db.session.get(Idea, idea_id, options=options) if idea_id <= inputs.MAX_ID else None
    # An idea the caller may not see (a closed think tank's, or one waiting for a chair's approval that is not
    # theirs) does not exist for them: 404, not 401/403 (which would say it does).
    return or_404(idea if idea is not None and ops.may_see_idea(idea, g.api_user) else None,
                  _("There is no idea with this number."))


def _get(model: type[Any], key: int | None) -> Any:
    """Return the row a number in a request body names, or None."""
    return db.session.get(model, key) if key is not None and 0 < key <= inputs.MAX_ID else None


def _reader(thinktank: ThinkTank) -> bool:
    """Let the caller through if they may read the think tank's ideas; return whether they moderate it."""
    user = g.api_user
    if not ops.can_view(thinktank, user):
        if user is None:
            unauthorized(MEMBERS_ONLY, code="token_required")
        raise Forbidden(MEMBERS_ONLY, code="members_only")
    return ops.can_moderate(thinktank, user)


def _answer(idea: Idea, *, moderator: bool, supported: bool | None = None, counted: bool = False) -> Response:
    """Answer with the idea as it is in the database now, for this caller.

    `counted`: the operation set the idea's counters from the row it changed (UPDATE … RETURNING), so they need
    no second look; `supported`: whether the caller supports it, when the operation just settled that."""
    if not counted:
        # Counters change by UPDATE statements, which the loaded idea does not see.
        db.session.refresh(idea, ["support_count", "comment_count"])
    if supported is None:
        supported = idea.id in ops.supported_ids(g.api_user, [idea.id])
    return jsonify(idea_json(idea, idea.thinktank, supported=supported, moderator=moderator))


def _refuse(field: str, message: Any) -> NoReturn:
    abort(problem(422, detail=_("Some fields are missing or not valid."), code="validation_failed",
                  errors={field: [message]}))


def _read(fields: Mapping[str, Field], *, tags: bool = False) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the checked fields of the JSON body, and the body itself (for what json_object cannot check)."""
    clean = json_object(fields)
    raw = json.loads(request.get_data(cache=True))  # json_object has parsed it once: an object
    if tags and raw.get("tags") is not None:
        value = raw["tags"]
        if (not isinstance(value, list) or len(value) > MAX_TAGS
                or not all(isinstance(slug, str) and 0 < len(slug) <= TAG_MAX for slug in value)):
            _refuse("tags", _("Must be a list of at most %(n)d tag slugs.", n=MAX_TAGS))
        for slug in value:
            problem_text = inputs.text_problem(slug)
            if problem_text is not None:
                _refuse("tags", problem_text)
        clean["tags"] = value
    return clean, raw


# --- ideas --------------------------------------------------------------------------------------------------

def _per_page() -> int:
    value = request.args.get("per_page")
    if value in (None, ""):
        return ops.PER_PAGE
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= MAX_PER_PAGE:
        raise DomainError(_l("per_page must be a whole number from 1 to %(n)d.", n=MAX_PER_PAGE),
                          field="per_page", code="invalid_per_page")
    return number


@bp.get("/thinktanks/<slug>/ideas")
@token_optional
def list_ideas(slug: str):
    """List one page of the think tank's ideas, sorted, filtered and searched."""
    thinktank = thinktank_or_404(slug)
    moderator = _reader(thinktank)
    args = request.args
    tag = args.get("tag") or None
    if tag is not None and tag not in {known.slug for known in ops.tags_for(thinktank)}:
        raise DomainError(_l("Unknown tag: %(tags)s. Choose from the tags this think tank offers.", tags=tag),
                          field="tag", code="unknown_tag")
    page = ops.list_ideas(thinktank, viewer=g.api_user, sort=args.get("sort"), status=args.get("status"),
                          tag=tag, q=args.get("q"), page=args.get("page"), per_page=_per_page())
    return jsonify(
        items=[idea_json(idea, thinktank, supported=idea.id in page.supported, moderator=moderator)
               for idea in page.ideas],
        page=page.page, per_page=page.per_page, total=page.total, pages=page.pages)


@bp.post("/thinktanks/<slug>/ideas")
@token_required
@ratelimit.per_user("POST_RATE_LIMIT", scope="post")
@idempotent
def create_idea(slug: str):
    """Post an idea in the think tank."""
    thinktank = thinktank_or_404(slug)
    moderator = _reader(thinktank)
    data, _raw = _read(NEW_IDEA, tags=True)
    with body_errors():
        idea = ops.create_idea(thinktank, author=g.api_user, **data)
    db.session.flush()
    body = idea_json(idea, thinktank, supported=False, moderator=moderator)
    return idempotency.commit(_created(body, url_for(".show_idea", idea_id=idea.id)))


@bp.get("/ideas/<int:idea_id>")
@token_optional
def show_idea(idea_id: int):
    """Show an idea, or the placeholder of a hidden one."""
    idea = _idea_or_404(idea_id)
    moderator = _reader(idea.thinktank)
    supported = idea.id in ops.supported_ids(g.api_user, [idea.id])
    return jsonify(idea_json(idea, idea.thinktank, supported=supported, moderator=moderator))


@bp.patch("/ideas/<int:idea_id>")
@token_required
def edit_idea(idea_id: int):
    """Change your own idea: the fields sent, and no others."""
    idea = _idea_or_404(idea_id)
    moderator = _reader(idea.thinktank)
    data, raw = _read(IDEA_CHANGES, tags=True)
    # json_object reads an empty or null field as absent; in a change they mean something.
    if "title" in raw and "title" not in data:
        _refuse("title", _("This field is required."))
    if "anonymous" in raw and "anonymous" not in data:
        _refuse("anonymous", _("Must be true or false."))
    if "body" in raw and "body" not in data:
        data["body"] = ""
    if "tags" in raw and "tags" not in data:
        data["tags"] = []
    with body_errors():
        ops.edit_idea(idea, by=g.api_user, **data)
    db.session.commit()
    return _answer(idea, moderator=moderator)


@bp.delete("/ideas/<int:idea_id>")
@token_required
def withdraw_idea(idea_id: int):
    """Withdraw your own idea."""
    idea = _idea_or_404(idea_id)
    _reader(idea.thinktank)
    ops.withdraw_idea(idea, by=g.api_user)
    db.session.commit()
    return Response(status=204)


# --- support ------------------------------------------------------------------------------------------------

@bp.put("/ideas/<int:idea_id>/support")
@token_required
@ratelimit.per_user("SUPPORT_RATE_LIMIT", scope="support")
def support(idea_id: int):
    """Support an idea; supporting again changes nothing."""
    if prefers_minimal():
        # No idea to show: only the idea and its think tank are read, and the operation checks membership.
        idea = _idea_or_404(idea_id, minimal=True)
        with _reader_on_refusal(idea.thinktank):
            ops.support_idea(idea, g.api_user)
        db.session.commit()
        return _minimal_answer()
    idea = _idea_or_404(idea_id)
    moderator = _reader(idea.thinktank)
    added = ops.support_idea(idea, g.api_user)
    db.session.commit()
    return _answer(idea, moderator=moderator, supported=True if added else None, counted=added)


@bp.delete("/ideas/<int:idea_id>/support")
@token_required
@ratelimit.per_user("SUPPORT_RATE_LIMIT", scope="support")
def withdraw_support(idea_id: int):
    """Withdraw your support, if you gave it."""
    minimal = prefers_minimal()
    idea = _idea_or_404(idea_id, minimal=minimal)
    moderator = _reader(idea.thinktank)
    removed = ops.withdraw_support(idea, g.api_user)
    db.session.commit()
    if minimal:
        return _minimal_answer()
    return _answer(idea, moderator=moderator, supported=False if removed else None, counted=removed)


def prefers_minimal() -> bool:
    """Whether the request asks for no body in the answer: `Prefer: return=minimal` (RFC 7240)."""
    preferences = ",".join(request.headers.getlist("Prefer"))
    return any(preference.split(";")[0].strip().lower().replace(" ", "") == "return=minimal"
               for preference in preferences.split(","))


def _minimal_answer() -> Response:
    return Response(status=204, headers={"Preference-Applied": "return=minimal"})


@contextmanager
def _reader_on_refusal(thinktank: ThinkTank) -> Iterator[None]:
    """Refuse as the full answer would: a caller who may not see the think tank's ideas hears that first."""
    try:
        yield
    except Forbidden:
        db.session.rollback()
        _reader(thinktank)
        raise


# --- comments -----------------------------------------------------------------------------------------------

@bp.get("/ideas/<int:idea_id>/comments")
@token_optional
def list_comments(idea_id: int):
    """List the comments of an idea with their replies."""
    idea = _idea_or_404(idea_id)
    moderator = _reader(idea.thinktank)
    if idea.hidden_at is not None and not moderator:
        abort(problem(404, detail=_("This idea was hidden by a moderator, with its discussion."),
                      code="hidden"))
    return jsonify(items=[comment_json(comment, idea, moderator=moderator, replies=replies)
                          for comment, replies in ops.comments_of(idea, g.api_user, moderator=moderator)])


@bp.post("/ideas/<int:idea_id>/comments")
@token_required
@ratelimit.per_user("POST_RATE_LIMIT", scope="post")
@idempotent
def add_comment(idea_id: int):
    """Comment on an idea, or reply to one of its comments."""
    idea = _idea_or_404(idea_id)
    moderator = _reader(idea.thinktank)
    data, _raw = _read(NEW_COMMENT)
    parent = None
    if "parent_id" in data:
        parent = _get(Comment, data["parent_id"])
        if parent is None or parent.idea_id != idea.id or not ops.is_shown_to(parent, g.api_user,
                                                                              moderator=moderator):
            _refuse("parent_id", _("You can only reply to a comment on the same idea."))
    with body_errors():
        comment = ops.add_comment(idea, author=g.api_user, body=data["body"], parent=parent,
                                  anonymous=data.get("anonymous", False))
    db.session.flush()
    return idempotency.commit(_created(comment_json(comment, idea, moderator=moderator)))


# --- decisions and reports ----------------------------------------------------------------------------------

@bp.post("/ideas/<int:idea_id>/status")
@token_required
def decide(idea_id: int):
    """Set the idea's status with a written answer."""
    idea = _idea_or_404(idea_id)
    moderator = _reader(idea.thinktank)
    data, _raw = _read(DECISION)
    merged_into = _get(Idea, data.get("merged_into"))
    with body_errors():
        ops.decide(idea, by=g.api_user, status=data["status"], answer=data["answer"], merged_into=merged_into)
    db.session.commit()
    return _answer(idea, moderator=moderator)


@bp.post("/ideas/<int:idea_id>/move")
@token_required
def move(idea_id: int):
    """Move the idea to another think tank."""
    idea = _idea_or_404(idea_id)
    _reader(idea.thinktank)
    data, _raw = _read(MOVE)
    with body_errors():
        ops.move_idea(idea, tt_ops.get_thinktank(data["thinktank"]), by=g.api_user, reason=data.get("reason", ""))
    db.session.commit()
    return _answer(idea, moderator=ops.can_moderate(idea.thinktank, g.api_user))


@bp.post("/ideas/<int:idea_id>/reports")
@token_required
@ratelimit.per_user("REPORT_RATE_LIMIT", scope="report")
def report(idea_id: int):
    """Report the idea, or one of its comments, to the chairs."""
    idea = _idea_or_404(idea_id)
    _reader(idea.thinktank)
    data, _raw = _read(NEW_REPORT)
    comment = None
    if "comment_id" in data:
        comment = _get(Comment, data["comment_id"])
        if comment is None or comment.idea_id != idea.id or not ops.is_shown_to(comment, g.api_user):
            _refuse("comment_id", _("There is no such comment on this idea."))
    with body_errors():
        entry = ops.report(by=g.api_user, reason=data["reason"], idea=None if comment else idea,
                           comment=comment)
    db.session.commit()
    return _created({"id": entry.id, "idea_id": idea.id, "comment_id": entry.comment_id,
                     "reason": entry.reason, "created_at": _time(entry.created_at)})
