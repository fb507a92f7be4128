"""Planning meetings: create, change and cancel them, their agenda, and registrations with a waiting list.

Like every operations module: functions take the acting user, check the rules and raise DomainError/Forbidden/
Conflict with translatable messages; they add to the session, the caller commits once. Nothing here imports Flask,
so the web pages, the API, the reminders and the live board call the same functions.

Who may do what (the same rules as the live board's samen/meetings/access.py, see docs/meetings.md; Viewer
applies them to a whole list of meetings from two queries, where access.py asks per meeting):
- a think tank's meeting is chaired by the chairs of that think tank and by admins. A plenary (no think tank) is
  planned by admins and the chairs of any think tank, and chaired — changed, cancelled, run — by admins and its
  own organiser only (there is no coordinator role: admins coordinate). Cancelling keeps the meeting as a record
  (state 'cancelled') and tells those who had a place or waited.
- a public meeting is for everyone to see; a members-only one only for members (of the think tank; of any think
  tank for a plenary), the people registered for it, its chairs and admins.
- anyone signed in registers for a public meeting; only members (as above) for a members-only one.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select, true, update
from sqlalchemy.orm import selectinload

from samen.accounts.operations import require_confirmed
from samen.audit.operations import record
from samen.core import inputs
from samen.core.database import db, utcnow
from samen.core.errors import Conflict, DomainError, Forbidden
from samen.follows.operations import record_event
from samen.ideas.models import Idea, visible_ideas
from samen.ideas.operations import listed_ideas
from samen.meetings.models import AgendaItem, Meeting, Registration
from samen.notifications.operations import notify
from samen.thinktanks.models import Membership, Plan, ThinkTank
from samen.thinktanks.permissions import chairs_whole_plan

TITLE_MAX = 200
TEXT_MAX = 20_000
LOCATION_MAX = 300
URL_MAX = 500
CAPACITY_MAX = 100_000
MINUTES_MAX = 600  # planned minutes of one agenda item
AGENDA_MAX = 50  # items on one agenda
IDEAS_MAX = 20  # ideas linked to one agenda item
REMINDER_WINDOW = timedelta(days=2)  # a registered person is reminded once, in the two days before the start
SHOWN_STATES = {
    "scheduled": _l("Scheduled"),
    "live": _l("Live now"),
    "closed": _l("Closed"),
}


# --- who may do what -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Viewer:
    """What the rules need to know about a person, loaded once (two queries) for a whole page of meetings."""

    user_id: int | None = None
    is_admin: bool = False
    member_of: frozenset[int] = frozenset()  # think tanks the person is an active member of (chairs included)
    chair_of: frozenset[int] = frozenset()  # think tanks the person chairs
    registered: frozenset[int] = frozenset()  # meetings with a place
    waiting: frozenset[int] = frozenset()  # meetings on whose waiting list the person is

    @property
    def signed_in(self) -> bool:
        return self.user_id is not None


ANONYMOUS = Viewer()


def viewer_of(user: Any, meeting_ids: Iterable[int] | None = None) -> Viewer:
    """Return what the rules need to know about the user (two queries; none for anonymous visitors).

    `meeting_ids` limits the registrations read to those meetings; None reads all of the user's.
    """
    if isinstance(user, Viewer):
        return user
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    rows = db.session.execute(select(Membership.thinktank_id, Membership.role).where(
        Membership.user_id == user.id, Membership.status == "active")).all()
    stmt = select(Registration.meeting_id, Registration.status).where(
        Registration.user_id == user.id, Registration.status != "cancelled")
    if meeting_ids is not None:
        ids = list(meeting_ids)
        stmt = stmt.where(Registration.meeting_id.in_(ids)) if ids else None
    registrations = db.session.execute(stmt).all() if stmt is not None else []
    # is_admin: whoever chairs the whole plan — admins and the programme coordinator (thinktanks.permissions).
    return Viewer(user_id=user.id, is_admin=chairs_whole_plan(user),
                  member_of=frozenset(tt for tt, _role in rows),
                  chair_of=frozenset(tt for tt, role in rows if role == "chair"),
                  registered=frozenset(m for m, status in registrations if status == "registered"),
                  waiting=frozenset(m for m, status in registrations if status == "waiting"))


def may_create(thinktank: ThinkTank | None, viewer: Viewer) -> bool:
    """Chairs of the think tank and admins plan its meetings; admins and any chair plan a plenary."""
    if viewer.is_admin:
        return True
    return bool(viewer.chair_of) if thinktank is None else thinktank.id in viewer.chair_of


def may_chair(meeting: Meeting, viewer: Viewer) -> bool:
    """Whether the person chairs this meeting (and so changes it, cancels it, its agenda, and runs it): admins;
    the chairs of its think tank; for a plenary, its organiser (not every chair of some think tank)."""
    if viewer.is_admin:
        return True
    if meeting.thinktank_id is None:
        return viewer.signed_in and meeting.created_by_id == viewer.user_id
    return meeting.thinktank_id in viewer.chair_of


def is_member_for(meeting: Meeting, viewer: Viewer) -> bool:
    """Whether the person is a member for this meeting: of its think tank, or of any think tank (plenary)."""
    return bool(viewer.member_of) if meeting.thinktank_id is None else meeting.thinktank_id in viewer.member_of


def may_view(meeting: Meeting, viewer: Viewer) -> bool:
    """Public meetings are for everyone; members-only ones for members, the registered, chairs and admins.

    The same rule as access.can_observe (the live board's), for many meetings at once; the waiting list does not
    count, as there.
    """
    return (meeting.public or may_chair(meeting, viewer) or is_member_for(meeting, viewer)
            or meeting.id in viewer.registered)


def may_register(meeting: Meeting, viewer: Viewer) -> bool:
    """Anyone signed in registers for a public meeting; members (and chairs, admins) for a members-only one."""
    if not viewer.signed_in:
        return False
    return meeting.public or may_chair(meeting, viewer) or is_member_for(meeting, viewer)


def visible_clause(viewer: Viewer) -> Any:
    """Return the SQL condition of may_view, for lists."""
    if viewer.is_admin:
        return true()
    conditions = [Meeting.public.is_(True)]
    if viewer.member_of:
        conditions.append(Meeting.thinktank_id.in_(sorted(viewer.member_of)))
        conditions.append(Meeting.thinktank_id.is_(None))  # members of any think tank see plenaries
    if viewer.registered:
        conditions.append(Meeting.id.in_(sorted(viewer.registered)))
    if viewer.signed_in:  # a plenary's organiser chairs it, member of a think tank or not
        conditions.append(and_(Meeting.thinktank_id.is_(None), Meeting.created_by_id == viewer.user_id))
    return or_(*conditions)


def agenda_ideas(meeting: Meeting, user: Any) -> dict[int, list[Idea]]:
    """Return, per agenda item, the ideas it discusses that the user may see listed (ideas.operations'
    listed_ideas, one query): a public meeting of a closed think tank does not show its ideas to outsiders."""
    items = list(meeting.agenda)
    shown = {idea.id for idea in listed_ideas([idea for item in items for idea in item.ideas], user)}
    return {item.id: [idea for idea in item.ideas if idea.id in shown] for item in items}


def may_read_minutes(meeting: Meeting, viewer: Viewer) -> bool:
    """Whether the person reads the meeting's published minutes: they name the think tank's ideas, so a closed
    think tank's minutes are for those who may read its ideas (ideas.operations.can_view, from the Viewer: no
    query); a plenary's are for all who see the meeting."""
    thinktank = meeting.thinktank
    return (thinktank is None or thinktank.is_open or viewer.is_admin
            or thinktank.id in viewer.member_of)


