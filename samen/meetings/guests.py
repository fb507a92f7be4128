"""Guests: people who take part in one live meeting without an account — vote, add ideas, raise a hand.

A chair allows guests on a public meeting (`Meeting.allow_guests`). Someone who scans the projector's QR code
taps "Take part as guest" (a name of their choice, or "Gast"), and a `meeting_guests` row is made; its id, signed
with the app's secret key (itsdangerous), goes into a cookie for that meeting only — one participant per device.
Every page and every socket event reads the cookie again and the row as stored: a forged or another meeting's
cookie names nobody, and a guest a chair removed (`removed_at`) is nobody. Who may do what is access.py's rule:
a guest is a participant of their own meeting while it allows guests, and an anonymous visitor elsewhere.

Nothing else is kept about a guest (no address, no device): the name, when they joined, a raised hand. What they
wrote shows under that name; the minutes count guests. Nothing here imports Flask.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select

from samen.core import inputs
from samen.core.database import db, utcnow
from samen.core.errors import Forbidden
from samen.meetings.models import Meeting, MeetingGuest

NAME_MAX = 80
COOKIE_PREFIX = "samen_guest_"
COOKIE_MAX_AGE = 2 * 24 * 60 * 60  # seconds: a meeting is over within a day or two
_SALT = "samen.meetings.guest"


@dataclass(frozen=True)
class Guest:
    """The person acting as a meeting's guest: not signed in (`is_authenticated` is False), never a user id."""

    guest_id: int
    meeting_id: int
    name: str
    is_guest = True
    is_authenticated = False
    is_anonymous = True

    @property
    def display_name(self) -> str:
        return self.name


def is_guest(person: Any) -> bool:
    return bool(getattr(person, "is_guest", False))


def cookie_name(meeting_id: int) -> str:
    return f"{COOKIE_PREFIX}{int(meeting_id)}"


def sign(secret_key: str, guest: MeetingGuest) -> str:
    """The cookie's value: the meeting and the guest, signed."""
    return URLSafeSerializer(secret_key, salt=_SALT).dumps([guest.meeting_id, guest.id])


def guest_of(meeting_id: int, value: Any, secret_key: str) -> Guest | None:
    """Return the guest a cookie names for this meeting, as stored now; None for no, a forged, another meeting's
    or a removed guest's cookie."""
    if not isinstance(value, str) or not value or len(value) > 200:
        return None
    try:
        found = URLSafeSerializer(secret_key, salt=_SALT).loads(value)
    except BadSignature:
        return None
    if (not isinstance(found, list) or len(found) != 2 or not all(inputs.is_id(part) for part in found)
            or found[0] != meeting_id):
        return None
    row = db.session.execute(select(MeetingGuest.id, MeetingGuest.name).where(
        MeetingGuest.id == found[1], MeetingGuest.meeting_id == meeting_id,
        MeetingGuest.removed_at.is_(None))).first()
    return Guest(row.id, meeting_id, row.name) if row is not None else None


def allows_guests(meeting: Meeting) -> bool:
    """Guests may take part in a public meeting whose chair allowed them, until it closes."""
    return bool(meeting.allow_guests and meeting.public and meeting.state in ("scheduled", "live"))


def add_guest(meeting: Meeting, name: Any) -> MeetingGuest:
    """Make a guest of the meeting with the name they chose (checked as every name is), or "Gast"/"Guest"."""
    if not allows_guests(meeting):
        raise Forbidden(_l("This meeting does not take guests."))
    chosen = inputs.line(name if name is not None else "", field="name", maximum=NAME_MAX, required=False,
                         label=_l("Your name"))
    guest = MeetingGuest(meeting_id=meeting.id, name=chosen or str(_l("Guest")), created_at=utcnow())
    db.session.add(guest)
    db.session.flush()
    return guest


def guests_of(meeting: Meeting) -> list[dict[str, Any]]:
    """The meeting's guests who are still in it (for chairs), by name."""
    rows = db.session.execute(select(MeetingGuest.id, MeetingGuest.name).where(
        MeetingGuest.meeting_id == meeting.id, MeetingGuest.removed_at.is_(None))
        .order_by(MeetingGuest.name, MeetingGuest.id))
    return [{"id": row.id, "name": row.name} for row in rows]


def guest_count(meeting: Meeting) -> int:
    """How many guests took part (the minutes name no guest)."""
    return db.session.scalar(select(func.count()).select_from(MeetingGuest).where(
        MeetingGuest.meeting_id == meeting.id, MeetingGuest.removed_at.is_(None))) or 0
