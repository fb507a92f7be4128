"""Ideas: post, edit, withdraw; support; comment; decide; report and moderate; list and search.

Every function takes the acting user and checks the rules itself, so the web views, the API and the live
meeting board share one set of rules. Functions add to the session; the caller commits once.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, column, delete, desc, exists, func, literal, or_, select, table, true, update
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from samen.accounts.operations import require_confirmed
from samen.audit.operations import record
from samen.core import inputs, names
from samen.core.database import db, insert_ignoring_conflicts, utcnow
from samen.core.errors import Conflict, DomainError, Forbidden
from samen.follows.operations import auto_follow, record_event
from samen.ideas import search
from samen.ideas.models import (IDEA_STATUSES, Comment, Idea, IdeaVersion, Report, StatusChange, Support, Tag,
                                idea_tags, visible_ideas)
from samen.notifications.operations import notify
from samen.thinktanks.models import Membership, ThinkTank
from samen.thinktanks.operations import chairs, membership_of
from samen.thinktanks.permissions import can_chair, chairs_whole_plan

TITLE_MAX = 200
BODY_MAX = 20_000
COMMENT_MAX = 5_000
ANSWER_MAX = 20_000
REASON_MAX = 1_000
TAG_MAX = 40  # characters of a tag's slug
PER_PAGE = 20
MAX_PAGE = 10_000
RISING_WINDOW = timedelta(days=7)
SORTS = ("support", "new", "discussed", "rising")
STATUS_LABELS = {
    "new": _l("New"),
    "discussion": _l("Under discussion"),
    "adopted": _l("Adopted"),
    "rejected": _l("Not adopted"),
    "merged": _l("Merged into another idea"),
    "existing": _l("Already happening"),
}
SORT_LABELS = {"support": _l("Most support"), "new": _l("Newest"), "discussed": _l("Most discussed"),
               "rising": _l("Rising")}


# --- who may do what -------------------------------------------------------------------------------------------

def active_membership(thinktank: ThinkTank, user: Any) -> Membership | None:
    """Return the user's active membership of the think tank, or None."""
    membership = membership_of(thinktank, user)
    return membership if membership is not None and membership.is_active else None


def can_view(thinktank: ThinkTank, user: Any) -> bool:
    """Open think tanks are public; the ideas of think tanks that need approval are for members and admins."""
    return thinktank.is_open or chairs_whole_plan(user) or active_membership(thinktank, user) is not None


def may_see_idea(idea: Idea, user: Any) -> bool:
    """Whether the user may know the idea exists: its think tank's ideas are readable to them (can_view), and it
    is published or, waiting for a chair's approval (or refused), theirs or their think tank's to moderate
    (is_shown_to).

    Anyone else gets 404 for it, on the website and in the API alike, as for an idea that does not exist.
    readable_ideas_clause is the same rule in SQL (a test checks they agree)."""
    return can_view(idea.thinktank, user) and is_shown_to(idea, user)


def may_list_idea(idea: Idea, user: Any) -> bool:
    """Whether a page that links ideas (an action item, a meeting's agenda) shows this one to the user: an idea
    they may see (may_see_idea) that is listed (Idea.is_visible: not hidden by a moderator, withdrawn or under
    review). listed_ideas_clause in SQL."""
    return idea.is_visible and may_see_idea(idea, user)


def readable_ideas_clause(user: Any, idea: Any = None) -> Any:
    """Return may_see_idea as an SQL condition on Idea (or on `idea`, an alias of it): published ideas of open
    think tanks, and of think tanks the user is an active member of, plus their own ideas under review there and
    those of the think tanks they chair; all for admins."""
    if chairs_whole_plan(user):
        return true()
    idea = Idea if idea is None else idea
    readable: Any = ThinkTank.join_policy == "open"
    shown: Any = idea.review.is_(None)
    if getattr(user, "is_authenticated", False) and getattr(user, "id", None) is not None:
        readable = or_(ThinkTank.join_policy == "open", exists().where(
            Membership.thinktank_id == ThinkTank.id, Membership.user_id == user.id, Membership.status == "active"))
        shown = or_(idea.review.is_(None), idea.author_id == user.id, idea.thinktank_id.in_(
            select(Membership.thinktank_id).where(Membership.user_id == user.id, Membership.status == "active",
                                                  Membership.role == "chair")))
    return and_(idea.thinktank_id.in_(select(ThinkTank.id).where(readable)), shown)


def listed_ideas_clause(user: Any, idea: Any = None) -> Any:
    """Return may_list_idea as an SQL condition on Idea (or on `idea`, an alias of it)."""
    return and_(visible_ideas(idea), readable_ideas_clause(user, idea))


