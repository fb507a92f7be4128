"""Migrations keep data: a database with rows in every table (the demo plan and more) goes down one revision at a
time to the first, stepping up and down again at each, and every row of every table that exists on both sides of a
step survives it, column for column.

Loading the demo at an old revision is not possible (the loader writes the head schema), so the data is made at
head and taken down: each downgrade must keep the rows of the tables that remain, and the upgrade from there must
keep them again. That exercises every upgrade step on real data, including the batch migrations that SQLite runs
by copying a table (docs/migrations.md explains what went wrong there once).
"""
from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import inspect, text

from samen import create_app
from samen.core import migrate
from samen.core.database import db
from tests.conftest import make_config, scratch_postgres
from tests.full_database import build_sqlite, filled_postgres, tables

pytestmark = pytest.mark.integration  # real servers, threads or whole databases: make test-fast leaves it out

Rows = dict[str, tuple[list[str], list[dict[str, Any]]]]


def revisions() -> list[str]:
    """Return every revision, head first."""
    return [script.revision for script in ScriptDirectory.from_config(migrate.alembic_config()).walk_revisions()]


EARLIER = revisions()[1:]
# Revisions below the one that creates the record of deleted accounts: going there is refused while it has rows.
BELOW_DELETED_ACCOUNTS = set(revisions()[revisions().index("20261203_0820") + 1:])
# Below the one that lets an action be plan-wide: refused while there are any (the demo has two).
BELOW_PLAN_WIDE_ACTIONS = set(revisions()[revisions().index("20261207_1740") + 1:])
# Below the one that lets guests of a live meeting vote without an account: refused while they have votes.
BELOW_GUEST_VOTES = set(revisions()[revisions().index("20261208_0010") + 1:])


def read(application: Flask) -> Rows:
    """Return each table's columns and rows."""
    with application.app_context(), db.engine.connect() as connection:
        result: Rows = {}
        for table in tables(connection):
            if table == "alembic_version":
                continue
            columns = [column["name"] for column in inspect(connection).get_columns(table)]
            rows = [dict(row._mapping) for row in connection.execute(text(f'SELECT * FROM "{table}"'))]
            result[table] = (columns, rows)
        return result


def projected(rows: list[dict[str, Any]], columns: list[str]) -> list[tuple[Any, ...]]:
    return sorted((tuple(row[name] for name in columns) for row in rows), key=repr)


def assert_same_rows(first: Rows, second: Rows, *, tables: set[str], step: str, more: bool = False) -> None:
    """Each of these tables holds the same rows in both, in the columns both have; with more, the second may hold
    rows besides (an upgrade step that migrates data makes some)."""
    for table in sorted(tables):
        assert table in first and table in second, f"{step}: table {table} is missing"
        (columns, rows), (other_columns, other_rows) = first[table], second[table]
        shared = [name for name in columns if name in other_columns]
        if more:
            missing = Counter(map(repr, projected(rows, shared))) - Counter(map(repr, projected(other_rows, shared)))
            assert not missing, f"{step}: {sum(missing.values())} rows of {table} were lost or changed"
            continue
        assert len(other_rows) == len(rows), f"{step}: {table} had {len(rows)} rows, then {len(other_rows)}"
        assert projected(other_rows, shared) == projected(rows, shared), f"{step}: the rows of {table} changed"


