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
from samen.core.names import may_see_names, public_name
from samen.follows.operations import record_event
from samen.ideas.models import Idea
from samen.partners.models import ACTION_ROLES, ActionOrganisation, Organisation, OrganisationContact
from samen.programme.models import Line
from samen.thinktanks.models import Membership, ThinkTank
from samen.thinktanks.operations import membership_of
from samen.thinktanks.permissions import can_chair, chairs_whole_plan

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
OWNER = _l("The responsible person must be a confirmed account.")
OWNER_PUBLIC_AS = ("organisation", "name")
STALE_WEEKS = 6  # an open action without an update for this many weeks reminds who carries it
IDEAS = _l("Choose ideas of this think tank.")
INDICATORS = _l("Choose indicators of the plan or of this think tank.")
AUDITED_FIELDS = ("title", "description", "owner_id", "organisation", "start_date", "due_date", "status",
                  "stop_reason", "progress", "public", "decision", "owner_public_as", "carriers")


# --- who may do what -------------------------------------------------------------------------------------------

def can_manage(thinktank: ThinkTank | None, user: Any) -> bool:
    """Chairs of the think tank create, assign and edit its actions; admins and the coordinator those of every
    think tank and the plan-wide ones (`thinktank` None)."""
    if chairs_whole_plan(user):
        return True
    if thinktank is None:
        return False
    return can_chair(user, membership_of(thinktank, user))


def is_carrier_contact(action: ActionItem, user: Any) -> bool:
    """Whether the user is an active contact of an organisation carrying out the action (lead or co); one query."""
    if not getattr(user, "is_authenticated", False) or action.id is None:
        return False
    return db.session.scalar(select(func.count()).select_from(ActionOrganisation).join(
        OrganisationContact, OrganisationContact.organisation_id == ActionOrganisation.organisation_id).where(
        ActionOrganisation.action_id == action.id, OrganisationContact.user_id == user.id,
        OrganisationContact.status == "active")) > 0


