"""Meetings in the API: list a think tank's meetings, plan one (chairs, admins) or a plenary, read a meeting with its
agenda, and take or give up a place.

Reading follows the website: public meetings are for everyone; members-only ones for members (of the think tank;
of any think tank for a plenary), the people registered, the chairs and admins. To anyone else a members-only
meeting does not exist (404). Every change goes through samen/meetings/operations.py, which checks who may do it.
Times are ISO 8601: answers give UTC (…Z); a time sent without an offset is taken as local time (TIMEZONE).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from flask import Response, current_app, g, jsonify, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from samen.api.actions import MAX_ID, SLUG_MAX, body_errors, html, iso_time
from samen.api.auth import token_optional, token_required
from samen.api.thinktanks import thinktank_or_404
from samen.api.openapi import BEARER, BEARER_OPTIONAL, ApiBlueprint, Spec, problems, ref, request_body, response
from samen.api.validation import Field, json_object, object_schema
from samen.core import inputs
from samen.core.database import db
from samen.core.errors import DomainError
from samen.core.hosts import external_url
from samen.core.views import or_404
from samen.meetings import operations as ops
from samen.meetings import reminders
from samen.meetings.models import MEETING_STATES, Meeting, Registration
from samen.thinktanks.models import ThinkTank

ITEM_FIELDS = {"title", "description", "planned_minutes", "idea_ids"}
NO_THINKTANK = _l("There is no think tank with this web address.")


@dataclass(frozen=True)
class Moment(Field):
    """A date and time in ISO 8601: with an offset, or without one in the municipality's time zone."""

    type: type = str
    max_length: int | None = 40
    format: str | None = "date-time"


@dataclass(frozen=True)
class Agenda(Field):
    """The agenda: a list of items, each an object with a title and optionally a description, planned minutes
    and the ids of ideas it discusses. The domain checks the ideas."""

    type: type = list
    required: bool = False

    def check(self, value: Any) -> Any | None:
        if value is None:
            return None
        if not isinstance(value, list) or len(value) > ops.AGENDA_MAX:
            return _l("Must be a list of at most %(n)d agenda items.", n=ops.AGENDA_MAX)
        for item in value:
            if not isinstance(item, dict) or set(item) - ITEM_FIELDS:
                return _l("Each agenda item is an object with title, description, planned_minutes and idea_ids.")
            title, description = item.get("title"), item.get("description")
            if not isinstance(title, str) or not title.strip() or len(title) > ops.TITLE_MAX:
                return _l("Each agenda item needs a title of at most %(n)d characters.", n=ops.TITLE_MAX)
            if description is not None and (not isinstance(description, str) or len(description) > ops.TEXT_MAX):
                return _l("An agenda item's description is text of at most %(n)d characters.", n=ops.TEXT_MAX)
            problem_text = inputs.text_problem(title) or (
                inputs.text_problem(description, multiline=True) if description is not None else None)
            if problem_text is not None:
                return problem_text
            minutes = item.get("planned_minutes")
            if isinstance(minutes, float) and not math.isfinite(minutes):
                return inputs.NOT_FINITE
            if minutes is not None and (type(minutes) is not int or not 0 <= minutes <= ops.MINUTES_MAX):
                return _l("The planned time is a whole number of minutes from 0 to %(n)d.", n=ops.MINUTES_MAX)
            ideas = item.get("idea_ids")
            # An id beyond the column is the domain's to name, as the web form's: "no idea with the number …".
            if ideas is not None and (not isinstance(ideas, list) or len(ideas) > ops.IDEAS_MAX
                                      or not all(type(i) is int for i in ideas)):
                return _l("idea_ids must be a list of at most %(n)d numbers.", n=ops.IDEAS_MAX)
        return None

    def schema(self) -> dict[str, Any]:
        return {"type": "array", "maxItems": ops.AGENDA_MAX, "items": ref("NewAgendaItem"),
                "description": "In order."}


