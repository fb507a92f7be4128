"""Backups: SQLite's online backup API, or pg_dump/pg_restore for PostgreSQL; a restore keeps deleted accounts
deleted.

A backup holds personal data: files are written readable by their owner only (0600), and old ones are removed by
`flask retention apply` after RETENTION_BACKUPS_DAYS (see docs/backups.md).
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from samen.core import migrate
from samen.core.database import db
from samen.privacy import operations as ops
from samen.privacy.registry import register, retention_days

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"  # pg_dump's custom format
SUFFIXES = {"sqlite": ".sqlite3", "postgresql": ".dump"}
PREFIXES = ("samen-", "pre-restore-")  # the names this module gives its files: the only ones retention removes


class BackupError(Exception):
    """A backup or restore could not be made; the message says why and what to do."""


def backend(url: str) -> str:
    """Return 'sqlite' or 'postgresql' for a DATABASE_URL."""
    if url.startswith("sqlite"):
        return "sqlite"
    if url.startswith(("postgresql", "postgres:")):
        return "postgresql"
    raise BackupError(f"backups support SQLite and PostgreSQL, not {url.split(':', 1)[0]}")


def sqlite_file(url: str) -> Path:
    """Return the file of a SQLite DATABASE_URL; an in-memory database has none."""
    name = make_url(url).database
    if not name or name == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(name)


def default_path(directory: str | Path, url: str, *, now: datetime, prefix: str = "samen-") -> Path:
    """Return a new file name in the backup directory, e.g. samen-20261203-082000.sqlite3."""
    return Path(directory) / f"{prefix}{now:%Y%m%d-%H%M%S}{SUFFIXES[backend(url)]}"


@contextmanager
def _private_files() -> Iterator[None]:
    """Create files readable by their owner only: a backup holds e-mail addresses and everything people wrote."""
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def _postgres(url: str) -> tuple[str, dict[str, str]]:
    """Return a libpq connection URI without the password, and the environment that carries the password (so it
    never shows in the process list)."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1)).set(drivername="postgresql")
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    return parsed._replace(password=None).render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed: install the PostgreSQL client tools (e.g. apt install "
                          f"postgresql-client) in the version of the server or newer")
    return path


