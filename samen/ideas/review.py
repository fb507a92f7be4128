"""Pre-moderation: a think tank's chairs approve new ideas and comments before others see them.

While pre-moderation is on, what members who do not chair post waits ('waiting'): only its author (told "waiting
for approval") and the chairs and admins see it; it is not counted, listed, searched, fed, exported or notified
(only the chairs hear that something waits: operations.tell_chairs).
A chair approves it (then it is published as if posted now: counted, and the people concerned are told) or refuses
it with a reason, which the author is told. Turning pre-moderation off leaves what waits waiting: the chairs still
decide on it, since its author wrote it expecting a chair to look first.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from samen.audit.operations import record
from samen.core import inputs
from samen.core.database import db
from samen.core.errors import Conflict, DomainError, Forbidden
from samen.ideas.models import Comment, Idea
from samen.ideas.operations import can_moderate, publish_comment
from samen.notifications.operations import notify
from samen.thinktanks.models import ThinkTank

REASON_MAX = 500  # review_reason is 500 characters long
DECISIONS = ("approve", "reject")


def _require_chair(thinktank: ThinkTank, user: Any) -> None:
    # Unlike other moderation, refusing is allowed in an archived think tank: it only keeps things from view.
    if not can_moderate(thinktank, user):
        raise Forbidden(_l("Only the chairs of this think tank can do this."), code="not_chair")


def set_premoderation(thinktank: ThinkTank, *, by: Any, on: bool) -> None:
    """Switch pre-moderation on or off (chairs and admins); what waits keeps waiting either way."""
    _require_chair(thinktank, by)
    if thinktank.premoderation != bool(on):
        thinktank.premoderation = bool(on)
        record(by, "thinktank.premoderation", "thinktank", thinktank.id, on=bool(on))


@dataclass
class Waiting:
    """What waits for the chairs of one think tank, oldest first."""

    ideas: list[Idea]
    comments: list[Comment]

    @property
    def count(self) -> int:
        return len(self.ideas) + len(self.comments)


def _waiting_ideas(thinktank: ThinkTank) -> tuple[Any, ...]:
    # What its author withdrew or deleted while it waited needs no decision.
    return Idea.thinktank_id == thinktank.id, Idea.review == "waiting", Idea.withdrawn_at.is_(None)


def _waiting_comments(thinktank: ThinkTank) -> tuple[Any, ...]:
    return Idea.thinktank_id == thinktank.id, Comment.review == "waiting", Comment.deleted_at.is_(None)


def waiting(thinktank: ThinkTank) -> Waiting:
    """Return the ideas and comments waiting for approval, with their authors and ideas, in three queries."""
    ideas = list(db.session.scalars(
        select(Idea).where(*_waiting_ideas(thinktank))
        .options(selectinload(Idea.author)).order_by(Idea.created_at, Idea.id)))
    comments = list(db.session.scalars(
        select(Comment).join(Idea, Idea.id == Comment.idea_id).where(*_waiting_comments(thinktank))
        .options(selectinload(Comment.author), selectinload(Comment.idea))
        .order_by(Comment.created_at, Comment.id)))
    return Waiting(ideas, comments)


def waiting_count(thinktank: ThinkTank) -> int:
    """Return how many ideas and comments wait for the think tank's chairs, in one query."""
    ideas = select(func.count()).select_from(Idea).where(*_waiting_ideas(thinktank)).scalar_subquery()
    comments = (select(func.count()).select_from(Comment).join(Idea, Idea.id == Comment.idea_id)
                .where(*_waiting_comments(thinktank)).scalar_subquery())
    return db.session.scalar(select(ideas + comments)) or 0


def review(subject: Idea | Comment, *, by: Any, decision: Any, reason: Any = "") -> None:
    """Approve or refuse an idea or comment that waits; a refusal needs a reason, which its author is told."""
    idea = subject.idea if isinstance(subject, Comment) else subject
    _require_chair(idea.thinktank, by)
    if subject.review != "waiting":
        raise Conflict(_l("This was already approved or refused."), code="reviewed")
    if decision not in DECISIONS:
        raise DomainError(_l("Choose to approve or to refuse."), field="decision")
    kind = "comment" if isinstance(subject, Comment) else "idea"
    if decision == "approve":
        subject.review = None
        if isinstance(subject, Comment) and subject.deleted_at is None and subject.hidden_at is None:
            parent = db.session.get(Comment, subject.parent_id) if subject.parent_id else None
            publish_comment(subject, idea, replied_to=parent)
        record(by, f"{kind}.approve", kind, subject.id)
        notify([subject.author_id], "review_approved", url=_link(subject, idea), what=kind, idea_title=idea.title)
        return
    reason = inputs.body(reason, field="reason", maximum=REASON_MAX, label=_l("Reason"))
    subject.review, subject.review_reason = "rejected", reason
    record(by, f"{kind}.reject", kind, subject.id, reason=reason)
    notify([subject.author_id], "review_rejected", url=_link(subject, idea), what=kind, idea_title=idea.title,
           reason=reason)


def _link(subject: Idea | Comment, idea: Idea) -> str:
    return f"/ideas/{idea.id}#comment-{subject.id}" if isinstance(subject, Comment) else f"/ideas/{idea.id}"
