"""The plan's inbox: ideas submitted in a plenary meeting (a kick-off) where no think tank is at hand wait here
until the meeting's chair or the programme coordinator assigns each to a think tank — one at a time or several
at once, during or after the meeting. Assigning makes it an ordinary idea of that think tank (linked to the
meeting) and tells its author where it went.

Why a table of its own rather than ideas.thinktank_id NULL: every rule, index, search trigger and public query
about ideas assumes a think tank (who may read it, moderate it, support it; the partial indexes; the full-text
search); an idea without one would have to be excluded from all of them, and one forgotten place would leak or
crash. An inbox entry is only a title, a text and an author until it is assigned (docs/programme.md).

This module sits at the meetings' layer: it uses meetings, ideas and think tanks; the caller commits.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, delete, select
from sqlalchemy.orm import selectinload

from samen.accounts.operations import require_confirmed
from samen.audit.operations import record
from samen.core import inputs
from samen.core.database import db, utcnow
from samen.core.errors import Conflict, DomainError, Forbidden
from samen.ideas import operations as idea_ops
from samen.ideas.models import Idea
from samen.meetings import access
from samen.meetings.models import Meeting, MeetingIdea
from samen.notifications.operations import notify
from samen.privacy.registry import register
from samen.programme.models import InboxIdea
from samen.programme.roles import is_coordinator
from samen.thinktanks.models import ThinkTank

NOTIFICATION = "inbox.assigned"
NOT_YOURS = _l("Only the meeting's chair and the programme coordinator can assign ideas of the plan's inbox.")


def submit(meeting: Meeting, user: Any, title: Any, body: Any = "") -> InboxIdea:
    """Put an idea submitted in a plenary meeting into the plan's inbox (the caller checked the participant)."""
    require_confirmed(user)
    if meeting.thinktank_id is not None:
        raise DomainError(_l("Only ideas of a plenary meeting go to the plan's inbox."), code="invalid")
    item = InboxIdea(meeting_id=meeting.id, author_id=user.id,
                     title=inputs.line(title, field="title", maximum=idea_ops.TITLE_MAX, required=True,
                                       label=_l("Title")),
                     body=inputs.body(body or "", field="body", maximum=idea_ops.BODY_MAX))
    db.session.add(item)
    db.session.flush()
    return item


def may_route(item: InboxIdea, user: Any) -> bool:
    """Whether the user assigns this inbox idea: admins, the coordinator, and the chair of its meeting."""
    if is_coordinator(user):
        return True
    meeting = db.session.get(Meeting, item.meeting_id) if item.meeting_id is not None else None
    return meeting is not None and access.can_chair(meeting, user)


def routable(user: Any, *, waiting: bool = True, meeting: Meeting | None = None) -> Select[Any]:
    """Return the query of the inbox ideas the user may assign (may_route in SQL: all for the coordinator and
    admins, those of the plenaries they organised otherwise), waiting ones first by default."""
    stmt = select(InboxIdea).options(selectinload(InboxIdea.author))
    if not is_coordinator(user):
        stmt = stmt.join(Meeting, Meeting.id == InboxIdea.meeting_id).where(
            Meeting.thinktank_id.is_(None), Meeting.created_by_id == getattr(user, "id", None))
    if waiting:
        stmt = stmt.where(InboxIdea.assigned_at.is_(None))
    if meeting is not None:
        stmt = stmt.where(InboxIdea.meeting_id == meeting.id)
    return stmt.order_by(InboxIdea.created_at, InboxIdea.id)


def waiting_for(user: Any, *, meeting: Meeting | None = None) -> list[InboxIdea]:
    """Return the waiting inbox ideas the user may assign, oldest first (two queries)."""
    return list(db.session.scalars(routable(user, meeting=meeting)))