def listed_ideas(ideas: Any, user: Any) -> list[Idea]:
    """Return, in their order, the ideas of `ideas` that the user may see listed (one query; none for none)."""
    ideas = list(ideas)
    if not ideas:
        return []
    shown = set(db.session.scalars(select(Idea.id).where(Idea.id.in_([idea.id for idea in ideas]),
                                                         listed_ideas_clause(user))))
    return [idea for idea in ideas if idea.id in shown]


def can_moderate(thinktank: ThinkTank, user: Any, membership: Membership | None = None) -> bool:
    """Chairs of the think tank, admins and the coordinator decide and moderate (thinktanks.permissions)."""
    if chairs_whole_plan(user):
        return True
    membership = membership if membership is not None else membership_of(thinktank, user)
    return can_chair(user, membership)


def _require_view(thinktank: ThinkTank, user: Any) -> None:
    if not can_view(thinktank, user):
        raise Forbidden(_l("Only members of this think tank can see its ideas."))


def _require_writable(thinktank: ThinkTank) -> None:
    if thinktank.is_archived:
        raise DomainError(_l("This think tank is archived and can no longer be changed."), code="archived",
                          status=409)


def require_member(thinktank: ThinkTank, user: Any) -> Membership:
    """Return the user's active membership; refuse an archived think tank (409), an account whose e-mail address
    is not confirmed and anyone not a member (403)."""
    _require_writable(thinktank)
    require_confirmed(user)
    membership = active_membership(thinktank, user)
    if membership is None:
        raise Forbidden(_l("Only members of this think tank can do this. Join the think tank first."),
                        code="not_member")
    return membership


def _require_moderator(thinktank: ThinkTank, user: Any) -> None:
    _require_writable(thinktank)
    if not can_moderate(thinktank, user):
        raise Forbidden(_l("Only the chairs of this think tank can do this."), code="not_chair")


# --- validation ------------------------------------------------------------------------------------------------

def _text(value: Any, *, field: str, maximum: int, required: bool = True, label: Any = None) -> str:
    return inputs.line(value, field=field, maximum=maximum, required=required, label=label)


def _body(value: Any, *, field: str, maximum: int, required: bool = True, label: Any = None) -> str:
    return inputs.body(value, field=field, maximum=maximum, required=required, label=label)


def _tags(thinktank: ThinkTank, slugs: Any) -> list[Tag]:
    if not slugs:
        return []
    if not isinstance(slugs, list | tuple) or not all(isinstance(s, str) for s in slugs):
        raise DomainError(_l("Tags must be a list of tag names."), field="tags")
    for slug in slugs:
        inputs.line(slug, field="tags", maximum=TAG_MAX)
    wanted = {s.strip().lower() for s in slugs if s.strip()}
    found = list(db.session.scalars(select(Tag).where(Tag.thinktank_id == thinktank.id, Tag.slug.in_(wanted))))
    unknown = wanted - {tag.slug for tag in found}
    if unknown:
        raise DomainError(_l("Unknown tag: %(tags)s. Choose from the tags this think tank offers.",
                             tags=", ".join(sorted(unknown))), field="tags", code="unknown_tag")
    return found


def tags_for(thinktank: ThinkTank) -> list[Tag]:
    """Return the tags a think tank offers, by name."""
    return list(db.session.scalars(select(Tag).where(Tag.thinktank_id == thinktank.id).order_by(Tag.name)))


def create_tag(thinktank: ThinkTank, name: str) -> Tag:
    """Offer a new tag in the think tank (its slug is derived from the name); not in an archived one."""
    _require_writable(thinktank)
    name = _text(name, field="name", maximum=60, label=_l("Name"))
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "tag"
    if db.session.scalar(select(Tag).where(Tag.thinktank_id == thinktank.id, Tag.slug == slug)):
        raise Conflict(_l("This tag exists already."), code="tag_taken", field="name")
    tag = Tag(thinktank_id=thinktank.id, slug=slug, name=name)
    db.session.add(tag)
    db.session.flush()
    return tag


# --- ideas -----------------------------------------------------------------------------------------------------

def create_idea(thinktank: ThinkTank, *, author: Any, title: Any, body: Any = "", tags: Any = None,
                anonymous: bool = False) -> Idea:
    """Post an idea in the think tank (members only); under pre-moderation it waits for a chair's approval."""
    require_member(thinktank, author)
    idea = Idea(thinktank_id=thinktank.id, author_id=author.id,
                title=_text(title, field="title", maximum=TITLE_MAX, label=_l("Title")),
                body=_body(body, field="body", maximum=BODY_MAX, required=False),
                anonymous=bool(anonymous), tags=_tags(thinktank, tags), review=initial_review(thinktank, author))
    db.session.add(idea)
    db.session.flush()
    auto_follow(author.id, "idea", idea.id)
    if idea.review:
        tell_chairs(thinktank, what="idea", idea_title=idea.title)
    return idea


