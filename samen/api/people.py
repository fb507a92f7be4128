"""Who takes part, in the API: invitations by e-mail (chairs and the coordinator, docs/people.md), the participant
groups administrators keep and the ones a person says they belong to, and the organisation a person asks to be a
contact of (docs/partners.md). The same operations and rules as the web pages."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Response, current_app, g, jsonify, request
from flask_babel import get_locale, gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from samen.accounts import groups as group_ops
from samen.accounts.groups import ParticipantGroup
from samen.api.actions import body_errors, iso_time, refuse
from samen.api.auth import token_required
from samen.api.openapi import (BEARER, PROBLEM_JSON, PUBLIC, ApiBlueprint, Spec, problems, ref, request_body,
                               response)
from samen.api.validation import Field, json_object, object_schema
from samen.core import inputs, ratelimit
from samen.core.database import db, utcnow
from samen.core.errors import DomainError, Forbidden, problem
from samen.core.views import or_404
from samen.partners import operations as partner_ops
from samen.partners.models import OrganisationContact, UnlistedOrganisation
from samen.people import mails
from samen.people import operations as ops
from samen.people.models import Invitation
from samen.thinktanks.operations import get_thinktank

STATES = ("pending", "accepted", "expired")


@dataclass(frozen=True)
class _People(Field):
    """The people to invite: a list of 1 to MAX_ROWS objects with an e-mail address, and optionally a name and an
    organisation of the register (its slug or name). Each is checked on its own, as the web's list is."""

    def check(self, value: Any) -> Any | None:
        if value is None:
            return _l("This field is required.")
        if not isinstance(value, list) or not 0 < len(value) <= ops.MAX_ROWS:
            return _l("Must be a list of 1 to %(n)d people.", n=ops.MAX_ROWS)
        if not all(isinstance(item, dict) for item in value):
            return _l("Each person must be an object with an e-mail address.")
        return None

    def schema(self) -> dict[str, Any]:
        return {"type": "array", "minItems": 1, "maxItems": ops.MAX_ROWS, "items": ref("InvitationPerson"),
                "description": self.description}


@dataclass(frozen=True)
class _GroupIds(Field):
    """The groups a person belongs to: a list (empty: none) of ids or keys of offered groups."""

    def check(self, value: Any) -> Any | None:
        if value is None:
            return _l("This field is required.")
        if (not isinstance(value, list) or len(value) > 100
                or not all((type(item) is int) or (isinstance(item, str) and 0 < len(item) <= group_ops.KEY_MAX)
                           for item in value)):
            return _l("Must be a list of group ids or keys.")
        return None

    def schema(self) -> dict[str, Any]:
        return {"type": "array", "maxItems": 100,
                "items": {"oneOf": [{"type": "integer", "minimum": 1, "maximum": inputs.MAX_ID},
                                    {"type": "string", "maxLength": group_ops.KEY_MAX}]},
                "description": self.description}


INVITE: dict[str, Field] = {
    "people": _People(list, description="One person or a list of them."),
    "thinktank": Field(str, required=False, max_length=80,
                       description="The slug of the think tank they join on accepting. Left out: the plan "
                                   "without a think tank (the coordinator and admins only)."),
}
PERSON: dict[str, Field] = {
    "email": Field(str, max_length=254, format="email"),
    "name": Field(str, required=False, max_length=ops.NAME_MAX),
    "organisation": Field(str, required=False, max_length=120,
                          description="An organisation of the register, by its slug or name."),
}
MY_GROUPS: dict[str, Field] = {
    "groups": _GroupIds(list, description="Ids or keys of offered groups; [] for none. A retired group you "
                                          "had stays yours."),
}
ASK_ORGANISATION: dict[str, Field] = {
    "organisation": Field(str, required=False, max_length=120,
                          description="The slug (or id) of an offered organisation of the register."),
    "unlisted": Field(str, required=False, max_length=partner_ops.NAME_MAX,
                      description="Instead: the name of an organisation that is not listed, as a note for the "
                                  "administrators."),
}

