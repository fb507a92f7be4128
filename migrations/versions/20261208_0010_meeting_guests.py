"""meeting guests: take part in a live meeting without an account (issue #16)

Revision ID: 20261208_0010
Revises: 20261207_1720
Create Date: 2026-12-08 00:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = "20261208_0010"
down_revision = "20261207_1720"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("allow_guests", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table("meeting_guests",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("meeting_id", sa.Integer(), nullable=False),
    sa.Column("name", sa.String(length=80), nullable=False),
    sa.Column("created_at", sa.DateTime(), nullable=False),
    sa.Column("hand_raised_at", sa.DateTime(), nullable=True),
    sa.Column("removed_at", sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(["meeting_id"], ["meetings.id"], name=op.f("fk_meeting_guests_meeting_id_meetings"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_guests"))
    )
    op.create_index(op.f("ix_meeting_guests_meeting_id"), "meeting_guests", ["meeting_id"], unique=False)
    with op.batch_alter_table("ideas", schema=None) as batch_op:
        batch_op.add_column(sa.Column("guest_name", sa.String(length=80), nullable=True))
    # A vote is a signed-in person's or a guest's: user_id becomes nullable, one of the two is set.
    with op.batch_alter_table("ballot_votes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("guest_id", sa.Integer(), nullable=True))
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f("ix_ballot_votes_guest_id"), ["guest_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_ballot_votes_guest_id_meeting_guests"), "meeting_guests",
                                    ["guest_id"], ["id"], ondelete="CASCADE")
        batch_op.create_unique_constraint(batch_op.f("uq_ballot_votes_ballot_id_guest_id"), ["ballot_id", "guest_id"])
        batch_op.create_check_constraint(batch_op.f("ck_ballot_votes_voter"), "(user_id IS NULL) <> (guest_id IS NULL)")
    with op.batch_alter_table("live_connections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("guest_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_live_connections_guest_id"), ["guest_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_live_connections_guest_id_meeting_guests"), "meeting_guests",
                                    ["guest_id"], ["id"], ondelete="CASCADE")
    with op.batch_alter_table("meeting_commands", schema=None) as batch_op:
        batch_op.add_column(sa.Column("guest_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_meeting_commands_guest_id"), ["guest_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_meeting_commands_guest_id_meeting_guests"), "meeting_guests",
                                    ["guest_id"], ["id"], ondelete="SET NULL")
        batch_op.create_unique_constraint(batch_op.f("uq_meeting_commands_meeting_id_guest_id_client_id"),
                                          ["meeting_id", "guest_id", "client_id"])


def downgrade() -> None:
    # Before this revision every vote has an account: while guests' votes exist, `flask db downgrade` refuses
    # before any step (samen.core.migrate.KEPT_RECORDS), and this refuses too when Alembic is run some other way.
    # Ideas guests wrote stay, without the guest's name.
    rows = op.get_bind().exec_driver_sql("SELECT COUNT(*) FROM ballot_votes WHERE guest_id IS NOT NULL").scalar()
    if rows:
        raise RuntimeError(f"{rows} votes of guests have no account, which the older revision requires: "
                           "refusing to go down (see `flask db downgrade`)")
    with op.batch_alter_table("meeting_commands", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_meeting_commands_meeting_id_guest_id_client_id"), type_="unique")
        batch_op.drop_constraint(batch_op.f("fk_meeting_commands_guest_id_meeting_guests"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_meeting_commands_guest_id"))
        batch_op.drop_column("guest_id")
    with op.batch_alter_table("live_connections", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_live_connections_guest_id_meeting_guests"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_live_connections_guest_id"))
        batch_op.drop_column("guest_id")
    with op.batch_alter_table("ballot_votes", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_ballot_votes_voter"), type_="check")
        batch_op.drop_constraint(batch_op.f("uq_ballot_votes_ballot_id_guest_id"), type_="unique")
        batch_op.drop_constraint(batch_op.f("fk_ballot_votes_guest_id_meeting_guests"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_ballot_votes_guest_id"))
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("guest_id")
    with op.batch_alter_table("ideas", schema=None) as batch_op:
        batch_op.drop_column("guest_name")
    op.drop_index(op.f("ix_meeting_guests_meeting_id"), table_name="meeting_guests")
    op.drop_table("meeting_guests")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("allow_guests")
