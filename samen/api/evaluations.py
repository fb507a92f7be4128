"""Evaluations in the API: the published ones, each with its frozen figures, conclusions and decisions, and the
differences with the previous one (public); and the whole yearly round for who takes part in it, with a token:
the coordinator opens an evaluation, sends the partner pulse and publishes; the chairs and the coordinator read
drafts and the pulse's answers and write conclusions and decisions; a partner's contact answers the pulse. The
rules are samen/evaluation/operations.py's, the same as the pages'."""
from __future__ import annotations

from typing import Any

from flask import current_app, g, jsonify, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from samen.api.actions import body_errors, iso_time
from samen.api.auth import token_optional, token_required
from samen.api.openapi import (BEARER, BEARER_OPTIONAL, PROBLEM_JSON, ApiBlueprint, Spec, problems, ref,
                               request_body, response)
from samen.api.validation import Field, json_object, object_schema
from samen.core.database import db
from samen.core.errors import DomainError, Forbidden
from samen.core.views import or_404
from samen.evaluation import operations as ops
from samen.evaluation.blueprint import send_and_mail
from samen.evaluation.models import DECISIONS, NOTE_SUBJECTS, PULSE_QUESTIONS, Evaluation

_SUMMARY_PROPERTIES: Spec = {
    "period": {"type": "string", "description": "The period's key, as in /evaluatie/<period>, e.g. 2026."},
    "title": {"type": "string"},
    "start_date": {"type": "string", "format": "date"},
    "end_date": {"type": "string", "format": "date"},
    "status": {"type": "string", "enum": ["draft", "published"]},
    "published_at": {"type": ["string", "null"], "format": "date-time",
                     "description": "When it was published; null for a draft."},
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
NEW_EVALUATION: dict[str, Field] = {
    "period": Field(str, max_length=20, description="The period's key: its year (2026), or a year and a short "
                                                    "suffix (2026-h1); its address is /evaluatie/<period>."),
    "title": Field(str, max_length=200),
    "start_date": Field(str, format="date", description="The period's first day, YYYY-MM-DD."),
    "end_date": Field(str, format="date", description="The period's last day (at most two years later)."),
}
NOTE: dict[str, Field] = {
    "kind": Field(str, max_length=20, description="conclusion (on a line or think tank) or decision (on a "
                                                  "think tank or action item)."),
    "subject_type": Field(str, max_length=20, description="line, thinktank or action."),
    "subject_id": Field(int, id=True, description="The line's, think tank's or action item's id."),
    "decision": Field(str, required=False, max_length=20,
                      description="For a decision: scale_up, continue, scale_down or stop."),
    "text": Field(str, required=False, max_length=ops.TEXT_MAX, multiline=True,
                  description="The conclusion, or the decision's reason (Markdown); empty removes the note."),
}
PULSE_ANSWER: dict[str, Field] = {
    "score": Field(int, description="How well the collaboration works, from 1 to 10."),
    "works": Field(str, required=False, max_length=ops.ANSWER_MAX, multiline=True),
    "does_not_work": Field(str, required=False, max_length=ops.ANSWER_MAX, multiline=True),
    "obstacles": Field(str, required=False, max_length=ops.ANSWER_MAX, multiline=True,
                       description="Waiting lists and other obstacles."),
}
_TEXT_OR_NULL: Spec = {"type": ["string", "null"]}
SCHEMAS: dict[str, Spec] = {
    "NewEvaluation": object_schema(NEW_EVALUATION),
    "EvaluationNoteInput": object_schema(NOTE),
    "PulseAnswerInput": object_schema(PULSE_ANSWER),
    "PulseSent": {"type": "object", "required": ["sent"],
                  "properties": {"sent": {"type": "integer", "description": "New invitations sent now."}}},
    "PulseAnswers": {
        "type": "object", "required": ["invited", "answered", "average", "answers", "by_question"],
        "properties": {
            "invited": {"type": "integer"}, "answered": {"type": "integer"},
            "average": {"type": ["number", "null"]},
            "answers": {"type": "array", "items": {
                "type": "object",
                "required": ["organisation", "kind", "score", "answered_at", *PULSE_QUESTIONS],
                "properties": {"organisation": {"type": "string"}, "kind": {"type": "string"},
                               "score": {"type": "integer"},
                               "answered_at": {"type": "string", "format": "date-time"},
                               **dict.fromkeys(PULSE_QUESTIONS, _TEXT_OR_NULL)}}},
            "by_question": {
                "type": "object",
                "description": "The free texts per question (works, does_not_work, obstacles), per kind of "
                               "organisation: a list of {organisation, text}.",
                "additionalProperties": {"type": "object", "additionalProperties": {"type": "array", "items": {
                    "type": "object", "required": ["organisation", "text"],
                    "properties": {"organisation": {"type": "string"}, "text": {"type": "string"}}}}},
            },
        },
    },
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
            "status": {"type": "string", "enum": ["draft", "published"],
                       "description": "A draft (only the chairs and the coordinator get one) is assembled at each "
                                      "request; a published evaluation's figures are frozen."},
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


def _problem(description: str) -> Spec:
    return {"description": description, "content": {PROBLEM_JSON: {"schema": ref("Problem")}}}


_PERIOD = {"name": "period", "in": "path", "required": True,
           "schema": {"type": "string", "pattern": "^[0-9]{4}(-[a-z0-9]{1,12})?$"},
           "description": "The period's key, e.g. 2026."}
_NO_EVALUATION = _problem("No evaluation for this period that the caller may see (a draft is for the chairs "
                          "and the coordinator only).")
_COORDINATOR_ONLY = _problem("Only the coordinator and administrators (code not_coordinator).")
_PUBLISHED = _problem("The evaluation is published and can no longer be changed (code published).")
PATHS: dict[str, Spec] = {
    "/evaluations": {
        "get": {
            "operationId": "listEvaluations",
            "summary": "List the evaluations: the published ones, and the drafts for the chairs and coordinator",
            "description": "Public; with a token of a chair or the coordinator, the drafts too.",
            "tags": ["evaluations"],
            "security": BEARER_OPTIONAL,
            "responses": {"200": response("The evaluations.", ref("EvaluationList")), **problems(401)},
        },
        "post": {
            "operationId": "openEvaluation",
            "summary": "Open the evaluation of a period (the coordinator)",
            "tags": ["evaluations"],
            "security": BEARER,
            "requestBody": request_body(ref("NewEvaluation")),
            "responses": {
                "201": response("The draft evaluation, assembled now.", ref("Evaluation")),
                **problems(400, 401, 413, 415),
                "403": _COORDINATOR_ONLY,
                "409": _problem("There is an evaluation for this period already (code exists)."),
                "422": _problem("A field is missing or not valid (codes invalid_period, dates, "
                                "validation_failed)."),
            },
        },
    },
    "/evaluations/{period}": {
        "parameters": [_PERIOD],
        "get": {
            "operationId": "getEvaluation",
            "summary": "An evaluation: figures (frozen once published), conclusions, decisions, differences",
            "description": "Public for a published evaluation; a draft, assembled at the request, only with a "
                           "token of a chair or the coordinator (a 404 for anyone else).",
            "tags": ["evaluations"],
            "security": BEARER_OPTIONAL,
            "responses": {
                "200": response("The evaluation.", ref("Evaluation")),
                **problems(401),
                "404": _NO_EVALUATION,
            },
        },
    },
    "/evaluations/{period}/notes": {
        "parameters": [_PERIOD],
        "put": {
            "operationId": "writeEvaluationNote",
            "summary": "Write a conclusion or a decision (scale up, continue, scale down, stop) with its reason",
            "description": "A conclusion on a line or think tank, a decision on a think tank or action item. "
                           "The coordinator writes any; a chair those on their own think tank and its action "
                           "items. It replaces the note there was; an empty text (and no decision) removes it.",
            "tags": ["evaluations"],
            "security": BEARER,
            "requestBody": request_body(ref("EvaluationNoteInput")),
            "responses": {
                "200": response("The evaluation with its notes.", ref("Evaluation")),
                **problems(400, 401, 413, 415),
                "403": _problem("Only the coordinator, and chairs for their own think tank (code not_allowed)."),
                "404": _NO_EVALUATION,
                "409": _PUBLISHED,
                "422": _problem("Nothing to write on (invalid_subject), no decision or no reason "
                                "(invalid_decision, required)."),
            },
        },
    },
    "/evaluations/{period}/publish": {
        "parameters": [_PERIOD],
        "post": {
            "operationId": "publishEvaluation",
            "summary": "Publish the evaluation: its figures are frozen (the coordinator)",
            "description": "The pulse's average becomes a measurement of the indicator \"Samenwerking partners "
                           "(1–10)\" on the period's last day.",
            "tags": ["evaluations"],
            "security": BEARER,
            "responses": {
                "200": response("The published evaluation.", ref("Evaluation")),
                **problems(401),
                "403": _COORDINATOR_ONLY,
                "404": _NO_EVALUATION,
                "409": _PUBLISHED,
            },
        },
    },
    "/evaluations/{period}/pulse": {
        "parameters": [_PERIOD],
        "post": {
            "operationId": "sendPulse",
            "summary": "Send the partner pulse to every partner's active contacts not invited yet (the "
                       "coordinator)",
            "description": "Each gets a notification and a mail with a personal link; reminders follow a week "
                           "later (twice at most).",
            "tags": ["evaluations"],
            "security": BEARER,
            "responses": {
                "200": response("How many were invited now.", ref("PulseSent")),
                **problems(401),
                "403": _COORDINATOR_ONLY,
                "404": _NO_EVALUATION,
                "409": _PUBLISHED,
            },
        },
        "get": {
            "operationId": "getPulseAnswers",
            "summary": "The pulse's answers, one by one and grouped per question (the chairs and the coordinator)",
            "description": "Each read is in the audit log. The public sees only the average, in the figures.",
            "tags": ["evaluations"],
            "security": BEARER,
            "responses": {
                "200": response("The answers.", ref("PulseAnswers")),
                **problems(401),
                "403": _problem("Only the chairs and the coordinator (code not_allowed)."),
                "404": _NO_EVALUATION,
            },
        },
    },
    "/evaluations/{period}/pulse/answer": {
        "parameters": [_PERIOD],
        "post": {
            "operationId": "answerPulse",
            "summary": "Answer the partner pulse, as an invited contact of a partner organisation (once)",
            "tags": ["evaluations"],
            "security": BEARER,
            "requestBody": request_body(ref("PulseAnswerInput")),
            "responses": {
                "204": response("The answer is taken."),
                **problems(400, 401, 413, 415),
                "404": _problem("The caller has no open invitation to this evaluation's pulse."),
                "409": _problem("Answered already (code answered)."),
                "422": _problem("A score that is not from 1 to 10, or a text that is not valid."),
            },
        },
    },
}

bp = ApiBlueprint("evaluations", __name__, paths=PATHS, schemas=SCHEMAS)


def summary_json(evaluation: Any) -> dict[str, Any]:
    return {"period": evaluation.period, "title": evaluation.title,
            "start_date": evaluation.start_date.isoformat(), "end_date": evaluation.end_date.isoformat(),
            "status": evaluation.status, "published_at": iso_time(evaluation.published_at)}


def _threshold() -> int:
    return int(current_app.config.get("HELP_COUNT_THRESHOLD", 5))


def _evaluation_or_404(period: str, access: ops.Access) -> Evaluation:
    """Return the evaluation the caller may see: a published one, or a draft for the chairs and coordinator."""
    evaluation = ops.get_evaluation(period)
    return or_404(evaluation if evaluation is not None and ops.may_see(evaluation, access) else None,
                  _("There is no published evaluation for this period."))


def _evaluation_json(evaluation: Evaluation, *, status: int = 200):
    answer = jsonify(ops.open_data(evaluation, threshold=_threshold()))
    answer.status_code = status
    return answer


@bp.get("/evaluations")
@token_optional
def list_evaluations():
    """List the published evaluations, and the drafts for the chairs and coordinator."""
    access = ops.access_of(g.api_user)
    return jsonify(items=[summary_json(evaluation)
                          for evaluation in ops.list_evaluations(drafts=access.is_insider)])


@bp.post("/evaluations")
@token_required
def open_evaluation():
    """Open the evaluation of a period."""
    ops.require_coordinator(g.api_user)  # before reading the body
    data = json_object(NEW_EVALUATION)
    with body_errors():
        evaluation = ops.open_evaluation(by=g.api_user, **data)
    db.session.commit()
    answer = _evaluation_json(evaluation, status=201)
    answer.headers["Location"] = url_for(".get_evaluation", period=evaluation.period)
    return answer


@bp.get("/evaluations/<period>")
@token_optional
def get_evaluation(period: str):
    """Return an evaluation: a published one for anyone, a draft for the chairs and the coordinator."""
    return _evaluation_json(_evaluation_or_404(period, ops.access_of(g.api_user)))


@bp.put("/evaluations/<period>/notes")
@token_required
def write_note(period: str):
    """Write, replace or remove a conclusion or a decision."""
    access = ops.access_of(g.api_user)
    evaluation = _evaluation_or_404(period, access)
    if not access.is_insider:
        raise Forbidden(_l("Only the coordinator, and the chairs for their own think tank, write this."),
                        code="not_allowed")
    data = json_object(NOTE)
    with body_errors():
        try:
            ops.write_note(evaluation, by=g.api_user, kind=data["kind"], subject_type=data["subject_type"],
                           subject_id=data["subject_id"], text=data.get("text", ""),
                           decision=data.get("decision"))
        except DomainError as error:
            if error.code == "invalid_subject":
                error.status = 422
            raise
    db.session.commit()
    return _evaluation_json(evaluation)


@bp.post("/evaluations/<period>/publish")
@token_required
def publish(period: str):
    """Publish the evaluation: freeze its figures."""
    evaluation = _evaluation_or_404(period, ops.access_of(g.api_user))
    ops.publish(evaluation, by=g.api_user, threshold=_threshold())
    db.session.commit()
    return _evaluation_json(evaluation)


@bp.post("/evaluations/<period>/pulse")
@token_required
def send_pulse(period: str):
    """Send the partner pulse to the contacts not invited yet."""
    evaluation = _evaluation_or_404(period, ops.access_of(g.api_user))
    sent = send_and_mail(evaluation, by=g.api_user)
    db.session.commit()
    return jsonify(sent=sent)


@bp.get("/evaluations/<period>/pulse")
@token_required
def pulse_answers(period: str):
    """Return the pulse's answers (the chairs and the coordinator); the read is audited."""
    evaluation = _evaluation_or_404(period, ops.access_of(g.api_user))
    summary = ops.pulse_answers(evaluation, by=g.api_user)
    db.session.commit()  # the audit entry of this read
    scores = [answer.score for answer in summary.answers]
    return jsonify(
        invited=summary.invited, answered=len(summary.answers),
        average=round(sum(scores) / len(scores), 1) if scores else None,
        answers=[{"organisation": answer.organisation.name, "kind": answer.organisation.kind,
                  "score": answer.score, "answered_at": iso_time(answer.answered_at),
                  **{name: getattr(answer, name) or None for name in PULSE_QUESTIONS}}
                 for answer in summary.answers],
        by_question={question: {kind: [{"organisation": name, "text": text} for name, text in rows]
                                for kind, rows in kinds.items()}
                     for question, kinds in summary.by_question.items()})


@bp.post("/evaluations/<period>/pulse/answer")
@token_required
def answer_pulse(period: str):
    """Answer the pulse as an invited contact (once)."""
    evaluation = or_404(ops.get_evaluation(period), _("There is no evaluation for this period."))
    invitation = or_404(next((item for item in ops.open_invitations(g.api_user)
                              if item.evaluation_id == evaluation.id), None),
                        _("You have no open invitation to this partner pulse."))
    data = json_object(PULSE_ANSWER)
    with body_errors():
        ops.answer_pulse(invitation, **data)
    db.session.commit()
    return current_app.response_class(status=204)
