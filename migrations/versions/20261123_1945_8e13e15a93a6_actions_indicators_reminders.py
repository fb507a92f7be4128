"""actions, indicators, reminders

Revision ID: 8e13e15a93a6
Revises: 90c8ba1a6a06
Create Date: 2026-11-23 19:45:38.926138
"""
from alembic import op
import sqlalchemy as sa


revision = '8e13e15a93a6'
down_revision = '90c8ba1a6a06'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thinktank_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('organisation', sa.String(length=120), server_default='', nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), server_default='planned', nullable=False),
    sa.Column('stop_reason', sa.String(length=1000), nullable=True),
    sa.Column('progress', sa.Integer(), server_default='0', nullable=False),
    sa.Column('public', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('decision', sa.Text(), server_default='', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status <> 'stopped' OR stop_reason IS NOT NULL", name=op.f('ck_actions_stop_reason')),
    sa.CheckConstraint("status IN ('planned', 'in_progress', 'done', 'delayed', 'stopped')", name=op.f('ck_actions_status')),
    sa.CheckConstraint('due_date IS NULL OR start_date IS NULL OR due_date >= start_date', name=op.f('ck_actions_dates')),
    sa.CheckConstraint('progress >= 0 AND progress <= 100', name=op.f('ck_actions_progress')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_actions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_actions_owner_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thinktank_id'], ['thinktanks.id'], name=op.f('fk_actions_thinktank_id_thinktanks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actions'))
    )
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.create_index('ix_actions_due_date', ['due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_actions_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_actions_thinktank_status', ['thinktank_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_actions_updated_at'), ['updated_at'], unique=False)

    op.create_table('indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thinktank_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('unit', sa.String(length=60), server_default='', nullable=False),
    sa.Column('direction', sa.String(length=4), server_default='up', nullable=False),
    sa.Column('baseline_value', sa.Float(), nullable=True),
    sa.Column('baseline_date', sa.Date(), nullable=True),
    sa.Column('target_value', sa.Float(), nullable=True),
    sa.Column('target_date', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=300), server_default='', nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("direction IN ('up', 'down')", name=op.f('ck_indicators_direction')),
    sa.ForeignKeyConstraint(['thinktank_id'], ['thinktanks.id'], name=op.f('fk_indicators_thinktank_id_thinktanks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators'))
    )
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicators_thinktank_id'), ['thinktank_id'], unique=False)

    op.create_table('action_ideas',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_action_ideas_action_id_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_action_ideas_idea_id_ideas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('action_id', 'idea_id', name=op.f('pk_action_ideas'))
    )
    with op.batch_alter_table('action_ideas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_ideas_idea_id'), ['idea_id'], unique=False)

    op.create_table('action_indicators',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_action_indicators_action_id_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_action_indicators_indicator_id_indicators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('action_id', 'indicator_id', name=op.f('pk_action_indicators'))
    )
    with op.batch_alter_table('action_indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_indicators_indicator_id'), ['indicator_id'], unique=False)

    op.create_table('measurements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('note', sa.String(length=500), server_default='', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_measurements_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_measurements_indicator_id_indicators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measurements'))
    )
    with op.batch_alter_table('measurements', schema=None) as batch_op:
        batch_op.create_index('ix_measurements_indicator_date', ['indicator_id', 'date'], unique=False)

    op.create_table('milestones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_milestones_action_id_actions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestones'))
    )
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestones_action_id'), ['action_id'], unique=False)

    op.create_table('progress_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_progress_updates_action_id_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_progress_updates_author_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_updates'))
    )
    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.create_index('ix_progress_updates_action_created', ['action_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_progress_updates_created_at'), ['created_at'], unique=False)

    op.create_table('reminders_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('due7', 'due1', 'overdue')", name=op.f('ck_reminders_sent_kind')),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_reminders_sent_action_id_actions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders_sent')),
    sa.UniqueConstraint('action_id', 'kind', 'due_date', name=op.f('uq_reminders_sent_action_id_kind_due_date'))
    )


def downgrade() -> None:
    op.drop_table('reminders_sent')
    with op.batch_alter_table('progress_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_updates_created_at'))
        batch_op.drop_index('ix_progress_updates_action_created')

    op.drop_table('progress_updates')
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_milestones_action_id'))

    op.drop_table('milestones')
    with op.batch_alter_table('measurements', schema=None) as batch_op:
        batch_op.drop_index('ix_measurements_indicator_date')

    op.drop_table('measurements')
    with op.batch_alter_table('action_indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_indicators_indicator_id'))

    op.drop_table('action_indicators')
    with op.batch_alter_table('action_ideas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_ideas_idea_id'))

    op.drop_table('action_ideas')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicators_thinktank_id'))

    op.drop_table('indicators')
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actions_updated_at'))
        batch_op.drop_index('ix_actions_thinktank_status')
        batch_op.drop_index(batch_op.f('ix_actions_owner_id'))
        batch_op.drop_index('ix_actions_due_date')

    op.drop_table('actions')