def edit_idea(idea: Idea, *, by: Any, title: Any = None, body: Any = None, tags: Any = None,
              anonymous: bool | None = None) -> Idea:
    """Change your own idea; the previous title and body are kept as a version."""
    _require_writable(idea.thinktank)
    if idea.author_id != getattr(by, "id", None):
        raise Forbidden(_l("Only the author can edit this idea."), code="not_author")
    if idea.withdrawn_at is not None:
        raise Conflict(_l("This idea was withdrawn and can no longer be edited."), code="withdrawn")
    new_title = idea.title if title is None else _text(title, field="title", maximum=TITLE_MAX, label=_l("Title"))
    new_body = idea.body if body is None else _body(body, field="body", maximum=BODY_MAX, required=False)
    if (new_title, new_body) != (idea.title, idea.body):
        db.session.add(IdeaVersion(idea_id=idea.id, title=idea.title, body=idea.body))
        idea.title, idea.body = new_title, new_body
    if tags is not None:
        idea.tags = _tags(idea.thinktank, tags)
    if anonymous is not None:
        idea.anonymous = bool(anonymous)
    idea.updated_at = utcnow()
    return idea


def withdraw_idea(idea: Idea, *, by: Any) -> None:
    """Withdraw your own idea: it leaves the lists but stays readable at its address."""
    _require_writable(idea.thinktank)
    if idea.author_id != getattr(by, "id", None):
        raise Forbidden(_l("Only the author can withdraw this idea."), code="not_author")
    if idea.withdrawn_at is None:
        idea.withdrawn_at = utcnow()


def can_see_versions(idea: Idea, viewer: Any, *, moderator: bool) -> bool:
    """Whether the viewer may read an idea's earlier versions: everyone, except for an anonymous idea, whose history
    only its author and the think tank's chairs and admins see (an edit may have removed something identifying)."""
    return not idea.anonymous or moderator or is_author(idea, viewer)


def versions(idea: Idea, viewer: Any = None, *, moderator: bool = False) -> list[IdeaVersion]:
    """Return the earlier versions of an idea the viewer may read, newest first (none: no query)."""
    if not can_see_versions(idea, viewer, moderator=moderator):
        return []
    return list(db.session.scalars(select(IdeaVersion).where(IdeaVersion.idea_id == idea.id)
                                   .order_by(IdeaVersion.created_at.desc(), IdeaVersion.id.desc())))


def remove_versions(idea: Idea, *, by: Any, version_id: Any = None) -> int:
    """Delete your idea's earlier versions for good: one (`version_id`) or all; return how many went.

    Privacy wins over history: nobody, moderators included, can read them afterwards. The audit log records how
    many were removed, never what they said. Allowed in archived think tanks and on withdrawn ideas too."""
    if not is_author(idea, by):
        raise Forbidden(_l("Only the author can remove earlier versions of this idea."), code="not_author")
    statement = delete(IdeaVersion).where(IdeaVersion.idea_id == idea.id)
    if version_id is not None:
        statement = statement.where(IdeaVersion.id == inputs.ident(version_id, field="version_id"))
    removed = db.session.execute(statement).rowcount or 0
    if version_id is not None and not removed:
        raise DomainError(_l("This earlier version no longer exists."), code="not_found", status=404)
    if removed:
        record(by, "idea.versions_removed", "idea", idea.id, count=removed)
    return removed


def is_author(subject: Idea | Comment, user: Any) -> bool:
    """Whether the signed-in user wrote this idea or comment."""
    return bool(getattr(user, "is_authenticated", False) and subject.author_id is not None
                and subject.author_id == user.id)


# --- pre-moderation: who sees what is waiting (the chairs' queue is in review.py) -----------------------------

def initial_review(thinktank: ThinkTank, author: Any) -> str | None:
    """Return the review state of new content: 'waiting' under pre-moderation unless the author chairs."""
    return "waiting" if thinktank.premoderation and not can_moderate(thinktank, author) else None


def tell_chairs(thinktank: ThinkTank, *, what: str, idea_title: str) -> None:
    """Tell the think tank's chairs that a new idea or comment waits for their approval (not who wrote it)."""
    notify([chair.id for chair in chairs(thinktank)], "review_waiting",
           url=f"/thinktanks/{thinktank.slug}/moderation#waiting-heading", what=what, idea_title=idea_title)


