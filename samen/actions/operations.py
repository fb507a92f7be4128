"""Action items, their milestones and progress updates; indicators and measurements; due-date reminders.

Like every operations module: functions take the acting user, check the rules and raise DomainError/Forbidden/
Conflict with translatable messages; they add to the session, the caller commits once.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import selectinload

from samen.accounts.models import User
from samen.actions.models import (ACTION_STATUSES, DIRECTIONS, INDICATOR_KINDS, OPEN_ACTION_STATUSES, ActionItem,
                                  Indicator, Measurement, Milestone, ProgressUpdate, ReminderSent)
from samen.audit.operations import record
from samen.core import inputs
from samen.core.database import db, insert_ignoring_conflicts, utcnow
from samen.core.errors import DomainError, Forbidden
from samen.ideas.models import Idea
from samen.thinktanks.models import Membership, ThinkTank
from samen.thinktanks.operations import membership_of

TITLE_MAX = 200
TEXT_MAX = 20_000
DUE_SOON_DAYS = 14
REMINDER_DAYS = {"due7": 7, "due1": 1}
STATUS_LABELS = {
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
    "delayed": _l("Delayed"),
    "stopped": _l("Stopped"),
}
OWNER = _l("The owner must be a member of this think tank.")
IDEAS = _l("Choose ideas of this think tank.")
INDICATORS = _l("Choose indicators of the plan or of this think tank.")
AUDITED_FIELDS = ("title", "description", "owner_id", "organisation", "start_date", "due_date", "status",
                  "stop_reason", "progress", "public", "decision")


# --- who may do what -------------------------------------------------------------------------------------------

def _is_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_admin)


def can_manage(thinktank: ThinkTank, user: Any) -> bool:
    """Chairs of the think tank and admins create, assign and edit actions."""
    if _is_admin(user):
        return True
    membership = membership_of(thinktank, user)
    return bool(membership and membership.is_chair)


def can_update(action: ActionItem, user: Any) -> bool:
    """The owner, the chairs and admins post progress updates."""
    if not getattr(user, "is_authenticated", False):
        return False
    return action.owner_id == user.id or can_manage(action.thinktank, user)


def require_creator(thinktank: ThinkTank, user: Any) -> None:
    """Refuse (403) anyone who may not create action items in the think tank."""
    if not can_manage(thinktank, user):
        raise Forbidden(_l("Only the chairs of this think tank can create action items."), code="not_chair")


def require_editor(action: ActionItem, user: Any) -> None:
    """Refuse (403) anyone who may not change the action item."""
    if not can_manage(action.thinktank, user):
        raise Forbidden(_l("Only the chairs of this think tank can edit this action item."), code="not_chair")


def require_updater(action: ActionItem, user: Any) -> None:
    """Refuse (403) anyone who may not post progress updates on the action item."""
    if not can_update(action, user):
        raise Forbidden(_l("Only the owner and the chairs can post updates on this action item."),
                        code="not_owner")


def can_view(action: ActionItem, user: Any) -> bool:
    """Public actions are for everyone; internal ones for members of the think tank and admins."""
    if action.public:
        return True
    if _is_admin(user):
        return True
    membership = membership_of(action.thinktank, user)
    return bool(membership and membership.is_active)


# --- validation ------------------------------------------------------------------------------------------------

def _text(value: Any, *, field: str, maximum: int, required: bool = False, label: Any = None) -> str:
    return inputs.line(value, field=field, maximum=maximum, required=required, label=label)


def _body(value: Any, *, field: str, maximum: int, required: bool = False, label: Any = None) -> str:
    return inputs.body(value, field=field, maximum=maximum, required=required, label=label)


def parse_date(value: Any, *, field: str) -> date | None:
    """Return a date from a date or an ISO string (YYYY-MM-DD), 1900 to 2100; None for empty; refuse the rest."""
    return inputs.day(value, field=field)


def parse_number(value: Any, *, field: str) -> float:
    """Return a finite number from a number or text as Dutch people type it (docs/input.md)."""
    return inputs.number(value, field=field)


def _progress(value: Any) -> int:
    return inputs.whole(value, field="progress", minimum=0, maximum=100,
                        message=_l("Progress is a whole number from 0 to 100."))


def _status(value: Any, stop_reason: str | None) -> str:
    if value not in ACTION_STATUSES:
        raise DomainError(_l("Unknown status. Choose one of: %(choices)s.", choices=", ".join(ACTION_STATUSES)),
                          field="status", code="invalid_status")
    if value == "stopped" and not stop_reason:
        raise DomainError(_l("Say why the action is stopped."), field="stop_reason", code="stop_reason")
    return value


def _owner(thinktank: ThinkTank, owner: Any) -> User | None:
    if owner in (None, ""):
        return None
    user = owner if isinstance(owner, User) else None
    if user is None:
        user = db.session.get(User, inputs.ident(owner, field="owner_id"))
    membership = membership_of(thinktank, user) if user is not None else None
    if membership is None or not membership.is_active:
        raise DomainError(OWNER, field="owner_id", code="owner")
    return user


def _ideas(thinktank: ThinkTank, ideas: Iterable[Any]) -> list[Idea]:
    result = []
    for item in ideas or ():
        idea = item if isinstance(item, Idea) else None
        if idea is None:
            idea = db.session.get(Idea, inputs.ident(item, field="ideas"))
        if idea is None or idea.thinktank_id != thinktank.id:
            raise DomainError(IDEAS, field="ideas", code="idea")
        if idea.status != "adopted":
            raise DomainError(_l("Only adopted ideas become action items."), field="ideas", code="not_adopted")
        result.append(idea)
    return result


def _indicators(thinktank: ThinkTank, indicators: Iterable[Any]) -> list[Indicator]:
    result = []
    for item in indicators or ():
        indicator = item if isinstance(item, Indicator) else None
        if indicator is None:
            indicator = db.session.get(Indicator, inputs.ident(item, field="indicators"))
        if indicator is None or indicator.thinktank_id not in (None, thinktank.id):
            raise DomainError(INDICATORS, field="indicators")
        result.append(indicator)
    return result


def _check_dates(start: date | None, due: date | None) -> None:
    if start and due and due < start:
        raise DomainError(_l("The due date cannot be before the start date."), field="due_date", code="dates")


# --- actions ---------------------------------------------------------------------------------------------------

def create_action(thinktank: ThinkTank, *, by: Any, title: Any, description: Any = "", owner: Any = None,
                  organisation: Any = "", start_date: Any = None, due_date: Any = None, status: Any = "planned",
                  stop_reason: Any = None, progress: Any = 0, public: bool = True, ideas: Iterable[Any] = (),
                  indicators: Iterable[Any] = (), decision: Any = "") -> ActionItem:
    """Create an action item, from adopted ideas or directly (chairs and admins)."""
    require_creator(thinktank, by)
    if thinktank.is_archived:
        raise DomainError(_l("This think tank is archived and can no longer be changed."), code="archived",
                          status=409)
    start, due = parse_date(start_date, field="start_date"), parse_date(due_date, field="due_date")
    _check_dates(start, due)
    reason = _body(stop_reason, field="stop_reason", maximum=1000) or None
    owner_user = _owner(thinktank, owner)
    action = ActionItem(
        thinktank_id=thinktank.id, title=_text(title, field="title", maximum=TITLE_MAX, required=True,
                                               label=_l("Title")),
        description=_body(description, field="description", maximum=TEXT_MAX),
        owner_id=owner_user.id if owner_user else None,
        organisation=_text(organisation, field="organisation", maximum=120)
        or (owner_user.organisation or "" if owner_user else ""),
        start_date=start, due_date=due, status=_status(status, reason), stop_reason=reason,
        progress=_progress(progress), public=bool(public), created_by_id=by.id,
        decision=_body(decision, field="decision", maximum=TEXT_MAX),
        ideas=_ideas(thinktank, ideas), indicators=_indicators(thinktank, indicators))
    db.session.add(action)
    db.session.flush()
    record(by, "action.create", "action", action.id, title=action.title)
    return action


def update_action(action: ActionItem, *, by: Any, **changes: Any) -> ActionItem:
    """Change an action's fields (chairs and admins); every change is audited as old → new."""
    require_editor(action, by)
    values: dict[str, Any] = {}
    for name, value in changes.items():
        if name in ("title",):
            values[name] = _text(value, field=name, maximum=TITLE_MAX, required=True, label=_l("Title"))
        elif name in ("description", "decision"):
            values[name] = _body(value, field=name, maximum=TEXT_MAX)
        elif name == "organisation":
            values[name] = _text(value, field=name, maximum=120)
        elif name in ("start_date", "due_date"):
            values[name] = parse_date(value, field=name)
        elif name == "progress":
            values[name] = _progress(value)
        elif name == "public":
            values[name] = bool(value)
        elif name in ("owner", "owner_id"):
            owner = _owner(action.thinktank, value)
            values["owner_id"] = owner.id if owner else None
        elif name == "stop_reason":
            values[name] = _body(value, field=name, maximum=1000) or None
        elif name == "status":
            values[name] = value
        elif name == "ideas":
            action.ideas = _ideas(action.thinktank, value)
        elif name == "indicators":
            action.indicators = _indicators(action.thinktank, value)
        else:
            raise DomainError(_l("%(field)s cannot be changed.", field=name), field=name, code="read_only")
    _check_dates(values.get("start_date", action.start_date), values.get("due_date", action.due_date))
    if "status" in values or "stop_reason" in values:
        values["status"] = _status(values.get("status", action.status),
                                   values.get("stop_reason", action.stop_reason))
    if action.milestones:
        values.pop("progress", None)  # the milestones decide (milestone_progress)
    _apply(action, values, by=by)
    _derive_progress(action, by=by)
    return action