def _run_tool(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {(result.stderr or result.stdout).strip()}")


def create_backup(url: str, path: str | Path) -> Path:
    """Write a consistent copy of the database to `path` (a new file), while the site keeps running."""
    kind = backend(url)
    target = Path(path)
    if target.exists():
        raise BackupError(f"{target} exists already: choose a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with _private_files():
            if kind == "sqlite":
                source_file = sqlite_file(url)
                if not source_file.exists():
                    raise BackupError(f"the database {source_file} does not exist")
                source = sqlite3.connect(f"file:{source_file}?mode=ro", uri=True)
                copy = sqlite3.connect(partial)
                try:
                    source.backup(copy)  # page by page, consistent even while others write
                finally:
                    copy.close()
                    source.close()
            else:
                dsn, env = _postgres(url)
                _run_tool([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                           f"--file={partial}", f"--dbname={dsn}"], env)
        os.replace(partial, target)  # a file under the final name is always complete
    finally:
        partial.unlink(missing_ok=True)
    return target


def check_backup_file(url: str, path: str | Path) -> Path:
    """Return the path if it is a backup that fits this database's kind; otherwise say what is wrong."""
    source = Path(path)
    if not source.is_file():
        raise BackupError(f"{source} is not a file")
    with source.open("rb") as file:
        head = file.read(16)
    kind = backend(url)
    if kind == "sqlite" and not head.startswith(SQLITE_MAGIC):
        raise BackupError(f"{source} is not a SQLite backup (the database is SQLite)")
    if kind == "postgresql" and not head.startswith(PG_MAGIC):
        raise BackupError(f"{source} is not a pg_dump custom-format backup (the database is PostgreSQL)")
    return source


def verify_backup(url: str, path: str | Path) -> Path:
    """Read the whole backup before anything is changed, and say what is wrong with it if it is damaged or
    incomplete: SQLite's integrity check (every page), or pg_restore converting the whole archive to SQL into
    nothing (`pg_restore --list` alone reads only the table of contents at the start, not the data)."""
    source = check_backup_file(url, path)
    if backend(url) == "sqlite":
        try:
            connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            try:
                problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
                has_version = connection.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone()
            finally:
                connection.close()
        except sqlite3.DatabaseError as error:
            problems, has_version = [str(error)], True
        if problems != ["ok"]:
            raise BackupError(f"the backup {source} is damaged or incomplete ({'; '.join(problems[:3])}): "
                              f"nothing was changed")
        if not has_version:
            raise BackupError(f"{source} is not a backup of Samen (it has no alembic_version table): nothing was "
                              f"changed")
        return source
    _dsn, env = _postgres(url)
    result = subprocess.run([_tool("pg_restore"), f"--file={os.devnull}", str(source)], env=env,
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"the backup {source} is damaged or incomplete "
                          f"({(result.stderr or result.stdout).strip()}): nothing was changed")
    return source


def _drop_all_tables() -> None:
    """Empty the PostgreSQL schema, so that tables newer than the backup do not stay behind the restore."""
    with db.engine.begin() as connection:
        for name in inspect(connection).get_table_names():
            connection.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}" CASCADE')


def restore_file(url: str, path: str | Path) -> None:
    """Make the database exactly the backup (nothing else: see restore_database, which verifies it first)."""
    source = check_backup_file(url, path)
    db.session.remove()
    db.engine.dispose()  # no pooled connection may keep the old schema or file open
    if backend(url) == "sqlite":
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        live = sqlite3.connect(sqlite_file(url), timeout=30)
        try:
            backup.backup(live)
        finally:
            live.close()
            backup.close()
    else:
        dsn, env = _postgres(url)
        restore = _tool("pg_restore")
        _drop_all_tables()
        _run_tool([restore, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
                   "--exit-on-error", f"--dbname={dsn}", str(source)], env)
    db.engine.dispose()


@dataclass
class Restored:
    """What a restore did."""

    path: Path
    safety_backup: Path | None
    deletions: list[ops.Deletion] = field(default_factory=list)


def _current_deletions() -> list[dict[str, Any]]:
    try:
        return ops.recorded_deletions()
    except SQLAlchemyError:  # no database yet, or a broken one: there is nothing to carry over
        return []
    finally:
        db.session.remove()


def restore_database(url: str, path: str | Path, *, safety_backup: Path | None) -> Restored:
    """Restore a backup: check all of it, copy the current database to `safety_backup` (unless None), then
    restore, upgrade the schema to the code's migrations, and delete again every account deleted since the backup
    was made. When a step after the first change fails, the safety copy is put back, and the message says so (or,
    when that fails too, how to put it back by hand)."""
    source = verify_backup(url, path)
    if backend(url) == "sqlite" and not sqlite_file(url).exists():
        safety_backup = None  # nothing to keep (and looking for deletions below makes an empty file)
    deletions = _current_deletions()
    if safety_backup is not None:
        create_backup(url, safety_backup)
    try:
        restore_file(url, source)
        migrate.upgrade()  # a backup made before the latest migrations is brought up to date
        done = ops.reapply_deletions([*ops.recorded_deletions(), *deletions])
        db.session.commit()
    except Exception as error:
        db.session.remove()
        raise BackupError(_put_back(url, source, safety_backup, error)) from error
    return Restored(source, safety_backup, done)


def _put_back(url: str, source: Path, safety_backup: Path | None, error: BaseException) -> str:
    """Put the safety copy back after a failed restore; return the message that says what happened."""
    problem = f"restoring {source} failed: {error}"
    if safety_backup is None:
        return (f"{problem}. The database may now be empty or partly restored, and there is no safety copy "
                f"(--no-safety-backup): restore another backup.")
    try:
        restore_file(url, safety_backup)
    except Exception as second:  # noqa: BLE001 - whatever failed, say exactly how to do it by hand
        return (f"{problem}. Putting back the safety copy {safety_backup} failed too ({second}): the database may "
                f"be empty. Put it back with: flask backup restore {safety_backup} --no-safety-backup")
    return f"{problem}. The database was put back as it was, from the safety copy {safety_backup}."


def retain_backups(*, now: datetime, settings: Mapping[str, Any], dry_run: bool) -> dict[str, int]:
    """Remove this site's backup files older than RETENTION_BACKUPS_DAYS from BACKUP_DIR."""
    days = retention_days(settings, "RETENTION_BACKUPS_DAYS")
    directory = Path(settings.get("BACKUP_DIR") or "")
    if days is None or not directory.is_dir():
        return {}
    cutoff = now.replace(tzinfo=UTC).timestamp() - days * 86400  # `now` is UTC without tzinfo, as stored
    old = [file for file in directory.iterdir()
           if file.is_file() and file.name.startswith(PREFIXES) and file.suffix in SUFFIXES.values()
           and file.stat().st_mtime < cutoff]
    if not dry_run:
        for file in old:
            file.unlink()
    return {"backup files": len(old)}


register("backups", retain=retain_backups)
