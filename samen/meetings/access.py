"""Who may observe, participate in and chair a meeting.

A think tank's meeting: the think tank's chairs and site admins chair; its active members and the people
registered for the meeting participate (vote, submit ideas, raise a hand); anyone — also anonymously — observes
a public meeting, while a members-only meeting needs membership or a registration even to observe.

Admins and the programme coordinator count as chairs of every meeting (thinktanks.permissions).

A plenary meeting (`thinktank_id` NULL): admins, the coordinator and its own organiser (the person who planned
it) chair — not every chair of some think tank; people registered for it and the active members of any think
tank (chairs included) participate; the same rule for observing.

"Registered" means a registration with status 'registered' — the waiting list and cancelled registrations do
not count. Pending memberships do not count either. A guest (samen/meetings/guests.py: someone without an account
who took part from the QR code) participates in their own meeting while it is public and allows guests; anywhere
else they are an anonymous visitor. Each role includes the ones below it:
chair ⊃ participant ⊃ observer. Nothing here imports Flask; `user` may be None or Flask-Login's anonymous user.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, case, exists, func, or_, select

from samen.core.database import db
from samen.core.errors import Forbidden
from samen.meetings.models import Meeting, Registration
from samen.thinktanks.models import Membership
from samen.thinktanks.permissions import chairs_whole_plan, plan_chair_clause

CHAIR = "chair"
PARTICIPANT = "participant"
OBSERVER = "observer"
ROLES = (CHAIR, PARTICIPANT, OBSERVER)
_RANK = {None: 0, OBSERVER: 1, PARTICIPANT: 2, CHAIR: 3}
ASK: Any = object()  # "the role is not known yet": look it up (require)


def _signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and getattr(user, "id", None))


def _is_admin(user: Any) -> bool:
    """Admins and the programme coordinator chair every meeting (thinktanks.permissions: the one chair rule)."""
    return _signed_in(user) and chairs_whole_plan(user)


def _membership_role(meeting: Meeting, user: Any) -> str | None:
    """Return 'chair', 'member' or None: the user's active membership in the meeting's think tank (any think
    tank, for a plenary: the highest)."""
    query = select(Membership.role).where(Membership.user_id == user.id, Membership.status == "active")
    if meeting.thinktank_id is not None:
        query = query.where(Membership.thinktank_id == meeting.thinktank_id)
    roles = set(db.session.scalars(query))
    if "chair" in roles:
        return "chair"
    return "member" if roles else None


def is_registered(meeting: Meeting, user: Any) -> bool:
    """Return whether the user holds a place (not the waiting list) at the meeting."""
    if not _signed_in(user) or meeting.id is None:
        return False
    return bool(db.session.scalar(select(exists().where(
        Registration.meeting_id == meeting.id, Registration.user_id == user.id,
        Registration.status == "registered"))))


def _role(meeting: Meeting, user: Any, membership: Callable[[], str | None], registered: Callable[[], bool]
          ) -> str | None:
    """The rule, given how to find the user's membership role ('chair', 'member' or None) and registration."""
    if getattr(user, "is_guest", False) and (getattr(user, "meeting_id", None) == meeting.id
                                             and meeting.allow_guests and meeting.public
                                             and meeting.state != "cancelled"):
        return PARTICIPANT  # a guest of this meeting, as stored when the guest was read (guests.guest_of)
    if not _signed_in(user):
        return OBSERVER if meeting.public else None
    if _is_admin(user):
        return CHAIR
    if meeting.thinktank_id is None and meeting.created_by_id == user.id:
        return CHAIR  # a plenary's organiser
    found = membership()
    if found == "chair" and meeting.thinktank_id is not None:
        return CHAIR
    if found is not None or registered():
        return PARTICIPANT
    return OBSERVER if meeting.public else None


def role_in(meeting: Meeting, user: Any) -> str | None:
    """Return the user's role at the meeting — 'chair', 'participant' or 'observer' — or None: no access."""
    return _role(meeting, user, lambda: _membership_role(meeting, user), lambda: is_registered(meeting, user))