def _apply(action: ActionItem, values: dict[str, Any], *, by: Any) -> None:
    changed = {}
    for name, value in values.items():
        old = getattr(action, name)
        if old != value:
            changed[name] = [_plain(old), _plain(value)]
            setattr(action, name, value)
    if changed:
        action.updated_at = utcnow()
        record(by, "action.update", "action", action.id, changes=changed)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def post_update(action: ActionItem, *, by: Any, body: Any, progress: Any = None, status: Any = None,
                stop_reason: Any = None) -> ProgressUpdate:
    """Post a dated progress update with the new percentage and status (owner, chairs, admins)."""
    require_updater(action, by)
    body = _body(body, field="body", maximum=TEXT_MAX, required=True, label=_l("Update"))
    values: dict[str, Any] = {}
    if status not in (None, ""):
        reason = _body(stop_reason, field="stop_reason", maximum=1000) or action.stop_reason
        values["status"] = _status(status, reason if status == "stopped" else None)
        values["stop_reason"] = reason if status == "stopped" else None
    if progress not in (None, "") and not action.milestones:
        values["progress"] = _progress(progress)
    _apply(action, values, by=by)
    _derive_progress(action, by=by)  # a new status moves the progress from milestones too
    update = ProgressUpdate(action_id=action.id, author_id=by.id, body=body, progress=action.progress,
                            status=action.status)
    db.session.add(update)
    db.session.flush()
    return update


