"""The JSON API blueprint: /api/v1, made of the API's parts, each with its routes and its OpenAPI paths."""
from __future__ import annotations

from flask import Blueprint, Response

from samen.api import (accounts, actions, evaluations, help, help_requests, ideas, indicators, lines, meetings,
                       openapi, organisations, people, search, thinktanks)
from samen.extensions import csrf

# Every part of the API, in the order of the document. A new part is added here (see samen/api/openapi.py).
PARTS = (accounts.bp, thinktanks.bp, ideas.bp, actions.bp, indicators.bp, meetings.bp, help.bp, help_requests.bp,
         organisations.bp, people.bp, evaluations.bp, lines.bp, search.bp, openapi.bp)

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
for part in PARTS:
    # Flask-WTF looks the exemption up by the request's own blueprint, which is the nested one.
    csrf.exempt(part)
    bp.register_blueprint(part)


@bp.after_request
def _vary_on_token(response: Response) -> Response:
    """Tell caches that an answer depends on the token: the think tanks show the caller's membership."""
    response.vary.add("Authorization")
    return response
