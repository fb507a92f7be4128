"""What the meetings feature stores about a person, for 'download my data', 'delete my account' and retention.

Registrations, votes, attendance, a raised hand and open live connections are personal: they are exported,
removed with the account (a place the person held at an upcoming meeting goes to the first on the waiting
list), and registrations and attendance of meetings that ended longer ago than RETENTION_REGISTRATIONS_DAYS are
removed by `flask retention apply`. Ideas submitted live are ideas (the ideas feature handles them); decisions a
chair recorded stay as the meeting's record, like a chair's decision on an idea.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update

from samen.core.database import db
from samen.meetings.models import (Attendance, Ballot, LiveConnection, Meeting, MeetingGuest, RaisedHand, Registration,
                                   Vote, VoteDot)
from samen.privacy import builtin as _builtin  # noqa: F401  (the account's own sections come first in a download)
from samen.privacy.registry import register, retention_cutoff


def export(user: Any) -> dict[str, Any]:
    """Return the user's registrations, votes, attendance and raised hands (five queries)."""
    registrations = db.session.execute(
        select(Registration, Meeting.title, Meeting.starts_at).join(Meeting, Meeting.id == Registration.meeting_id)
        .where(Registration.user_id == user.id).order_by(Registration.created_at, Registration.id))
    votes = db.session.execute(
        select(Vote, Ballot.kind, Ballot.question, Meeting.id, Meeting.title)
        .join(Ballot, Ballot.id == Vote.ballot_id).join(Meeting, Meeting.id == Ballot.meeting_id)
        .where(Vote.user_id == user.id).order_by(Vote.created_at, Vote.id)).all()
    dots: dict[int, dict[str, int]] = defaultdict(dict)
    if votes:
        for vote_id, idea_id, count in db.session.execute(
                select(VoteDot.vote_id, VoteDot.idea_id, VoteDot.dots)
                .where(VoteDot.vote_id.in_([vote.id for vote, *_ in votes]))):
            dots[vote_id][str(idea_id)] = count
    attendance = db.session.execute(
        select(Attendance, Meeting.title).join(Meeting, Meeting.id == Attendance.meeting_id)
        .where(Attendance.user_id == user.id).order_by(Attendance.first_seen_at))
    hands = db.session.execute(select(RaisedHand.meeting_id, RaisedHand.raised_at)
                               .where(RaisedHand.user_id == user.id))
    return {
        "registrations": [{"meeting_id": r.meeting_id, "meeting": title, "starts_at": starts_at, "status": r.status,
                           "registered_at": r.created_at} for r, title, starts_at in registrations],
        "votes": [{"meeting_id": meeting_id, "meeting": title, "ballot_id": vote.ballot_id, "kind": kind,
                   "question": question, "choice": vote.choice, "dots": dots.get(vote.id) or None,
                   "voted_at": vote.created_at, "changed_at": vote.updated_at}
                  for vote, kind, question, meeting_id, title in votes],
        "attendance": [{"meeting_id": a.meeting_id, "meeting": title, "first_seen_at": a.first_seen_at,
                        "last_seen_at": a.last_seen_at} for a, title in attendance],
        "raised_hands": [{"meeting_id": meeting_id, "raised_at": raised_at} for meeting_id, raised_at in hands],
    }


def erase(user: Any, *, keep_contributions: bool) -> dict[str, int]:
    """Give up the user's places (moving the waiting list up), and remove their votes, attendance, hands and
    live connections; the connections themselves are closed once the deletion is committed (ending the account's
    sessions and tokens does that: samen/meetings/signouts.py)."""
    from samen.meetings import operations as ops

    upcoming = db.session.scalars(
        select(Meeting).join(Registration, Registration.meeting_id == Meeting.id)
        .where(Registration.user_id == user.id, Registration.status.in_(("registered", "waiting")),
               Meeting.state == "scheduled")).all()
    for meeting in upcoming:
        ops.cancel_registration(meeting, user)
    return {
        "meeting registrations removed": db.session.execute(
            delete(Registration).where(Registration.user_id == user.id)).rowcount,
        "votes removed": db.session.execute(delete(Vote).where(Vote.user_id == user.id)).rowcount,
        "attendance removed": db.session.execute(
            delete(Attendance).where(Attendance.user_id == user.id)).rowcount,
        "raised hands lowered": db.session.execute(
            delete(RaisedHand).where(RaisedHand.user_id == user.id)).rowcount,
        "live connections closed": db.session.execute(
            delete(LiveConnection).where(LiveConnection.user_id == user.id)).rowcount,
    }


def retain(*, now: datetime, settings: Any, dry_run: bool) -> dict[str, int]:
    """Remove registrations and attendance of meetings that ended before the retention period, and the names their
    guests chose (guests' rows stay, nameless, so the votes they cast keep counting)."""
    cutoff = retention_cutoff(settings, "RETENTION_REGISTRATIONS_DAYS", now)
    if cutoff is None:
        return {}
    past = select(Meeting.id).where(Meeting.ends_at < cutoff)
    if dry_run:
        def count(model: Any) -> int:
            return db.session.scalar(select(func.count()).select_from(model).where(model.meeting_id.in_(past))) or 0
        named = db.session.scalar(select(func.count()).select_from(MeetingGuest).where(
            MeetingGuest.meeting_id.in_(past), MeetingGuest.name != "")) or 0
        return {"registrations of past meetings": count(Registration),
                "attendance of past meetings": count(Attendance), "guest names of past meetings": named}
    return {
        "registrations of past meetings": db.session.execute(
            delete(Registration).where(Registration.meeting_id.in_(past))).rowcount,
        "attendance of past meetings": db.session.execute(
            delete(Attendance).where(Attendance.meeting_id.in_(past))).rowcount,
        "guest names of past meetings": db.session.execute(
            update(MeetingGuest).where(MeetingGuest.meeting_id.in_(past), MeetingGuest.name != "")
            .values(name="")).rowcount,
    }


register("meetings", export=export, erase=erase, retain=retain)