@pytest.fixture(scope="module")
def filled_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a SQLite database at head with rows in every table, to copy."""
    return build_sqlite(tmp_path_factory.mktemp("filled") / "filled.db")


@pytest.fixture(scope="module")
def filled_template() -> Iterator[str]:
    """Return the name of a PostgreSQL database at head with rows in every table, to copy."""
    with filled_postgres("filled_migrations") as name:
        yield name


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def filled(request: pytest.FixtureRequest, tmp_path: Path, filled_sqlite: Path) -> Iterator[Any]:
    """Return a function that gives an app on a fresh database at head with rows in every table."""
    apps: list[Flask] = []

    def copy_of_sqlite() -> Flask:
        path = tmp_path / f"copy{len(apps)}.db"
        shutil.copy(filled_sqlite, path)
        apps.append(create_app(make_config(f"sqlite:///{path}")))
        return apps[-1]

    try:
        if request.param == "sqlite":
            yield copy_of_sqlite
        else:
            template = request.getfixturevalue("filled_template")
            with scratch_postgres("migrations", template=template) as url:

                def copy_of_postgres() -> Flask:
                    apps.append(create_app(make_config(url)))
                    return apps[-1]

                yield copy_of_postgres
                for application in apps:  # before the database is dropped
                    application.extensions["samen_db"]["engine"].dispose()
    finally:
        for application in apps:
            application.extensions["samen_db"]["engine"].dispose()


def test_the_filled_database_has_rows_in_every_table(filled):
    application = filled()
    empty = [table for table, (_columns, rows) in read(application).items() if not rows]
    assert not empty, (f"no rows in {empty}: add some in tests/full_database.py (fill_database), so that the "
                       "migration and backup tests check these tables too")


def _refused_first(application: Flask, revision: str, *, match: str, clear: str) -> None:
    """Going down to revision is refused before any step while the table holds what it would lose; then clear
    it, as an operator who accepts the loss does first."""
    before = read(application)
    with application.app_context(), pytest.raises(migrate.MigrationRefused, match=match):
        migrate.downgrade(revision)
    assert read(application) == before  # refused before any step
    with application.app_context():
        db.session.execute(text(clear))
        db.session.commit()
        db.session.remove()


def test_every_step_down_and_up_again_keeps_every_row(filled):
    """From head to the first revision one step at a time; after each step down, the step up again and down once
    more: each keeps the rows of every table on both sides of it. So every downgrade and every upgrade step runs
    on the data of a filled database, as when going from head to each revision and back, in linear time."""
    application = filled()
    above = read(application)
    for revision, upper in zip(EARLIER, revisions()[:-1], strict=True):  # newest first; upper is one step up
        if revision in BELOW_DELETED_ACCOUNTS and above.get("deleted_accounts", ([], []))[1]:
            _refused_first(application, revision, match="deleted_accounts", clear="DELETE FROM deleted_accounts")
            above = read(application)
        if revision in BELOW_PLAN_WIDE_ACTIONS and any(
                row.get("thinktank_id") is None for row in above.get("actions", ([], []))[1]):
            _refused_first(application, revision, match="plan-wide action items",
                           clear="DELETE FROM actions WHERE thinktank_id IS NULL")
            above = read(application)
        if revision in BELOW_GUEST_VOTES and any(
                row.get("guest_id") is not None for row in above.get("ballot_votes", ([], []))[1]):
            _refused_first(application, revision, match="votes of guests",
                           clear="DELETE FROM ballot_votes WHERE guest_id IS NOT NULL")
            above = read(application)
        with application.app_context():
            migrate.downgrade(revision)
        below = read(application)
        assert set(below) <= set(above)  # fewer tables, or the same with fewer columns
        assert_same_rows(above, below, tables=set(below), step=f"downgrade to {revision}")
        with application.app_context():
            migrate.upgrade(upper)
        again = read(application)
        assert set(again) == set(above)
        assert_same_rows(below, again, tables=set(below), step=f"upgrade from {revision} to {upper}", more=True)
        with application.app_context():
            migrate.downgrade(revision)
        above = read(application)
        assert set(above) == set(below)
        assert_same_rows(below, above, tables=set(below), step=f"downgrade to {revision} again", more=True)


def test_sqlite_migrations_leave_foreign_keys_on(tmp_path):
    application = create_app(make_config(f"sqlite:///{tmp_path / 'keys.db'}"))
    with application.app_context():
        migrate.upgrade()
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    application.extensions["samen_db"]["engine"].dispose()
