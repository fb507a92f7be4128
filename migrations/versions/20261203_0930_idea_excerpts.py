"""idea excerpts: the start of each idea's body as plain text, stored for the idea list's cards; the visible-
support index holds the id too, so PostgreSQL orders 'rising' from the index alone

Revision ID: 20261203_0930
Revises: 20261203_0910
Create Date: 2026-12-03 09:30:00
"""
from alembic import op
import sqlalchemy as sa

# The excerpt is what the Markdown renderer makes of the body, so this one data migration uses it (a pure
# function of the text) rather than SQL; 200 is EXCERPT_LENGTH in samen/ideas/models.py at this revision.
from samen.core.markdown import markdown_to_text

revision = "20261203_0930"
down_revision = "20261203_0910"
branch_labels = None
depends_on = None

EXCERPT_LENGTH = 200
BATCH = 1000
VISIBLE = sa.text("hidden_at IS NULL AND withdrawn_at IS NULL")
PARTIAL = {"sqlite_where": VISIBLE, "postgresql_where": VISIBLE}


def upgrade() -> None:
    # Not batch mode: on SQLite that would copy `ideas` and drop the full-text search triggers. Adding a column
    # with a default happens in place, and the search triggers fire only on title and body.
    op.add_column("ideas", sa.Column("excerpt", sa.Text(), server_default="", nullable=False))
    ideas = sa.table("ideas", sa.column("id", sa.Integer), sa.column("body", sa.Text),
                     sa.column("excerpt", sa.Text))
    connection = op.get_bind()
    fill = ideas.update().where(ideas.c.id == sa.bindparam("idea_id")).values(excerpt=sa.bindparam("text"))
    last = 0
    while True:
        rows = connection.execute(sa.select(ideas.c.id, ideas.c.body).where(ideas.c.id > last, ideas.c.body != "")
                                  .order_by(ideas.c.id).limit(BATCH)).all()
        if not rows:
            break
        values = [{"idea_id": idea_id, "text": markdown_to_text(body, EXCERPT_LENGTH)} for idea_id, body in rows]
        values = [value for value in values if value["text"]]
        if values:
            connection.execute(fill, values)
        last = rows[-1].id
    # PostgreSQL's index-only scans need every column they return in the index (SQLite's indexes hold the rowid).
    op.drop_index("ix_ideas_visible_support", table_name="ideas")
    op.create_index("ix_ideas_visible_support", "ideas", ["thinktank_id", "support_count", "id"], **PARTIAL)
    _statistics_for_the_new_index()


def downgrade() -> None:
    op.drop_index("ix_ideas_visible_support", table_name="ideas")
    op.create_index("ix_ideas_visible_support", "ideas", ["thinktank_id", "support_count"], **PARTIAL)
    _statistics_for_the_new_index()
    # The excerpts are derived from the bodies, which stay: nothing is lost. Plain DROP COLUMN (SQLite 3.35+).
    op.drop_column("ideas", "excerpt")


def _statistics_for_the_new_index() -> None:
    """On SQLite, where the other indexes have statistics (ANALYZE ran), give the new index its own: without them
    the planner took it for the selective one and sorted a think tank's ideas for 'newest' (2 → 16 ms)."""
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        return  # PostgreSQL keeps statistics per column, and knows an index's size from the catalogue
    if connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
        connection.exec_driver_sql("ANALYZE ix_ideas_visible_support")
