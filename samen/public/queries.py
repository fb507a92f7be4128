"""What the public pages read: public actions, public ideas, the feed's items, and the state of the data.

Public means: action items marked public; ideas that are neither hidden by a moderator, withdrawn by their
author nor waiting for a chair's approval, in a think tank whose ideas everyone may read (join policy 'open');
every indicator. Nothing here names a person: owners are shown by their organisation, updates without their author.
Every function runs a fixed number of queries, whatever the amount of data.
"""
from __future__ import annotations

import hashlib
from time import monotonic
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import and_, case, event, exists, func, select, true
from sqlalchemy.orm import Session, selectinload

from samen.actions.models import (OPEN_ACTION_STATUSES, ActionItem, Indicator, Measurement, Milestone, ProgressUpdate,
                                  action_ideas, action_indicators)
from samen.actions.operations import order_overdue_first
from samen.core.database import db
from samen.core.markdown import markdown_to_text
from samen.ideas.models import Idea, StatusChange, visible_ideas
from samen.accounts.groups import ParticipantGroup, UserGroup
from samen.meetings.models import Attendance, Meeting
from samen.meetings.operations import ANONYMOUS, readable_minutes_clause
from samen.partners.models import ActionOrganisation, Organisation, organisation_lines
from samen.programme.models import Line
from samen.thinktanks.models import Membership, Plan, ThinkTank

FEED_SIZE = 50


# --- what is public -----------------------------------------------------------------------------------------

def is_public_idea(idea: Idea, thinktank: ThinkTank) -> bool:
    """Whether anyone may read this idea: visible (not hidden, withdrawn or waiting for approval) in a think tank
    open to all."""
    return idea.is_visible and thinktank.join_policy == "open"


def _public_idea_clause() -> Any:
    return and_(visible_ideas(), ThinkTank.join_policy == "open")


# --- the state of the data, for validators ------------------------------------------------------------------

@dataclass(frozen=True)
class DataState:
    """A fingerprint of everything the public pages show, and the time of the latest change."""

    fingerprint: str
    last_modified: datetime | None
    # A fingerprint per table (by table name): a region of a page keys on the tables it shows (section_key).
    parts: dict[str, str] = field(default_factory=dict, compare=False)

    def of(self, *tables: str) -> str:
        """Return a fingerprint of these tables alone."""
        return hashlib.sha256("|".join(self.parts[name] for name in tables).encode()).hexdigest()[:24]


