"""Alembic environment: the connection comes from `flask db` (samen.core.migrate) or the tests."""
from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

import samen.models  # noqa: F401  (every model registers on the metadata)
from samen.core.database import Base

config = context.config
target_metadata = Base.metadata


def _configure(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True,
                      render_as_batch=connection.dialect.name == "sqlite")


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
