"""Alembic environment: the connection comes from `flask db` (samen.core.migrate) or the tests."""
from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

import samen.models  # noqa: F401  (every model registers on the metadata)
from samen.core.database import Base

config = context.config
target_metadata = Base.metadata


# Full-text search structures are made by hand in the migrations, per dialect (see samen/ideas/search.py).
UNMODELLED = ("ideas_fts", "ix_ideas_search", "help_questions_fts")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Leave the hand-made full-text search tables, triggers and indexes out of autogenerate."""
    return not (name or "").startswith(UNMODELLED)


def _configure(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True,
                      render_as_batch=connection.dialect.name == "sqlite", include_object=include_object)


connection = config.attributes.get("connection")
if connection is not None:
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(os.environ["DATABASE_URL"])
    with engine.begin() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
