"""Evaluations in the API: the published ones, each with its frozen figures, conclusions and decisions, and the
differences with the previous one (public; drafts are not in the API)."""
from __future__ import annotations

from typing import Any

from flask import current_app, jsonify
from flask_babel import gettext as _

from samen.api.actions import iso_time
from samen.api.openapi import PROBLEM_JSON, PUBLIC, ApiBlueprint, Spec, ref, response
from samen.evaluation import operations as ops
from samen.evaluation.models import DECISIONS, NOTE_SUBJECTS
from samen.core.views import or_404

_SUMMARY_PROPERTIES: Spec = {
    "period": {"type": "string", "description": "The period's key, as in /evaluatie/<period>, e.g. 2026."},
    "title": {"type": "string"},
    "start_date": {"type": "string", "format": "date"},
    "end_date": {"type": "string", "format": "date"},
    "published_at": {"type": "string", "format": "date-time"},
}
_NOTE: Spec = {
    "type": "object",
    "required": ["kind", "subject_type", "subject_id", "decision", "text"],
    "properties": {
        "kind": {"type": "string", "enum": ["conclusion", "decision"]},
        "subject_type": {"type": "string", "enum": list(NOTE_SUBJECTS)},
        "subject_id": {"type": "integer", "description": "The line's, think tank's or action item's id."},
        "decision": {"anyOf": [{"type": "string", "enum": list(DECISIONS)}, {"type": "null"}]},
        "text": {"type": "string", "description": "The conclusion, or the decision's reason (Markdown)."},
    },
}
SCHEMAS: dict[str, Spec] = {
    "EvaluationSummary": {"type": "object", "required": list(_SUMMARY_PROPERTIES),
                          "properties": _SUMMARY_PROPERTIES},
    "EvaluationList": {
        "type": "object", "required": ["items"],
        "properties": {"items": {"type": "array", "items": ref("EvaluationSummary"),
                                 "description": "Published evaluations, the newest period first."}},
    },
    "EvaluationNote": _NOTE,
    "Evaluation": {
        "type": "object",
        "required": ["period", "title", "start_date", "end_date", "status", "published_at", "figures", "notes",
                     "previous_period", "differences"],
        "properties": {
            **_SUMMARY_PROPERTIES,
            "status": {"type": "string", "enum": ["published"]},
            "figures": {
                "type": "object",
                "description": "The figures as frozen at publication: actions (totals, thinktanks, lines, "
                               "organisations, items), indicators, participation, helpdesk (counts below the "
                               "threshold are the string \"< 5\"), pulse (invited, answered, average) and "
                               "sections from other features. docs/evaluation.md describes every figure.",
            },
            "notes": {"type": "array", "items": ref("EvaluationNote")},
            "previous_period": {"type": ["string", "null"],
                                "description": "The published evaluation this one compares with, or null."},
            "differences": {"type": "object", "additionalProperties": {"type": "number"},
                            "description": "Each figure minus the previous evaluation's, by path, e.g. "
                                           "actions.totals.done or participation.thinktank.3.ideas."},
        },
    },
}
PATHS: dict[str, Spec] = {
    "/evaluations": {
        "get": {
            "operationId": "listEvaluations",
            "summary": "List the published evaluations",
            "description": "Public: no token is needed or looked at.",
            "tags": ["evaluations"],
            "security": PUBLIC,
            "responses": {"200": response("The published evaluations.", ref("EvaluationList"))},
        },
    },
    "/evaluations/{period}": {
        "parameters": [{"name": "period", "in": "path", "required": True,
                        "schema": {"type": "string", "pattern": "^[0-9]{4}(-[a-z0-9]{1,12})?$"},
                        "description": "The period's key, e.g. 2026."}],
        "get": {
            "operationId": "getEvaluation",
            "summary": "A published evaluation: frozen figures, conclusions, decisions, differences",
            "description": "Public: no token is needed or looked at. A draft is a 404.",
            "tags": ["evaluations"],
            "security": PUBLIC,
            "responses": {
                "200": response("The evaluation.", ref("Evaluation")),
                "404": {"description": "No published evaluation for this period.",
                        "content": {PROBLEM_JSON: {"schema": ref("Problem")}}},
            },
        },
    },
}

bp = ApiBlueprint("evaluations", __name__, paths=PATHS, schemas=SCHEMAS)


def summary_json(evaluation: Any) -> dict[str, Any]:
    return {"period": evaluation.period, "title": evaluation.title,
            "start_date": evaluation.start_date.isoformat(), "end_date": evaluation.end_date.isoformat(),
            "published_at": iso_time(evaluation.published_at)}


@bp.get("/evaluations")
def list_evaluations():
    """List the published evaluations."""
    return jsonify(items=[summary_json(evaluation) for evaluation in ops.list_evaluations(drafts=False)])


@bp.get("/evaluations/<period>")
def get_evaluation(period: str):
    """Return a published evaluation."""
    evaluation = ops.get_evaluation(period)
    evaluation = or_404(evaluation if evaluation is not None and evaluation.is_published else None,
                        _("There is no published evaluation for this period."))
    return jsonify(ops.open_data(evaluation, threshold=int(current_app.config.get("HELP_COUNT_THRESHOLD", 5))))