def is_shown_to(subject: Idea | Comment, viewer: Any, *, moderator: bool | None = None) -> bool:
    """Whether the viewer may know this idea or comment exists: published ones for all; one waiting for approval
    (or refused) only for its author and the think tank's chairs and admins. Others get a 404.

    `moderator`: whether the viewer moderates the think tank, if known; else it is asked only when it matters."""
    if subject.review is None or is_author(subject, viewer):
        return True
    if moderator is None:
        idea = subject.idea if isinstance(subject, Comment) else subject
        moderator = can_moderate(idea.thinktank, viewer)
    return moderator


def shown_clause(model: type[Idea] | type[Comment], viewer: Any, *, moderator: bool) -> Any:
    """The SQL form of is_shown_to, for lists (tests check that the two agree)."""
    if moderator:
        return literal(True)
    if getattr(viewer, "is_authenticated", False):
        return or_(model.review.is_(None), model.author_id == viewer.id)
    return model.review.is_(None)


def author_name(idea_or_comment: Any, viewer: Any = names.PUBLIC, *, moderator: bool = False) -> str | None:
    """Return the name shown to `viewer` for an author: None for an anonymous idea, unless the viewer moderates;
    else as core/names.py's rule says (the display name to someone signed in, in public the organisation or "a
    participant"). No viewer: the public form."""
    author = idea_or_comment.author
    if author is None:
        return getattr(idea_or_comment, "guest_name", None)  # a meeting's guest: the name they chose there
    if getattr(idea_or_comment, "anonymous", False) and not moderator:
        return None
    return author.display_name if moderator else names.shown_name(author, viewer)


# --- support ---------------------------------------------------------------------------------------------------

def support_idea(idea: Idea, user: Any) -> bool:
    """Support an idea once; return whether a support was added. Safe under concurrent requests.

    When one is added, the idea's counters are set to the database's, as the change left them."""
    thinktank = idea.thinktank
    _require_writable(thinktank)
    require_confirmed(user)  # before the INSERT below, which checks the membership itself
    if not idea.is_visible or not idea.is_open:
        require_member(thinktank, user)  # who may not support at all is told that first
        raise Conflict(_l("This idea can no longer be supported."), code="closed")
    values = {"idea_id": idea.id, "user_id": user.id, "thinktank_id": thinktank.id, "created_at": utcnow()}
    if thinktank.support_limit:
        # The member's row lock serialises that member's concurrent supports on PostgreSQL (SQLite serialises
        # writers), so the count below cannot be overtaken; the lock also finds the membership.
        if db.session.scalar(_active_membership_id(thinktank, user).with_for_update()) is None:
            require_member(thinktank, user)
        used = (select(func.count()).select_from(Support)
                .where(Support.user_id == user.id, Support.thinktank_id == thinktank.id).scalar_subquery())
        allowed = used < thinktank.support_limit
    else:
        # The membership is checked by the INSERT itself: one statement instead of two on the way that counts.
        allowed = _active_membership_id(thinktank, user).exists()
    source = select(*[literal(value) for value in values.values()]).where(allowed)
    statement = insert_ignoring_conflicts(Support.__table__, None, conflict=["idea_id", "user_id"],
                                          source=(list(values), source))
    if db.session.execute(statement).first() is None:
        # Nothing added: not a member, supported already, or at the limit; find out which (the rare way).
        require_member(thinktank, user)
        already = db.session.scalar(select(exists().where(Support.idea_id == idea.id, Support.user_id == user.id)))
        if already or not thinktank.support_limit:
            return False
        raise Conflict(_l("You have used all %(n)d of your supports in this think tank. Withdraw one to "
                          "support this idea.", n=thinktank.support_limit), code="support_limit")
    _count_support(idea, +1)
    auto_follow(user.id, "idea", idea.id)
    return True


def _active_membership_id(thinktank: ThinkTank, user: Any) -> Any:
    return select(Membership.id).where(Membership.thinktank_id == thinktank.id, Membership.user_id == user.id,
                                       Membership.status == "active")


def _count_support(idea: Idea, change: int) -> None:
    """Change the idea's support count atomically, and give the loaded idea the counters the row has now."""
    ideas = Idea.__table__  # a Core statement: the ORM's bulk-update machinery costs more than the UPDATE
    counters = db.session.execute(
        update(ideas).where(ideas.c.id == idea.id).values(support_count=ideas.c.support_count + change)
        .returning(ideas.c.support_count, ideas.c.comment_count)).one()
    set_committed_value(idea, "support_count", counters.support_count)
    set_committed_value(idea, "comment_count", counters.comment_count)


