"""Action items in the API: list and read them, create them (chairs), change them, post progress updates; the
public progress of the plan.

Reading follows the website: public actions are for everyone, internal ones for members of their think tank
and admins; to anyone else an internal action does not exist (404). Every change goes through
samen/actions/operations.py, which checks who may do it.
"""
from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, NoReturn

from flask import Response, abort, g, jsonify, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import selectinload

from samen.accounts.models import User
from samen.actions import operations as ops
from samen.actions.models import (ACTION_STATUSES, OPEN_ACTION_STATUSES, ActionItem, Milestone,
                                  ProgressUpdate, action_indicators)
from samen.api.auth import token_optional, token_required
from samen.api.openapi import (BEARER, BEARER_OPTIONAL, PROBLEM_JSON, PUBLIC, ApiBlueprint, Spec, problems,
                               ref, request_body, response)
from samen.api.validation import Field, json_object, object_schema
from samen.core import inputs
from samen.core.database import db
from samen.core.errors import Conflict, DomainError, problem
from samen.core.hosts import external_url
from samen.core.inputs import MAX_ID
from samen.core.markdown import render_markdown
from samen.core.names import shown_name
from samen.core.views import or_404
from samen.ideas.models import Idea
from samen.ideas.operations import listed_ideas, may_see_idea
from samen.partners import operations as partner_ops
from samen.api.lines import line_from_query
from samen.programme import operations as programme_ops
from samen.thinktanks import operations as tt_ops
from samen.thinktanks.models import ThinkTank

MAX_IDS = 100
LATEST_UPDATES = 10
SLUG_MAX = 80


# --- request bodies -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class IdList(Field):
    """A list of the numbers of existing rows (ideas, indicators)."""

    type: type = list
    required: bool = False

    def check(self, value: Any) -> Any | None:
        if value is None:
            return None
        if (not isinstance(value, list) or len(value) > MAX_IDS
                or not all(type(i) is int for i in value)):  # bool is no id
            return _l("Must be a list of at most %(n)d numbers.", n=MAX_IDS)
        if not all(0 < i <= MAX_ID for i in value):
            return inputs.NOT_AN_ID
        return None

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "maxItems": MAX_IDS,
                                  "items": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}
        if self.description:
            schema["description"] = self.description
        return schema


@dataclass(frozen=True)
class CarrierList(IdList):
    """The co-executing organisations: a list of {"organisation_id": n, "contact_id": n or null}."""

    def check(self, value: Any) -> Any | None:
        if value is None:
            return None
        message = _l("Must be a list of at most %(n)d objects with organisation_id and, if any, contact_id.",
                     n=MAX_IDS)
        if not isinstance(value, list) or len(value) > MAX_IDS:
            return message
        for item in value:
            if not isinstance(item, dict) or set(item) - {"organisation_id", "contact_id"}:
                return message
            for key in ("organisation_id", "contact_id"):
                number = item.get(key)
                if number is None and key == "contact_id":
                    continue
                if type(number) is not int:
                    return message
                if not 0 < number <= MAX_ID:
                    return inputs.NOT_AN_ID
        return None

    def schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "array", "maxItems": MAX_IDS, "items": {
            "type": "object", "required": ["organisation_id"], "additionalProperties": False,
            "properties": {"organisation_id": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                           "contact_id": {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_ID}}}}
        if self.description:
            schema["description"] = self.description
        return schema


# What a chair sets on an action, by creating or changing it; `required` here means 'cannot be empty'.
ACTION_FIELDS: dict[str, Field] = {
    "title": Field(str, max_length=ops.TITLE_MAX),
    "description": Field(str, required=False, max_length=ops.TEXT_MAX, multiline=True, description="Markdown."),
    "owner_id": Field(int, required=False, id=True,
                      description="The person responsible for the action: any confirmed account (a member of "
                                  "the think tank or not)."),
    "owner_public_as": Field(str, required=False, max_length=12,
                             description="How the responsible person appears in public: organisation (the "
                                         "default) or name."),
    "lead_organisation_id": Field(int, required=False, id=True,
                                  description="The organisation of the register that leads the action."),
    "lead_contact_id": Field(int, required=False, id=True,
                             description="The lead organisation's contact person for this action: one of its "
                                         "active contacts."),
    "co_organisations": CarrierList(description="The co-executing organisations, each with an optional "
                                                "contact person (an active contact of it)."),
    "organisation": Field(str, required=False, max_length=120,
                         description="Deprecated (kept for one release, docs/partners.md): free text, no longer "
                                     "shown; use lead_organisation_id."),
    "start_date": Field(str, required=False, format="date", description="YYYY-MM-DD."),
    "due_date": Field(str, required=False, format="date", description="YYYY-MM-DD, not before start_date."),
    "status": Field(str, required=False, max_length=20, description="planned by default."),
    "stop_reason": Field(str, required=False, max_length=1000, multiline=True,
                         description="Required with status stopped."),
    "progress": Field(int, required=False, description="0 to 100; derived from the milestones when the "
                                                       "action has them."),
    "public": Field(bool, required=False, description="Public actions are for everyone (the default); "
                                                      "internal ones for members of the think tank."),
    "idea_ids": IdList(description="Adopted ideas of the think tank that the action carries out."),
    "indicator_ids": IdList(description="Indicators of the plan or of the think tank that it serves."),
    "decision": Field(str, required=False, max_length=ops.TEXT_MAX, multiline=True,
                      description="What was decided, in Markdown."),
}
NEW_ACTION: dict[str, Field] = {
    "thinktank": Field(str, required=False, max_length=SLUG_MAX,
                       description="The think tank's slug; leave out for a plan-wide action (admins and the "
                                   "programme coordinator)."),
    "line": Field(str, required=False, max_length=SLUG_MAX,
                  description="For a plan-wide action: the slug of its line (none: the whole plan)."),
    **ACTION_FIELDS,
}
IDEA_ACTION: dict[str, Field] = {**ACTION_FIELDS, "title": Field(str, required=False, max_length=ops.TITLE_MAX,
                                                                description="The idea's title by default.")}
