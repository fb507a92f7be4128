"""Accounts in the API: exchange an e-mail address and password for a personal token, list and revoke your
tokens, and say who you are."""
from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, g, jsonify
from flask_babel import lazy_gettext as _l

from samen.accounts import operations as account_ops
from samen.accounts import signin
from samen.accounts.models import USER_KINDS, ApiToken
from samen.api import queries
from samen.api.actions import body_errors, iso_time
from samen.api.auth import token_required, unauthorized
from samen.api.openapi import BEARER, PROBLEM_JSON, PUBLIC, ApiBlueprint, problems, ref, request_body, response
from samen.api.thinktanks import membership_json
from samen.api.validation import Field, json_object, object_schema
from samen.core import inputs, ratelimit
from samen.core.database import db, utcnow
from samen.core.errors import problem
from samen.core.views import or_404
from samen.core.timing import no_sooner_than

TOKEN_REQUEST = {
    "email": Field(str, max_length=254, format="email"),
    "password": Field(str, max_length=200, format="password"),
    "name": Field(str, required=False, max_length=80, description="What the token is for, e.g. 'dashboard'."),
    "expires_in_days": Field(int, required=False,
                             description="Days until the token expires: 1 to API_TOKEN_MAX_DAYS (365 unless "
                                         "configured); API_TOKEN_DEFAULT_DAYS (90) when left out."),
}
_TOKEN_REQUEST_SCHEMA = object_schema(TOKEN_REQUEST)
_TOKEN_REQUEST_SCHEMA["properties"]["expires_in_days"]["minimum"] = 1
_TIME = {"type": "string", "format": "date-time"}
_TOKEN_ID = {"name": "token_id", "in": "path", "required": True,
             "schema": {"type": "integer", "minimum": 1, "maximum": inputs.MAX_ID}}

SCHEMAS = {
    "TokenRequest": _TOKEN_REQUEST_SCHEMA,
    "Token": {
        "type": "object",
        "required": ["token", "id", "name", "expires_at"],
        "properties": {"token": {"type": "string", "description": "Send it as Authorization: Bearer <token>. "
                                                                  "It is shown only this once."},
                       "id": {"type": "integer"},
                       "name": {"type": "string"},
                       "expires_at": _TIME},
    },
    "TokenInfo": {
        "type": "object",
        "required": ["id", "name", "created_at", "last_used_at", "expires_at", "expired", "current"],
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "created_at": _TIME,
            "last_used_at": {"type": ["string", "null"], "format": "date-time",
                             "description": "Written at most every five minutes."},
            "expires_at": _TIME,
            "expired": {"type": "boolean", "description": "An expired token answers 401 like an unknown one."},
            "current": {"type": "boolean", "description": "The token this request was made with."},
        },
    },
    "CurrentUser": {
        "type": "object",
        "required": ["id", "email", "display_name", "kind", "organisation", "is_admin", "locale",
                     "memberships"],
        "properties": {
            "id": {"type": "integer"},
            "email": {"type": "string", "format": "email"},
            "display_name": {"type": "string"},
            "kind": {"type": "string", "enum": list(USER_KINDS)},
            "organisation": {"type": ["string", "null"], "description": "Only for professionals."},
            "is_admin": {"type": "boolean"},
            "locale": {"type": ["string", "null"], "description": "The chosen language, e.g. nl or en."},
            "memberships": {"type": "array", "items": ref("Membership")},
        },
    },
}

