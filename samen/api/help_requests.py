"""Help requests in the API, for the intake team only (a token of a team member): list, read, update, reply.

Everyone else — administrators not on the team included — gets 403 on the list and 404 on a request, as
problem+json. Every read and change is recorded in the audit log (samen/helpdesk/operations.py). Sending a
request is the web form's (/hulp/verzoek), with its rate limit and honeypot.
"""
from __future__ import annotations

from typing import Any

from flask import abort, g, jsonify, request
from flask_babel import gettext as _

from samen.accounts.models import User
from samen.api.actions import body_errors, iso_time
from samen.api.auth import token_required
from samen.api.openapi import BEARER, PROBLEM_JSON, ApiBlueprint, Spec, problems, ref, request_body, response
from samen.api.validation import Field, json_object, object_schema
from samen.core import inputs
from samen.core.database import db
from samen.core.errors import DomainError, problem
from samen.core.views import or_404
from samen.helpdesk import mails
from samen.helpdesk import operations as ops
from samen.helpdesk.models import ABOUT, CONTACT_METHODS, MESSAGE_KINDS, OUTCOMES, STATUSES, HelpMessage, HelpRequest

UPDATE: dict[str, Field] = {
    "status": Field(str, required=False, max_length=20, description="new, in_progress, referred or closed."),
    "outcome": Field(str, required=False, max_length=20,
                     description="With status closed: helped, referred, no_contact, not_needed or other."),
    "referral_entry_id": Field(int, required=False, id=True,
                               description="With status referred: the help directory entry referred to."),
    "referral_note": Field(str, required=False, max_length=ops.REFERRAL_MAX,
                           description="With status referred: where to, in words."),
    "assignee_id": Field(int, required=False, id=True, description="A member of the intake team."),
    "unassign": Field(bool, required=False, description="true: nobody handles it any more."),
}
REPLY: dict[str, Field] = {
    "body": Field(str, max_length=ops.TEXT_MAX, multiline=True, description="The text."),
    "internal": Field(bool, required=False,
                      description="true: an internal note, which the sender never sees; else a reply to them."),
}

_MESSAGE: Spec = {
    "type": "object",
    "required": ["id", "kind", "body", "author", "created_at"],
    "properties": {
        "id": {"type": "integer"},
        "kind": {"type": "string", "enum": list(MESSAGE_KINDS),
                 "description": "sender: information the sender added; reply: to the sender; note: internal."},
        "body": {"type": "string"},
        "author": {"type": ["string", "null"], "description": "The team member's name; null for the sender."},
        "created_at": {"type": "string", "format": "date-time"},
    },
}
_SUMMARY_PROPERTIES: Spec = {
    "id": {"type": "integer"},
    "about": {"type": "string", "enum": list(ABOUT)},
    "urgent": {"type": "boolean"},
    "status": {"type": "string", "enum": list(STATUSES)},
    "outcome": {"type": ["string", "null"], "enum": [*OUTCOMES, None]},
    "assignee_id": {"type": ["integer", "null"]},
    "created_at": {"type": "string", "format": "date-time"},
    "first_response_at": {"type": ["string", "null"], "format": "date-time"},
    "closed_at": {"type": ["string", "null"], "format": "date-time"},
}
_DETAIL_PROPERTIES: Spec = {
    **_SUMMARY_PROPERTIES,
    "text": {"type": "string", "description": "What the sender wrote."},
    "contact_method": {"type": "string", "enum": list(CONTACT_METHODS)},
    "contact": {"type": ["string", "null"], "description": "The phone number or e-mail address, if given."},
    "mail_replies": {"type": "boolean", "description": "Replies are also mailed to the sender's address."},
    "referral_entry_id": {"type": ["integer", "null"]},
    "referral_note": {"type": ["string", "null"]},
    "messages": {"type": "array", "items": ref("HelpMessage"), "description": "Oldest first, notes included."},
}

SCHEMAS: dict[str, Spec] = {
    "HelpMessage": _MESSAGE,
    "HelpRequestSummary": {"type": "object", "required": list(_SUMMARY_PROPERTIES),
                           "properties": _SUMMARY_PROPERTIES},
    "HelpRequest": {"type": "object", "required": list(_DETAIL_PROPERTIES), "properties": _DETAIL_PROPERTIES},
    "HelpRequestList": {"type": "object", "required": ["items"],
                        "properties": {"items": {"type": "array", "items": ref("HelpRequestSummary"),
                                                 "description": "Urgent first, then oldest first."}}},
    "HelpRequestUpdate": object_schema(UPDATE),
    "NewHelpMessage": object_schema(REPLY),
}

_ID = [{"name": "request_id", "in": "path", "required": True,
        "schema": {"type": "integer", "minimum": 1, "maximum": inputs.MAX_ID}}]


def _problem(description: str) -> Spec:
    return {"description": description, "content": {PROBLEM_JSON: {"schema": ref("Problem")}}}


