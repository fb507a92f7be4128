"""The live board's state: what is stored, read as the board shows it (the snapshot), and the command log whose
length is the board's version. Commands (commands.py) write through append_command; nothing here imports Flask."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from samen.core.database import db, utcnow
from samen.core.errors import DomainError
from samen.core.markdown import render_markdown
from samen.ideas.models import Idea, visible_ideas
from samen.ideas.operations import author_name, can_view, listed_ideas
from samen.meetings import access
from samen.meetings.models import (AgendaItem, Ballot, Decision, IdeaRound, LiveConnection, Meeting,
                                   MeetingCommand, MeetingGuest, MeetingIdea, RaisedHand, Vote, VoteDot)


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


def inbox_entry_view(item: Any, thinktanks: dict[int, str]) -> dict[str, Any]:
    """An idea of the plan's inbox as the board shows it (samen/programme/inbox.py): the author by the public form
    of their name, as the round's ideas; where it went once assigned."""
    from samen.core.names import public_name

    return {"id": item.id, "title": item.title,
            "author": public_name(item.author) if item.author is not None else None,
            "thinktank": thinktanks.get(item.thinktank_id) if item.thinktank_id else None,
            "url": f"/ideas/{item.idea_id}" if item.idea_id else None}


def inbox_view(meeting: Meeting, *, chair: bool) -> dict[str, Any] | None:
    """The ideas of a plenary without a think tank, which wait in the plan's inbox until the chair (or the
    coordinator) assigns each to a think tank — during the meeting, on the console. None for any other meeting.
    For chairs also the think tanks they may be assigned to. Two queries (three with the think tanks)."""
    if meeting.thinktank_id is not None:
        return None
    from samen.programme.models import InboxIdea
    from samen.thinktanks.models import ThinkTank

    items = list(db.session.scalars(select(InboxIdea).where(InboxIdea.meeting_id == meeting.id)
                                    .order_by(InboxIdea.created_at, InboxIdea.id)
                                    .options(selectinload(InboxIdea.author))))
    tanks = list(db.session.execute(select(ThinkTank.id, ThinkTank.slug, ThinkTank.name, ThinkTank.archived_at)
                                    .order_by(ThinkTank.position, ThinkTank.name))) if items else []
    names = {tank.id: tank.name for tank in tanks}
    view: dict[str, Any] = {"ideas": [inbox_entry_view(item, names) for item in items]}
    if chair:
        view["thinktanks"] = [{"slug": tank.slug, "name": tank.name} for tank in tanks if tank.archived_at is None]
    return view


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


def decision_view(decision: Decision, agenda_ids: dict[int, int], shown: Any = None) -> dict[str, Any]:
    """The decision as the board shows it: its text, agenda item, action item and the ideas it is about (only
    those in `shown`, the ids the audience may see listed; all when None)."""
    action = decision.action
    return {"id": decision.id, "text": decision.text, "agenda_index": agenda_ids.get(decision.agenda_item_id),
            "action": ({"id": action.id, "title": action.title, "url": f"/actions/{action.id}"}
                       if action is not None else None),
            "ideas": [{"id": idea.id, "title": idea.title, "url": f"/ideas/{idea.id}"} for idea in decision.ideas
                      if shown is None or idea.id in shown]}


def presence_of(meeting: Meeting) -> tuple[int, list[str]]:
    """Return how many people are present (distinct signed-in people and guests, plus anonymous connections) and
    the signed-in people's names (guests: guests_present). A projector is the room's screen, not a person: its
    connections are not counted."""
    from samen.accounts.models import User
    people = (LiveConnection.meeting_id == meeting.id) & (
        LiveConnection.audience.is_(None) | ~LiveConnection.audience.startswith("projector:"))
    anonymous, guests = db.session.execute(
        select(func.count().filter(LiveConnection.guest_id.is_(None)),
               func.count(LiveConnection.guest_id.distinct()))
        .where(people, LiveConnection.user_id.is_(None))).one()
    names = list(db.session.scalars(
        select(User.display_name).where(User.id.in_(
            select(LiveConnection.user_id).where(people, LiveConnection.user_id.is_not(None))))
        .order_by(User.display_name)))
    return (anonymous or 0) + (guests or 0) + len(names), names


