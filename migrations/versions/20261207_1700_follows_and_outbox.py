"""follows, e-mail followers, follow events and the mail outbox; weekly digests for new accounts

Revision ID: 20261207_1700
Revises: 20261207_1740
Create Date: 2026-12-07 17:00:00

Existing accounts keep the digest they have: 'never' was the default until now, and nobody who did not ask for
e-mail starts getting it (they can choose on /account/following). New accounts get 'weekly'. What people already
took part in is followed: the author and supporters of each idea follow it, active members their think tank.
"""
from alembic import op
import sqlalchemy as sa


revision = "20261207_1700"
down_revision = "20261207_1740"
branch_labels = None
depends_on = None

KINDS = "'plan', 'thinktank', 'idea', 'action'"


def upgrade() -> None:
    op.create_table(
        "email_followers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("locale", sa.String(length=5), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("last_digest_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_followers")),
        sa.UniqueConstraint("email", name=op.f("uq_email_followers_email")),
    )
    op.create_table(
        "follows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("follower_id", sa.Integer(), nullable=True),
        sa.Column("target_kind", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("confirm_hash", sa.String(length=64), nullable=True),
        sa.Column("confirm_expires_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(f"target_kind IN ({KINDS})", name=op.f("ck_follows_target_kind")),
        sa.CheckConstraint("(user_id IS NULL) <> (follower_id IS NULL)", name=op.f("ck_follows_one_follower")),
        sa.ForeignKeyConstraint(["follower_id"], ["email_followers.id"],
                                name=op.f("fk_follows_follower_id_email_followers"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_follows_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follows")),
        sa.UniqueConstraint("follower_id", "target_kind", "target_id",
                            name=op.f("uq_follows_follower_id_target_kind_target_id")),
        sa.UniqueConstraint("user_id", "target_kind", "target_id",
                            name=op.f("uq_follows_user_id_target_kind_target_id")),
    )
    op.create_index("ix_follows_confirm_hash", "follows", ["confirm_hash"])
    op.create_index("ix_follows_target", "follows", ["target_kind", "target_id"])
    op.create_table(
        "follow_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("target_kind", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("thinktank_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("personal_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=300), server_default="", nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("fanned_out_at", sa.DateTime(), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=True),
        sa.Column("told", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_events")),
    )
    op.create_index(op.f("ix_follow_events_created_at"), "follow_events", ["created_at"])
    op.create_index("ix_follow_events_pending", "follow_events", ["fanned_out_at"])
    op.create_table(
        "outbox_mails",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("to", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("unsubscribe_url", sa.String(length=500), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("error", sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_mails")),
    )
    op.create_index("ix_outbox_mails_pending", "outbox_mails", ["sent_at", "next_attempt_at"])
    with op.batch_alter_table("users") as batch:
        batch.alter_column("digest", existing_type=sa.String(length=10), server_default="weekly",
                           existing_nullable=False)
    # What people took part in, they follow: ideas they wrote or support, think tanks they are members of.
    op.execute("INSERT INTO follows (user_id, target_kind, target_id, active, created_at) "
               "SELECT DISTINCT author_id, 'idea', id, true, created_at FROM ideas WHERE author_id IS NOT NULL")
    op.execute("INSERT INTO follows (user_id, target_kind, target_id, active, created_at) "
               "SELECT s.user_id, 'idea', s.idea_id, true, s.created_at FROM supports s "
               "WHERE NOT EXISTS (SELECT 1 FROM follows f WHERE f.user_id = s.user_id "
               "AND f.target_kind = 'idea' AND f.target_id = s.idea_id)")
    op.execute("INSERT INTO follows (user_id, target_kind, target_id, active, created_at) "
               "SELECT user_id, 'thinktank', thinktank_id, true, created_at FROM memberships "
               "WHERE status = 'active'")


def downgrade() -> None:
    # Follows, unsent mails and waiting events are lost; notifications already made stay.
    with op.batch_alter_table("users") as batch:
        batch.alter_column("digest", existing_type=sa.String(length=10), server_default="never",
                           existing_nullable=False)
    op.drop_index("ix_outbox_mails_pending", table_name="outbox_mails")
    op.drop_table("outbox_mails")
    op.drop_index("ix_follow_events_pending", table_name="follow_events")
    op.drop_index(op.f("ix_follow_events_created_at"), table_name="follow_events")
    op.drop_table("follow_events")
    op.drop_index("ix_follows_target", table_name="follows")
    op.drop_index("ix_follows_confirm_hash", table_name="follows")
    op.drop_table("follows")
    op.drop_table("email_followers")
