"""the programme: plan-wide actions and indicators (of the plan or a line), and the plan's inbox of ideas from
plenary meetings

Revision ID: 20261207_1740
Revises: 20261207_1730
Create Date: 2026-12-07 17:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = "20261207_1740"
down_revision = "20261207_1730"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing actions keep their think tank; the column only becomes nullable (plan-wide actions have none).
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.alter_column('thinktank_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('line_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_actions_line_id'), ['line_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_actions_line_id_lines'), 'lines', ['line_id'], ['id'],
                                    ondelete='SET NULL')

    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('line_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_indicators_line_id'), ['line_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_indicators_line_id_lines'), 'lines', ['line_id'], ['id'],
                                    ondelete='SET NULL')

    op.create_table('inbox_ideas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('thinktank_id', sa.Integer(), nullable=True),
    sa.Column('idea_id', sa.Integer(), nullable=True),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_inbox_ideas_assigned_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_inbox_ideas_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_inbox_ideas_idea_id_ideas'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_inbox_ideas_meeting_id_meetings'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thinktank_id'], ['thinktanks.id'], name=op.f('fk_inbox_ideas_thinktank_id_thinktanks'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbox_ideas'))
    )
    with op.batch_alter_table('inbox_ideas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbox_ideas_assigned_at'), ['assigned_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbox_ideas_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbox_ideas_meeting_id'), ['meeting_id'], unique=False)


def downgrade() -> None:
    # The inbox goes with what waits in it. Before this revision every action has a think tank: while plan-wide
    # actions exist, `flask db downgrade` refuses before any step (samen.core.migrate.KEPT_RECORDS), and this
    # refuses too when Alembic is run some other way.
    rows = op.get_bind().exec_driver_sql("SELECT COUNT(*) FROM actions WHERE thinktank_id IS NULL").scalar()
    if rows:
        raise RuntimeError(f"{rows} plan-wide actions have no think tank, which the older revision requires: "
                           "refusing to go down (see `flask db downgrade`)")
    with op.batch_alter_table('inbox_ideas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbox_ideas_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_inbox_ideas_author_id'))
        batch_op.drop_index(batch_op.f('ix_inbox_ideas_assigned_at'))
    op.drop_table('inbox_ideas')

    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_indicators_line_id_lines'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_indicators_line_id'))
        batch_op.drop_column('line_id')

    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_actions_line_id_lines'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_actions_line_id'))
        batch_op.drop_column('line_id')
        batch_op.alter_column('thinktank_id', existing_type=sa.Integer(), nullable=False)
