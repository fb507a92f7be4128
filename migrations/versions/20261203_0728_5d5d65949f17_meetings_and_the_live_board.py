"""Meetings, agenda, registrations and the live board (rounds, ballots, votes, decisions, hands, presence, commands)

Revision ID: 5d5d65949f17
Revises: 819bafac6536
Create Date: 2026-12-03 07:28:39.068985
"""
import sqlalchemy as sa
from alembic import op


revision = '5d5d65949f17'
down_revision = '819bafac6536'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thinktank_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('location', sa.String(length=300), server_default='', nullable=False),
    sa.Column('online_url', sa.String(length=500), server_default='', nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('public', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('state', sa.String(length=10), server_default='scheduled', nullable=False),
    sa.Column('current_position', sa.Integer(), nullable=True),
    sa.Column('results_visible', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('timer_duration', sa.Integer(), nullable=True),
    sa.Column('timer_remaining', sa.Integer(), nullable=True),
    sa.Column('timer_started_at', sa.DateTime(), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('minutes', sa.Text(), nullable=True),
    sa.Column('minutes_published_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("state IN ('scheduled', 'live', 'closed')", name=op.f('ck_meetings_state')),
    sa.CheckConstraint('capacity IS NULL OR capacity > 0', name=op.f('ck_meetings_capacity')),
    sa.CheckConstraint('ends_at >= starts_at', name=op.f('ck_meetings_dates')),
    sa.CheckConstraint('timer_duration IS NULL OR timer_duration > 0', name=op.f('ck_meetings_timer_duration')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_meetings_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thinktank_id'], ['thinktanks.id'], name=op.f('fk_meetings_thinktank_id_thinktanks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings'))
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index('ix_meetings_starts_at', ['starts_at'], unique=False)
        batch_op.create_index('ix_meetings_thinktank_starts_at', ['thinktank_id', 'starts_at'], unique=False)

    op.create_table('agenda_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('planned_minutes', sa.Integer(), server_default='0', nullable=False),
    sa.CheckConstraint('planned_minutes >= 0', name=op.f('ck_agenda_items_planned_minutes')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_agenda_items_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_items'))
    )
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.create_index('ix_agenda_items_meeting_position', ['meeting_id', 'position'], unique=False)

    op.create_table('live_connections',
    sa.Column('sid', sa.String(length=64), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('server', sa.String(length=64), server_default='', nullable=False),
    sa.Column('connected_at', sa.DateTime(), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_live_connections_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_live_connections_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('sid', name=op.f('pk_live_connections'))
    )
    with op.batch_alter_table('live_connections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_connections_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_live_connections_user_id'), ['user_id'], unique=False)

    op.create_table('meeting_attendance',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('first_seen_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_attendance_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_meeting_attendance_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'user_id', name=op.f('pk_meeting_attendance'))
    )
    with op.batch_alter_table('meeting_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_attendance_user_id'), ['user_id'], unique=False)

    op.create_table('meeting_commands',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_commands_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_meeting_commands_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_commands'))
    )
    with op.batch_alter_table('meeting_commands', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_commands_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('meeting_registrations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), server_default='registered', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('reminder_sent_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('registered', 'waiting', 'cancelled')", name=op.f('ck_meeting_registrations_status')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_registrations_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_meeting_registrations_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_registrations')),
    sa.UniqueConstraint('meeting_id', 'user_id', name=op.f('uq_meeting_registrations_meeting_id_user_id'))
    )
    with op.batch_alter_table('meeting_registrations', schema=None) as batch_op:
        batch_op.create_index('ix_meeting_registrations_meeting_status', ['meeting_id', 'status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_registrations_user_id'), ['user_id'], unique=False)

    op.create_table('raised_hands',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('raised_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_raised_hands_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_raised_hands_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'user_id', name=op.f('pk_raised_hands'))
    )
    with op.batch_alter_table('raised_hands', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_raised_hands_user_id'), ['user_id'], unique=False)

    op.create_table('agenda_item_ideas',
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_agenda_item_ideas_agenda_item_id_agenda_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_agenda_item_ideas_idea_id_ideas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('agenda_item_id', 'idea_id', name=op.f('pk_agenda_item_ideas'))
    )
    with op.batch_alter_table('agenda_item_ideas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_item_ideas_idea_id'), ['idea_id'], unique=False)

    op.create_table('ballots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('question', sa.String(length=500), nullable=True),
    sa.Column('dots', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("kind <> 'dots' OR dots >= 1", name=op.f('ck_ballots_dots')),
    sa.CheckConstraint("kind <> 'question' OR question IS NOT NULL", name=op.f('ck_ballots_question')),
    sa.CheckConstraint("kind IN ('question', 'dots')", name=op.f('ck_ballots_kind')),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_ballots_agenda_item_id_agenda_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_ballots_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballots'))
    )
    with op.batch_alter_table('ballots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballots_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index('ux_ballots_open', ['meeting_id'], unique=True, sqlite_where=sa.text('closed_at IS NULL'), postgresql_where=sa.text('closed_at IS NULL'))

    op.create_table('idea_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_idea_rounds_agenda_item_id_agenda_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_idea_rounds_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idea_rounds'))
    )
    with op.batch_alter_table('idea_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idea_rounds_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index('ux_idea_rounds_open', ['meeting_id'], unique=True, sqlite_where=sa.text('closed_at IS NULL'), postgresql_where=sa.text('closed_at IS NULL'))

    op.create_table('meeting_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_meeting_decisions_action_id_actions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_meeting_decisions_agenda_item_id_agenda_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_meeting_decisions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_decisions_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_decisions'))
    )
    with op.batch_alter_table('meeting_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_decisions_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_decisions_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('ballot_options',
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['ballot_id'], ['ballots.id'], name=op.f('fk_ballot_options_ballot_id_ballots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_ballot_options_idea_id_ideas'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ballot_id', 'idea_id', name=op.f('pk_ballot_options'))
    )
    with op.batch_alter_table('ballot_options', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_options_idea_id'), ['idea_id'], unique=False)

    op.create_table('ballot_votes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ballot_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.String(length=10), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("choice IS NULL OR choice IN ('yes', 'no', 'abstain')", name=op.f('ck_ballot_votes_choice')),
    sa.ForeignKeyConstraint(['ballot_id'], ['ballots.id'], name=op.f('fk_ballot_votes_ballot_id_ballots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ballot_votes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ballot_votes')),
    sa.UniqueConstraint('ballot_id', 'user_id', name=op.f('uq_ballot_votes_ballot_id_user_id'))
    )
    with op.batch_alter_table('ballot_votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_votes_user_id'), ['user_id'], unique=False)

    op.create_table('meeting_ideas',
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_meeting_ideas_agenda_item_id_agenda_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_meeting_ideas_idea_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_ideas_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['idea_rounds.id'], name=op.f('fk_meeting_ideas_round_id_idea_rounds'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('idea_id', name=op.f('pk_meeting_ideas'))
    )
    with op.batch_alter_table('meeting_ideas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_ideas_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_ideas_round_id'), ['round_id'], unique=False)

    op.create_table('ballot_vote_dots',
    sa.Column('vote_id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('dots', sa.Integer(), nullable=False),
    sa.CheckConstraint('dots >= 1', name=op.f('ck_ballot_vote_dots_dots')),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_ballot_vote_dots_idea_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vote_id'], ['ballot_votes.id'], name=op.f('fk_ballot_vote_dots_vote_id_ballot_votes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('vote_id', 'idea_id', name=op.f('pk_ballot_vote_dots'))
    )
    with op.batch_alter_table('ballot_vote_dots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ballot_vote_dots_idea_id'), ['idea_id'], unique=False)



def downgrade() -> None:
    op.drop_table('ballot_vote_dots')
    op.drop_table('meeting_ideas')
    op.drop_table('ballot_votes')
    op.drop_table('ballot_options')
    op.drop_table('meeting_decisions')
    op.drop_table('idea_rounds')
    op.drop_table('ballots')
    op.drop_table('agenda_item_ideas')
    op.drop_table('raised_hands')
    op.drop_table('meeting_registrations')
    op.drop_table('meeting_commands')
    op.drop_table('meeting_attendance')
    op.drop_table('live_connections')
    op.drop_table('agenda_items')
    op.drop_table('meetings')
