"""deleted accounts

Revision ID: 20261203_0820
Revises: 20261203_0810
Create Date: 2026-12-03 08:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = "20261203_0820"
down_revision = "20261203_0810"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new table only: nothing existing changes, so no data can be lost on the way up.
    op.create_table(
        "deleted_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("email_hash", sa.String(length=64), nullable=False),
        sa.Column("account_created_at", sa.DateTime(), nullable=False),
        sa.Column("contributions", sa.String(length=10), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("contributions IN ('keep', 'remove')", name=op.f("ck_deleted_accounts_contributions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deleted_accounts")),
    )
    op.create_index(op.f("ix_deleted_accounts_user_id"), "deleted_accounts", ["user_id"])
    op.create_index(op.f("ix_deleted_accounts_email_hash"), "deleted_accounts", ["email_hash"])


def downgrade() -> None:
    # Going down forgets which accounts were deleted: restoring an older backup afterwards could bring them back.
    # `flask db downgrade` refuses before any step while the table has rows (samen.core.migrate.KEPT_RECORDS);
    # this refuses too when Alembic is run some other way.
    rows = op.get_bind().exec_driver_sql("SELECT COUNT(*) FROM deleted_accounts").scalar()
    if rows:
        raise RuntimeError(f"deleted_accounts has {rows} rows, the record of deleted accounts: refusing to drop it "
                           "(see `flask db downgrade`)")
    op.drop_index(op.f("ix_deleted_accounts_email_hash"), table_name="deleted_accounts")
    op.drop_index(op.f("ix_deleted_accounts_user_id"), table_name="deleted_accounts")
    op.drop_table("deleted_accounts")