def _state_aggregates() -> list[tuple[Any, list[Any], list[Any]]]:
    """Per table: the maxima of its timestamps (which also give Last-Modified) and its other aggregates."""
    count, length, maximum, total = func.count, func.length, func.max, func.sum

    def where(condition: Any) -> Any:  # counts the rows that meet it, in the same pass over the table
        return count(case((condition, 1)))

    return [
        (ActionItem, [maximum(ActionItem.updated_at)],
         [count(), where(ActionItem.public.is_(True)), total(ActionItem.progress), maximum(ActionItem.created_at),
          total(ActionItem.line_id)]),
        (Milestone, [maximum(Milestone.done_at)],
         [count(), count(Milestone.done_at), maximum(Milestone.id), total(length(Milestone.title))]),
        (ProgressUpdate, [maximum(ProgressUpdate.created_at)], [count(), maximum(ProgressUpdate.id)]),
        (Idea, [maximum(Idea.updated_at), maximum(Idea.answered_at), maximum(Idea.hidden_at),
                maximum(Idea.withdrawn_at)],
         [count(), total(Idea.support_count), count(Idea.hidden_at), count(Idea.withdrawn_at), count(Idea.review)]),
        (StatusChange, [maximum(StatusChange.created_at)], [count(), maximum(StatusChange.id)]),
        (Indicator, [maximum(Indicator.created_at)],
         [count(), maximum(Indicator.id), total(Indicator.target_value), total(Indicator.baseline_value),
          total(length(Indicator.name) + length(Indicator.unit) + length(Indicator.source)
                + length(Indicator.description))]),
        (Measurement, [maximum(Measurement.created_at)],
         [count(), maximum(Measurement.id), total(Measurement.value)]),
        (ThinkTank, [maximum(ThinkTank.archived_at), maximum(ThinkTank.created_at)],
         [count(), count(ThinkTank.archived_at), total(ThinkTank.position), where(ThinkTank.join_policy == "open"),
          total(length(ThinkTank.name) + length(ThinkTank.slug) + length(ThinkTank.theme)
                + length(ThinkTank.summary)), total(ThinkTank.line_id)]),
        (Line, [maximum(Line.created_at)],
         [count(), maximum(Line.id), total(Line.position),
          total(length(Line.name) + length(Line.slug) + length(Line.description))]),
        (Plan, [maximum(Plan.updated_at)], []),
        (Meeting, [maximum(Meeting.updated_at), maximum(Meeting.minutes_published_at)],
         [count(), where(Meeting.public.is_(True)), maximum(Meeting.id)]),
        (action_ideas, [], [count()]),
        (action_indicators, [], [count()]),
        # Who takes part (samen/people/participation.py): members, the groups people said, the list of groups.
        (Membership, [maximum(Membership.created_at)], [count(), where(Membership.status == "active")]),
        (UserGroup, [maximum(UserGroup.created_at)], [count()]),
        (ParticipantGroup, [maximum(ParticipantGroup.retired_at)],
         [count(), count(ParticipantGroup.retired_at), total(ParticipantGroup.position),
          total(length(ParticipantGroup.name_nl) + length(ParticipantGroup.name_en))]),
        (Attendance, [], [count()]),
        (Organisation, [maximum(Organisation.created_at), maximum(Organisation.archived_at)],
         [count(), count(Organisation.archived_at), count(Organisation.merged_into_id),
          total(length(Organisation.name) + length(Organisation.slug) + length(Organisation.kind)
                + length(Organisation.description) + length(Organisation.website))]),
        (ActionOrganisation, [], [count(), total(ActionOrganisation.organisation_id),
                                  where(ActionOrganisation.role == "lead"),
                                  total(ActionOrganisation.organisation_id * ActionOrganisation.action_id),
                                  total(ActionOrganisation.contact_user_id)]),
        (organisation_lines, [], [count(), total(organisation_lines.c.line_id)]),
    ]


def data_state() -> DataState:
    """Return the fingerprint and last change of the public data, in one query of aggregates.

    Counts catch additions and deletions, maxima of timestamps catch edits that stamp a time, sums catch
    counters and values that change without one (supports, progress, measured values), and sums of text
    lengths catch most edits of rows that keep no time (think tanks, indicators, milestones). An edit of
    those that keeps every length shows with the next other change, or the next day (the ETag has the date).
    Each table is read once: its aggregates are one derived table, and the query joins the one-row results.
    """
    tables, stamps_at, names = [], [], []
    for n, (model, times, others) in enumerate(_state_aggregates()):
        columns = [column.label(f"t{n}_{i}") for i, column in enumerate(times)]
        columns += [column.label(f"v{n}_{i}") for i, column in enumerate(others)]
        tables.append(select(*columns).select_from(model).subquery(f"state_{n}"))
        stamps_at += [f"t{n}_{i}" for i in range(len(times))]
        names.append((getattr(model, "__tablename__", None) or model.name, len(columns)))
    joined = tables[0]
    for table in tables[1:]:
        joined = joined.join(table, true())
    row = db.session.execute(select(*[column for table in tables for column in table.c]).select_from(joined)).one()
    values = row._mapping
    stamps = [values[name] for name in stamps_at if isinstance(values[name], datetime)]
    fingerprint = hashlib.sha256(repr(tuple(row)).encode()).hexdigest()
    parts, values_in_order, start = {}, tuple(row), 0
    for name, width in names:
        parts[name] = hashlib.sha256(repr(values_in_order[start:start + width]).encode()).hexdigest()[:24]
        start += width
    return DataState(fingerprint=fingerprint, last_modified=max(stamps) if stamps else None, parts=parts)


