"""The groups participants may say they belong to — young person, parent or carer, expert by experience,
professional, resident, entrepreneur — a list administrators keep (add, rename in both languages, retire).

Saying it is optional, and a group is personal data: it is shown to nobody, only counted (samen/people/
participation.py, "< 5" for small counts), exported with "download my data" and deleted with the account
(samen/people/privacy.py). Groups live with the accounts because registration and the profile ask for them.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import DateTime, ForeignKey, Integer, String, delete, func, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from samen.core import inputs
from samen.core.database import Base, db, utcnow
from samen.core.errors import Conflict, DomainError

NAME_MAX = 80
KEY_MAX = 40
# The groups a new site starts with (the migration adds them): key, Dutch name, English name.
DEFAULT_GROUPS = (
    ("young_person", "Jongere", "Young person"),
    ("parent", "Ouder of verzorger", "Parent or carer"),
    ("expert_by_experience", "Ervaringsdeskundige", "Expert by experience"),
    ("professional", "Professional", "Professional"),
    ("resident", "Bewoner", "Resident"),
    ("entrepreneur", "Ondernemer", "Entrepreneur"),
)


class ParticipantGroup(Base):
    """A group participants may say they belong to; a retired one is no longer offered, its counts stay."""

    __tablename__ = "participant_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_MAX), unique=True)  # stable, for exports and the open data
    name_nl: Mapped[str] = mapped_column(String(NAME_MAX))
    name_en: Mapped[str] = mapped_column(String(NAME_MAX))
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    retired_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def name(self, locale: Any = None) -> str:
        """Return the name in the language (Dutch unless English is asked for)."""
        return self.name_en if str(locale or "nl").startswith("en") else self.name_nl

    def __repr__(self) -> str:
        return f"<ParticipantGroup {self.id} {self.key!r}>"


class UserGroup(Base):
    """That a participant said they belong to a group."""

    __tablename__ = "user_participant_groups"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("participant_groups.id", ondelete="CASCADE"),
                                          primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<UserGroup user={self.user_id} group={self.group_id}>"


# --- what participants choose ------------------------------------------------------------------------------

def offered_groups() -> list[ParticipantGroup]:
    """Return the groups offered on registration and the profile (not retired), in their order."""
    return list(db.session.scalars(select(ParticipantGroup).where(ParticipantGroup.retired_at.is_(None))
                                   .order_by(ParticipantGroup.position, ParticipantGroup.id)))


def all_groups() -> list[ParticipantGroup]:
    """Return every group, retired ones too (administrators), in their order."""
    return list(db.session.scalars(select(ParticipantGroup)
                                   .order_by(ParticipantGroup.position, ParticipantGroup.id)))


def group_ids_of(user: Any) -> list[int]:
    """Return the ids of the groups the user said they belong to."""
    if not getattr(user, "id", None):
        return []
    return list(db.session.scalars(select(UserGroup.group_id).where(UserGroup.user_id == user.id)
                                   .order_by(UserGroup.group_id)))


def groups_of(user: Any) -> list[ParticipantGroup]:
    """Return the groups the user said they belong to, in their order."""
    return list(db.session.scalars(
        select(ParticipantGroup).join(UserGroup, UserGroup.group_id == ParticipantGroup.id)
        .where(UserGroup.user_id == user.id).order_by(ParticipantGroup.position, ParticipantGroup.id)))


def _ids(values: Iterable[Any]) -> set[int]:
    ids = set()
    for value in values or ():
        ids.add(inputs.ident(value, field="groups"))
    return ids


def set_groups(user: Any, group_ids: Iterable[Any]) -> None:
    """Record the groups the user says they belong to (none is fine). Only offered groups can be chosen; a retired
    group the user had stays theirs (it is no longer shown, so it cannot have been taken away on purpose)."""
    chosen = _ids(group_ids)
    offered = {group.id for group in offered_groups()}
    if chosen - offered:
        raise DomainError(_l("Choose from the groups in the list."), field="groups")
    current = set(group_ids_of(user))
    gone = (current & offered) - chosen
    if gone:
        db.session.execute(delete(UserGroup).where(UserGroup.user_id == user.id, UserGroup.group_id.in_(gone))
                           .execution_options(synchronize_session=False))
    new = chosen - current
    if new:
        db.session.execute(insert(UserGroup), [{"user_id": user.id, "group_id": group_id, "created_at": utcnow()}
                                               for group_id in sorted(new)])


# --- what administrators keep --------------------------------------------------------------------------------

def _name(value: Any, field: str, label: Any) -> str:
    return inputs.line(value, field=field, maximum=NAME_MAX, required=True, label=label)


def _key_for(name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:KEY_MAX - 4] or "group"
    key, n = base, 2
    while db.session.scalar(select(ParticipantGroup.id).where(ParticipantGroup.key == key)) is not None:
        key, n = f"{base}_{n}", n + 1
    return key


def _require_unique_names(name_nl: str, name_en: str, *, current: ParticipantGroup | None = None) -> None:
    for column, value, field in ((ParticipantGroup.name_nl, name_nl, "name_nl"),
                                 (ParticipantGroup.name_en, name_en, "name_en")):
        query = select(ParticipantGroup.id).where(func.lower(column) == value.lower())
        if current is not None:
            query = query.where(ParticipantGroup.id != current.id)
        if db.session.scalar(query) is not None:
            raise Conflict(_l("There is already a group with this name."), field=field, code="group_exists")


def add_group(*, name_nl: Any, name_en: Any) -> ParticipantGroup:
    """Add a group at the end of the list."""
    dutch, english = _name(name_nl, "name_nl", _l("Name in Dutch")), _name(name_en, "name_en", _l("Name in English"))
    _require_unique_names(dutch, english)
    position = (db.session.scalar(select(func.max(ParticipantGroup.position))) or 0) + 1
    group = ParticipantGroup(key=_key_for(english), name_nl=dutch, name_en=english, position=position)
    db.session.add(group)
    db.session.flush()
    return group


def rename_group(group: ParticipantGroup, *, name_nl: Any, name_en: Any) -> dict[str, list[str]]:
    """Rename a group in both languages (the counts stay with it); return what changed, old → new."""
    dutch, english = _name(name_nl, "name_nl", _l("Name in Dutch")), _name(name_en, "name_en", _l("Name in English"))
    _require_unique_names(dutch, english, current=group)
    changed = {name: [old, new] for name, old, new in (("name_nl", group.name_nl, dutch),
                                                       ("name_en", group.name_en, english)) if old != new}
    group.name_nl, group.name_en = dutch, english
    return changed


def retire_group(group: ParticipantGroup, *, retired: bool = True) -> bool:
    """Retire a group (no longer offered; who said it keep it, and its counts stay) or offer it again; return
    whether anything changed."""
    if group.is_retired == retired:
        return False
    group.retired_at = utcnow() if retired else None
    return True
