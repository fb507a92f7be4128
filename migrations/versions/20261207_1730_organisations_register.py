"""organisations: the free-text organisations become register entries; how an action's owner appears in public;
reminders when an action has had no update for weeks

Revision ID: 20261207_1730
Revises: 20261207_1710
Create Date: 2026-12-07 17:30:00

The free-text columns users.organisation and actions.organisation stay for one release as legacy (docs/partners.md):
the register is the source of truth, and the operations keep users.organisation equal to the name of the person's
organisation in the register (the public name rule, samen/core/names.py, reads it).

The matching is the rule of docs/partners.md, frozen here as a migration must be: values equal but for case and
spaces are one entry; anything else is its own entry, and an administrator merges near-duplicates ("GGD" and
"GGD Gelderland-Midden") on the register's "possible duplicates" page. Running the upgrade again (after a downgrade)
adds nothing: every value then matches its entry, and contacts and lead organisations that exist are kept.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime, UTC

from alembic import op
import sqlalchemy as sa


revision = "20261207_1730"
down_revision = "20261207_1710"
branch_labels = None
depends_on = None

# A first guess of an entry's kind from its name; an administrator corrects it in the register.
KIND_WORDS = (("politie", "police"), ("police", "police"), ("tactus", "addiction_care"),
              ("verslaving", "addiction_care"), ("jongerenwerk", "youth_work"), ("youth", "youth_work"),
              ("college", "school"), ("school", "school"), ("onderwijs", "school"), ("lyceum", "school"),
              ("woning", "housing"), ("housing", "housing"), ("horeca", "hospitality"),
              ("sportvereniging", "sports_culture"), ("sport", "sports_culture"), ("gemeente", "municipality"),
              ("municipality", "municipality"), ("halt", "justice"), ("reclassering", "justice"),
              ("justitie", "justice"), ("openbaar ministerie", "justice"))

organisations = sa.table("organisations", sa.column("id", sa.Integer), sa.column("slug", sa.String),
                         sa.column("name", sa.String), sa.column("kind", sa.String),
                         sa.column("merged_into_id", sa.Integer), sa.column("created_at", sa.DateTime))
contacts = sa.table("organisation_contacts", sa.column("organisation_id", sa.Integer),
                    sa.column("user_id", sa.Integer), sa.column("status", sa.String),
                    sa.column("created_at", sa.DateTime))
action_organisations = sa.table("action_organisations", sa.column("action_id", sa.Integer),
                                sa.column("organisation_id", sa.Integer), sa.column("role", sa.String),
                                sa.column("contact_user_id", sa.Integer))
users = sa.table("users", sa.column("id", sa.Integer), sa.column("organisation", sa.String))
actions = sa.table("actions", sa.column("id", sa.Integer), sa.column("organisation", sa.String),
                   sa.column("owner_id", sa.Integer))


def normalised(name: str) -> str:
    """Equal for values that differ only in case and spaces."""
    return " ".join(name.split()).casefold()


def slug_for(name: str, taken: set[str]) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:70] or "organisatie"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def kind_for(name: str) -> str:
    lowered = name.casefold()
    return next((kind for word, kind in KIND_WORDS if word in lowered), "other")


def migrate_free_text(connection: sa.engine.Connection) -> None:
    """Make a register entry of each free-text organisation, its users contacts, and its actions' lead."""
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = connection.execute(sa.select(organisations.c.id, organisations.c.slug, organisations.c.name,
                                        organisations.c.merged_into_id)).all()
    merged = {row.id: row.merged_into_id for row in rows}

    def final(key: int) -> int:
        seen = set()
        while merged.get(key) and key not in seen:
            seen.add(key)
            key = merged[key]
        return key

    by_name = {normalised(row.name): final(row.id) for row in rows}
    taken = {row.slug for row in rows}
    user_rows = connection.execute(sa.select(users.c.id, users.c.organisation)
                                   .where(users.c.organisation.is_not(None), users.c.organisation != "")).all()
    action_rows = connection.execute(sa.select(actions.c.id, actions.c.organisation, actions.c.owner_id)
                                     .where(actions.c.organisation.is_not(None), actions.c.organisation != "")).all()
    for value in sorted({" ".join(row.organisation.split()) for row in (*user_rows, *action_rows)}):
        key = normalised(value)
        if not key or key in by_name:
            continue
        by_name[key] = connection.execute(organisations.insert().values(
            slug=slug_for(value, taken), name=value[:120], kind=kind_for(value), created_at=now)
            .returning(organisations.c.id)).scalar_one()

    existing = set(connection.execute(sa.select(contacts.c.organisation_id, contacts.c.user_id)).all())
    led = {row.action_id for row in connection.execute(
        sa.select(action_organisations.c.action_id).where(action_organisations.c.role == "lead"))}
    taking_part = set(connection.execute(sa.select(action_organisations.c.action_id,
                                                   action_organisations.c.organisation_id)).all())
    organisation_of = {row.id: by_name[normalised(row.organisation)] for row in user_rows
                       if normalised(row.organisation)}
    # An owner whom a chair gave an action of their own organisation answers for it: an active contact. Anyone
    # else typed the name themselves (the registration form asked for it): a request an administrator approves.
    vouched = {(by_name[normalised(row.organisation)], row.owner_id) for row in action_rows
               if row.owner_id is not None and organisation_of.get(row.owner_id) == by_name.get(
                   normalised(row.organisation))}
    for user_id, organisation_id in sorted(organisation_of.items()):
        if (organisation_id, user_id) not in existing:
            connection.execute(contacts.insert().values(
                organisation_id=organisation_id, user_id=user_id, created_at=now,
                status="active" if (organisation_id, user_id) in vouched else "pending"))
    for row in action_rows:
        organisation_id = by_name.get(normalised(row.organisation))
        if organisation_id is None or row.id in led or (row.id, organisation_id) in taking_part:
            continue
        contact = row.owner_id if organisation_of.get(row.owner_id) == organisation_id else None
        connection.execute(action_organisations.insert().values(
            action_id=row.id, organisation_id=organisation_id, role="lead", contact_user_id=contact))


def upgrade() -> None:
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_public_as", sa.String(length=12), server_default="organisation",
                                      nullable=False))
        batch_op.create_check_constraint(op.f("ck_actions_owner_public_as"), "owner_public_as IN ('organisation', 'name')")
    with op.batch_alter_table("reminders_sent", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_reminders_sent_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_reminders_sent_kind"), "kind IN ('due7', 'due1', 'overdue', 'stale')")
    migrate_free_text(op.get_bind())


def downgrade() -> None:
    # The register itself belongs to the revision below, and the legacy free-text columns still hold the old
    # values: the entries, contacts and lead organisations made by the upgrade stay. Reminders about actions
    # without updates ('stale') cannot be told apart below: they go.
    op.execute("DELETE FROM reminders_sent WHERE kind = 'stale'")
    with op.batch_alter_table("reminders_sent", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_reminders_sent_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_reminders_sent_kind"), "kind IN ('due7', 'due1', 'overdue')")
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_actions_owner_public_as"), type_="check")
        batch_op.drop_column("owner_public_as")
