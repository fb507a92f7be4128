"""Read a JSON request body: an object with the right fields, types and lengths, or a problem+json answer."""
from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

from flask import abort, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from samen.core import inputs
from samen.core.errors import problem

_JSON_TYPES: dict[type, str] = {str: "string", int: "integer", bool: "boolean"}
_TYPE_MESSAGES = {
    str: _l("Must be text."),
    int: _l("Must be a whole number."),
    bool: _l("Must be true or false."),
}


@dataclass(frozen=True)
class Field:
    """One member of a JSON request object: its type, whether it must be there, and how long it may be.

    Text is single-line (a title, a name) unless `multiline` (a body); either way samen/core/inputs.py says
    which characters it may hold, as it does for the web forms and the live board. A whole number is an id
    when `id`: from 1 to what the database holds."""

    type: type
    required: bool = True
    max_length: int | None = None
    format: str | None = None
    description: str | None = None
    multiline: bool = False
    id: bool = False

    def check(self, value: Any) -> Any | None:
        """Return the message that says what is wrong with the value (None stands for missing), or None."""
        if value is None or (self.type is str and isinstance(value, str) and not value.strip()):
            return _l("This field is required.") if self.required else None
        # bool is an int to Python, not to JSON.
        if not isinstance(value, self.type) or (self.type is int and isinstance(value, bool)):
            if self.type is not float and isinstance(value, float) and not math.isfinite(value):
                return inputs.NOT_FINITE
            return _TYPE_MESSAGES[self.type]
        if self.type is str:
            problem = (inputs.password_problem(value) if self.format == "password"
                       else inputs.text_problem(value, multiline=self.multiline))
            if problem is not None:
                return problem
        if self.type is str and self.max_length is not None and len(value) > self.max_length:
            return _l("Use at most %(n)d characters.", n=self.max_length)
        if self.id and not 1 <= value <= inputs.MAX_ID:
            return inputs.NOT_AN_ID
        return None

    def schema(self) -> dict[str, Any]:
        """Return the JSON Schema of this field, for the OpenAPI document."""
        schema: dict[str, Any] = {"type": _JSON_TYPES[self.type]}
        if self.type is str and self.required:
            schema["minLength"] = 1
        if self.id:
            schema.update(minimum=1, maximum=inputs.MAX_ID)
        if self.max_length is not None:
            schema["maxLength"] = self.max_length
        if self.format:
            schema["format"] = self.format
        if self.description:
            schema["description"] = self.description
        return schema


def object_schema(fields: Mapping[str, Field]) -> dict[str, Any]:
    """Return the JSON Schema of a request object with these fields: the document and the check agree."""
    return {
        "type": "object",
        "required": [name for name, field in fields.items() if field.required],
        "properties": {name: field.schema() for name, field in fields.items()},
    }


def _refuse(status: int, detail: Any, code: str, *, title: Any = None,
            errors: dict[str, list[Any]] | None = None) -> NoReturn:
    abort(problem(status, title, detail, code=code, errors=errors))


def json_object(fields: Mapping[str, Field]) -> dict[str, Any]:
    """Return the request's JSON object with just these fields; answer 415, 400 or 422 if it does not fit."""
    if not request.is_json:
        _refuse(415, _("Send the body as JSON, with the header Content-Type: application/json."),
                "unsupported_media_type", title=_("Unsupported media type"))
    try:
        body = json.loads(request.get_data(cache=True))
    # A deeply nested array overflows the parser's stack: that is bad input too, not a server error.
    except (ValueError, RecursionError):
        _refuse(400, _("The body is not valid JSON."), "invalid_json")
    if not isinstance(body, dict):
        _refuse(400, _("The body must be a JSON object."), "invalid_json")
    errors: dict[str, list[Any]] = {}
    clean: dict[str, Any] = {}
    for name, field in fields.items():
        value = body.get(name)
        message = field.check(value)
        if message is not None:
            errors[name] = [message]
        elif value is not None and not (isinstance(value, str) and not value.strip()):
            clean[name] = value
    if errors:
        _refuse(422, _("Some fields are missing or not valid."), "validation_failed", errors=errors)
    return clean