def can_update(action: ActionItem, user: Any) -> bool:
    """Who may post progress updates and tick milestones: the responsible person, the active contacts of the
    organisations carrying it out (without joining the think tank), the chairs and admins.

    The one place that decides it: the web pages, the API and the meetings ask here."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (action.owner_id == user.id or can_manage(action.thinktank, user)
            or is_carrier_contact(action, user))


PLAN_WIDE_ONLY = _l("Only administrators and the programme coordinator can manage plan-wide action items.")


def require_creator(thinktank: ThinkTank | None, user: Any) -> None:
    """Refuse (403) anyone who may not create action items in the think tank (or plan-wide ones)."""
    if not can_manage(thinktank, user):
        raise Forbidden(PLAN_WIDE_ONLY if thinktank is None else
                        _l("Only the chairs of this think tank can create action items."), code="not_chair")


def require_editor(action: ActionItem, user: Any) -> None:
    """Refuse (403) anyone who may not change the action item."""
    if not can_manage(action.thinktank, user):
        raise Forbidden(PLAN_WIDE_ONLY if action.thinktank is None else
                        _l("Only the chairs of this think tank can edit this action item."), code="not_chair")


def require_updater(action: ActionItem, user: Any) -> None:
    """Refuse (403) anyone who may not post progress updates on the action item."""
    if not can_update(action, user):
        raise Forbidden(_l("Only the responsible person, the contacts of the organisations carrying it out "
                           "and the chairs can post updates on this action item."), code="not_owner")


def can_view(action: ActionItem, user: Any) -> bool:
    """Public actions are for everyone; internal ones for members of the think tank, admins and the
    coordinator (internal plan-wide ones: admins and the coordinator)."""
    if action.public:
        return True
    if chairs_whole_plan(user):
        return True
    if action.thinktank is None:
        return False
    membership = membership_of(action.thinktank, user)
    return bool(membership and membership.is_active) or is_carrier_contact(action, user)


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


def _owner(thinktank: ThinkTank | None, owner: Any) -> User | None:
    """Any confirmed account may be responsible (a resident, an expert by experience), member or not; for a
    plan-wide action too."""
    if owner in (None, ""):
        return None
    user = owner if isinstance(owner, User) else None
    if user is None:
        user = db.session.get(User, inputs.ident(owner, field="owner_id"))
    if user is None or user.email_confirmed_at is None or user.suspended_at is not None:
        raise DomainError(OWNER, field="owner_id", code="owner")
    return user


def _owner_public_as(value: Any) -> str:
    if value not in OWNER_PUBLIC_AS:
        raise DomainError(_l("Choose how the responsible person appears: by organisation or by name."),
                          field="owner_public_as", code="invalid")
    return value


CARRIER = _l("Choose an organisation of the register that is not archived.")
CARRIER_CONTACT = _l("The contact person must be an active contact of that organisation.")


def _organisation(value: Any, *, field: str, keep: set[int]) -> Organisation:
    if isinstance(value, Organisation):
        organisation: Organisation | None = value
    elif isinstance(value, str) and value and not value.isdigit():
        organisation = db.session.scalar(select(Organisation).where(Organisation.slug == value))
    else:
        organisation = db.session.get(Organisation, inputs.ident(value, field=field))
    # An archived or merged entry is no longer offered, but an action that has it keeps it.
    if organisation is None or ((organisation.is_archived or organisation.merged_into_id)
                                and organisation.id not in keep):
        raise DomainError(CARRIER, field=field, code="organisation")
    return organisation


def carriers_from(*, lead: Any = None, lead_contact: Any = None, co: Iterable[Any] = (),
                  keep: Iterable[int] = ()) -> list[ActionOrganisation]:
    """Return the organisations carrying out an action, checked: at most one lead, each once, each contact an
    active contact of its organisation. `co` holds organisations, or (organisation, contact) pairs, or
    {"organisation": ..., "contact_id": ...}; `keep`: ids an action already has (archived ones stay)."""
    kept = set(keep)
    wanted: list[tuple[str, Any, Any, str]] = []
    if lead not in (None, ""):
        wanted.append(("lead", lead, lead_contact, "lead_organisation"))
    for item in co or ():
        if isinstance(item, dict):
            wanted.append(("co", item.get("organisation"), item.get("contact_id"), "co_organisations"))
        elif isinstance(item, (tuple, list)):
            wanted.append(("co", item[0], item[1] if len(item) > 1 else None, "co_organisations"))
        elif item not in (None, ""):
            wanted.append(("co", item, None, "co_organisations"))
    result: list[ActionOrganisation] = []
    seen: set[int] = set()
    for role, value, contact, field in wanted:
        assert role in ACTION_ROLES
        organisation = _organisation(value, field=field, keep=kept)
        if organisation.id in seen:
            raise DomainError(_l("Name each organisation once."), field=field, code="organisation_twice")
        seen.add(organisation.id)
        contact_id = None
        if contact not in (None, ""):
            contact_id = contact.id if isinstance(contact, User) else inputs.ident(contact, field=field)
            active = db.session.scalar(select(func.count()).select_from(OrganisationContact).where(
                OrganisationContact.organisation_id == organisation.id, OrganisationContact.user_id == contact_id,
                OrganisationContact.status == "active"))
            if not active:
                raise DomainError(CARRIER_CONTACT, field=field, code="contact")
        result.append(ActionOrganisation(organisation_id=organisation.id, role=role, contact_user_id=contact_id))
    return result


def owner_shown(action: ActionItem, *, public: bool, viewer: Any = None) -> str | None:
    """Return how the responsible person appears: in public as they chose (their name, or their organisation as
    samen/core/names.py says); to signed-in viewers by name. None without a responsible person."""
    if action.owner is None:
        return None
    if public and action.owner_public_as != "name":
        return public_name(action.owner)
    return action.owner.display_name if (action.owner_public_as == "name" or may_see_names(viewer)) \
        else public_name(action.owner)


def carried_by(action: ActionItem, *, public: bool = True, viewer: Any = None) -> str | None:
    """Return who carries the action out, in words: the lead organisation first, the co-executing ones, and the
    responsible person (as owner_shown says) when no organisation carries it or they chose to be named. None only
    when nobody does (the pages then say "not assigned yet")."""
    names = [carrier.organisation.name for carrier in action.carriers]
    if names and len(names) > 1 and action.carriers[0].role == "lead":
        names[0] = str(_l("%(name)s (lead)", name=names[0]))
    if not names and action.organisation:
        names = [action.organisation]  # legacy free text (docs/partners.md), set through the API's old field
    owner = owner_shown(action, public=public, viewer=viewer)
    if owner and (not names or action.owner_public_as == "name") and owner not in names:
        names.append(owner)
    return ", ".join(names) or None


def carrier_choices(keep: Iterable[int] = ()) -> tuple[list[Organisation], dict[int, list[User]]]:
    """Return what the action form offers: the register's offered entries (and those in `keep`), and each one's
    active contacts — two queries."""
    kept = list(keep)
    organisations = list(db.session.scalars(select(Organisation).where(or_(
        and_(Organisation.archived_at.is_(None), Organisation.merged_into_id.is_(None)),
        Organisation.id.in_(kept))).order_by(func.lower(Organisation.name), Organisation.id)))
    contacts: dict[int, list[User]] = {organisation.id: [] for organisation in organisations}
    if organisations:
        for organisation_id, user in db.session.execute(
                select(OrganisationContact.organisation_id, User).join(User, User.id == OrganisationContact.user_id)
                .where(OrganisationContact.organisation_id.in_(list(contacts)),
                       OrganisationContact.status == "active").order_by(User.display_name, User.id)):
            contacts[organisation_id].append(user)
    return organisations, contacts


def set_owner_public_as(action: ActionItem, *, by: Any, value: Any) -> None:
    """Let the responsible person choose how they appear in public (by organisation or by name); chairs and
    administrators may set it too."""
    if not (getattr(by, "is_authenticated", False) and (action.owner_id == by.id or can_manage(action.thinktank, by))):
        raise Forbidden(_l("Only the responsible person and the chairs can choose this."), code="not_owner")
    _apply(action, {"owner_public_as": _owner_public_as(value)}, by=by)


def _carrier_summary(carriers: Iterable[ActionOrganisation]) -> list[str]:
    return sorted(f"{c.organisation_id}:{c.role}:{c.contact_user_id or ''}" for c in carriers)


def set_carriers(action: ActionItem, carriers: list[ActionOrganisation], *, by: Any) -> None:
    """Make these the organisations carrying out the action (from carriers_from), audited as old → new."""
    old, new = _carrier_summary(action.carriers), _carrier_summary(carriers)
    if old == new:
        return
    # Every existing row becomes 'co' first, so that moving the lead never holds two leads for a moment.
    for carrier in action.carriers:
        carrier.role = "co"
    db.session.flush()
    existing = {carrier.organisation_id: carrier for carrier in action.carriers}
    wanted = {carrier.organisation_id for carrier in carriers}
    for carrier in list(action.carriers):
        if carrier.organisation_id not in wanted:
            action.carriers.remove(carrier)
    db.session.flush()
    for carrier in carriers:
        if carrier.role != "lead":
            _carry(action, existing, carrier)
    db.session.flush()
    for carrier in carriers:
        if carrier.role == "lead":
            _carry(action, existing, carrier)
    db.session.flush()
    db.session.expire(action, ["carriers"])  # read again in their order: the lead first
    action.updated_at = utcnow()
    record(by, "action.update", "action", action.id, changes={"carriers": [old, new]})


def _carry(action: ActionItem, existing: dict[int, ActionOrganisation], carrier: ActionOrganisation) -> None:
    row = existing.get(carrier.organisation_id)
    if row is None:
        action.carriers.append(carrier)
    else:
        row.role, row.contact_user_id = carrier.role, carrier.contact_user_id


def _ideas(thinktank: ThinkTank | None, ideas: Iterable[Any]) -> list[Idea]:
    """The ideas an action comes from: of its think tank; of any think tank for a plan-wide action."""
    result = []
    for item in ideas or ():
        idea = item if isinstance(item, Idea) else None
        if idea is None:
            idea = db.session.get(Idea, inputs.ident(item, field="ideas"))
        if idea is None or (thinktank is not None and idea.thinktank_id != thinktank.id):
            raise DomainError(IDEAS, field="ideas", code="idea")
        if idea.status != "adopted":
            raise DomainError(_l("Only adopted ideas become action items."), field="ideas", code="not_adopted")
        result.append(idea)
    return result


def _indicators(thinktank: ThinkTank | None, indicators: Iterable[Any]) -> list[Indicator]:
    """The indicators an action serves: the plan's (and its lines') and its think tank's."""
    result = []
    for item in indicators or ():
        indicator = item if isinstance(item, Indicator) else None
        if indicator is None:
            indicator = db.session.get(Indicator, inputs.ident(item, field="indicators"))
        if indicator is None or indicator.thinktank_id not in (None, thinktank.id if thinktank else None):
            raise DomainError(INDICATORS, field="indicators")
        result.append(indicator)
    return result


