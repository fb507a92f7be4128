"""The live meeting board: the chair's and participants' commands, the board snapshot, and the minutes.

Every command is a function that takes the meeting and the acting user, checks the user's right
(samen/meetings/access.py), validates, changes the stored state, appends a MeetingCommand (whose id is the
board's new version) and returns a `Result`: what to broadcast, to whom. It adds to the session and flushes;
the caller (samen/meetings/events.py, or a web view) commits once and only then broadcasts, so nothing reaches a
client that is not stored. Nothing here imports Flask.
"""
from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from flask_babel import format_date, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from samen.accounts.operations import require_confirmed
from samen.core import inputs, names
from samen.core.database import db, upsert, utcnow
from samen.core.errors import DomainError, Forbidden
from samen.core.markdown import render_markdown
from samen.ideas.models import Idea, visible_ideas
from samen.ideas.operations import author_name, can_view, listed_ideas
from samen.meetings import access
from samen.meetings.models import (AgendaItem, Attendance, Ballot, Decision, IdeaRound, LiveConnection, Meeting,
                                   MeetingCommand, MeetingIdea, RaisedHand, Vote, VoteDot)

# --- reading the board ---------------------------------------------------------------------------------------


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") + "Z" if moment is not None else None


VOTE = "ballot:vote"  # votes are stored as commands too, but counted apart (see version_of)


def version_of(meeting: Meeting) -> int:
    """Return the board's version: how many commands the meeting has had (0 when none), votes left out.

    Versions count per meeting without gaps, so a client that sees version n + 2 after n knows it missed one.
    Votes do not change the version: they come by the hundred in a few seconds, and their effect, the tally, is
    broadcast at most a few times a second with its own counter (vote_seq_of). Both counters are columns of the
    meeting, raised in the transaction that stores the command (append_command, cast_vote); read as stored.
    """
    return db.session.scalar(select(Meeting.board_version).where(Meeting.id == meeting.id)) or 0


def vote_seq_of(meeting: Meeting) -> int:
    """Return how many votes (and changed votes) the meeting has had: orders tallies, which carry it as `seq`."""
    return vote_seq_of_id(meeting.id)


def vote_seq_of_id(meeting_id: int) -> int:
    return db.session.scalar(select(Meeting.vote_seq).where(Meeting.id == meeting_id)) or 0


def agenda_of(meeting: Meeting) -> list[AgendaItem]:
    """Return the meeting's agenda in order, with the linked ideas loaded."""
    return list(db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                                   .order_by(AgendaItem.position, AgendaItem.id)
                                   .options(selectinload(AgendaItem.ideas))))


def current_item(meeting: Meeting, agenda: list[AgendaItem] | None = None) -> AgendaItem | None:
    """Return the agenda item the board is on, or None."""
    agenda = agenda if agenda is not None else agenda_of(meeting)
    index = meeting.current_position
    return agenda[index] if index is not None and 0 <= index < len(agenda) else None


def open_round_of(meeting: Meeting) -> IdeaRound | None:
    """Return the meeting's open idea round, or None."""
    return db.session.scalar(select(IdeaRound).where(IdeaRound.meeting_id == meeting.id,
                                                     IdeaRound.closed_at.is_(None)))


def open_ballot_of(meeting: Meeting) -> Ballot | None:
    """Return the meeting's open ballot, or None."""
    return db.session.scalar(select(Ballot).where(Ballot.meeting_id == meeting.id, Ballot.closed_at.is_(None))
                             .options(selectinload(Ballot.options)))


def shown_round(meeting: Meeting, item: AgendaItem | None) -> IdeaRound | None:
    """The open round, else the last round of the current agenda item."""
    found = open_round_of(meeting)
    if found is None and item is not None:
        found = db.session.scalar(select(IdeaRound).where(IdeaRound.meeting_id == meeting.id,
                                                          IdeaRound.agenda_item_id == item.id)
                                  .order_by(IdeaRound.id.desc()).limit(1))
    return found


def shown_ballot(meeting: Meeting, item: AgendaItem | None) -> Ballot | None:
    """The open ballot, else the last closed ballot of the current agenda item."""
    found = open_ballot_of(meeting)
    if found is None and item is not None:
        found = db.session.scalar(select(Ballot).where(Ballot.meeting_id == meeting.id,
                                                       Ballot.agenda_item_id == item.id)
                                  .order_by(Ballot.id.desc()).limit(1).options(selectinload(Ballot.options)))
    return found


def tally_of(ballot: Ballot) -> tuple[int, dict[str, int]]:
    """Return (number of votes, tally): {"yes", "no", "abstain"} counts, or dots per option id (as strings).
    One aggregate query (a question's votes are the sum of its choices)."""
    if ballot.kind == "question":
        tally = {"yes": 0, "no": 0, "abstain": 0}
        votes = 0
        for choice, count in db.session.execute(select(Vote.choice, func.count()).where(Vote.ballot_id == ballot.id)
                                                .group_by(Vote.choice)):
            votes += count
            if choice in tally:
                tally[choice] = count
        return votes, tally
    tally = {str(option.id): 0 for option in ballot.options}
    voters = (select(func.count()).select_from(Vote).where(Vote.ballot_id == ballot.id).scalar_subquery())
    votes = 0  # every dot vote gives at least one dot, so a ballot without dots has no votes
    rows = db.session.execute(select(VoteDot.idea_id, func.sum(VoteDot.dots), voters)
                              .join(Vote, Vote.id == VoteDot.vote_id)
                              .where(Vote.ballot_id == ballot.id).group_by(VoteDot.idea_id))
    for idea_id, dots, voters_count in rows:
        tally[str(idea_id)] = int(dots or 0)
        votes = int(voters_count or 0)
    return votes, tally


def timer_of(meeting: Meeting, now: datetime | None = None) -> dict[str, Any]:
    """Return the timer: its duration, the seconds remaining, whether it runs, and when it ends (UTC)."""
    now = now or utcnow()
    running = meeting.timer_started_at is not None
    remaining = meeting.timer_remaining
    ends_at = None
    if running and remaining is not None:
        ends = meeting.timer_started_at + timedelta(seconds=remaining)
        ends_at = _iso(ends)
        remaining = max(0, round((ends - now).total_seconds()))
    if remaining is None:
        remaining = meeting.timer_duration or 0
    return {"duration": meeting.timer_duration, "remaining": remaining, "running": running, "ends_at": ends_at}


def idea_view(idea: Idea) -> dict[str, Any]:
    """An idea as the board shows it (anonymous authors stay anonymous). The whole room, observers of a public
    meeting too, receives the same broadcast: the author by the public form of their name (core/names.py)."""
    return {"id": idea.id, "title": idea.title, "author": author_name(idea), "url": f"/ideas/{idea.id}"}


def round_view(round_: IdeaRound | None) -> dict[str, Any] | None:
    """A round with the ideas submitted in it (merged, withdrawn and hidden ideas left out)."""
    if round_ is None:
        return None
    ideas = db.session.scalars(select(Idea).join(MeetingIdea, MeetingIdea.idea_id == Idea.id)
                               .where(MeetingIdea.round_id == round_.id, Idea.status != "merged",
                                      visible_ideas())
                               .order_by(Idea.id).options(selectinload(Idea.author)))
    return {"id": round_.id, "open": round_.closed_at is None, "ideas": [idea_view(idea) for idea in ideas]}


