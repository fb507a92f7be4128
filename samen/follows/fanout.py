"""The fan-out: turn each recorded FollowEvent into notifications for the followers who may see what it is about,
an immediate mail for the one person it concerns, and the weekly digests of e-mail followers.

This half of follows/ sits on top (it uses ideas, actions and meetings for who may see what) and runs outside any
request: `flask mail fan-out` / `flask mail run` (follows/cli.py). An operation only INSERTs one event row, so
posting an update takes as long with 5,000 followers as with none (docs/benchmarks.md).

The privacy rule: nobody is told of an idea, action or meeting they may not see. Each audience below is the SQL
form, over users, of the rule the pages use (ideas.operations.may_see_idea, actions.operations.can_view,
meetings.operations.may_view / may_read_minutes); tests/follows check that they agree. Hidden, withdrawn and
waiting ideas are stricter: only their author, the think tank's chairs and admins hear of them.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import JSON, and_, delete, exists, false, func, insert, literal, or_, select, true

from samen.accounts.models import User
from samen.actions.models import ActionItem
from samen.core.database import db, utcnow
from samen.follows.models import EmailFollower, Follow, FollowEvent, OutboxMail
from samen.partners.models import ActionOrganisation, OrganisationContact
from samen.programme.models import PlanRole
from samen.ideas.models import Idea
from samen.meetings.models import Meeting
from samen.notifications.digest import is_due
from samen.notifications.models import Notification
from samen.thinktanks.models import Membership, Plan, ThinkTank

log = logging.getLogger(__name__)

ACTION_NEWS = ("action.update", "action.milestone", "action.done", "action.stopped", "action.overdue")
MEETING_NEWS = ("meeting.planned", "minutes.published")
# Who hears an event besides the followers of its own target (an idea, an action, a think tank, the plan):
# followers of its think tank (of an idea moved: the think tank it came to)
THINKTANK_WIDE = frozenset({"idea.adopted", "idea.action", "idea.moved", *ACTION_NEWS})
PLAN_WIDE = frozenset({"idea.adopted", *ACTION_NEWS, *MEETING_NEWS})  # followers of the whole plan
PERSONAL_ONLY = frozenset({"action.assigned", "membership.approved", "membership.declined"})  # its person only
# Events told by an immediate mail to their person (`personal_id`); all others wait for the digest.
IMMEDIATE = frozenset({"action.assigned", "membership.approved", "membership.declined", "idea.adopted"})
BATCH = 500

SendPersonal = Callable[[User, FollowEvent], None]
SendFollowerDigest = Callable[[EmailFollower, list[FollowEvent]], None]


@dataclass
class Audience:
    """Who may hear of an event: an SQL condition on User, and whether someone without an account may."""

    users: Any
    public: bool


# --- who may see what, over all users at once ----------------------------------------------------------------

def _members(thinktank_id: int | None, *, chairs: bool = False) -> Any:
    stmt = select(Membership.user_id).where(Membership.status == "active")
    if thinktank_id is not None:
        stmt = stmt.where(Membership.thinktank_id == thinktank_id)
    return stmt.where(Membership.role == "chair") if chairs else stmt


def _reads_thinktank(thinktank: ThinkTank) -> Any:
    """ideas.operations.can_view over users: open think tanks for all; else members and admins."""
    return true() if thinktank.is_open else or_(User.is_admin.is_(True), User.id.in_(_members(thinktank.id)))


def idea_audience(idea: Idea) -> Audience:
    """Who may hear of this idea: may_see_idea's readers of a listed idea; of a hidden, withdrawn or waiting one
    only its author, the think tank's chairs and admins."""
    readers = _reads_thinktank(idea.thinktank)
    if idea.is_visible:
        return Audience(readers, idea.thinktank.is_open)
    closer = or_(User.is_admin.is_(True), User.id == idea.author_id, User.id.in_(_members(idea.thinktank_id,
                                                                                       chairs=True)))
    return Audience(and_(readers, closer), False)


def action_audience(action: ActionItem) -> Audience:
    """actions.operations.can_view over users: public actions for all; internal ones for members and admins."""
    if action.public:
        return Audience(true(), True)
    # Internal: admins and the coordinator (samen/programme), the active contacts of the organisations carrying it
    # out (samen/partners), and the members of its think tank — none for a plan-wide one.
    readers = or_(User.is_admin.is_(True),
                  User.id.in_(select(PlanRole.user_id).where(PlanRole.role == "coordinator")),
                  User.id.in_(select(OrganisationContact.user_id).join(
                      ActionOrganisation, ActionOrganisation.organisation_id == OrganisationContact.organisation_id)
                      .where(ActionOrganisation.action_id == action.id, OrganisationContact.status == "active")))
    if action.thinktank_id is not None:
        readers = or_(readers, User.id.in_(_members(action.thinktank_id)))
    return Audience(readers, False)


