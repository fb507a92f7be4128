"""iCalendar (RFC 5545) files of meetings: one `.ics` per meeting, and a feed of the public meetings.

Built with the `icalendar` library. Times are written in UTC (…Z), which every calendar converts to its own zone;
the UID is stable per meeting and site, so a calendar that imports a meeting again updates it instead of
adding a second one, and SEQUENCE grows with every change (the seconds since the meeting was created).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from icalendar import Calendar, Event

from samen.core.database import utcnow
from samen.core.markdown import markdown_to_text
from samen.meetings.models import Meeting

PRODID = "-//Samen//Meetings//NL"
DESCRIPTION_MAX = 2000


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


def _calendar(name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def _event(meeting: Meeting, url: str, *, now: datetime) -> Event:
    event = Event()
    host = urlsplit(url).hostname or "samen.local"
    event.add("uid", f"meeting-{meeting.id}@{host}")
    event.add("dtstamp", _utc(now))
    event.add("dtstart", _utc(meeting.starts_at))
    event.add("dtend", _utc(meeting.ends_at))
    event.add("summary", meeting.title if meeting.thinktank is None
              else f"{meeting.title} ({meeting.thinktank.name})")
    description = markdown_to_text(meeting.description, DESCRIPTION_MAX) if meeting.description else ""
    event.add("description", f"{description}\n\n{url}".strip())
    location = ", ".join(part for part in (meeting.location, meeting.online_url) if part)
    if location:
        event.add("location", location)
    event.add("url", url)
    # A cancelled meeting stays in the calendar files: a calendar that imported it learns it is off.
    event.add("status", "CANCELLED" if meeting.state == "cancelled" else "CONFIRMED")
    event.add("class", "PUBLIC" if meeting.public else "PRIVATE")
    if meeting.created_at:
        event.add("created", _utc(meeting.created_at))
    if meeting.updated_at:
        event.add("last-modified", _utc(meeting.updated_at))
        event.add("sequence", max(0, int((meeting.updated_at - (meeting.created_at or meeting.updated_at))
                                         .total_seconds())))
    return event


def meeting_ics(meeting: Meeting, url: str, *, now: datetime | None = None) -> bytes:
    """Return the .ics file of one meeting; `url` is the meeting page's full address."""
    calendar = _calendar()
    calendar.add_component(_event(meeting, url, now=now or utcnow()))
    return calendar.to_ical()


def feed_ics(meetings: Iterable[Meeting], url_of: Callable[[Meeting], str], *, name: str,
             now: datetime | None = None) -> bytes:
    """Return a calendar of these meetings, for subscribing to."""
    calendar = _calendar(name)
    moment = now or utcnow()
    for meeting in meetings:
        calendar.add_component(_event(meeting, url_of(meeting), now=moment))
    return calendar.to_ical()
