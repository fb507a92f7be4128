"""who takes part: participant groups (a list administrators keep), the groups people say they belong to, and
invitations by e-mail; progress from milestones follows its one rule (100 % only once an action is done)

Revision ID: 20261207_1750
Revises: 20261207_1770
Create Date: 2026-12-07 17:50:00
"""
from datetime import datetime, UTC

from alembic import op
import sqlalchemy as sa


revision = "20261207_1750"
down_revision = "20261207_1770"
branch_labels = None
depends_on = None

DEFAULT_GROUPS = (
    ("young_person", "Jongere", "Young person"),
    ("parent", "Ouder of verzorger", "Parent or carer"),
    ("expert_by_experience", "Ervaringsdeskundige", "Expert by experience"),
    ("professional", "Professional", "Professional"),
    ("resident", "Bewoner", "Resident"),
    ("entrepreneur", "Ondernemer", "Entrepreneur"),
)


def upgrade() -> None:
    groups = op.create_table('participant_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('name_nl', sa.String(length=80), nullable=False),
    sa.Column('name_en', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participant_groups')),
    sa.UniqueConstraint('key', name=op.f('uq_participant_groups_key'))
    )
    op.create_table('user_participant_groups',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['participant_groups.id'], name=op.f('fk_user_participant_groups_group_id_participant_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_participant_groups_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'group_id', name=op.f('pk_user_participant_groups'))
    )
    with op.batch_alter_table('user_participant_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_participant_groups_group_id'), ['group_id'], unique=False)

    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=80), server_default='', nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('thinktank_id', sa.Integer(), nullable=True),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'], name=op.f('fk_invitations_accepted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_invitations_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_invitations_organisation_id_organisations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thinktank_id'], ['thinktanks.id'], name=op.f('fk_invitations_thinktank_id_thinktanks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitations_token_hash'))
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_accepted_by_id'), ['accepted_by_id'], unique=False)
        batch_op.create_index('ix_invitations_email_thinktank', ['email', 'thinktank_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitations_invited_by_id'), ['invited_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitations_thinktank_id'), ['thinktank_id'], unique=False)

    now = datetime.now(UTC).replace(tzinfo=None)
    op.bulk_insert(groups, [{"key": key, "name_nl": dutch, "name_en": english, "position": n, "created_at": now}
                            for n, (key, dutch, english) in enumerate(DEFAULT_GROUPS, 1)])

    # Progress from milestones has one rule now (samen/actions/operations.py, milestone_progress): 100 % only once
    # the action is done. Actions that show 100 % without being done (one milestone ticked of a planned action)
    # show 99 %; those done show 100 %.
    has_milestones = sa.text("EXISTS (SELECT 1 FROM milestones WHERE milestones.action_id = actions.id)")
    op.execute(sa.text(f"UPDATE actions SET progress = 99 WHERE progress >= 100 AND status <> 'done' "
                       f"AND {has_milestones.text}"))
    op.execute(sa.text(f"UPDATE actions SET progress = 100 WHERE status = 'done' AND progress <> 100 "
                       f"AND {has_milestones.text}"))


def downgrade() -> None:
    # The progress rule's data change is not undone: 99 % and 100 % are values the old rule could give too.
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_thinktank_id'))
        batch_op.drop_index(batch_op.f('ix_invitations_invited_by_id'))
        batch_op.drop_index('ix_invitations_email_thinktank')
        batch_op.drop_index(batch_op.f('ix_invitations_accepted_by_id'))

    op.drop_table('invitations')
    with op.batch_alter_table('user_participant_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_participant_groups_group_id'))

    op.drop_table('user_participant_groups')
    op.drop_table('participant_groups')
