"""The OpenAPI 3.1 document at /api/v1/openapi.json, joined from what each part of the API declares.

A part of the API is an `ApiBlueprint`: its routes, plus the OpenAPI path items (relative to /api/v1) and the
schemas that describe them. To add one, create the module with its `bp = ApiBlueprint(...)` and list it in
`samen/api/blueprint.py`; tests/api/test_openapi.py fails while a route is missing from the document.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import Blueprint, current_app, jsonify

Spec = dict[str, Any]

JSON = "application/json"
PROBLEM_JSON = "application/problem+json"

# Operation security: a token is required, optional (it changes the answer), or not looked at.
BEARER: list[Spec] = [{"bearerAuth": []}]
BEARER_OPTIONAL: list[Spec] = [{}, {"bearerAuth": []}]
PUBLIC: list[Spec] = []


class ApiBlueprint(Blueprint):
    """A part of the API: routes, and the OpenAPI path items and schemas that describe them."""

    def __init__(self, name: str, import_name: str, *, paths: Mapping[str, Spec],
                 schemas: Mapping[str, Spec] | None = None) -> None:
        super().__init__(name, import_name)
        self.openapi_paths = dict(paths)
        self.openapi_schemas = dict(schemas or {})


def ref(name: str, kind: str = "schemas") -> Spec:
    """Return a reference to a component of the document."""
    return {"$ref": f"#/components/{kind}/{name}"}


def response(description: str, schema: Spec | None = None, *, headers: Spec | None = None) -> Spec:
    """Return a response object, with a JSON body when a schema is given."""
    spec: Spec = {"description": description}
    if schema is not None:
        spec["content"] = {JSON: {"schema": schema}}
    if headers:
        spec["headers"] = headers
    return spec


def request_body(schema: Spec) -> Spec:
    """Return a required JSON request body."""
    return {"required": True, "content": {JSON: {"schema": schema}}}


def problems(*statuses: int) -> Spec:
    """Return the documented problem+json responses for these statuses, for an operation's `responses`."""
    return {str(status): ref(PROBLEM_RESPONSES[status], "responses") for status in statuses}


def _problem_response(description: str, *, headers: Spec | None = None) -> Spec:
    spec: Spec = {"description": description, "content": {PROBLEM_JSON: {"schema": ref("Problem")}}}
    if headers:
        spec["headers"] = headers
    return spec


PROBLEM_RESPONSES = {
    400: "BadRequest",
    401: "Unauthorized",
    404: "NotFound",
    409: "Conflict",
    413: "TooLarge",
    415: "UnsupportedMediaType",
    422: "ValidationFailed",
    429: "TooManyRequests",
}

PROBLEM_SCHEMA: Spec = {
    "type": "object",
    "description": "An error, as RFC 9457 describes: every error of the API has this form.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "description": "A URI naming the kind of problem, or about:blank."},
        "title": {"type": "string", "description": "A short summary."},
        "status": {"type": "integer", "description": "The HTTP status code."},
        "detail": {"type": "string", "description": "What went wrong, and what to do about it."},
        "code": {"type": "string", "description": "A stable machine-readable code, e.g. invalid_token."},
        "errors": {
            "type": "object",
            "description": "For invalid input: the messages for each field.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}

COMPONENTS: Spec = {
    "securitySchemes": {
        "bearerAuth": {"type": "http", "scheme": "bearer",
                       "description": "A personal API token, from POST /tokens or `flask users token`."},
    },
    "responses": {
        "BadRequest": _problem_response("The body is not valid JSON, or not a JSON object."),
        "Unauthorized": _problem_response(
            "No token, or a token that is not valid.",
            headers={"WWW-Authenticate": {"description": "The Bearer challenge (RFC 6750).",
                                          "schema": {"type": "string"}}}),
        "NotFound": _problem_response("Nothing exists at this address."),
        "Conflict": _problem_response("The request conflicts with the state of the resource."),
        "TooLarge": _problem_response("The body is larger than the server accepts."),
        "UnsupportedMediaType": _problem_response("The body is not sent as application/json."),
        "ValidationFailed": _problem_response("Fields are missing or not valid; `errors` says which."),
        "TooManyRequests": _problem_response("Too many attempts in a short time; wait and try again."),
    },
}


def build_document(parts: Iterable[ApiBlueprint]) -> Spec:
    """Return the OpenAPI document of these parts of the API; a path or schema declared twice is an error."""
    paths: dict[str, Spec] = {}
    schemas: dict[str, Spec] = {"Problem": PROBLEM_SCHEMA}
    for part in parts:
        for collected, declared in ((paths, part.openapi_paths), (schemas, part.openapi_schemas)):
            for name, spec in declared.items():
                if name in collected:
                    raise ValueError(f"{name} is declared twice in the API's OpenAPI parts")
                collected[name] = spec
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Samen API",
            "version": "1",
            "description": "The think tanks of the plan, and your place in them. Send a personal token as "
                           "`Authorization: Bearer <token>`; every error is application/problem+json.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {**COMPONENTS, "schemas": schemas},
    }


bp = ApiBlueprint("openapi", __name__, paths={
    "/openapi.json": {
        "get": {
            "operationId": "getOpenApiDocument",
            "summary": "This document",
            "tags": ["meta"],
            "security": PUBLIC,
            "responses": {"200": response("The OpenAPI 3.1 document of the API.", {"type": "object"})},
        },
    },
})


@bp.get("/openapi.json")
def document():
    """Return the OpenAPI document of every part of the API that is registered."""
    parts = [part for part in current_app.blueprints.values() if isinstance(part, ApiBlueprint)]
    return jsonify(build_document(parts))
