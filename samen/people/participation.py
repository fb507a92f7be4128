"""Participation per group for the public pages: members, ideas, supports and meeting attendance of the people
who said they belong to each group — counts only, never a person.

Small counts are not published: a count under SMALL_COUNT is shown as "< 5" (zero too: "nobody" is a count as
well). A group with fewer than SMALL_COUNT members shows none of its other figures either: "3 members, 40
supports" would tell what those three did. No total and no "not said" row are shown: a total minus the groups
could give back a small count. Groups overlap (a parent may also be a professional), so the rows do not add up to
anything either. One query, whatever the number of people or groups."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import distinct, func, select

from samen.accounts.groups import ParticipantGroup, UserGroup
from samen.core.database import db
from samen.ideas.models import Idea, Support, visible_ideas
from samen.meetings.models import Attendance
from samen.thinktanks.models import Membership

SMALL_COUNT = 5
FIGURES = ("members", "ideas", "supports", "attendance")


@dataclass(frozen=True)
class Figure:
    """A count as published: the number, or None when it is under SMALL_COUNT ("< 5") or withheld."""

    value: int | None
    withheld: bool = False  # the group is too small to publish what its members did

    @property
    def small(self) -> bool:
        return self.value is None and not self.withheld


@dataclass(frozen=True)
class GroupRow:
    """One group's figures as published."""

    key: str
    name_nl: str
    name_en: str
    members: Figure
    ideas: Figure
    supports: Figure
    attendance: Figure

    def name(self, locale: Any = None) -> str:
        return self.name_en if str(locale or "nl").startswith("en") else self.name_nl

    @property
    def too_small(self) -> bool:
        return self.ideas.withheld


def publish(count: int) -> Figure:
    """Return a count as it may be shown: itself, or "< 5"."""
    return Figure(count if count >= SMALL_COUNT else None)


def raw_counts() -> list[tuple[ParticipantGroup, dict[str, int]]]:
    """Return every offered group with its exact counts (for the published rows and the tests), in one query."""
    members = (select(func.count(distinct(Membership.user_id))).select_from(Membership).join(
        UserGroup, UserGroup.user_id == Membership.user_id)
        .where(UserGroup.group_id == ParticipantGroup.id, Membership.status == "active")).scalar_subquery()
    ideas = (select(func.count()).select_from(Idea).join(UserGroup, UserGroup.user_id == Idea.author_id)
             .where(UserGroup.group_id == ParticipantGroup.id, visible_ideas())).scalar_subquery()
    supports = (select(func.count()).select_from(Support).join(UserGroup, UserGroup.user_id == Support.user_id)
                .where(UserGroup.group_id == ParticipantGroup.id)).scalar_subquery()
    attendance = (select(func.count()).select_from(Attendance)
                  .join(UserGroup, UserGroup.user_id == Attendance.user_id)
                  .where(UserGroup.group_id == ParticipantGroup.id)).scalar_subquery()
    rows = db.session.execute(
        select(ParticipantGroup, members.label("members"), ideas.label("ideas"), supports.label("supports"),
               attendance.label("attendance"))
        .where(ParticipantGroup.retired_at.is_(None)).order_by(ParticipantGroup.position, ParticipantGroup.id))
    return [(group, {"members": m or 0, "ideas": i or 0, "supports": s or 0, "attendance": a or 0})
            for group, m, i, s, a in rows]


def participation() -> list[GroupRow]:
    """Return the published figures per offered group (see the module's rules)."""
    result = []
    for group, counts in raw_counts():
        members = publish(counts["members"])
        if members.value is None:
            hidden = Figure(None, withheld=True)
            figures = {"ideas": hidden, "supports": hidden, "attendance": hidden}
        else:
            figures = {name: publish(counts[name]) for name in ("ideas", "supports", "attendance")}
        result.append(GroupRow(key=group.key, name_nl=group.name_nl, name_en=group.name_en, members=members,
                               **figures))
    return result