def _check_dates(start: date | None, due: date | None) -> None:
    if start and due and due < start:
        raise DomainError(_l("The due date cannot be before the start date."), field="due_date", code="dates")


# --- actions ---------------------------------------------------------------------------------------------------

def create_action(thinktank: ThinkTank | None, *, by: Any, title: Any, description: Any = "", owner: Any = None,
                  organisation: Any = "", start_date: Any = None, due_date: Any = None, status: Any = "planned",
                  stop_reason: Any = None, progress: Any = 0, public: bool = True, ideas: Iterable[Any] = (),
                  indicators: Iterable[Any] = (), decision: Any = "", owner_public_as: Any = "organisation",
                  lead: Any = None, lead_contact: Any = None, co: Iterable[Any] = (),
                  line: Line | None = None) -> ActionItem:
    """Create an action item in a think tank, from adopted ideas or directly (its chairs, admins, the
    coordinator), or, `thinktank` None, a plan-wide one of the whole plan or of a `line` (admins, coordinator);
    with the organisations that carry it out (a lead and any co-executing ones), a responsible person, or both."""
    require_creator(thinktank, by)
    if thinktank is not None and thinktank.is_archived:
        raise DomainError(_l("This think tank is archived and can no longer be changed."), code="archived",
                          status=409)
    start, due = parse_date(start_date, field="start_date"), parse_date(due_date, field="due_date")
    _check_dates(start, due)
    reason = _body(stop_reason, field="stop_reason", maximum=1000) or None
    owner_user = _owner(thinktank, owner)
    action = ActionItem(
        thinktank_id=thinktank.id if thinktank else None, line_id=line.id if line and not thinktank else None,
        title=_text(title, field="title", maximum=TITLE_MAX, required=True,
                                               label=_l("Title")),
        description=_body(description, field="description", maximum=TEXT_MAX),
        owner_id=owner_user.id if owner_user else None,
        organisation=_text(organisation, field="organisation", maximum=120)
        or (owner_user.organisation or "" if owner_user else ""),
        start_date=start, due_date=due, status=_status(status, reason), stop_reason=reason,
        progress=_progress(progress), public=bool(public), created_by_id=by.id,
        decision=_body(decision, field="decision", maximum=TEXT_MAX),
        ideas=_ideas(thinktank, ideas), indicators=_indicators(thinktank, indicators),
        owner_public_as=_owner_public_as(owner_public_as or "organisation"))
    carriers = carriers_from(lead=lead, lead_contact=lead_contact, co=co)
    db.session.add(action)
    db.session.flush()
    action.carriers.extend(carriers)
    db.session.flush()
    record(by, "action.create", "action", action.id, title=action.title,
           carriers=_carrier_summary(carriers))
    for idea in action.ideas:  # their followers hear what became of them (if they may see the action too)
        record_event("idea.action", "idea", idea.id, thinktank_id=action.thinktank_id, actor=by,
                     url=f"/actions/{action.id}", idea_title=idea.title, action_id=action.id,
                     action_title=action.title, owner=_owner_name(action),
                     due_date=_plain(action.due_date))
    _tell_assigned(action, by=by)
    return action