# Fields that a change cannot empty: the others are emptied by null or "".
NOT_EMPTY = ("title", "status", "progress", "public")
ACTION_CHANGES: dict[str, Field] = {name: replace(field, required=name in NOT_EMPTY)
                                    for name, field in ACTION_FIELDS.items()}
NEW_UPDATE: dict[str, Field] = {
    "body": Field(str, max_length=ops.TEXT_MAX, multiline=True, description="What happened, in Markdown."),
    "progress": Field(int, required=False, description="0 to 100; ignored when the action has milestones."),
    "status": Field(str, required=False, max_length=20),
    "stop_reason": Field(str, required=False, max_length=1000, multiline=True,
                         description="Required with status stopped."),
}
# Domain errors name the operation's arguments; the API names the body's fields.
_BODY_NAMES = {"ideas": "idea_ids", "indicators": "indicator_ids", "owner": "owner_id",
               "lead_organisation": "lead_organisation_id", "co_organisations": "co_organisations"}


# --- OpenAPI ------------------------------------------------------------------------------------------------

_TIME = {"type": "string", "format": "date-time"}
_DATE = {"type": ["string", "null"], "format": "date"}
_STATUS = {"type": "string", "enum": list(ACTION_STATUSES)}
_LABEL = {"type": "string", "description": "The status in words, in the answer's language."}


def _with(schema: Spec, **properties: Spec) -> Spec:
    """Return an object schema with more, or more precise, properties."""
    return {**schema, "properties": {**schema["properties"], **properties}}


def _changes_schema(fields: Mapping[str, Field]) -> Spec:
    """Return the schema of a change: nothing is required, unknown fields are refused, null empties."""
    schema = object_schema(fields)
    for name, field in fields.items():
        if not field.required and not isinstance(field, IdList):
            schema["properties"][name]["type"] = [schema["properties"][name]["type"], "null"]
    return {**schema, "required": [], "additionalProperties": False}


_PROGRESS = {"type": "integer", "minimum": 0, "maximum": 100}

