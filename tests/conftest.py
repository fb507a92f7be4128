"""Fixtures: a migrated database per run, a rolled-back transaction per test, clients, users, think tanks."""
from __future__ import annotations

import atexit
import functools
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, g, request_started
from flask.ctx import RequestContext
from flask.testing import EnvironBuilder, FlaskClient
from flask_wtf.csrf import generate_csrf
from sqlalchemy import Connection, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from werkzeug.security import generate_password_hash

from samen import create_app
from samen.accounts import operations as account_ops
from samen.accounts.models import User
from samen.config import TestConfig
from samen.ideas import operations as idea_ops
from samen.ideas.models import Idea
from samen.core import migrate
from samen.core.database import db as _db
from samen.extensions import limiter
from samen.thinktanks import operations as tt_ops
from samen.thinktanks.models import ThinkTank

PASSWORD = "paard-fiets-zon-7"
THREAD_TIMEOUT = 120  # seconds; a thread still running after this is a deadlock, not slowness
# Users made by the factories get a hash of PASSWORD that is quick to check: the suite signs in through the real
# form over a thousand times, and checking a scrypt hash (slow on purpose) takes a third of a second. Pass
# password=... to get a real scrypt hash; scrypt itself is tested with the accounts (tests/accounts).
# The module worlds, the crawl and the browser tests' live server use it too (QUICK_PASSWORD_HASH).
_PASSWORD_HASH = QUICK_PASSWORD_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that counts SQL statements as `database`: what a query costs can differ per database.
    Under pytest-xdist, put the slowest modules first (SLOW_MODULES)."""
    for item in items:
        if "count_queries" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.database)
    if os.environ.get("PYTEST_XDIST_WORKER"):
        cost: dict[str, float] = {}
        for item in items:
            module = item.nodeid.split("::", 1)[0]
            cost[module] = cost.get(module, 0.0) + SECONDS_PER_TEST
        cost.update((module, seconds) for module, seconds in SLOW_MODULES.items() if module in cost)
        items.sort(key=lambda item: -cost[item.nodeid.split("::", 1)[0]])  # stable: a module keeps its order


# `make test` hands out whole modules (`--dist loadfile`: the world a module builds once is built in one process
# only), in the order of the collection: the slowest first, or a long module that starts last keeps the other
# processes waiting at the end. Seconds of wall time in a three-process run (7 December 2026, night); a module not named
# here counts SECONDS_PER_TEST a test. Only the order matters: update the figures when a module gets much slower.
SECONDS_PER_TEST = 0.02
SLOW_MODULES = {
    "tests/browser/test_accessibility.py": 94, "tests/fuzz/test_api_fuzz.py": 66, "tests/input/test_crawl.py": 58,
    "tests/meetings/test_live_server.py": 37, "tests/browser/test_live_board.py": 36,
    "tests/core/test_migration_safety.py": 31, "tests/privacy/test_backup.py": 27,
    "tests/meetings/test_live_concurrency.py": 25, "tests/input/test_hostile_table.py": 21,
    "tests/ideas/test_concurrency.py": 19, "tests/deploy/test_serve_prod.py": 17,
    "tests/browser/test_stories.py": 15, "tests/browser/test_programme_pages.py": 12,
    "tests/core/test_database_unavailable.py": 9, "tests/browser/test_journeys.py": 9,
    "tests/meetings/live/test_live_commands.py": 8, "tests/browser/test_meetings_pages.py": 8,
    "tests/partners/test_migration.py": 8, "tests/core/test_runtime.py": 7,
    "tests/browser/test_ideas_to_results.py": 7, "tests/core/test_migrations.py": 7,
    "tests/stories/test_consent_everywhere.py": 6, "tests/demo/test_fresh_load.py": 6,
    "tests/browser/test_evaluation.py": 5, "tests/deploy/test_faults.py": 45,
}


def backend() -> str:
    """Return the database the suite runs on: sqlite (default) or postgresql (SAMEN_TEST_BACKEND)."""
    return os.environ.get("SAMEN_TEST_BACKEND", "sqlite")


@functools.cache
def postgres_url() -> str | None:
    """Return the PostgreSQL database of this test process: TEST_DATABASE_URL's, or under pytest-xdist one of
    its own next to it (test_gw0, test_gw1, …), created when missing."""
    url = os.environ.get("TEST_DATABASE_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    server = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"{server.database}_{worker}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            if connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}) is None:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError:
        return url  # no server: the tests that need one say so when they connect
    finally:
        admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False).replace("+psycopg", "", 1)


def reset_postgres(url: str) -> None:
    """Empty the PostgreSQL test database: migrations build it from nothing."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def make_config(url: str, **overrides: Any) -> type[TestConfig]:
    """Return a test configuration class for a database URL."""
    return type("Config", (TestConfig,), {"DATABASE_URL": url, **overrides})


