"""partial indexes for the overview's counts: what waits for approval, ideas without an answer

Revision ID: 20261207_1710
Revises: 20261207_1760
Create Date: 2026-12-07 17:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = "20261207_1710"
down_revision = "20261207_1760"
branch_labels = None
depends_on = None

# As in samen/ideas/models.py (WAITING, UNANSWERED, VISIBLE): the header of every chair's page counts with them.
WAITING = "review = 'waiting'"
UNANSWERED = ("answered_at IS NULL AND status IN ('new', 'discussion') AND "
              "hidden_at IS NULL AND withdrawn_at IS NULL AND review IS NULL")


def upgrade() -> None:
    # Indexes only: no table is rebuilt, no row changes.
    op.create_index("ix_ideas_waiting", "ideas", ["thinktank_id"], sqlite_where=sa.text(WAITING),
                    postgresql_where=sa.text(WAITING))
    op.create_index("ix_ideas_unanswered", "ideas", ["thinktank_id", "created_at"],
                    sqlite_where=sa.text(UNANSWERED), postgresql_where=sa.text(UNANSWERED))
    op.create_index("ix_comments_waiting", "comments", ["idea_id"], sqlite_where=sa.text(WAITING),
                    postgresql_where=sa.text(WAITING))


def downgrade() -> None:
    op.drop_index("ix_comments_waiting", table_name="comments")
    op.drop_index("ix_ideas_unanswered", table_name="ideas")
    op.drop_index("ix_ideas_waiting", table_name="ideas")