def ballot_view(ballot: Ballot | None, *, tally_visible: bool) -> dict[str, Any] | None:
    """A ballot; its tally only when `tally_visible` (results shown, or a chair looking)."""
    if ballot is None:
        return None
    votes, tally = tally_of(ballot)
    return {"id": ballot.id, "kind": ballot.kind, "question": ballot.question, "dots": ballot.dots,
            "seq": vote_seq_of_id(ballot.meeting_id),
            "options": [{"id": idea.id, "title": idea.title} for idea in ballot.options],
            "open": ballot.closed_at is None, "votes": votes, "tally": tally if tally_visible else None}


def decision_view(decision: Decision, agenda_ids: dict[int, int]) -> dict[str, Any]:
    action = decision.action
    return {"id": decision.id, "text": decision.text, "agenda_index": agenda_ids.get(decision.agenda_item_id),
            "action": ({"id": action.id, "title": action.title, "url": f"/actions/{action.id}"}
                       if action is not None else None)}


def presence_of(meeting: Meeting) -> tuple[int, list[str]]:
    """Return how many people are present (distinct signed-in people plus anonymous connections) and their
    names. A projector is the room's screen, not a person: its connections are not counted."""
    from samen.accounts.models import User
    people = (LiveConnection.meeting_id == meeting.id) & (
        LiveConnection.audience.is_(None) | ~LiveConnection.audience.startswith("projector:"))
    anonymous = db.session.scalar(select(func.count()).select_from(LiveConnection)
                                  .where(people, LiveConnection.user_id.is_(None))) or 0
    names = list(db.session.scalars(
        select(User.display_name).where(User.id.in_(
            select(LiveConnection.user_id).where(people, LiveConnection.user_id.is_not(None))))
        .order_by(User.display_name)))
    return anonymous + len(names), names


def hands_of(meeting: Meeting) -> list[dict[str, Any]]:
    """Return the raised hands in the order they went up."""
    hands = db.session.scalars(select(RaisedHand).where(RaisedHand.meeting_id == meeting.id)
                               .order_by(RaisedHand.raised_at, RaisedHand.user_id)
                               .options(selectinload(RaisedHand.user)))
    return [{"user_id": hand.user_id, "name": hand.user.display_name, "raised_at": _iso(hand.raised_at)}
            for hand in hands]


def vote_of(ballot: Ballot | None, user: Any) -> dict[str, Any] | None:
    if ballot is None or not getattr(user, "is_authenticated", False):
        return None
    vote = db.session.scalar(select(Vote).where(Vote.ballot_id == ballot.id, Vote.user_id == user.id)
                             .options(selectinload(Vote.dots)))
    if vote is None:
        return None
    if ballot.kind == "question":
        return {"choice": vote.choice}
    return {"dots": {str(dot.idea_id): dot.dots for dot in vote.dots}}


# The role of the user acting in the current command, when its caller read it from the database with the
# meeting (access.meeting_with_role): (meeting id, user id, role). Set by dispatch for the command only.
_acting_role: ContextVar[tuple[int, int, str | None] | None] = ContextVar("acting_role", default=None)


def require_role(meeting: Meeting, user: Any, role: str) -> str:
    """Return the user's role, or refuse when it is below `role`."""
    known = _acting_role.get()
    if known is not None and known[:2] == (meeting.id, getattr(user, "id", None)):
        have = known[2]  # read in this transaction, with the meeting
    else:
        have = access.role_in(meeting, user)
    if have is None:
        raise Forbidden(_l("You may not follow this meeting."))
    if not access.outranks(have, role):
        raise Forbidden(_l("Only the chair can do this.") if role == access.CHAIR
                        else _l("Only participants of this meeting can do this."))
    return have


HIDDEN_IDEA = _l("An idea of this think tank")


def reads_ideas(meeting: Meeting, user: Any) -> bool:
    """Whether the user may read the ideas the board shows: those of the meeting's think tank (ideas.operations'
    can_view); a plenary's board is for all who follow it."""
    return meeting.thinktank is None or can_view(meeting.thinktank, user)


def without_ideas(data: dict[str, Any]) -> dict[str, Any]:
    """Return a board event (or snapshot) as someone who may not read the think tank's ideas gets it: the round's
    ideas left out, a new idea as none, a ballot's options without their titles."""
    if not any(key in data for key in ("round", "idea", "ballot")):
        return data
    data = dict(data)
    if data.get("round"):
        data["round"] = {**data["round"], "ideas": []}
    if "idea" in data:
        data["idea"] = None
    if data.get("ballot") and data["ballot"].get("options"):
        data["ballot"] = {**data["ballot"], "options": [{**option, "title": str(HIDDEN_IDEA)}
                                                        for option in data["ballot"]["options"]]}
    return data


def board_state(meeting: Meeting, *, base_url: str = "", viewer: Any = None, chair: bool = True,
                broadcast: bool = False) -> dict[str, Any]:
    """Return the whole board without `you`: tallies, hands and names included when `chair`. The agenda's linked
    ideas are those `viewer` may see listed; for a broadcast (`broadcast`, no viewer), a think tank meeting's
    visible ones (those who may not read them get none: regions.audience_board) and a plenary's that anyone may
    see listed."""
    agenda = agenda_of(meeting)
    agenda_ids = {item.id: index for index, item in enumerate(agenda)}
    linked = [idea for entry in agenda for idea in entry.ideas]
    if broadcast and meeting.thinktank_id is not None:
        shown = {idea.id for idea in linked if idea.is_visible}
    else:
        # A public meeting of a closed think tank keeps them from outsiders.
        shown = {idea.id for idea in listed_ideas(linked, viewer)}
    item = current_item(meeting, agenda)
    ballot = shown_ballot(meeting, item)
    decisions = db.session.scalars(select(Decision).where(Decision.meeting_id == meeting.id)
                                   .order_by(Decision.id).options(selectinload(Decision.action)))
    count, people = presence_of(meeting)
    thinktank = meeting.thinktank
    state: dict[str, Any] = {
        "version": version_of(meeting),
        "meeting": {"id": meeting.id, "title": meeting.title, "state": meeting.state, "public": meeting.public,
                    "plenary": meeting.plenary,
                    "thinktank": {"slug": thinktank.slug, "name": thinktank.name} if thinktank else None,
                    "join_url": f"{base_url.rstrip('/')}/meetings/{meeting.id}/live"},
        "agenda": [{"index": index, "id": entry.id, "title": entry.title,
                    "description_html": str(render_markdown(entry.description)),
                    "planned_minutes": entry.planned_minutes,
                    "ideas": [{"id": idea.id, "title": idea.title} for idea in entry.ideas if idea.id in shown]}
                   for index, entry in enumerate(agenda)],
        "current": agenda_ids.get(item.id) if item is not None else None,
        "round": round_view(shown_round(meeting, item)),
        "ballot": ballot_view(ballot, tally_visible=chair or meeting.results_visible),
        "results_visible": meeting.results_visible,
        "timer": timer_of(meeting),
        "decisions": [decision_view(decision, agenda_ids) for decision in decisions],
        "presence": {"count": count},
    }
    if chair:
        state["presence"]["people"] = people
        state["hands"] = hands_of(meeting)
    return state