def section_states() -> dict[Any, str]:
    """Return, per think tank id, a fingerprint of what its section of the progress page shows: its action
    items, its ideas, and the links between action items and ideas on either side (an action item is shown
    under the think tank of the idea it carries out) — in four grouped queries.

    With the fingerprints of the tables every section shows (think tanks, lines, organisations), it is the key
    of a section's cached content (blueprint.progress): a progress update in one think tank re-renders that
    think tank's section alone. Like data_state(): counts for additions and deletions, maxima of timestamps for
    edits, sums for values that change without one."""
    count, length, maximum, total = func.count, func.length, func.max, func.sum
    result: dict[Any, list[Any]] = defaultdict(list)
    statuses = [count(case((ActionItem.status == status, 1))) for status in
                ("planned", "in_progress", "done", "delayed", "stopped")]
    for tank_id, *values in db.session.execute(
            select(ActionItem.thinktank_id, count(), count(case((ActionItem.public.is_(True), 1))),
                   total(ActionItem.progress), maximum(ActionItem.updated_at), maximum(ActionItem.created_at),
                   total(length(ActionItem.title)), total(ActionItem.line_id), *statuses)
            .group_by(ActionItem.thinktank_id)):
        result[tank_id].append(("a", *values))
    # A section shows the adopted ideas (ix_ideas_thinktank_status: only those are read); an idea that becomes
    # adopted, or stops being so, changes their count.
    for tank_id, *values in db.session.execute(
            select(Idea.thinktank_id, count(), maximum(Idea.updated_at), maximum(Idea.answered_at),
                   maximum(Idea.hidden_at), maximum(Idea.withdrawn_at), total(Idea.support_count),
                   count(Idea.hidden_at), count(Idea.withdrawn_at), count(Idea.review), total(length(Idea.title)),
                   maximum(Idea.id), total(Idea.id))
            .where(Idea.status == "adopted").group_by(Idea.thinktank_id)):
        result[tank_id].append(("i", *values))
    linked = (select(Idea.thinktank_id.label("idea_tank"), ActionItem.thinktank_id.label("action_tank"),
                     action_ideas.c.action_id, action_ideas.c.idea_id, ActionItem.updated_at, ActionItem.progress,
                     ActionItem.public, Idea.updated_at.label("idea_updated"),
                     Idea.support_count, Idea.hidden_at, Idea.withdrawn_at, length(Idea.status).label("status"))
              .join(ActionItem, ActionItem.id == action_ideas.c.action_id)
              .join(Idea, Idea.id == action_ideas.c.idea_id).subquery())
    for side in (linked.c.idea_tank, linked.c.action_tank):
        for tank_id, *values in db.session.execute(
                select(side, count(), total(linked.c.action_id), total(linked.c.idea_id),
                       maximum(linked.c.updated_at), total(linked.c.progress), maximum(linked.c.idea_updated),
                       count(case((linked.c.public.is_(True), 1))), total(linked.c.support_count),
                       count(linked.c.hidden_at), count(linked.c.withdrawn_at), total(linked.c.status))
                .group_by(side)):
            result[tank_id].append(("l", *values))
    return {tank_id: hashlib.sha256(repr(values).encode()).hexdigest()[:24] for tank_id, values in result.items()}


# The fingerprint costs one query of aggregates over every public table (about 5 ms on SQLite and 12 ms on
# PostgreSQL with 20,000 ideas; docs/benchmarks.md). Each
# process keeps it for a moment: a write through this process forgets it at once (session events below); a write
# in another process shows here within STATE_TTL seconds — well within the pages' max-age, and before the live
# pages reload (they wait 1.5 s after the event that announces a change).
_state_cache: dict[str, tuple[float, DataState]] = {}


def current_state(key: str, ttl: float) -> DataState:
    """Return data_state(), computed at most once per `ttl` seconds per key (an app's database), unless a
    write in this process has happened since."""
    if ttl <= 0:
        return data_state()
    now = monotonic()
    cached = _state_cache.get(key)
    if cached is not None and cached[0] > now:
        return cached[1]
    state = data_state()
    _state_cache[key] = (now + ttl, state)
    return state


# The tables the public pages show. A write to another table (a session's last visit, a vote, a notification, a
# live connection) leaves the pages as they are, so it keeps the cached fingerprint: during a meeting, every vote
# would otherwise make the next visitor compute it again.
PUBLIC_TABLES = frozenset({
    "actions", "milestones", "progress_updates", "action_ideas", "action_indicators", "indicators", "measurements",
    "ideas", "status_changes", "thinktanks", "plans", "meetings", "agenda_items", "lines",
    # Not meeting_attendance: a live meeting writes it on every connection; its count is in the fingerprint, so
    # attendance shows within PUBLIC_STATE_TTL all the same.
    "memberships", "user_participant_groups", "participant_groups",
    "organisations", "action_organisations", "organisation_lines",
})


def forget_state(*_args: Any, **_kwargs: Any) -> None:
    """Forget every cached fingerprint: this process has written to what the public pages show."""
    _state_cache.clear()


