"""Assemble the figures of a period: actions, indicators, participation, the help desk, the pulse, other sections.

Everything here is set-based: a fixed number of queries whatever the plan holds (tests/evaluation count them).
The result is plain JSON (numbers, strings, lists, dicts), so a published evaluation stores it as it is and
shows the same figures ever after. Names of think tanks, lines and organisations are copied in for that reason.

What the action figures mean (docs/evaluation.md):
- started: its start date (else the day it was made) lies in the period;
- done / stopped: its status became done / stopped in the period (from the audit log of the action; an action
  without a recorded status change counts on the day it was last changed);
- late: past its due date while still open at some moment in the period;
- moved: its due date was changed in the period; `moves` counts the changes, `days_moved` adds up how far
  (later is positive, earlier negative).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import case, func, or_, select, union_all

from samen.actions.models import OPEN_ACTION_STATUSES, ActionItem, Indicator, Measurement
from samen.audit.models import AuditEntry
from samen.core.database import db, utcnow
from samen.evaluation import sections
from samen.evaluation.models import PulseInvitation
from samen.helpdesk.counts import monthly_counts
from samen.helpdesk.models import ABOUT
from samen.ideas.models import Comment, Idea, Support, visible_ideas
from samen.meetings.models import Attendance, Meeting
from samen.partners.models import ActionOrganisation, Organisation
from samen.programme.models import Line
from samen.thinktanks.models import Membership, ThinkTank

VERSION = 1
ACTION_COUNTS = ("total", "started", "done", "late", "stopped", "moved", "moves", "days_moved")
PARTICIPATION_COUNTS = ("members", "new_members", "ideas", "supports", "comments", "meetings", "attendance")
CLOSED = ("done", "stopped")


def _day(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _moment(day: date) -> datetime:
    return datetime.combine(day, time.min)


def year_before(day: date) -> date:
    """Return the same day a year earlier (28 February for a 29th)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


# --- actions ----------------------------------------------------------------------------------------------------

@dataclass
class _History:
    """An action's recorded changes of status and due date, oldest first: (day, old, new)."""

    status: list[tuple[date, Any, Any]] = field(default_factory=list)
    due: list[tuple[date, Any, Any]] = field(default_factory=list)


def _histories(end: date) -> dict[int, _History]:
    """Return each action's status and due-date changes up to the end of the period: one query."""
    histories: dict[int, _History] = defaultdict(_History)
    rows = db.session.execute(
        select(AuditEntry.subject_id, AuditEntry.created_at, AuditEntry.data)
        .where(AuditEntry.subject_type == "action", AuditEntry.action == "action.update",
               AuditEntry.created_at < _moment(end + timedelta(days=1)))
        .order_by(AuditEntry.created_at, AuditEntry.id))
    for action_id, created_at, data in rows:
        changes = (data or {}).get("changes") or {}
        day = created_at.date()
        if isinstance(changes.get("status"), list) and len(changes["status"]) == 2:
            histories[action_id].status.append((day, *changes["status"]))
        if isinstance(changes.get("due_date"), list) and len(changes["due_date"]) == 2:
            old, new = changes["due_date"]
            histories[action_id].due.append((day, _day(old), _day(new)))
    return histories


def _value_at(changes: list[tuple[date, Any, Any]], day: date, current: Any) -> Any:
    """Return what a field held at the end of `day`, from its recorded changes (else its current value)."""
    if not changes:
        return current
    value = changes[0][1]
    for changed_on, _old, new in changes:
        if changed_on > day:
            break
        value = new
    return value


def _became(changes: list[tuple[date, Any, Any]], status: str, start: date, end: date) -> bool:
    return any(start <= day <= end and new == status and old != status for day, old, new in changes)


