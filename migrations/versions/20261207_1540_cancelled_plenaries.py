"""closed content and plenaries: a cancelled meeting keeps its record (meetings.state 'cancelled')

Revision ID: 20261207_1540
Revises: 20261207_1530
Create Date: 2026-12-07 15:40:00
"""
from alembic import op


revision = "20261207_1540"
down_revision = "20261207_1530"
branch_labels = None
depends_on = None

OLD = "state IN ('scheduled', 'live', 'closed')"
NEW = "state IN ('scheduled', 'live', 'closed', 'cancelled')"


def _state_check(condition: str) -> None:
    # SQLite cannot change a CHECK constraint in place: the batch copies the table (flask db runs migrations with
    # foreign keys off, so the rows that point at meetings stay, see docs/migrations.md).
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_meetings_state"), type_="check")
        batch_op.create_check_constraint(op.f("ck_meetings_state"), condition)


def upgrade() -> None:
    _state_check(NEW)


def downgrade() -> None:
    # Before this revision a cancelled meeting was deleted; keeping the row as 'closed' loses no row (and no
    # registration), only the word.
    op.execute("UPDATE meetings SET state = 'closed' WHERE state = 'cancelled'")
    _state_check(OLD)
