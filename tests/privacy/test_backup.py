"""Backups: `flask backup create` / `flask backup restore` on SQLite and PostgreSQL lose nothing, and an account
deleted after the backup stays deleted after the restore.

These tests commit for real, so each gets a database of its own (a SQLite file, or a scratch PostgreSQL database
next to TEST_DATABASE_URL's) and never uses the rolled-back `db` fixture.
"""
from __future__ import annotations

import shutil
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, func, select, update

from samen import create_app
from samen.accounts.models import User
from samen.actions.models import ActionItem
from samen.core import migrate
from samen.core.database import db
from samen.ideas.models import Comment, Idea
from samen.meetings.models import Vote
from samen.privacy import backup as backups
from samen.privacy import operations as ops
from samen.privacy.models import DeletedAccount
from tests.conftest import make_config, scratch_postgres, skip_or_fail
from tests.full_database import build_sqlite, contents, filled_postgres

pytestmark = pytest.mark.integration  # real servers, threads or whole databases: make test-fast leaves it out

KEY = "test-secret-key-not-for-production"  # TestConfig.SECRET_KEY


def _app(url: str, tmp_path: Path) -> Flask:
    return create_app(make_config(url, BACKUP_DIR=str(tmp_path / "backups")))


@pytest.fixture(scope="module")
def filled_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a filled SQLite database to copy: filling one takes a while."""
    return build_sqlite(tmp_path_factory.mktemp("filled") / "filled.db")


@pytest.fixture(scope="module")
def filled_template() -> Iterator[str]:
    """Return the name of a filled PostgreSQL database to copy."""
    with filled_postgres("filled_backup") as name:
        yield name


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def live(request: pytest.FixtureRequest, tmp_path: Path, filled_sqlite: Path) -> Iterator[Flask]:
    """Return an app on a database of its own, filled with the demo plan and a row in every table."""
    if request.param == "sqlite":
        shutil.copy(filled_sqlite, tmp_path / "live.db")
        application = _app(f"sqlite:///{tmp_path / 'live.db'}", tmp_path)
        yield application
        application.extensions["samen_db"]["engine"].dispose()
        return
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        skip_or_fail("pg_dump and pg_restore are not installed (the PostgreSQL client tools)")
    with scratch_postgres("restore", template=request.getfixturevalue("filled_template")) as url:
        application = _app(url, tmp_path)
        try:
            yield application
        finally:
            application.extensions["samen_db"]["engine"].dispose()


def snapshot(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of every table."""
    with app.app_context(), db.engine.connect() as connection:
        return contents(connection)


# Columns stamped with the moment a row last changed: a deletion done again after a restore changes the same rows at
# another moment (a meeting whose freed place went to the waiting list, and the notice to who moved up).
MOMENT_COLUMNS = {"meetings": {"updated_at"}, "meeting_registrations": {"updated_at"}, "notifications": {"created_at"}}


