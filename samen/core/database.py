"""The database: a declarative base with stable constraint names, an engine and a scoped session."""
from __future__ import annotations

import os
import sqlite3
import threading
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


SQLITE_BUSY_TIMEOUT = 10  # seconds a SQLite writer waits for its turn before 'database is locked'
_SQLITE_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")  # the statements before which pysqlite BEGINs
_sqlite_write_locks: dict[str, threading.Lock] = {}


class WriterQueueConnection(sqlite3.Connection):
    """A SQLite connection whose writing transactions take turns in a lock shared by the process's connections
    to the same file.

    SQLite lets one transaction write at a time; the others wait in its busy handler, which polls with sleeps
    that grow to 100 ms and is not woken when the lock comes free. With a few threads writing at once, that
    idle time dominates (8 threads supported ideas at half the rate of one). Waiting here hands the turn over
    at once. The lock is taken just before the statement that makes pysqlite BEGIN (the first write of a
    transaction) and released by COMMIT or ROLLBACK; other processes meet in SQLite's own lock, as before.
    """

    def __init__(self, database: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(database, *args, **kwargs)
        self.busy_timeout = float(kwargs.get("timeout", args[0] if args else SQLITE_BUSY_TIMEOUT))
        name = str(database)
        file = name not in ("", ":memory:") and not name.startswith("file:")
        self._write_lock = (_sqlite_write_locks.setdefault(os.path.realpath(name), threading.Lock())
                            if file else None)
        self._writing = False

    def cursor(self, factory: Any = None) -> sqlite3.Cursor:  # type: ignore[override]
        return super().cursor(factory or _WriterQueueCursor)

    def wait_to_write(self, statement: str) -> None:
        if (self._write_lock is not None and not self._writing and not self.in_transaction
                and statement.lstrip()[:7].upper().startswith(_SQLITE_WRITES)):
            # After the timeout, go on without the lock: SQLite's busy handler decides, as without this class.
            self._writing = self._write_lock.acquire(timeout=self.busy_timeout)

    def _done_writing(self) -> None:
        if self._writing:
            self._writing = False
            self._write_lock.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._done_writing()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._done_writing()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._done_writing()


class _WriterQueueCursor(sqlite3.Cursor):
    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        self.connection.wait_to_write(sql)
        return super().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> sqlite3.Cursor:
        self.connection.wait_to_write(sql)
        return super().executemany(sql, parameters)


def make_engine(url: str, *, pool_size: int = 10, connect_timeout: int = 5, pool_timeout: int = 5,
                statement_timeout: int = 10, lock_timeout: int = 5, busy_timeout: int = SQLITE_BUSY_TIMEOUT) -> Engine:
    """Create an engine for a DATABASE_URL (SQLite file or memory, or PostgreSQL through psycopg 3).

    Every wait is bounded (seconds; 0 = no bound), so a slow or frozen database gives an error that the error
    handlers answer with 503 (samen.core.errors), never a request that hangs: on PostgreSQL, connecting
    (`connect_timeout`), waiting for a connection of the pool (`pool_timeout`), a statement (`statement_timeout`)
    and a lock (`lock_timeout`); on SQLite, waiting for another writer (`busy_timeout`)."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    options: dict[str, Any] = {}
    if url.startswith("sqlite"):
        options["connect_args"] = {"check_same_thread": False, "timeout": busy_timeout,
                                   "factory": WriterQueueConnection}
        if url in ("sqlite://", "sqlite:///:memory:"):
            options["poolclass"] = StaticPool
    else:
        options["pool_pre_ping"] = True
        options["pool_size"] = pool_size
        options["pool_timeout"] = pool_timeout
        settings = f"-c statement_timeout={statement_timeout * 1000} -c lock_timeout={lock_timeout * 1000}"
        options["connect_args"] = {"connect_timeout": connect_timeout, "options": settings}
    return create_engine(url, **options)


def is_unavailable(error: BaseException) -> bool:
    """Whether a database error means 'busy or unreachable, try again' (a timeout, a lock not granted, a lost
    connection) rather than a fault in the code or the data."""
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    if isinstance(error, PoolTimeout):
        return True
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    original = error.orig
    if isinstance(original, sqlite3.OperationalError):
        return "locked" in str(original) or "busy" in str(original)
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return False
    # psycopg's OperationalError: no connection or a timeout expired (ConnectionTimeout), statement_timeout
    # (QueryCanceled), lock_timeout (LockNotAvailable), a server shutting down or out of connections. Faults in
    # a query are ProgrammingError, DataError or IntegrityError instead.
    return isinstance(original, psycopg.OperationalError)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Enforce foreign keys and use WAL on SQLite, which does neither by default."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # The busy timeout the connection was made with (sqlite3.connect's `timeout`, from make_engine).
        busy = getattr(dbapi_connection, "busy_timeout", SQLITE_BUSY_TIMEOUT)
        cursor.execute(f"PRAGMA busy_timeout={int(busy * 1000)}")
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
        config = app.config
        engine = make_engine(config["DATABASE_URL"], pool_size=config.get("DATABASE_POOL_SIZE", 10),
                             connect_timeout=config.get("DATABASE_CONNECT_TIMEOUT", 5),
                             pool_timeout=config.get("DATABASE_POOL_TIMEOUT", 5),
                             statement_timeout=config.get("DATABASE_STATEMENT_TIMEOUT", 10),
                             lock_timeout=config.get("DATABASE_LOCK_TIMEOUT", 5),
                             busy_timeout=config.get("DATABASE_BUSY_TIMEOUT", SQLITE_BUSY_TIMEOUT))
        app.extensions["samen_db"] = {"engine": engine, "connection": None}
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

    def get_or_404(self, model: type[ModelT], ident: Any, *options: Any) -> ModelT:
        """Return the row with this primary key, loaded with the loader options given, or answer 404."""
        try:
            obj = self.session.get(model, ident, options=options or None)
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


def upsert(table: Any, values: dict[str, Any], *, conflict: list[str], update: list[str],
           dialect: str | None = None) -> Any:
    """Return an INSERT that, when a row with the same `conflict` columns exists, sets its `update` columns to
    the given values instead: one atomic statement on SQLite and PostgreSQL (`dialect`: the current database's
    when not given). Its result is the row's primary key. Values may be bindparams, to build it once."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = dialect or db.session.get_bind().dialect.name
    statement = (postgresql if dialect == "postgresql" else sqlite).insert(table).values(**values)
    return (statement.on_conflict_do_update(index_elements=conflict,
                                            set_={name: statement.excluded[name] for name in update})
            .returning(*table.primary_key.columns))