NEW_MEETING: dict[str, Field] = {
    "title": Field(str, max_length=ops.TITLE_MAX),
    "description": Field(str, required=False, max_length=ops.TEXT_MAX, multiline=True, description="Markdown."),
    "starts_at": Moment(description="ISO 8601, e.g. 2027-03-01T19:30:00+01:00; without an offset: local time."),
    "ends_at": Moment(description="ISO 8601; after starts_at."),
    "location": Field(str, required=False, max_length=ops.LOCATION_MAX,
                     description="The address. A meeting has an address, an online link, or both."),
    "online_url": Field(str, required=False, max_length=ops.URL_MAX, format="uri",
                       description="An http(s) link to join online."),
    "capacity": Field(int, required=False, description="How many places; at least 1; absent or null: no limit. "
                                                       "Who registers when it is full goes on the waiting list."),
    "public": Field(bool, required=False, description="true (the default): everyone sees it and anyone signed "
                                                      "in registers; false: members only."),
    "agenda": Agenda(),
}

# --- OpenAPI ------------------------------------------------------------------------------------------------

_TIME = {"type": "string", "format": "date-time"}
_TEXT = {"type": "string"}

SCHEMAS: dict[str, Spec] = {
    "NewAgendaItem": {
        "type": "object",
        "required": ["title"],
        "additionalProperties": False,
        "properties": {
            "title": {"type": "string", "minLength": 1, "maxLength": ops.TITLE_MAX},
            "description": {"type": "string", "maxLength": ops.TEXT_MAX, "description": "Markdown."},
            "planned_minutes": {"type": "integer", "minimum": 0, "maximum": ops.MINUTES_MAX},
            "idea_ids": {"type": "array", "maxItems": ops.IDEAS_MAX, "items": {"type": "integer", "minimum": 1},
                         "description": "Visible ideas of the meeting's think tank; for a plenary, of any think "
                                        "tank whose ideas you may read."},
        },
    },
    "AgendaItem": {
        "type": "object",
        "required": ["id", "position", "title", "description", "description_html", "planned_minutes", "ideas"],
        "properties": {
            "id": {"type": "integer"},
            "position": {"type": "integer", "description": "From 0, in the agenda's order."},
            "title": _TEXT,
            "description": {"type": "string", "description": "Markdown, as written."},
            "description_html": {"type": "string", "description": "The description as sanitised HTML."},
            "planned_minutes": {"type": "integer"},
            "ideas": {"type": "array", "items": ref("MeetingIdea")},
        },
    },
    "MeetingIdea": {
        "type": "object",
        "required": ["id", "title", "url"],
        "properties": {"id": {"type": "integer"}, "title": _TEXT, "url": {"type": "string", "format": "uri"}},
    },
    "Registration": {
        "type": "object",
        "description": "Your place at a meeting.",
        "required": ["meeting_id", "status", "position"],
        "properties": {
            "meeting_id": {"type": "integer"},
            "status": {"type": "string", "enum": ["registered", "waiting"],
                       "description": "registered: you have a place; waiting: on the waiting list. When a place "
                                      "comes free the first waiting moves up, and hears about it."},
            "position": {"type": ["integer", "null"], "description": "Your place on the waiting list, from 1."},
        },
    },
    "Meeting": {
        "type": "object",
        "required": ["id", "title", "description", "description_html", "thinktank", "plenary", "starts_at",
                     "ends_at", "location", "online_url", "capacity", "public", "state", "registered", "waiting",
                     "places_left", "url", "ics_url", "minutes", "minutes_html", "minutes_published_at"],
        "properties": {
            "id": {"type": "integer"},
            "title": _TEXT,
            "description": {"type": "string", "description": "Markdown, as written."},
            "description_html": {"type": "string", "description": "The description as sanitised HTML."},
            "thinktank": {"type": ["string", "null"], "description": "The think tank's slug; null: a plenary."},
            "plenary": {"type": "boolean"},
            "starts_at": _TIME,
            "ends_at": _TIME,
            "location": _TEXT,
            "online_url": _TEXT,
            "capacity": {"type": ["integer", "null"], "description": "null: no limit."},
            "public": {"type": "boolean"},
            "state": {"type": "string", "enum": list(MEETING_STATES)},
            "registered": {"type": "integer", "description": "Places taken."},
            "waiting": {"type": "integer", "description": "People on the waiting list."},
            "places_left": {"type": ["integer", "null"], "description": "null: no limit."},
            "url": {"type": "string", "format": "uri", "description": "The meeting's page on the website."},
            "ics_url": {"type": "string", "format": "uri", "description": "The meeting as an iCalendar file."},
            "minutes": {"type": ["string", "null"], "description": "The published minutes, in Markdown (null for "
                                                                   "a closed think tank's meeting unless you may "
                                                                   "read its ideas)."},
            "minutes_html": {"type": ["string", "null"]},
            "minutes_published_at": {"anyOf": [_TIME, {"type": "null"}]},
            "registration": {"anyOf": [ref("Registration"), {"type": "null"}],
                             "description": "Only with a token: your place, or null."},
            "agenda": {"type": "array", "items": ref("AgendaItem"), "description": "On one meeting: in order."},
        },
    },
    "MeetingList": {
        "type": "object",
        "required": ["items"],
        "properties": {"items": {"type": "array", "items": ref("Meeting")}},
    },
    "NewMeeting": object_schema(NEW_MEETING),
}

