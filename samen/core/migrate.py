"""`flask db …`: Alembic, driven with the app's engine; migrations are the only way the schema is made."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask.cli import AppGroup

from samen.core.database import db

MIGRATIONS = Path(__file__).resolve().parent.parent.parent / "migrations"
db_cli = AppGroup("db", help="Apply and write database migrations.")


def alembic_config() -> AlembicConfig:
    """Return the Alembic configuration: our folder, date-prefixed file names."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option(
        "file_template", "%%(year)d%%(month).2d%%(day).2d_%%(hour).2d%%(minute).2d_%%(rev)s_%%(slug)s")
    return config


def _run(fn, *args, **kwargs) -> None:
    assert db.engine is not None
    config = alembic_config()
    with db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A batch migration recreates a table on SQLite: it copies the rows, then DROPs the old table. With
            # foreign keys on, that DROP deletes the rows first and their ON DELETE CASCADE empties every table
            # that points at it (memberships, sessions, … of `users`). The pragma only changes outside a
            # transaction, so switch it off before and check the keys at the end, inside the transaction.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        else:  # a migration may rewrite a large table: the site's DATABASE_STATEMENT_TIMEOUT is not for it
            connection.exec_driver_sql("SET statement_timeout = 0")
            connection.commit()
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                if fn is command.downgrade:
                    _refuse_dropping_kept_records(config, connection, *args)
                fn(config, *args, **kwargs)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"the migration left rows whose foreign keys point nowhere: {broken[:5]}")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            else:
                connection.exec_driver_sql("RESET statement_timeout")  # back to the site's, for the pool
            connection.commit()


# Tables whose downgrade would drop a record that must not be lost without anyone noticing: the revision that
# creates the table, and what the record is for. Going below such a revision is refused while the table has rows.
KEPT_RECORDS = {
    "20261203_0820": ("deleted_accounts", "which accounts were deleted, so that restoring an older backup deletes "
                                          "them again (docs/privacy.md)"),
    # Rows of a table that stays, which the older revision cannot hold: (table, purpose, the rows' condition).
    "20261207_1740": ("actions", "plan-wide action items, without a think tank (docs/programme.md)",
                      "thinktank_id IS NULL"),
    "20261208_0010": ("ballot_votes", "votes of guests of live meetings, without an account (docs/live-board.md)",
                      "guest_id IS NOT NULL"),
}


class MigrationRefused(RuntimeError):
    """A downgrade would drop a record that must be kept; the message says which and what to do."""


def _refuse_dropping_kept_records(config: AlembicConfig, connection: Any, revision: str) -> None:
    """Refuse a downgrade that would undo a revision of KEPT_RECORDS while its table has rows."""
    script = ScriptDirectory.from_config(config)
    heads = MigrationContext.configure(connection).get_current_heads()
    target = {item.revision for item in script.get_revisions(revision) if item is not None}
    undone = {item.revision for item in script.iterate_revisions(heads, revision)} - target
    for kept in sorted(undone & set(KEPT_RECORDS)):
        table, purpose, *where = KEPT_RECORDS[kept]
        rows = connection.exec_driver_sql(
            f'SELECT COUNT(*) FROM "{table}"' + (f" WHERE {where[0]}" if where else "")).scalar()
        if rows and where:
            raise MigrationRefused(
                f"Going down to {revision} would lose {rows} rows of {table}: the {purpose}. Nothing was changed. "
                f"Stay at {kept} or above; if you must go lower, make a backup first (flask backup create) and "
                f"delete those rows ({where[0]}) or give them what the older revision needs.")
        if rows:
            raise MigrationRefused(
                f"Going down to {revision} would drop the table {table} ({rows} rows): the record of {purpose}. "
                f"Nothing was changed. Stay at {kept} or above; if you must go lower, make a backup first "
                f"(flask backup create) and empty {table} yourself, knowing that a restore of an older backup "
                f"will then bring those accounts back.")


def upgrade(revision: str = "head") -> None:
    """Upgrade the database to a revision."""
    _run(command.upgrade, revision)


def downgrade(revision: str) -> None:
    """Downgrade the database to a revision."""
    _run(command.downgrade, revision)


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision: str) -> None:
    """Upgrade the database to REVISION (head by default)."""
    upgrade(revision)


@db_cli.command("downgrade")
@click.argument("revision")
def downgrade_command(revision: str) -> None:
    """Downgrade the database to REVISION."""
    try:
        downgrade(revision)
    except MigrationRefused as refused:
        raise click.ClickException(str(refused)) from refused


@db_cli.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--autogenerate/--empty", default=True)
def revision_command(message: str, autogenerate: bool) -> None:
    """Write a new migration (review it before committing)."""
    _run(command.revision, message=message, autogenerate=autogenerate)


@db_cli.command("current")
def current_command() -> None:
    """Show the database's revision."""
    _run(command.current)