def _action_figures(action: Any, history: _History, start: date, end: date, today: date) -> dict[str, Any] | None:
    """Return one action's figures for the period, or None when it played no part in it."""
    created = action.created_at.date()
    if created > end:
        return None
    before = start - timedelta(days=1)
    if created <= before and _value_at(history.status, before, action.status) in CLOSED:
        return None  # done or stopped before the period began
    started_on = action.start_date or created
    if history.status:
        done = _became(history.status, "done", start, end)
        stopped = _became(history.status, "stopped", start, end)
    else:  # no recorded change: it has had its status since it was last changed
        changed = action.updated_at.date()
        done = action.status == "done" and start <= changed <= end
        stopped = action.status == "stopped" and start <= changed <= end
    due = _value_at(history.due, end, action.due_date)
    late = False
    if due is not None:
        point = max(due + timedelta(days=1), start, created)
        late = point <= min(end, today) and _value_at(history.status, point, action.status) in OPEN_ACTION_STATUSES
    moves = [(new - old).days for day, old, new in history.due
             if start <= day <= end and old is not None and new is not None and old != new]
    return {
        "id": action.id, "title": action.title, "thinktank_id": action.thinktank_id, "line_id": action.line_id,
        "status": _value_at(history.status, end, action.status), "start_date": _iso(action.start_date),
        "due_date": _iso(due),
        "total": 1, "started": int(start <= started_on <= end), "done": int(done), "late": int(late),
        "stopped": int(stopped), "moved": int(bool(moves)), "moves": len(moves), "days_moved": sum(moves),
    }


def _add(into: dict[str, Any], figures: dict[str, Any]) -> None:
    for key in ACTION_COUNTS:
        into[key] = into.get(key, 0) + figures[key]


def _zero(keys: Iterable[str]) -> dict[str, int]:
    return dict.fromkeys(keys, 0)


