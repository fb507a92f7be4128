"""registration: confirmed e-mail addresses, accepted terms of use, under-16s; the 'email_confirm' account token

Existing accounts are treated as confirmed, and as having accepted the first version of the terms, when they
were created (docs/privacy.md, docs/security.md).

Revision ID: 20261207_1520
Revises: 20261207_1510
Create Date: 2026-12-07 15:20:00
"""
from alembic import op
import sqlalchemy as sa

revision = "20261207_1520"
down_revision = "20261207_1510"
branch_labels = None
depends_on = None

# TERMS_VERSION in samen/accounts/operations.py at this revision: the first terms of use.
FIRST_TERMS = "2026-12"
OLD_PURPOSES = "purpose IN ('unlock', 'password_reset', 'email_change')"
NEW_PURPOSES = "purpose IN ('unlock', 'password_reset', 'email_change', 'email_confirm')"


def upgrade() -> None:
    # Plain ADD COLUMN (no table is recreated): users is referenced by almost every table.
    op.add_column("users", sa.Column("email_confirmed_at", sa.DateTime(), nullable=True))
    op.add_column("users", sa.Column("terms_accepted_at", sa.DateTime(), nullable=True))
    op.add_column("users", sa.Column("terms_version", sa.String(length=20), nullable=True))
    op.add_column("users", sa.Column("under_16", sa.Boolean(), server_default=sa.false(), nullable=False))
    users = sa.table("users", sa.column("created_at", sa.DateTime), sa.column("email_confirmed_at", sa.DateTime),
                     sa.column("terms_accepted_at", sa.DateTime), sa.column("terms_version", sa.String))
    op.execute(users.update().values(email_confirmed_at=users.c.created_at, terms_accepted_at=users.c.created_at,
                                     terms_version=FIRST_TERMS))
    with op.batch_alter_table("account_tokens", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_account_tokens_purpose"), type_="check")
        batch_op.create_check_constraint(op.f("ck_account_tokens_purpose"), NEW_PURPOSES)


def downgrade() -> None:
    # The confirmation links cannot be kept under the old constraint; they are single-use mails, nothing more.
    op.execute(sa.text("DELETE FROM account_tokens WHERE purpose = 'email_confirm'"))
    with op.batch_alter_table("account_tokens", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_account_tokens_purpose"), type_="check")
        batch_op.create_check_constraint(op.f("ck_account_tokens_purpose"), OLD_PURPOSES)
    # Plain DROP COLUMN (SQLite 3.35+), as the other migrations do.
    op.drop_column("users", "under_16")
    op.drop_column("users", "terms_version")
    op.drop_column("users", "terms_accepted_at")
    op.drop_column("users", "email_confirmed_at")
