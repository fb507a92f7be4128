"""live board counters: the board's version and the votes' sequence number kept on the meeting

Revision ID: 20261203_0910
Revises: 20261203_0820
Create Date: 2026-12-03 09:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = "20261203_0910"
down_revision = "20261203_0820"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN with a server default: no table is recreated (meetings is referenced by many tables).
    op.add_column("meetings", sa.Column("board_version", sa.Integer(), server_default="0", nullable=False))
    op.add_column("meetings", sa.Column("vote_seq", sa.Integer(), server_default="0", nullable=False))
    # Until now both were counted from the command log on every read: start from those counts.
    op.execute("UPDATE meetings SET "
               "board_version = (SELECT count(*) FROM meeting_commands c "
               "WHERE c.meeting_id = meetings.id AND c.kind <> 'ballot:vote'), "
               "vote_seq = (SELECT count(*) FROM meeting_commands c "
               "WHERE c.meeting_id = meetings.id AND c.kind = 'ballot:vote')")


def downgrade() -> None:
    # Nothing is lost: the command log still holds what the counters counted. A plain DROP COLUMN (SQLite 3.35+),
    # not a batch that would recreate meetings and, with foreign keys on, cascade into its children.
    op.drop_column("meetings", "vote_seq")
    op.drop_column("meetings", "board_version")