_TIME = {"type": "string", "format": "date-time"}
_NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}
SCHEMAS: dict[str, Spec] = {
    "InvitationPerson": object_schema(PERSON),
    "InvitationRequest": object_schema(INVITE),
    "Invitation": {
        "type": "object",
        "required": ["id", "email", "name", "organisation", "thinktank", "state", "created_at", "expires_at",
                     "accepted_at"],
        "properties": {
            "id": {"type": "integer"},
            "email": {"type": "string", "format": "email"},
            "name": {"type": "string"},
            "organisation": {"type": ["string", "null"], "description": "The register entry's slug."},
            "thinktank": {"type": ["string", "null"], "description": "The think tank's slug; null: the plan."},
            "state": {"type": "string", "enum": list(STATES),
                      "description": "The same for an address with an account and one without."},
            "created_at": _TIME, "expires_at": _TIME, "accepted_at": _NULLABLE_TIME,
        },
    },
    "InvitationList": {"type": "object", "required": ["items"],
                       "properties": {"items": {"type": "array", "items": ref("Invitation")}}},
    "InvitationOutcome": {
        "type": "object",
        "required": ["sent", "refused"],
        "properties": {
            "sent": {"type": "array", "items": ref("Invitation")},
            "refused": {"type": "array", "description": "The people not invited, each with why (the others "
                                                        "were sent).",
                        "items": {"type": "object", "required": ["index", "email", "error"],
                                  "properties": {"index": {"type": "integer",
                                                           "description": "Its place in `people`, from 0."},
                                                 "email": {"type": "string"}, "error": {"type": "string"}}}},
        },
    },
    "ParticipantGroup": {
        "type": "object",
        "required": ["id", "key", "name", "name_nl", "name_en", "position"],
        "properties": {"id": {"type": "integer"},
                       "key": {"type": "string", "description": "Stable, as the open data names it."},
                       "name": {"type": "string", "description": "In the answer's language."},
                       "name_nl": {"type": "string"}, "name_en": {"type": "string"},
                       "position": {"type": "integer"}},
    },
    "ParticipantGroupList": {"type": "object", "required": ["items"],
                             "properties": {"items": {"type": "array", "items": ref("ParticipantGroup")}}},
    "MyGroups": object_schema(MY_GROUPS),
    "MyOrganisations": {
        "type": "object",
        "required": ["organisations", "unlisted"],
        "properties": {
            "organisations": {"type": "array", "items": {
                "type": "object", "required": ["slug", "name", "status"],
                "properties": {"slug": {"type": "string"}, "name": {"type": "string"},
                               "status": {"type": "string", "enum": ["active", "pending"],
                                          "description": "pending: waiting for an administrator, the "
                                                         "coordinator or a contact to approve."}}}},
            "unlisted": {"type": ["string", "null"],
                         "description": "The open note of an organisation that is not listed, if any."},
        },
    },
    "OrganisationRequest": object_schema(ASK_ORGANISATION),
}
_INVITATION_ID = {"name": "invitation_id", "in": "path", "required": True,
                  "schema": {"type": "integer", "minimum": 1, "maximum": inputs.MAX_ID}}
_NOT_INVITER = {"description": "Only chairs and the coordinator invite (code not_inviter), into the think tanks "
                               "they chair (code not_chair); only the coordinator without a think tank (code "
                               "thinktank_required).", "content": {PROBLEM_JSON: {"schema": ref("Problem")}}}
PATHS: dict[str, Spec] = {
    "/invitations": {
        "get": {
            "operationId": "listInvitations",
            "summary": "List the invitations you sent or may see (chairs: into their think tanks; the "
                       "coordinator: all)",
            "description": "Newest first, at most 50; `?state=pending` (or accepted, expired) filters.",
            "tags": ["people"],
            "security": BEARER,
            "parameters": [{"name": "state", "in": "query", "required": False,
                            "schema": {"type": "string", "enum": list(STATES)}}],
            "responses": {"200": response("The invitations.", ref("InvitationList")), **problems(400, 401),
                          "403": _NOT_INVITER},
        },
        "post": {
            "operationId": "createInvitations",
            "summary": "Invite one person or a list by e-mail, optionally into a think tank",
            "description": "Each person is checked on its own: the good ones are sent (201), the bad ones come "
                           "back in `refused`; when none is good the answer is 422. An address with an account "
                           "gets a mail asking to sign in, and the answer is the same as for a new address. "
                           "INVITATION_RATE_LIMIT people a day per inviter (429), INVITATION_MAIL_RATE_LIMIT "
                           "mails a day per address (that person is refused).",
            "tags": ["people"],
            "security": BEARER,
            "requestBody": request_body(ref("InvitationRequest")),
            "responses": {"201": response("What was sent and what was not.", ref("InvitationOutcome")),
                          **problems(400, 401, 409, 413, 415, 422, 429), "403": _NOT_INVITER},
        },
    },
    "/invitations/{invitation_id}": {
        "parameters": [_INVITATION_ID],
        "delete": {
            "operationId": "revokeInvitation",
            "summary": "Revoke a pending invitation: its link stops working",
            "description": "An invitation you may not see is not found (404); a used or expired one is 409 "
                           "(code not_pending).",
            "tags": ["people"],
            "security": BEARER,
            "responses": {"204": response("Revoked."), **problems(401, 404, 409)},
        },
    },
    "/groups": {
        "get": {
            "operationId": "listParticipantGroups",
            "summary": "List the participant groups people may say they belong to",
            "description": "The list administrators keep (retired groups are left out). Public.",
            "tags": ["people"],
            "security": PUBLIC,
            "responses": {"200": response("The groups, in their order.", ref("ParticipantGroupList"))},
        },
    },
    "/account/groups": {
        "get": {
            "operationId": "getMyGroups",
            "summary": "Show the groups you said you belong to",
            "description": "Only you see them: others see counts only (under 5 as “< 5”).",
            "tags": ["people"],
            "security": BEARER,
            "responses": {"200": response("Your groups.", ref("ParticipantGroupList")), **problems(401)},
        },
        "put": {
            "operationId": "setMyGroups",
            "summary": "Say which groups you belong to (or none)",
            "tags": ["people"],
            "security": BEARER,
            "requestBody": request_body(ref("MyGroups")),
            "responses": {"200": response("Your groups now.", ref("ParticipantGroupList")),
                          **problems(400, 401, 415, 422)},
        },
    },
    "/account/organisations": {
        "get": {
            "operationId": "getMyOrganisations",
            "summary": "Show the organisations you are (or ask to be) a contact of",
            "tags": ["people"],
            "security": BEARER,
            "responses": {"200": response("Your organisations.", ref("MyOrganisations")), **problems(401)},
        },
        "post": {
            "operationId": "requestOrganisation",
            "summary": "Ask to be a contact of an organisation of the register, or say yours is not listed",
            "description": "Give `organisation` or `unlisted`, not both. An administrator, the coordinator or "
                           "an active contact approves a request; a note of an unlisted organisation goes to the "
                           "administrators. Asking again changes nothing.",
            "tags": ["people"],
            "security": BEARER,
            "requestBody": request_body(ref("OrganisationRequest")),
            "responses": {"201": response("Your organisations now.", ref("MyOrganisations")),
                          **problems(400, 401, 409, 415, 422)},
        },
    },
}