_ID = {"name": "meeting_id", "in": "path", "required": True,
       "schema": {"type": "integer", "minimum": 1, "maximum": inputs.MAX_ID}}
_SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string", "maxLength": SLUG_MAX}}
_WHEN = {"name": "when", "in": "query", "schema": {"type": "string", "enum": list(ops.WHEN), "default": "upcoming"},
         "description": "upcoming: not ended, soonest first; past: ended or closed, newest first; all."}
_BAD_QUERY = {"400": {"description": "A query parameter is not valid.",
                      "content": {"application/problem+json": {"schema": ref("Problem")}}}}
_FORBIDDEN = {"403": {"description": "You may not do this (code not_chair: only its chairs and admins; "
                                     "members_only: the meeting is for members; email_unconfirmed: confirm your "
                                     "e-mail address first).",
                      "content": {"application/problem+json": {"schema": ref("Problem")}}}}
_NEW = {
    "201": response("The meeting, with its agenda.", ref("Meeting"),
                    headers={"Location": {"description": "The meeting's address in the API.",
                                          "schema": {"type": "string"}}}),
    **problems(400, 401), **_FORBIDDEN, **problems(409, 415, 422),
}

PATHS: dict[str, Spec] = {
    "/thinktanks/{slug}/meetings": {
        "parameters": [_SLUG],
        "get": {
            "operationId": "listThinkTankMeetings",
            "summary": "List a think tank's meetings that you may see",
            "description": "Public meetings for everyone; members-only ones too for its members, the registered "
                           "and admins. Plenaries are listed at /meetings.",
            "tags": ["meetings"],
            "security": BEARER_OPTIONAL,
            "parameters": [_WHEN],
            "responses": {"200": response("The meetings.", ref("MeetingList")), **_BAD_QUERY,
                          **problems(401, 404)},
        },
        "post": {
            "operationId": "createMeeting",
            "summary": "Plan a meeting of the think tank (its chairs and admins)",
            "description": "With its agenda in order. Unknown fields are ignored; an unknown idea, an end before the "
                           "start or a capacity of 0 is refused (422) and nothing is stored. An archived think "
                           "tank plans no meetings (409).",
            "tags": ["meetings"],
            "security": BEARER,
            "requestBody": request_body(ref("NewMeeting")),
            "responses": {**_NEW, **problems(404)},
        },
    },
    "/meetings": {
        "get": {
            "operationId": "listMeetings",
            "summary": "List the meetings you may see: of every think tank, and the plenaries",
            "tags": ["meetings"],
            "security": BEARER_OPTIONAL,
            "parameters": [_WHEN, {"name": "plenary", "in": "query", "schema": {"type": "boolean"},
                                   "description": "true: only the plenaries."}],
            "responses": {"200": response("The meetings.", ref("MeetingList")), **_BAD_QUERY, **problems(401)},
        },
        "post": {
            "operationId": "createPlenary",
            "summary": "Plan a plenary meeting of all think tanks (admins and chairs)",
            "tags": ["meetings"],
            "security": BEARER,
            "requestBody": request_body(ref("NewMeeting")),
            "responses": _NEW,
        },
    },
    "/meetings/{meeting_id}": {
        "parameters": [_ID],
        "get": {
            "operationId": "getMeeting",
            "summary": "Show a meeting with its agenda",
            "tags": ["meetings"],
            "security": BEARER_OPTIONAL,
            "responses": {"200": response("The meeting.", ref("Meeting")), **problems(401, 404)},
        },
    },
    "/meetings/{meeting_id}/registration": {
        "parameters": [_ID],
        "put": {
            "operationId": "register",
            "summary": "Take a place at the meeting, or a place on its waiting list when it is full",
            "description": "Sending it again changes nothing. Members-only meetings take members (of the think "
                           "tank; of any think tank for a plenary). A meeting that is over takes no one (409).",
            "tags": ["meetings"],
            "security": BEARER,
            "responses": {"200": response("You had this place already.", ref("Registration")),
                          "201": response("Your new place.", ref("Registration")),
                          **problems(401), **_FORBIDDEN, **problems(404, 409)},
        },
        "delete": {
            "operationId": "unregister",
            "summary": "Give up your place (the first on the waiting list gets it) or leave the waiting list",
            "tags": ["meetings"],
            "security": BEARER,
            "responses": {"204": response("You have no place any more (or had none)."),
                          **problems(401, 404, 409)},
        },
    },
}

