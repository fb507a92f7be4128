"""Full-text search over the questions and answers in one language: SQLite FTS5, or PostgreSQL's text search.

The same approach as the ideas' search (samen/ideas/search.py): every word of the query must occur, as a prefix,
in the question or the answer. English is searched in the English texts, with the Dutch where a question has no
English version — what the English page shows.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, literal_column, select, text

from samen.core.database import db
from samen.help.models import DEFAULT_LANGUAGE, HelpQuestion
from samen.ideas.search import terms

# PostgreSQL's text search configuration per language: stemming finds "schulden" for "schuld".
CONFIGURATIONS = {"nl": "dutch", "en": "english"}


def _shown(name: str, language: str) -> Any:
    """Return the SQL expression of a field as the page in this language shows it."""
    dutch = getattr(HelpQuestion, f"{name}_{DEFAULT_LANGUAGE}")
    if language == DEFAULT_LANGUAGE:
        return dutch
    return func.coalesce(func.nullif(getattr(HelpQuestion, f"{name}_{language}"), ""), dutch)


def matches(query: str, language: str) -> Any:
    """Return a condition on HelpQuestion that is true for those whose question or answer in this language
    contain every word of the query (as a prefix); None when the query has no words."""
    words = terms(query)
    if not words:
        return None
    language = language if language in CONFIGURATIONS else DEFAULT_LANGUAGE
    if db.dialect == "postgresql":
        configuration = literal_column(f"'{CONFIGURATIONS[language]}'")
        document = func.to_tsvector(configuration, _shown("question", language) + " " + _shown("answer", language))
        wanted = func.to_tsquery(configuration, " & ".join(f"{word}:*" for word in words))
        return document.op("@@")(wanted)
    fts_query = f"{language} : (" + " ".join(f'"{word}"*' for word in words) + ")"
    return HelpQuestion.id.in_(select(text("rowid")).select_from(text("help_questions_fts"))
                               .where(text("help_questions_fts MATCH :fts_query").bindparams(fts_query=fts_query)))