def _touches_public(tables: Any) -> bool:
    return any(name in PUBLIC_TABLES for name in tables)


def _forget_after_flush(session: Session, _context: Any) -> None:
    written = (*session.new, *session.dirty, *session.deleted)
    if _touches_public(getattr(getattr(obj, "__table__", None), "name", None) for obj in written):
        session.info["samen_public_written"] = True
        forget_state()


def _forget_after_commit(session: Session) -> None:
    if session.info.pop("samen_public_written", False):
        forget_state()  # again: another thread may have cached the state between the flush and the commit


def _forget_on_write(state: Any) -> None:
    if state.is_select:
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name is None or name in PUBLIC_TABLES:  # a statement of unknown target: better forget
        state.session.info["samen_public_written"] = True
        forget_state()


event.listen(Session, "after_flush", _forget_after_flush)
event.listen(Session, "after_commit", _forget_after_commit)
event.listen(Session, "do_orm_execute", _forget_on_write)


# --- actions and ideas --------------------------------------------------------------------------------------

def _order_key(action: ActionItem, today: date) -> tuple[Any, ...]:
    """Overdue first, then open, then done or stopped; within each, by due date (none last)."""
    group = 0 if action.is_overdue(today) else 1 if action.is_open else 2
    return (group, action.due_date is None, action.due_date or date.max, action.id)


def public_actions(today: date, *, details: bool = False) -> list[ActionItem]:
    """Return the public actions, overdue first, with think tank and ideas (and milestones, indicators)."""
    options = [selectinload(ActionItem.thinktank).selectinload(ThinkTank.line), selectinload(ActionItem.line),
               selectinload(ActionItem.ideas), selectinload(ActionItem.owner),
               selectinload(ActionItem.carriers).selectinload(ActionOrganisation.organisation)]
    if details:
        options += [selectinload(ActionItem.milestones), selectinload(ActionItem.indicators)]
    actions = db.session.scalars(select(ActionItem).where(ActionItem.public.is_(True)).options(*options))
    return sorted(actions, key=lambda action: _order_key(action, today))


def public_ideas_of(action: ActionItem) -> list[Idea]:
    """Return the ideas an action came from that anyone may read."""
    return [idea for idea in action.ideas if is_public_idea(idea, action.thinktank or idea.thinktank)]


def adopted_public_ideas() -> list[Idea]:
    """Return the adopted ideas anyone may read, oldest first."""
    return list(db.session.scalars(
        select(Idea).join(ThinkTank, ThinkTank.id == Idea.thinktank_id)
        .where(Idea.status == "adopted", _public_idea_clause()).order_by(Idea.id)))


def latest_update_per_action() -> dict[int, ProgressUpdate]:
    """Return the newest progress update of each public action, by action id."""
    newest = select(func.max(ProgressUpdate.id)).group_by(ProgressUpdate.action_id)
    updates = db.session.scalars(
        select(ProgressUpdate).join(ActionItem, ActionItem.id == ProgressUpdate.action_id)
        .where(ActionItem.public.is_(True), ProgressUpdate.id.in_(newest)))
    return {update.action_id: update for update in updates}


def thinktanks() -> list[ThinkTank]:
    """Return every think tank in the plan's order, archived ones last."""
    return list(db.session.scalars(select(ThinkTank).order_by(ThinkTank.archived_at.is_not(None),
                                                              ThinkTank.position, ThinkTank.name)))


@dataclass
class IdeaEntry:
    """An adopted idea with the action items that carry it out."""

    idea: Idea
    actions: list[ActionItem] = field(default_factory=list)      # shown in full under this idea
    see_also: list[ActionItem] = field(default_factory=list)     # shown in full under another idea


@dataclass
class Section:
    """A think tank's part of the plan: its adopted ideas with their action items, and its other actions; or,
    without a think tank, the plan-wide actions of a line (or of the whole plan, without a line either)."""

    thinktank: ThinkTank | None
    ideas: list[IdeaEntry] = field(default_factory=list)
    other_actions: list[ActionItem] = field(default_factory=list)
    closed_idea_actions: int = 0  # other actions whose ideas are not public (hidden, withdrawn, members only)
    line: Line | None = None

    @property
    def key(self) -> Any:
        """The section's key in overview(): the think tank's id, "line-<id>" or "plan" for plan-wide work."""
        return plan_key(self.thinktank.id if self.thinktank else None, self.line.id if self.line else None)

    @property
    def actions(self) -> list[ActionItem]:
        """Every public action of the think tank, once."""
        return [action for entry in self.ideas for action in entry.actions] + self.other_actions

    @property
    def is_empty(self) -> bool:
        return not self.ideas and not self.other_actions