SCHEMAS: dict[str, Spec] = {
    "Person": {
        "type": "object",
        "required": ["id", "display_name"],
        "properties": {"id": {"type": "integer"}, "display_name": {"type": "string"}},
    },
    "Milestone": {
        "type": "object",
        "required": ["id", "title", "due_date", "done", "done_at"],
        "properties": {
            "id": {"type": "integer"},
            "title": {"type": "string"},
            "due_date": _DATE,
            "done": {"type": "boolean"},
            "done_at": {"type": ["string", "null"], "format": "date-time"},
        },
    },
    "ProgressUpdate": {
        "type": "object",
        "description": "A dated update on an action: what happened, and its progress and status after it.",
        "required": ["id", "body", "body_html", "progress", "status", "status_label", "author", "created_at"],
        "properties": {
            "id": {"type": "integer"},
            "body": {"type": "string", "description": "Markdown, as written."},
            "body_html": {"type": "string", "description": "The body as sanitised HTML."},
            "progress": _PROGRESS,
            "status": _STATUS,
            "status_label": _LABEL,
            "author": {"anyOf": [ref("Person"), {"type": "null"}]},
            "created_at": _TIME,
        },
    },
    "Action": {
        "type": "object",
        "required": ["id", "thinktank", "line", "title", "description", "description_html", "owner",
                     "owner_public_as", "organisation", "organisations", "start_date", "due_date", "status",
                     "status_label", "stop_reason", "progress", "public",
                     "overdue", "due_soon", "idea_ids", "indicator_ids", "decision", "decision_html",
                     "created_at", "updated_at", "url"],
        "properties": {
            "id": {"type": "integer"},
            "thinktank": {"type": ["string", "null"], "description": "The think tank's slug; null for a "
                                                                      "plan-wide action."},
            "line": {"type": ["string", "null"], "description": "The slug of the line: a plan-wide action's own, "
                                                                "or its think tank's; null for none."},
            "title": {"type": "string"},
            "description": {"type": "string", "description": "Markdown, as written."},
            "description_html": {"type": "string", "description": "The description as sanitised HTML."},
            "owner": {"anyOf": [ref("Person"), {"type": "null"}], "description": "The responsible person."},
            "owner_public_as": {"type": "string", "enum": list(ops.OWNER_PUBLIC_AS),
                                "description": "How the responsible person appears in public."},
            "organisation": {"type": "string", "description": "Deprecated: the free text of before the register."},
            "organisations": {"type": "array", "items": ref("ActionOrganisation"),
                              "description": "The organisations carrying it out: the lead first."},
            "start_date": _DATE,
            "due_date": _DATE,
            "status": _STATUS,
            "status_label": _LABEL,
            "stop_reason": {"type": ["string", "null"], "description": "Why it was stopped."},
            "progress": _PROGRESS,
            "public": {"type": "boolean",
                       "description": "false: only for members of the think tank and admins."},
            "overdue": {"type": "boolean", "description": "Past its due date and neither done nor stopped."},
            "due_soon": {"type": "boolean",
                         "description": f"Still open and due within {ops.DUE_SOON_DAYS} days."},
            "idea_ids": {"type": "array", "items": {"type": "integer"},
                         "description": "The ideas it came from that you may see: ideas hidden by a moderator, "
                                        "withdrawn, or of a think tank whose ideas you may not read are left "
                                        "out."},
            "indicator_ids": {"type": "array", "items": {"type": "integer"}},
            "decision": {"type": "string", "description": "What was decided, in Markdown."},
            "decision_html": {"type": "string", "description": "The decision as sanitised HTML."},
            "created_at": _TIME,
            "updated_at": _TIME,
            "url": {"type": "string", "format": "uri", "description": "The action's page on the website."},
            "updates": {"type": "array", "items": ref("ProgressUpdate"),
                        "description": "With include=updates, and on one action: newest first."},
            "milestones": {"type": "array", "items": ref("Milestone"),
                           "description": "With include=updates, and on one action: in their order."},
        },
    },
    "ActionOrganisation": {
        "type": "object",
        "description": "An organisation carrying out an action, as lead or co-executing.",
        "required": ["id", "slug", "name", "role", "contact"],
        "properties": {
            "id": {"type": "integer"},
            "slug": {"type": "string", "description": "The organisation's address: /api/v1/organisations/{slug}."},
            "name": {"type": "string"},
            "role": {"type": "string", "enum": ["lead", "co"]},
            "contact": {"anyOf": [ref("Person"), {"type": "null"}],
                        "description": "Its contact person for this action, if one is named."},
        },
    },
    "ActionList": {
        "type": "object",
        "required": ["items"],
        "properties": {"items": {"type": "array", "items": ref("Action"),
                                 "description": "Overdue first, then by due date."}},
    },
    "NewAction": _with(object_schema(NEW_ACTION), status=_STATUS, progress=_PROGRESS),
    "ActionFromIdea": _with(object_schema(IDEA_ACTION), status=_STATUS, progress=_PROGRESS),
    "ActionChanges": _changes_schema(ACTION_CHANGES),
    "NewProgressUpdate": _with(object_schema(NEW_UPDATE), status=_STATUS, progress=_PROGRESS),
    "Progress": {
        "type": "object",
        "description": "The public state of the plan: only public actions count.",
        "required": ["total", "per_status", "overdue", "share_done", "thinktanks", "latest_updates"],
        "properties": {
            "total": {"type": "integer", "description": "Public actions."},
            "per_status": {"type": "object", "additionalProperties": {"type": "integer"},
                           "description": "Public actions per status; every status is listed."},
            "overdue": {"type": "integer"},
            "share_done": {"type": "integer", "description": "The percentage of public actions done."},
            "thinktanks": {"type": "array", "items": ref("ThinkTankProgress"),
                           "description": "Every think tank, in the plan's order, archived ones last."},
            "latest_updates": {"type": "array", "items": ref("LatestUpdate"),
                               "description": f"The last {LATEST_UPDATES} updates, newest first."},
        },
    },
    "ThinkTankProgress": {
        "type": "object",
        "required": ["slug", "name", "archived", "total", "per_status", "overdue"],
        "properties": {
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "archived": {"type": "boolean"},
            "total": {"type": "integer"},
            "per_status": {"type": "object", "additionalProperties": {"type": "integer"}},
            "overdue": {"type": "integer"},
        },
    },
}


