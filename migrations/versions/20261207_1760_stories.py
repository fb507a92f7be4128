"""stories with consent (themes, knowledge sources, directions); indicators that can be corrected (kind and
scale, corrected measurements)

Revision ID: 20261207_1760
Revises: 20261207_1750
Create Date: 2026-12-07 17:60:00

The stories' texts are encrypted by the application (samen/stories/crypto.py): in the database they are Text.
"""
from alembic import op
import sqlalchemy as sa


revision = "20261207_1760"
down_revision = "20261207_1750"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('story_themes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('archived', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_story_themes')),
    sa.UniqueConstraint('name', name=op.f('uq_story_themes_name'))
    )
    op.create_table('knowledge_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('publisher', sa.String(length=120), server_default='', nullable=False),
    sa.Column('url', sa.String(length=500), server_default='', nullable=False),
    sa.Column('note', sa.String(length=1000), server_default='', nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_knowledge_sources_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_sources'))
    )
    op.create_table('stories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('teller', sa.String(length=20), nullable=False),
    sa.Column('neighbourhood', sa.Text(), nullable=False),
    sa.Column('told_on', sa.Date(), nullable=False),
    sa.Column('from_notes', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('action_needed', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('action_taken', sa.Text(), nullable=True),
    sa.Column('consent', sa.String(length=10), server_default='analysis', nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("consent IN ('analysis', 'quote', 'publish')", name=op.f('ck_stories_consent')),
    sa.CheckConstraint("teller IN ('parent', 'young_person', 'resident', 'entrepreneur', 'professional')", name=op.f('ck_stories_teller')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_stories_author_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stories'))
    )
    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stories_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_stories_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_stories_told_on'), ['told_on'], unique=False)

    op.create_table('story_sources',
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['knowledge_sources.id'], name=op.f('fk_story_sources_source_id_knowledge_sources'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], name=op.f('fk_story_sources_story_id_stories'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('story_id', 'source_id', name=op.f('pk_story_sources'))
    )
    with op.batch_alter_table('story_sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_story_sources_source_id'), ['source_id'], unique=False)

    op.create_table('story_theme_links',
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], name=op.f('fk_story_theme_links_story_id_stories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['story_themes.id'], name=op.f('fk_story_theme_links_theme_id_story_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('story_id', 'theme_id', name=op.f('pk_story_theme_links'))
    )
    with op.batch_alter_table('story_theme_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_story_theme_links_theme_id'), ['theme_id'], unique=False)

    op.create_table('directions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=True),
    sa.Column('basis', sa.JSON(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_directions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_directions_idea_id_ideas'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_directions')),
    sa.UniqueConstraint('idea_id', name=op.f('uq_directions_idea_id'))
    )
    op.create_table('direction_stories',
    sa.Column('direction_id', sa.Integer(), nullable=False),
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['direction_id'], ['directions.id'], name=op.f('fk_direction_stories_direction_id_directions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['story_id'], ['stories.id'], name=op.f('fk_direction_stories_story_id_stories'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('direction_id', 'story_id', name=op.f('pk_direction_stories'))
    )
    with op.batch_alter_table('direction_stories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_direction_stories_story_id'), ['story_id'], unique=False)

    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=10), server_default='number', nullable=False))
        batch_op.add_column(sa.Column('scale_min', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('scale_max', sa.Float(), nullable=True))
        batch_op.create_check_constraint(op.f("ck_indicators_kind"), "kind IN ('number', 'scale', 'feeling')")
        batch_op.create_check_constraint(op.f("ck_indicators_scale"),
                                         "scale_min IS NULL OR scale_max IS NULL OR scale_min < scale_max")

    with op.batch_alter_table('measurements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('corrected_at', sa.DateTime(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('measurements', schema=None) as batch_op:
        batch_op.drop_column('corrected_at')

    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_indicators_scale"), type_="check")
        batch_op.drop_constraint(op.f("ck_indicators_kind"), type_="check")
        batch_op.drop_column('scale_max')
        batch_op.drop_column('scale_min')
        batch_op.drop_column('kind')

    with op.batch_alter_table('direction_stories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_direction_stories_story_id'))

    op.drop_table('direction_stories')
    op.drop_table('directions')
    with op.batch_alter_table('story_theme_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_story_theme_links_theme_id'))

    op.drop_table('story_theme_links')
    with op.batch_alter_table('story_sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_story_sources_source_id'))

    op.drop_table('story_sources')
    with op.batch_alter_table('stories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stories_told_on'))
        batch_op.drop_index(batch_op.f('ix_stories_created_at'))
        batch_op.drop_index(batch_op.f('ix_stories_author_id'))

    op.drop_table('stories')
    op.drop_table('knowledge_sources')
    op.drop_table('story_themes')