def _owner_name(action: ActionItem) -> str:
    owner = db.session.get(User, action.owner_id) if action.owner_id else None
    return (owner.display_name if owner else "") or action.organisation or ""


def _event(action: ActionItem, kind: str, *, by: Any, personal: int | None = None, **data: Any) -> None:
    record_event(kind, "action", action.id, thinktank_id=action.thinktank_id, actor=by, personal=personal,
                 url=f"/actions/{action.id}", action_title=action.title, **data)


def _tell_assigned(action: ActionItem, *, by: Any) -> None:
    if action.owner_id is not None and action.owner_id != getattr(by, "id", None):
        _event(action, "action.assigned", by=by, personal=action.owner_id, due_date=_plain(action.due_date))


def _tell_changes(action: ActionItem, changed: dict[str, Any], *, by: Any) -> None:
    """Record what followers hear of a chair's edit: a new owner, done, stopped (with the reason)."""
    if "owner_id" in changed:
        _tell_assigned(action, by=by)
    if "status" in changed and action.status in ("done", "stopped"):
        _event(action, f"action.{action.status}", by=by, reason=action.stop_reason or "")


def update_action(action: ActionItem, *, by: Any, **changes: Any) -> ActionItem:
    """Change an action's fields (chairs and admins); every change is audited as old → new."""
    require_editor(action, by)
    values: dict[str, Any] = {}
    if {"lead", "lead_contact", "co"} & set(changes):
        current = action.lead_organisation
        carriers = carriers_from(
            lead=changes.pop("lead", current.organisation_id if current else None),
            lead_contact=changes.pop("lead_contact", current.contact_user_id if current else None),
            co=changes.pop("co", [(c.organisation_id, c.contact_user_id) for c in action.carriers
                                  if c.role == "co"]),
            keep=[c.organisation_id for c in action.carriers])
        set_carriers(action, carriers, by=by)
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
        elif name == "owner_public_as":
            values[name] = _owner_public_as(value)
        elif name == "status":
            values[name] = value
        elif name == "ideas":
            action.ideas = _ideas(action.thinktank, value)
        elif name == "indicators":
            action.indicators = _indicators(action.thinktank, value)
        elif name == "line" and action.thinktank_id is None:
            values["line_id"] = value.id if value is not None else None
        else:
            raise DomainError(_l("%(field)s cannot be changed.", field=name), field=name, code="read_only")
    _check_dates(values.get("start_date", action.start_date), values.get("due_date", action.due_date))
    if "status" in values or "stop_reason" in values:
        values["status"] = _status(values.get("status", action.status),
                                   values.get("stop_reason", action.stop_reason))
    if action.milestones:
        values.pop("progress", None)  # the milestones decide (milestone_progress)
    changed = _apply(action, values, by=by)
    _derive_progress(action, by=by)
    _tell_changes(action, changed, by=by)
    return action