def guests_present(meeting: Meeting) -> list[dict[str, Any]]:
    """The guests with a connection in the meeting, by name, for the chairs (each can be removed)."""
    rows = db.session.execute(select(MeetingGuest.id, MeetingGuest.name).where(
        MeetingGuest.meeting_id == meeting.id, MeetingGuest.removed_at.is_(None),
        MeetingGuest.id.in_(select(LiveConnection.guest_id).where(LiveConnection.meeting_id == meeting.id)))
        .order_by(MeetingGuest.name, MeetingGuest.id))
    return [{"id": row.id, "name": row.name} for row in rows]


def hands_of(meeting: Meeting) -> list[dict[str, Any]]:
    """Return the raised hands in the order they went up: signed-in people's and guests' (marked `guest`)."""
    hands = db.session.scalars(select(RaisedHand).where(RaisedHand.meeting_id == meeting.id)
                               .order_by(RaisedHand.raised_at, RaisedHand.user_id)
                               .options(selectinload(RaisedHand.user)))
    found = [{"user_id": hand.user_id, "name": hand.user.display_name, "raised_at": _iso(hand.raised_at),
              "moment": hand.raised_at} for hand in hands]
    guests = db.session.execute(select(MeetingGuest.id, MeetingGuest.name, MeetingGuest.hand_raised_at).where(
        MeetingGuest.meeting_id == meeting.id, MeetingGuest.hand_raised_at.is_not(None),
        MeetingGuest.removed_at.is_(None)))
    found += [{"user_id": None, "guest_id": row.id, "guest": True, "name": row.name,
               "raised_at": _iso(row.hand_raised_at), "moment": row.hand_raised_at} for row in guests]
    found.sort(key=lambda hand: hand["moment"])
    for hand in found:
        del hand["moment"]
    return found


def vote_of(ballot: Ballot | None, user: Any) -> dict[str, Any] | None:
    if ballot is None:
        return None
    if getattr(user, "is_guest", False):
        mine = Vote.guest_id == user.guest_id
    elif getattr(user, "is_authenticated", False):
        mine = Vote.user_id == user.id
    else:
        return None
    vote = db.session.scalar(select(Vote).where(Vote.ballot_id == ballot.id, mine)
                             .options(selectinload(Vote.dots)))
    if vote is None:
        return None
    if ballot.kind == "question":
        return {"choice": vote.choice}
    return {"dots": {str(dot.idea_id): dot.dots for dot in vote.dots}}


HIDDEN_IDEA = _l("An idea of this think tank")


def reads_ideas(meeting: Meeting, user: Any) -> bool:
    """Whether the user may read the ideas the board shows: those of the meeting's think tank (ideas.operations'
    can_view); a plenary's board is for all who follow it."""
    return meeting.thinktank is None or can_view(meeting.thinktank, user)


