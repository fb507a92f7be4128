"""The live meeting board: the chair's and participants' commands, the board snapshot, and the minutes.

Every command is a function that takes the meeting and the acting user, checks the user's right
(samen/meetings/access.py), validates, changes the stored state, appends a MeetingCommand (whose id is the
board's new version) and returns a `Result`: what to broadcast, to whom. It adds to the session and flushes;
the caller (samen/meetings/events.py, or a web view) commits once and only then broadcasts, so nothing reaches a
client that is not stored. Nothing here imports Flask.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from samen.core.database import db, utcnow
from samen.core.errors import DomainError, Forbidden
from samen.core.markdown import render_markdown
from samen.ideas.models import Idea
from samen.ideas.operations import author_name
from samen.meetings import access
from samen.meetings.models import (AgendaItem, Ballot, Decision, IdeaRound, LiveConnection, Meeting, MeetingCommand,
                                   MeetingIdea, RaisedHand, Vote, VoteDot)

# --- reading the board ---------------------------------------------------------------------------------------


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") + "Z" if moment is not None else None


def version_of(meeting: Meeting) -> int:
    """Return the id of the meeting's last command (0 when none): the board's version."""
    return db.session.scalar(select(func.coalesce(func.max(MeetingCommand.id), 0))
                             .where(MeetingCommand.meeting_id == meeting.id)) or 0


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


def open_round(meeting: Meeting) -> IdeaRound | None:
    return db.session.scalar(select(IdeaRound).where(IdeaRound.meeting_id == meeting.id,
                                                     IdeaRound.closed_at.is_(None)))


def open_ballot(meeting: Meeting) -> Ballot | None:
    return db.session.scalar(select(Ballot).where(Ballot.meeting_id == meeting.id, Ballot.closed_at.is_(None))
                             .options(selectinload(Ballot.options)))


def shown_round(meeting: Meeting, item: AgendaItem | None) -> IdeaRound | None:
    """The open round, else the last round of the current agenda item."""
    found = open_round(meeting)
    if found is None and item is not None:
        found = db.session.scalar(select(IdeaRound).where(IdeaRound.meeting_id == meeting.id,
                                                          IdeaRound.agenda_item_id == item.id)
                                  .order_by(IdeaRound.id.desc()).limit(1))
    return found


def shown_ballot(meeting: Meeting, item: AgendaItem | None) -> Ballot | None:
    """The open ballot, else the last closed ballot of the current agenda item."""
    found = open_ballot(meeting)
    if found is None and item is not None:
        found = db.session.scalar(select(Ballot).where(Ballot.meeting_id == meeting.id,
                                                       Ballot.agenda_item_id == item.id)
                                  .order_by(Ballot.id.desc()).limit(1).options(selectinload(Ballot.options)))
    return found


def tally_of(ballot: Ballot) -> tuple[int, dict[str, int]]:
    """Return (number of votes, tally): {"yes", "no", "abstain"} counts, or dots per option id (as strings)."""
    votes = db.session.scalar(select(func.count()).select_from(Vote).where(Vote.ballot_id == ballot.id)) or 0
    if ballot.kind == "question":
        tally = {"yes": 0, "no": 0, "abstain": 0}
        for choice, count in db.session.execute(select(Vote.choice, func.count()).where(Vote.ballot_id == ballot.id)
                                                .group_by(Vote.choice)):
            if choice in tally:
                tally[choice] = count
        return votes, tally
    tally = {str(option.id): 0 for option in ballot.options}
    rows = db.session.execute(select(VoteDot.idea_id, func.sum(VoteDot.dots)).join(Vote, Vote.id == VoteDot.vote_id)
                              .where(Vote.ballot_id == ballot.id).group_by(VoteDot.idea_id))
    for idea_id, dots in rows:
        tally[str(idea_id)] = int(dots or 0)
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
        remaining = max(0, int(round((ends - now).total_seconds())))
    if remaining is None:
        remaining = meeting.timer_duration or 0
    return {"duration": meeting.timer_duration, "remaining": remaining, "running": running, "ends_at": ends_at}


def idea_view(idea: Idea) -> dict[str, Any]:
    """An idea as the board shows it (anonymous authors stay anonymous)."""
    return {"id": idea.id, "title": idea.title, "author": author_name(idea), "url": f"/ideas/{idea.id}"}


def round_view(round_: IdeaRound | None) -> dict[str, Any] | None:
    """A round with the ideas submitted in it (merged, withdrawn and hidden ideas left out)."""
    if round_ is None:
        return None
    ideas = db.session.scalars(select(Idea).join(MeetingIdea, MeetingIdea.idea_id == Idea.id)
                               .where(MeetingIdea.round_id == round_.id, Idea.status != "merged",
                                      Idea.withdrawn_at.is_(None), Idea.hidden_at.is_(None))
                               .order_by(Idea.id).options(selectinload(Idea.author)))
    return {"id": round_.id, "open": round_.closed_at is None, "ideas": [idea_view(idea) for idea in ideas]}


def ballot_view(ballot: Ballot | None, *, tally_visible: bool) -> dict[str, Any] | None:
    """A ballot; its tally only when `tally_visible` (results shown, or a chair looking)."""
    if ballot is None:
        return None
    votes, tally = tally_of(ballot)
    return {"id": ballot.id, "kind": ballot.kind, "question": ballot.question, "dots": ballot.dots,
            "options": [{"id": idea.id, "title": idea.title} for idea in ballot.options],
            "open": ballot.closed_at is None, "votes": votes, "tally": tally if tally_visible else None}


def decision_view(decision: Decision, agenda_ids: dict[int, int]) -> dict[str, Any]:
    action = decision.action
    return {"id": decision.id, "text": decision.text, "agenda_index": agenda_ids.get(decision.agenda_item_id),
            "action": ({"id": action.id, "title": action.title, "url": f"/actions/{action.id}"}
                       if action is not None else None)}


def presence_of(meeting: Meeting) -> tuple[int, list[str]]:
    """Return how many are present (distinct signed-in people plus anonymous connections) and their names."""
    from samen.accounts.models import User
    anonymous = db.session.scalar(select(func.count()).select_from(LiveConnection)
                                  .where(LiveConnection.meeting_id == meeting.id,
                                         LiveConnection.user_id.is_(None))) or 0
    names = list(db.session.scalars(
        select(User.display_name).where(User.id.in_(
            select(LiveConnection.user_id).where(LiveConnection.meeting_id == meeting.id,
                                                 LiveConnection.user_id.is_not(None))))
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


def require_role(meeting: Meeting, user: Any, role: str) -> str:
    """Return the user's role, or refuse when it is below `role`."""
    have = access.role_in(meeting, user)
    if have is None:
        raise Forbidden(_l("You may not follow this meeting."))
    if not access.outranks(have, role):
        raise Forbidden(_l("Only the chair can do this.") if role == access.CHAIR
                        else _l("Only participants of this meeting can do this."))
    return have