def withdraw_support(idea: Idea, user: Any) -> bool:
    """Withdraw your support; return whether there was one (then the idea's counters are the database's)."""
    _require_writable(idea.thinktank)
    result = db.session.execute(delete(Support).where(Support.idea_id == idea.id, Support.user_id == user.id))
    if result.rowcount != 1:
        return False
    _count_support(idea, -1)
    return True


def supports_used(thinktank: ThinkTank, user: Any) -> int:
    """Return how many ideas in the think tank the user supports."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return db.session.scalar(select(func.count()).select_from(Support).where(
        Support.user_id == user.id, Support.thinktank_id == thinktank.id)) or 0


def supported_ids(user: Any, idea_ids: list[int]) -> set[int]:
    """Return which of these ideas the user supports, in one query."""
    if not getattr(user, "is_authenticated", False) or not idea_ids:
        return set()
    return set(db.session.scalars(select(Support.idea_id).where(Support.user_id == user.id,
                                                                Support.idea_id.in_(idea_ids))))


# --- comments --------------------------------------------------------------------------------------------------

def add_comment(idea: Idea, *, author: Any, body: Any, parent: Comment | None = None,
                anonymous: bool = False) -> Comment:
    """Comment on an idea, or reply to a comment (one level: a reply to a reply answers its parent); anonymously
    if asked. Under pre-moderation the comment waits for a chair: not counted, nobody told, until approved."""
    require_member(idea.thinktank, author)
    if not idea.is_visible:
        raise Conflict(_l("This idea is closed for comments."), code="closed")
    moderator = can_moderate(idea.thinktank, author)
    if parent is not None and (parent.idea_id != idea.id
                               or not is_shown_to(parent, author, moderator=moderator)):
        raise DomainError(_l("You can only reply to a comment on the same idea."), field="parent_id")
    replied_to = parent
    if parent is not None and parent.parent_id is not None:
        parent = db.session.get(Comment, parent.parent_id)
    comment = Comment(idea_id=idea.id, author_id=author.id, parent_id=parent.id if parent else None,
                      body=_body(body, field="body", maximum=COMMENT_MAX, label=_l("Comment")),
                      anonymous=bool(anonymous), review=initial_review(idea.thinktank, author))
    db.session.add(comment)
    db.session.flush()
    if comment.review is None:
        publish_comment(comment, idea, replied_to=replied_to)
    else:
        tell_chairs(idea.thinktank, what="comment", idea_title=idea.title)
    return comment


def publish_comment(comment: Comment, idea: Idea, *, replied_to: Comment | None) -> None:
    """Count a comment that others can now read, and tell the author of the idea and of the comment replied to."""
    db.session.execute(update(Idea).where(Idea.id == idea.id).values(comment_count=Idea.comment_count + 1))
    link = f"/ideas/{idea.id}#comment-{comment.id}"
    if replied_to is not None and replied_to.author_id:
        notify([replied_to.author_id], "reply", url=link, exclude=comment.author_id, idea_title=idea.title)
    if replied_to is None or replied_to.author_id != idea.author_id:
        notify([idea.author_id], "comment", url=link, exclude=comment.author_id, idea_title=idea.title)


def edit_comment(comment: Comment, *, by: Any, body: Any) -> Comment:
    """Change your own comment."""
    _require_writable(comment.idea.thinktank)
    if comment.author_id != getattr(by, "id", None) or comment.deleted_at is not None:
        raise Forbidden(_l("Only the author can edit this comment."), code="not_author")
    comment.body = _body(body, field="body", maximum=COMMENT_MAX, label=_l("Comment"))
    comment.edited_at = utcnow()
    return comment


def delete_comment(comment: Comment, *, by: Any) -> None:
    """Delete your own comment; a placeholder stays so replies keep their context."""
    _require_writable(comment.idea.thinktank)
    if comment.author_id != getattr(by, "id", None):
        raise Forbidden(_l("Only the author can delete this comment."), code="not_author")
    if comment.deleted_at is None:
        comment.deleted_at = utcnow()
        comment.body = ""
        if comment.hidden_at is None and comment.review is None:  # only published comments were counted
            db.session.execute(update(Idea).where(Idea.id == comment.idea_id)
                               .values(comment_count=Idea.comment_count - 1))


def comments_of(idea: Idea, viewer: Any = None, *,
                moderator: bool = False) -> list[tuple[Comment, list[Comment]]]:
    """Return the comments of an idea the viewer may see as (comment, replies) pairs, oldest first, in one query.

    Comments waiting for approval are left out, except for their author and the chairs (is_shown_to)."""
    rows = list(db.session.scalars(select(Comment).where(Comment.idea_id == idea.id,
                                                         shown_clause(Comment, viewer, moderator=moderator))
                                   .options(selectinload(Comment.author))
                                   .order_by(Comment.created_at, Comment.id)))
    replies: dict[int, list[Comment]] = {}
    for comment in rows:
        if comment.parent_id is not None:
            replies.setdefault(comment.parent_id, []).append(comment)
    return [(comment, replies.get(comment.id, [])) for comment in rows if comment.parent_id is None]


# --- decisions -------------------------------------------------------------------------------------------------

def decide(idea: Idea, *, by: Any, status: Any, answer: Any, merged_into: Idea | None = None) -> StatusChange:
    """Set an idea's status with a written answer (chairs); record it, audit it and tell author and supporters."""
    _require_moderator(idea.thinktank, by)
    if status not in IDEA_STATUSES:
        raise DomainError(_l("Unknown status. Choose one of: %(choices)s.", choices=", ".join(IDEA_STATUSES)),
                          field="status", code="invalid_status")
    answer = _body(answer, field="answer", maximum=ANSWER_MAX, label=_l("Answer"))
    if status == "merged":
        if merged_into is None or merged_into.id == idea.id or merged_into.thinktank_id != idea.thinktank_id:
            raise DomainError(_l("Choose another idea of this think tank to merge into."), field="merged_into")
        idea.merged_into_id = merged_into.id
    else:
        idea.merged_into_id = None
    change = StatusChange(idea_id=idea.id, actor_id=by.id, from_status=idea.status, to_status=status, answer=answer)
    db.session.add(change)
    record(by, "idea.status", "idea", idea.id, old=idea.status, new=status)
    idea.status, idea.answer, idea.answered_at = status, answer, utcnow()
    # Author and supporters follow the idea (unless they unfollowed): the fan-out tells its followers, each only
    # if they may see the idea; the author of an adopted idea at once (docs/notifications.md).
    record_event("idea.adopted" if status == "adopted" else "idea.status", "idea", idea.id,
                 thinktank_id=idea.thinktank_id, actor=by, url=f"/ideas/{idea.id}",
                 personal=idea.author_id if status == "adopted" else None, idea_title=idea.title, status=status)
    return change