def _apply(action: ActionItem, values: dict[str, Any], *, by: Any) -> dict[str, Any]:
    changed = {}
    for name, value in values.items():
        old = getattr(action, name)
        if old != value:
            changed[name] = [_plain(old), _plain(value)]
            setattr(action, name, value)
    if changed:
        action.updated_at = utcnow()
        record(by, "action.update", "action", action.id, changes=changed)
    return changed


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def post_update(action: ActionItem, *, by: Any, body: Any, progress: Any = None, status: Any = None,
                stop_reason: Any = None) -> ProgressUpdate:
    """Post a dated progress update with the new percentage and status (can_update says who)."""
    require_updater(action, by)
    body = _body(body, field="body", maximum=TEXT_MAX, required=True, label=_l("Update"))
    values: dict[str, Any] = {}
    if status not in (None, ""):
        reason = _body(stop_reason, field="stop_reason", maximum=1000) or action.stop_reason
        values["status"] = _status(status, reason if status == "stopped" else None)
        values["stop_reason"] = reason if status == "stopped" else None
    if progress not in (None, "") and not action.milestones:
        values["progress"] = _progress(progress)
    changed = _apply(action, values, by=by)
    _derive_progress(action, by=by)  # a new status moves the progress from milestones too
    update = ProgressUpdate(action_id=action.id, author_id=by.id, body=body, progress=action.progress,
                            status=action.status)
    db.session.add(update)
    db.session.flush()
    # One row, however many follow the action: the fan-out tells them later (docs/notifications.md).
    finished = "status" in changed and action.status in ("done", "stopped")
    _event(action, f"action.{action.status}" if finished else "action.update", by=by, update_id=update.id,
           progress=action.progress, status=action.status, reason=action.stop_reason or "")
    return update


