"""anonymity and pre-moderation: anonymous comments; a think tank's pre-moderation setting; the review state
(waiting for a chair's approval, or refused with a reason) of ideas and comments, which the idea list's partial
indexes leave out

Revision ID: 20261207_1530
Revises: 20261207_1520
Create Date: 2026-12-07 15:30:00
"""
from alembic import op
import sqlalchemy as sa

revision = "20261207_1530"
down_revision = "20261207_1520"
branch_labels = None
depends_on = None

OLD_VISIBLE = sa.text("hidden_at IS NULL AND withdrawn_at IS NULL")
NEW_VISIBLE = sa.text("hidden_at IS NULL AND withdrawn_at IS NULL AND review IS NULL")
# The partial indexes of the idea list, with their columns (20261203_0930 gave the support index the id).
PARTIAL_INDEXES = {
    "ix_ideas_visible_support": ["thinktank_id", "support_count", "id"],
    "ix_ideas_visible_created": ["thinktank_id", "created_at"],
    "ix_ideas_visible_comments": ["thinktank_id", "comment_count"],
}


def upgrade() -> None:
    # Not batch mode: on SQLite that would copy `ideas` and drop the full-text search triggers. Nullable columns
    # and columns with a server default are added in place.
    op.add_column("thinktanks", sa.Column("premoderation", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column("comments", sa.Column("anonymous", sa.Boolean(), server_default=sa.false(), nullable=False))
    for table in ("ideas", "comments"):
        op.add_column(table, sa.Column("review", sa.String(length=10), nullable=True))
        op.add_column(table, sa.Column("review_reason", sa.String(length=500), nullable=True))
    _partial_indexes(NEW_VISIBLE)


def downgrade() -> None:
    # Content still waiting or refused would become public with the column gone: remove it first (privacy wins).
    op.execute("DELETE FROM comments WHERE review IS NOT NULL")
    op.execute("DELETE FROM ideas WHERE review IS NOT NULL")
    _partial_indexes(OLD_VISIBLE)
    for table in ("comments", "ideas"):
        op.drop_column(table, "review_reason")
        op.drop_column(table, "review")
    op.drop_column("comments", "anonymous")
    op.drop_column("thinktanks", "premoderation")


def _partial_indexes(where: sa.TextClause) -> None:
    for name, columns in PARTIAL_INDEXES.items():
        op.drop_index(name, table_name="ideas")
        op.create_index(name, "ideas", columns, sqlite_where=where, postgresql_where=where)
    connection = op.get_bind()
    if connection.dialect.name == "sqlite" and connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
        for name in PARTIAL_INDEXES:  # as 20261203_0930: new indexes need statistics beside the old ones
            connection.exec_driver_sql(f"ANALYZE {name}")