def readable_minutes_clause(viewer: Viewer) -> Any:
    """Return may_read_minutes as an SQL condition on Meeting (for lists such as the public progress page)."""
    if viewer.is_admin:
        return true()
    readable = select(ThinkTank.id).where(or_(ThinkTank.join_policy == "open",
                                               ThinkTank.id.in_(sorted(viewer.member_of))))
    return or_(Meeting.thinktank_id.is_(None), Meeting.thinktank_id.in_(readable))


def _require_chair(meeting: Meeting, by: Any) -> Viewer:
    viewer = viewer_of(by, [meeting.id])
    if not may_chair(meeting, viewer):
        raise Forbidden(_l("Only the chairs can change this meeting."), code="not_chair")
    return viewer


def _require_scheduled(meeting: Meeting, message: Any) -> None:
    if meeting.state != "scheduled":
        raise Conflict(message, code="meeting_started")


# --- validation ------------------------------------------------------------------------------------------------

def _text(value: Any, *, field: str, maximum: int, required: bool = False, label: Any = None) -> str:
    return inputs.line(value, field=field, maximum=maximum, required=required, label=label)


def _body(value: Any, *, field: str, maximum: int, required: bool = False, label: Any = None) -> str:
    return inputs.body(value, field=field, maximum=maximum, required=required, label=label)


