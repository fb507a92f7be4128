"""the yearly evaluation: evaluations of a period, their conclusions and decisions, the partner pulse

Revision ID: 20261207_1770
Revises: 20261207_1630
Create Date: 2026-12-07 17:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = "20261207_1770"
down_revision = "20261207_1630"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # New tables only; the pulse's free texts are Fernet tokens (samen/helpdesk/crypto.EncryptedText), so Text.
    op.create_table('evaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), server_default='draft', nullable=False),
    sa.Column('figures', sa.JSON(), nullable=True),
    sa.Column('pulse_indicator_id', sa.Integer(), nullable=True),
    sa.Column('pulse_sent_at', sa.DateTime(), nullable=True),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status <> 'published' OR figures IS NOT NULL", name=op.f('ck_evaluations_figures')),
    sa.CheckConstraint("status IN ('draft', 'published')", name=op.f('ck_evaluations_status')),
    sa.CheckConstraint('end_date >= start_date', name=op.f('ck_evaluations_dates')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_evaluations_opened_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_evaluations_published_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pulse_indicator_id'], ['indicators.id'], name=op.f('fk_evaluations_pulse_indicator_id_indicators'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluations')),
    sa.UniqueConstraint('period', name=op.f('uq_evaluations_period'))
    )
    op.create_table('evaluation_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('subject_type', sa.String(length=10), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=True),
    sa.Column('text', sa.Text(), server_default='', nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("(kind = 'conclusion' AND subject_type <> 'action' AND decision IS NULL) OR (kind = 'decision' AND subject_type <> 'line' AND decision IN ('scale_up', 'continue', 'scale_down', 'stop'))", name=op.f('ck_evaluation_notes_decision')),
    sa.CheckConstraint("kind IN ('conclusion', 'decision')", name=op.f('ck_evaluation_notes_kind')),
    sa.CheckConstraint("subject_type IN ('line', 'thinktank', 'action')", name=op.f('ck_evaluation_notes_subject_type')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_evaluation_notes_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluations.id'], name=op.f('fk_evaluation_notes_evaluation_id_evaluations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_notes')),
    sa.UniqueConstraint('evaluation_id', 'kind', 'subject_type', 'subject_id', name=op.f('uq_evaluation_notes_evaluation_id_kind_subject_type_subject_id'))
    )
    op.create_table('pulse_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('reminded_at', sa.DateTime(), nullable=True),
    sa.Column('reminders', sa.Integer(), server_default='0', nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('works', sa.Text(), nullable=True),
    sa.Column('does_not_work', sa.Text(), nullable=True),
    sa.Column('obstacles', sa.Text(), nullable=True),
    sa.CheckConstraint('score IS NULL OR (score >= 1 AND score <= 10)', name=op.f('ck_pulse_invitations_score')),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluations.id'], name=op.f('fk_pulse_invitations_evaluation_id_evaluations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_pulse_invitations_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pulse_invitations_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pulse_invitations')),
    sa.UniqueConstraint('evaluation_id', 'organisation_id', 'user_id', name=op.f('uq_pulse_invitations_evaluation_id_organisation_id_user_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_pulse_invitations_token_hash'))
    )
    with op.batch_alter_table('pulse_invitations', schema=None) as batch_op:
        batch_op.create_index('ix_pulse_invitations_evaluation_answered', ['evaluation_id', 'answered_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_pulse_invitations_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pulse_invitations_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('pulse_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pulse_invitations_user_id'))
        batch_op.drop_index(batch_op.f('ix_pulse_invitations_organisation_id'))
        batch_op.drop_index('ix_pulse_invitations_evaluation_answered')

    op.drop_table('pulse_invitations')
    op.drop_table('evaluation_notes')
    op.drop_table('evaluations')