def without_moments(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of every table, without the columns of MOMENT_COLUMNS."""
    from sqlalchemy import inspect
    with app.app_context(), db.engine.connect() as connection:
        columns = {table: [c["name"] for c in inspect(connection).get_columns(table) if c["name"] not in skip]
                   for table, skip in MOMENT_COLUMNS.items()}
        return contents(connection, columns=columns)


def cli(app: Flask, *args: str) -> Any:
    result = app.test_cli_runner().invoke(args=list(args))
    return result


def biggest_contributor(app: Flask) -> tuple[int, str]:
    """Return the id and e-mail address of the demo participant (not the admin) who wrote the most ideas."""
    with app.app_context():
        row = db.session.execute(
            select(User.id, User.email).join(Idea, Idea.author_id == User.id).where(User.is_admin.is_(False))
            .group_by(User.id, User.email).order_by(func.count().desc(), User.id).limit(1)).one()
        db.session.remove()
        return row.id, row.email


def test_a_round_trip_loses_nothing(live: Flask, tmp_path: Path):
    before = snapshot(live)
    path = tmp_path / "backup.bin"
    result = cli(live, "backup", "create", str(path))
    assert result.exit_code == 0, result.output
    assert f"Backup written to {path}" in result.output

    with live.app_context():  # damage: rows gone, text changed, a newcomer
        db.session.execute(delete(Comment))
        db.session.execute(update(Idea).values(title="kapot"))
        db.session.add(User(email="nieuw@example.org", display_name="Nieuw", password_hash="x"))
        db.session.commit()
        db.session.remove()
    assert snapshot(live) != before

    result = cli(live, "backup", "restore", str(path), "--yes", "--no-safety-backup")
    assert result.exit_code == 0, result.output
    assert "No account deleted since the backup was in it." in result.output
    after = snapshot(live)
    assert {t: len(rows) for t, rows in after.items()} == {t: len(rows) for t, rows in before.items()}
    assert after == before


def test_an_account_deleted_after_the_backup_stays_deleted(live: Flask, tmp_path: Path):
    path = tmp_path / "backup.bin"
    assert cli(live, "backup", "create", str(path)).exit_code == 0
    user_id, email = biggest_contributor(live)
    with live.app_context():
        ops.delete_account(db.session.get(User, user_id), keep_contributions=True, hash_key=KEY)
        db.session.commit()
        db.session.remove()
    deleted = without_moments(live)

    result = cli(live, "backup", "restore", str(path), "--yes")
    assert result.exit_code == 0, result.output
    assert f"Deleted again 1 account(s) deleted after the backup was made: {user_id}." in result.output
    # The backup, with the deletion done again: the very same rows, but for the moments the deletion's own side
    # effects are stamped with (a meeting whose place went to the waiting list, and that person's notice).
    assert without_moments(live) == deleted
    with live.app_context():
        assert db.session.get(User, user_id) is None
        assert [r.user_id for r in ops.was_deleted(email, KEY)] == [user_id]
        db.session.remove()


def test_removed_contributions_stay_removed(live: Flask, tmp_path: Path):
    path = tmp_path / "backup.bin"
    assert cli(live, "backup", "create", str(path)).exit_code == 0
    user_id, _email = biggest_contributor(live)
    with live.app_context():
        ops.delete_account(db.session.get(User, user_id), keep_contributions=False, hash_key=KEY)
        db.session.commit()
        db.session.remove()
    deleted = snapshot(live)
    assert cli(live, "backup", "restore", str(path), "--yes", "--no-safety-backup").exit_code == 0
    restored = snapshot(live)
    # Comments left as placeholders get the moment of the second deletion: compare how many rows, and the ideas.
    assert {t: len(rows) for t, rows in restored.items()} == {t: len(rows) for t, rows in deleted.items()}
    assert restored["ideas"] == deleted["ideas"] and restored["users"] == deleted["users"]


def test_a_backup_from_before_the_latest_migration_is_brought_up_to_date(live: Flask, tmp_path: Path):
    user_id, _email = biggest_contributor(live)
    revisions = migrate_revisions()
    previous = revisions[revisions.index(DELETED_ACCOUNTS_REVISION) + 1]
    with live.app_context():
        # Going below it is refused while the record has rows (samen.core.migrate.KEPT_RECORDS): empty it first,
        # and the plan-wide actions (the demo's programme) and guests' votes, which older revisions cannot hold.
        db.session.execute(delete(DeletedAccount))
        db.session.execute(delete(ActionItem).where(ActionItem.thinktank_id.is_(None)))
        db.session.execute(delete(Vote).where(Vote.guest_id.is_not(None)))
        db.session.commit()
        db.session.remove()
        migrate.downgrade(previous)  # the schema before deleted_accounts existed
    path = tmp_path / "old.bin"
    assert cli(live, "backup", "create", str(path)).exit_code == 0
    with live.app_context():
        migrate.upgrade()
        ops.delete_account(db.session.get(User, user_id), keep_contributions=True, hash_key=KEY)
        db.session.commit()
        db.session.remove()

    result = cli(live, "backup", "restore", str(path), "--yes", "--no-safety-backup")
    assert result.exit_code == 0, result.output
    with live.app_context():
        assert db.session.get(User, user_id) is None
        assert db.session.scalar(select(func.count()).select_from(DeletedAccount)) == 1
        db.session.remove()


DELETED_ACCOUNTS_REVISION = "20261203_0820"  # the migration that made the deleted_accounts table


def migrate_revisions() -> list[str]:
    """Return the revisions from head down to the first."""
    from alembic.script import ScriptDirectory

    return [script.revision for script in ScriptDirectory.from_config(migrate.alembic_config()).walk_revisions()]


def test_a_restore_keeps_a_copy_of_what_it_replaces(live: Flask, tmp_path: Path):
    path = tmp_path / "backup.bin"
    assert cli(live, "backup", "create", str(path)).exit_code == 0
    result = cli(live, "backup", "restore", str(path), "--yes")
    assert result.exit_code == 0, result.output
    [safety] = list((tmp_path / "backups").glob("pre-restore-*"))
    assert f"The database as it was is kept in {safety}." in result.output
    for file in (path, safety):
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file  # a backup holds personal data


# --- SQLite only: the rest does not depend on the database ---------------------------------------------------

@pytest.fixture
def sqlite_app(tmp_path: Path, filled_sqlite: Path) -> Iterator[Flask]:
    shutil.copy(filled_sqlite, tmp_path / "live.db")
    application = _app(f"sqlite:///{tmp_path / 'live.db'}", tmp_path)
    yield application
    application.extensions["samen_db"]["engine"].dispose()


def test_a_restore_into_an_empty_database(sqlite_app: Flask, tmp_path: Path):
    path = tmp_path / "backup.sqlite3"
    assert cli(sqlite_app, "backup", "create", str(path)).exit_code == 0
    fresh = create_app(make_config(f"sqlite:///{tmp_path / 'new' / 'fresh.db'}",
                                   BACKUP_DIR=str(tmp_path / "backups")))
    result = cli(fresh, "backup", "restore", str(path), "--yes")
    assert result.exit_code == 0, result.output
    assert "kept in" not in result.output  # there was nothing to keep
    assert snapshot(fresh) == snapshot(sqlite_app)
    fresh.extensions["samen_db"]["engine"].dispose()


def test_without_a_path_the_backup_goes_to_the_backup_directory(sqlite_app: Flask, tmp_path: Path):
    result = cli(sqlite_app, "backup", "create")
    assert result.exit_code == 0, result.output
    [written] = list((tmp_path / "backups").glob("samen-*.sqlite3"))
    assert str(written) in result.output
    assert not list((tmp_path / "backups").glob("*.partial"))


def test_an_existing_file_is_never_overwritten(sqlite_app: Flask, tmp_path: Path):
    path = tmp_path / "taken.sqlite3"
    path.write_text("mine")
    result = cli(sqlite_app, "backup", "create", str(path))
    assert result.exit_code != 0 and "exists already" in result.output
    assert path.read_text() == "mine"


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(sqlite_app: Flask, tmp_path: Path):
    before = snapshot(sqlite_app)
    wrong = tmp_path / "notes.txt"
    wrong.write_text("geen back-up")
    result = cli(sqlite_app, "backup", "restore", str(wrong), "--yes")
    assert result.exit_code != 0 and "is not a SQLite backup" in result.output
    result = cli(sqlite_app, "backup", "restore", str(tmp_path / "missing.sqlite3"), "--yes")
    assert result.exit_code != 0 and "is not a file" in result.output
    assert snapshot(sqlite_app) == before
    assert not (tmp_path / "backups").exists()  # refused before the safety copy


def test_the_restore_asks_first(sqlite_app: Flask, tmp_path: Path):
    path = tmp_path / "backup.sqlite3"
    assert cli(sqlite_app, "backup", "create", str(path)).exit_code == 0
    result = sqlite_app.test_cli_runner().invoke(args=["backup", "restore", str(path)], input="n\n")
    assert result.exit_code != 0 and "Aborted" in result.output


def test_a_postgres_dump_is_refused_for_sqlite_and_the_other_way_round(tmp_path: Path):
    dump = tmp_path / "x.dump"
    dump.write_bytes(backups.PG_MAGIC + b"\x00" * 20)
    with pytest.raises(backups.BackupError, match="not a SQLite backup"):
        backups.check_backup_file(f"sqlite:///{tmp_path / 'a.db'}", dump)
    sqlite_file = tmp_path / "x.sqlite3"
    sqlite_file.write_bytes(backups.SQLITE_MAGIC + b"\x00" * 20)
    with pytest.raises(backups.BackupError, match="not a pg_dump custom-format backup"):
        backups.check_backup_file("postgresql://samen@localhost/samen", sqlite_file)


def test_missing_tools_and_memory_databases_are_explained(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(backups.shutil, "which", lambda _name: None)
    with pytest.raises(backups.BackupError, match="pg_dump is not installed"):
        backups.create_backup("postgresql://samen@localhost/samen", tmp_path / "x.dump")
    with pytest.raises(backups.BackupError, match="in-memory"):
        backups.create_backup("sqlite://", tmp_path / "x.sqlite3")
    with pytest.raises(backups.BackupError, match="not mysql"):
        backups.backend("mysql://samen@localhost/samen")


def test_the_password_stays_out_of_the_command_line():
    dsn, env = backups._postgres("postgresql+psycopg://samen:geheim@db.example:6543/samen?sslmode=require")
    assert dsn == "postgresql://samen@db.example:6543/samen?sslmode=require"
    assert env["PGPASSWORD"] == "geheim"


def _truncated(path: Path) -> Path:
    """Cut the backup file in half, as a full disk or an interrupted copy would."""
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def test_a_truncated_backup_is_refused_before_anything_changes(live: Flask, tmp_path: Path):
    path = tmp_path / "backup.bin"
    assert cli(live, "backup", "create", str(path)).exit_code == 0
    _truncated(path)
    before = snapshot(live)
    result = cli(live, "backup", "restore", str(path), "--yes")
    assert result.exit_code != 0
    assert f"the backup {path} is damaged or incomplete" in result.output
    assert "nothing was changed" in result.output
    assert snapshot(live) == before
    assert not list((tmp_path / "backups").glob("pre-restore-*"))  # refused before the safety copy


def test_a_restore_that_fails_halfway_puts_the_database_back(live: Flask, tmp_path: Path, monkeypatch):
    path = tmp_path / "backup.bin"
    assert cli(live, "backup", "create", str(path)).exit_code == 0
    with live.app_context():  # what happened after the backup, and must survive the failed restore
        db.session.execute(delete(Comment).where(Comment.id == db.session.scalar(select(func.min(Comment.id)))))
        db.session.commit()
        db.session.remove()
    before = snapshot(live)

    def broken_upgrade(*_args: Any) -> None:
        raise RuntimeError("the migration broke")

    monkeypatch.setattr(migrate, "upgrade", broken_upgrade)  # fails after the backup replaced the database
    result = cli(live, "backup", "restore", str(path), "--yes")
    assert result.exit_code != 0, result.output
    # (SQLite: reading the copy back leaves its -wal and -shm files beside it)
    [safety] = [file for file in (tmp_path / "backups").glob("pre-restore-*") if file.suffix in (".sqlite3", ".dump")]
    assert f"restoring {path} failed: the migration broke" in result.output
    assert f"The database was put back as it was, from the safety copy {safety}." in result.output
    assert snapshot(live) == before


def test_a_failed_restore_without_a_safety_copy_says_so(sqlite_app: Flask, tmp_path: Path, monkeypatch):
    path = tmp_path / "backup.sqlite3"
    assert cli(sqlite_app, "backup", "create", str(path)).exit_code == 0

    def broken_upgrade(*_args: Any) -> None:
        raise RuntimeError("the migration broke")

    monkeypatch.setattr(migrate, "upgrade", broken_upgrade)
    result = cli(sqlite_app, "backup", "restore", str(path), "--yes", "--no-safety-backup")
    assert result.exit_code != 0
    assert "there is no safety copy (--no-safety-backup): restore another backup" in result.output