def parse_moment(value: Any, *, field: str, zone: tzinfo = UTC) -> datetime | None:
    """Return a moment as a naive UTC datetime (how times are stored) from a datetime or an ISO 8601 string.

    A time without a zone is taken to be in `zone` (the municipality's, from the web form and the API).
    """
    return inputs.moment(value, field=field, zone=zone)


def _whole(value: Any, *, field: str, minimum: int, maximum: int, message: Any) -> int:
    return inputs.whole(value, field=field, minimum=minimum, maximum=maximum, message=message)


def _capacity(value: Any) -> int | None:
    if value in (None, ""):
        return None
    return _whole(value, field="capacity", minimum=1, maximum=CAPACITY_MAX,
                  message=_l("The capacity is a whole number of at least 1; leave it empty for no limit."))


def _online_url(value: Any) -> str:
    url = _text(value, field="online_url", maximum=URL_MAX)
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
            raise DomainError(_l("Enter a web address that starts with https:// or http://."), field="online_url",
                              code="invalid_url")
    return url


def _check_times(starts_at: datetime | None, ends_at: datetime | None) -> None:
    if starts_at is None:
        raise DomainError(_l("Say when the meeting starts."), field="starts_at", code="required")
    if ends_at is None:
        raise DomainError(_l("Say when the meeting ends."), field="ends_at", code="required")
    if ends_at <= starts_at:
        raise DomainError(_l("The meeting must end after it starts."), field="ends_at", code="dates")


def _check_place(location: str, online_url: str) -> None:
    if not location and not online_url:
        raise DomainError(_l("Give an address, an online link, or both."), field="location", code="place")


def _idea_ids(values: Any) -> list[int]:
    if values is None:
        return []
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise DomainError(_l("Choose ideas from the list."), field="idea_ids", code="unknown_idea")
    ids: list[int] = []
    for value in values:
        item = value.id if isinstance(value, Idea) else value
        unknown = _l("There is no idea with the number %(id)s.", id=str(item)[:20])
        number = inputs.ident(item, field="idea_ids", message=unknown, code="unknown_idea")
        if number not in ids:
            ids.append(number)
    if len(ids) > IDEAS_MAX:
        raise DomainError(_l("Link at most %(n)d ideas to one agenda item.", n=IDEAS_MAX), field="idea_ids")
    return ids


def linkable_ideas_clause(meeting_thinktank_id: int | None, viewer: Viewer) -> Any:
    """Return the condition on ideas an agenda can discuss: visible ideas of the meeting's think tank, or for a
    plenary of any think tank whose ideas the person may read (open ones, and those the person is a member of)."""
    visible = visible_ideas()
    if meeting_thinktank_id is not None:
        return and_(visible, Idea.thinktank_id == meeting_thinktank_id)
    if viewer.is_admin:
        return visible
    readable = select(ThinkTank.id).where(or_(ThinkTank.join_policy == "open",
                                               ThinkTank.id.in_(sorted(viewer.member_of))))
    return and_(visible, Idea.thinktank_id.in_(readable))


def _ideas(meeting: Meeting, values: Any, viewer: Viewer) -> list[Idea]:
    ids = _idea_ids(values)
    if not ids:
        return []
    found = {idea.id: idea for idea in db.session.scalars(
        select(Idea).where(Idea.id.in_(ids), linkable_ideas_clause(meeting.thinktank_id, viewer)))}
    for number in ids:
        if number not in found:
            message = (_l("There is no idea with the number %(id)d in this think tank.", id=number)
                       if meeting.thinktank_id is not None else
                       _l("There is no idea with the number %(id)d.", id=number))
            raise DomainError(message, field="idea_ids", code="unknown_idea")
    return [found[number] for number in ids]