def recently_assigned(user: Any, *, limit: int = 20) -> list[tuple[InboxIdea, Idea | None, ThinkTank | None]]:
    """Return the inbox ideas the user may see assigned, newest first, with the idea and think tank they became."""
    stmt = routable(user, waiting=False).where(InboxIdea.assigned_at.is_not(None)).order_by(None).order_by(
        InboxIdea.assigned_at.desc(), InboxIdea.id.desc()).limit(limit)
    items = list(db.session.scalars(stmt))
    ideas = {idea.id: idea for idea in db.session.scalars(select(Idea).where(
        Idea.id.in_([item.idea_id for item in items if item.idea_id]))).all()} if items else {}
    tanks = {tank.id: tank for tank in db.session.scalars(select(ThinkTank).where(
        ThinkTank.id.in_([item.thinktank_id for item in items if item.thinktank_id])))} if items else {}
    return [(item, ideas.get(item.idea_id or 0), tanks.get(item.thinktank_id or 0)) for item in items]


def find(ids: Iterable[Any]) -> list[InboxIdea]:
    """Return the inbox ideas with these ids (each once, in the order given); refuse unknown ones."""
    keys = list(dict.fromkeys(inputs.ident(value, field="ideas") for value in ids))
    if not keys:
        raise DomainError(_l("Choose at least one idea."), field="ideas")
    found = {item.id: item for item in db.session.scalars(select(InboxIdea).where(InboxIdea.id.in_(keys)))}
    if len(found) != len(keys):
        raise DomainError(_l("Choose ideas of the plan's inbox."), field="ideas")
    return [found[key] for key in keys]


def assign(items: list[InboxIdea], thinktank: ThinkTank | None, *, by: Any) -> list[Idea]:
    """Assign inbox ideas to a think tank, in one step: each becomes an idea there (linked to its meeting), its
    author is told where it went, and the step is audited. All or none: one refusal assigns nothing."""
    if thinktank is None:
        raise DomainError(_l("Choose a think tank."), field="thinktank")
    if thinktank.is_archived:
        raise DomainError(_l("This think tank is archived and can no longer be changed."), field="thinktank",
                          code="archived")
    for item in items:
        if not may_route(item, by):
            raise Forbidden(NOT_YOURS, code="not_chair")
        if item.is_assigned:
            raise Conflict(_l("“%(title)s” was assigned already.", title=item.title), code="assigned")
    ideas = []
    now = utcnow()
    for item in items:
        idea = Idea(thinktank_id=thinktank.id, author_id=item.author_id, title=item.title, body=item.body)
        db.session.add(idea)
        db.session.flush()
        if item.meeting_id is not None:
            db.session.add(MeetingIdea(idea_id=idea.id, meeting_id=item.meeting_id))
        item.thinktank_id, item.idea_id, item.assigned_by_id, item.assigned_at = thinktank.id, idea.id, by.id, now
        record(by, "inbox.assign", "idea", idea.id, inbox_id=item.id, thinktank=thinktank.slug)
        notify([item.author_id], NOTIFICATION, url=f"/ideas/{idea.id}", exclude=by, title=item.title,
               thinktank=thinktank.name)
        ideas.append(idea)
    db.session.flush()
    return ideas


# --- privacy: what the inbox holds about its authors (samen/privacy/registry.py) -----------------------------

def export(user: Any) -> dict[str, Any]:
    """Return the ideas the user submitted to the plan's inbox, and where each went."""
    items = db.session.scalars(select(InboxIdea).where(InboxIdea.author_id == user.id).order_by(InboxIdea.id))
    return {"inbox_ideas": [{"title": item.title, "body": item.body, "meeting_id": item.meeting_id,
                             "submitted_at": item.created_at, "became_idea_id": item.idea_id,
                             "assigned_at": item.assigned_at} for item in items]}


def erase(user: Any, *, keep_contributions: bool) -> dict[str, int]:
    """Delete the user's ideas still waiting in the inbox, unless their contributions are kept (then the
    account's deletion leaves them without an author); the assigned ones are ideas, erased with the ideas."""
    if keep_contributions:
        return {}
    gone = db.session.execute(delete(InboxIdea).where(InboxIdea.author_id == user.id,
                                                      InboxIdea.assigned_at.is_(None))).rowcount
    return {"ideas waiting in the plan's inbox removed": gone}


register("programme_inbox", export=export, erase=erase)