def add_milestone(action: ActionItem, *, by: Any, title: Any, due_date: Any = None) -> Milestone:
    """Add a milestone; from then on the action's progress is the share of milestones done."""
    if not can_update(action, by):
        raise Forbidden(_l("Only the owner and the chairs can change milestones."), code="not_owner")
    milestone = Milestone(title=_text(title, field="title", maximum=TITLE_MAX, required=True, label=_l("Title")),
                          due_date=parse_date(due_date, field="due_date"), position=len(action.milestones))
    action.milestones.append(milestone)
    _derive_progress(action, by=by)
    db.session.flush()
    return milestone


def set_milestone_done(milestone: Milestone, *, by: Any, done: bool) -> None:
    """Tick a milestone off (or on again) and derive the action's progress."""
    action = milestone.action
    if not can_update(action, by):
        raise Forbidden(_l("Only the owner and the chairs can change milestones."), code="not_owner")
    milestone.done_at = (milestone.done_at or utcnow()) if done else None
    _derive_progress(action, by=by)


def milestone_progress(status: str, done: int, total: int) -> int:
    """Return an action's progress from its milestones — the one rule: the share of milestones done, but 100 %
    only once the action is marked done (and then 100 %). Ticking the one milestone of an action that has not
    started gave "planned, 100 %" on the public pages; 100 % now always means done."""
    if status == "done":
        return 100
    if total <= 0:
        return 0
    return min(99, round(100 * done / total))


def _derive_progress(action: ActionItem, *, by: Any) -> None:
    if action.milestones:
        done = sum(1 for m in action.milestones if m.done_at is not None)
        _apply(action, {"progress": milestone_progress(action.status, done, len(action.milestones))}, by=by)