# --- meetings --------------------------------------------------------------------------------------------------

MEETING_FIELDS = ("title", "description", "starts_at", "ends_at", "location", "online_url", "capacity", "public",
                  "allow_guests")


def _meeting_values(changes: dict[str, Any], *, zone: tzinfo) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "title":
            values[name] = _text(value, field=name, maximum=TITLE_MAX, required=True, label=_l("Title"))
        elif name == "description":
            values[name] = _body(value, field=name, maximum=TEXT_MAX)
        elif name == "location":
            values[name] = _text(value, field=name, maximum=LOCATION_MAX)
        elif name == "online_url":
            values[name] = _online_url(value)
        elif name in ("starts_at", "ends_at"):
            values[name] = parse_moment(value, field=name, zone=zone)
        elif name == "capacity":
            values[name] = _capacity(value)
        elif name in ("public", "allow_guests"):
            values[name] = bool(value)
        else:
            raise DomainError(_l("%(field)s cannot be changed.", field=name), field=name, code="read_only")
    return values


def _check_guests(public: bool, allow_guests: bool) -> None:
    """Guests (people without an account, samen/meetings/guests.py) take part in public meetings only."""
    if allow_guests and not public:
        raise DomainError(_l("Guests can only take part in a public meeting."), field="allow_guests")


def require_planner(thinktank: ThinkTank | None, by: Any) -> Viewer:
    """Return `by` as a Viewer if they may plan a meeting here; refuse anyone else (403), and any meeting of an
    archived think tank (409)."""
    viewer = viewer_of(by, [])
    if not may_create(thinktank, viewer):
        raise Forbidden(_l("Only administrators and the chairs of a think tank can plan a plenary meeting.")
                        if thinktank is None else
                        _l("Only the chairs of this think tank can plan its meetings."), code="not_chair")
    if thinktank is not None and thinktank.is_archived:
        raise DomainError(_l("This think tank is archived and can no longer be changed."), code="archived",
                          status=409)
    return viewer


def create_meeting(thinktank: ThinkTank | None, *, by: Any, title: Any, starts_at: Any, ends_at: Any,
                   description: Any = "", location: Any = "", online_url: Any = "", capacity: Any = None,
                   public: bool = True, allow_guests: bool = False, agenda: Iterable[dict[str, Any]] = (),
                   zone: tzinfo = UTC) -> Meeting:
    """Plan a meeting of a think tank (its chairs, admins) or a plenary, `thinktank` None (admins, any chair)."""
    viewer = require_planner(thinktank, by)
    values = _meeting_values({"title": title, "description": description, "starts_at": starts_at,
                              "ends_at": ends_at, "location": location, "online_url": online_url,
                              "capacity": capacity, "public": public, "allow_guests": allow_guests}, zone=zone)
    _check_guests(values["public"], values["allow_guests"])
    _check_times(values["starts_at"], values["ends_at"])
    _check_place(values["location"], values["online_url"])
    meeting = Meeting(thinktank_id=thinktank.id if thinktank else None, created_by_id=by.id, **values)
    meeting.thinktank = thinktank
    db.session.add(meeting)
    db.session.flush()
    items = list(agenda or [])
    if len(items) > AGENDA_MAX:
        raise DomainError(_l("An agenda has at most %(n)d items.", n=AGENDA_MAX), field="agenda")
    for index, item in enumerate(items):
        try:
            _add_item(meeting, viewer, **item)
        except DomainError as error:  # say which item: the meeting has a title too
            error.field = f"agenda[{index}].{error.field}" if error.field else f"agenda[{index}]"
            raise
    record(by, "meeting.create", "meeting", meeting.id, title=meeting.title)
    tell_followers(meeting, "meeting.planned", by=by)
    return meeting


