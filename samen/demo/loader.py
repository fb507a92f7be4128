"""Load the demo plan: create what is missing, fill in what is blank, never overwrite what someone changed.

`make run` loads the demo at every start, so a second run must be quick and must change nothing: each step
finds its objects by a stable key (slug, e-mail address) in one query and creates only what is missing.
Memberships are seeded only where the person or the think tank is new in this run, so someone who left a think
tank, or whose request a chair turned down, is not put back at the next start.

Ideas are found by their think tank and title (or a title they had before their author edited them); a missing
one is posted with its supports, comments, decision and moderation. Action items are made only from ideas posted
in the same run, so an action someone deleted is not put back. Indicators are found by name. Dates are counted
from the day of loading, so the demo has overdue, running and planned work whenever it is loaded. Where a rule of
the operations says no (someone left a think tank, a chair stepped down), that part of the demo is left out.

To extend the demo (ideas, actions, meetings): add the data to data.py and a step to STEPS that follows the
same rules, using the feature's operations and the objects that earlier steps put on the DemoState.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import case, select, union, update

from samen.accounts import operations as account_ops
from samen.accounts.models import User
from samen.actions import operations as action_ops
from samen.actions.models import Indicator
from samen.core.database import db, utcnow
from samen.core.errors import DomainError, Forbidden
from samen.demo.evaluation_data import load_evaluation
from samen.demo.helpdesk import load_helpdesk
from samen.demo.people_data import load_people_groups
from samen.demo.stories_data import load_stories
from samen.demo.data import (ACTIONS, DEMO_PASSWORD, IDEAS, INDICATORS, MEETINGS, PEOPLE, PLAN, SCHOOL_YEAR_END,
                             SCHOOL_YEAR_NOTE, TAGS, THINKTANKS, DemoAction, DemoIdea, DemoIndicator, DemoMeeting,
                             DemoThinkTank)
from samen.demo.help_data import HELP_ENTRIES, QUESTIONS
from samen.help import operations as help_ops
from samen.help.models import HelpEntry, HelpQuestion
from samen.ideas import operations as idea_ops
from samen.ideas.models import Idea, IdeaVersion, Support, Tag
from samen.meetings import operations as meeting_ops
from samen.meetings.models import Meeting, Registration
from samen.thinktanks import operations as tt_ops
from samen.thinktanks.models import ThinkTank

T = TypeVar("T")

BLANK_PLAN_TITLE = "Samen"  # the title get_plan gives a plan nobody has named yet
FILLABLE_THINKTANK_FIELDS = ("theme", "summary", "description")


@dataclass
class DemoReport:
    """What a load created and filled in, by kind of object."""

    created: Counter[str] = field(default_factory=Counter)
    filled: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(+self.created or +self.filled)

    def __str__(self) -> str:
        def listing(counts: Counter[str]) -> str:
            return ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)

        if not self.changed:
            return "Demo plan already loaded: nothing to add."
        parts = [f"{verb} {listing(counts)}" for verb, counts in (("created", self.created),
                                                                  ("filled in", self.filled)) if +counts]
        return f"Demo plan loaded: {'; '.join(parts)}."


@dataclass
class DemoState:
    """What the steps share: the demo's objects by key, which of them this run created, and the report."""

    users: dict[str, User] = field(default_factory=dict)  # by handle
    new_users: set[str] = field(default_factory=set)
    thinktanks: dict[str, ThinkTank] = field(default_factory=dict)  # by slug
    new_thinktanks: set[str] = field(default_factory=set)
    new_ideas: dict[str, Idea] = field(default_factory=dict)  # by key, the ideas posted in this run
    indicators: dict[str, Indicator] = field(default_factory=dict)  # by name
    report: DemoReport = field(default_factory=DemoReport)
    now: datetime = field(default_factory=utcnow)  # the demo's dates count back and forth from here
    today: date = field(default_factory=date.today)

    def ago(self, days: float, hours: float = 0) -> datetime:
        """Return the moment this many days (and hours) before loading."""
        return self.now - timedelta(days=days, hours=hours)

    def day(self, days: int) -> date:
        """Return the date this many days after (or, negative, before) the day of loading."""
        return self.today + timedelta(days=days)


