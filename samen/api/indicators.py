"""Indicators in the API: what the plan measures, with baseline, target and measurements (public); record a
measurement (admins, and chairs for their think tank's indicators)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import g, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from samen.actions import operations as ops
from samen.actions.models import DIRECTIONS, Indicator, Measurement
from samen.api.actions import MAX_ID, SLUG_MAX, body_errors, html, iso_date, thinktank_from_slug
from samen.api.lines import line_from_query
from samen.api.auth import token_required
from samen.api.openapi import (BEARER, PROBLEM_JSON, PUBLIC, ApiBlueprint, Spec, problems, ref, request_body,
                               response)
from samen.api.validation import Field, json_object, object_schema
from samen.core import inputs
from samen.core.database import db
from samen.core.views import or_404


@dataclass(frozen=True)
class Number(Field):
    """A finite number; text is accepted too, read as Dutch people type it (1.100,5; docs/input.md)."""

    type: type = float

    def check(self, value: Any) -> Any | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return _l("This field is required.") if self.required else None
        try:
            inputs.number(value, field="")
        except inputs.InvalidInput as error:
            return error.message
        return None

    def schema(self) -> dict[str, Any]:
        return {"type": ["number", "string"], "description": self.description or ""}


NEW_MEASUREMENT: dict[str, Field] = {
    "date": Field(str, format="date", description="YYYY-MM-DD: the day the value was measured."),
    "value": Number(description="The measured value: a JSON number, or text with a decimal comma and "
                                "thousands points (\"1.100,5\"); NaN and Infinity are refused."),
    "note": Field(str, required=False, max_length=500,
                 description="Where the value comes from, or what it means."),
}

_POINT: Spec = {
    "anyOf": [{"type": "object", "required": ["value", "date"],
               "properties": {"value": {"type": "number"},
                              "date": {"type": ["string", "null"], "format": "date"}}},
              {"type": "null"}],
}
_MEASUREMENT_PROPERTIES: Spec = {
    "id": {"type": "integer"},
    "indicator_id": {"type": "integer"},
    "date": {"type": "string", "format": "date"},
    "value": {"type": "number"},
    "note": {"type": "string"},
    "suppressed": {"type": "boolean", "description": "A count too small to publish (the help desk's, below "
                                                      "HELP_COUNT_THRESHOLD): value is 0 and note says \"< 5\"."},
}

SCHEMAS: dict[str, Spec] = {
    "Measurement": {
        "type": "object",
        "required": list(_MEASUREMENT_PROPERTIES),
        "properties": _MEASUREMENT_PROPERTIES,
    },
    "NewMeasurement": object_schema(NEW_MEASUREMENT),
    "Indicator": {
        "type": "object",
        "required": ["id", "thinktank", "line", "name", "unit", "direction", "description", "description_html",
                     "source", "baseline", "target", "measurements"],
        "properties": {
            "id": {"type": "integer"},
            "thinktank": {"type": ["string", "null"],
                          "description": "The think tank's slug; null for an indicator of the whole plan "
                                         "or of a line."},
            "line": {"type": ["string", "null"], "description": "The slug of its line (its own, or its think "
                                                                "tank's), or null."},
            "name": {"type": "string"},
            "unit": {"type": "string"},
            "direction": {"type": "string", "enum": list(DIRECTIONS),
                          "description": "up: higher is better; down: lower is better."},
            "description": {"type": "string", "description": "Markdown, as written."},
            "description_html": {"type": "string", "description": "The description as sanitised HTML."},
            "source": {"type": "string", "description": "Where the measurements come from."},
            "baseline": {**_POINT, "description": "The value the plan started from, or null."},
            "target": {**_POINT, "description": "The value the plan aims at, or null."},
            "measurements": {"type": "array", "items": ref("Measurement"), "description": "Oldest first."},
        },
    },
    "IndicatorList": {
        "type": "object",
        "required": ["items"],
        "properties": {"items": {"type": "array", "items": ref("Indicator"),
                                 "description": "The plan's indicators first, then by name."}},
    },
}


def _problem(description: str) -> Spec:
    return {"description": description, "content": {PROBLEM_JSON: {"schema": ref("Problem")}}}


PATHS: dict[str, Spec] = {
    "/indicators": {
        "get": {
            "operationId": "listIndicators",
            "summary": "List the indicators, with baseline, target and measurements",
            "description": "Public: no token is needed or looked at.",
            "tags": ["indicators"],
            "security": PUBLIC,
            "parameters": [{"name": "thinktank", "in": "query",
                            "schema": {"type": "string", "maxLength": SLUG_MAX},
                            "description": "A think tank's slug: its indicators and the whole plan's."},
                           {"name": "line", "in": "query", "schema": {"type": "string", "maxLength": SLUG_MAX},
                            "description": "A line's slug or id: its own indicators and its think tanks'."}],
            "responses": {
                "200": response("The indicators.", ref("IndicatorList")),
                "400": _problem("No think tank or line has this slug (codes unknown_thinktank, unknown_line)."),
            },
        },
    },
    "/indicators/{indicator_id}/measurements": {
        "parameters": [{"name": "indicator_id", "in": "path", "required": True,
                        "schema": {"type": "integer", "minimum": 1, "maximum": inputs.MAX_ID}}],
        "post": {
            "operationId": "recordMeasurement",
            "summary": "Record a measured value (admins; chairs for their think tank's indicators)",
            "tags": ["indicators"],
            "security": BEARER,
            "requestBody": request_body(ref("NewMeasurement")),
            "responses": {
                "201": response("The measurement.", ref("Measurement")),
                **problems(400, 401, 413, 415),
                "403": _problem("Only admins, and chairs of the indicator's think tank, record measurements "
                                "(code not_chair)."),
                "404": _problem("No such indicator."),
                "422": _problem("A field is missing or not valid, e.g. a date that is not YYYY-MM-DD "
                                "(code invalid_date) or a value that is not a number (validation_failed)."),
            },
        },
    },
}

bp = ApiBlueprint("indicators", __name__, paths=PATHS, schemas=SCHEMAS)


def _point(value: float | None, day: Any) -> dict[str, Any] | None:
    return None if value is None else {"value": value, "date": iso_date(day)}


def measurement_json(measurement: Measurement) -> dict[str, Any]:
    return {"id": measurement.id, "indicator_id": measurement.indicator_id,
            "date": iso_date(measurement.date), "value": measurement.value, "note": measurement.note,
            "suppressed": measurement.suppressed}


def _line_slug(indicator: Indicator) -> str | None:
    line = indicator.line if indicator.thinktank is None else indicator.thinktank.line
    return line.slug if line is not None else None


def indicator_json(indicator: Indicator) -> dict[str, Any]:
    """Return an indicator as the API shows it, with its measurements."""
    return {
        "id": indicator.id,
        "thinktank": indicator.thinktank.slug if indicator.thinktank else None,
        "line": _line_slug(indicator),
        "name": indicator.name,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "description": indicator.description,
        "description_html": html(indicator.description),
        "source": indicator.source,
        "baseline": _point(indicator.baseline_value, indicator.baseline_date),
        "target": _point(indicator.target_value, indicator.target_date),
        "measurements": [measurement_json(measurement) for measurement in indicator.measurements],
    }


@bp.get("/indicators")
def list_indicators():
    """List the indicators of the plan, or of one think tank and the plan, with their measurements."""
    thinktank = thinktank_from_slug(request.args.get("thinktank"), field="thinktank", status=400)
    indicators = ops.list_indicators(thinktank=thinktank, line=line_from_query(request.args.get("line")))
    return jsonify(items=[indicator_json(indicator) for indicator in indicators])


@bp.post("/indicators/<int:indicator_id>/measurements")
@token_required
def record_measurement(indicator_id: int):
    """Record a measured value of the indicator."""
    indicator = or_404(db.session.get(Indicator, indicator_id) if indicator_id <= MAX_ID else None,
                       _("There is no indicator with this number."))
    ops.require_measurer(indicator, g.api_user)  # before reading the body
    data = json_object(NEW_MEASUREMENT)
    with body_errors():
        measurement = ops.record_measurement(indicator, by=g.api_user, **data)
    db.session.commit()
    answer = jsonify(measurement_json(measurement))
    answer.status_code = 201
    return answer
