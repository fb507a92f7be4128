"""Who is at the live board: one row per connection (on any server process, with its audience), heartbeats and
cleaning after dead processes, the presence broadcast, and attendance for the minutes."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from samen.core.database import db, utcnow
from samen.meetings import access
from samen.meetings.models import (Attendance, LiveConnection, Meeting)
from samen.meetings.state import Emit, guests_present, presence_of, version_of


# --- presence and attendance ---------------------------------------------------------------------------------

CONNECTION_MAX_AGE = timedelta(minutes=3)  # a row not touched for this long belongs to a dead process


def record_attendance(meeting: Meeting, user_ids: list[int]) -> None:
    """These people attended: first seen now, or seen again now (two statements, however many they are)."""
    from sqlalchemy import literal

    from samen.accounts.models import User
    from samen.core.database import insert_ignoring_conflicts

    if not user_ids:
        return
    now = utcnow()
    table = Attendance.__table__
    db.session.execute(table.update().where(table.c.meeting_id == meeting.id, table.c.user_id.in_(user_ids))
                       .values(last_seen_at=now))
    db.session.execute(insert_ignoring_conflicts(table, None, conflict=["meeting_id", "user_id"], source=(
        ["meeting_id", "user_id", "first_seen_at", "last_seen_at"],
        select(literal(meeting.id), User.id, literal(now, table.c.first_seen_at.type),
               literal(now, table.c.last_seen_at.type)).where(User.id.in_(user_ids)))))


def record_present_attendance(meeting: Meeting) -> None:
    """On opening: everyone already connected who participates attended."""
    present = select(LiveConnection.user_id).where(LiveConnection.meeting_id == meeting.id,
                                                   LiveConnection.user_id.is_not(None))
    record_attendance(meeting, list(db.session.scalars(access.participant_ids(meeting, present))))


def presence_emits(meeting: Meeting) -> list[Emit]:
    """The 'presence' broadcast: the count to everyone, the names to the chairs."""
    count, people = presence_of(meeting)
    version = version_of(meeting)
    return [Emit("presence", {"version": version, "count": count}),
            Emit("presence", {"version": version, "count": count, "people": people,
                              "guests": guests_present(meeting), "chairs": True}, chairs_only=True)]


def connect(meeting: Meeting, user: Any, *, sid: str, server: str = "") -> tuple[str, int | None]:
    """Put a connection in the meeting (it leaves any other); record attendance of a participant while the
    meeting is not closed. Return (the user's role, the meeting it left or None). Raises Forbidden."""
    role = access.require(meeting, user, access.OBSERVER)
    connection = db.session.get(LiveConnection, sid)
    left = None
    now = utcnow()
    if connection is None:
        db.session.add(LiveConnection(sid=sid, meeting_id=meeting.id, server=server[:64], connected_at=now,
                                      seen_at=now, guest_id=getattr(user, "guest_id", None),
                                      user_id=user.id if getattr(user, "is_authenticated", False) else None))
    else:
        left = connection.meeting_id if connection.meeting_id != meeting.id else None
        connection.meeting_id, connection.seen_at = meeting.id, now
        connection.guest_id = getattr(user, "guest_id", None)
    if access.outranks(role, access.PARTICIPANT) and meeting.state == "live" and getattr(
            user, "is_authenticated", False):  # guests are counted in the minutes, not named
        record_attendance(meeting, [user.id])
    db.session.flush()
    return role, left


def set_audience(sid: str, audience: str | None) -> None:
    """Record which rendered regions the connection gets (samen/meetings/regions.py; None: JSON only)."""
    db.session.execute(update(LiveConnection).where(LiveConnection.sid == sid).values(audience=audience)
                       .execution_options(synchronize_session=False))


def disconnect(sid: str) -> int | None:
    """Forget a connection; return the meeting it was in, or None."""
    connection = db.session.get(LiveConnection, sid)
    if connection is None:
        return None
    meeting_id = connection.meeting_id
    db.session.delete(connection)
    db.session.flush()
    return meeting_id


def touch_connections(server: str) -> None:
    """Mark this process's connections as alive (a heartbeat, so other processes do not clean them away)."""
    db.session.execute(LiveConnection.__table__.update().where(LiveConnection.server == server)
                       .values(seen_at=utcnow()))


def clean_connections(*, server: str | None = None, max_age: timedelta = CONNECTION_MAX_AGE) -> list[int]:
    """Delete the connections of a (restarted) server and those not seen for `max_age`; return the meetings
    whose presence changed."""
    table = LiveConnection.__table__
    stale = table.c.seen_at < utcnow() - max_age
    condition = stale if server is None else (stale | (table.c.server == server))
    meetings = list(db.session.scalars(select(LiveConnection.meeting_id).where(condition).distinct()))
    if meetings:
        db.session.execute(table.delete().where(condition))
    return meetings