def convert_ideas(ideas: list[Idea], *, by: Any, **fields: Any) -> ActionItem:
    """Turn one or more adopted ideas of one think tank into an action item (chairs)."""
    if not ideas:
        raise DomainError(_l("Choose at least one adopted idea."), field="ideas")
    thinktank = ideas[0].thinktank
    fields.setdefault("title", ideas[0].title)
    fields.setdefault("decision", ideas[0].answer or "")
    return create_action(thinktank, by=by, ideas=ideas, **fields)


def get_action(action_id: Any, *, viewer: Any = None) -> ActionItem | None:
    """Return the action with everything its page shows, if the viewer may see it."""
    try:
        key = inputs.ident(action_id, field="action_id")
    except inputs.InvalidInput:
        return None
    action = db.session.get(ActionItem, key, options=[
        selectinload(ActionItem.thinktank), selectinload(ActionItem.owner),
        selectinload(ActionItem.ideas), selectinload(ActionItem.milestones),
        selectinload(ActionItem.indicators).selectinload(Indicator.measurements)])
    if action is None or not can_view(action, viewer):
        return None
    return action


def updates_of(action: ActionItem) -> list[ProgressUpdate]:
    """Return an action's progress updates, newest first, with their authors."""
    return list(db.session.scalars(select(ProgressUpdate).where(ProgressUpdate.action_id == action.id)
                                   .options(selectinload(ProgressUpdate.author))
                                   .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())))


def _overdue_first(today: date) -> Any:
    overdue = and_(ActionItem.status.in_(OPEN_ACTION_STATUSES), ActionItem.due_date < today)
    return case((overdue, 0), (ActionItem.status.in_(OPEN_ACTION_STATUSES), 1), else_=2)


def order_overdue_first(today: date) -> tuple[Any, ...]:
    """Return the ORDER BY of action lists: overdue first, then open, then the rest; by due date (none last)."""
    return (_overdue_first(today), ActionItem.due_date.is_(None), ActionItem.due_date, ActionItem.id)


def list_actions(*, viewer: Any = None, thinktank: ThinkTank | None = None, status: Any = None,
                 owner_id: Any = None, overdue: bool | None = None, today: date | None = None,
                 public_only: bool = False, limit: int | None = None, offset: int = 0) -> list[ActionItem]:
    """Return actions the viewer may see, overdue first then by due date, in a fixed number of queries."""
    today = today or date.today()
    if status and status not in ACTION_STATUSES:
        raise DomainError(_l("Unknown status. Choose one of: %(choices)s.", choices=", ".join(ACTION_STATUSES)),
                          field="status", code="invalid_status")
    stmt = select(ActionItem).options(selectinload(ActionItem.owner), selectinload(ActionItem.thinktank),
                                      selectinload(ActionItem.ideas))
    if thinktank is not None:
        stmt = stmt.where(ActionItem.thinktank_id == thinktank.id)
    if status:
        stmt = stmt.where(ActionItem.status == status)
    if owner_id not in (None, ""):
        owner = inputs.ident(owner_id, field="owner", message=_l("The owner must be a user id."))
        stmt = stmt.where(ActionItem.owner_id == owner)
    if overdue is not None:
        # Without the IS NOT NULL, NOT(...) is NULL for actions without a due date and leaves them out.
        is_overdue = and_(ActionItem.status.in_(OPEN_ACTION_STATUSES), ActionItem.due_date.is_not(None),
                          ActionItem.due_date < today)
        stmt = stmt.where(is_overdue if overdue else ~is_overdue)
    stmt = stmt.where(_visible_to(viewer, public_only=public_only))
    stmt = stmt.order_by(*order_overdue_first(today))
    if limit:
        stmt = stmt.limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    return list(db.session.scalars(stmt))


def _visible_to(viewer: Any, *, public_only: bool) -> Any:
    if public_only or not getattr(viewer, "is_authenticated", False):
        return ActionItem.public.is_(True)
    if viewer.is_admin:
        return ActionItem.id.is_not(None)
    member_of = select(Membership.thinktank_id).where(Membership.user_id == viewer.id, Membership.status == "active")
    return or_(ActionItem.public.is_(True), ActionItem.thinktank_id.in_(member_of))


