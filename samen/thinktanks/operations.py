"""The plan and its think tanks: create, edit, archive; join, leave, approve; appoint chairs."""
from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from samen.accounts.models import User
from samen.accounts.operations import require_confirmed
from samen.core import inputs
from samen.core.database import db, utcnow
from samen.core.errors import Conflict, DomainError
from samen.follows.operations import auto_follow, record_event
from samen.thinktanks.models import JOIN_POLICIES, Membership, Plan, ThinkTank

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
THINKTANK_FIELDS = ("name", "slug", "theme", "summary", "description", "join_policy", "position",
                    "support_limit")
NULLABLE_FIELDS = ("support_limit",)  # None clears these (no limit) instead of leaving them as they are
SUPPORT_LIMIT_RANGE = (1, 50)
POSITION_MAX = 1000
# The column lengths: checked here too, so that a caller without a form (API, CLI) gets a message, not a 500.
MAX_LENGTHS = {"name": 120, "slug": 80, "theme": 120, "summary": 300, "description": 20000}


def get_plan() -> Plan:
    """Return the site's plan; until one is saved, an unsaved default (reading a page never writes)."""
    plan = db.session.scalar(select(Plan).order_by(Plan.id).limit(1))
    if plan is None:
        plan = Plan(title="Samen", municipality="", introduction="")
    return plan


def update_plan(plan: Plan, *, title: str, municipality: str, introduction: str) -> Plan:
    """Change the plan's title, municipality and introduction; the first save stores the plan."""
    title = inputs.line(title, field="title", maximum=200)
    if not title:
        raise DomainError(_l("A title is required."), field="title")
    municipality = inputs.line(municipality, field="municipality", maximum=120)
    introduction = inputs.body(introduction, field="introduction", maximum=20000)
    db.session.add(plan)
    plan.title = title
    plan.municipality = municipality
    plan.introduction = introduction
    return plan


def thinktanks_with_counts(*, include_archived: bool = False) -> list[tuple[ThinkTank, int]]:
    """Return the think tanks in their order, each with its number of active members, in one query."""
    members = (select(Membership.thinktank_id, func.count().label("n"))
               .where(Membership.status == "active").group_by(Membership.thinktank_id).subquery())
    stmt = (select(ThinkTank, func.coalesce(members.c.n, 0))
            .outerjoin(members, members.c.thinktank_id == ThinkTank.id)
            .order_by(case((ThinkTank.archived_at.is_(None), 0), else_=1), ThinkTank.position,
                      ThinkTank.name))
    if not include_archived:
        stmt = stmt.where(ThinkTank.archived_at.is_(None))
    return [(tt, count) for tt, count in db.session.execute(stmt)]


def get_thinktank(slug: str) -> ThinkTank | None:
    """Return the think tank with this slug, or None (also for what cannot be a slug: %00 in an address)."""
    if not isinstance(slug, str) or len(slug) > MAX_LENGTHS["slug"] or not SLUG_RE.match(slug):
        return None
    return db.session.scalar(select(ThinkTank).where(ThinkTank.slug == slug))


def member_count(thinktank: ThinkTank) -> int:
    """Return the number of active members."""
    return db.session.scalar(select(func.count()).select_from(Membership).where(
        Membership.thinktank_id == thinktank.id, Membership.status == "active")) or 0


def pending_count(thinktank: ThinkTank) -> int:
    """Return the number of requests to join that wait for a chair."""
    return db.session.scalar(select(func.count()).select_from(Membership).where(
        Membership.thinktank_id == thinktank.id, Membership.status == "pending")) or 0


def memberships(thinktank: ThinkTank, *, status: str = "active") -> list[Membership]:
    """Return the memberships of a think tank with their users, chairs first, in one query."""
    return list(db.session.scalars(
        select(Membership).join(Membership.user).options(contains_eager(Membership.user))
        .where(Membership.thinktank_id == thinktank.id, Membership.status == status)
        .order_by(case((Membership.role == "chair", 0), else_=1), func.lower(User.display_name), User.id)))


def chairs(thinktank: ThinkTank) -> list[User]:
    """Return the chairs of a think tank."""
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.thinktank_id == thinktank.id, Membership.role == "chair",
               Membership.status == "active").order_by(func.lower(User.display_name), User.id)))


def chair_count(thinktank: ThinkTank) -> int:
    """Return the number of chairs."""
    return db.session.scalar(select(func.count()).select_from(Membership).where(
        Membership.thinktank_id == thinktank.id, Membership.role == "chair",
        Membership.status == "active")) or 0


