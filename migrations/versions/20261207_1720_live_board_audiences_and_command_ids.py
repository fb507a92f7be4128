"""live board: each connection's audience (which rendered regions it gets), client ids of commands

Revision ID: 20261207_1720
Revises: 20261207_1700
Create Date: 2026-12-07 17:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = "20261207_1720"
down_revision = "20261207_1700"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable columns only: existing rows (API connections, commands sent without an id) stay as they are.
    with op.batch_alter_table("live_connections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("audience", sa.String(length=80), nullable=True))
    with op.batch_alter_table("meeting_commands", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("answer", sa.JSON(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_meeting_commands_meeting_id_user_id_client_id"),
                                          ["meeting_id", "user_id", "client_id"])


def downgrade() -> None:
    # The ids only answer a repeated command again; the connections' audiences are set again on their next join.
    with op.batch_alter_table("meeting_commands", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_meeting_commands_meeting_id_user_id_client_id"), type_="unique")
        batch_op.drop_column("answer")
        batch_op.drop_column("client_id")
    with op.batch_alter_table("live_connections", schema=None) as batch_op:
        batch_op.drop_column("audience")