PATHS = {
    "/tokens": {
        "post": {
            "operationId": "createToken",
            "summary": "Create a personal API token",
            "description": "Limited to a few attempts a minute per client address, counted together with the "
                           "sign-in form. After LOGIN_LOCKOUT_THRESHOLD failures in a row the account is locked "
                           "(403, code account_locked, whatever the password) until its owner follows the link "
                           "that was e-mailed, or sets a new password; locking it revokes its tokens. A suspended "
                           "account gets 403, code account_suspended, with the right password only. The token "
                           "expires after `expires_in_days`.",
            "tags": ["accounts"],
            "security": PUBLIC,
            "requestBody": request_body(ref("TokenRequest")),
            "responses": {
                "201": response("The new token.", ref("Token")),
                **problems(400, 401, 413, 415, 422, 429),
                "403": {"description": "The account is locked after too many failed attempts "
                                       "(code: account_locked), or suspended by an administrator "
                                       "(code: account_suspended).",
                        "content": {PROBLEM_JSON: {"schema": ref("Problem")}}},
            },
        },
        "get": {
            "operationId": "listTokens",
            "summary": "List your personal API tokens",
            "description": "Newest first; expired tokens stay listed until you revoke them. Never the secrets.",
            "tags": ["accounts"],
            "security": BEARER,
            "responses": {"200": response("Your tokens.", {"type": "array", "items": ref("TokenInfo")}),
                          **problems(401)},
        },
    },
    "/tokens/{token_id}": {
        "parameters": [_TOKEN_ID],
        "delete": {
            "operationId": "revokeToken",
            "summary": "Revoke one of your API tokens",
            "description": "It stops working at once, and live-board connections opened with it are closed. "
                           "Someone else's token is not found (404).",
            "tags": ["accounts"],
            "security": BEARER,
            "responses": {"204": response("The token is revoked."), **problems(401, 404)},
        },
    },
    "/me": {
        "get": {
            "operationId": "getCurrentUser",
            "summary": "Show the owner of the token and their memberships",
            "tags": ["accounts"],
            "security": BEARER,
            "responses": {"200": response("You.", ref("CurrentUser")), **problems(401)},
        },
    },
}

bp = ApiBlueprint("accounts", __name__, paths=PATHS, schemas=SCHEMAS)


@bp.post("/tokens")
@ratelimit.per_address("LOGIN_RATE_LIMIT", scope="sign-in")
@no_sooner_than("ACCOUNT_FORM_MIN_SECONDS")
def create_token():
    """Issue a personal API token for a matching e-mail address and password; a locked or suspended account gets
    none. A lifetime out of bounds is refused before the password is checked (it is no failed sign-in)."""
    data = json_object(TOKEN_REQUEST)
    config = current_app.config
    with body_errors():
        days = account_ops.token_days(data.get("expires_in_days", config["API_TOKEN_DEFAULT_DAYS"]),
                                      maximum=config["API_TOKEN_MAX_DAYS"])
    try:
        user = signin.check_sign_in(data["email"], data["password"])
    except signin.SignInRefused as refusal:
        if refusal.locked or refusal.suspended:
            abort(problem(403, detail=refusal.message, code=refusal.code))
        unauthorized(refusal.message, code=refusal.code)
    with body_errors():
        token, api_token = account_ops.issue_api_token(user, name=data.get("name", "api"), days=days,
                                                       max_days=config["API_TOKEN_MAX_DAYS"])
    db.session.commit()
    answer = jsonify(token=token, id=api_token.id, name=api_token.name, expires_at=iso_time(api_token.expires_at))
    answer.status_code = 201
    answer.headers["Cache-Control"] = "no-store"
    return answer


def token_json(token: ApiToken, *, now: Any, current: int | None) -> dict[str, Any]:
    """A token as the list shows it: never its secret."""
    return {"id": token.id, "name": token.name, "created_at": iso_time(token.created_at),
            "last_used_at": iso_time(token.last_used_at), "expires_at": iso_time(token.expires_at),
            "expired": token.has_expired(now), "current": token.id == current}


@bp.get("/tokens")
@token_required
def list_tokens():
    """List the caller's own tokens."""
    now = utcnow()
    return jsonify([token_json(token, now=now, current=g.api_token_id)
                    for token in account_ops.api_tokens_of(g.api_user)])


@bp.delete("/tokens/<int:token_id>")
@token_required
def revoke_token(token_id: int):
    """Revoke one of the caller's own tokens (the one this request was made with, too)."""
    or_404(True if account_ops.revoke_api_token(g.api_user, token_id) else None,
           _l("You have no API token with this id."))
    db.session.commit()
    return Response(status=204)


@bp.get("/me")
@token_required
def me():
    """Show the owner of the token and their memberships."""
    user = g.api_user
    return jsonify({
        "id": user.id,
        "email": user.email,
        "display_name": user.display_name,
        "kind": user.kind,
        "organisation": user.organisation,
        "is_admin": user.is_admin,
        "locale": user.locale,
        "memberships": [membership_json(m, m.thinktank) for m in queries.memberships_of_user(user)],
    })