def without_ideas(data: dict[str, Any]) -> dict[str, Any]:
    """Return a board event (or snapshot) as someone who may not read the think tank's ideas gets it: the round's
    ideas left out, a new idea as none, a ballot's options without their titles, decisions without their ideas."""
    if not any(key in data for key in ("round", "idea", "ballot", "decision", "decisions")):
        return data
    data = dict(data)
    if data.get("decision"):
        data["decision"] = {**data["decision"], "ideas": []}
    if data.get("decisions"):
        data["decisions"] = [{**decision, "ideas": []} for decision in data["decisions"]]
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
    decisions = list(db.session.scalars(select(Decision).where(Decision.meeting_id == meeting.id)
                                        .order_by(Decision.id).options(selectinload(Decision.action),
                                                                       selectinload(Decision.ideas))))
    linked = [idea for entry in agenda for idea in entry.ideas] + [
        idea for decision in decisions for idea in decision.ideas]
    if broadcast and meeting.thinktank_id is not None:
        shown = {idea.id for idea in linked if idea.is_visible}
    else:
        # A public meeting of a closed think tank keeps them from outsiders.
        shown = {idea.id for idea in listed_ideas(linked, viewer)}
    item = current_item(meeting, agenda)
    ballot = shown_ballot(meeting, item)
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
        "decisions": [decision_view(decision, agenda_ids, shown) for decision in decisions],
        "presence": {"count": count},
        "inbox": inbox_view(meeting, chair=chair),
    }
    if chair:
        state["presence"]["people"] = people
        state["presence"]["guests"] = guests_present(meeting)
        state["hands"] = hands_of(meeting)
    return state


def board_snapshot(meeting: Meeting, user: Any, *, base_url: str = "", role: str | None = None) -> dict[str, Any]:
    """Return the whole board as `user` may see it (the shape is in docs/live-protocol.md).

    Raises Forbidden when the user may not observe the meeting. `base_url` ("https://samen.example") makes the
    join link absolute; `role` skips the access lookup when the caller knows it already.
    """
    role = role or access.require(meeting, user, access.OBSERVER)
    snapshot = board_state(meeting, base_url=base_url, viewer=user, chair=role == access.CHAIR)
    signed_in = bool(getattr(user, "is_authenticated", False))
    if getattr(user, "is_guest", False):
        hand_raised = db.session.scalar(select(MeetingGuest.hand_raised_at).where(
            MeetingGuest.id == user.guest_id)) is not None
    else:
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
    # What the pages' regions need besides `data`, known where the broadcast is made (not sent as such): saves
    # the renderer a query per tally (samen/meetings/regions.py).
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Result:
    """What a command returns: its version, the ack's extra fields, and what to broadcast after the commit."""

    version: int = 0
    ack: dict[str, Any] = field(default_factory=dict)
    emits: list[Emit] = field(default_factory=list)
    tally_ballot_id: int | None = None  # a vote: the tally of this ballot is to be broadcast (coalesced)
    close: list[str] = field(default_factory=list)  # live connections to end after the commit (a removed guest)


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


CLIENT_ID = "samen.meetings.client_id"  # key in Session.info: the id the client gave the command being run


def log_command(meeting: Meeting, user: Any, kind: str, payload: dict[str, Any] | None, now: datetime) -> None:
    """Store the command in the meeting's log, with the id its client gave it (runner.execute puts it in the
    session's info for the command it runs): a second command with that id fails on the unique constraint."""
    db.session.execute(MeetingCommand.__table__.insert(), {
        "meeting_id": meeting.id, "kind": kind, "payload": payload or {}, "created_at": now,
        "user_id": user.id if getattr(user, "is_authenticated", False) else None,
        "guest_id": getattr(user, "guest_id", None),
        "client_id": db.session.info.get(CLIENT_ID)})


def append_command(meeting: Meeting, user: Any, kind: str, payload: dict[str, Any] | None = None) -> int:
    """Store the command in the meeting's log and raise the board's version by one; return the new version."""
    db.session.flush()
    now = utcnow()
    log_command(meeting, user, kind, payload, now)
    # The meeting's row lock (lock_board, or this UPDATE) keeps the versions of one meeting in commit order.
    version = db.session.execute(_raise_version(), {"meeting": meeting.id, "now": now}).scalar_one()
    set_committed_value(meeting, "board_version", version)
    return version


def require_live(meeting: Meeting) -> None:
    if meeting.state == "closed":
        raise DomainError(_l("This meeting is closed."), code="closed")
    if meeting.state != "live":
        raise DomainError(_l("The meeting has not been opened yet."), code="conflict")