def _latest_update_schema() -> Spec:
    """A progress update with the action it is about, for the public summary."""
    schema = SCHEMAS["ProgressUpdate"]
    return {
        "type": "object",
        "required": ["action", *schema["required"]],
        "properties": {
            "action": {
                "type": "object",
                "required": ["id", "title", "thinktank", "url"],
                "properties": {"id": {"type": "integer"}, "title": {"type": "string"},
                               "thinktank": {"type": ["string", "null"]},
                               "url": {"type": "string", "format": "uri"}},
            },
            **schema["properties"],
        },
    }


SCHEMAS["LatestUpdate"] = _latest_update_schema()


def _problem(description: str) -> Spec:
    return {"description": description, "content": {PROBLEM_JSON: {"schema": ref("Problem")}}}


_ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
_ACTION_ID = {"name": "action_id", "in": "path", "required": True, "schema": _ID}
_IDEA_ID = {"name": "idea_id", "in": "path", "required": True, "schema": _ID}
_LOCATION = {"Location": {"description": "The action's address in the API.", "schema": {"type": "string"}}}
_CHAIRS_ONLY = "Only chairs of the think tank and admins create actions (code not_chair)."
_NO_ACTION = {"404": _problem("No such action, or an internal one you may not see (also for an id that is "
                              "not a number).")}
_BAD_QUERY = {"400": _problem("A query parameter is not valid; `errors` names it (codes invalid_status, "
                              "unknown_thinktank, unknown_organisation, invalid_owner, invalid_overdue, "
                              "invalid_include).")}
_INVALID = {"422": _problem("Fields are missing or not valid; `errors` names them (codes validation_failed, "
                            "invalid, invalid_date, dates, invalid_status, stop_reason, owner, idea, "
                            "not_adopted, unknown_thinktank, organisation, organisation_twice, contact).")}


def _writes(*statuses: int, forbidden: str) -> Spec:
    """Return the problems an operation with a JSON body can answer."""
    return {**problems(*statuses), "403": _problem(forbidden), **_INVALID}


_LINE_FILTER = {"name": "line", "in": "query", "schema": {"type": "string", "maxLength": SLUG_MAX},
                "description": "A line's slug or id: its plan-wide actions and those of its think tanks."}
_PLAN_WIDE_FILTER = {"name": "plan_wide", "in": "query", "schema": {"type": "boolean"},
                     "description": "true: only plan-wide actions (without a think tank)."}
_INCLUDE = {"name": "include", "in": "query", "schema": {"type": "string", "enum": ["updates"]},
            "description": "updates: give each action its progress updates and milestones."}

