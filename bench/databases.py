"""The benchmark databases: a SQLite file under instance/ and a PostgreSQL database of their own, seeded
once."""
from __future__ import annotations

import logging
import os
from dataclasses import astuple
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from samen import ROOT, create_app
from samen.accounts.models import User
from samen.config import Config
from samen.core import migrate
from samen.core.database import db
from samen.actions.models import ActionItem, Indicator, Measurement
from samen.demo.bench import EMAIL_DOMAIN, INDICATOR_PREFIX, SLUG_PREFIX, Sizes, seed
from samen.ideas.models import Comment, Idea, Support
from samen.thinktanks.models import ThinkTank

SQLITE_PATH = ROOT / "instance" / "bench.db"
POSTGRES_DATABASE = "samen_bench"


def sqlite_url(path: Path = SQLITE_PATH) -> str:
    return f"sqlite:///{path}"


def postgres_url() -> str | None:
    """Return BENCH_POSTGRES_URL, or a database named samen_bench on TEST_DATABASE_URL's server, or None."""
    if os.environ.get("BENCH_POSTGRES_URL"):
        return os.environ["BENCH_POSTGRES_URL"]
    if os.environ.get("TEST_DATABASE_URL"):
        return make_url(os.environ["TEST_DATABASE_URL"]).set(database=POSTGRES_DATABASE).render_as_string(
            hide_password=False)
    return None


def bench_config(url: str, **overrides: Any) -> type[Config]:
    """Return a configuration for the bench database: no rate limits (one client makes all the requests)."""
    return type("BenchConfig", (Config,), {"DATABASE_URL": url, "RATELIMIT_ENABLED": False,
                                            "SECRET_KEY": "bench-secret-not-for-production", **overrides})


def _server(url: str) -> tuple[Any, str]:
    target = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    return create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT"), target.database


def create_postgres_database(url: str) -> None:
    """Create the PostgreSQL database if it does not exist (through the server's `postgres` database)."""
    admin, name = _server(url)
    try:
        with admin.connect() as connection:
            if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()


def drop_database(url: str) -> None:
    """Remove the bench database: the SQLite file, or the PostgreSQL database."""
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///"):])
        for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            leftover.unlink(missing_ok=True)
        return
    admin, name = _server(url)
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def current_sizes() -> Sizes:
    """Count the bench rows in the current app's database."""
    tanks = select(ThinkTank.id).where(ThinkTank.slug.startswith(SLUG_PREFIX))
    ideas = select(Idea.id).where(Idea.thinktank_id.in_(tanks))

    def count(model: Any, *where: Any) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0

    return Sizes(ideas=count(Idea, Idea.thinktank_id.in_(tanks)),
                 supports=count(Support, Support.thinktank_id.in_(tanks)),
                 comments=count(Comment, Comment.idea_id.in_(ideas)),
                 thinktanks=count(ThinkTank, ThinkTank.slug.startswith(SLUG_PREFIX)),
                 members=count(User, User.email.endswith("@" + EMAIL_DOMAIN)),
                 actions=count(ActionItem, ActionItem.thinktank_id.in_(tanks)),
                 measurements=count(Measurement, Measurement.indicator_id.in_(
                     select(Indicator.id).where(Indicator.name.startswith(INDICATOR_PREFIX)))),
                 indicators=count(Indicator, Indicator.name.startswith(INDICATOR_PREFIX)))


def _ours(url: str) -> bool:
    """Tell whether the benchmarks may drop this database: the SQLite file under instance/, or a PostgreSQL
    database named samen_bench… (BENCH_POSTGRES_URL may name another, which is only ever added to)."""
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///"):]) == SQLITE_PATH
    return (make_url(url).database or "").startswith(POSTGRES_DATABASE)


def _app(url: str) -> Flask:
    if url.startswith("postgresql"):
        create_postgres_database(url)
    app = create_app(bench_config(url))
    logging.getLogger().setLevel(logging.WARNING)  # create_app set INFO: keep the benchmark output readable
    with app.app_context():
        migrate.upgrade()
    return app


def prepare(url: str, sizes: Sizes, *, reseed: bool = False) -> Flask:
    """Return an app on the database at url, migrated to head and holding exactly the bench data of `sizes`.

    A database of ours with other sizes is dropped and made again: quicker than deleting 200,000 rows through
    foreign keys (ideas.merged_into_id has no index, so each deleted idea scans the ideas)."""
    logging.getLogger("alembic").setLevel(logging.WARNING)
    app = _app(url)
    with app.app_context():
        have = current_sizes()
        db.session.remove()
    if reseed or astuple(have) != astuple(sizes):
        replace = astuple(have) != astuple(Sizes(0, 0, 0, 0, 0, 0, 0, 0))
        if replace and _ours(url):
            app.extensions["samen_db"]["engine"].dispose()
            drop_database(url)
            app = _app(url)
            replace = False
        print(f"  seeding {url.split('@')[-1]}: {sizes} ...", flush=True)
        with app.app_context():
            print(f"  {seed(sizes, replace=replace)}", flush=True)
            db.session.remove()
    return app