def board_snapshot(meeting: Meeting, user: Any, *, base_url: str = "", role: str | None = None) -> dict[str, Any]:
    """Return the whole board as `user` may see it (the shape is in docs/live-protocol.md).

    Raises Forbidden when the user may not observe the meeting. `base_url` ("https://samen.example") makes the
    join link absolute; `role` skips the access lookup when the caller knows it already.
    """
    role = role or require_role(meeting, user, access.OBSERVER)
    snapshot = board_state(meeting, base_url=base_url, viewer=user, chair=role == access.CHAIR)
    signed_in = bool(getattr(user, "is_authenticated", False))
    hand_raised = signed_in and db.session.get(RaisedHand, (meeting.id, user.id)) is not None
    ballot = snapshot["ballot"]
    snapshot["you"] = {"user_id": user.id if signed_in else None, "role": role,
                       "vote": vote_of(db.session.get(Ballot, ballot["id"]) if ballot else None, user),
                       "hand_raised": hand_raised}
    return snapshot if reads_ideas(meeting, user) else without_ideas(snapshot)


# --- writing the board ---------------------------------------------------------------------------------------

@dataclass
class Emit:
    """One broadcast: an event with its data, to the meeting's room or to its chairs' room."""

    event: str
    data: dict[str, Any]
    chairs_only: bool = False


@dataclass
class Result:
    """What a command returns: its version, the ack's extra fields, and what to broadcast after the commit."""

    version: int = 0
    ack: dict[str, Any] = field(default_factory=dict)
    emits: list[Emit] = field(default_factory=list)
    tally_ballot_id: int | None = None  # a vote: the tally of this ballot is to be broadcast (coalesced)


def lock_board(meeting: Meeting) -> None:
    """Take the meeting's row lock until the commit: commands of one meeting then follow one another, also
    across server processes (PostgreSQL's row lock; SQLite lets one writer at a time anyway)."""
    db.session.execute(update(Meeting).where(Meeting.id == meeting.id).values(updated_at=utcnow())
                       .execution_options(synchronize_session=False))


# The statements of the busiest paths are built once: building one costs more than running it.

@cache
def _raise_version() -> Any:
    return (update(Meeting.__table__).where(Meeting.id == bindparam("meeting"))
            .values(board_version=Meeting.board_version + 1, updated_at=bindparam("now"))
            .returning(Meeting.board_version))


@cache
def _raise_vote_seq() -> Any:
    # A vote leaves `updated_at` alone: it changes the ballot's votes, not the meeting.
    return (update(Meeting.__table__).where(Meeting.id == bindparam("meeting"))
            .values(vote_seq=Meeting.vote_seq + 1, updated_at=Meeting.updated_at)
            .returning(Meeting.vote_seq, Meeting.board_version))


@cache
def _store_vote(dialect: str) -> Any:
    return upsert(Vote.__table__, {}, conflict=["ballot_id", "user_id"], update=["choice", "updated_at"],
                  dialect=dialect)


def _log_command(meeting: Meeting, user: Any, kind: str, payload: dict[str, Any] | None, now: datetime) -> None:
    db.session.execute(MeetingCommand.__table__.insert(), {
        "meeting_id": meeting.id, "kind": kind, "payload": payload or {}, "created_at": now,
        "user_id": user.id if getattr(user, "is_authenticated", False) else None})


def append_command(meeting: Meeting, user: Any, kind: str, payload: dict[str, Any] | None = None) -> int:
    """Store the command in the meeting's log and raise the board's version by one; return the new version."""
    db.session.flush()
    now = utcnow()
    _log_command(meeting, user, kind, payload, now)
    # The meeting's row lock (lock_board, or this UPDATE) keeps the versions of one meeting in commit order.
    version = db.session.execute(_raise_version(), {"meeting": meeting.id, "now": now}).scalar_one()
    set_committed_value(meeting, "board_version", version)
    return version


def require_live(meeting: Meeting) -> None:
    if meeting.state == "closed":
        raise DomainError(_l("This meeting is closed."), code="closed")
    if meeting.state != "live":
        raise DomainError(_l("The meeting has not been opened yet."), code="conflict")


# --- validation ------------------------------------------------------------------------------------------------

TEXT_MAX = 5_000  # a decision
QUESTION_MAX = 500
MINUTES_MAX = 100_000
TIMER_MAX = 24 * 60 * 60
DOTS_MAX = 20
OPTIONS_MAX = 50


def _int(value: Any, *, field: str, minimum: int, maximum: int, message: Any) -> int:
    """Return a whole number within bounds (JSON numbers only: no strings, no booleans, no fractions)."""
    return inputs.whole(value, field=field, minimum=minimum, maximum=maximum, message=message, text=False)


def _id(value: Any, *, field: str) -> int:
    return inputs.ident(value, field=field)


def _string(value: Any, *, field: str, maximum: int, required: bool = True, label: Any = None,
            multiline: bool = False) -> str:
    check = inputs.body if multiline else inputs.line
    return check(value, field=field, maximum=maximum, required=required, label=label or field)


def _chair(meeting: Meeting, user: Any, *, live: bool = True) -> None:
    require_role(meeting, user, access.CHAIR)
    if live:
        require_live(meeting)


def _participant(meeting: Meeting, user: Any) -> None:
    require_confirmed(user)
    require_role(meeting, user, access.PARTICIPANT)
    require_live(meeting)


def _room_ballot(meeting: Meeting, ballot: Ballot | None, version: int, **extra: Any) -> list[Emit]:
    """The 'ballot' broadcast: the room sees the tally only when results are shown; chairs always do."""
    emits = [Emit("ballot", {"version": version, "ballot": ballot_view(ballot, tally_visible=meeting.results_visible),
                             "results_visible": meeting.results_visible, **extra})]
    if ballot is not None and not meeting.results_visible:
        emits.append(Emit("ballot", {"version": version, "ballot": ballot_view(ballot, tally_visible=True),
                                     "results_visible": False, "chairs": True, **extra}, chairs_only=True))
    return emits


def tally_emits(ballot: Ballot) -> list[Emit]:
    """The 'tally' broadcast: votes and (when shown; always for chairs) the tally, with the vote counter `seq`.
    It carries the board's version unchanged. Two queries: the meeting's counters, then the tally."""
    # The counters first, then the tally: a vote committed in between is counted but not yet in `seq`, never the
    # other way round — so a tally with seq n includes every vote up to n.
    version, seq, visible = db.session.execute(select(Meeting.board_version, Meeting.vote_seq, Meeting.results_visible)
                                               .where(Meeting.id == ballot.meeting_id)).one()
    votes, tally = tally_of(ballot)
    data = {"version": version, "seq": seq, "ballot_id": ballot.id, "votes": votes}
    if visible:
        return [Emit("tally", {**data, "tally": tally})]
    return [Emit("tally", {**data, "tally": None}), Emit("tally", {**data, "tally": tally, "chairs": True},
                                                         chairs_only=True)]


def _stop_timer(meeting: Meeting) -> None:
    meeting.timer_duration = meeting.timer_remaining = meeting.timer_started_at = None