@cache
def _meeting_with_role_query() -> Any:
    """Built once: building this statement takes several times longer than running it."""
    user_id = bindparam("user_id")
    # 2: an active chair, 1: an active member — of the meeting's think tank, or of any for a plenary.
    rank = (select(func.max(case((Membership.role == "chair", 2), else_=1)))
            .where(Membership.user_id == user_id, Membership.status == "active",
                   or_(Meeting.thinktank_id.is_(None), Membership.thinktank_id == Meeting.thinktank_id))
            .correlate(Meeting).scalar_subquery())
    registered = exists().where(Registration.meeting_id == Meeting.id, Registration.user_id == user_id,
                                Registration.status == "registered").correlate(Meeting)
    return (select(Meeting, rank, registered).where(Meeting.id == bindparam("meeting_id"))
            .execution_options(populate_existing=True))


def meeting_with_role(meeting_id: int, user: Any) -> tuple[Meeting | None, str | None]:
    """Load the meeting as stored (refreshing the session's copy) and the user's role at it, in one query:
    what every live command needs before it runs (the role as role_in returns it)."""
    if not _signed_in(user) or _is_admin(user):  # the rule needs nothing but the meeting
        meeting = db.session.get(Meeting, meeting_id, populate_existing=True)
        return meeting, role_in(meeting, user) if meeting is not None else None
    row = db.session.execute(_meeting_with_role_query(), {"meeting_id": meeting_id, "user_id": user.id}).first()
    if row is None:
        return None, None
    meeting, rank, registered = row
    membership = "chair" if rank == 2 else "member" if rank == 1 else None
    return meeting, _role(meeting, user, lambda: membership, lambda: bool(registered))


def participant_ids(meeting: Meeting, candidates: Any) -> Any:
    """Return a query for the ids, among the user ids `candidates` selects, of those who may participate in the
    meeting — role_in's rule for many people in one query (admins, active members, registered people)."""
    from samen.accounts.models import User

    membership = exists().where(Membership.user_id == User.id, Membership.status == "active")
    if meeting.thinktank_id is not None:
        membership = membership.where(Membership.thinktank_id == meeting.thinktank_id)
    registered = exists().where(Registration.meeting_id == meeting.id, Registration.user_id == User.id,
                                Registration.status == "registered")
    return select(User.id).where(User.id.in_(candidates), or_(plan_chair_clause(User.id), membership, registered))


def has_role(meeting: Meeting, user: Any, role: str) -> bool:
    """Return whether the user has at least this role at the meeting."""
    return _RANK[role_in(meeting, user)] >= _RANK[role]


def can_observe(meeting: Meeting, user: Any) -> bool:
    """Follow the board read-only: anyone for a public meeting, else participants and chairs."""
    return role_in(meeting, user) is not None


def can_participate(meeting: Meeting, user: Any) -> bool:
    """Vote, submit ideas and raise a hand: members (of the think tank, or of any for a plenary), registered
    people, chairs and admins."""
    return has_role(meeting, user, PARTICIPANT)


def can_chair(meeting: Meeting, user: Any) -> bool:
    """Run the board: chairs of the think tank and admins; for a plenary, admins and its organiser."""
    return role_in(meeting, user) == CHAIR


def outranks(role: str | None, needed: str) -> bool:
    """Return whether a role (as role_in returns it) is at least `needed`."""
    return _RANK[role] >= _RANK[needed]


def require(meeting: Meeting, user: Any, needed: str, *, role: Any = ASK) -> str:
    """Return the user's role at the meeting, or refuse (Forbidden) when it is below `needed`. `role`: the role as
    the caller read it already in this transaction (meeting_with_role; None: no access), else it is looked up."""
    have = role_in(meeting, user) if role is ASK else role
    if have is None:
        raise Forbidden(_l("You may not follow this meeting."))
    if not outranks(have, needed):
        raise Forbidden(_l("Only the chair can do this.") if needed == CHAIR
                        else _l("Only participants of this meeting can do this."))
    return have