bp = ApiBlueprint("meetings", __name__, paths=PATHS, schemas=SCHEMAS)


# --- answers ------------------------------------------------------------------------------------------------

def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def registration_json(registration: Registration) -> dict[str, Any]:
    return {"meeting_id": registration.meeting_id, "status": registration.status,
            "position": ops.waiting_position(registration)}


def meeting_json(meeting: Meeting, counts: ops.Counts, *, viewer: ops.Viewer,
                 agenda: bool = False, registration: Registration | None = None) -> dict[str, Any]:
    """Return a meeting as the API shows it; the caller's registration comes from the viewer (or is given)."""
    published = meeting.minutes_published_at is not None and ops.may_read_minutes(meeting, viewer)
    body: dict[str, Any] = {
        "id": meeting.id, "title": meeting.title, "description": meeting.description,
        "description_html": html(meeting.description),
        "thinktank": meeting.thinktank.slug if meeting.thinktank else None, "plenary": meeting.plenary,
        "starts_at": iso_time(meeting.starts_at), "ends_at": iso_time(meeting.ends_at),
        "location": meeting.location, "online_url": meeting.online_url, "capacity": meeting.capacity,
        "public": meeting.public, "state": meeting.state, "registered": counts.registered,
        "waiting": counts.waiting,
        "places_left": None if meeting.capacity is None else max(0, meeting.capacity - counts.registered),
        "url": external_url("meetings.show", meeting_id=meeting.id),
        "ics_url": external_url("meetings.ics", meeting_id=meeting.id),
        "minutes": meeting.minutes if published else None,
        "minutes_html": html(meeting.minutes) if published else None,
        "minutes_published_at": iso_time(meeting.minutes_published_at),
    }
    if viewer.signed_in:
        if registration is not None:
            body["registration"] = registration_json(registration)
        elif meeting.id in viewer.registered:
            body["registration"] = {"meeting_id": meeting.id, "status": "registered", "position": None}
        else:
            body["registration"] = None  # a place on a waiting list: the list adds it, with the position
    if agenda:
        shown = ops.agenda_ideas(meeting, g.api_user)
        body["agenda"] = [{
            "id": item.id, "position": item.position, "title": item.title, "description": item.description,
            "description_html": html(item.description), "planned_minutes": item.planned_minutes,
            "ideas": [{"id": idea.id, "title": idea.title,
                       "url": external_url("ideas.show", idea_id=idea.id)} for idea in shown[item.id]],
        } for item in meeting.agenda]
    return body


def _meeting_or_404(meeting_id: int) -> tuple[Meeting, ops.Viewer]:
    """Return the meeting if the caller may see it; to anyone else a members-only meeting does not exist."""
    meeting = ops.get_meeting(meeting_id) if meeting_id <= MAX_ID else None
    viewer = ops.viewer_of(g.api_user, [meeting.id] if meeting else [])
    visible = meeting if meeting is not None and ops.may_view(meeting, viewer) else None
    return or_404(visible, _("There is no meeting with this number.")), viewer


def _full(meeting_id: int, status: int = 200) -> Response:
    meeting, viewer = _meeting_or_404(meeting_id)
    counts = ops.registration_counts([meeting.id])[meeting.id]
    registration = ops.registration_of(meeting, g.api_user) if viewer.signed_in else None
    if registration is not None and registration.status == "cancelled":
        registration = None
    answer = jsonify(meeting_json(meeting, counts, viewer=viewer, agenda=True, registration=registration))
    answer.status_code = status
    if status == 201:
        answer.headers["Location"] = url_for(".show_meeting", meeting_id=meeting.id)
    return answer