def _close_open(meeting: Meeting) -> tuple[IdeaRound | None, Ballot | None]:
    now = utcnow()
    round_, ballot = open_round_of(meeting), open_ballot_of(meeting)
    if round_ is not None:
        round_.closed_at = now
    if ballot is not None:
        ballot.closed_at = now
    db.session.flush()
    return round_, ballot


# --- the chair's commands --------------------------------------------------------------------------------------

def open_meeting(meeting: Meeting, user: Any) -> Result:
    """Open the meeting (scheduled → live), on the first agenda item."""
    _chair(meeting, user, live=False)
    if meeting.state == "closed":
        raise DomainError(_l("This meeting is closed."), code="closed")
    if meeting.state == "cancelled":
        raise DomainError(_l("This meeting is cancelled."), code="closed")
    if meeting.state == "live":
        raise DomainError(_l("The meeting is already open."), code="conflict")
    meeting.state, meeting.opened_at = "live", utcnow()
    agenda = agenda_of(meeting)
    if meeting.current_position is None and agenda:
        meeting.current_position = 0
    _record_present_attendance(meeting)
    version = append_command(meeting, user, "meeting:open")
    return Result(version, {"state": "live"}, [Emit("agenda", {"version": version, "state": "live",
                                                               "current": meeting.current_position})])


def goto_agenda(meeting: Meeting, user: Any, index: Any) -> Result:
    """Move the board to agenda item `index` (from 0); the timer stops and results are hidden again."""
    _chair(meeting, user)
    agenda = agenda_of(meeting)
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(agenda):
        raise DomainError(_l("There is no agenda item with this number."), field="index")
    meeting.current_position = index
    _stop_timer(meeting)
    meeting.results_visible = False
    db.session.flush()
    version = append_command(meeting, user, "agenda:goto", {"index": index})
    item = agenda[index]
    ballot = shown_ballot(meeting, item)
    emits = [Emit("agenda", {"version": version, "state": meeting.state, "current": index,
                             "round": round_view(shown_round(meeting, item)), "timer": timer_of(meeting),
                             "results_visible": False})]
    emits += _room_ballot(meeting, ballot, version)
    return Result(version, {"current": index}, emits)


def open_round(meeting: Meeting, user: Any) -> Result:
    """Open an idea round on the current agenda item."""
    _chair(meeting, user)
    if open_round_of(meeting) is not None:
        raise DomainError(_l("An idea round is already open."), code="conflict")
    item = current_item(meeting)
    round_ = IdeaRound(meeting_id=meeting.id, agenda_item_id=item.id if item else None)
    db.session.add(round_)
    db.session.flush()
    version = append_command(meeting, user, "round:open", {"round_id": round_.id})
    view = round_view(round_)
    return Result(version, {"round": view}, [Emit("round", {"version": version, "round": view})])


def close_round(meeting: Meeting, user: Any) -> Result:
    """Close the open idea round."""
    _chair(meeting, user)
    round_ = open_round_of(meeting)
    if round_ is None:
        raise DomainError(_l("No idea round is open."), code="conflict")
    round_.closed_at = utcnow()
    db.session.flush()
    version = append_command(meeting, user, "round:close", {"round_id": round_.id})
    view = round_view(round_)
    return Result(version, {"round": view}, [Emit("round", {"version": version, "round": view})])


def _ballot_options(meeting: Meeting, idea_ids: Any) -> list[Idea]:
    if not isinstance(idea_ids, list) or not 1 <= len(idea_ids) <= OPTIONS_MAX:
        raise DomainError(_l("Choose between 1 and %(max)d ideas to vote on.", max=OPTIONS_MAX), field="idea_ids")
    ids = [_id(value, field="idea_ids") for value in idea_ids]
    if len(set(ids)) != len(ids):
        raise DomainError(_l("Each idea can be chosen once."), field="idea_ids")
    ideas = list(db.session.scalars(select(Idea).where(Idea.id.in_(ids)).order_by(Idea.id)))
    usable = [idea for idea in ideas if idea.is_visible and idea.status != "merged"
              and (meeting.thinktank_id is None or idea.thinktank_id == meeting.thinktank_id)]
    if len(usable) != len(ids):
        raise DomainError(_l("Choose ideas of this think tank that can still be voted on."), field="idea_ids")
    return usable


def open_ballot(meeting: Meeting, user: Any, *, question: Any = None, idea_ids: Any = None,
                dots: Any = None) -> Result:
    """Open a ballot: a yes/no/abstain `question`, or dot voting with `dots` dots over `idea_ids`.
    Results are hidden when a ballot opens."""
    _chair(meeting, user)
    if open_ballot_of(meeting) is not None:
        raise DomainError(_l("A ballot is already open. Close it first."), code="conflict")
    item = current_item(meeting)
    if question is not None and idea_ids is None and dots is None:
        ballot = Ballot(meeting_id=meeting.id, agenda_item_id=item.id if item else None, kind="question",
                        question=_string(question, field="question", maximum=QUESTION_MAX, label=_l("Question")))
    elif question is None and idea_ids is not None:
        count = _int(dots, field="dots", minimum=1, maximum=DOTS_MAX,
                     message=_l("Give each participant between 1 and %(max)d dots.", max=DOTS_MAX))
        ballot = Ballot(meeting_id=meeting.id, agenda_item_id=item.id if item else None, kind="dots", dots=count,
                        options=_ballot_options(meeting, idea_ids))
    else:
        raise DomainError(_l("Ask a question, or choose ideas and a number of dots."), field="question")
    db.session.add(ballot)
    meeting.results_visible = False
    db.session.flush()
    version = append_command(meeting, user, "ballot:open", {"ballot_id": ballot.id, "kind": ballot.kind})
    return Result(version, {"ballot": ballot_view(ballot, tally_visible=True)}, _room_ballot(meeting, ballot, version))


def close_ballot(meeting: Meeting, user: Any) -> Result:
    """Close the open ballot: no more votes or changes."""
    _chair(meeting, user)
    ballot = open_ballot_of(meeting)
    if ballot is None:
        raise DomainError(_l("No ballot is open."), code="conflict")
    ballot.closed_at = utcnow()
    db.session.flush()
    version = append_command(meeting, user, "ballot:close", {"ballot_id": ballot.id})
    return Result(version, {"ballot": ballot_view(ballot, tally_visible=True)}, _room_ballot(meeting, ballot, version))


def set_results_visible(meeting: Meeting, user: Any, visible: bool) -> Result:
    """Show the current ballot's results to everyone, or hide them again (chairs always see them)."""
    _chair(meeting, user)
    meeting.results_visible = bool(visible)
    db.session.flush()
    version = append_command(meeting, user, "results:show" if visible else "results:hide")
    ballot = shown_ballot(meeting, current_item(meeting))
    return Result(version, {"results_visible": meeting.results_visible}, _room_ballot(meeting, ballot, version))


def show_results(meeting: Meeting, user: Any) -> Result:
    return set_results_visible(meeting, user, True)


def hide_results(meeting: Meeting, user: Any) -> Result:
    return set_results_visible(meeting, user, False)