def load_plan(state: DemoState) -> None:
    """Name the plan and write its introduction, where they are still blank."""
    plan = tt_ops.get_plan()
    title = PLAN.title if plan.title in ("", BLANK_PLAN_TITLE) else plan.title
    municipality = plan.municipality or PLAN.municipality
    introduction = plan.introduction or PLAN.introduction
    if (title, municipality, introduction) != (plan.title, plan.municipality, plan.introduction):
        tt_ops.update_plan(plan, title=title, municipality=municipality, introduction=introduction)
        state.report.filled["plan"] += 1


def load_thinktanks(state: DemoState) -> None:
    """Create the missing think tanks; fill in the blank texts of existing ones."""
    existing = {tt.slug: tt for tt in db.session.scalars(
        select(ThinkTank).where(ThinkTank.slug.in_([demo.slug for demo in THINKTANKS])))}
    for position, demo in enumerate(THINKTANKS):
        thinktank = existing.get(demo.slug)
        if thinktank is None:
            thinktank = tt_ops.create_thinktank({
                "slug": demo.slug, "name": demo.name, "theme": demo.theme, "summary": demo.summary,
                "description": demo.description, "join_policy": demo.join_policy, "position": position})
            state.new_thinktanks.add(demo.slug)
            state.report.created["think tanks"] += 1
        else:
            blanks = {name: getattr(demo, name) for name in FILLABLE_THINKTANK_FIELDS
                      if not getattr(thinktank, name)}
            if blanks:
                tt_ops.update_thinktank(thinktank, blanks)
                state.report.filled["think tanks"] += 1
        state.thinktanks[demo.slug] = thinktank


def load_people(state: DemoState) -> None:
    """Create the missing people; all share the demo password, hashed once (scrypt is slow on purpose)."""
    existing = {user.email: user for user in db.session.scalars(
        select(User).where(User.email.in_([person.email for person in PEOPLE])))}
    password_hash: str | None = None
    for person in PEOPLE:
        user = existing.get(person.email)
        if user is None:
            password_hash = password_hash or account_ops.hash_password(DEMO_PASSWORD)
            user = account_ops.create_user(
                email=person.email, display_name=person.display_name, password_hash=password_hash,
                kind=person.kind, organisation=person.organisation, is_admin=person.is_admin, locale="nl",
                # The demo's people take part from the start: their addresses count as confirmed.
                email_confirmed=True, terms_version=account_ops.TERMS_VERSION)
            state.new_users.add(person.handle)
            state.report.created["people"] += 1
        state.users[person.handle] = user


def _members(demo: DemoThinkTank) -> list[str]:
    return [p.handle for p in PEOPLE if demo.slug in p.thinktanks and p.handle not in demo.chairs]


def load_memberships(state: DemoState) -> None:
    """Appoint the chairs, add the members and the requests to join, for new people and new think tanks."""
    for demo in THINKTANKS:
        thinktank = state.thinktanks[demo.slug]
        if thinktank.is_archived:
            continue

        def is_new(handle: str, slug: str = demo.slug) -> bool:
            return slug in state.new_thinktanks or handle in state.new_users

        for handle in filter(is_new, demo.chairs):
            tt_ops.appoint_chair(thinktank, state.users[handle])
            state.report.created["memberships"] += 1
        for handle in filter(is_new, _members(demo)):
            membership = tt_ops.join_thinktank(thinktank, state.users[handle])
            if membership.status == "pending":
                tt_ops.decide_membership(membership, approve=True)
            state.report.created["memberships"] += 1
        for handle in filter(is_new, demo.pending):
            tt_ops.join_thinktank(thinktank, state.users[handle])
            state.report.created["memberships"] += 1