def plan_key(thinktank_id: int | None, line_id: int | None) -> Any:
    """Key counts by think tank; plan-wide actions by their line ("line-<id>") or the whole plan ("plan")."""
    if thinktank_id is not None:
        return thinktank_id
    return f"line-{line_id}" if line_id is not None else "plan"


@dataclass
class LineGroup:
    """A line on the progress page and in the report: its plan-wide actions and its think tanks' sections.
    `line` None: the whole plan (with lines: its plan-wide actions and the think tanks in no line)."""

    line: Line | None
    plan: Section
    sections: list[Section] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.plan.is_empty and not self.sections


def group_by_line(lines: list[Line], sections: list[Section], actions: list[ActionItem]) -> list[LineGroup]:
    """Group the think tanks' sections by line, each line with its public plan-wide actions (no queries).

    The first group (line None) holds the actions of the whole plan and the think tanks in no line; without
    lines it is the only group, and the page looks as it did before lines. A plan-wide action of a line that
    is gone counts for the whole plan."""
    known = {line.id for line in lines}
    plan_wide = [action for action in actions if action.thinktank_id is None]
    whole = LineGroup(None, Section(None, other_actions=[a for a in plan_wide if a.line_id not in known]),
                      [s for s in sections if s.thinktank is not None and s.thinktank.line_id not in known])
    groups = [LineGroup(line, Section(None, other_actions=[a for a in plan_wide if a.line_id == line.id],
                                      line=line),
                        [s for s in sections if s.thinktank is not None and s.thinktank.line_id == line.id])
              for line in lines]
    return [whole, *groups]


def build_sections(tanks: list[ThinkTank], actions: list[ActionItem], adopted: list[Idea]) -> list[Section]:
    """Group actions under the public ideas they came from, per think tank (no queries).

    An action from several ideas is shown in full under the first and referred to under the others.
    Archived think tanks appear only when they have something to show.
    """
    sections = {tank.id: Section(tank) for tank in tanks}
    entries: dict[int, IdeaEntry] = {}

    def entry_for(idea: Idea) -> IdeaEntry:
        if idea.id not in entries:
            entries[idea.id] = IdeaEntry(idea)
        return entries[idea.id]

    for idea in adopted:
        entry_for(idea)
    for action in actions:
        section = sections.get(action.thinktank_id)
        if section is None:
            continue
        ideas = public_ideas_of(action)
        if not ideas:
            section.other_actions.append(action)
            if action.ideas:
                section.closed_idea_actions += 1
            continue
        entry_for(ideas[0]).actions.append(action)
        for idea in ideas[1:]:
            entry_for(idea).see_also.append(action)
    for entry in sorted(entries.values(), key=lambda entry: entry.idea.id):
        section = sections.get(entry.idea.thinktank_id)
        if section is not None:
            section.ideas.append(entry)
    return [section for section in (sections[tank.id] for tank in tanks)
            if not (section.thinktank.is_archived and section.is_empty)]


# --- the overview: what each think tank has, counted, and a bounded sample to show ------------------------

@dataclass
class Overview:
    """A think tank's counts for the progress page."""

    actions: int = 0
    per_status: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    adopted: int = 0
    adopted_without_action: int = 0

    @property
    def share_done(self) -> int:
        return round(100 * self.per_status.get("done", 0) / self.actions) if self.actions else 0


def _has_public_action() -> Any:
    return exists().where(action_ideas.c.idea_id == Idea.id, action_ideas.c.action_id == ActionItem.id,
                          ActionItem.public.is_(True))