def _timer_result(meeting: Meeting, user: Any, kind: str, payload: dict[str, Any] | None = None) -> Result:
    db.session.flush()
    version = append_command(meeting, user, kind, payload)
    timer = timer_of(meeting)
    return Result(version, {"timer": timer}, [Emit("timer", {"version": version, "timer": timer})])


def start_timer(meeting: Meeting, user: Any, seconds: Any = None) -> Result:
    """Start the timer for `seconds` (1 second to 24 hours); without seconds, resume a paused timer."""
    _chair(meeting, user)
    if seconds is None:
        if meeting.timer_duration is None or not meeting.timer_remaining:
            raise DomainError(_l("Give the timer a number of seconds."), field="seconds")
        if meeting.timer_started_at is not None:
            raise DomainError(_l("The timer is already running."), code="conflict")
        meeting.timer_started_at = utcnow()
        return _timer_result(meeting, user, "timer:start", {"resume": True})
    count = _int(seconds, field="seconds", minimum=1, maximum=TIMER_MAX,
                 message=_l("The timer needs between 1 second and 24 hours."))
    meeting.timer_duration = meeting.timer_remaining = count
    meeting.timer_started_at = utcnow()
    return _timer_result(meeting, user, "timer:start", {"seconds": count})


def pause_timer(meeting: Meeting, user: Any) -> Result:
    """Pause the running timer, keeping the time left."""
    _chair(meeting, user)
    if meeting.timer_started_at is None:
        raise DomainError(_l("The timer is not running."), code="conflict")
    meeting.timer_remaining = timer_of(meeting)["remaining"]
    meeting.timer_started_at = None
    return _timer_result(meeting, user, "timer:pause")


def reset_timer(meeting: Meeting, user: Any) -> Result:
    """Stop the timer and set it back to its full duration."""
    _chair(meeting, user)
    meeting.timer_remaining = meeting.timer_duration
    meeting.timer_started_at = None
    return _timer_result(meeting, user, "timer:reset")


def thinktank_for_new_things(meeting: Meeting) -> Any:
    """The think tank that gets the meeting's new ideas and action items: the meeting's own; in a plenary, the
    think tank of the current agenda item's first linked idea. Refuse when there is none."""
    if meeting.thinktank is not None:
        return meeting.thinktank
    item = current_item(meeting)
    if item is not None and item.ideas:
        return item.ideas[0].thinktank
    raise DomainError(_l("In a plenary meeting, ideas and action items go to the think tank of the current agenda "
                         "item's first linked idea; this agenda item has no linked idea."), code="invalid")


def record_decision(meeting: Meeting, user: Any, text: Any, action: Any = None) -> Result:
    """Record a decision on the current agenda item, with an action item (title, owner_id, due_date) if given."""
    from samen.actions import operations as action_ops

    _chair(meeting, user)
    body = _string(text, field="text", maximum=TEXT_MAX, label=_l("Decision"), multiline=True)
    item = current_item(meeting)
    action_item = None
    if action is not None:
        if not isinstance(action, dict) or set(action) - {"title", "owner_id", "due_date"}:
            raise DomainError(_l("An action item has a title, and optionally an owner and a due date."),
                              field="action")
        action_item = action_ops.create_action(
            thinktank_for_new_things(meeting), by=user, title=action.get("title"), owner=action.get("owner_id"),
            due_date=action.get("due_date"), decision=body)
    decision = Decision(meeting_id=meeting.id, agenda_item_id=item.id if item else None, text=body,
                        action_id=action_item.id if action_item else None, created_by_id=user.id)
    db.session.add(decision)
    db.session.flush()
    version = append_command(meeting, user, "decision:record",
                             {"decision_id": decision.id, "action_id": decision.action_id})
    agenda_ids = {entry.id: index for index, entry in enumerate(agenda_of(meeting))}
    view = decision_view(decision, agenda_ids)
    return Result(version, {"decision": view}, [Emit("decision", {"version": version, "decision": view})])


def close_meeting(meeting: Meeting, user: Any) -> Result:
    """Close the meeting (live → closed): rounds and ballots close, the timer stops, hands go down, and the
    minutes are drafted for the chair to edit and publish."""
    _chair(meeting, user, live=False)
    if meeting.state == "closed":
        raise DomainError(_l("This meeting is closed."), code="closed")
    if meeting.state != "live":
        raise DomainError(_l("The meeting has not been opened yet."), code="conflict")
    _close_open(meeting)
    _stop_timer(meeting)
    db.session.execute(RaisedHand.__table__.delete().where(RaisedHand.meeting_id == meeting.id))
    meeting.state, meeting.closed_at = "closed", utcnow()
    db.session.flush()
    if not meeting.minutes:
        meeting.minutes = draft_minutes(meeting)
    version = append_command(meeting, user, "meeting:close")
    url = f"/meetings/{meeting.id}/minutes"
    return Result(version, {"state": "closed", "minutes_url": url},
                  [Emit("closed", {"version": version, "state": "closed", "minutes_url": url})])


def merge_idea(meeting: Meeting, user: Any, idea_id: Any, into_id: Any) -> Result:
    """Merge a duplicate idea submitted in this meeting into another idea of the same think tank."""
    from samen.ideas import operations as idea_ops

    _chair(meeting, user)
    source_id, target_id = _id(idea_id, field="idea_id"), _id(into_id, field="into_id")
    link = db.session.get(MeetingIdea, source_id)
    if link is None or link.meeting_id != meeting.id:
        raise DomainError(_l("This idea was not submitted in this meeting."), field="idea_id", code="not_found")
    idea, target = link.idea, db.session.get(Idea, target_id)
    if target is None or not target.is_visible or target.status == "merged":
        raise DomainError(_l("Choose another idea of this think tank to merge into."), field="into_id",
                          code="not_found")
    if idea.status == "merged":
        raise DomainError(_l("This idea was merged already."), code="conflict")
    idea_ops.decide(idea, by=user, status="merged", merged_into=target,
                    answer=str(_l("Merged during the meeting “%(title)s”.", title=meeting.title)))
    db.session.flush()
    version = append_command(meeting, user, "idea:merge", {"idea_id": idea.id, "into_id": target.id})
    round_ = db.session.get(IdeaRound, link.round_id) if link.round_id else None
    view = round_view(round_)
    emits = [Emit("round", {"version": version, "round": view, "merged": {"idea_id": idea.id,
                                                                          "into_id": target.id}})]
    return Result(version, {"round": view}, emits)


# --- the participants' commands --------------------------------------------------------------------------------

