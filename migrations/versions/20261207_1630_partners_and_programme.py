"""the partner register, programme lines and plan-wide roles (the foundation the features build on)

Revision ID: 20261207_1630
Revises: 20261207_1610
Create Date: 2026-12-07 16:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = "20261207_1630"
down_revision = "20261207_1610"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # New tables and one nullable column: nothing existing changes.
    op.create_table('lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lines')),
    sa.UniqueConstraint('slug', name=op.f('uq_lines_slug'))
    )
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), server_default='other', nullable=False),
    sa.Column('description', sa.String(length=500), server_default='', nullable=False),
    sa.Column('website', sa.String(length=300), server_default='', nullable=False),
    sa.Column('archived_at', sa.DateTime(), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind IN ('police', 'justice', 'addiction_care', 'youth_work', 'school', 'housing', 'hospitality', 'sports_culture', 'municipality', 'other')", name=op.f('ck_organisations_kind')),
    sa.ForeignKeyConstraint(['merged_into_id'], ['organisations.id'], name=op.f('fk_organisations_merged_into_id_organisations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations')),
    sa.UniqueConstraint('slug', name=op.f('uq_organisations_slug'))
    )
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisations_name'), ['name'], unique=False)

    op.create_table('organisation_contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), server_default='pending', nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('active', 'pending')", name=op.f('ck_organisation_contacts_status')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_organisation_contacts_approved_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_contacts_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_organisation_contacts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_contacts')),
    sa.UniqueConstraint('organisation_id', 'user_id', name=op.f('uq_organisation_contacts_organisation_id_user_id'))
    )
    with op.batch_alter_table('organisation_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_contacts_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisation_contacts_user_id'), ['user_id'], unique=False)

    op.create_table('organisation_lines',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['line_id'], ['lines.id'], name=op.f('fk_organisation_lines_line_id_lines'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_lines_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id', 'line_id', name=op.f('pk_organisation_lines'))
    )
    with op.batch_alter_table('organisation_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_lines_line_id'), ['line_id'], unique=False)

    op.create_table('plan_roles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("role IN ('coordinator', 'field_worker', 'analyst')", name=op.f('ck_plan_roles_role')),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_plan_roles_granted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_plan_roles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_roles')),
    sa.UniqueConstraint('user_id', 'role', name=op.f('uq_plan_roles_user_id_role'))
    )
    with op.batch_alter_table('plan_roles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_roles_user_id'), ['user_id'], unique=False)

    op.create_table('action_organisations',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=4), server_default='co', nullable=False),
    sa.Column('contact_user_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("role IN ('lead', 'co')", name=op.f('ck_action_organisations_role')),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_action_organisations_action_id_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contact_user_id'], ['users.id'], name=op.f('fk_action_organisations_contact_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_action_organisations_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('action_id', 'organisation_id', name=op.f('pk_action_organisations'))
    )
    with op.batch_alter_table('action_organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_organisations_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index('uq_action_organisations_one_lead', ['action_id'], unique=True, sqlite_where=sa.text("role = 'lead'"), postgresql_where=sa.text("role = 'lead'"))

    with op.batch_alter_table('thinktanks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('line_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_thinktanks_line_id'), ['line_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_thinktanks_line_id_lines'), 'lines', ['line_id'], ['id'], ondelete='SET NULL')



def downgrade() -> None:
    # Drops the register, the lines and the plan roles with what they hold.
    with op.batch_alter_table('thinktanks', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_thinktanks_line_id_lines'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_thinktanks_line_id'))
        batch_op.drop_column('line_id')

    with op.batch_alter_table('action_organisations', schema=None) as batch_op:
        batch_op.drop_index('uq_action_organisations_one_lead', sqlite_where=sa.text("role = 'lead'"), postgresql_where=sa.text("role = 'lead'"))
        batch_op.drop_index(batch_op.f('ix_action_organisations_organisation_id'))

    op.drop_table('action_organisations')
    with op.batch_alter_table('plan_roles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_roles_user_id'))

    op.drop_table('plan_roles')
    with op.batch_alter_table('organisation_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_lines_line_id'))

    op.drop_table('organisation_lines')
    with op.batch_alter_table('organisation_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_contacts_user_id'))
        batch_op.drop_index(batch_op.f('ix_organisation_contacts_organisation_id'))

    op.drop_table('organisation_contacts')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisations_name'))

    op.drop_table('organisations')
    op.drop_table('lines')
