"""Migrations build the schema from nothing, agree with the models, and take it down again."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.environment import EnvironmentContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

import samen.models  # noqa: F401  (every model registers on the metadata)
from samen import create_app
from samen.core import migrate
from samen.core.database import Base, db
from tests.conftest import make_config

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both


@pytest.fixture
def empty_app(tmp_path: Path) -> Any:
    """Create an app on a fresh, empty SQLite file and enter its app context."""
    app = create_app(make_config(f"sqlite:///{tmp_path / 'empty.db'}"))
    with app.app_context():
        yield app
        db.engine.dispose()


def table_names() -> set[str]:
    with db.engine.connect() as connection:
        return set(inspect(connection).get_table_names())


def model_differences() -> list[Any]:
    """Return what autogenerate would put in a new migration: compare_metadata on the MigrationContext that
    migrations/env.py configures, so its options (compare_type, the hand-made objects it leaves out) apply."""
    config = migrate.alembic_config()
    script = ScriptDirectory.from_config(config)
    differences: list[Any] = []

    def compare(_revision: Any, context: Any) -> list[Any]:
        differences.extend(compare_metadata(context, Base.metadata))
        return []

    with db.engine.connect() as connection:
        config.attributes["connection"] = connection
        with EnvironmentContext(config, script, fn=compare):
            script.run_env()
    return differences


def test_upgrade_from_empty_matches_the_models_and_downgrade_removes_everything(empty_app):
    assert table_names() == set()

    migrate.upgrade()
    assert set(Base.metadata.tables) <= table_names()
    differences = model_differences()
    assert differences == [], f"the models and the migrations disagree; write a migration for: {differences}"

    migrate.downgrade("base")
    assert table_names() == {"alembic_version"}


def test_the_comparison_notices_a_missing_migration(empty_app):
    migrate.upgrade()
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DROP INDEX ix_memberships_user_id")
    assert any(diff[0] == "add_index" for diff in model_differences())


def test_upgrade_again_after_downgrade(empty_app):
    migrate.upgrade()
    migrate.upgrade()  # already at head: nothing to do
    migrate.downgrade("base")
    migrate.upgrade()
    assert set(Base.metadata.tables) <= table_names()


def test_going_below_the_record_of_deleted_accounts_is_refused_while_it_has_rows(empty_app):
    migrate.upgrade()
    db.session.execute(text("INSERT INTO deleted_accounts (user_id, email_hash, account_created_at, contributions, "
                            "deleted_at) VALUES (7, 'abc', '2026-01-01', 'keep', '2026-02-01')"))
    db.session.commit()
    db.session.remove()
    with pytest.raises(migrate.MigrationRefused, match=r"deleted_accounts \(1 rows\).*Nothing was changed"):
        migrate.downgrade("20261203_0810")
    result = empty_app.test_cli_runner().invoke(args=["db", "downgrade", "base"])
    assert result.exit_code != 0 and "would drop the table deleted_accounts" in result.output
    assert "deleted_accounts" in table_names()
    migrate.downgrade("20261203_0820")  # down to the revision itself is fine: the table stays
    assert db.session.execute(text("SELECT COUNT(*) FROM deleted_accounts")).scalar() == 1
    db.session.remove()