def tell_followers(meeting: Meeting, kind: str, *, by: Any) -> None:
    """Record a meeting's event for the followers of its think tank (of the plan, for a plenary)."""
    if meeting.thinktank_id is not None:
        target: tuple[str, int | None] = ("thinktank", meeting.thinktank_id)
    else:
        target = ("plan", db.session.scalar(select(Plan.id).order_by(Plan.id).limit(1)))
    if target[1] is None:
        return
    record_event(kind, target[0], target[1], thinktank_id=meeting.thinktank_id, actor=by,
                 url=f"/meetings/{meeting.id}", meeting_id=meeting.id, title=meeting.title,
                 starts_at=meeting.starts_at.isoformat())


def update_meeting(meeting: Meeting, *, by: Any, zone: tzinfo = UTC, **changes: Any) -> list[Registration]:
    """Change a meeting's details (its chairs); return the registrations a larger capacity moved up."""
    _require_chair(meeting, by)
    if meeting.state == "closed":
        raise Conflict(_l("This meeting is closed and can no longer be changed."), code="meeting_closed")
    if meeting.state == "cancelled":
        raise Conflict(_l("This meeting is cancelled and can no longer be changed."), code="meeting_cancelled")
    values = _meeting_values(changes, zone=zone)
    _check_guests(values.get("public", meeting.public), values.get("allow_guests", meeting.allow_guests))
    _check_times(values.get("starts_at", meeting.starts_at), values.get("ends_at", meeting.ends_at))
    _check_place(values.get("location", meeting.location), values.get("online_url", meeting.online_url))
    if "capacity" in values and values["capacity"] is not None:
        taken = registered_count(meeting)
        if values["capacity"] < taken:
            raise DomainError(_l("%(n)d people are registered already: the capacity cannot be lower.", n=taken),
                              field="capacity", code="capacity_taken")
    changed = {}
    for name, value in values.items():
        old = getattr(meeting, name)
        if old != value:
            changed[name] = [old.isoformat() if isinstance(old, datetime) else old,
                             value.isoformat() if isinstance(value, datetime) else value]
            setattr(meeting, name, value)
    if not changed:
        return []
    meeting.updated_at = utcnow()
    if "starts_at" in changed:
        # A new start: the registered hear about it again before the new date.
        db.session.execute(update(Registration).where(Registration.meeting_id == meeting.id)
                           .values(reminder_sent_at=None))
    record(by, "meeting.update", "meeting", meeting.id, changes=changed)
    return _move_up(meeting) if "capacity" in changed else []


def cancel_meeting(meeting: Meeting, *, by: Any) -> list[int]:
    """Call off a meeting that has not started (those who chair it): it stays as a record, marked cancelled, with
    its agenda and registrations; tell who had a place or waited, and return them."""
    _require_chair(meeting, by)
    _require_scheduled(meeting, _l("Only a meeting that has not started can be cancelled."))
    people = list(db.session.scalars(select(Registration.user_id).where(
        Registration.meeting_id == meeting.id, Registration.status != "cancelled")))
    meeting.state = "cancelled"
    meeting.updated_at = utcnow()
    notify(people, "meeting.cancelled", exclude=by, url=f"/meetings/{meeting.id}", title=meeting.title,
           starts_at=meeting.starts_at.isoformat(), meeting_id=meeting.id)
    record(by, "meeting.cancel", "meeting", meeting.id, title=meeting.title,
           starts_at=meeting.starts_at.isoformat())
    db.session.flush()
    return people


# --- the agenda ------------------------------------------------------------------------------------------------