PATHS: dict[str, Spec] = {
    "/actions": {
        "get": {
            "operationId": "listActions",
            "summary": "List the action items you may see, overdue first",
            "description": "Public actions for everyone; internal ones too for members of their think tank "
                           "and for admins. Filters combine; an empty parameter counts as not given.",
            "tags": ["actions"],
            "security": BEARER_OPTIONAL,
            "parameters": [
                {"name": "thinktank", "in": "query", "schema": {"type": "string", "maxLength": SLUG_MAX},
                 "description": "A think tank's slug."},
                _LINE_FILTER, _PLAN_WIDE_FILTER,
                {"name": "status", "in": "query", "schema": _STATUS},
                {"name": "owner", "in": "query", "schema": {"type": "integer", "minimum": 1},
                 "description": "The owner's user id."},
                {"name": "organisation", "in": "query", "schema": {"type": "string", "maxLength": SLUG_MAX},
                 "description": "An organisation's id or slug: the actions it leads or helps carry out (an entry "
                                "merged into another answers for the other)."},
                {"name": "overdue", "in": "query", "schema": {"type": "boolean"},
                 "description": "true: only overdue actions; false: none of them."},
                _INCLUDE,
            ],
            "responses": {"200": response("The actions.", ref("ActionList")), **_BAD_QUERY, **problems(401)},
        },
        "post": {
            "operationId": "createAction",
            "summary": "Create an action item (chairs of the think tank and admins)",
            "description": "Unknown fields are ignored. An archived think tank gets no new actions (409).",
            "tags": ["actions"],
            "security": BEARER,
            "requestBody": request_body(ref("NewAction")),
            "responses": {
                "201": response("The new action.", ref("Action"), headers=_LOCATION),
                **_writes(400, 401, 409, 413, 415,
                          forbidden=_CHAIRS_ONLY),
            },
        },
    },
    "/actions/{action_id}": {
        "parameters": [_ACTION_ID],
        "get": {
            "operationId": "getAction",
            "summary": "Show an action item, with its progress updates and milestones",
            "tags": ["actions"],
            "security": BEARER_OPTIONAL,
            "responses": {"200": response("The action.", ref("Action")), **_NO_ACTION, **problems(401)},
        },
        "patch": {
            "operationId": "changeAction",
            "summary": "Change an action item (chairs of the think tank and admins)",
            "description": "Send only the fields that change; null or \"\" empties a field that may be "
                           "empty. "
                           "A field that does not exist or that only the server sets (id, thinktank, "
                           "created_at, updates, …) is refused with 422 and nothing is changed. Every change "
                           "is recorded in the audit log.",
            "tags": ["actions"],
            "security": BEARER,
            "requestBody": request_body(ref("ActionChanges")),
            "responses": {
                "200": response("The action as it is now.", ref("Action")),
                **_NO_ACTION,
                **_writes(400, 401, 413, 415, forbidden="Only chairs of the think tank and admins change "
                                                        "actions (code not_chair)."),
            },
        },
    },
    "/actions/{action_id}/updates": {
        "parameters": [_ACTION_ID],
        "post": {
            "operationId": "postProgressUpdate",
            "summary": "Post a progress update (the owner, chairs of the think tank and admins)",
            "description": "The update may set the action's progress and status at the same time.",
            "tags": ["actions"],
            "security": BEARER,
            "requestBody": request_body(ref("NewProgressUpdate")),
            "responses": {
                "201": response("The update.", ref("ProgressUpdate")),
                **_NO_ACTION,
                **_writes(400, 401, 413, 415, forbidden="Only the owner, the chairs and admins post updates "
                                                        "(code not_owner)."),
            },
        },
    },
    "/ideas/{idea_id}/actions": {
        "parameters": [_IDEA_ID],
        "post": {
            "operationId": "createActionFromIdea",
            "summary": "Turn an adopted idea into an action item (chairs of the think tank and admins)",
            "description": "The title and the decision are the idea's unless given; idea_ids adds more "
                           "adopted ideas of the same think tank. An idea that is not adopted answers 409 "
                           "(code not_adopted).",
            "tags": ["actions"],
            "security": BEARER,
            "requestBody": request_body(ref("ActionFromIdea")),
            "responses": {
                "201": response("The new action.", ref("Action"), headers=_LOCATION),
                "404": _problem("No such idea."),
                **_writes(400, 401, 409, 413, 415,
                          forbidden=_CHAIRS_ONLY),
            },
        },
    },
    "/progress": {
        "get": {
            "operationId": "getProgress",
            "summary": "The public progress of the plan",
            "description": "Counts of public actions, per status and per think tank, and the latest updates "
                           "on them. Internal actions are never counted. No token is needed or looked at.",
            "tags": ["actions"],
            "security": PUBLIC,
            "responses": {"200": response("The progress of the plan.", ref("Progress"))},
        },
    },
}

bp = ApiBlueprint("actions", __name__, paths=PATHS, schemas=SCHEMAS)


# --- answers ------------------------------------------------------------------------------------------------

def iso_time(value: datetime | None) -> str | None:
    """Return a stored (naive UTC) time in ISO 8601."""
    return None if value is None else value.isoformat(timespec="seconds") + "Z"


def iso_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def html(markdown: str | None) -> str:
    return str(render_markdown(markdown))


def person_json(user: User | None) -> dict[str, Any] | None:
    """Return a person as the caller may see them: the name by core/names.py's rule (public without a token)."""
    return None if user is None else {"id": user.id, "display_name": shown_name(user, g.get("api_user"))}


def action_url(action_id: int) -> str:
    """Return the action's page on the website."""
    return external_url("actions.show", action_id=action_id)


def update_json(update: ProgressUpdate) -> dict[str, Any]:
    """Return a progress update as the API shows it."""
    return {
        "id": update.id,
        "body": update.body,
        "body_html": html(update.body),
        "progress": update.progress,
        "status": update.status,
        "status_label": str(ops.STATUS_LABELS[update.status]),
        "author": person_json(update.author),
        "created_at": iso_time(update.created_at),
    }


def milestone_json(milestone: Milestone) -> dict[str, Any]:
    return {"id": milestone.id, "title": milestone.title, "due_date": iso_date(milestone.due_date),
            "done": milestone.done_at is not None, "done_at": iso_time(milestone.done_at)}


def seen_idea_ids(actions: list[ActionItem]) -> set[int]:
    """Return the ids of the actions' ideas the caller may see listed (ideas.operations.listed_ideas, one
    query): an action of an open think tank may come from ideas the caller may not know exist."""
    return {idea.id for idea in listed_ideas([idea for action in actions for idea in action.ideas], g.get("api_user"))}


def _line_slug(action: ActionItem) -> str | None:
    line = action.line if action.thinktank is None else action.thinktank.line
    return line.slug if line is not None else None


