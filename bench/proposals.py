"""Indexes proposed for a migration, measured before they exist: `python -m bench --proposed-indexes`
creates them in the bench database for the run and drops them afterwards, so that the database stays at the
migrations' head. Once a migration creates them, the flag changes nothing: it creates only what is missing,
and drops only what it created.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import inspect, text

from samen.core.database import db

VISIBLE = "hidden_at IS NULL AND withdrawn_at IS NULL"
PROPOSED = {
    # The idea list filters on the think tank and visibility, and sorts: one partial index per sort serves the
    # count (from the index alone) and a page in order, at any depth.
    "ix_ideas_visible_support": f"ideas (thinktank_id, support_count) WHERE {VISIBLE}",
    "ix_ideas_visible_created": f"ideas (thinktank_id, created_at) WHERE {VISIBLE}",
    "ix_ideas_visible_comments": f"ideas (thinktank_id, comment_count) WHERE {VISIBLE}",
    # 'Rising' counts a think tank's supports of the last week: from the index alone, not the whole table.
    "ix_supports_thinktank_created": "supports (thinktank_id, created_at, idea_id)",
}


@contextmanager
def proposed_indexes(app: Flask) -> Iterator[list[str]]:
    """Create the proposed indexes that do not exist yet; drop those again afterwards. Yield their names."""
    with app.app_context():
        existing = {index["name"] for table in ("ideas", "supports")
                    for index in inspect(db.engine).get_indexes(table)}
        created = [name for name in PROPOSED if name not in existing]
        for name in created:
            db.session.execute(text(f"CREATE INDEX {name} ON {PROPOSED[name]}"))
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    try:
        yield created
    finally:
        with app.app_context():
            for name in created:
                db.session.execute(text(f"DROP INDEX {name}"))
            db.session.execute(text("ANALYZE"))
            db.session.commit()