def my_actions(user: Any, *, today: date | None = None) -> list[ActionItem]:
    """Return the actions the user owns, overdue first."""
    return list_actions(viewer=user, owner_id=user.id, today=today)


# --- indicators ------------------------------------------------------------------------------------------------

INDICATOR_FIELDS = ("name", "unit", "direction", "kind", "scale_min", "scale_max", "baseline_value",
                    "baseline_date", "target_value", "target_date", "source", "description")


def _optional_number(value: Any, *, field: str) -> float | None:
    return None if value in (None, "") else parse_number(value, field=field)


def checked_indicator(*, name: Any, unit: Any = "", direction: Any = "up", kind: Any = "number",
                      scale_min: Any = None, scale_max: Any = None, baseline_value: Any = None,
                      baseline_date: Any = None, target_value: Any = None, target_date: Any = None,
                      source: Any = "", description: Any = "") -> dict[str, Any]:
    """Return an indicator's fields checked (for creating and for correcting one), or refuse the first wrong one.

    A scale or a feeling (a qualitative indicator) needs its lowest and highest score; a number has none."""
    if direction not in DIRECTIONS:
        raise DomainError(_l("Say whether higher or lower is better."), field="direction")
    if kind not in INDICATOR_KINDS:
        raise DomainError(_l("Choose what kind of indicator this is."), field="kind")
    low, high = _optional_number(scale_min, field="scale_min"), _optional_number(scale_max, field="scale_max")
    if kind == "number":
        low = high = None
    elif low is None or high is None or low >= high:
        raise DomainError(_l("Give the lowest and the highest score of the scale, e.g. 1 and 10."),
                          field="scale_min" if low is None or (high is not None and low >= high) else "scale_max")
    values = {
        "name": _text(name, field="name", maximum=200, required=True, label=_l("Name")),
        "unit": _text(unit, field="unit", maximum=60), "direction": direction, "kind": kind,
        "scale_min": low, "scale_max": high,
        "baseline_value": _optional_number(baseline_value, field="baseline_value"),
        "baseline_date": parse_date(baseline_date, field="baseline_date"),
        "target_value": _optional_number(target_value, field="target_value"),
        "target_date": parse_date(target_date, field="target_date"),
        "source": _text(source, field="source", maximum=300),
        "description": _body(description, field="description", maximum=TEXT_MAX)}
    for name_ in ("baseline_value", "target_value"):
        check_on_scale(values, values[name_], field=name_)
    return values


def check_on_scale(indicator: Any, value: float | None, *, field: str) -> None:
    """Refuse a value outside a qualitative indicator's scale (`indicator`: the model or its checked fields)."""
    get = indicator.get if isinstance(indicator, dict) else lambda name: getattr(indicator, name)
    low, high = get("scale_min"), get("scale_max")
    if value is None or get("kind") == "number" or low is None or high is None:
        return
    if not low <= value <= high:
        raise DomainError(_l("Give a score from %(low)s to %(high)s.", low=f"{low:g}", high=f"{high:g}"),
                          field=field)


def create_indicator(*, by: Any, thinktank: ThinkTank | None = None, **fields: Any) -> Indicator:
    """Define an indicator for the plan (admins) or a think tank (its chairs and admins)."""
    allowed = _is_admin(by) if thinktank is None else can_manage(thinktank, by)
    if not allowed:
        raise Forbidden(_l("Only administrators and chairs can define indicators."), code="not_chair")
    indicator = Indicator(thinktank_id=thinktank.id if thinktank else None, **checked_indicator(**fields))
    db.session.add(indicator)
    db.session.flush()
    record(by, "indicator.create", "indicator", indicator.id, name=indicator.name)
    return indicator


def can_measure(indicator: Indicator, user: Any) -> bool:
    """Admins, and chairs of the indicator's think tank, record measurements."""
    return _is_admin(user) if indicator.thinktank is None else can_manage(indicator.thinktank, user)


def require_measurer(indicator: Indicator, user: Any) -> None:
    """Refuse (403) anyone who may not record measurements of the indicator."""
    if not can_measure(indicator, user):
        raise Forbidden(_l("Only administrators and chairs can record measurements."), code="not_chair")