def overview(today: date) -> dict[int, Overview]:
    """Return, per think tank id (plan_key: "line-<id>" and "plan" for plan-wide actions), its public actions
    per status and overdue, and its public adopted ideas (with and without a public action), in two grouped
    queries."""
    result: dict[Any, Overview] = defaultdict(Overview)
    overdue = case((and_(ActionItem.status.in_(OPEN_ACTION_STATUSES), ActionItem.due_date < today), 1), else_=0)
    for tank_id, line_id, status, count, late in db.session.execute(
            select(ActionItem.thinktank_id, ActionItem.line_id, ActionItem.status, func.count(), func.sum(overdue))
            .where(ActionItem.public.is_(True))
            .group_by(ActionItem.thinktank_id, ActionItem.line_id, ActionItem.status)):
        entry = result[plan_key(tank_id, line_id)]
        entry.per_status[status] = entry.per_status.get(status, 0)
        entry.actions += count
        entry.per_status[status] += count
        entry.overdue += late or 0
    without = case((_has_public_action(), 0), else_=1)
    for tank_id, count, alone in db.session.execute(
            select(Idea.thinktank_id, func.count(), func.sum(without))
            .join(ThinkTank, ThinkTank.id == Idea.thinktank_id)
            .where(Idea.status == "adopted", _public_idea_clause()).group_by(Idea.thinktank_id)):
        result[tank_id].adopted = count
        result[tank_id].adopted_without_action = alone or 0
    return dict(result)


def sample_actions(today: date, *, per_thinktank: int, plan_wide_only: bool = False) -> list[ActionItem]:
    """Return at most `per_thinktank` public actions of each think tank (and of each line's, and the whole
    plan's, plan-wide work) — overdue first, then open, by due date — with their think tank and ideas, in three
    queries. `plan_wide_only`: the plan-wide work alone (the think tanks' sections come from the cache)."""
    rank = func.row_number().over(partition_by=(ActionItem.thinktank_id, ActionItem.line_id),
                                  order_by=order_overdue_first(today)).label("rank")
    ranked = select(ActionItem.id, rank).where(ActionItem.public.is_(True))
    if plan_wide_only:
        ranked = ranked.where(ActionItem.thinktank_id.is_(None))
    ranked = ranked.subquery()
    actions = db.session.scalars(
        select(ActionItem).join(ranked, ranked.c.id == ActionItem.id).where(ranked.c.rank <= per_thinktank)
        .options(selectinload(ActionItem.thinktank), selectinload(ActionItem.ideas), selectinload(ActionItem.owner),
                 selectinload(ActionItem.carriers).selectinload(ActionOrganisation.organisation)))
    return sorted(actions, key=lambda action: _order_key(action, today))


def sample_adopted_without_action(*, per_thinktank: int) -> list[Idea]:
    """Return at most `per_thinktank` public adopted ideas of each think tank that no public action carries
    out yet, oldest first, in one query."""
    rank = func.row_number().over(partition_by=Idea.thinktank_id, order_by=Idea.id).label("rank")
    ranked = (select(Idea.id, rank).join(ThinkTank, ThinkTank.id == Idea.thinktank_id)
              .where(Idea.status == "adopted", _public_idea_clause(), ~_has_public_action()).subquery())
    return list(db.session.scalars(select(Idea).join(ranked, ranked.c.id == Idea.id)
                                   .where(ranked.c.rank <= per_thinktank).order_by(Idea.id)))


def adopted_without_action(thinktank: ThinkTank, *, limit: int) -> list[Idea]:
    """Return a think tank's public adopted ideas that no public action carries out yet, oldest first."""
    return list(db.session.scalars(
        select(Idea).join(ThinkTank, ThinkTank.id == Idea.thinktank_id)
        .where(Idea.thinktank_id == thinktank.id, Idea.status == "adopted", _public_idea_clause(),
               ~_has_public_action()).order_by(Idea.id).limit(limit)))


# --- indicators ---------------------------------------------------------------------------------------------

def public_actions_per_indicator() -> dict[int, list[int]]:
    """Return, per indicator id, the ids of the public actions that serve it."""
    rows = db.session.execute(
        select(action_indicators.c.indicator_id, action_indicators.c.action_id)
        .join(ActionItem, ActionItem.id == action_indicators.c.action_id)
        .where(ActionItem.public.is_(True)).order_by(action_indicators.c.action_id))
    result: dict[int, list[int]] = defaultdict(list)
    for indicator_id, action_id in rows:
        result[indicator_id].append(action_id)
    return dict(result)


def indicator_named(indicator_id: int) -> Indicator | None:
    """Return an indicator alone (every indicator is public), or None."""
    return db.session.get(Indicator, indicator_id)