def submit_idea(meeting: Meeting, user: Any, title: Any, body: Any = "") -> Result:
    """Submit an idea in the open round: it becomes an idea of the think tank, linked to the meeting, the
    agenda item and the round."""
    from samen.ideas import operations as idea_ops

    _participant(meeting, user)
    body = body or ""
    round_ = open_round_of(meeting)
    if round_ is None:
        raise DomainError(_l("No idea round is open."), code="conflict")
    thinktank = thinktank_for_new_things(meeting)
    if idea_ops.active_membership(thinktank, user) is not None:
        idea = idea_ops.create_idea(thinktank, author=user, title=title, body=body)
    else:
        # Registered for the meeting without being a member: the meeting is where they may speak up.
        if thinktank.is_archived:
            raise DomainError(_l("This think tank is archived and can no longer be changed."), code="conflict")
        idea = Idea(thinktank_id=thinktank.id, author_id=user.id,
                    title=_string(title, field="title", maximum=idea_ops.TITLE_MAX, label=_l("Title")),
                    body=_string(body, field="body", maximum=idea_ops.BODY_MAX, required=False, multiline=True),
                    review=idea_ops.initial_review(thinktank, user))
        db.session.add(idea)
        db.session.flush()
        if idea.review:
            idea_ops.tell_chairs(thinktank, what="idea", idea_title=idea.title)
    db.session.add(MeetingIdea(idea_id=idea.id, meeting_id=meeting.id, agenda_item_id=round_.agenda_item_id,
                               round_id=round_.id))
    db.session.flush()
    version = append_command(meeting, user, "idea:submit", {"idea_id": idea.id, "round_id": round_.id})
    view = idea_view(idea)
    return Result(version, {"idea": view}, [Emit("idea", {"version": version, "round_id": round_.id, "idea": view})])


def _vote_dots(ballot: Ballot, dots: Any) -> dict[int, int]:
    options = {idea.id for idea in ballot.options}
    if not isinstance(dots, dict) or not dots or len(dots) > len(options):
        raise DomainError(_l("Give your dots to the ideas on the ballot."), field="dots")
    given: dict[int, int] = {}
    for key, value in dots.items():
        try:
            idea_id = int(key)
        except (TypeError, ValueError):
            idea_id = 0
        if idea_id not in options or str(idea_id) != str(key):
            raise DomainError(_l("Give your dots to the ideas on the ballot."), field="dots")
        count = _int(value, field="dots", minimum=0, maximum=ballot.dots or 0,
                     message=_l("You have %(dots)d dots to give.", dots=ballot.dots or 0))
        if count:
            given[idea_id] = count
    total = sum(given.values())
    if not 1 <= total <= (ballot.dots or 0):
        raise DomainError(_l("You have %(dots)d dots to give.", dots=ballot.dots or 0), field="dots")
    return given


def cast_vote(meeting: Meeting, user: Any, ballot_id: Any, *, choice: Any = None, dots: Any = None) -> Result:
    """Vote on the open ballot, or change your vote while it is open: one vote per participant (by constraint)."""
    _participant(meeting, user)
    ballot = db.session.get(Ballot, _id(ballot_id, field="ballot_id"))
    if ballot is None or ballot.meeting_id != meeting.id:
        raise DomainError(_l("There is no such ballot in this meeting."), field="ballot_id", code="not_found")
    if ballot.closed_at is not None:
        raise DomainError(_l("This ballot is closed."), code="closed")
    if ballot.kind == "question":
        if dots is not None or choice not in ("yes", "no", "abstain"):
            raise DomainError(_l("Choose yes, no or abstain."), field="choice")
        given: dict[int, int] = {}
    else:
        if choice is not None:
            raise DomainError(_l("Give your dots to the ideas on the ballot."), field="dots")
        given = _vote_dots(ballot, dots)
    now = utcnow()
    # One statement: the vote, or the changed vote — the unique (ballot, user) keeps one per person.
    vote_id = db.session.execute(_store_vote(db.session.get_bind().dialect.name), {
        "ballot_id": ballot.id, "user_id": user.id, "choice": choice, "created_at": now, "updated_at": now}
    ).scalar_one()
    if ballot.kind == "dots":
        db.session.execute(VoteDot.__table__.delete().where(VoteDot.vote_id == vote_id))
        db.session.execute(VoteDot.__table__.insert(), [{"vote_id": vote_id, "idea_id": idea_id, "dots": count}
                                                        for idea_id, count in given.items()])
    # Stored like every command, but without the board's lock: votes leave the version alone and raise `seq`.
    _log_command(meeting, user, VOTE, {"ballot_id": ballot.id}, now)
    # Last, so the meeting's row is locked (PostgreSQL) only until the commit that follows: votes get their seq in
    # the order they commit, and a tally that reads seq n has every vote up to n.
    seq, version = db.session.execute(_raise_vote_seq(), {"meeting": meeting.id}).one()
    set_committed_value(meeting, "vote_seq", seq)
    mine = {"choice": choice} if ballot.kind == "question" else {"dots": {str(k): v for k, v in given.items()}}
    return Result(version, {"vote": mine, "seq": seq}, [], tally_ballot_id=ballot.id)


def _hands_emits(meeting: Meeting, version: int) -> list[Emit]:
    hands = hands_of(meeting)
    return [Emit("hands", {"version": version, "count": len(hands)}),
            Emit("hands", {"version": version, "count": len(hands), "hands": hands, "chairs": True},
                 chairs_only=True)]


def raise_hand(meeting: Meeting, user: Any) -> Result:
    """Raise your hand; hands are kept in the order they went up."""
    from samen.core.database import insert_ignoring_conflicts

    _participant(meeting, user)
    db.session.execute(insert_ignoring_conflicts(RaisedHand.__table__, {
        "meeting_id": meeting.id, "user_id": user.id, "raised_at": utcnow()}, conflict=["meeting_id", "user_id"]))
    version = append_command(meeting, user, "hand:raise")
    return Result(version, {"hand_raised": True}, _hands_emits(meeting, version))


def lower_hand(meeting: Meeting, user: Any, user_id: Any = None) -> Result:
    """Lower your hand — or, for a chair, someone else's (`user_id`)."""
    _participant(meeting, user)
    target = user.id
    if user_id is not None and user_id != user.id:
        _chair(meeting, user)
        target = _id(user_id, field="user_id")
    db.session.execute(RaisedHand.__table__.delete().where(RaisedHand.meeting_id == meeting.id,
                                                           RaisedHand.user_id == target))
    version = append_command(meeting, user, "hand:lower", {"user_id": target})
    return Result(version, {"hand_raised": False} if target == user.id else {}, _hands_emits(meeting, version))


# --- presence and attendance ---------------------------------------------------------------------------------

CONNECTION_MAX_AGE = timedelta(minutes=3)  # a row not touched for this long belongs to a dead process


def _record_attendance(meeting: Meeting, user_ids: list[int]) -> None:
    """These people attended: first seen now, or seen again now (two statements, however many they are)."""
    from sqlalchemy import literal

    from samen.accounts.models import User
    from samen.core.database import insert_ignoring_conflicts

    if not user_ids:
        return
    now = utcnow()
    table = Attendance.__table__
    db.session.execute(table.update().where(table.c.meeting_id == meeting.id, table.c.user_id.in_(user_ids))
                       .values(last_seen_at=now))
    db.session.execute(insert_ignoring_conflicts(table, None, conflict=["meeting_id", "user_id"], source=(
        ["meeting_id", "user_id", "first_seen_at", "last_seen_at"],
        select(literal(meeting.id), User.id, literal(now, table.c.first_seen_at.type),
               literal(now, table.c.last_seen_at.type)).where(User.id.in_(user_ids)))))


def _record_present_attendance(meeting: Meeting) -> None:
    """On opening: everyone already connected who participates attended."""
    present = select(LiveConnection.user_id).where(LiveConnection.meeting_id == meeting.id,
                                                   LiveConnection.user_id.is_not(None))
    _record_attendance(meeting, list(db.session.scalars(access.participant_ids(meeting, present))))