def _allowed(operation: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Run an operation; where its rules say no (someone left the think tank, a chair stepped down), skip it."""
    try:
        return operation(*args, **kwargs)
    except Forbidden:
        return None


def _spread(start: datetime, end: datetime, count: int) -> Iterator[datetime]:
    """Yield `count` moments evenly between start and end."""
    for n in range(count):
        yield start + (end - start) * (n + 1) / (count + 1)


def load_tags(state: DemoState) -> None:
    """Offer the demo think tanks their tags, where missing."""
    wanted = {slug: names for slug, names in TAGS.items()
              if slug in state.thinktanks and not state.thinktanks[slug].is_archived}
    existing = set(db.session.execute(select(Tag.thinktank_id, Tag.name).where(
        Tag.thinktank_id.in_([state.thinktanks[slug].id for slug in wanted]))).all())
    for slug, names in wanted.items():
        thinktank = state.thinktanks[slug]
        for name in names:
            if (thinktank.id, name) not in existing:
                idea_ops.create_tag(thinktank, name)
                state.report.created["tags"] += 1


def load_ideas(state: DemoState) -> None:
    """Post the missing demo ideas, with their supports, comments and replies, decisions and moderation."""
    titles = sorted({demo.title for demo in IDEAS})
    existing = set(db.session.execute(union(
        select(Idea.thinktank_id, Idea.title).where(Idea.title.in_(titles)),
        select(Idea.thinktank_id, IdeaVersion.title).join(Idea, Idea.id == IdeaVersion.idea_id)
        .where(IdeaVersion.title.in_(titles)))).all())
    for demo in IDEAS:
        thinktank = state.thinktanks.get(demo.thinktank)
        if thinktank is None or thinktank.is_archived or (thinktank.id, demo.title) in existing:
            continue
        idea = _allowed(idea_ops.create_idea, thinktank, author=state.users[demo.author], title=demo.title,
                        body=demo.body, tags=list(demo.tags), anonymous=demo.anonymous)
        if idea is not None:
            with db.session.no_autoflush:  # the backdated times go in with the next write, not one by one
                _follow_up(state, demo, idea)
            state.new_ideas[demo.key] = idea
            state.report.created["ideas"] += 1


def _follow_up(state: DemoState, demo: DemoIdea, idea: Idea) -> None:
    """Give a new demo idea its supports, comments, decision and moderation, at moments after it was posted."""
    posted = state.ago(demo.days_ago, hours=len(demo.title) % 7)  # not all at the same time of day
    decided = state.ago(demo.decision.days_ago) if demo.decision else None
    reported = posted + timedelta(hours=5) if demo.moderation else None
    until = decided or reported or state.ago(0, hours=1)
    idea.created_at = idea.updated_at = posted

    supporters = [state.users[handle] for handle in demo.supporters]
    supported = [user.id for user in supporters if _allowed(idea_ops.support_idea, idea, user)]
    if supported:
        moments = dict(zip(supported, _spread(posted, until, len(supported)), strict=True))
        db.session.execute(update(Support).where(Support.idea_id == idea.id)
                           .values(created_at=case(moments, value=Support.user_id)))
        state.report.created["supports"] += len(supported)

    moments = _spread(posted, until, sum(1 + len(c.replies) for c in demo.comments))
    for thread in demo.comments:
        comment = _allowed(idea_ops.add_comment, idea, author=state.users[thread.author], body=thread.body)
        when = next(moments)
        if comment is None:
            continue
        comment.created_at = when
        state.report.created["comments"] += 1
        for answer in thread.replies:
            reply = _allowed(idea_ops.add_comment, idea, author=state.users[answer.author], body=answer.body,
                             parent=comment)
            when = next(moments)
            if reply is not None:
                reply.created_at = when
                state.report.created["comments"] += 1

    if demo.decision and decided:
        change = _allowed(idea_ops.decide, idea, by=state.users[demo.decision.chair], status=demo.decision.status,
                          answer=demo.decision.answer)
        if change is not None:
            change.created_at = idea.answered_at = decided
            state.report.created["decisions"] += 1

    if demo.moderation and reported:
        entry = _allowed(idea_ops.report, by=state.users[demo.moderation.reporter], reason=demo.moderation.reason,
                         idea=idea)
        if entry is not None:
            entry.created_at = reported
            _allowed(idea_ops.resolve_report, entry, by=state.users[demo.moderation.chair], outcome="hidden",
                     note=demo.moderation.note)
            if idea.hidden_at is not None:
                entry.resolved_at = idea.hidden_at = reported + timedelta(hours=16)
                state.report.created["hidden ideas"] += 1
    db.session.expire(idea, ["support_count", "comment_count"])  # the operations count in SQL


def load_indicators(state: DemoState) -> None:
    """Define the missing indicators with their measurements."""
    existing = {indicator.name: indicator for indicator in db.session.scalars(
        select(Indicator).where(Indicator.name.in_([demo.name for demo in INDICATORS])))}
    for demo in INDICATORS:
        indicator = existing.get(demo.name) or _create_indicator(state, demo)
        if indicator is not None:
            state.indicators[demo.name] = indicator


def _create_indicator(state: DemoState, demo: DemoIndicator) -> Indicator | None:
    thinktank = state.thinktanks.get(demo.thinktank) if demo.thinktank else None
    if demo.thinktank and (thinktank is None or thinktank.is_archived):
        return None
    fields: dict[str, Any] = {"name": demo.name, "thinktank": thinktank, "unit": demo.unit,
                              "direction": demo.direction, "source": demo.source, "description": demo.description}
    if demo.baseline:
        fields["baseline_value"], fields["baseline_date"] = demo.baseline
    if demo.target:
        fields["target_value"], fields["target_date"] = demo.target
    measurements = list(demo.measurements)
    if demo.per_school_year:
        # The school years that ended before the day of loading, so the latest is always last year's.
        def end_of(year: int) -> date:
            return date(year, *SCHOOL_YEAR_END)

        last = state.today.year if state.today >= end_of(state.today.year) else state.today.year - 1
        first = last - len(demo.per_school_year) + 1
        measurements += [(end_of(year).isoformat(), value, SCHOOL_YEAR_NOTE.format(year - 1, year))
                         for year, value in enumerate(demo.per_school_year, start=first)]
        if demo.school_year_target is not None:
            fields["target_value"], fields["target_date"] = demo.school_year_target, end_of(last + 2)
    by = state.users[demo.by]
    indicator = _allowed(action_ops.create_indicator, by=by, **fields)
    if indicator is None:
        return None
    for day, value, note in measurements:
        action_ops.record_measurement(indicator, by=by, date=day, value=value, note=note)
    state.report.created["indicators"] += 1
    state.report.created["measurements"] += len(measurements)
    return indicator


def load_actions(state: DemoState) -> None:
    """Make action items of the adopted ideas posted in this run, with milestones and dated progress updates."""
    for demo in ACTIONS:
        ideas = [state.new_ideas.get(key) for key in demo.ideas]
        if not all(idea is not None and idea.status == "adopted" for idea in ideas):
            continue
        try:
            with db.session.begin_nested():
                _create_action(state, demo, ideas)
        except DomainError:  # an owner or chair left: leave this action out rather than half of it
            continue
        state.report.created["actions"] += 1
        state.report.created["milestones"] += len(demo.milestones)
        state.report.created["progress updates"] += len(demo.updates)


def _create_action(state: DemoState, demo: DemoAction, ideas: list[Any]) -> None:
    owner = state.users[demo.owner]
    action = action_ops.convert_ideas(
        ideas, by=state.users[demo.by], title=demo.title, description=demo.description, owner=owner,
        organisation=demo.organisation, start_date=state.day(demo.start), due_date=state.day(demo.due),
        public=demo.public, indicators=[state.indicators[name] for name in demo.indicators
                                        if name in state.indicators])
    action.created_at = last = min(max(idea.answered_at for idea in ideas) + timedelta(days=1), state.now)
    for step in demo.milestones:
        milestone = action_ops.add_milestone(action, by=owner, title=step.title, due_date=state.day(step.due))
        if step.done:
            action_ops.set_milestone_done(milestone, by=owner, done=True)
            milestone.done_at = min(state.ago(-step.due), state.now)
    for step in demo.updates:
        posted = action_ops.post_update(action, by=state.users[step.author], body=step.body,
                                        progress=step.progress, status=step.status)
        posted.created_at = last = state.ago(step.days_ago)
    action.updated_at = last


def load_meetings(state: DemoState) -> None:
    """Plan the missing demo meetings: agendas linked to the demo ideas, registrations, and a past meeting closed
    with its minutes published. A meeting is found by its think tank and title."""
    existing = set(db.session.execute(select(Meeting.thinktank_id, Meeting.title).where(
        Meeting.title.in_([demo.title for demo in MEETINGS]))).all())
    ideas: dict[str, Idea] | None = None
    for demo in MEETINGS:
        thinktank = state.thinktanks.get(demo.thinktank) if demo.thinktank else None
        if demo.thinktank and (thinktank is None or thinktank.is_archived):
            continue
        if (thinktank.id if thinktank else None, demo.title) in existing:
            continue
        ideas = _ideas_by_key() if ideas is None else ideas  # read only when a meeting is missing
        try:
            with db.session.begin_nested():
                registered = _create_meeting(state, demo, thinktank, ideas)
        except DomainError:  # its chair stepped down: leave the meeting out rather than half of it
            continue
        state.report.created["meetings"] += 1
        state.report.created["registrations"] += registered


def _ideas_by_key() -> dict[str, Idea]:
    """Return the demo ideas that exist, by key, found by think tank and title."""
    rows = db.session.execute(select(Idea, ThinkTank.slug).join(ThinkTank, ThinkTank.id == Idea.thinktank_id)
                              .where(Idea.title.in_(sorted({demo.title for demo in IDEAS})))).all()
    found = {(slug, idea.title): idea for idea, slug in rows}
    return {demo.key: found[(demo.thinktank, demo.title)] for demo in IDEAS if (demo.thinktank, demo.title) in found}


def _create_meeting(state: DemoState, demo: DemoMeeting, thinktank: ThinkTank | None,
                    ideas: dict[str, Idea]) -> int:
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    starts = datetime.combine(state.day(demo.days), time(*demo.start))  # local time
    # Only ideas an agenda may link: visible ones of the meeting's think tank (a moderator may have hidden one).
    agenda = [{"title": item.title, "description": item.description, "planned_minutes": item.minutes,
               "ideas": [ideas[key].id for key in item.ideas
                         if key in ideas and ideas[key].hidden_at is None and ideas[key].withdrawn_at is None
                         and (thinktank is None or ideas[key].thinktank_id == thinktank.id)]}
              for item in demo.agenda]
    meeting = meeting_ops.create_meeting(
        thinktank, by=state.users[demo.by], title=demo.title, description=demo.description, starts_at=starts,
        ends_at=starts + timedelta(hours=demo.hours), location=demo.location, online_url=demo.online_url,
        capacity=demo.capacity, public=demo.public, agenda=agenda, zone=zone)
    people = [state.users[handle] for handle in demo.registrations]
    if demo.days >= 0:
        meeting.created_at = meeting.updated_at = state.ago(10)
        return sum(1 for user in people if _allowed(meeting_ops.register, meeting, user) is not None)
    # A meeting held: registrations as they were, the meeting closed, and its minutes published the next day.
    meeting.created_at = meeting.starts_at - timedelta(days=21)
    for number, user in enumerate(people):
        db.session.add(Registration(meeting_id=meeting.id, user_id=user.id, status="registered",
                                    created_at=meeting.created_at + timedelta(days=1, hours=number)))
    meeting.state, meeting.opened_at, meeting.closed_at = "closed", meeting.starts_at, meeting.ends_at
    if demo.minutes:
        meeting.minutes, meeting.minutes_published_at = demo.minutes, meeting.ends_at + timedelta(days=1)
    meeting.updated_at = meeting.minutes_published_at or meeting.ends_at
    db.session.flush()
    return len(people)


def load_help(state: DemoState) -> None:
    """Fill the help pages once: the directory's organisations and the questions, when the site has neither yet.

    The emergency numbers come with the migration. Once an administrator has added or removed something, the
    help pages are theirs: what they removed is not put back at the next start.
    """
    has_content = db.session.scalar(select(
        select(HelpEntry.id).where(HelpEntry.kind != "emergency").exists()
        | select(HelpQuestion.id).exists()))
    if has_content:
        return
    entries: dict[str, HelpEntry] = {}
    for position, demo in enumerate(HELP_ENTRIES, start=1):
        thinktank = state.thinktanks.get(demo.thinktank) if demo.thinktank else None
        entries[demo.key] = help_ops.create_entry({
            "kind": "organisation", "name_nl": demo.name_nl, "name_en": demo.name_en, "topics_nl": demo.topics_nl,
            "topics_en": demo.topics_en, "phone": demo.phone, "email": demo.email, "website": demo.website,
            "hours_nl": demo.hours_nl, "hours_en": demo.hours_en, "languages": demo.languages,
            "thinktank_id": thinktank.id if thinktank else None, "position": position}, by=None)
    for position, question in enumerate(QUESTIONS, start=1):
        help_ops.create_question({
            "category": question.category, "question_nl": question.question_nl, "question_en": question.question_en,
            "answer_nl": question.answer_nl, "answer_en": question.answer_en, "position": position,
            "entry_ids": [entries[key].id for key in question.entries]}, by=None)
    state.report.created["help entries"] += len(HELP_ENTRIES)
    state.report.created["questions and answers"] += len(QUESTIONS)


STEPS: tuple[Callable[[DemoState], None], ...] = (load_plan, load_thinktanks, load_people, load_memberships,
                                                  load_tags, load_ideas, load_indicators, load_actions,
                                                  load_meetings, load_help, load_helpdesk, load_people_groups,
                                                  load_stories, load_evaluation)


def load_demo() -> DemoReport:
    """Create what is missing of the demo plan and return what was done; the caller commits."""
    state = DemoState()
    for step in STEPS:
        step(state)
    return state.report