@contextmanager
def scratch_postgres(suffix: str, *, template: str | None = None) -> Iterator[str]:
    """Create a PostgreSQL database named after this process's (e.g. test_gw0_restore) — empty, or a copy of the
    database `template` — and drop it afterwards; skip (or fail in CI) when there is no server."""
    url = postgres_url()
    if not url:
        skip_or_fail("TEST_DATABASE_URL is not set (a PostgreSQL server for this test)")
    server = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"{server.database}_{suffix}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            copy = f' TEMPLATE "{template}"' if template else ""
            connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    except OperationalError as error:
        admin.dispose()
        skip_or_fail(f"PostgreSQL is not reachable at TEST_DATABASE_URL ({error.orig})")
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@functools.cache
def _sqlite_at_head() -> Path:
    """Return a SQLite file upgraded to head, made once per process, for migrated_app to copy: running the
    migrations (or even finding there is nothing to run) costs more than a tenth of a second, a copy almost nothing."""
    folder = Path(tempfile.mkdtemp(prefix="samen-head-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    application = create_app(make_config(f"sqlite:///{folder / 'head.db'}"))
    with application.app_context():
        migrate.upgrade()
    application.extensions["samen_db"]["engine"].dispose()
    return folder / "head.db"


@contextmanager
def migrated_app(url: str) -> Iterator[Flask]:
    """Create an app with a database of its own at `url`, upgraded to head (a new SQLite file: a copy of one at
    head); dispose of its engine afterwards."""
    path = make_url(url).database if url.startswith("sqlite:///") else None
    fresh_sqlite = path is not None and not Path(path).exists()
    if fresh_sqlite:
        shutil.copyfile(_sqlite_at_head(), path)
    application = create_app(make_config(url, DATABASE_POOL_SIZE=20))
    if not fresh_sqlite:
        with application.app_context():
            migrate.upgrade()
    try:
        yield application
    finally:
        application.extensions["samen_db"]["engine"].dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def live_app(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Flask]:
    """Return an app on a fresh database of its own (a SQLite file, or a new PostgreSQL database), for tests
    that commit from several threads or serve over a real server and so cannot use the rolled-back `db`."""
    if request.param == "sqlite":
        with migrated_app(f"sqlite:///{tmp_path / 'concurrency.db'}") as application:
            yield application
    else:
        with scratch_postgres(f"live_{uuid.uuid4().hex[:12]}") as url, migrated_app(url) as application:
            yield application


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Return the URL of the suite's database, empty."""
    if backend() == "postgresql":
        url = postgres_url()
        if not url:
            pytest.exit("SAMEN_TEST_BACKEND=postgresql needs TEST_DATABASE_URL", returncode=2)
        reset_postgres(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def app(database_url: str) -> Flask:
    """Create the app and upgrade its empty database to head with the migrations."""
    application = create_app(make_config(database_url))
    with application.app_context():
        migrate.upgrade()
    # The `db` fixture keeps an app context open for the whole test, so requests would share its `g` (the
    # signed-in user, the language, the CSRF token): start every request with a clean one, as in production.
    request_started.connect(_fresh_g, application)
    return application


def _fresh_g(_sender: Any, **_extra: Any) -> None:
    for name in list(g):
        g.pop(name)


@pytest.fixture
def like_production(app: Flask) -> Iterator[None]:
    """Start each request with nothing loaded in the database session, as a new request in production does (the
    `db` fixture's session would otherwise hand the views what the test loaded, hiding a missing query or check).
    A module asks for it with `pytestmark = pytest.mark.usefixtures("like_production")`."""
    def forget(_sender: Flask, **_extra: Any) -> None:
        _db.session.expire_all()

    request_started.connect(forget, app)
    try:
        yield
    finally:
        request_started.disconnect(forget, app)


def speak(client: FlaskClient, language: str) -> None:
    """Choose the language of the client's next pages, as the language switch does (the session's `lang`)."""
    with client.session_transaction() as session:
        session["lang"] = language


@contextmanager
def rolled_back(app: Flask) -> Iterator[Connection]:
    """Open a connection to the app's database in a transaction that is rolled back at the end, whatever the
    code on it commits."""
    connection = app.extensions["samen_db"]["engine"].connect()
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # pysqlite defers BEGIN until the first write, so SAVEPOINTs would escape the outer transaction:
        # take control of the transaction on this one connection.
        connection.connection.dbapi_connection.isolation_level = None
        connection.connection.dbapi_connection.execute("BEGIN")
    transaction = connection.begin()
    try:
        yield connection
    finally:
        if transaction.is_active:
            transaction.rollback()
        if sqlite:
            raw = connection.connection.dbapi_connection
            if raw.in_transaction:
                raw.execute("ROLLBACK")
            raw.isolation_level = ""
        connection.close()


@contextmanager
def pinned(app: Flask, connection: Connection) -> Iterator[Any]:
    """Bind the app's sessions to the connection, in an app context, for as long as the block runs."""
    with app.app_context():
        _db.pin_connection(connection)
        try:
            yield _db
        finally:
            _db.session.remove()
            _db.pin_connection(None)


@contextmanager
def savepoint(connection: Connection) -> Iterator[Connection]:
    """Keep what is written on the connection inside the block, and undo it at the end."""
    nested = connection.begin_nested()
    try:
        yield connection
    finally:
        if nested.is_active:
            nested.rollback()


@pytest.fixture(scope="module")
def module_connection(app: Flask) -> Iterator[Connection]:
    """Return a connection that a module's tests share, rolled back after the module: data that many tests
    only read (a world of users in every role, the demo plan) is built on it once, in a module-scoped fixture,
    and each test runs in a savepoint of its own on top. A module asks for it with
    `pytestmark = pytest.mark.shared_database`; all its tests then run on it (SQLite: one writer at a time)."""
    with rolled_back(app) as connection:
        yield connection


@pytest.fixture
def db_connection(request: pytest.FixtureRequest, app: Flask) -> Iterator[Connection]:
    """Return the connection a test's database work runs on: one of its own, rolled back afterwards, or its
    module's shared one (see module_connection)."""
    if request.node.get_closest_marker("shared_database"):
        yield request.getfixturevalue("module_connection")
        return
    with rolled_back(app) as connection:
        yield connection


@pytest.fixture
def db(app: Flask, db_connection: Connection) -> Iterator[Any]:
    """Give each test a savepoint on its connection that is rolled back afterwards, even when the code under
    test commits."""
    with savepoint(db_connection), pinned(app, db_connection) as database:
        yield database


@pytest.fixture
def client(app: Flask, db: Any) -> FlaskClient:
    """Return a test client on the rolled-back database."""
    return app.test_client()


def read_csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """Fetch a page and return the CSRF token its form carries."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


@pytest.fixture
def csrf_token() -> Callable[[FlaskClient, str], str]:
    """Return a function that fetches a page and reads its CSRF token."""
    return read_csrf_token


_emails = count(1)


@pytest.fixture
def create_user(db: Any) -> Callable[..., User]:
    """Return a factory for users (password: PASSWORD)."""
    def make(**fields: Any) -> User:
        n = next(_emails)
        fields.setdefault("email", f"user{n}@example.org")
        fields.setdefault("display_name", f"Deelnemer {n}")
        if "password" not in fields:
            fields["password_hash"] = _PASSWORD_HASH
        user = account_ops.create_user(**fields)
        db.session.commit()
        return user
    return make


@pytest.fixture
def user(create_user: Callable[..., User]) -> User:
    """Return a resident."""
    return create_user(display_name="Ouder uit Nijkerk")


@pytest.fixture
def admin(create_user: Callable[..., User]) -> User:
    """Return a site admin."""
    return create_user(display_name="Beheerder", is_admin=True)


_slugs = count(1)


@pytest.fixture
def create_thinktank(db: Any) -> Callable[..., ThinkTank]:
    """Return a factory for think tanks."""
    def make(**fields: Any) -> ThinkTank:
        n = next(_slugs)
        fields.setdefault("slug", f"denktank-{n}")
        fields.setdefault("name", f"Denktank {n}")
        thinktank = tt_ops.create_thinktank(fields)
        db.session.commit()
        return thinktank
    return make


@pytest.fixture
def thinktank(create_thinktank: Callable[..., ThinkTank]) -> ThinkTank:
    """Return an open think tank."""
    return create_thinktank(slug="preventie", name="Preventie", description="Voorkomen is beter.")


class Auth:
    """Sign a test client in and out through the real login form, and post forms with a valid CSRF token."""

    def __init__(self, client: FlaskClient, read_token: Callable[[FlaskClient, str], str]) -> None:
        self.client = client
        self.read_token = read_token  # reads the token from a page, for tests about the pages themselves

    def token(self) -> str:
        """Return the CSRF token a form would carry in this client's session, without fetching a page: Flask-WTF's
        generate_csrf in a request context on the client's session (which keeps the raw token it may add)."""
        app = self.client.application
        field = app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
        with (self.client.session_transaction() as session,
              RequestContext(app, EnvironBuilder(app).get_environ(), session=session)):
            g.pop(field, None)  # a token another request of the test's app context left behind
            token = generate_csrf()
            g.pop(field, None)
        return token

    def login(self, user: User | str, password: str = PASSWORD, remember: bool = False) -> Any:
        email = user if isinstance(user, str) else user.email
        data = {"email": email, "password": password, "csrf_token": self.token()}
        if remember:
            data["remember"] = "y"
        return self.client.post("/login", data=data)

    def logout(self) -> Any:
        return self.client.post("/logout", data={"csrf_token": self.token()})

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """POST a form with a valid CSRF token."""
        payload = {"csrf_token": self.token(), **(data or {})}
        return self.client.post(path, data=payload, **kwargs)


@pytest.fixture
def auth(client: FlaskClient, csrf_token: Callable[[FlaskClient, str], str]) -> Auth:
    """Return the sign-in helper for the test client."""
    return Auth(client, csrf_token)


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], Any]:
    """Return a context manager that counts the SQL statements run inside it."""
    from contextlib import contextmanager

    @contextmanager
    def counting() -> Iterator[list[str]]:
        statements: list[str] = []

        def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
                statements.append(statement)

        engine = _db.engine
        event.listen(engine, "before_cursor_execute", before)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", before)
    return counting


@pytest.fixture
def rate_limited(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Return a function that switches the suite app's rate limits on, with the given limits (settings), on
    counters that start at zero and are forgotten afterwards."""
    def switch_on(**limits: str) -> None:
        monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
        for name, value in limits.items():
            monkeypatch.setitem(app.config, name, value)

    with app.app_context():
        limiter.storage.reset()
    try:
        yield switch_on
    finally:
        with app.app_context():
            limiter.storage.reset()


def services_required() -> bool:
    """In CI (SAMEN_REQUIRE_SERVICES=1) a missing service or browser fails the test instead of skipping it."""
    return os.environ.get("SAMEN_REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip with a clear reason, or fail when CI requires the service."""
    if services_required():
        pytest.fail(f"required in CI but unavailable: {reason}")
    pytest.skip(reason)


# --- ideas ---------------------------------------------------------------------------------------------


@pytest.fixture
def member(create_user: Callable[..., Any], thinktank: Any, db: Any) -> Any:
    """Return an active member of the think tank."""
    user = create_user(display_name="Lid van de denktank")
    tt_ops.join_thinktank(thinktank, user)
    db.session.commit()
    return user


@pytest.fixture
def chair(create_user: Callable[..., Any], thinktank: Any, db: Any) -> Any:
    """Return a chair of the think tank."""
    user = create_user(display_name="Voorzitter", kind="professional", organisation="Jongerenwerk")
    tt_ops.appoint_chair(thinktank, user)
    db.session.commit()
    return user


@pytest.fixture
def make_member(create_user: Callable[..., Any], db: Any) -> Callable[..., Any]:
    """Return a factory for members of a think tank."""
    def make(thinktank: Any, **fields: Any) -> Any:
        user = create_user(**fields)
        tt_ops.join_thinktank(thinktank, user)
        db.session.commit()
        return user
    return make


@pytest.fixture
def create_idea(db: Any) -> Callable[..., Idea]:
    """Return a factory for ideas."""
    def make(thinktank: Any, author: Any, **fields: Any) -> Idea:
        fields.setdefault("title", "Vrijplaats waar jongeren open met elkaar kunnen praten")
        fields.setdefault("body", "Een plek zonder oordeel, met jongerenwerkers in de buurt.")
        idea = idea_ops.create_idea(thinktank, author=author, **fields)
        db.session.commit()
        return idea
    return make


@pytest.fixture
def idea(create_idea: Callable[..., Idea], thinktank: Any, member: Any) -> Idea:
    """Return an idea posted by the member."""
    return create_idea(thinktank, member)
