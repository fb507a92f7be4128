"""The registration migration treats existing accounts as confirmed and as having agreed to the first terms when
they were made, allows the 'email_confirm' link, and goes back down (SQLite and PostgreSQL)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from samen import create_app
from samen.core import migrate
from samen.core.database import db as _db
from tests.conftest import make_config, scratch_postgres

REVISION = "20261207_1520"


@contextmanager
def _database(kind: str, tmp_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'registration.db'}"
    else:
        with scratch_postgres("registration") as url:
            yield url


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_existing_accounts_are_confirmed_and_agreed_when_they_were_made(tmp_path, kind):
    with _database(kind, tmp_path) as url:
        application = create_app(make_config(url))
        with application.app_context():
            before = ScriptDirectory.from_config(migrate.alembic_config()).get_revision(REVISION).down_revision
            migrate.upgrade(before)
            with _db.engine.begin() as connection:
                connection.execute(text(
                    "INSERT INTO users (id, email, display_name, password_hash, created_at) VALUES "
                    "(1, 'een@example.org', 'Een', 'x', '2026-01-02 03:04:05'), "
                    "(2, 'twee@example.org', 'Twee', 'x', '2026-05-06 07:08:09')"))
            migrate.upgrade(REVISION)
            with _db.engine.begin() as connection:
                rows = connection.execute(text(
                    "SELECT id, email_confirmed_at = created_at, terms_accepted_at = created_at, terms_version, "
                    "under_16 FROM users ORDER BY id")).all()
                assert [tuple(row) for row in rows] == [(1, True, True, "2026-12", False),
                                                        (2, True, True, "2026-12", False)]
                connection.execute(text(
                    "INSERT INTO account_tokens (user_id, purpose, token_hash, created_at, expires_at) VALUES "
                    "(1, 'email_confirm', 'abc', '2026-12-07', '2026-12-09')"))
            with pytest.raises(IntegrityError), _db.engine.begin() as connection:
                connection.execute(text(
                    "INSERT INTO account_tokens (user_id, purpose, token_hash, created_at, expires_at) VALUES "
                    "(1, 'anything', 'def', '2026-12-07', '2026-12-09')"))
            migrate.downgrade(before)
            with _db.engine.connect() as connection:
                assert connection.execute(text("SELECT count(*) FROM users")).scalar() == 2
                assert connection.execute(text("SELECT count(*) FROM account_tokens")).scalar() == 0
            _db.engine.dispose()