def add_milestone(action: ActionItem, *, by: Any, title: Any, due_date: Any = None) -> Milestone:
    """Add a milestone; from then on the action's progress is the share of milestones done."""
    if not can_update(action, by):
        raise Forbidden(_l("Only the responsible person, the contacts of the organisations carrying it out and "
                           "the chairs can change milestones."), code="not_owner")
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
        raise Forbidden(_l("Only the responsible person, the contacts of the organisations carrying it out and "
                           "the chairs can change milestones."), code="not_owner")
    newly_done = done and milestone.done_at is None
    milestone.done_at = (milestone.done_at or utcnow()) if done else None
    _derive_progress(action, by=by)
    if newly_done:
        _event(action, "action.milestone", by=by, milestone=milestone.title, progress=action.progress)


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
        selectinload(ActionItem.thinktank).selectinload(ThinkTank.line), selectinload(ActionItem.line),
        selectinload(ActionItem.owner),
        selectinload(ActionItem.ideas), selectinload(ActionItem.milestones),
        selectinload(ActionItem.carriers).selectinload(ActionOrganisation.organisation),
        selectinload(ActionItem.carriers).selectinload(ActionOrganisation.contact),
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


def in_line(line: Line) -> Any:
    """Return an SQL condition on ActionItem: of the line — plan-wide in it, or of one of its think tanks."""
    return or_(ActionItem.line_id == line.id,
               ActionItem.thinktank_id.in_(select(ThinkTank.id).where(ThinkTank.line_id == line.id)))


def list_actions(*, viewer: Any = None, thinktank: ThinkTank | None = None, status: Any = None,
                 owner_id: Any = None, overdue: bool | None = None, today: date | None = None,
                 public_only: bool = False, limit: int | None = None, offset: int = 0,
                 organisation: Organisation | None = None, line: Line | None = None,
                 plan_wide: bool = False) -> list[ActionItem]:
    """Return actions the viewer may see, overdue first then by due date, in a fixed number of queries;
    `organisation` keeps those it carries out, `line` those of a line, `plan_wide` those without a think tank."""
    today = today or date.today()
    if status and status not in ACTION_STATUSES:
        raise DomainError(_l("Unknown status. Choose one of: %(choices)s.", choices=", ".join(ACTION_STATUSES)),
                          field="status", code="invalid_status")
    stmt = select(ActionItem).options(selectinload(ActionItem.owner),
                                      selectinload(ActionItem.thinktank).selectinload(ThinkTank.line),
                                      selectinload(ActionItem.line), selectinload(ActionItem.ideas),
                                      selectinload(ActionItem.carriers).selectinload(ActionOrganisation.organisation),
                                      selectinload(ActionItem.carriers).selectinload(ActionOrganisation.contact))
    if organisation is not None:
        stmt = stmt.where(ActionItem.id.in_(select(ActionOrganisation.action_id).where(
            ActionOrganisation.organisation_id == organisation.id)))
    if thinktank is not None:
        stmt = stmt.where(ActionItem.thinktank_id == thinktank.id)
    if line is not None:
        stmt = stmt.where(in_line(line))
    if plan_wide:
        stmt = stmt.where(ActionItem.thinktank_id.is_(None))
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