def action_json(action: ActionItem, *, today: date, indicator_ids: list[int], seen_ideas: set[int],
                updates: list[ProgressUpdate] | None = None,
                milestones: list[Milestone] | None = None) -> dict[str, Any]:
    """Return an action as the API shows it, with its updates and milestones when they are given; of its ideas
    only those in `seen_ideas` (seen_idea_ids)."""
    item: dict[str, Any] = {
        "id": action.id,
        "thinktank": action.thinktank.slug if action.thinktank else None,
        "line": _line_slug(action),
        "title": action.title,
        "description": action.description,
        "description_html": html(action.description),
        "owner": person_json(action.owner),
        "owner_public_as": action.owner_public_as,
        "organisation": action.organisation,
        "organisations": [{"id": carrier.organisation_id, "slug": carrier.organisation.slug,
                           "name": carrier.organisation.name, "role": carrier.role,
                           "contact": person_json(carrier.contact)} for carrier in action.carriers],
        "start_date": iso_date(action.start_date),
        "due_date": iso_date(action.due_date),
        "status": action.status,
        "status_label": str(ops.STATUS_LABELS[action.status]),
        "stop_reason": action.stop_reason,
        "progress": action.progress,
        "public": action.public,
        "overdue": action.is_overdue(today),
        "due_soon": action.is_due_soon(today, ops.DUE_SOON_DAYS),
        # Only ideas the caller may see listed: not hidden, not withdrawn, in a think tank they may read.
        "idea_ids": [idea.id for idea in action.ideas if idea.id in seen_ideas],
        "indicator_ids": indicator_ids,
        "decision": action.decision,
        "decision_html": html(action.decision),
        "created_at": iso_time(action.created_at),
        "updated_at": iso_time(action.updated_at),
        "url": action_url(action.id),
    }
    if updates is not None:
        item["updates"] = [update_json(update) for update in updates]
    if milestones is not None:
        item["milestones"] = [milestone_json(milestone) for milestone in milestones]
    return item


def _full_json(action: ActionItem) -> dict[str, Any]:
    """Return one action, loaded by ops.get_action, with its updates and milestones."""
    return action_json(action, today=date.today(), indicator_ids=[i.id for i in action.indicators],
                       seen_ideas=seen_idea_ids([action]), updates=ops.updates_of(action),
                       milestones=action.milestones)


# --- queries for lists: a fixed number, whatever the number of actions --------------------------------------

def _indicator_ids(action_ids: list[int]) -> dict[int, list[int]]:
    ids: dict[int, list[int]] = {action_id: [] for action_id in action_ids}
    if action_ids:
        column = action_indicators.c
        for action_id, indicator_id in db.session.execute(
                select(column.action_id, column.indicator_id).where(column.action_id.in_(action_ids))
                .order_by(column.action_id, column.indicator_id)):
            ids[action_id].append(indicator_id)
    return ids


def _updates(action_ids: list[int]) -> dict[int, list[ProgressUpdate]]:
    updates: dict[int, list[ProgressUpdate]] = {action_id: [] for action_id in action_ids}
    if action_ids:
        for update in db.session.scalars(
                select(ProgressUpdate).where(ProgressUpdate.action_id.in_(action_ids))
                .options(selectinload(ProgressUpdate.author))
                .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())):
            updates[update.action_id].append(update)
    return updates


def _milestones(action_ids: list[int]) -> dict[int, list[Milestone]]:
    milestones: dict[int, list[Milestone]] = {action_id: [] for action_id in action_ids}
    if action_ids:
        for milestone in db.session.scalars(
                select(Milestone).where(Milestone.action_id.in_(action_ids))
                .order_by(Milestone.position, Milestone.id)):
            milestones[milestone.action_id].append(milestone)
    return milestones


def _public_counts(today: date) -> dict[int, dict[str, Any]]:
    """Return per think tank id: its public actions per status, and how many of them are overdue."""
    overdue = and_(ActionItem.status.in_(OPEN_ACTION_STATUSES), ActionItem.due_date < today)
    counts: dict[int, dict[str, Any]] = {}
    for thinktank_id, status, number, late in db.session.execute(
            select(ActionItem.thinktank_id, ActionItem.status, func.count(),
                   func.coalesce(func.sum(case((overdue, 1), else_=0)), 0))
            .where(ActionItem.public.is_(True)).group_by(ActionItem.thinktank_id, ActionItem.status)):
        entry = counts.setdefault(thinktank_id, {"per_status": {}, "overdue": 0})
        entry["per_status"][status] = number
        entry["overdue"] += late
    return counts


# --- loading and checking -----------------------------------------------------------------------------------

def _action_or_404(action_id: int) -> ActionItem:
    """Return the action if the caller may see it; to anyone else an internal action does not exist."""
    return or_404(ops.get_action(action_id, viewer=g.api_user) if action_id <= MAX_ID else None,
                  _("There is no action item with this number."))