def record_measurement(indicator: Indicator, *, by: Any, date: Any, value: Any, note: Any = "") -> Measurement:
    """Record a measured value of an indicator on a date."""
    require_measurer(indicator, by)
    day = parse_date(date, field="date")
    if day is None:
        raise DomainError(_l("Enter a date as YYYY-MM-DD."), field="date", code="invalid_date")
    number = parse_number(value, field="value")
    check_on_scale(indicator, number, field="value")
    measurement = Measurement(indicator_id=indicator.id, date=day, value=number,
                              note=_text(note, field="note", maximum=500), created_by_id=by.id)
    db.session.add(measurement)
    db.session.flush()
    record(by, "measurement.create", "indicator", indicator.id, date=day.isoformat(), value=measurement.value)
    return measurement


def list_indicators(*, thinktank: ThinkTank | None = None, own_only: bool = False) -> list[Indicator]:
    """Return indicators (all, or a think tank's plus the plan's, or with `own_only` the think tank's alone)
    with their measurements, in two queries."""
    stmt = select(Indicator).options(selectinload(Indicator.measurements), selectinload(Indicator.thinktank))
    if thinktank is not None and own_only:
        stmt = stmt.where(Indicator.thinktank_id == thinktank.id)
    elif thinktank is not None:
        stmt = stmt.where(or_(Indicator.thinktank_id == thinktank.id, Indicator.thinktank_id.is_(None)))
    return list(db.session.scalars(stmt.order_by(Indicator.thinktank_id.is_not(None), Indicator.name)))


# --- the plan's progress ---------------------------------------------------------------------------------------

def progress_summary(*, today: date | None = None) -> dict[str, Any]:
    """Return the public state of the plan: actions per status, share done, overdue count (two queries)."""
    today = today or date.today()
    rows = db.session.execute(select(ActionItem.status, func.count()).where(ActionItem.public.is_(True))
                              .group_by(ActionItem.status)).all()
    per_status = dict.fromkeys(ACTION_STATUSES, 0) | dict(rows)
    total = sum(per_status.values())
    overdue = db.session.scalar(select(func.count()).select_from(ActionItem).where(
        ActionItem.public.is_(True), ActionItem.status.in_(OPEN_ACTION_STATUSES), ActionItem.due_date < today)) or 0
    return {"total": total, "per_status": per_status, "overdue": overdue,
            "share_done": round(100 * per_status["done"] / total) if total else 0}


def latest_updates(*, limit: int = 10, thinktank: ThinkTank | None = None) -> list[ProgressUpdate]:
    """Return the latest progress updates of public actions, newest first."""
    stmt = (select(ProgressUpdate).join(ActionItem, ActionItem.id == ProgressUpdate.action_id)
            .where(ActionItem.public.is_(True))
            .options(selectinload(ProgressUpdate.action), selectinload(ProgressUpdate.author)))
    if thinktank is not None:
        stmt = stmt.where(ActionItem.thinktank_id == thinktank.id)
    return list(db.session.scalars(stmt.order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
                                   .limit(limit)))


# --- reminders -------------------------------------------------------------------------------------------------

def due_reminders(today: date) -> list[tuple[ActionItem, str]]:
    """Return (action, kind) for every reminder due today: 7 days and 1 day before the due date, and overdue."""
    soon = {today + timedelta(days=n): kind for kind, n in REMINDER_DAYS.items()}
    actions = db.session.scalars(
        select(ActionItem).where(ActionItem.status.in_(OPEN_ACTION_STATUSES), ActionItem.owner_id.is_not(None),
                                 or_(ActionItem.due_date.in_(list(soon)), ActionItem.due_date < today))
        .options(selectinload(ActionItem.owner)).order_by(ActionItem.id))
    return [(action, soon.get(action.due_date, "overdue")) for action in actions]


def send_reminders(today: date, send: Callable[[ActionItem, str], None]) -> int:
    """Send each due reminder once (a row per action, kind and due date makes it once); return how many."""
    sent = 0
    for action, kind in due_reminders(today):
        claimed = db.session.execute(insert_ignoring_conflicts(
            ReminderSent.__table__, {"action_id": action.id, "kind": kind, "due_date": action.due_date,
                                     "sent_at": utcnow()}, conflict=["action_id", "kind", "due_date"])).first()
        if claimed is None:
            continue
        send(action, kind)
        db.session.commit()
        sent += 1
    return sent