bp = ApiBlueprint("people", __name__, paths=PATHS, schemas=SCHEMAS)


# --- invitations ---------------------------------------------------------------------------------------------

def invitation_json(invitation: Invitation, now: datetime) -> dict[str, Any]:
    """Return an invitation as the API shows it: nothing about whether the address has an account."""
    return {"id": invitation.id, "email": invitation.email, "name": invitation.name,
            "organisation": invitation.organisation.slug if invitation.organisation else None,
            "thinktank": invitation.thinktank.slug if invitation.thinktank else None,
            "state": invitation.state(now), "created_at": iso_time(invitation.created_at),
            "expires_at": iso_time(invitation.expires_at), "accepted_at": iso_time(invitation.accepted_at)}


def _require_inviter() -> None:
    if not ops.may_invite(g.api_user):
        raise Forbidden(_l("Only the chairs of a think tank and the coordinator invite people."),
                        code="not_inviter")


@bp.get("/invitations")
@token_required
def list_invitations():
    """List the invitations the caller sent or may see, optionally in one state."""
    state = request.args.get("state")
    if state is not None and state not in STATES:
        raise DomainError(_l("Choose pending, accepted or expired."), field="state", code="invalid_state")
    _require_inviter()
    now = utcnow()
    items = [invitation_json(invitation, now) for invitation in ops.invitations_by(g.api_user)]
    return jsonify(items=[item for item in items if state is None or item["state"] == state])


def _person_rows(people: list[dict[str, Any]]) -> list[ops.Row]:
    """Return a row per person, with the error of a bad one (checked as the web's list is, each on its own)."""
    rows = []
    for index, person in enumerate(people):
        row = ops.Row(line=index + 1, text=str(person.get("email", ""))[:254])
        problems_found = {name: field.check(person.get(name)) for name, field in PERSON.items()}
        wrong = next(((name, message) for name, message in problems_found.items() if message is not None), None)
        if wrong is not None:
            row.error = f"{wrong[0]}: {wrong[1]}"
        else:
            row.email, row.name = person["email"], person.get("name") or ""
            row.organisation = person.get("organisation") or ""
        rows.append(row)
    return rows