def presence_emits(meeting: Meeting) -> list[Emit]:
    """The 'presence' broadcast: the count to everyone, the names to the chairs."""
    count, people = presence_of(meeting)
    version = version_of(meeting)
    return [Emit("presence", {"version": version, "count": count}),
            Emit("presence", {"version": version, "count": count, "people": people, "chairs": True},
                 chairs_only=True)]


def connect(meeting: Meeting, user: Any, *, sid: str, server: str = "") -> tuple[str, int | None]:
    """Put a connection in the meeting (it leaves any other); record attendance of a participant while the
    meeting is not closed. Return (the user's role, the meeting it left or None). Raises Forbidden."""
    role = require_role(meeting, user, access.OBSERVER)
    connection = db.session.get(LiveConnection, sid)
    left = None
    now = utcnow()
    if connection is None:
        db.session.add(LiveConnection(sid=sid, meeting_id=meeting.id, server=server[:64], connected_at=now,
                                      seen_at=now,
                                      user_id=user.id if getattr(user, "is_authenticated", False) else None))
    else:
        left = connection.meeting_id if connection.meeting_id != meeting.id else None
        connection.meeting_id, connection.seen_at = meeting.id, now
    if access.outranks(role, access.PARTICIPANT) and meeting.state == "live":
        _record_attendance(meeting, [user.id])
    db.session.flush()
    return role, left


def set_audience(sid: str, audience: str | None) -> None:
    """Record which rendered regions the connection gets (samen/meetings/regions.py; None: JSON only)."""
    db.session.execute(update(LiveConnection).where(LiveConnection.sid == sid).values(audience=audience)
                       .execution_options(synchronize_session=False))


def disconnect(sid: str) -> int | None:
    """Forget a connection; return the meeting it was in, or None."""
    connection = db.session.get(LiveConnection, sid)
    if connection is None:
        return None
    meeting_id = connection.meeting_id
    db.session.delete(connection)
    db.session.flush()
    return meeting_id


def touch_connections(server: str) -> None:
    """Mark this process's connections as alive (a heartbeat, so other processes do not clean them away)."""
    db.session.execute(LiveConnection.__table__.update().where(LiveConnection.server == server)
                       .values(seen_at=utcnow()))


def clean_connections(*, server: str | None = None, max_age: timedelta = CONNECTION_MAX_AGE) -> list[int]:
    """Delete the connections of a (restarted) server and those not seen for `max_age`; return the meetings
    whose presence changed."""
    table = LiveConnection.__table__
    stale = table.c.seen_at < utcnow() - max_age
    condition = stale if server is None else (stale | (table.c.server == server))
    meetings = list(db.session.scalars(select(LiveConnection.meeting_id).where(condition).distinct()))
    if meetings:
        db.session.execute(table.delete().where(condition))
    return meetings


# --- minutes -------------------------------------------------------------------------------------------------

def _md(text: str) -> str:
    """Escape what would change the Markdown's structure in a one-line user text."""
    return " ".join(str(text).split()).replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_") \
        .replace("[", "\\[").replace("]", "\\]").replace("#", "\\#").replace("<", "&lt;")


def _votes(count: int) -> str:
    return str(ngettext("%(num)d vote", "%(num)d votes", count))


def _ballot_line(ballot: Ballot) -> str:
    """A ballot's results in the words the ballot itself used (Yes, No, Abstain), with proper plurals."""
    votes, tally = tally_of(ballot)
    if ballot.kind == "question":
        answers = ", ".join(f"{label} {tally[key]}" for key, label in (("yes", _l("Yes")), ("no", _l("No")),
                                                                       ("abstain", _l("Abstain"))))
        return str(_l("%(question)s — %(answers)s (%(votes)s)", question=_md(ballot.question or ""),
                      answers=answers, votes=_votes(votes)))
    results = "; ".join(f"{_md(idea.title)}: {tally.get(str(idea.id), 0)}"
                        for idea in sorted(ballot.options, key=lambda idea: -tally.get(str(idea.id), 0)))
    return str(_l("Dot voting, %(dots)s each (%(votes)s) — %(results)s",
                  dots=ngettext("%(num)d dot", "%(num)d dots", ballot.dots or 0), votes=_votes(votes),
                  results=results))


def reached_items(meeting: Meeting) -> set[int]:
    """Return the positions of the agenda items the board went to (the first when it opened, then every goto)."""
    gone = db.session.scalars(select(MeetingCommand.payload).where(MeetingCommand.meeting_id == meeting.id,
                                                                   MeetingCommand.kind == "agenda:goto"))
    reached = {payload.get("index") for payload in gone if isinstance(payload, dict)}
    if meeting.opened_at is not None:
        reached.add(0)
    return reached


def draft_minutes(meeting: Meeting) -> str:
    """Return draft minutes in Markdown: attendance, and per agenda item the ideas, ballot results, decisions
    and action items. Changes nothing."""
    from samen.accounts.models import User

    agenda = agenda_of(meeting)
    attended = db.session.scalar(select(func.count()).select_from(Attendance)
                                 .where(Attendance.meeting_id == meeting.id)) or 0
    ideas = db.session.execute(select(MeetingIdea.agenda_item_id, Idea).join(Idea, Idea.id == MeetingIdea.idea_id)
                               .where(MeetingIdea.meeting_id == meeting.id,
                                      Idea.review.is_(None))  # what waits for a chair is in no minutes
                               .order_by(Idea.id)
                               .options(selectinload(Idea.author), selectinload(Idea.merged_into))).all()
    ballots = list(db.session.scalars(select(Ballot).where(Ballot.meeting_id == meeting.id).order_by(Ballot.id)
                                      .options(selectinload(Ballot.options))))
    decisions = list(db.session.scalars(select(Decision).where(Decision.meeting_id == meeting.id)
                                        .order_by(Decision.id).options(selectinload(Decision.action))))
    owners = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(
        [d.action.owner_id for d in decisions if d.action is not None and d.action.owner_id])))}

    reached = reached_items(meeting)
    lines = [f"# {_md(meeting.title)}", ""]
    when = format_date(meeting.opened_at or meeting.starts_at, format="long")  # 7 december 2026, December 7, 2026
    lines.append(str(_l("Date: %(date)s", date=when)) + "  ")
    if meeting.location:
        lines.append(str(_l("Place: %(place)s", place=_md(meeting.location))) + "  ")
    lines += [str(ngettext("Present: %(num)d participant", "Present: %(num)d participants", attended)), ""]

    sections: list[tuple[str, int | None]] = [(entry.title, entry.id) for entry in agenda]
    positions = {entry.id: index for index, entry in enumerate(agenda)}
    known = {entry.id for entry in agenda}
    if any(i is None or i not in known for i, _ in ideas) or any(
            b.agenda_item_id not in known for b in ballots) or any(d.agenda_item_id not in known for d in decisions):
        sections.append((str(_l("Other business")), None))
    for number, (title, item_id) in enumerate(sections, start=1):
        def here(value: int | None, item_id: int | None = item_id) -> bool:
            return value == item_id if item_id is not None else value not in known
        lines += [f"## {number}. {_md(title)}", ""]
        item_ideas = [idea for agenda_item_id, idea in ideas if here(agenda_item_id)]
        item_ballots = [ballot for ballot in ballots if here(ballot.agenda_item_id)]
        item_decisions = [decision for decision in decisions if here(decision.agenda_item_id)]
        if not (item_ideas or item_ballots or item_decisions):
            lines += [str(_l("Discussed; nothing recorded.") if item_id is None or positions[item_id] in reached
                          else _l("Not reached in this meeting.")), ""]
            continue
        if item_ideas:
            lines += ["### " + str(_l("Ideas")), ""]
            for idea in item_ideas:
                entry = f"- [{_md(idea.title)}](/ideas/{idea.id})"
                name = author_name(idea)
                if name:
                    entry += " — " + _md(name)
                if idea.status == "merged" and idea.merged_into is not None:
                    entry += " " + str(_l("(merged into “%(title)s”)", title=_md(idea.merged_into.title)))
                lines.append(entry)
            lines.append("")
        if item_ballots:
            lines += ["### " + str(_l("Votes")), ""]
            lines += [f"- {_ballot_line(ballot)}" for ballot in item_ballots]
            lines.append("")
        if item_decisions:
            lines += ["### " + str(_l("Decisions")), ""]
            for decision in item_decisions:
                lines.append(f"- {_md(decision.text)}")
                action = decision.action
                if action is not None:
                    extra = [f"[{_md(action.title)}](/actions/{action.id})"]
                    owner = owners.get(action.owner_id) if action.owner_id else None
                    if owner is not None:
                        # Minutes are published: people by the public form of their name (core/names.py).
                        extra.append(str(_l("owner: %(name)s", name=_md(names.public_name(owner)))))
                    if action.due_date is not None:
                        extra.append(str(_l("due: %(date)s", date=format_date(action.due_date, format="long"))))
                    lines.append("  - " + str(_l("Action item:")) + " " + ", ".join(extra))
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _require_closed_chair(meeting: Meeting, user: Any) -> None:
    require_role(meeting, user, access.CHAIR)
    if meeting.state != "closed":
        raise DomainError(_l("Minutes can be written once the meeting is closed."), code="conflict")