def assemble_actions(start: date, end: date, today: date, thinktanks: dict[int, dict[str, Any]],
                     lines: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """Return the action figures of the period, in total and per think tank, line and organisation: 3 queries."""
    # The programme's plan-wide actions may carry a line of their own (actions.line_id); else the think tank's.
    own_line = getattr(ActionItem, "line_id", None)
    line = func.coalesce(own_line, ThinkTank.line_id) if own_line is not None else ThinkTank.line_id
    rows = db.session.execute(
        select(ActionItem.id, ActionItem.title, ActionItem.thinktank_id, ActionItem.status, ActionItem.start_date,
               ActionItem.due_date, ActionItem.created_at, ActionItem.updated_at, line.label("line_id"))
        .outerjoin(ThinkTank, ThinkTank.id == ActionItem.thinktank_id)
        .where(ActionItem.public.is_(True)).order_by(ActionItem.id))
    histories = _histories(end)
    items = []
    for row in rows:
        figures = _action_figures(row, histories.get(row.id, _History()), start, end, today)
        if figures is not None:
            items.append(figures)
    partners: dict[int, list[int]] = defaultdict(list)
    organisations: dict[int, dict[str, Any]] = {}
    ids = {item["id"] for item in items}
    for action_id, org_id, slug, name, kind in db.session.execute(
            select(ActionOrganisation.action_id, Organisation.id, Organisation.slug, Organisation.name,
                   Organisation.kind).join(Organisation, Organisation.id == ActionOrganisation.organisation_id)
            .order_by(Organisation.name, Organisation.id)):
        if action_id in ids:
            partners[action_id].append(org_id)
            organisations.setdefault(org_id, {"id": org_id, "slug": slug, "name": name, "kind": kind,
                                              **_zero(ACTION_COUNTS)})
    totals = _zero(ACTION_COUNTS)
    per_thinktank = {tid: {**info, **_zero(ACTION_COUNTS)} for tid, info in thinktanks.items()}
    per_line = {lid: {**info, **_zero(ACTION_COUNTS)} for lid, info in lines.items()}
    for item in items:
        _add(totals, item)
        if item["thinktank_id"] in per_thinktank:
            _add(per_thinktank[item["thinktank_id"]], item)
        if item["line_id"] in per_line:
            _add(per_line[item["line_id"]], item)
        for org_id in partners[item["id"]]:
            _add(organisations[org_id], item)
        item["organisations"] = partners[item["id"]]
    return {
        "totals": totals,
        "thinktanks": [per_thinktank[tid] for tid in thinktanks],
        "lines": [per_line[lid] for lid in lines],
        "organisations": sorted(organisations.values(), key=lambda org: (org["name"].lower(), org["id"])),
        "items": items,
    }


# --- indicators ---------------------------------------------------------------------------------------------------

def _point(measurements: list[tuple[date, float, bool]], day: date) -> dict[str, Any] | None:
    """Return the last measurement on or before the day: {date, value} (value None when too small to publish)."""
    found = None
    for measured_on, value, suppressed in measurements:
        if measured_on > day:
            break
        found = (measured_on, value, suppressed)
    if found is None:
        return None
    return {"date": found[0].isoformat(), "value": None if found[2] else found[1], "suppressed": found[2]}


def assemble_indicators(start: date, end: date, thinktanks: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """Return each indicator's value at the start and end of the period (and a year earlier) against its
    baseline and target: 2 queries."""
    indicators = list(db.session.execute(
        select(Indicator.id, Indicator.name, Indicator.unit, Indicator.direction, Indicator.thinktank_id,
               Indicator.baseline_value, Indicator.baseline_date, Indicator.target_value, Indicator.target_date)
        .order_by(Indicator.thinktank_id.is_not(None), Indicator.name, Indicator.id)))
    measured: dict[int, list[tuple[date, float, bool]]] = defaultdict(list)
    for indicator_id, day, value, suppressed in db.session.execute(
            select(Measurement.indicator_id, Measurement.date, Measurement.value, Measurement.suppressed)
            .where(Measurement.date <= end).order_by(Measurement.indicator_id, Measurement.date, Measurement.id)):
        measured[indicator_id].append((day, value, bool(suppressed)))
    result = []
    for row in indicators:
        points = measured.get(row.id, [])
        if not points and row.baseline_value is None:
            continue
        tank = thinktanks.get(row.thinktank_id) if row.thinktank_id else None
        result.append({
            "id": row.id, "name": row.name, "unit": row.unit, "direction": row.direction,
            "thinktank": tank["name"] if tank else None,
            "baseline": None if row.baseline_value is None else {"value": row.baseline_value,
                                                                 "date": _iso(row.baseline_date)},
            "target": None if row.target_value is None else {"value": row.target_value,
                                                             "date": _iso(row.target_date)},
            "start": _point(points, start), "end": _point(points, end),
            "previous_start": _point(points, year_before(start)), "previous_end": _point(points, year_before(end)),
            "measurements_in_period": sum(1 for day, _v, _s in points if start <= day <= end),
        })
    return result


# --- participation ------------------------------------------------------------------------------------------------

def _by_thinktank(stmt: Any) -> dict[int | None, tuple[Any, ...]]:
    return {row[0]: tuple(row[1:]) for row in db.session.execute(stmt)}


def assemble_participation(start: date, end: date, thinktanks: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """Return members, ideas, supports, comments, meetings and attendance per think tank, and new versus
    returning participants: 6 queries."""
    since, until = _moment(start), _moment(end + timedelta(days=1))

    def within(column: Any) -> Any:
        return (column >= since) & (column < until)

    members = _by_thinktank(
        select(Membership.thinktank_id, func.count(),
               func.sum(case((within(Membership.created_at), 1), else_=0)))
        .where(Membership.status == "active", Membership.created_at < until).group_by(Membership.thinktank_id))
    ideas = _by_thinktank(select(Idea.thinktank_id, func.count()).where(visible_ideas(), within(Idea.created_at))
                          .group_by(Idea.thinktank_id))
    supports = _by_thinktank(select(Support.thinktank_id, func.count()).where(within(Support.created_at))
                             .group_by(Support.thinktank_id))
    comments = _by_thinktank(
        select(Idea.thinktank_id, func.count()).select_from(Comment).join(Idea, Idea.id == Comment.idea_id)
        .where(within(Comment.created_at), Comment.deleted_at.is_(None), Comment.hidden_at.is_(None),
               Comment.review.is_(None)).group_by(Idea.thinktank_id))
    meetings = _by_thinktank(
        select(Meeting.thinktank_id, func.count(func.distinct(Meeting.id)), func.count(Attendance.user_id))
        .outerjoin(Attendance, Attendance.meeting_id == Meeting.id)
        .where(within(Meeting.starts_at), Meeting.state != "cancelled").group_by(Meeting.thinktank_id))
    rows = []
    totals = _zero(PARTICIPATION_COUNTS)
    for tid in [*thinktanks, None]:
        figures = {
            "members": int((members.get(tid) or (0, 0))[0] or 0),
            "new_members": int((members.get(tid) or (0, 0))[1] or 0),
            "ideas": int((ideas.get(tid) or (0,))[0]), "supports": int((supports.get(tid) or (0,))[0]),
            "comments": int((comments.get(tid) or (0,))[0]),
            "meetings": int((meetings.get(tid) or (0, 0))[0]), "attendance": int((meetings.get(tid) or (0, 0))[1]),
        }
        for key in PARTICIPATION_COUNTS:
            totals[key] += figures[key]
        if tid is None:
            totals["plenary_meetings"], totals["plenary_attendance"] = figures["meetings"], figures["attendance"]
        else:
            rows.append({**thinktanks[tid], **figures})
    # People who took part in the period (joined, posted, supported, commented, attended), and how many of them
    # had taken part before it.
    acts = union_all(
        select(Membership.user_id.label("user_id"), Membership.created_at.label("at")),
        select(Idea.author_id, Idea.created_at).where(Idea.author_id.is_not(None)),
        select(Support.user_id, Support.created_at),
        select(Comment.author_id, Comment.created_at).where(Comment.author_id.is_not(None)),
        select(Attendance.user_id, Attendance.first_seen_at),
    ).subquery()
    people = (select(acts.c.user_id, func.min(acts.c.at).label("first"))
              .where(acts.c.at < until).group_by(acts.c.user_id)
              .having(func.sum(case((acts.c.at >= since, 1), else_=0)) > 0)).subquery()
    new, everyone = db.session.execute(
        select(func.coalesce(func.sum(case((people.c.first >= since, 1), else_=0)), 0), func.count())
        .select_from(people)).one()
    totals["participants"] = int(everyone)
    totals["new_participants"] = int(new)
    totals["returning_participants"] = int(everyone) - int(new)
    return {"totals": totals, "thinktanks": rows}


# --- the help desk, the pulse, other sections -------------------------------------------------------------------

def shown_count(number: int, threshold: int) -> int | str:
    """A count as published: below the threshold it reads "< 5" (never the number itself)."""
    return f"< {threshold}" if number < threshold else number


def assemble_helpdesk(start: date, end: date, threshold: int) -> dict[str, Any]:
    """Return the help desk's public-safe counts for the period's months (small counts read "< 5"): 1 query."""
    first_month = start.replace(day=1)
    months = [month for month in monthly_counts() if first_month <= month.month <= end]
    about: Counter[str] = Counter()
    for month in months:
        about.update(month.about)
    total = sum(month.total for month in months)
    return {
        "threshold": threshold,
        "months": len(months),
        "total": shown_count(total, threshold),
        "urgent": shown_count(sum(month.urgent for month in months), threshold),
        "referrals": shown_count(sum(sum(month.referrals.values()) for month in months), threshold),
        "about": {key: shown_count(about[key], threshold) for key in ABOUT},
    }


def assemble_pulse(evaluation_id: int | None, threshold: int) -> dict[str, Any]:
    """Return how many partners were asked and answered, and the average score (per kind of organisation only
    where enough answered that no one's score can be read from it): 1 query."""
    if evaluation_id is None:
        return {"invited": 0, "answered": 0, "average": None, "kinds": []}
    rows = db.session.execute(
        select(Organisation.kind, func.count(), func.count(PulseInvitation.answered_at),
               func.sum(PulseInvitation.score))
        .join(Organisation, Organisation.id == PulseInvitation.organisation_id)
        .where(PulseInvitation.evaluation_id == evaluation_id).group_by(Organisation.kind)
        .order_by(Organisation.kind)).all()
    invited = sum(row[1] for row in rows)
    answered = sum(row[2] for row in rows)
    total = sum(row[3] or 0 for row in rows)
    kinds = [{"kind": kind, "answered": int(n), "average": round((score or 0) / n, 1)}
             for kind, _asked, n, score in rows if n >= threshold]
    return {"invited": int(invited), "answered": int(answered),
            "average": round(total / answered, 1) if answered else None, "kinds": kinds}


def assemble_sections(start: date, end: date, threshold: int) -> dict[str, list[dict[str, Any]]]:
    """Return the rows of every section another feature provides (groups, stories' themes)."""
    found = {}
    for section in sections.providers():
        rows = sections.rows_of(section.provide(start, end))
        if section.small_counts_hidden:
            for row in rows:
                row["value"] = shown_count(row["value"], threshold)
        found[section.key] = rows
    return found


# --- all of it ------------------------------------------------------------------------------------------------------

def assemble(start: date, end: date, *, evaluation_id: int | None = None, threshold: int = 5,
             today: date | None = None) -> dict[str, Any]:
    """Return every figure of the period as plain JSON (constant number of queries)."""
    today = today or utcnow().date()
    thinktanks = {tid: {"id": tid, "slug": slug, "name": name, "line_id": line_id}
                  for tid, slug, name, line_id in db.session.execute(
                      select(ThinkTank.id, ThinkTank.slug, ThinkTank.name, ThinkTank.line_id)
                      .where(or_(ThinkTank.archived_at.is_(None), ThinkTank.archived_at >= _moment(start)))
                      .order_by(ThinkTank.position, ThinkTank.name, ThinkTank.id))}
    lines = {lid: {"id": lid, "slug": slug, "name": name} for lid, slug, name in db.session.execute(
        select(Line.id, Line.slug, Line.name).order_by(Line.position, Line.name, Line.id))}
    return {
        "version": VERSION,
        "period": {"start": start.isoformat(), "end": end.isoformat()},
        "assembled_at": utcnow().isoformat(timespec="seconds") + "Z",
        "actions": assemble_actions(start, end, today, thinktanks, lines),
        "indicators": assemble_indicators(start, end, thinktanks),
        "participation": assemble_participation(start, end, thinktanks),
        "helpdesk": assemble_helpdesk(start, end, threshold),
        "pulse": assemble_pulse(evaluation_id, threshold),
        "sections": assemble_sections(start, end, threshold),
    }


# --- comparing with the previous evaluation ------------------------------------------------------------------

def _number(value: Any) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def compare(current: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, float]:
    """Return the difference of every figure both have, by a path such as 'actions.totals.done' or
    'participation.thinktank.3.ideas' ('indicator.<id>.end' for indicators' end values)."""
    if not previous:
        return {}
    deltas: dict[str, float] = {}

    def diff(path: str, now: Any, then: Any) -> None:
        a, b = _number(now), _number(then)
        if a is not None and b is not None:
            deltas[path] = round(a - b, 3)

    for part in ("actions", "participation"):
        for key, value in current.get(part, {}).get("totals", {}).items():
            diff(f"{part}.totals.{key}", value, previous.get(part, {}).get("totals", {}).get(key))
        before = {row["id"]: row for row in previous.get(part, {}).get("thinktanks", [])}
        for row in current.get(part, {}).get("thinktanks", []):
            for key, value in row.items():
                if row["id"] in before and key not in ("id", "line_id"):
                    diff(f"{part}.thinktank.{row['id']}.{key}", value, before[row["id"]].get(key))
    for kind in ("lines", "organisations"):
        before = {row["id"]: row for row in previous.get("actions", {}).get(kind, [])}
        for row in current.get("actions", {}).get(kind, []):
            for key in ACTION_COUNTS:
                if row["id"] in before:
                    diff(f"actions.{kind}.{row['id']}.{key}", row.get(key), before[row["id"]].get(key))
    before_indicators = {row["id"]: row for row in previous.get("indicators", [])}
    for row in current.get("indicators", []):
        then = before_indicators.get(row["id"])
        if then and row.get("end") and then.get("end"):
            diff(f"indicator.{row['id']}.end", row["end"].get("value"), then["end"].get("value"))
    for key in ("total", "urgent", "referrals"):
        diff(f"helpdesk.{key}", current.get("helpdesk", {}).get(key), previous.get("helpdesk", {}).get(key))
    diff("pulse.average", current.get("pulse", {}).get("average"), previous.get("pulse", {}).get("average"))
    diff("pulse.answered", current.get("pulse", {}).get("answered"), previous.get("pulse", {}).get("answered"))
    return deltas

