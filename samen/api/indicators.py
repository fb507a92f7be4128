"""Indicators in the API: what the plan measures, with baseline, target and measurements (public); record,
correct and delete measurements, correct and delete indicators (admins, and chairs for their think tank's
indicators); every correction is in the audit log with the old value (samen/actions/corrections.py)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import json

from flask import Response, g, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from samen.actions import corrections
from samen.actions import operations as ops
from samen.actions.models import DIRECTIONS, INDICATOR_KINDS, Indicator, Measurement
from samen.api.actions import MAX_ID, SLUG_MAX, body_errors, html, iso_date, refuse, thinktank_from_slug
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

INDICATOR_CHANGES: dict[str, Field] = {
    "name": Field(str, required=False, max_length=200, description="What is measured."),
    "unit": Field(str, required=False, max_length=60),
    "direction": Field(str, required=False, description="up: higher is better; down: lower is better."),
    "kind": Field(str, required=False, description="number, scale or feeling (a scale or a feeling needs "
                                                   "scale_min and scale_max)."),
    "scale_min": Number(required=False, description="The lowest score of a scale or a feeling."),
    "scale_max": Number(required=False, description="The highest score of a scale or a feeling."),
    "baseline_value": Number(required=False), "baseline_date": Field(str, required=False, format="date"),
    "target_value": Number(required=False), "target_date": Field(str, required=False, format="date"),
    "source": Field(str, required=False, max_length=300),
    "description": Field(str, required=False, max_length=ops.TEXT_MAX, multiline=True, description="Markdown."),
}
MEASUREMENT_CHANGES: dict[str, Field] = {name: Field(field.type, required=False, max_length=field.max_length,
                                                     format=field.format, description=field.description)
                                         if name != "value" else Number(required=False,
                                                                        description=field.description)
                                         for name, field in NEW_MEASUREMENT.items()}

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
    "corrected_at": {"type": ["string", "null"], "format": "date-time",
                     "description": "When its date or value was corrected (UTC); null if never. The old values "
                                    "are in the audit log."},
}

SCHEMAS: dict[str, Spec] = {
    "Measurement": {
        "type": "object",
        "required": list(_MEASUREMENT_PROPERTIES),
        "properties": _MEASUREMENT_PROPERTIES,
    },
    "NewMeasurement": object_schema(NEW_MEASUREMENT),
    "MeasurementChanges": object_schema(MEASUREMENT_CHANGES),
    "IndicatorChanges": object_schema(INDICATOR_CHANGES),
    "Indicator": {
        "type": "object",
        "required": ["id", "thinktank", "name", "unit", "direction", "kind", "scale", "description",
                     "description_html", "source", "baseline", "target", "measurements"],
        "properties": {
            "id": {"type": "integer"},
            "thinktank": {"type": ["string", "null"],
                          "description": "The think tank's slug; null for an indicator of the whole plan."},
            "name": {"type": "string"},
            "unit": {"type": "string"},
            "direction": {"type": "string", "enum": list(DIRECTIONS),
                          "description": "up: higher is better; down: lower is better."},
            "kind": {"type": "string", "enum": list(INDICATOR_KINDS),
                     "description": "number; or a qualitative indicator: a score on a scale, or a feeling "
                                    "recorded per period."},
            "scale": {"anyOf": [{"type": "object", "required": ["min", "max"],
                                 "properties": {"min": {"type": "number"}, "max": {"type": "number"}}},
                                {"type": "null"}],
                      "description": "The lowest and highest score of a scale or a feeling; null for a number."},
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


_INDICATOR_ID = {"name": "indicator_id", "in": "path", "required": True,
                 "schema": {"type": "integer", "minimum": 1, "maximum": inputs.MAX_ID}}
_MEASUREMENT_ID = {"name": "measurement_id", "in": "path", "required": True,
                   "schema": {"type": "integer", "minimum": 1, "maximum": inputs.MAX_ID}}
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
                            "description": "A think tank's slug: its indicators and the whole plan's."}],
            "responses": {
                "200": response("The indicators.", ref("IndicatorList")),
                "400": _problem("No think tank has this slug (code unknown_thinktank)."),
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
    "/indicators/{indicator_id}": {
        "parameters": [_INDICATOR_ID],
        "patch": {
            "operationId": "correctIndicator",
            "summary": "Correct an indicator (who may record its measurements)",
            "description": "Send only the fields that change; null or \"\" empties one that may be empty. The "
                           "old values are kept in the audit log and shown on the indicator's page.",
            "tags": ["indicators"],
            "security": BEARER,
            "requestBody": request_body(ref("IndicatorChanges")),
            "responses": {
                "200": response("The indicator as it is now.", ref("Indicator")),
                **problems(400, 401, 413, 415),
                "403": _problem("Only admins, and chairs of the indicator's think tank (code not_chair)."),
                "404": _problem("No such indicator."),
                "422": _problem("A field is unknown or not valid."),
            },
        },
        "delete": {
            "operationId": "deleteIndicator",
            "summary": "Delete an indicator with its measurements (who may record them)",
            "tags": ["indicators"],
            "security": BEARER,
            "responses": {
                "204": response("The indicator is deleted; the audit log keeps that it was."),
                **problems(401),
                "403": _problem("Only admins, and chairs of the indicator's think tank (code not_chair)."),
                "404": _problem("No such indicator."),
            },
        },
    },
    "/indicators/{indicator_id}/measurements/{measurement_id}": {
        "parameters": [_INDICATOR_ID, _MEASUREMENT_ID],
        "patch": {
            "operationId": "correctMeasurement",
            "summary": "Correct a measurement's date, value or note (who may record them)",
            "description": "Send only the fields that change. A corrected date or value sets corrected_at; the "
                           "old values are kept in the audit log.",
            "tags": ["indicators"],
            "security": BEARER,
            "requestBody": request_body(ref("MeasurementChanges")),
            "responses": {
                "200": response("The measurement as it is now.", ref("Measurement")),
                **problems(400, 401, 413, 415),
                "403": _problem("Only admins, and chairs of the indicator's think tank (code not_chair)."),
                "404": _problem("No such indicator or measurement."),
                "422": _problem("A field is unknown or not valid; a help-desk count cannot be corrected "
                                "(code suppressed)."),
            },
        },
        "delete": {
            "operationId": "deleteMeasurement",
            "summary": "Delete a measurement recorded by mistake (who may record them)",
            "tags": ["indicators"],
            "security": BEARER,
            "responses": {
                "204": response("The measurement is deleted; the audit log keeps its date, value and note."),
                **problems(401),
                "403": _problem("Only admins, and chairs of the indicator's think tank (code not_chair)."),
                "404": _problem("No such indicator or measurement."),
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
            "suppressed": measurement.suppressed,
            "corrected_at": measurement.corrected_at.isoformat() + "Z" if measurement.corrected_at else None}


def indicator_json(indicator: Indicator) -> dict[str, Any]:
    """Return an indicator as the API shows it, with its measurements."""
    return {
        "id": indicator.id,
        "thinktank": indicator.thinktank.slug if indicator.thinktank else None,
        "name": indicator.name,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "kind": indicator.kind,
        "scale": None if indicator.scale_min is None or indicator.scale_max is None
        else {"min": indicator.scale_min, "max": indicator.scale_max},
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
    indicators = ops.list_indicators(thinktank=thinktank)
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


def _indicator_or_404(indicator_id: int) -> Indicator:
    return or_404(db.session.get(Indicator, indicator_id) if indicator_id <= MAX_ID else None,
                  _("There is no indicator with this number."))


def _patch(fields: dict[str, Field]) -> dict[str, Any]:
    """Return the fields a PATCH body changes (null or "" empties one); refuse unknown fields (422)."""
    json_object({})  # 415 unless JSON; 400 unless an object
    raw = json.loads(request.get_data(cache=True))
    errors: dict[str, list[Any]] = {}
    changes: dict[str, Any] = {}
    for name, value in raw.items():
        field = fields.get(name)
        if field is None:
            errors[name] = [_l("Unknown field: %(field)s.", field=name)]
            continue
        message = field.check(value)
        if message is not None:
            errors[name] = [message]
        else:
            changes[name] = "" if value is None else value
    if errors:
        refuse(errors)
    return changes


@bp.patch("/indicators/<int:indicator_id>")
@token_required
def correct_indicator(indicator_id: int):
    """Correct the fields sent, and no others."""
    indicator = _indicator_or_404(indicator_id)
    ops.require_measurer(indicator, g.api_user)  # before reading the body
    changes = _patch(INDICATOR_CHANGES)
    with body_errors():
        corrections.update_indicator(indicator, by=g.api_user, **changes)
    db.session.commit()
    return jsonify(indicator_json(_indicator_or_404(indicator_id)))


@bp.delete("/indicators/<int:indicator_id>")
@token_required
def delete_indicator(indicator_id: int):
    """Delete the indicator and its measurements."""
    indicator = _indicator_or_404(indicator_id)
    ops.require_measurer(indicator, g.api_user)
    corrections.delete_indicator(indicator, by=g.api_user)
    db.session.commit()
    return Response(status=204)


def _measurement_or_404(indicator: Indicator, measurement_id: int) -> Measurement:
    found = next((item for item in indicator.measurements if item.id == measurement_id), None)
    return or_404(found, _("There is no measurement with this number."))


@bp.patch("/indicators/<int:indicator_id>/measurements/<int:measurement_id>")
@token_required
def correct_measurement(indicator_id: int, measurement_id: int):
    """Correct a measurement's date, value or note."""
    indicator = _indicator_or_404(indicator_id)
    ops.require_measurer(indicator, g.api_user)
    measurement = _measurement_or_404(indicator, measurement_id)
    changes = _patch(MEASUREMENT_CHANGES)
    values = {"date": measurement.date, "value": measurement.value, "note": measurement.note, **changes}
    with body_errors():
        corrections.update_measurement(measurement, by=g.api_user, **values)
    db.session.commit()
    return jsonify(measurement_json(measurement))


@bp.delete("/indicators/<int:indicator_id>/measurements/<int:measurement_id>")
@token_required
def delete_measurement(indicator_id: int, measurement_id: int):
    """Delete a measurement recorded by mistake."""
    indicator = _indicator_or_404(indicator_id)
    ops.require_measurer(indicator, g.api_user)
    corrections.delete_measurement(_measurement_or_404(indicator, measurement_id), by=g.api_user)
    db.session.commit()
    return Response(status=204)
