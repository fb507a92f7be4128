"""`flask db …`: Alembic, driven with the app's engine; migrations are the only way the schema is made."""
from __future__ import annotations

from pathlib import Path

import click
from alembic import command
from alembic.config import Config as AlembicConfig
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
    downgrade(revision)


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