def readable_actions_clause(viewer: Any) -> Any:
    """Return can_view as an SQL condition on ActionItem: public ones, and the internal ones of the think tanks
    the viewer is an active member of; all for admins (used by the site search)."""
    return _visible_to(viewer, public_only=False)


def _visible_to(viewer: Any, *, public_only: bool) -> Any:
    if public_only or not getattr(viewer, "is_authenticated", False):
        return ActionItem.public.is_(True)
    if chairs_whole_plan(viewer):
        return ActionItem.id.is_not(None)
    member_of = select(Membership.thinktank_id).where(Membership.user_id == viewer.id, Membership.status == "active")
    carried = (select(ActionOrganisation.action_id).join(
        OrganisationContact, OrganisationContact.organisation_id == ActionOrganisation.organisation_id)
        .where(OrganisationContact.user_id == viewer.id, OrganisationContact.status == "active"))
    return or_(ActionItem.public.is_(True), ActionItem.thinktank_id.in_(member_of), ActionItem.id.in_(carried))


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


def create_indicator(*, by: Any, thinktank: ThinkTank | None = None, line: Line | None = None,
                     **fields: Any) -> Indicator:
    """Define an indicator for the plan or a line (admins, the coordinator) or a think tank (its chairs too)."""
    allowed = can_manage(thinktank, by)
    if not allowed:
        raise Forbidden(_l("Only administrators and chairs can define indicators."), code="not_chair")
    indicator = Indicator(thinktank_id=thinktank.id if thinktank else None,
                          line_id=line.id if line and not thinktank else None, **checked_indicator(**fields))
    db.session.add(indicator)
    db.session.flush()
    record(by, "indicator.create", "indicator", indicator.id, name=indicator.name)
    return indicator


def can_measure(indicator: Indicator, user: Any) -> bool:
    """Admins and the coordinator, and chairs of the indicator's think tank, record measurements."""
    return can_manage(indicator.thinktank, user)


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


def list_indicators(*, thinktank: ThinkTank | None = None, own_only: bool = False, line: Line | None = None,
                    plan_only: bool = False) -> list[Indicator]:
    """Return indicators (all, or a think tank's plus the plan's, or with `own_only` the think tank's alone;
    `line`: the line's and its think tanks'; `plan_only`: those without a think tank) with their measurements,
    in three queries."""
    stmt = select(Indicator).options(selectinload(Indicator.measurements),
                                     selectinload(Indicator.thinktank).selectinload(ThinkTank.line),
                                     selectinload(Indicator.line))
    if line is not None:
        stmt = stmt.where(or_(Indicator.line_id == line.id, Indicator.thinktank_id.in_(
            select(ThinkTank.id).where(ThinkTank.line_id == line.id))))
    if plan_only:
        stmt = stmt.where(Indicator.thinktank_id.is_(None))
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

def due_reminders(today: date, *, stale_weeks: int = STALE_WEEKS) -> list[tuple[ActionItem, str, date]]:
    """Return (action, kind, key date) for every reminder due today: 7 days and 1 day before the due date,
    overdue, and 'stale' for an open action without an update for `stale_weeks` weeks (keyed by the day of its
    last update, so once per quiet spell). Every open action counts, whoever carries it (reminder_recipients)."""
    soon = {today + timedelta(days=n): kind for kind, n in REMINDER_DAYS.items()}
    actions = list(db.session.scalars(
        select(ActionItem).where(ActionItem.status.in_(OPEN_ACTION_STATUSES),
                                 or_(ActionItem.due_date.in_(list(soon)), ActionItem.due_date < today))
        .options(selectinload(ActionItem.thinktank)).order_by(ActionItem.id)))
    due = [(action, soon.get(action.due_date, "overdue"), action.due_date) for action in actions]
    if stale_weeks > 0:
        quiet_since = today - timedelta(weeks=stale_weeks)
        last = (select(ProgressUpdate.action_id, func.max(ProgressUpdate.created_at).label("at"))
                .group_by(ProgressUpdate.action_id).subquery())
        activity = func.coalesce(last.c.at, ActionItem.created_at)
        for action, at in db.session.execute(
                select(ActionItem, activity).outerjoin(last, last.c.action_id == ActionItem.id)
                .where(ActionItem.status.in_(OPEN_ACTION_STATUSES), activity < quiet_since)
                .options(selectinload(ActionItem.thinktank)).order_by(ActionItem.id)):
            due.append((action, "stale", at.date()))
    return due