# Read here by name: the action items (samen/actions) sit above ideas and import this module.
_action_ideas = table("action_ideas", column("idea_id"))


def move_targets(idea: Idea, user: Any) -> list[ThinkTank]:
    """Return the think tanks the user may move the idea to, by name, in one query: not archived, not its own,
    and readable by the user (can_view)."""
    stmt = select(ThinkTank).where(ThinkTank.id != idea.thinktank_id, ThinkTank.archived_at.is_(None))
    if not chairs_whole_plan(user):
        stmt = stmt.where(or_(ThinkTank.join_policy == "open", ThinkTank.id.in_(
            select(Membership.thinktank_id).where(Membership.user_id == user.id, Membership.status == "active"))))
    return list(db.session.scalars(stmt.order_by(ThinkTank.name)))


def move_idea(idea: Idea, thinktank: ThinkTank | None, *, by: Any, reason: Any = "") -> None:
    """Move an idea to another think tank (the chairs of its think tank, admins, the coordinator).

    Its supports, comments and reports go along; its tags, the old think tank's, are dropped; its status and
    answer stay. The author and the idea's followers are told, and so are the followers of the think tank it
    comes to (`idea.moved`), each only if they may see it there. Refused for an idea that is part of an action
    item or of a merge (those stay with their think tank), and into a closed think tank its author is not in
    (they would lose sight of their own idea)."""
    source = idea.thinktank
    _require_moderator(source, by)
    if thinktank is None or not can_view(thinktank, by):
        raise DomainError(_l("Choose a think tank."), field="thinktank")
    if thinktank.id == idea.thinktank_id:
        raise DomainError(_l("The idea is in this think tank already. Choose another one."), field="thinktank")
    if thinktank.is_archived:
        raise DomainError(_l("This think tank is archived and can no longer be changed."), field="thinktank",
                          code="archived")
    reason = _text(reason, field="reason", maximum=REASON_MAX, required=False, label=_l("Why"))
    if db.session.scalar(select(exists().where(_action_ideas.c.idea_id == idea.id))):
        raise Conflict(_l("This idea is part of an action item; it stays in its think tank."), code="in_action")
    if idea.merged_into_id is not None or db.session.scalar(select(exists().where(Idea.merged_into_id == idea.id))):
        raise Conflict(_l("This idea is part of a merge; ideas merged together stay in one think tank."),
                       code="merged")
    author = idea.author
    if (author is not None and not thinktank.is_open and not chairs_whole_plan(author)
            and active_membership(thinktank, author) is None):
        raise DomainError(_l("The author of this idea is not a member of %(name)s, a think tank whose ideas only "
                             "its members read: they would no longer see their own idea.", name=thinktank.name),
                          field="thinktank", code="author_not_member")
    comment_ids = select(Comment.id).where(Comment.idea_id == idea.id).scalar_subquery()
    db.session.execute(update(Support).where(Support.idea_id == idea.id).values(thinktank_id=thinktank.id))
    db.session.execute(update(Report).where(or_(Report.idea_id == idea.id, Report.comment_id.in_(comment_ids)))
                       .values(thinktank_id=thinktank.id))
    db.session.execute(delete(idea_tags).where(idea_tags.c.idea_id == idea.id))
    idea.thinktank_id, idea.thinktank, idea.updated_at = thinktank.id, thinktank, utcnow()
    set_committed_value(idea, "tags", [])
    record(by, "idea.move", "idea", idea.id, old=source.slug, new=thinktank.slug)
    record_event("idea.moved", "idea", idea.id, thinktank_id=thinktank.id, actor=by, url=f"/ideas/{idea.id}",
                 personal=idea.author_id, idea_title=idea.title, from_name=source.name, to_name=thinktank.name,
                 reason=reason)