def meeting_audience(meeting: Meeting, *, minutes: bool = False) -> Audience:
    """meetings.operations.may_view over users (may_read_minutes too, for minutes); the registered of a new
    meeting are nobody yet, so they are left out."""
    if meeting.public:
        view: Any = true()
    else:
        view = or_(User.is_admin.is_(True), User.id.in_(_members(meeting.thinktank_id)),
                   User.id == meeting.created_by_id)
    public = meeting.public
    thinktank = meeting.thinktank
    if minutes and thinktank is not None and not thinktank.is_open:
        view = and_(view, _reads_thinktank(thinktank))
        public = False
    return Audience(view, public)


def audience_of(event: FollowEvent) -> Audience | None:
    """Return who may hear of the event now; None when what it is about is gone."""
    data = event.data or {}
    if event.kind in MEETING_NEWS:
        meeting = db.session.get(Meeting, data.get("meeting_id"))
        return meeting_audience(meeting, minutes=event.kind == "minutes.published") if meeting else None
    if event.target_kind == "idea":
        idea = db.session.get(Idea, event.target_id)
        if idea is None:
            return None
        audience = idea_audience(idea)
        if event.kind == "idea.action":  # its followers learn of the action only if they may see it too
            action = db.session.get(ActionItem, data.get("action_id"))
            if action is None:
                return None
            seen = action_audience(action)
            audience = Audience(and_(audience.users, seen.users), audience.public and seen.public)
        return audience
    if event.target_kind == "action":
        action = db.session.get(ActionItem, event.target_id)
        return action_audience(action) if action else None
    if event.kind in ("membership.approved", "membership.declined"):
        return Audience(true(), False)  # the person's own request, nobody else's news
    return Audience(false(), False)  # a kind this version does not know: tell nobody rather than too many


def following(event: FollowEvent, plan_id: int | None) -> Any:
    """Return the condition on Follow of the follows that hear of this event (active ones only)."""
    if event.kind in PERSONAL_ONLY:
        return false()
    matches = [and_(Follow.target_kind == event.target_kind, Follow.target_id == event.target_id)]
    if event.kind in THINKTANK_WIDE and event.thinktank_id is not None:
        matches.append(and_(Follow.target_kind == "thinktank", Follow.target_id == event.thinktank_id))
    if event.kind in PLAN_WIDE and plan_id is not None:
        matches.append(and_(Follow.target_kind == "plan", Follow.target_id == plan_id))
    return and_(Follow.active.is_(True), or_(*matches))


def _follower_matches(event: Any = FollowEvent) -> Any:
    """The same routing as `following`, as a join condition between Follow and FollowEvent (digests)."""
    return and_(Follow.active.is_(True), event.kind.not_in(PERSONAL_ONLY), or_(
        and_(event.target_kind == Follow.target_kind, event.target_id == Follow.target_id),
        and_(Follow.target_kind == "thinktank", event.thinktank_id == Follow.target_id,
             event.kind.in_(THINKTANK_WIDE)),
        and_(Follow.target_kind == "plan", event.kind.in_(PLAN_WIDE))))


# --- the fan-out -----------------------------------------------------------------------------------------------

@dataclass
class FanOutResult:
    """What a fan-out run did."""

    events: int = 0
    notifications: int = 0
    mails: int = 0  # immediate mails put in the outbox


def wants_mail(user: User) -> bool:
    """Whether notification mails go to this account: not when its digest is off, nor to anyone under 16."""
    return user.digest != "never" and not user.under_16


def fan_out_event(event: FollowEvent, send_personal: SendPersonal, *, plan_id: int | None,
                  now: datetime) -> tuple[int, int]:
    """Tell an event's followers (one INSERT … SELECT, whatever their number) and its person; return
    (notifications, mails)."""
    audience = audience_of(event)
    event.fanned_out_at = now
    if audience is None:
        event.public = False
        return 0, 0
    event.public = audience.public
    skip = [uid for uid in (event.actor_id, event.personal_id) if uid is not None]
    followers = select(Follow.user_id).where(Follow.user_id.is_not(None), following(event, plan_id))
    source = select(User.id, literal(event.kind), literal(event.url or ""), literal(event.data or {}, JSON),
                    literal(now)).where(User.id.in_(followers), audience.users, User.id.not_in(skip))
    told = len(db.session.execute(insert(Notification).from_select(
        ["user_id", "kind", "url", "data", "created_at"], source).returning(Notification.id)).all())
    mails = 0
    if event.personal_id is not None and event.personal_id != event.actor_id:
        person = db.session.scalar(select(User).where(User.id == event.personal_id, audience.users))
        if person is not None:
            mailed = event.kind in IMMEDIATE and wants_mail(person)
            db.session.add(Notification(user_id=person.id, kind=event.kind, url=event.url or "",
                                        data=event.data or {}, created_at=now, emailed_at=now if mailed else None))
            told += 1
            if mailed:
                send_personal(person, event)
                mails += 1
    event.told = told
    return told, mails


