"""partners: notes of people whose organisation is not in the register

Revision ID: 20261208_0020
Revises: 20261208_0010
Create Date: 2026-12-08 00:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = "20261208_0020"
down_revision = "20261208_0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unlisted_organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["closed_by_id"], ["users.id"],
                                name=op.f("fk_unlisted_organisations_closed_by_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_unlisted_organisations_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unlisted_organisations")),
    )
    with op.batch_alter_table("unlisted_organisations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unlisted_organisations_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    # Notes for the administrators only: the accounts and the register keep everything else.
    with op.batch_alter_table("unlisted_organisations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unlisted_organisations_user_id"))
    op.drop_table("unlisted_organisations")
