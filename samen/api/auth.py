"""Who calls the API: the owner of the personal token in `Authorization: Bearer <token>`.

Session cookies are never read here, so a browser's sign-in gives no access to the API, and the API needs no
CSRF token. The caller is in `g.api_user` (None for an anonymous call to a public endpoint), the id of the token in
`g.api_token_id`. A revoked, expired or unknown token, and the token of a suspended or locked account, all answer
401 `invalid_token`.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn, ParamSpec, TypeVar

from flask import abort, g, request
from flask_babel import gettext as _

from samen.accounts import operations as account_ops
from samen.accounts.models import User
from samen.core.errors import problem

REALM = 'Bearer realm="samen"'
# Tokens are about 50 characters; a longer value is not one of ours and is not worth hashing.
MAX_TOKEN_LENGTH = 200

P = ParamSpec("P")
R = TypeVar("R")


def unauthorized(detail: Any, *, code: str, error: str | None = None) -> NoReturn:
    """Answer 401 as problem+json, with the Bearer challenge that RFC 6750 asks for."""
    challenge = f'{REALM}, error="{error}"' if error else REALM
    abort(problem(401, detail=detail, code=code, headers={"WWW-Authenticate": challenge}))


def _caller(*, required: bool) -> User | None:
    """Return the owner of the request's token; answer 401 for a wrong token, or a missing one if required."""
    if "Authorization" not in request.headers:
        if required:
            unauthorized(_("Send your API token in the header Authorization: Bearer <token>."),
                         code="token_required")
        return None
    credentials = request.authorization
    token = credentials.token if credentials is not None and credentials.type == "bearer" else None
    # Revoked, expired, unknown, or its account suspended or locked: one answer for all (it tells nothing more).
    found = account_ops.find_api_token(token) if token and len(token) <= MAX_TOKEN_LENGTH else None
    if found is None:
        unauthorized(_("This API token is not valid. Create a new one with POST /api/v1/tokens."),
                     code="invalid_token", error="invalid_token")
    g.api_token_id = found[0].id
    return found[1]


def token_required(view: Callable[P, R]) -> Callable[P, R]:
    """Let only callers with a valid token through; the caller is in g.api_user."""
    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        g.api_user = _caller(required=True)
        return view(*args, **kwargs)
    return wrapped


def token_optional(view: Callable[P, R]) -> Callable[P, R]:
    """Let anyone through, with g.api_user set for a valid token; a wrong token is refused, not ignored."""
    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        g.api_user = _caller(required=False)
        return view(*args, **kwargs)
    return wrapped