def board_snapshot(meeting: Meeting, user: Any, *, base_url: str = "", role: str | None = None) -> dict[str, Any]:
    """Return the whole board as `user` may see it (the shape is in LIVE-CONTRACT.md and docs/live-protocol.md).

    Raises Forbidden when the user may not observe the meeting. `base_url` ("https://samen.example") makes the
    join link absolute; `role` skips the access lookup when the caller knows it already.
    """
    role = role or require_role(meeting, user, access.OBSERVER)
    chair = role == access.CHAIR
    agenda = agenda_of(meeting)
    agenda_ids = {item.id: index for index, item in enumerate(agenda)}
    item = current_item(meeting, agenda)
    ballot = shown_ballot(meeting, item)
    decisions = db.session.scalars(select(Decision).where(Decision.meeting_id == meeting.id)
                                   .order_by(Decision.id).options(selectinload(Decision.action)))
    count, people = presence_of(meeting)
    thinktank = meeting.thinktank
    signed_in = bool(getattr(user, "is_authenticated", False))
    hand_raised = signed_in and db.session.get(RaisedHand, (meeting.id, user.id)) is not None
    snapshot: dict[str, Any] = {
        "version": version_of(meeting),
        "meeting": {"id": meeting.id, "title": meeting.title, "state": meeting.state, "public": meeting.public,
                    "plenary": meeting.plenary,
                    "thinktank": {"slug": thinktank.slug, "name": thinktank.name} if thinktank else None,
                    "join_url": f"{base_url.rstrip('/')}/meetings/{meeting.id}/live"},
        "agenda": [{"index": index, "id": entry.id, "title": entry.title,
                    "description_html": str(render_markdown(entry.description)),
                    "planned_minutes": entry.planned_minutes,
                    "ideas": [{"id": idea.id, "title": idea.title} for idea in entry.ideas]}
                   for index, entry in enumerate(agenda)],
        "current": agenda_ids.get(item.id) if item is not None else None,
        "round": round_view(shown_round(meeting, item)),
        "ballot": ballot_view(ballot, tally_visible=chair or meeting.results_visible),
        "results_visible": meeting.results_visible,
        "timer": timer_of(meeting),
        "decisions": [decision_view(decision, agenda_ids) for decision in decisions],
        "presence": {"count": count},
        "you": {"user_id": user.id if signed_in else None, "role": role, "vote": vote_of(ballot, user),
                "hand_raised": hand_raised},
    }
    if chair:
        snapshot["presence"]["people"] = people
        snapshot["hands"] = hands_of(meeting)
    return snapshot


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


def append_command(meeting: Meeting, user: Any, kind: str, payload: dict[str, Any] | None = None) -> int:
    """Store the command in the meeting's log; return its id, the board's new version."""
    command = MeetingCommand(meeting_id=meeting.id, kind=kind, payload=payload or {},
                             user_id=user.id if getattr(user, "is_authenticated", False) else None)
    db.session.add(command)
    db.session.flush()
    return command.id


def require_live(meeting: Meeting) -> None:
    if meeting.state == "closed":
        raise DomainError(_l("This meeting is closed."), code="closed")
    if meeting.state != "live":
        raise DomainError(_l("The meeting has not been opened yet."), code="conflict")