def status_history(idea: Idea) -> list[StatusChange]:
    """Return the decisions on an idea, oldest first, with who took them."""
    return list(db.session.scalars(select(StatusChange).where(StatusChange.idea_id == idea.id)
                                   .options(selectinload(StatusChange.actor))
                                   .order_by(StatusChange.created_at, StatusChange.id)))


# --- reports and moderation ------------------------------------------------------------------------------------

def report(*, by: Any, reason: Any, idea: Idea | None = None, comment: Comment | None = None) -> Report:
    """Report an idea or a comment to the chairs (members only)."""
    subject_idea = idea if idea is not None else comment.idea if comment is not None else None
    if subject_idea is None:
        raise DomainError(_l("Say what you report."), field="subject")
    require_member(subject_idea.thinktank, by)
    entry = Report(thinktank_id=subject_idea.thinktank_id, idea_id=idea.id if idea else None,
                   comment_id=comment.id if comment else None, reporter_id=by.id,
                   reason=_body(reason, field="reason", maximum=REASON_MAX, label=_l("Reason")))
    db.session.add(entry)
    db.session.flush()
    return entry


def open_reports(thinktank: ThinkTank) -> list[Report]:
    """Return the reports waiting for a chair, oldest first, with what they are about."""
    return list(db.session.scalars(
        select(Report).where(Report.thinktank_id == thinktank.id, Report.resolved_at.is_(None))
        .options(selectinload(Report.idea), selectinload(Report.comment).selectinload(Comment.idea),
                 selectinload(Report.reporter))
        .order_by(Report.created_at, Report.id)))


def resolve_report(entry: Report, *, by: Any, outcome: str, note: Any = "") -> None:
    """Hide the reported content (with a reason shown in its place) or dismiss the report; never delete."""
    thinktank = db.session.get(ThinkTank, entry.thinktank_id)
    _require_moderator(thinktank, by)
    if entry.resolved_at is not None:
        raise Conflict(_l("This report was already handled."), code="resolved")
    if outcome not in ("hidden", "dismissed"):
        raise DomainError(_l("Choose to hide or to dismiss."), field="outcome")
    note = _body(note, field="note", maximum=500, required=outcome == "hidden", label=_l("Reason shown"))
    entry.resolved_at, entry.resolved_by_id, entry.outcome, entry.note = utcnow(), by.id, outcome, note or None
    subject = entry.comment if entry.comment_id else entry.idea
    if outcome == "hidden":
        hide(subject, by=by, reason=note)
    record(by, f"report.{outcome}", "report", entry.id, idea_id=entry.idea_id, comment_id=entry.comment_id)
    idea = subject.idea if isinstance(subject, Comment) else subject
    notify([entry.reporter_id], "report_outcome", url=f"/ideas/{idea.id}", outcome=outcome, idea_title=idea.title)


def hide(subject: Idea | Comment, *, by: Any, reason: str) -> None:
    """Hide an idea or a comment by moderation; the author is told why."""
    if subject.hidden_at is not None:
        return
    subject.hidden_at, subject.hidden_reason = utcnow(), reason
    kind = "comment" if isinstance(subject, Comment) else "idea"
    idea = subject.idea if isinstance(subject, Comment) else subject
    if isinstance(subject, Comment) and subject.deleted_at is None and subject.review is None:
        db.session.execute(update(Idea).where(Idea.id == idea.id).values(comment_count=Idea.comment_count - 1))
    record(by, f"{kind}.hide", kind, subject.id, reason=reason)
    notify([subject.author_id], "hidden", url=f"/ideas/{idea.id}", what=kind, reason=reason,
           idea_title=idea.title)


