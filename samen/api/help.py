"""The help pages in the API: the help directory and the questions and answers. Public, read-only.

Texts come in the request's language (`?lang=nl|en`, else the token owner's, else Accept-Language), with the
Dutch text where there is no English version, as on the website.
"""
from __future__ import annotations

from typing import Any

from flask import jsonify, request
from flask_babel import lazy_gettext as _l

from samen.api.openapi import PUBLIC, ApiBlueprint, Spec, problems, ref, response
from samen.core import inputs
from samen.core.errors import DomainError
from samen.core.hosts import external_url
from samen.core.markdown import render_markdown
from samen.core.views import or_404
from samen.help import operations as ops
from samen.help.blueprint import page_language
from samen.help.models import ENTRY_KINDS, QUESTION_CATEGORIES, HelpEntry, HelpQuestion

SEARCH_MAX = 100

_LANGUAGE = {"type": "string", "enum": ["nl", "en"], "description": "The language of the texts."}

SCHEMAS: dict[str, Spec] = {
    "HelpEntry": {
        "type": "object",
        "description": "An organisation or person that helps, or an emergency number.",
        "required": ["id", "kind", "name", "topics", "phone", "phone_link", "email", "website", "opening_hours",
                     "languages", "thinktank", "position"],
        "properties": {
            "id": {"type": "integer"},
            "kind": {"type": "string", "enum": list(ENTRY_KINDS),
                     "description": "emergency: shown first, in a block of its own."},
            "name": {"type": "string"},
            "topics": {"type": "string", "description": "What they help with; for an emergency number, when to "
                                                        "call it."},
            "phone": {"type": "string", "description": "As written, e.g. 0800-7000; empty when there is none."},
            "phone_link": {"type": ["string", "null"], "description": "A tel: link, e.g. tel:08007000."},
            "email": {"type": "string"},
            "website": {"type": "string"},
            "opening_hours": {"type": "string"},
            "languages": {"type": "string", "description": "The languages spoken, as written."},
            "thinktank": {"type": ["string", "null"],
                          "description": "The slug of the think tank (part of the plan) it belongs to."},
            "position": {"type": "integer"},
        },
    },
    "HelpDirectory": {
        "type": "object",
        "required": ["language", "items"],
        "properties": {"language": _LANGUAGE,
                       "items": {"type": "array", "items": ref("HelpEntry"),
                                 "description": "Emergency numbers first, then the rest, each in their order."}},
    },
    "HelpQuestion": {
        "type": "object",
        "required": ["id", "category", "question", "answer", "answer_html", "entries", "position", "url"],
        "properties": {
            "id": {"type": "integer"},
            "category": {"type": "string", "enum": list(QUESTION_CATEGORIES)},
            "question": {"type": "string"},
            "answer": {"type": "string", "description": "Markdown, as written."},
            "answer_html": {"type": "string", "description": "The answer as sanitised HTML."},
            "entries": {"type": "array", "items": {"type": "integer"},
                        "description": "The ids of the directory entries the answer points to."},
            "position": {"type": "integer"},
            "url": {"type": "string", "format": "uri", "description": "The question's page on the website."},
        },
    },
    "HelpQuestionList": {
        "type": "object",
        "required": ["language", "items"],
        "properties": {"language": _LANGUAGE, "items": {"type": "array", "items": ref("HelpQuestion")}},
    },
}

_LANG_PARAMETER: Spec = {"name": "lang", "in": "query", "schema": {"type": "string", "enum": ["nl", "en"]},
                         "description": "The language of the texts (default: Accept-Language, else Dutch)."}
_BAD_QUERY: Spec = {"400": {"description": "A query parameter is not valid.",
                            "content": {"application/problem+json": {"schema": ref("Problem")}}}}

PATHS: dict[str, Spec] = {
    "/help/directory": {
        "get": {
            "operationId": "listHelpEntries",
            "summary": "List the help directory, emergency numbers first",
            "tags": ["help"],
            "security": PUBLIC,
            "parameters": [_LANG_PARAMETER],
            "responses": {"200": response("The help directory.", ref("HelpDirectory"))},
        },
    },
    "/help/questions": {
        "get": {
            "operationId": "listHelpQuestions",
            "summary": "List or search the questions and answers",
            "tags": ["help"],
            "security": PUBLIC,
            "parameters": [
                {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": SEARCH_MAX},
                 "description": "Words that must all occur (as the start of a word) in the question or the "
                                "answer, in the language asked for."},
                {"name": "category", "in": "query", "schema": {"type": "string",
                                                               "enum": list(QUESTION_CATEGORIES)}},
                _LANG_PARAMETER,
            ],
            "responses": {"200": response("The questions, by category and in their order.",
                                          ref("HelpQuestionList")), **_BAD_QUERY},
        },
    },
    "/help/questions/{question_id}": {
        "parameters": [{"name": "question_id", "in": "path", "required": True,
                        "schema": {"type": "integer", "minimum": 1, "maximum": inputs.MAX_ID}}],
        "get": {
            "operationId": "getHelpQuestion",
            "summary": "Show a question and its answer",
            "tags": ["help"],
            "security": PUBLIC,
            "parameters": [_LANG_PARAMETER],
            "responses": {"200": response("The question.", ref("HelpQuestion")), **problems(404)},
        },
    },
}

bp = ApiBlueprint("help", __name__, paths=PATHS, schemas=SCHEMAS)


def _entry_json(entry: HelpEntry, language: str) -> dict[str, Any]:
    return {
        "id": entry.id,
        "kind": entry.kind,
        "name": entry.localized("name", language),
        "topics": entry.localized("topics", language),
        "phone": entry.phone,
        "phone_link": "tel:" + inputs.phone_digits(entry.phone) if entry.phone else None,
        "email": entry.email,
        "website": entry.website,
        "opening_hours": entry.localized("hours", language),
        "languages": entry.languages,
        "thinktank": entry.thinktank.slug if entry.thinktank else None,
        "position": entry.position,
    }


def _question_json(question: HelpQuestion, language: str, entry_ids: list[int]) -> dict[str, Any]:
    answer = question.localized("answer", language)
    return {
        "id": question.id,
        "category": question.category,
        "question": question.localized("question", language),
        "answer": answer,
        "answer_html": str(render_markdown(answer)),
        "entries": entry_ids,
        "position": question.position,
        "url": external_url("help.question", question_id=question.id),
    }


def _category() -> str | None:
    category = request.args.get("category") or None
    if category is not None and category not in QUESTION_CATEGORIES:
        raise DomainError(_l("Unknown value. Choose one of: %(choices)s.", choices=", ".join(QUESTION_CATEGORIES)),
                          field="category", code="invalid_category")
    return category


@bp.get("/help/directory")
def directory():
    """List the help directory: emergency numbers first."""
    language = page_language()
    return jsonify(language=language, items=[_entry_json(entry, language) for entry in ops.directory()])


@bp.get("/help/questions")
def list_questions():
    """List the questions and answers, or those that match `q`, in the language asked for."""
    language = page_language()
    category = _category()
    found = ops.questions(inputs.search_text(request.args.get("q"), maximum=SEARCH_MAX), language, category)
    links = ops.linked_entry_ids()
    return jsonify(language=language,
                   items=[_question_json(question, language, links.get(question.id, [])) for question in found])


@bp.get("/help/questions/<int:question_id>")
def show_question(question_id: int):
    """Show a question and its answer."""
    question = or_404(ops.get_question(question_id), _l("There is no such question."))
    language = page_language()
    return jsonify(_question_json(question, language, [entry.id for entry in question.entries]))
