"""Accounts in the API: exchange an e-mail address and password for a personal token, and say who you are."""
from __future__ import annotations

from flask import abort, g, jsonify

from samen.accounts import operations as account_ops
from samen.accounts import signin
from samen.accounts.models import USER_KINDS
from samen.api import queries
from samen.api.auth import token_required, unauthorized
from samen.api.openapi import BEARER, PROBLEM_JSON, PUBLIC, ApiBlueprint, problems, ref, request_body, response
from samen.api.thinktanks import membership_json
from samen.api.validation import Field, json_object, object_schema
from samen.core import ratelimit
from samen.core.database import db
from samen.core.errors import problem
from samen.core.timing import no_sooner_than

TOKEN_REQUEST = {
    "email": Field(str, max_length=254, format="email"),
    "password": Field(str, max_length=200, format="password"),
    "name": Field(str, required=False, max_length=80, description="What the token is for, e.g. 'dashboard'."),
}

SCHEMAS = {
    "TokenRequest": object_schema(TOKEN_REQUEST),
    "Token": {
        "type": "object",
        "required": ["token"],
        "properties": {"token": {"type": "string", "description": "Send it as Authorization: Bearer <token>. "
                                                                  "It is shown only this once."}},
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
                           "that was e-mailed, or sets a new password.",
            "tags": ["accounts"],
            "security": PUBLIC,
            "requestBody": request_body(ref("TokenRequest")),
            "responses": {
                "201": response("The new token.", ref("Token")),
                **problems(400, 401, 413, 415, 422, 429),
                "403": {"description": "The account is locked after too many failed attempts "
                                       "(code: account_locked).",
                        "content": {PROBLEM_JSON: {"schema": ref("Problem")}}},
            },
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
    """Issue a personal API token for a matching e-mail address and password; a locked account gets none."""
    data = json_object(TOKEN_REQUEST)
    try:
        user = signin.check_sign_in(data["email"], data["password"])
    except signin.SignInRefused as refusal:
        if refusal.locked:
            abort(problem(403, detail=refusal.message, code=refusal.code))
        unauthorized(refusal.message, code=refusal.code)
    token = account_ops.create_api_token(user, name=data.get("name", "api"))
    db.session.commit()
    answer = jsonify(token=token)
    answer.status_code = 201
    answer.headers["Cache-Control"] = "no-store"
    return answer


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