# --- lists -----------------------------------------------------------------------------------------------------

@dataclass
class IdeaPage:
    """One page of a think tank's ideas."""

    ideas: list[Idea]
    total: int
    page: int
    per_page: int
    supported: set[int]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def parse_page(value: Any) -> int:
    """Return a page number from a query parameter, or raise a clear error."""
    if value in (None, ""):
        return 1
    try:
        page = int(value)
    except (TypeError, ValueError):
        raise DomainError(_l("The page must be a whole number."), field="page", code="invalid_page") from None
    if page < 1 or page > MAX_PAGE:
        raise DomainError(_l("The page must be between 1 and %(n)d.", n=MAX_PAGE), field="page",
                          code="invalid_page")
    return page


def list_ideas(thinktank: ThinkTank, *, viewer: Any = None, sort: Any = "support", status: Any = None,
               tag: Any = None, q: Any = None, page: Any = 1, per_page: int = PER_PAGE) -> IdeaPage:
    """Return one page of visible ideas, sorted and filtered, in a fixed number of queries."""
    _require_view(thinktank, viewer)
    sort = sort or "support"
    if sort not in SORTS:
        raise DomainError(_l("Unknown sort order. Choose one of: %(choices)s.", choices=", ".join(SORTS)),
                          field="sort", code="invalid_sort")
    if status and status not in IDEA_STATUSES:
        raise DomainError(_l("Unknown status. Choose one of: %(choices)s.", choices=", ".join(IDEA_STATUSES)),
                          field="status", code="invalid_status")
    if q is not None and (not isinstance(q, str) or len(q) > 200):
        raise DomainError(_l("Use at most %(n)d characters.", n=200), field="q")
    page = parse_page(page)
    conditions = [Idea.thinktank_id == thinktank.id, visible_ideas()]
    if status:
        conditions.append(Idea.status == status)
    if tag:
        conditions.append(exists().where(idea_tags.c.idea_id == Idea.id, idea_tags.c.tag_id == Tag.id,
                                         Tag.slug == str(tag), Tag.thinktank_id == thinktank.id))
    match = search.matches(q) if q else None
    if match is not None:
        conditions.append(match)
    where = and_(*conditions)
    total = db.session.scalar(select(func.count()).select_from(Idea).where(where)) or 0
    offset = (page - 1) * per_page
    if sort == "rising":
        recent = (select(Support.idea_id, func.count().label("n")).where(
            Support.thinktank_id == thinktank.id, Support.created_at >= utcnow() - RISING_WINDOW)
            .group_by(Support.idea_id).subquery())
        # Order only the ids with their two numbers, then load the page's rows: sorting every visible idea of the
        # think tank with its whole row cost most of the time (4-5 times as much at page 50, docs/benchmarks.md).
        rank = func.coalesce(recent.c.n, 0)
        chosen = (select(Idea.id.label("id"), rank.label("recent"), Idea.support_count.label("support"))
                  .outerjoin(recent, recent.c.idea_id == Idea.id).where(where)
                  .order_by(rank.desc(), Idea.support_count.desc(), Idea.id.desc())
                  .offset(offset).limit(per_page).subquery())
        stmt = (select(Idea).join(chosen, chosen.c.id == Idea.id)
                .order_by(desc(chosen.c.recent), desc(chosen.c.support), Idea.id.desc()))
    else:
        column = {"support": Idea.support_count, "new": Idea.created_at, "discussed": Idea.comment_count}[sort]
        stmt = select(Idea).where(where).order_by(column.desc(), Idea.id.desc()).offset(offset).limit(per_page)
    stmt = stmt.options(selectinload(Idea.tags), joinedload(Idea.author))
    ideas = list(db.session.scalars(stmt))
    return IdeaPage(ideas=ideas, total=total, page=page, per_page=per_page,
                    supported=supported_ids(viewer, [idea.id for idea in ideas]))


def get_idea(idea_id: Any, *, viewer: Any = None) -> Idea | None:
    """Return an idea the viewer may see (hidden ideas show as placeholders), or None."""
    try:
        key = inputs.ident(idea_id, field="idea_id")
    except inputs.InvalidInput:
        return None
    idea = db.session.get(Idea, key, options=[selectinload(Idea.tags), selectinload(Idea.author),
                                              selectinload(Idea.thinktank)])
    if idea is None or not can_view(idea.thinktank, viewer):
        return None
    if not is_shown_to(idea, viewer):
        return None
    return idea
