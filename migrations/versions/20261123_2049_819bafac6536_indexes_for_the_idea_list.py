"""indexes for the idea list

Revision ID: 819bafac6536
Revises: 8e13e15a93a6
Create Date: 2026-11-23 20:49:49.377030
"""
from alembic import op
import sqlalchemy as sa


revision = '819bafac6536'
down_revision = '8e13e15a93a6'
branch_labels = None
depends_on = None


VISIBLE = sa.text("hidden_at IS NULL AND withdrawn_at IS NULL")
PARTIAL = {"sqlite_where": VISIBLE, "postgresql_where": VISIBLE}
# Plain CREATE INDEX, not a batch operation: a batch that recreated `ideas` on SQLite would drop its FTS triggers.


def upgrade() -> None:
    op.create_index("ix_ideas_merged_into_id", "ideas", ["merged_into_id"])
    op.create_index("ix_ideas_visible_comments", "ideas", ["thinktank_id", "comment_count"], **PARTIAL)
    op.create_index("ix_ideas_visible_created", "ideas", ["thinktank_id", "created_at"], **PARTIAL)
    op.create_index("ix_ideas_visible_support", "ideas", ["thinktank_id", "support_count"], **PARTIAL)
    op.create_index("ix_supports_thinktank_created", "supports", ["thinktank_id", "created_at", "idea_id"])


def downgrade() -> None:
    op.drop_index("ix_supports_thinktank_created", table_name="supports")
    for name in ("ix_ideas_visible_support", "ix_ideas_visible_created", "ix_ideas_visible_comments",
                 "ix_ideas_merged_into_id"):
        op.drop_index(name, table_name="ideas")
