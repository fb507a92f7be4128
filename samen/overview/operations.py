"""Count and list what waits for a person, from the sources in samen/overview/sources.py.

waiting_count: one query, whatever the number of sources, think tanks or actions (the header's count).
waiting_for: one query per source (the overview page), each showing at most SHOWN tasks and counting them all.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, literal, select

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
    return Who(user_id=user.id, now=now or utcnow(), today=today or date.today(),
               unanswered_days=int(settings.get("OVERVIEW_UNANSWERED_DAYS", 14)),
               stale_weeks=int(settings.get("OVERVIEW_QUIET_WEEKS", 4)),
               meeting_days=int(settings.get("OVERVIEW_MEETING_DAYS", 14)))


def waiting_count(who: Who) -> int:
    """Return how many things wait for the person, over every source, in one query."""
    parts = []
    for found in SOURCES:
        rows = found.build(who).rows.subquery()
        parts.append(select(func.coalesce(func.sum(rows.c.n), 0)).scalar_subquery())
    if not parts:
        return 0
    return int(db.session.scalar(select(sum(parts, start=literal(0)))) or 0)


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