def _item_values(meeting: Meeting, viewer: Viewer, changes: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, value in changes.items():
        if name == "title":
            values[name] = _text(value, field=name, maximum=TITLE_MAX, required=True, label=_l("Title"))
        elif name == "description":
            values[name] = _body(value, field=name, maximum=TEXT_MAX)
        elif name == "planned_minutes":
            values[name] = 0 if value in (None, "") else _whole(
                value, field=name, minimum=0, maximum=MINUTES_MAX,
                message=_l("The planned time is a whole number of minutes from 0 to %(n)d.", n=MINUTES_MAX))
        elif name in ("ideas", "idea_ids"):
            values["ideas"] = _ideas(meeting, value, viewer)
        else:
            raise DomainError(_l("Unknown field: %(field)s.", field=name), field=name, code="unknown_field")
    return values


def _add_item(meeting: Meeting, viewer: Viewer, **fields: Any) -> AgendaItem:
    fields.setdefault("title", None)
    values = _item_values(meeting, viewer, fields)
    position = db.session.scalar(select(func.count()).select_from(AgendaItem)
                                 .where(AgendaItem.meeting_id == meeting.id)) or 0
    if position >= AGENDA_MAX:
        raise DomainError(_l("An agenda has at most %(n)d items.", n=AGENDA_MAX), field="agenda")
    item = AgendaItem(meeting_id=meeting.id, position=position, **values)
    db.session.add(item)
    db.session.flush()
    return item


def add_agenda_item(meeting: Meeting, *, by: Any, title: Any, description: Any = "", planned_minutes: Any = 0,
                    ideas: Any = ()) -> AgendaItem:
    """Add an item at the end of the agenda, with the ideas it discusses (the meeting's chairs, before it starts)."""
    viewer = _require_chair(meeting, by)
    _require_scheduled(meeting, _l("The agenda can only be changed before the meeting starts."))
    item = _add_item(meeting, viewer, title=title, description=description, planned_minutes=planned_minutes,
                     ideas=ideas)
    db.session.expire(meeting, ["agenda"])
    return item


def update_agenda_item(item: AgendaItem, *, by: Any, **changes: Any) -> AgendaItem:
    """Change an agenda item's title, description, planned minutes or ideas."""
    meeting = item.meeting
    viewer = _require_chair(meeting, by)
    _require_scheduled(meeting, _l("The agenda can only be changed before the meeting starts."))
    for name, value in _item_values(meeting, viewer, changes).items():
        setattr(item, name, value)
    meeting.updated_at = utcnow()
    return item


def remove_agenda_item(item: AgendaItem, *, by: Any) -> None:
    """Take an item off the agenda; the items after it move up."""
    meeting = item.meeting
    _require_chair(meeting, by)
    _require_scheduled(meeting, _l("The agenda can only be changed before the meeting starts."))
    items = [other for other in meeting.agenda if other.id != item.id]
    db.session.delete(item)
    db.session.flush()
    _renumber(items)
    meeting.updated_at = utcnow()


def move_agenda_item(item: AgendaItem, *, by: Any, offset: int) -> None:
    """Move an item up (-1) or down (+1) the agenda; at either end nothing changes."""
    meeting = item.meeting
    _require_chair(meeting, by)
    _require_scheduled(meeting, _l("The agenda can only be changed before the meeting starts."))
    if offset not in (-1, 1):
        raise DomainError(_l("Move an item one place up or down."), field="offset")
    items = list(meeting.agenda)
    index = items.index(item)
    target = index + offset
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
        _renumber(items)
        meeting.updated_at = utcnow()


def _renumber(items: list[AgendaItem]) -> None:
    for position, item in enumerate(items):
        item.position = position


def agenda_minutes(meeting: Meeting) -> int:
    """Return the agenda's planned time in minutes."""
    return sum(item.planned_minutes for item in meeting.agenda)


# --- registrations ---------------------------------------------------------------------------------------------

def _lock(meeting: Meeting) -> None:
    """Serialise registrations for one meeting: the capacity is counted and taken in one turn.

    A write to the meeting's row, before anything is counted: PostgreSQL locks the row until the commit, and on
    SQLite the first write takes the database's write lock (core.database's writer queue) — a SELECT … FOR
    UPDATE would not, as SQLite reads without locking.
    """
    db.session.execute(update(Meeting).where(Meeting.id == meeting.id).values(id=Meeting.id)
                       .execution_options(synchronize_session=False))


def registered_count(meeting: Meeting) -> int:
    """Return how many people have a place."""
    return db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.meeting_id == meeting.id, Registration.status == "registered")) or 0


def is_over(meeting: Meeting, now: datetime | None = None) -> bool:
    """Whether the meeting is closed or cancelled, or its end has passed."""
    return meeting.state in ("closed", "cancelled") or meeting.ends_at <= (now or utcnow())


