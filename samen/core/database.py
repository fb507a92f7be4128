"""The database: a declarative base with stable constraint names, an engine and a scoped session."""
from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any, TypeVar

from flask import Flask, abort, current_app
from sqlalchemy import Engine, MetaData, create_engine, event, select
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session, sessionmaker
from sqlalchemy.pool import StaticPool

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


ModelT = TypeVar("ModelT", bound=Base)


def utcnow() -> datetime:
    """Return the current time in UTC, without tzinfo (how every timestamp is stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def make_engine(url: str, *, pool_size: int = 10) -> Engine:
    """Create an engine for a DATABASE_URL (SQLite file or memory, or PostgreSQL through psycopg 3)."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    options: dict[str, Any] = {}
    if url.startswith("sqlite"):
        options["connect_args"] = {"check_same_thread": False, "timeout": 30}
        if url in ("sqlite://", "sqlite:///:memory:"):
            options["poolclass"] = StaticPool
    else:
        options["pool_pre_ping"] = True
        options["pool_size"] = pool_size
    return create_engine(url, **options)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Enforce foreign keys and use WAL on SQLite, which does neither by default."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        if dbapi_connection.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


class AppSession(Session):
    """A session bound to the current app's engine, or to the connection a test pins for its rollback."""

    def get_bind(self, mapper: Any = None, clause: Any = None, bind: Any = None, **kwargs: Any) -> Any:
        if bind is not None:
            return bind
        state = current_app.extensions["samen_db"]
        return state["connection"] or state["engine"]


class Database:
    """A thread-scoped session whose engine is the current app's: two apps (tests, a live server) never mix."""

    def __init__(self) -> None:
        self.session: scoped_session[Session] = scoped_session(
            sessionmaker(class_=AppSession, expire_on_commit=False, join_transaction_mode="create_savepoint"))

    def init_app(self, app: Flask) -> None:
        """Create the engine from DATABASE_URL and remove the session after every app context."""
        app.extensions["samen_db"] = {"engine": make_engine(app.config["DATABASE_URL"],
                                                            pool_size=app.config.get("DATABASE_POOL_SIZE", 10)),
                                      "connection": None}
        app.teardown_appcontext(self._remove_session)

    def _remove_session(self, _exc: BaseException | None) -> None:
        self.session.remove()

    @property
    def engine(self) -> Engine:
        """Return the current app's engine."""
        return current_app.extensions["samen_db"]["engine"]

    def pin_connection(self, connection: Any) -> None:
        """Bind every session of the current app to this connection (tests roll it back), or None to unpin."""
        current_app.extensions["samen_db"]["connection"] = connection

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def get_or_404(self, model: type[ModelT], ident: Any) -> ModelT:
        """Return the row with this primary key, or answer 404."""
        try:
            obj = self.session.get(model, ident)
        except (TypeError, ValueError):
            obj = None
        if obj is None:
            abort(404)
        return obj

    def first_or_404(self, statement: Any) -> Any:
        """Return the first row the statement selects, or answer 404."""
        obj = self.session.scalars(statement.limit(1)).first()
        if obj is None:
            abort(404)
        return obj


db = Database()
__all__ = ["Base", "Database", "db", "select", "utcnow"]


def insert_ignoring_conflicts(table: Any, values: dict[str, Any] | None, *, conflict: list[str],
                              source: tuple[list[str], Any] | None = None) -> Any:
    """Return an INSERT (of values, or from a SELECT) that does nothing when a row with the same `conflict`
    columns exists: atomic and race-free on SQLite and PostgreSQL. Its result has a row when one was inserted."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = db.session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    statement = module.insert(table)
    statement = statement.from_select(*source) if source is not None else statement.values(**(values or {}))
    # RETURNING tells reliably whether a row went in (rowcount is -1 for some drivers).
    return statement.on_conflict_do_nothing(index_elements=conflict).returning(*table.primary_key.columns)
