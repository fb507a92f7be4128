"""tokens and sessions: API tokens expire, administrators suspend accounts, live connections remember the
credential they were opened with

Revision ID: 20261207_1510
Revises: 20261207_1550
Create Date: 2026-12-07 15:10:00
"""
from datetime import UTC, datetime, timedelta

from alembic import op
import sqlalchemy as sa


revision = "20261207_1510"
down_revision = "20261207_1550"
branch_labels = None
depends_on = None

# Tokens made before this revision had no expiry. They get the default lifetime (API_TOKEN_DEFAULT_DAYS, 90 days)
# from when they were made, but at least GRACE from the upgrade, so no integration stops without warning.
DEFAULT_DAYS = 90
GRACE = timedelta(days=30)


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("suspended_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("suspended_reason", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("suspended_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_users_suspended_by_id_users"), "users", ["suspended_by_id"], ["id"],
                                    ondelete="SET NULL")

    op.add_column("api_tokens", sa.Column("expires_at", sa.DateTime(), nullable=True))
    tokens = sa.table("api_tokens", sa.column("id", sa.Integer), sa.column("created_at", sa.DateTime),
                      sa.column("expires_at", sa.DateTime))
    connection = op.get_bind()
    earliest = datetime.now(UTC).replace(tzinfo=None, microsecond=0) + GRACE
    for token_id, created_at in connection.execute(sa.select(tokens.c.id, tokens.c.created_at)).all():
        expires = max((created_at or earliest) + timedelta(days=DEFAULT_DAYS), earliest)
        connection.execute(tokens.update().where(tokens.c.id == token_id).values(expires_at=expires))
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.alter_column("expires_at", existing_type=sa.DateTime(), nullable=False)

    op.create_table(
        "live_sign_ins",
        sa.Column("sid", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("api_token_id", sa.Integer(), nullable=True),
        sa.Column("server", sa.String(length=64), server_default="", nullable=False),
        sa.Column("connected_at", sa.DateTime(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["api_token_id"], ["api_tokens.id"],
                                name=op.f("fk_live_sign_ins_api_token_id_api_tokens"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["user_sessions.id"],
                                name=op.f("fk_live_sign_ins_session_id_user_sessions"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_live_sign_ins_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("sid", name=op.f("pk_live_sign_ins")),
    )
    op.create_index(op.f("ix_live_sign_ins_api_token_id"), "live_sign_ins", ["api_token_id"], unique=False)
    op.create_index(op.f("ix_live_sign_ins_session_id"), "live_sign_ins", ["session_id"], unique=False)
    op.create_index(op.f("ix_live_sign_ins_user_id"), "live_sign_ins", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_live_sign_ins_user_id"), table_name="live_sign_ins")
    op.drop_index(op.f("ix_live_sign_ins_session_id"), table_name="live_sign_ins")
    op.drop_index(op.f("ix_live_sign_ins_api_token_id"), table_name="live_sign_ins")
    op.drop_table("live_sign_ins")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_users_suspended_by_id_users"), type_="foreignkey")
        batch_op.drop_column("suspended_by_id")
        batch_op.drop_column("suspended_reason")
        batch_op.drop_column("suspended_at")