def registration_of(meeting: Meeting, user: Any) -> Registration | None:
    """Return the user's registration for the meeting (any status), or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(Registration).where(Registration.meeting_id == meeting.id,
                                                        Registration.user_id == user.id))


def register(meeting: Meeting, user: Any, *, now: datetime | None = None) -> Registration:
    """Give the user a place, or a place on the waiting list when the meeting is full; again changes nothing."""
    viewer = viewer_of(user, [meeting.id])
    if not viewer.signed_in:
        raise Forbidden(_l("Sign in to register."), code="sign_in")
    require_confirmed(user)
    if not may_register(meeting, viewer):
        raise Forbidden(_l("This meeting is for members only: join the think tank to register.")
                        if meeting.thinktank_id is not None else
                        _l("This meeting is for members only: join a think tank to register."), code="members_only")
    if meeting.state == "cancelled":
        raise Conflict(_l("This meeting is cancelled: registering is no longer possible."), code="meeting_over")
    if is_over(meeting, now):
        raise Conflict(_l("This meeting is over: registering is no longer possible."), code="meeting_over")
    _lock(meeting)
    registration = registration_of(meeting, user)
    if registration is not None and registration.status != "cancelled":
        return registration
    waiting = db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.meeting_id == meeting.id, Registration.status == "waiting")) or 0
    full = meeting.capacity is not None and (waiting or registered_count(meeting) >= meeting.capacity)
    status = "waiting" if full else "registered"
    moment = utcnow()
    if registration is None:
        registration = Registration(meeting_id=meeting.id, user_id=user.id, status=status, created_at=moment)
        db.session.add(registration)
    else:  # registered before and cancelled: to the back of the queue
        registration.status, registration.created_at, registration.reminder_sent_at = status, moment, None
    db.session.flush()
    return registration


def cancel_registration(meeting: Meeting, user: Any, *, now: datetime | None = None) -> list[Registration]:
    """Give up the user's place or place on the waiting list; return who moved up into a freed place."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise Forbidden(_l("Sign in to register."), code="sign_in")
    if is_over(meeting, now):
        raise Conflict(_l("This meeting is over: registering is no longer possible."), code="meeting_over")
    _lock(meeting)
    registration = registration_of(meeting, user)
    if registration is None or registration.status == "cancelled":
        return []
    had_place = registration.status == "registered"
    registration.status = "cancelled"
    db.session.flush()
    return _move_up(meeting) if had_place else []


def _move_up(meeting: Meeting) -> list[Registration]:
    """Give freed places to the waiting list, first come first served, and tell each who moved up."""
    free = None if meeting.capacity is None else meeting.capacity - registered_count(meeting)
    if free is not None and free <= 0:
        return []
    stmt = (select(Registration).where(Registration.meeting_id == meeting.id, Registration.status == "waiting")
            .order_by(Registration.created_at, Registration.id))
    if free is not None:
        stmt = stmt.limit(free)
    moved = list(db.session.scalars(stmt))
    for registration in moved:
        registration.status = "registered"
    if moved:
        db.session.flush()
        notify([r.user_id for r in moved], "meeting.moved_up", url=f"/meetings/{meeting.id}",
               title=meeting.title, meeting_id=meeting.id)
    return moved


def waiting_position(registration: Registration) -> int | None:
    """Return the place (from 1) of a waiting registration on the waiting list; None if it has a place."""
    if registration.status != "waiting":
        return None
    ahead = db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.meeting_id == registration.meeting_id, Registration.status == "waiting",
        or_(Registration.created_at < registration.created_at,
            and_(Registration.created_at == registration.created_at, Registration.id < registration.id))))
    return (ahead or 0) + 1


def registrations_of(meeting: Meeting) -> list[Registration]:
    """Return the meeting's places and waiting list, in order, with the people (for its chairs)."""
    return list(db.session.scalars(
        select(Registration).where(Registration.meeting_id == meeting.id, Registration.status != "cancelled")
        .options(selectinload(Registration.user))
        .order_by(Registration.status != "registered", Registration.created_at, Registration.id)))


@dataclass(frozen=True)
class Counts:
    """How many have a place and how many wait."""

    registered: int = 0
    waiting: int = 0