def thinktank_from_slug(slug: str | None, *, field: str, status: int) -> ThinkTank | None:
    """Return the think tank a slug in a query or a body names (None for no slug), or raise a field error."""
    if not slug:
        return None
    thinktank = tt_ops.get_thinktank(slug) if len(slug) <= SLUG_MAX else None
    if thinktank is None:
        raise DomainError(_l("There is no think tank with this web address."), field=field,
                          code="unknown_thinktank", status=status)
    return thinktank


@contextmanager
def body_errors() -> Iterator[None]:
    """Answer a domain error about a field of the request body with 422, like the body's own checks, naming the
    field as the body does. Every part of the API runs its operations in this."""
    try:
        yield
    except DomainError as error:
        if error.field:
            error.field = _BODY_NAMES.get(error.field, error.field)
            if error.status == 400:
                error.status = 422
        raise


def refuse(errors: dict[str, list[Any]]) -> NoReturn:
    abort(problem(422, detail=_("Some fields are missing or not valid."), code="validation_failed",
                  errors=errors))


def _operation_args(data: dict[str, Any]) -> dict[str, Any]:
    """Return the body's fields as the operations name them, with each id once."""
    args = dict(data)
    for body_name, name in (("idea_ids", "ideas"), ("indicator_ids", "indicators")):
        if body_name in args:
            args[name] = list(dict.fromkeys(args.pop(body_name) or []))
    for body_name, name in (("lead_organisation_id", "lead"), ("lead_contact_id", "lead_contact")):
        if body_name in args:
            args[name] = args.pop(body_name)
    if "co_organisations" in args:
        args["co"] = [{"organisation": item["organisation_id"], "contact_id": item.get("contact_id")}
                      for item in args.pop("co_organisations") or []]
    return args


def _changes() -> dict[str, Any]:
    """Return the fields a PATCH body changes (None empties one); refuse unknown and read-only fields."""
    json_object({})  # 415 unless JSON; 400 unless an object
    raw = json.loads(request.get_data(cache=True))
    errors: dict[str, list[Any]] = {}
    changes: dict[str, Any] = {}
    for name, value in raw.items():
        field = ACTION_CHANGES.get(name)
        if field is None:
            read_only = name in SCHEMAS["Action"]["properties"]
            errors[name] = [_l("%(field)s cannot be changed.", field=name) if read_only
                            else _l("Unknown field: %(field)s.", field=name)]
            continue
        message = field.check(value)
        if message is not None:
            errors[name] = [message]
        else:
            changes[name] = None if value is None or (isinstance(value, str) and not value.strip()) else value
    if errors:
        refuse(errors)
    return changes


def _include_updates() -> bool:
    include = request.args.get("include") or ""
    names = {name.strip() for name in include.split(",") if name.strip()}
    if names - {"updates"}:
        raise DomainError(_l("Unknown value. Choose one of: %(choices)s.", choices="updates"),
                          field="include", code="invalid_include")
    return "updates" in names


def _list_filters() -> dict[str, Any]:
    """Return list_actions' filters from the query string; answer 400 for one that is not valid."""
    args = request.args
    owner = inputs.optional_ident(args.get("owner"), field="owner", message=_l("The owner must be a user id."),
                                  code="invalid_owner")
    overdue = (args.get("overdue") or "").lower() or None
    if overdue not in (None, "true", "false"):
        raise DomainError(_l("Must be true or false."), field="overdue", code="invalid_overdue")
    organisation = None
    if args.get("organisation"):
        found = partner_ops.get_organisation(args["organisation"])
        if found is None:
            raise DomainError(_l("There is no organisation with this id or web address."), field="organisation",
                              code="unknown_organisation")
        organisation = partner_ops.final_entry(found)
    plan_wide = (args.get("plan_wide") or "").lower() or None
    if plan_wide not in (None, "true", "false"):
        raise DomainError(_l("Must be true or false."), field="plan_wide", code="invalid_plan_wide")
    return {"thinktank": thinktank_from_slug(args.get("thinktank"), field="thinktank", status=400),
            "line": line_from_query(args.get("line")), "plan_wide": plan_wide == "true",
            "status": args.get("status") or None, "owner_id": owner,
            "overdue": None if overdue is None else overdue == "true", "organisation": organisation}


def _created(action_id: int) -> Response:
    """Answer 201 with the new action as the caller sees it now."""
    answer = jsonify(_full_json(ops.get_action(action_id, viewer=g.api_user)))
    answer.status_code = 201
    answer.headers["Location"] = url_for(".show_action", action_id=action_id)
    return answer


# --- actions ------------------------------------------------------------------------------------------------