def _list(meetings: list[Meeting], viewer: ops.Viewer) -> Response:
    counts = ops.registration_counts([meeting.id for meeting in meetings])
    items = []
    waiting = {meeting.id for meeting in meetings if meeting.id in viewer.waiting}
    positions = _positions(viewer, waiting)
    for meeting in meetings:
        body = meeting_json(meeting, counts[meeting.id], viewer=viewer)
        if meeting.id in waiting:
            body["registration"] = {"meeting_id": meeting.id, "status": "waiting", "position": positions[meeting.id]}
        items.append(body)
    return jsonify(items=items)


def _positions(viewer: ops.Viewer, meeting_ids: set[int]) -> dict[int, int]:
    """Return the caller's place on each of these waiting lists (one query)."""
    if not meeting_ids:
        return {}
    mine = select(Registration.meeting_id, Registration.created_at, Registration.id).where(
        Registration.user_id == viewer.user_id, Registration.meeting_id.in_(sorted(meeting_ids))).subquery()
    rows = db.session.execute(
        select(mine.c.meeting_id, func.count(Registration.id))
        .join(Registration, Registration.meeting_id == mine.c.meeting_id)
        .where(Registration.status == "waiting",
               (Registration.created_at < mine.c.created_at)
               | ((Registration.created_at == mine.c.created_at) & (Registration.id <= mine.c.id)))
        .group_by(mine.c.meeting_id))
    return dict(rows.all())


def _when() -> str:
    when = request.args.get("when") or "upcoming"
    if when not in ops.WHEN:
        raise DomainError(_l("Unknown value. Choose one of: %(choices)s.", choices=", ".join(ops.WHEN)),
                          field="when", code="invalid_when")
    return when


def _create(thinktank: ThinkTank | None) -> Response:
    data = json_object(NEW_MEETING)
    with body_errors():
        meeting = ops.create_meeting(thinktank, by=g.api_user, zone=_zone(), **data)
    db.session.commit()
    return _full(meeting.id, 201)


# --- routes -------------------------------------------------------------------------------------------------

@bp.get("/thinktanks/<slug>/meetings")
@token_optional
def list_thinktank_meetings(slug: str):
    """List a think tank's meetings that the caller may see."""
    thinktank = thinktank_or_404(slug, NO_THINKTANK)
    viewer = ops.viewer_of(g.api_user)
    return _list(ops.list_meetings(viewer, thinktank=thinktank, with_plenaries=False, when=_when()), viewer)


@bp.post("/thinktanks/<slug>/meetings")
@token_required
def create_meeting(slug: str):
    """Plan a meeting of the think tank."""
    return _create(thinktank_or_404(slug, NO_THINKTANK))


@bp.get("/meetings")
@token_optional
def list_meetings():
    """List every meeting the caller may see."""
    plenary = (request.args.get("plenary") or "").lower()
    if plenary not in ("", "true", "false"):
        raise DomainError(_l("Must be true or false."), field="plenary", code="invalid_plenary")
    viewer = ops.viewer_of(g.api_user)
    return _list(ops.list_meetings(viewer, plenary=plenary == "true", when=_when()), viewer)


@bp.post("/meetings")
@token_required
def create_plenary():
    """Plan a plenary meeting."""
    return _create(None)


@bp.get("/meetings/<int:meeting_id>")
@token_optional
def show_meeting(meeting_id: int):
    """Show a meeting with its agenda."""
    return _full(meeting_id)


@bp.put("/meetings/<int:meeting_id>/registration")
@token_required
def register(meeting_id: int):
    """Take a place, or a place on the waiting list."""
    meeting, _viewer = _meeting_or_404(meeting_id)
    before = ops.registration_of(meeting, g.api_user)
    had = before is not None and before.status != "cancelled"
    registration = ops.register(meeting, g.api_user)
    db.session.commit()
    answer = jsonify(registration_json(registration))
    answer.status_code = 200 if had else 201
    return answer


@bp.delete("/meetings/<int:meeting_id>/registration")
@token_required
def unregister(meeting_id: int):
    """Give up the place; the first on the waiting list moves up."""
    meeting, _viewer = _meeting_or_404(meeting_id)
    moved = ops.cancel_registration(meeting, g.api_user)
    db.session.commit()
    reminders.mail_moved_up_all(moved)
    return Response(status=204)