def registration_counts(meeting_ids: Iterable[int]) -> dict[int, Counts]:
    """Return the places taken and the waiting list's length of each meeting, in one query."""
    ids = list(meeting_ids)
    counts = {meeting_id: Counts() for meeting_id in ids}
    if not ids:
        return counts
    for meeting_id, status, number in db.session.execute(
            select(Registration.meeting_id, Registration.status, func.count())
            .where(Registration.meeting_id.in_(ids), Registration.status != "cancelled")
            .group_by(Registration.meeting_id, Registration.status)):
        old = counts[meeting_id]
        counts[meeting_id] = Counts(registered=number if status == "registered" else old.registered,
                                    waiting=number if status == "waiting" else old.waiting)
    return counts


# --- reading ---------------------------------------------------------------------------------------------------

def get_meeting(meeting_id: Any) -> Meeting | None:
    """Return the meeting with its think tank and agenda (and the agenda's ideas), or None (3 queries)."""
    try:
        number = inputs.ident(meeting_id, field="meeting_id")
    except inputs.InvalidInput:
        return None
    return db.session.scalar(select(Meeting).where(Meeting.id == number).options(
        selectinload(Meeting.thinktank), selectinload(Meeting.agenda).selectinload(AgendaItem.ideas)))


WHEN = ("upcoming", "past", "all")


def list_meetings(viewer: Viewer, *, thinktank: ThinkTank | None = None, with_plenaries: bool = True,
                  plenary: bool = False, when: str = "upcoming", now: datetime | None = None,
                  limit: int | None = None, minutes_only: bool = False) -> list[Meeting]:
    """Return the meetings the viewer may see: upcoming ones (not ended) soonest first, or past ones newest first.

    A think tank's list holds its own meetings and (`with_plenaries`) the plenaries; `plenary` lists the
    plenaries only.
    """
    if when not in WHEN:
        raise DomainError(_l("Unknown value. Choose one of: %(choices)s.", choices=", ".join(WHEN)), field="when",
                          code="invalid_when")
    now = now or utcnow()
    stmt = select(Meeting).where(visible_clause(viewer)).options(selectinload(Meeting.thinktank))
    if thinktank is not None:
        stmt = stmt.where(or_(Meeting.thinktank_id == thinktank.id, Meeting.thinktank_id.is_(None))
                          if with_plenaries else Meeting.thinktank_id == thinktank.id)
    elif plenary:
        stmt = stmt.where(Meeting.thinktank_id.is_(None))
    upcoming = and_(Meeting.state != "closed", Meeting.ends_at > now)
    if when == "upcoming":
        stmt = stmt.where(upcoming).order_by(Meeting.starts_at, Meeting.id)
    elif when == "past":
        stmt = stmt.where(~upcoming).order_by(Meeting.starts_at.desc(), Meeting.id.desc())
    else:
        stmt = stmt.order_by(Meeting.starts_at.desc(), Meeting.id.desc())
    if minutes_only:
        stmt = stmt.where(Meeting.minutes_published_at.is_not(None))
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))


# --- reminders -------------------------------------------------------------------------------------------------

def due_meeting_reminders(now: datetime) -> list[Registration]:
    """Return the places whose holder has not been reminded of a meeting that starts within two days."""
    return list(db.session.scalars(
        select(Registration).join(Meeting, Meeting.id == Registration.meeting_id)
        .where(Registration.status == "registered", Registration.reminder_sent_at.is_(None),
               Meeting.state == "scheduled", Meeting.starts_at > now, Meeting.starts_at <= now + REMINDER_WINDOW)
        .options(selectinload(Registration.user), selectinload(Registration.meeting).selectinload(Meeting.thinktank))
        .order_by(Meeting.starts_at, Registration.id)))


def claim_reminder(registration: Registration, now: datetime) -> bool:
    """Mark a reminder as sent, if no other run did; return whether this run may send it."""
    result = db.session.execute(
        update(Registration).where(Registration.id == registration.id, Registration.reminder_sent_at.is_(None))
        .values(reminder_sent_at=now).execution_options(synchronize_session=False))
    return bool(result.rowcount)
