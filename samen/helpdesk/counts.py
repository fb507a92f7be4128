"""Measuring willingness to ask: counts per month, never content, fed into indicators on the progress page.

The counts come from `help_request_stats` (one content-free row per request, kept when the request is deleted),
so retention does not make the past shrink. An indicator is fed by the help desk when its `help_feed` names one
of FEEDS; `flask helpdesk feed-indicators` writes a measurement per complete month. A count below
HELP_COUNT_THRESHOLD is not published: it is stored as a suppressed measurement that reads "< 5".
"""
from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from samen.actions.models import Indicator, Measurement
from samen.audit import operations as audit
from samen.core.database import db, utcnow
from samen.core.errors import DomainError
from samen.helpdesk.models import ABOUT, HelpRequestStat

FEEDS: dict[str, Any] = {
    "total": _l("Help requests per month"),
    "myself": _l("Help requests about the sender themselves, per month"),
    "my_child": _l("Help requests about a child, per month"),
    "someone_close": _l("Help requests about someone close, per month"),
    "situation": _l("Help requests about a place or situation, per month"),
    "urgent": _l("Urgent help requests per month"),
    "response_days": _l("Median days to the first response, per month"),
    "referrals": _l("Referrals to the help directory per month"),
}


@dataclass
class Month:
    """The counts of one month: requests in all, by whom they were about, urgent ones, referrals per directory
    entry, and the hours to each first response."""

    month: date
    total: int = 0
    about: Counter[str] = field(default_factory=Counter)
    urgent: int = 0
    referrals: Counter[int] = field(default_factory=Counter)
    response_hours: list[int] = field(default_factory=list)

    @property
    def median_response_days(self) -> float | None:
        if not self.response_hours:
            return None
        return round(statistics.median(self.response_hours) / 24, 1)


def monthly_counts(*, before: date | None = None) -> list[Month]:
    """Return the counts per month, oldest first (only months before `before`, when given): one query."""
    stmt = select(HelpRequestStat.month, HelpRequestStat.about, HelpRequestStat.urgent,
                  HelpRequestStat.first_response_hours, HelpRequestStat.referral_entry_id)
    if before is not None:
        stmt = stmt.where(HelpRequestStat.month < before)
    months: dict[date, Month] = {}
    for month, about, urgent, hours, entry in db.session.execute(stmt.order_by(HelpRequestStat.month)):
        counts = months.setdefault(month, Month(month))
        counts.total += 1
        counts.about[about] += 1
        counts.urgent += int(bool(urgent))
        if hours is not None:
            counts.response_hours.append(hours)
        if entry is not None:
            counts.referrals[entry] += 1
    return list(months.values())


def feed_value(counts: Month, feed: str) -> tuple[float, int]:
    """Return the value a feed takes from a month, and how many requests it rests on (for the threshold)."""
    if feed == "total":
        return counts.total, counts.total
    if feed in ABOUT:
        return counts.about[feed], counts.about[feed]
    if feed == "urgent":
        return counts.urgent, counts.urgent
    if feed == "referrals":
        number = sum(counts.referrals.values())
        return number, number
    if feed == "response_days":
        return counts.median_response_days or 0.0, len(counts.response_hours)
    raise ValueError(f"unknown help-desk feed {feed!r}")


def link_indicator(indicator: Indicator, feed: str | None, *, by: Any) -> None:
    """Let the help desk feed the indicator with a count (or stop: None)."""
    if feed is not None and feed not in FEEDS:
        raise DomainError(_l("Unknown count."), field="feed")
    indicator.help_feed = feed
    audit.record(by, "indicator.help_feed", "indicator", indicator.id, feed=feed)


def feed_indicators(*, threshold: int, now: datetime | None = None) -> int:
    """Write each complete month's count into every indicator fed by the help desk (replacing what the help
    desk wrote before for that month); return how many measurements were written."""
    this_month = (now or utcnow()).date().replace(day=1)
    indicators = list(db.session.scalars(select(Indicator).where(Indicator.help_feed.is_not(None))))
    if not indicators:
        return 0
    months = monthly_counts(before=this_month)
    written = 0
    for indicator in indicators:
        days = [counts.month for counts in months]
        if days:
            db.session.execute(delete(Measurement).where(Measurement.indicator_id == indicator.id,
                                                         Measurement.date.in_(days)))
        for counts in months:
            value, basis = feed_value(counts, indicator.help_feed)
            small = basis < threshold
            db.session.add(Measurement(indicator_id=indicator.id, date=counts.month, value=0 if small else value,
                                       suppressed=small, note=f"< {threshold}" if small else ""))
            written += 1
        audit.record(None, "indicator.fed_by_help_desk", "indicator", indicator.id, months=len(months))
    return written