@bp.post("/invitations")
@token_required
def create_invitations():
    """Invite people by e-mail, optionally into a think tank; the bad ones come back with their error."""
    data = json_object(INVITE)
    _require_inviter()
    thinktank = None
    if "thinktank" in data:
        thinktank = get_thinktank(data["thinktank"])
        if thinktank is None:
            raise DomainError(_l("There is no think tank with this web address."), field="thinktank",
                              code="unknown_thinktank", status=422)
    rows = _person_rows(data["people"])
    if not ratelimit.hit(f"invite:{g.api_user.id}", current_app.config["INVITATION_RATE_LIMIT"], cost=len(rows)):
        return problem(429, detail=_("You have invited many people in a short time. Please try again tomorrow, "
                                     "or ask the coordinator."), code="rate_limited")
    for row in rows:
        if row.error is None and "@" in row.email and not mails.mail_allowed(row.email):
            row.error = _("This address got several invitations recently. Try again tomorrow.")
    with body_errors():
        outcome = ops.invite_people(g.api_user, rows, thinktank=thinktank,
                                    lifetime=current_app.config["INVITATION_TOKEN_LIFETIME"])
    refused = [{"index": row.line - 1, "email": row.email or row.text, "error": str(row.error)}
               for row in outcome.refused]
    if not outcome.sent:
        db.session.rollback()
        refuse({f"people[{item['index']}]": [item["error"]] for item in refused})
    db.session.commit()
    for sent in outcome.sent:
        mails.send_invitation(sent, inviter_name=g.api_user.display_name, locale=str(get_locale()))
    now = utcnow()
    answer = jsonify(sent=[invitation_json(sent.invitation, now) for sent in outcome.sent], refused=refused)
    answer.status_code = 201
    return answer


@bp.delete("/invitations/<int:invitation_id>")
@token_required
def revoke_invitation(invitation_id: int):
    """Revoke a pending invitation the caller may see."""
    invitation = db.session.get(Invitation, invitation_id)
    or_404(invitation if invitation is not None and ops.may_see_invitation(g.api_user, invitation) else None,
           _l("There is no invitation with this id that you may see."))
    ops.revoke_invitation(invitation, by=g.api_user)
    db.session.commit()
    return Response(status=204)


# --- participant groups --------------------------------------------------------------------------------------

def group_json(group: ParticipantGroup, locale: Any) -> dict[str, Any]:
    """Return a participant group as the API shows it."""
    return {"id": group.id, "key": group.key, "name": group.name(locale), "name_nl": group.name_nl,
            "name_en": group.name_en, "position": group.position}


@bp.get("/groups")
def list_groups():
    """List the offered participant groups in their order."""
    locale = get_locale()
    return jsonify(items=[group_json(group, locale) for group in group_ops.offered_groups()])


def _my_groups() -> Response:
    locale = get_locale()
    return jsonify(items=[group_json(group, locale) for group in group_ops.groups_of(g.api_user)])


@bp.get("/account/groups")
@token_required
def my_groups():
    """Show the groups the caller said they belong to."""
    return _my_groups()


@bp.put("/account/groups")
@token_required
def set_my_groups():
    """Replace the groups the caller says they belong to (offered groups only, by id or key)."""
    data = json_object(MY_GROUPS)
    by_key = {group.key: group.id for group in group_ops.offered_groups()}
    ids = []
    for value in data.get("groups", []):
        if isinstance(value, str):
            if value not in by_key:
                refuse({"groups": [_("Choose from the groups in the list.")]})
            ids.append(by_key[value])
        else:
            ids.append(value)
    with body_errors():
        group_ops.set_groups(g.api_user, ids)
    db.session.commit()
    return _my_groups()


# --- my organisation -----------------------------------------------------------------------------------------

def _my_organisations() -> dict[str, Any]:
    user = g.api_user
    note = db.session.scalar(select(UnlistedOrganisation.name).where(
        UnlistedOrganisation.user_id == user.id, UnlistedOrganisation.closed_at.is_(None)))
    contacts: list[OrganisationContact] = partner_ops.memberships_of(user)
    return {"organisations": [{"slug": c.organisation.slug, "name": c.organisation.name, "status": c.status}
                              for c in contacts], "unlisted": note}


@bp.get("/account/organisations")
@token_required
def my_organisations():
    """Show the organisations the caller is, or asks to be, a contact of, and an open note."""
    return jsonify(_my_organisations())


@bp.post("/account/organisations")
@token_required
def request_organisation():
    """Ask to be a contact of an organisation of the register, or leave a note that it is not listed."""
    data = json_object(ASK_ORGANISATION)
    if ("organisation" in data) == ("unlisted" in data):
        refuse({"organisation": [_("Give either organisation or unlisted.")]})
    with body_errors():
        if "unlisted" in data:
            partner_ops.note_unlisted(g.api_user, data["unlisted"])
        else:
            organisation = partner_ops.get_organisation(data["organisation"])
            if organisation is None or organisation.merged_into_id or organisation.is_archived:
                raise DomainError(_l("Choose an organisation from the list."), field="organisation",
                                  code="unknown_organisation", status=422)
            partner_ops.request_contact(organisation, user=g.api_user)
    db.session.commit()
    answer = jsonify(_my_organisations())
    answer.status_code = 201
    return answer