def save_minutes(meeting: Meeting, user: Any, text: Any) -> Result:
    """Store the chair's edit of the minutes (published minutes stay published, with the new text)."""
    _require_closed_chair(meeting, user)
    meeting.minutes = _string(text, field="minutes", maximum=MINUTES_MAX, label=_l("Minutes"), multiline=True)
    db.session.flush()
    return Result(append_command(meeting, user, "minutes:save"), {})


def publish_minutes(meeting: Meeting, user: Any, text: Any = None) -> Result:
    """Publish the minutes (with this text, if given): they appear on the meeting page and the public
    progress page."""
    _require_closed_chair(meeting, user)
    if text is not None:
        meeting.minutes = _string(text, field="minutes", maximum=MINUTES_MAX, label=_l("Minutes"), multiline=True)
    if not (meeting.minutes or "").strip():
        raise DomainError(_l("%(label)s is required.", label=_l("Minutes")), field="minutes", code="required")
    meeting.minutes_published_at = utcnow()
    db.session.flush()
    return Result(append_command(meeting, user, "minutes:publish"), {"published": True})


def unpublish_minutes(meeting: Meeting, user: Any) -> Result:
    """Take published minutes off the public pages again."""
    _require_closed_chair(meeting, user)
    meeting.minutes_published_at = None
    db.session.flush()
    return Result(append_command(meeting, user, "minutes:unpublish"), {"published": False})


# --- one entry point for every command -------------------------------------------------------------------------

def owner_choices(meeting: Meeting) -> list[Any]:
    """Return the people `record_decision` accepts as an action item's owner: the active members of the think
    tank that gets the action (none in a plenary whose current agenda item has no linked idea)."""
    from samen.accounts.models import User
    from samen.thinktanks.models import Membership

    try:
        thinktank = thinktank_for_new_things(meeting)
    except DomainError:
        return []
    return list(db.session.scalars(select(User).join(Membership, Membership.user_id == User.id)
                                   .where(Membership.thinktank_id == thinktank.id, Membership.status == "active")
                                   .order_by(User.display_name, User.id)))


def _fields(data: dict[str, Any] | None, allowed: tuple[str, ...]) -> dict[str, Any]:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DomainError(_l("This message is too large or not in the expected form."))
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise DomainError(_l("Unknown field: %(name)s.", name=unknown[0]), field=unknown[0])
    return {name: data.get(name) for name in allowed}


def _call(operation: Any, *fields: str, keywords: tuple[str, ...] = ()) -> Any:
    def run(meeting: Meeting, user: Any, data: dict[str, Any] | None) -> Result:
        values = _fields(data, fields + keywords)
        return operation(meeting, user, *(values[name] for name in fields),
                         **{name: values[name] for name in keywords})
    return run


COMMANDS: dict[str, Any] = {
    "meeting:open": _call(open_meeting),
    "agenda:goto": _call(goto_agenda, "index"),
    "round:open": _call(open_round),
    "round:close": _call(close_round),
    "ballot:open": _call(open_ballot, keywords=("question", "idea_ids", "dots")),
    "ballot:close": _call(close_ballot),
    "results:show": _call(show_results),
    "results:hide": _call(hide_results),
    "timer:start": _call(start_timer, "seconds"),
    "timer:pause": _call(pause_timer),
    "timer:reset": _call(reset_timer),
    "decision:record": _call(record_decision, "text", "action"),
    "idea:merge": _call(merge_idea, "idea_id", "into_id"),
    "meeting:close": _call(close_meeting),
    "idea:submit": _call(submit_idea, "title", "body"),
    "ballot:vote": _call(cast_vote, "ballot_id", keywords=("choice", "dots")),
    "hand:raise": _call(raise_hand),
    "hand:lower": _call(lower_hand, "user_id"),
}
CHAIR_COMMANDS = ("meeting:open", "agenda:goto", "round:open", "round:close", "ballot:open", "ballot:close",
                  "results:show", "results:hide", "timer:start", "timer:pause", "timer:reset", "decision:record",
                  "idea:merge", "meeting:close")


_UNKNOWN: Any = object()


def dispatch(meeting: Meeting, user: Any, event: Any, payload: Any = None, *, role: Any = _UNKNOWN) -> Result:
    """Run the command named by a socket event with its payload (a dict, or None). Raises DomainError (an
    unknown event or field, bad input) or Forbidden; adds to the session — the caller commits, then broadcasts.

    `role`: the user's role at the meeting as the caller read it from the database in this transaction, with the
    meeting (access.meeting_with_role; None: no access) — the command checks it instead of asking again."""
    command = COMMANDS.get(event) if isinstance(event, str) else None
    if command is None:
        raise DomainError(_l("Unknown event."))
    if not getattr(user, "is_authenticated", False):
        raise Forbidden(_l("Please sign in to take part."))
    if event != VOTE:
        lock_board(meeting)
    token = _acting_role.set((meeting.id, user.id, role)) if role is not _UNKNOWN else None
    try:
        return command(meeting, user, payload)
    finally:
        if token is not None:
            _acting_role.reset(token)
