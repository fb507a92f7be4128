"""Full-text search over ideas behind one interface: SQLite FTS5, or PostgreSQL's text search."""
from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, literal_column, select, text
from sqlalchemy.orm import aliased

from samen.core.database import db
from samen.ideas.models import Idea

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8


def terms(query: str) -> list[str]:
    """Return the words of a search query (at most eight), without operators or punctuation."""
    return _WORD.findall(query or "")[:MAX_TERMS]


def matching(query: str, *columns: Any) -> Any:
    """Return a subquery of these columns of Idea for the ideas that contain every word (as a prefix), to be
    used through an alias (`aliased(Idea, matching(...))`): on PostgreSQL the full-text index finds them and
    each is read once, with its columns, instead of looking each id up again in all ideas. None without words."""
    condition = matches(query)
    if condition is None:
        return None
    if db.dialect == "postgresql":
        tsquery = " & ".join(f"{word}:*" for word in terms(query))
        document = func.to_tsvector(literal_column("'dutch'"),
                                    func.coalesce(Idea.title, "") + " " + func.coalesce(Idea.body, ""))
        condition = document.op("@@")(func.to_tsquery(literal_column("'dutch'"), tsquery))
    # OFFSET 0 keeps PostgreSQL from merging it into the outer query (matches() says why).
    return select(*columns).where(condition).offset(0).subquery("matching")


def matches(query: str) -> Any:
    """Return a condition on Idea that is true for ideas whose title or body contain every word (as a prefix)."""
    words = terms(query)
    if not words:
        return None
    if db.dialect == "postgresql":
        tsquery = " & ".join(f"{word}:*" for word in words)
        found = aliased(Idea)
        document = func.to_tsvector(literal_column("'dutch'"),
                                    func.coalesce(found.title, "") + " " + func.coalesce(found.body, ""))
        # The planner underestimates to_tsvector(): as a filter next to the think tank's, it computes it for
        # every idea of the think tank (a second at 20,000 ideas). A subquery that OFFSET 0 keeps from being
        # merged into the outer query finds the matches through the GIN index instead.
        wanted = func.to_tsquery(literal_column("'dutch'"), tsquery)
        matching = select(found.id).where(document.op("@@")(wanted))
        return Idea.id.in_(matching.offset(0))
    fts_query = " ".join(f'"{word}"*' for word in words)
    return Idea.id.in_(select(text("rowid")).select_from(text("ideas_fts"))
                       .where(text("ideas_fts MATCH :fts_query").bindparams(fts_query=fts_query)))