def fan_out(send_personal: SendPersonal, *, now: datetime | None = None, limit: int = 100_000) -> FanOutResult:
    """Fan out every event not yet fanned out, oldest first, committing after each (a crash repeats none)."""
    result = FanOutResult()
    plan_id = db.session.scalar(select(Plan.id).order_by(Plan.id).limit(1))
    while result.events < limit:
        ids = list(db.session.scalars(select(FollowEvent.id).where(FollowEvent.fanned_out_at.is_(None))
                                      .order_by(FollowEvent.id).limit(BATCH)))
        if not ids:
            break
        for event_id in ids:
            # Claim the event (on PostgreSQL, skip one another run holds): each is told once.
            stmt = select(FollowEvent).where(FollowEvent.id == event_id, FollowEvent.fanned_out_at.is_(None))
            if db.session.get_bind().dialect.name == "postgresql":
                stmt = stmt.with_for_update(skip_locked=True)
            event = db.session.scalar(stmt)
            if event is None:
                db.session.rollback()
                continue
            told, mails = fan_out_event(event, send_personal, plan_id=plan_id, now=now or utcnow())
            db.session.commit()
            result.events += 1
            result.notifications += told
            result.mails += mails
    return result


# --- e-mail followers' digests ---------------------------------------------------------------------------------

def follower_digests(today: date, send: SendFollowerDigest, *, now: datetime | None = None) -> int:
    """Put a weekly digest in the outbox for each confirmed e-mail follower with news they may know of (public
    events only, matched to what they follow); return how many."""
    now = now or utcnow()
    sent = 0
    followers = list(db.session.scalars(select(EmailFollower).where(
        EmailFollower.confirmed_at.is_not(None),
        exists().where(Follow.follower_id == EmailFollower.id, Follow.active.is_(True))).order_by(EmailFollower.id)))
    for follower in followers:
        since = follower.last_digest_at or follower.confirmed_at
        events = list(db.session.scalars(select(FollowEvent).where(
            FollowEvent.public.is_(True), FollowEvent.fanned_out_at.is_not(None), FollowEvent.created_at > since,
            exists().where(Follow.follower_id == follower.id, _follower_matches()))
            .order_by(FollowEvent.created_at, FollowEvent.id).limit(200)))
        if not events or not is_due("weekly", today, last_digest=follower.last_digest_at,
                                    oldest_waiting=events[0].created_at):
            continue
        send(follower, events)
        follower.last_digest_at = now
        db.session.commit()
        sent += 1
    return sent


def pending_events() -> int:
    """Return how many events wait for the fan-out (for the command's summary and the tests)."""
    return db.session.scalar(select(func.count()).select_from(FollowEvent)
                             .where(FollowEvent.fanned_out_at.is_(None))) or 0


# --- what is kept, and for how long ------------------------------------------------------------------------------

EVENT_DAYS = 30  # fanned-out events (the e-mail followers' weekly digest reads the last week's)
OUTBOX_DAYS = 7  # sent mails, kept a week for "did it go out?"
UNCONFIRMED_DAYS = 7  # e-mail followers who never opened their link: forgotten with their address


def prune(*, now: datetime | None = None) -> int:
    """Delete old told events, old sent mails, and e-mail followers who never confirmed; return how many rows
    (the caller commits)."""
    now = now or utcnow()
    removed = db.session.execute(delete(FollowEvent).where(
        FollowEvent.fanned_out_at < now - timedelta(days=EVENT_DAYS))).rowcount or 0
    removed += db.session.execute(delete(OutboxMail).where(
        OutboxMail.sent_at < now - timedelta(days=OUTBOX_DAYS))).rowcount or 0
    removed += db.session.execute(delete(EmailFollower).where(
        EmailFollower.confirmed_at.is_(None),
        EmailFollower.created_at < now - timedelta(days=UNCONFIRMED_DAYS))).rowcount or 0
    return removed