def membership_of(thinktank: ThinkTank, user: Any) -> Membership | None:
    """Return the user's membership of the think tank (active or pending), or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(Membership).where(
        Membership.thinktank_id == thinktank.id, Membership.user_id == user.id))


def _slug_taken() -> Conflict:
    return Conflict(_l("Another think tank already uses this web address."), code="slug_taken", field="slug")


def _validate_fields(data: dict[str, Any], *, current: ThinkTank | None = None) -> dict[str, Any]:
    clean = {key: data[key] for key in THINKTANK_FIELDS
             if key in data and (data[key] is not None or key in NULLABLE_FIELDS)}
    for key in ("name", "slug", "theme", "summary"):
        if key in clean:
            clean[key] = inputs.line(clean[key], field=key, maximum=MAX_LENGTHS[key])
    if "name" in clean and not clean["name"]:
        raise DomainError(_l("A name is required."), field="name")
    if "description" in clean:
        clean["description"] = inputs.body(clean["description"], field="description",
                                           maximum=MAX_LENGTHS["description"])
    if "slug" in clean:
        if not SLUG_RE.match(clean["slug"]):
            raise DomainError(_l("Use lower-case letters, digits and hyphens only."), field="slug")
        taken = get_thinktank(clean["slug"])
        if taken is not None and taken is not current:
            raise _slug_taken()
    if "join_policy" in clean and clean["join_policy"] not in JOIN_POLICIES:
        raise DomainError(_l("Choose open or by approval."), field="join_policy")
    if "position" in clean:
        clean["position"] = inputs.whole(clean["position"], field="position", minimum=-POSITION_MAX,
                                         maximum=POSITION_MAX, message=_l("Enter a whole number."))
    if clean.get("support_limit") is not None:
        low, high = SUPPORT_LIMIT_RANGE
        limit = clean["support_limit"]
        if isinstance(limit, bool) or not isinstance(limit, int) or not low <= limit <= high:
            raise DomainError(_l("Enter a whole number from 1 to 50, or leave it empty."),
                              field="support_limit")
    return clean


def create_thinktank(data: dict[str, Any]) -> ThinkTank:
    """Create a think tank from validated fields; refuse a web address that is taken."""
    clean = _validate_fields(data)
    if "name" not in clean:
        raise DomainError(_l("A name is required."), field="name")
    if "slug" not in clean:
        raise DomainError(_l("A web address is required."), field="slug")
    thinktank = ThinkTank(**clean)
    try:
        with db.session.begin_nested():  # two admins saving the same slug at once: a message, not a 500
            db.session.add(thinktank)
    except IntegrityError:
        raise _slug_taken() from None
    return thinktank


def update_thinktank(thinktank: ThinkTank, data: dict[str, Any]) -> ThinkTank:
    """Change a think tank's fields; refuse a web address that another think tank uses."""
    clean = _validate_fields(data, current=thinktank)
    try:
        with db.session.begin_nested():
            for key, value in clean.items():
                setattr(thinktank, key, value)
    except IntegrityError:
        raise _slug_taken() from None
    return thinktank


def archive_thinktank(thinktank: ThinkTank, *, archived: bool = True) -> None:
    """Archive a think tank (read-only from then on), or bring it back."""
    thinktank.archived_at = (thinktank.archived_at or utcnow()) if archived else None


def _require_not_archived(thinktank: ThinkTank) -> None:
    if thinktank.is_archived:
        raise DomainError(_l("This think tank is archived and can no longer be changed."), code="archived",
                          status=409)


def join_thinktank(thinktank: ThinkTank, user: User) -> Membership:
    """Join an open think tank, or ask to join one that needs a chair's approval (a confirmed address first)."""
    require_confirmed(user)
    _require_not_archived(thinktank)
    membership = membership_of(thinktank, user)
    if membership is not None:
        return membership
    membership = Membership(thinktank_id=thinktank.id, user_id=user.id, role="member",
                            status="active" if thinktank.is_open else "pending")
    try:
        with db.session.begin_nested():  # a double click: the unique constraint holds, the first join counts
            db.session.add(membership)
    except IntegrityError:
        existing = membership_of(thinktank, user)
        if existing is None:
            raise
        return existing
    auto_follow(user.id, "thinktank", thinktank.id)
    return membership


def leave_thinktank(thinktank: ThinkTank, user: User) -> None:
    """Leave a think tank, or withdraw a request to join; the last chair cannot leave."""
    _require_not_archived(thinktank)
    membership = membership_of(thinktank, user)
    if membership is None:
        return
    if membership.is_chair and chair_count(thinktank) <= 1:
        raise Conflict(_l("You are the only chair. Ask an administrator to appoint another chair first."),
                       code="last_chair")
    db.session.delete(membership)


def decide_membership(membership: Membership, *, approve: bool) -> None:
    """Approve a pending request to join, or turn it down."""
    _require_not_archived(membership.thinktank)
    if membership.status != "pending":
        raise Conflict(_l("This request was already handled."), code="not_pending")
    thinktank = membership.thinktank
    record_event("membership.approved" if approve else "membership.declined", "thinktank", thinktank.id,
                 thinktank_id=thinktank.id, personal=membership.user_id, url=f"/thinktanks/{thinktank.slug}",
                 thinktank_name=thinktank.name)
    if approve:
        membership.status = "active"
    else:
        db.session.delete(membership)


def appoint_chair(thinktank: ThinkTank, user: User) -> Membership:
    """Make the user a chair of the think tank (and so an active member)."""
    membership = membership_of(thinktank, user)
    if membership is None:
        membership = Membership(thinktank=thinktank, user=user)
        db.session.add(membership)
    membership.role = "chair"
    membership.status = "active"
    db.session.flush()
    return membership


def dismiss_chair(thinktank: ThinkTank, user: User) -> None:
    """Make a chair an ordinary member again."""
    membership = membership_of(thinktank, user)
    if membership is not None and membership.role == "chair":
        membership.role = "member"