_NOT_TEAM_404 = _problem("No such request, or the caller is not on the intake team (administrators neither).")
PATHS: dict[str, Spec] = {
    "/help-requests": {
        "get": {
            "operationId": "listHelpRequests",
            "summary": "List the help requests (intake team only), without their content",
            "tags": ["help requests"],
            "security": BEARER,
            "parameters": [{"name": "status", "in": "query", "schema": {"type": "string", "enum": list(STATUSES)},
                            "description": "Only requests with this status."}],
            "responses": {
                "200": response("The requests.", ref("HelpRequestList")),
                **problems(401),
                "403": _problem("The caller is not on the intake team (code not_help_team)."),
            },
        },
    },
    "/help-requests/{request_id}": {
        "parameters": _ID,
        "get": {
            "operationId": "getHelpRequest",
            "summary": "Read a help request with its messages and notes (recorded in the audit log)",
            "tags": ["help requests"],
            "security": BEARER,
            "responses": {"200": response("The request.", ref("HelpRequest")), **problems(401),
                          "404": _NOT_TEAM_404},
        },
        "patch": {
            "operationId": "updateHelpRequest",
            "summary": "Change a help request's status, referral, outcome or assignee",
            "tags": ["help requests"],
            "security": BEARER,
            "requestBody": request_body(ref("HelpRequestUpdate")),
            "responses": {
                "200": response("The request as it is now.", ref("HelpRequest")),
                **problems(400, 401, 413, 415),
                "404": _NOT_TEAM_404,
                "422": _problem("A field is not valid, e.g. closed without an outcome (validation_failed)."),
            },
        },
    },
    "/help-requests/{request_id}/messages": {
        "parameters": _ID,
        "post": {
            "operationId": "replyToHelpRequest",
            "summary": "Reply to the sender (or add an internal note)",
            "tags": ["help requests"],
            "security": BEARER,
            "requestBody": request_body(ref("NewHelpMessage")),
            "responses": {
                "201": response("The message.", ref("HelpMessage")),
                **problems(400, 401, 413, 415),
                "404": _NOT_TEAM_404,
                "422": _problem("The body is missing or too long (validation_failed)."),
            },
        },
    },
}

bp = ApiBlueprint("help_requests", __name__, paths=PATHS, schemas=SCHEMAS)


def summary_json(item: HelpRequest) -> dict[str, Any]:
    return {"id": item.id, "about": item.about, "urgent": item.urgent, "status": item.status,
            "outcome": item.outcome, "assignee_id": item.assignee_id, "created_at": iso_time(item.created_at),
            "first_response_at": iso_time(item.first_response_at), "closed_at": iso_time(item.closed_at)}


def message_json(message: HelpMessage) -> dict[str, Any]:
    return {"id": message.id, "kind": message.kind, "body": message.body,
            "author": message.author.display_name if message.author else None,
            "created_at": iso_time(message.created_at)}


def request_json(item: HelpRequest) -> dict[str, Any]:
    return {**summary_json(item), "text": item.text, "contact_method": item.contact_method,
            "contact": item.contact, "mail_replies": item.mail_replies, "referral_entry_id": item.referral_entry_id,
            "referral_note": item.referral_note, "messages": [message_json(m) for m in item.messages]}


def _readable(request_id: int) -> HelpRequest:
    """Return the request for a team member; 404 for anyone else, as for a request that does not exist."""
    if not ops.may_read_requests(g.api_user):
        or_404(None, _("There is no help request with this number."))
    found = ops.read_request(request_id, by=g.api_user)
    db.session.commit()  # the read is recorded even if what follows is refused
    return or_404(found, _("There is no help request with this number."))


@bp.get("/help-requests")
@token_required
def list_help_requests():
    """List the requests, without their content."""
    if not ops.may_read_requests(g.api_user):
        abort(problem(403, detail=_("Only the intake team reads help requests."), code="not_help_team"))
    status = request.args.get("status")
    listing = ops.queue(g.api_user, status=status if status in STATUSES else None)
    db.session.commit()
    return jsonify(items=[summary_json(item) for item in listing.requests])


@bp.get("/help-requests/<int:request_id>")
@token_required
def get_help_request(request_id: int):
    """Read a request, with its messages and notes."""
    return jsonify(request_json(_readable(request_id)))


@bp.patch("/help-requests/<int:request_id>")
@token_required
def update_help_request(request_id: int):
    """Change the status, referral, outcome or assignee."""
    item = _readable(request_id)
    data = json_object(UPDATE)
    with body_errors():
        if "assignee_id" in data or data.get("unassign"):
            assignee = db.session.get(User, data["assignee_id"]) if "assignee_id" in data else None
            if "assignee_id" in data and assignee is None:
                raise DomainError(_("There is no such user."), field="assignee_id")
            ops.assign_request(item, assignee, by=g.api_user)
        if "status" in data:
            ops.update_status(item, data["status"], by=g.api_user, outcome=data.get("outcome"),
                              referral_entry_id=data.get("referral_entry_id"),
                              referral_note=data.get("referral_note"))
    db.session.commit()
    return jsonify(request_json(item))


@bp.post("/help-requests/<int:request_id>/messages")
@token_required
def reply_to_help_request(request_id: int):
    """Reply to the sender, or add an internal note."""
    item = _readable(request_id)
    data = json_object(REPLY)
    with body_errors():
        if data.get("internal"):
            message = ops.add_note(item, data["body"], by=g.api_user)
        else:
            message = ops.reply(item, data["body"], by=g.api_user)
    db.session.commit()
    if message.kind == "reply":
        mails.mail_reply(item, message)
    answer = jsonify(message_json(message))
    answer.status_code = 201
    return answer
