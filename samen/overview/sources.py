"""The overview's sources: one function each, registered with @source, in the order the page shows them.

A source receives `Who` (the person, as SQL: the think tanks they chair) and returns `Waiting`: a SELECT of rows
that each stand for `n` things waiting (a think tank with 3 requests to join: one row, n = 3; an overdue action:
one row, n = 1), how a row reads as a `Task` (a sentence and the page where it is done), and how the rows are
ordered. The header adds up every source's n in one query (operations.waiting_count); the overview page asks
each source once (operations.waiting_for). So a new role — a programme coordinator — is one more function here.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _, ngettext
from sqlalchemy import and_, exists, func, literal, literal_column, or_, select

from samen.actions.models import OPEN_ACTION_STATUSES, ActionItem, ProgressUpdate
from samen.ideas.models import OPEN_STATUSES, Comment, Idea, Report, visible_ideas
from samen.meetings.models import AgendaItem, Meeting
from samen.thinktanks.models import Membership, ThinkTank


@dataclass(frozen=True)
class Who:
    """The person the overview is for, the moment, and the limits the settings give (operations.who_for).

    For the header's count the fields are bound parameters instead (operations.SYMBOLIC), so its statement is
    built once and run for everyone: sources compare columns with these fields and do no arithmetic on them.
    """

    user_id: Any
    now: Any  # datetime (UTC, as stored)
    today: Any  # date
    unanswered_before: Any  # ideas posted before this wait too long for an answer
    quiet_before: Any  # open actions without an update since this are quiet
    meetings_until: Any  # meetings starting before this are near

    @property
    def chaired(self) -> Any:
        """The ids of the think tanks the person chairs, as a subquery."""
        return select(Membership.thinktank_id).where(Membership.user_id == self.user_id, Membership.role == "chair",
                                                     Membership.status == "active")


@dataclass(frozen=True)
class Task:
    """One line of the overview: what waits, how many, and the page where it is done."""

    text: str
    endpoint: str
    values: dict[str, Any] = field(default_factory=dict)
    count: int = 1


@dataclass(frozen=True)
class Waiting:
    rows: Any  # a SELECT with a column `n`
    describe: Callable[[Any], Task]
    order_by: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Source:
    name: str
    heading: Callable[[], str]
    build: Callable[[Who], Waiting]


SOURCES: list[Source] = []


def source(name: str, heading: Callable[[], str]) -> Callable[[Callable[[Who], Waiting]], Callable[[Who], Waiting]]:
    """Register a source of the overview (in the order of registration)."""
    def register(build: Callable[[Who], Waiting]) -> Callable[[Who], Waiting]:
        SOURCES.append(Source(name, heading, build))
        return build
    return register


def _per_thinktank(who: Who, count: Any) -> Any:
    """Rows (slug, name, n) of the think tanks the person chairs where `count` (correlated to ThinkTank) > 0."""
    n = count.label("n")
    return (select(ThinkTank.slug, ThinkTank.name, n)
            .where(ThinkTank.id.in_(who.chaired), ThinkTank.archived_at.is_(None), count > 0))


# --- chairs ----------------------------------------------------------------------------------------------------

@source("membership_requests", lambda: _("Requests to join"))
def membership_requests(who: Who) -> Waiting:
    count = (select(func.count()).where(Membership.thinktank_id == ThinkTank.id, Membership.status == "pending")
             .correlate(ThinkTank).scalar_subquery())
    return Waiting(_per_thinktank(who, count), lambda row: Task(
        ngettext("%(num)d request to join %(name)s", "%(num)d requests to join %(name)s", row.n, name=row.name),
        "thinktanks.members", {"slug": row.slug}, row.n), (ThinkTank.position, ThinkTank.name))


@source("reports", lambda: _("Reports and posts waiting for approval"))
def reports(who: Who) -> Waiting:
    open_reports = (select(func.count()).where(Report.thinktank_id == ThinkTank.id, Report.resolved_at.is_(None))
                    .correlate(ThinkTank).scalar_subquery())
    # Constants, not parameters: SQLite uses a partial index (ix_ideas_waiting, ix_comments_waiting) only when the
    # query holds its condition literally.
    waiting = literal_column("'waiting'")
    waiting_ideas = (select(func.count()).where(Idea.thinktank_id == ThinkTank.id, Idea.review == waiting)
                     .correlate(ThinkTank).scalar_subquery())
    waiting_comments = (select(func.count()).select_from(Comment).join(Idea, Idea.id == Comment.idea_id)
                        .where(Idea.thinktank_id == ThinkTank.id, Comment.review == waiting)
                        .correlate(ThinkTank).scalar_subquery())
    return Waiting(_per_thinktank(who, open_reports + waiting_ideas + waiting_comments), lambda row: Task(
        ngettext("%(num)d report or post to handle in %(name)s", "%(num)d reports or posts to handle in %(name)s",
                 row.n, name=row.name), "moderation.queue", {"slug": row.slug}, row.n),
        (ThinkTank.position, ThinkTank.name))


@source("unanswered_ideas", lambda: _("Ideas still without an answer"))
def unanswered_ideas(who: Who) -> Waiting:
    # The condition of ix_ideas_unanswered, with its constants written out (see reports above).
    open_statuses = [literal_column(f"'{status}'") for status in OPEN_STATUSES]
    rows = (select(Idea.id, Idea.title, Idea.created_at, literal(1).label("n"))
            .where(Idea.thinktank_id.in_(who.chaired), Idea.answered_at.is_(None), Idea.status.in_(open_statuses),
                   visible_ideas(), Idea.created_at < who.unanswered_before))
    return Waiting(rows, lambda row: Task(
        ngettext("%(title)s (posted %(num)d day ago)", "%(title)s (posted %(num)d days ago)",
                 (who.now - row.created_at).days, title=row.title),
        "ideas.show", {"idea_id": row.id}), (Idea.created_at, Idea.id))


# --- owners and chairs -----------------------------------------------------------------------------------------

def _actions_of(who: Who) -> Any:
    """Open actions the person owns, or of the think tanks they chair."""
    return and_(ActionItem.status.in_(OPEN_ACTION_STATUSES),
                or_(ActionItem.owner_id == who.user_id, ActionItem.thinktank_id.in_(who.chaired)))


@source("overdue_actions", lambda: _("Action items past their deadline"))
def overdue_actions(who: Who) -> Waiting:
    rows = (select(ActionItem.id, ActionItem.title, ActionItem.due_date, literal(1).label("n"))
            .where(_actions_of(who), ActionItem.due_date.is_not(None), ActionItem.due_date < who.today))
    return Waiting(rows, lambda row: Task(
        ngettext("%(title)s (due %(num)d day ago)", "%(title)s (due %(num)d days ago)",
                 (who.today - row.due_date).days, title=row.title),
        "actions.show", {"action_id": row.id}), (ActionItem.due_date, ActionItem.id))


@source("quiet_actions", lambda: _("Action items without a recent update"))
def quiet_actions(who: Who) -> Waiting:
    last = (select(func.max(ProgressUpdate.created_at)).where(ProgressUpdate.action_id == ActionItem.id)
            .correlate(ActionItem).scalar_subquery())
    since = func.coalesce(last, ActionItem.created_at)
    not_overdue = or_(ActionItem.due_date.is_(None), ActionItem.due_date >= who.today)  # counted once, above
    rows = (select(ActionItem.id, ActionItem.title, since.label("since"), literal(1).label("n"))
            .where(_actions_of(who), not_overdue, since < who.quiet_before))
    return Waiting(rows, lambda row: Task(
        ngettext("%(title)s (no update for %(num)d week)", "%(title)s (no update for %(num)d weeks)",
                 (who.now - row.since).days // 7, title=row.title),
        "actions.show", {"action_id": row.id}), (since, ActionItem.id))


# --- meetings (chairs, and a plenary's organiser) --------------------------------------------------------------

def _meetings_of(who: Who) -> Any:
    return or_(Meeting.thinktank_id.in_(who.chaired),
               and_(Meeting.thinktank_id.is_(None), Meeting.created_by_id == who.user_id))


@source("meetings_to_prepare", lambda: _("Meetings to prepare"))
def meetings_to_prepare(who: Who) -> Waiting:
    rows = (select(Meeting.id, Meeting.title, Meeting.starts_at, literal(1).label("n"))
            .where(_meetings_of(who), Meeting.state == "scheduled", Meeting.starts_at >= who.now,
                   Meeting.starts_at < who.meetings_until,
                   ~exists().where(AgendaItem.meeting_id == Meeting.id)))
    return Waiting(rows, lambda row: Task(
        _("%(title)s: the agenda is still empty", title=row.title), "meetings.agenda", {"meeting_id": row.id}),
        (Meeting.starts_at, Meeting.id))


@source("minutes_to_publish", lambda: _("Minutes to publish"))
def minutes_to_publish(who: Who) -> Waiting:
    rows = (select(Meeting.id, Meeting.title, Meeting.closed_at, literal(1).label("n"))
            .where(_meetings_of(who), Meeting.state == "closed", Meeting.minutes_published_at.is_(None)))
    return Waiting(rows, lambda row: Task(_("Minutes of %(title)s", title=row.title), "meetings_board.minutes",
                                          {"meeting_id": row.id}), (Meeting.closed_at, Meeting.id))