def indicator_with_measurements(indicator_id: int) -> Indicator | None:
    """Return an indicator with its measurements, think tank and line (every indicator is public)."""
    return db.session.scalars(select(Indicator).where(Indicator.id == indicator_id).options(
        selectinload(Indicator.measurements), selectinload(Indicator.thinktank),
        selectinload(Indicator.line))).first()


def public_actions_serving(indicator: Indicator) -> list[ActionItem]:
    """Return the public action items that serve an indicator, by title."""
    return list(db.session.scalars(
        select(ActionItem).join(action_indicators, action_indicators.c.action_id == ActionItem.id)
        .where(action_indicators.c.indicator_id == indicator.id, ActionItem.public.is_(True))
        .order_by(ActionItem.title, ActionItem.id)))


# --- the feed -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FeedItem:
    """A progress update of a public action, or a decision on a public idea."""

    kind: str  # "update" | "decision"
    at: datetime
    update: ProgressUpdate | None = None
    decision: StatusChange | None = None
    idea: Idea | None = None
    thinktank: ThinkTank | None = None


def feed_items(limit: int = FEED_SIZE) -> list[FeedItem]:
    """Return the newest progress updates and idea decisions that are public, newest first (four queries)."""
    updates = db.session.scalars(
        select(ProgressUpdate).join(ActionItem, ActionItem.id == ProgressUpdate.action_id)
        .where(ActionItem.public.is_(True))
        .options(selectinload(ProgressUpdate.action).selectinload(ActionItem.thinktank))
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc()).limit(limit))
    decisions = db.session.execute(
        select(StatusChange, Idea, ThinkTank).join(Idea, Idea.id == StatusChange.idea_id)
        .join(ThinkTank, ThinkTank.id == Idea.thinktank_id).where(_public_idea_clause())
        .order_by(StatusChange.created_at.desc(), StatusChange.id.desc()).limit(limit))
    items = [FeedItem("update", update.created_at, update=update, thinktank=update.action.thinktank)
             for update in updates]
    items += [FeedItem("decision", change.created_at, decision=change, idea=idea, thinktank=tank)
              for change, idea, tank in decisions]
    items.sort(key=lambda item: (item.at, item.kind == "update",
                                 (item.update or item.decision).id), reverse=True)  # type: ignore[union-attr]
    return items[:limit]


# --- meetings -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class UpcomingMeeting:
    """What the progress page shows of a public meeting."""

    title: str
    starts_at: datetime
    location: str
    url: str | None = None
    thinktank: ThinkTank | None = None


@dataclass(frozen=True)
class PublishedMinutes:
    """A public meeting whose minutes are published, as the progress page lists it."""

    title: str
    starts_at: datetime
    published_at: datetime
    url: str
    excerpt: str
    thinktank: ThinkTank | None = None


def _start_of(today: date) -> datetime:
    return datetime.combine(today, time.min)


def upcoming_meetings(today: date, *, limit: int = 5) -> list[UpcomingMeeting]:
    """Return the next public meetings that have not ended before today, soonest first (two queries).

    'Today' rather than 'now', so that the list changes with the date that the pages' ETags carry.
    """
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.public.is_(True), Meeting.state != "closed",
                              Meeting.ends_at >= _start_of(today))
        .options(selectinload(Meeting.thinktank)).order_by(Meeting.starts_at, Meeting.id).limit(limit))
    return [UpcomingMeeting(title=meeting.title, starts_at=meeting.starts_at,
                            location=meeting.location or meeting.online_url, url=f"/meetings/{meeting.id}",
                            thinktank=meeting.thinktank) for meeting in meetings]


def published_minutes(*, limit: int = 5) -> list[PublishedMinutes]:
    """Return the public meetings with published minutes, the latest meeting first (two queries)."""
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.public.is_(True), Meeting.minutes_published_at.is_not(None),
                              readable_minutes_clause(ANONYMOUS))  # a closed think tank's are for its readers
        .options(selectinload(Meeting.thinktank)).order_by(Meeting.starts_at.desc(), Meeting.id.desc())
        .limit(limit))
    return [PublishedMinutes(title=meeting.title, starts_at=meeting.starts_at,
                             published_at=meeting.minutes_published_at,  # type: ignore[arg-type]
                             url=f"/meetings/{meeting.id}#minutes-heading",
                             excerpt=markdown_to_text(meeting.minutes, 200), thinktank=meeting.thinktank)
            for meeting in meetings]