def reminder_recipients(actions: list[ActionItem]) -> dict[int, list[User]]:
    """Return, per action, who hears its reminders, in three queries whatever the number of actions: the
    responsible person and the lead organisation's contact person (else its active contacts); when there is
    nobody, the think tank's chairs; when it has none (or no think tank), the administrators. Nobody is left out."""
    ids = [action.id for action in actions]
    wanted: dict[int, set[int]] = {action.id: {action.owner_id} - {None} for action in actions}  # type: ignore[misc]
    if ids:
        rows = db.session.execute(
            select(ActionOrganisation.action_id, ActionOrganisation.contact_user_id, OrganisationContact.user_id)
            .outerjoin(OrganisationContact, and_(
                OrganisationContact.organisation_id == ActionOrganisation.organisation_id,
                OrganisationContact.status == "active"))
            .where(ActionOrganisation.action_id.in_(ids), ActionOrganisation.role == "lead")).all()
        named = {action_id: contact for action_id, contact, _user in rows if contact is not None}
        for action_id, _contact, user_id in rows:
            if action_id in named:
                wanted[action_id].add(named[action_id])
            elif user_id is not None:
                wanted[action_id].add(user_id)
    tank_ids = {action.thinktank_id for action in actions if not wanted[action.id]} - {None}
    chairs: dict[int, set[int]] = {}
    if tank_ids:
        for thinktank_id, user_id in db.session.execute(select(Membership.thinktank_id, Membership.user_id).where(
                Membership.thinktank_id.in_(tank_ids), Membership.role == "chair", Membership.status == "active")):
            chairs.setdefault(thinktank_id, set()).add(user_id)
    admins: set[int] = set()
    for action in actions:
        if not wanted[action.id]:
            wanted[action.id] = set(chairs.get(action.thinktank_id, ()))  # type: ignore[arg-type]
        if not wanted[action.id]:
            if not admins:
                admins = set(db.session.scalars(select(User.id).where(User.is_admin.is_(True))))
            wanted[action.id] = set(admins)
    every = set().union(*wanted.values()) if wanted else set()
    users = {user.id: user for user in db.session.scalars(select(User).where(
        User.id.in_(every), User.suspended_at.is_(None)))} if every else {}
    return {action_id: [users[uid] for uid in sorted(uids) if uid in users] for action_id, uids in wanted.items()}


def send_reminders(today: date, send: Callable[[ActionItem, str, list[User]], None], *,
                   stale_weeks: int = STALE_WEEKS) -> int:
    """Send each due reminder once (a row per action, kind and key date makes it once); return how many."""
    due = due_reminders(today, stale_weeks=stale_weeks)
    recipients = reminder_recipients([action for action, _kind, _day in due])
    sent = 0
    for action, kind, day in due:
        claimed = db.session.execute(insert_ignoring_conflicts(
            ReminderSent.__table__, {"action_id": action.id, "kind": kind, "due_date": day,
                                     "sent_at": utcnow()}, conflict=["action_id", "kind", "due_date"])).first()
        if claimed is None:
            continue
        if kind == "overdue":  # once per due date, as the reminder
            _event(action, "action.overdue", by=None, due_date=_plain(action.due_date))
        send(action, kind, recipients.get(action.id, []))
        db.session.commit()
        sent += 1
    return sent
