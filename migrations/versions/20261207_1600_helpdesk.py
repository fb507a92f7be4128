"""the confidential help desk: the intake team, help requests (encrypted columns), their messages, the
content-free counts, and indicators fed by the help desk

Revision ID: 20261207_1600
Revises: 20261207_1540
Create Date: 2026-12-07 16:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = "20261207_1600"
down_revision = "20261207_1540"
branch_labels = None
depends_on = None

ABOUT = "about IN ('myself', 'my_child', 'someone_close', 'situation')"


def upgrade() -> None:
    # New tables and one nullable column: nothing existing changes.
    op.create_table(
        "help_team_members",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_help_team_members_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_help_team_members")),
    )
    op.create_table(
        "help_request_stats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("about", sa.String(length=20), nullable=False),
        sa.Column("urgent", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("first_response_hours", sa.Integer(), nullable=True),
        sa.Column("referral_entry_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(ABOUT, name=op.f("ck_help_request_stats_about")),
        sa.ForeignKeyConstraint(["referral_entry_id"], ["help_entries.id"],
                                name=op.f("fk_help_request_stats_referral_entry_id_help_entries"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_request_stats")),
    )
    op.create_index(op.f("ix_help_request_stats_month"), "help_request_stats", ["month"])
    op.create_table(
        "help_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receipt_hash", sa.String(length=64), nullable=False),
        sa.Column("about", sa.String(length=20), nullable=False),
        sa.Column("urgent", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("contact_method", sa.String(length=10), server_default="none", nullable=False),
        sa.Column("contact", sa.Text(), nullable=True),
        sa.Column("mail_replies", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("status", sa.String(length=20), server_default="new", nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("referral_entry_id", sa.Integer(), nullable=True),
        sa.Column("referral_note", sa.Text(), nullable=True),
        sa.Column("stat_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("first_response_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(ABOUT, name=op.f("ck_help_requests_about")),
        sa.CheckConstraint("contact_method IN ('none', 'phone', 'email')", name=op.f("ck_help_requests_contact_method")),
        sa.CheckConstraint("status IN ('new', 'in_progress', 'referred', 'closed')", name=op.f("ck_help_requests_status")),
        sa.CheckConstraint("outcome IS NULL OR outcome IN ('helped', 'referred', 'no_contact', 'not_needed', 'other')",
                           name=op.f("ck_help_requests_outcome")),
        sa.ForeignKeyConstraint(["referral_entry_id"], ["help_entries.id"],
                                name=op.f("fk_help_requests_referral_entry_id_help_entries"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["assignee_id"], ["users.id"], name=op.f("fk_help_requests_assignee_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["stat_id"], ["help_request_stats.id"],
                                name=op.f("fk_help_requests_stat_id_help_request_stats"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_requests")),
        sa.UniqueConstraint("receipt_hash", name=op.f("uq_help_requests_receipt_hash")),
    )
    op.create_index(op.f("ix_help_requests_status"), "help_requests", ["status"])
    op.create_index(op.f("ix_help_requests_assignee_id"), "help_requests", ["assignee_id"])
    op.create_index(op.f("ix_help_requests_created_at"), "help_requests", ["created_at"])
    op.create_index(op.f("ix_help_requests_closed_at"), "help_requests", ["closed_at"])
    op.create_table(
        "help_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('sender', 'reply', 'note')", name=op.f("ck_help_messages_kind")),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_help_messages_author_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["request_id"], ["help_requests.id"],
                                name=op.f("fk_help_messages_request_id_help_requests"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_messages")),
    )
    op.create_index(op.f("ix_help_messages_request_id"), "help_messages", ["request_id"])
    # A plain ADD COLUMN (nullable, no default): in place on SQLite and PostgreSQL.
    op.add_column("indicators", sa.Column("help_feed", sa.String(length=20), nullable=True))
    op.add_column("measurements", sa.Column("suppressed", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    # Going down deletes every help request and its messages: they cannot exist without these tables.
    op.drop_column("measurements", "suppressed")
    op.drop_column("indicators", "help_feed")
    op.drop_index(op.f("ix_help_messages_request_id"), table_name="help_messages")
    op.drop_table("help_messages")
    for name in ("closed_at", "created_at", "assignee_id", "status"):
        op.drop_index(op.f(f"ix_help_requests_{name}"), table_name="help_requests")
    op.drop_table("help_requests")
    op.drop_index(op.f("ix_help_request_stats_month"), table_name="help_request_stats")
    op.drop_table("help_request_stats")
    op.drop_table("help_team_members")