@bp.get("/actions")
@token_optional
def list_actions():
    """List the actions the caller may see, filtered, overdue first."""
    filters = _list_filters()
    with_updates = _include_updates()
    actions = ops.list_actions(viewer=g.api_user, **filters)
    ids = [action.id for action in actions]
    indicator_ids = _indicator_ids(ids)
    updates = _updates(ids) if with_updates else {}
    milestones = _milestones(ids) if with_updates else {}
    today = date.today()
    seen = seen_idea_ids(actions)
    return jsonify(items=[action_json(action, today=today, indicator_ids=indicator_ids[action.id], seen_ideas=seen,
                                      updates=updates.get(action.id), milestones=milestones.get(action.id))
                          for action in actions])


@bp.post("/actions")
@token_required
def create_action():
    """Create an action item in a think tank."""
    data = json_object(NEW_ACTION)
    with body_errors():
        thinktank = thinktank_from_slug(data.pop("thinktank", None), field="thinktank", status=422)
        line_slug = data.pop("line", None)
        line = programme_ops.find_line(line_slug) if line_slug else None
        if line_slug and line is None:
            raise DomainError(_l("There is no line with this address."), field="line", code="unknown_line")
        args = _operation_args(data)
        args["owner"] = args.pop("owner_id", None)
        action = ops.create_action(thinktank, by=g.api_user, line=line, **args)
    db.session.commit()
    return _created(action.id)


@bp.get("/actions/<int:action_id>")
@token_optional
def show_action(action_id: int):
    """Show an action with its updates and milestones."""
    return jsonify(_full_json(_action_or_404(action_id)))


@bp.patch("/actions/<int:action_id>")
@token_required
def change_action(action_id: int):
    """Change the fields sent, and no others."""
    action = _action_or_404(action_id)
    ops.require_editor(action, g.api_user)  # before reading the body: who may not change it hears that first
    changes = _changes()
    with body_errors():
        ops.update_action(action, by=g.api_user, **_operation_args(changes))
    db.session.commit()
    return jsonify(_full_json(_action_or_404(action_id)))


@bp.post("/actions/<int:action_id>/updates")
@token_required
def post_update(action_id: int):
    """Post a progress update on the action."""
    action = _action_or_404(action_id)
    ops.require_updater(action, g.api_user)  # before reading the body
    data = json_object(NEW_UPDATE)
    with body_errors():
        update = ops.post_update(action, by=g.api_user, **data)
    db.session.commit()
    answer = jsonify(update_json(update))
    answer.status_code = 201
    return answer


@bp.post("/ideas/<int:idea_id>/actions")
@token_required
def convert_idea(idea_id: int):
    """Turn an adopted idea, and any more given, into an action item."""
    idea = db.session.get(Idea, idea_id) if idea_id <= MAX_ID else None
    idea = or_404(idea if idea is not None and may_see_idea(idea, g.api_user) else None,
                  _("There is no idea with this number."))
    ops.require_creator(idea.thinktank, g.api_user)  # before the idea's state and the body
    if idea.status != "adopted":
        raise Conflict(_l("Only adopted ideas become action items."), code="not_adopted")
    data = json_object(IDEA_ACTION)
    with body_errors():
        args = _operation_args(data)
        args["owner"] = args.pop("owner_id", None)
        more = [other for other in args.pop("ideas", []) if other != idea.id]
        # The operation checks that the other ideas are adopted ideas of the same think tank.
        action = ops.convert_ideas([idea, *more], by=g.api_user, **args)
    db.session.commit()
    return _created(action.id)


# --- the plan's progress ------------------------------------------------------------------------------------

@bp.get("/progress")
def progress():
    """Show the public progress of the plan: counts, per think tank, and the latest updates."""
    today = date.today()
    summary = ops.progress_summary(today=today)
    counts = _public_counts(today)
    slugs: dict[int, str] = {}
    thinktanks = []
    for thinktank, _members in tt_ops.thinktanks_with_counts(include_archived=True):
        slugs[thinktank.id] = thinktank.slug
        mine = counts.get(thinktank.id, {"per_status": {}, "overdue": 0})
        per_status = {status: mine["per_status"].get(status, 0) for status in ACTION_STATUSES}
        thinktanks.append({"slug": thinktank.slug, "name": thinktank.name, "archived": thinktank.is_archived,
                           "total": sum(per_status.values()), "per_status": per_status,
                           "overdue": mine["overdue"]})
    latest = []
    for update in ops.latest_updates(limit=LATEST_UPDATES):
        action = update.action
        about = {"id": action.id, "title": action.title, "thinktank": slugs.get(action.thinktank_id),
                 "url": action_url(action.id)}
        latest.append({"action": about, **update_json(update)})
    return jsonify(total=summary["total"], per_status=summary["per_status"], overdue=summary["overdue"],
                   share_done=summary["share_done"], thinktanks=thinktanks, latest_updates=latest)
