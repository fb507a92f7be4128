"""live decisions keep their ideas: the agenda item's and the ballots' ideas a decision was about

Revision ID: 20261208_0040
Revises: 20261208_0020
Create Date: 2026-12-08 00:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = "20261208_0040"
down_revision = "20261208_0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "decision_ideas",
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["decision_id"], ["meeting_decisions.id"],
                                name=op.f("fk_decision_ideas_decision_id_meeting_decisions"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["idea_id"], ["ideas.id"], name=op.f("fk_decision_ideas_idea_id_ideas"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("decision_id", "idea_id", name=op.f("pk_decision_ideas")),
    )
    op.create_index(op.f("ix_decision_ideas_idea_id"), "decision_ideas", ["idea_id"], unique=False)
    # Decisions recorded before: the ideas of the action item they created, and of their agenda item.
    op.execute("""INSERT INTO decision_ideas (decision_id, idea_id)
                  SELECT d.id, ai.idea_id FROM meeting_decisions d JOIN action_ideas ai ON ai.action_id = d.action_id
                  UNION
                  SELECT d.id, ii.idea_id FROM meeting_decisions d
                  JOIN agenda_item_ideas ii ON ii.agenda_item_id = d.agenda_item_id""")


def downgrade() -> None:
    # The links only; a decision's action item keeps its own ideas (action_ideas).
    op.drop_index(op.f("ix_decision_ideas_idea_id"), table_name="decision_ideas")
    op.drop_table("decision_ideas")
