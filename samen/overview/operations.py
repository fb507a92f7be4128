"""Count and list what waits for a person, from the sources in samen/overview/sources.py.

waiting_count: one query, whatever the number of sources, think tanks or actions (the header's count).
waiting_for: one query per source (the overview page), each showing at most SHOWN tasks and counting them all.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Date, DateTime, Integer, bindparam, func, literal, select

from samen.core.database import db, utcnow
from samen.overview.sources import SOURCES, Source, Task, Who

SHOWN = 10  # tasks shown per source; the count says how many there are


@dataclass(frozen=True)
class Group:
    source: Source
    heading: str
    tasks: list[Task]
    total: int  # things waiting (a think tank's 3 requests count 3)
    rows: int  # lines in all (more than len(tasks) when some are not shown)


def who_for(user: Any, settings: dict[str, Any] | None = None, *, now: datetime | None = None,
            today: date | None = None) -> Who:
    """Return the overview's view of a signed-in user, with the settings' OVERVIEW_* numbers."""
    settings = settings or {}
    now = now or utcnow()
    return Who(user_id=user.id, now=now, today=today or date.today(),
               unanswered_before=now - timedelta(days=int(settings.get("OVERVIEW_UNANSWERED_DAYS", 14))),
               quiet_before=now - timedelta(weeks=int(settings.get("OVERVIEW_QUIET_WEEKS", 4))),
               meetings_until=now + timedelta(days=int(settings.get("OVERVIEW_MEETING_DAYS", 14))))


# The header's count is one statement built once with these parameters, then run for each person.
SYMBOLIC = Who(user_id=bindparam("overview_user", type_=Integer()), now=bindparam("overview_now", type_=DateTime()),
               today=bindparam("overview_today", type_=Date()),
               unanswered_before=bindparam("overview_unanswered", type_=DateTime()),
               quiet_before=bindparam("overview_quiet", type_=DateTime()),
               meetings_until=bindparam("overview_meetings", type_=DateTime()))


@cache
def _count_statement(sources: tuple[Source, ...]) -> Any:
    """Return the sum of every source's n as one SELECT (built once per list of sources: building it costs
    more than running it)."""
    parts = []
    for found in sources:
        rows = found.build(SYMBOLIC).rows.subquery()
        parts.append(select(func.coalesce(func.sum(rows.c.n), 0)).scalar_subquery())
    return select(sum(parts, start=literal(0)))


def waiting_count(who: Who) -> int:
    """Return how many things wait for the person, over every source, in one query."""
    if not SOURCES:
        return 0
    return int(db.session.scalar(_count_statement(tuple(SOURCES)), {
        "overview_user": who.user_id, "overview_now": who.now, "overview_today": who.today,
        "overview_unanswered": who.unanswered_before, "overview_quiet": who.quiet_before,
        "overview_meetings": who.meetings_until}) or 0)


def waiting_for(who: Who) -> list[Group]:
    """Return, per source with something waiting, its first tasks and the totals (one query per source)."""
    groups = []
    for found in SOURCES:
        waiting = found.build(who)
        total = func.sum(waiting.rows.selected_columns.n).over().label("total")
        lines = func.count().over().label("lines")
        stmt = (waiting.rows.add_columns(total, lines).order_by(*waiting.order_by).limit(SHOWN)
                if waiting.order_by else waiting.rows.add_columns(total, lines).limit(SHOWN))
        result = db.session.execute(stmt).all()
        if not result:
            continue
        groups.append(Group(found, found.heading(), [waiting.describe(row) for row in result],
                            int(result[0].total or 0), int(result[0].lines or 0)))
    return groups
