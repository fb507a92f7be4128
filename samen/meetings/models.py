"""Meetings with their agenda and registrations, and the live board's stored state.

Everything the live board shows is stored here before it is broadcast, so a restarted server or a reconnecting
phone rebuilds the board from the database: the meeting's own columns hold the board state (current agenda item,
timer, results shown), and rounds, ballots, votes, decisions and raised hands have tables of their own. Every
command is also appended to `meeting_commands`, whose ids give clients a version to compare.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (JSON, Boolean, CheckConstraint, Column, DateTime, ForeignKey, Index, Integer, String, Table,
                        Text, UniqueConstraint, false, text, true)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samen.accounts.models import User
from samen.actions.models import ActionItem
from samen.core.database import Base, utcnow
from samen.ideas.models import Idea
from samen.thinktanks.models import ThinkTank

MEETING_STATES = ("scheduled", "live", "closed", "cancelled")  # cancelled: called off, kept as a record
REGISTRATION_STATUSES = ("registered", "waiting", "cancelled")
BALLOT_KINDS = ("question", "dots")
CHOICES = ("yes", "no", "abstain")

agenda_item_ideas = Table(
    "agenda_item_ideas", Base.metadata,
    Column("agenda_item_id", ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True),
    Column("idea_id", ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Meeting(Base):
    """A think tank's meeting, or a plenary of the whole plan when `thinktank_id` is NULL."""

    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint("state IN ('scheduled', 'live', 'closed', 'cancelled')", name="state"),
        CheckConstraint("ends_at >= starts_at", name="dates"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity"),
        CheckConstraint("timer_duration IS NULL OR timer_duration > 0", name="timer_duration"),
        Index("ix_meetings_starts_at", "starts_at"),
        Index("ix_meetings_thinktank_starts_at", "thinktank_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thinktank_id: Mapped[int | None] = mapped_column(ForeignKey("thinktanks.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    ends_at: Mapped[datetime] = mapped_column(DateTime)
    location: Mapped[str] = mapped_column(String(300), default="", server_default="")
    online_url: Mapped[str] = mapped_column(String(500), default="", server_default="")
    capacity: Mapped[int | None] = mapped_column(Integer)
    public: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # Guests take part without an account, one per device (samen/meetings/guests.py; docs/live-board.md).
    allow_guests: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    state: Mapped[str] = mapped_column(String(10), default="scheduled", server_default="scheduled")

    # The live board's state (see samen/meetings/live.py).
    current_position: Mapped[int | None] = mapped_column(Integer)  # index into the agenda, from 0
    results_visible: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    timer_duration: Mapped[int | None] = mapped_column(Integer)  # seconds, as started
    timer_remaining: Mapped[int | None] = mapped_column(Integer)  # seconds left when paused or not yet started
    timer_started_at: Mapped[datetime | None] = mapped_column(DateTime)  # set while running
    opened_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Counters kept with `UPDATE … SET n = n + 1` in the command's transaction (live.append_command, cast_vote):
    # the board's version (its commands, votes left out) and the votes' sequence number, which orders tallies.
    board_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    vote_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    minutes: Mapped[str | None] = mapped_column(Text)  # Markdown, drafted on closing, edited by the chair
    minutes_published_at: Mapped[datetime | None] = mapped_column(DateTime)

    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    thinktank: Mapped[ThinkTank | None] = relationship()
    agenda: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="AgendaItem.position", cascade="all, delete-orphan")

    @property
    def plenary(self) -> bool:
        return self.thinktank_id is None

    def __repr__(self) -> str:
        return f"<Meeting {self.id} {self.title!r} {self.state}>"


class AgendaItem(Base):
    """One item on a meeting's agenda, in order, with the ideas it discusses."""

    __tablename__ = "agenda_items"
    __table_args__ = (
        CheckConstraint("planned_minutes >= 0", name="planned_minutes"),
        Index("ix_agenda_items_meeting_position", "meeting_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    planned_minutes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    meeting: Mapped[Meeting] = relationship(back_populates="agenda")
    ideas: Mapped[list[Idea]] = relationship(secondary=agenda_item_ideas, order_by="Idea.id")

    def __repr__(self) -> str:
        return f"<AgendaItem {self.id} meeting={self.meeting_id} #{self.position} {self.title!r}>"


class Registration(Base):
    """A person's place at a meeting, or on its waiting list (first come, first served)."""

    __tablename__ = "meeting_registrations"
    __table_args__ = (
        UniqueConstraint("meeting_id", "user_id"),
        CheckConstraint("status IN ('registered', 'waiting', 'cancelled')", name="status"),
        Index("ix_meeting_registrations_meeting_status", "meeting_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="registered", server_default="registered")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)  # the waiting list's order
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    reminder_sent_at: Mapped[datetime | None] = mapped_column(DateTime)

    meeting: Mapped[Meeting] = relationship()
    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<Registration meeting={self.meeting_id} user={self.user_id} {self.status}>"


class IdeaRound(Base):
    """A period in which participants submit ideas live; at most one open round per meeting."""

    __tablename__ = "idea_rounds"
    __table_args__ = (
        Index("ux_idea_rounds_open", "meeting_id", unique=True,
              sqlite_where=text("closed_at IS NULL"), postgresql_where=text("closed_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"))
    opened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)

    def __repr__(self) -> str:
        return f"<IdeaRound {self.id} meeting={self.meeting_id} {'open' if self.closed_at is None else 'closed'}>"


class MeetingIdea(Base):
    """An idea submitted during a meeting: it is an ordinary idea of the think tank, linked to where it came up."""

    __tablename__ = "meeting_ideas"

    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("idea_rounds.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    idea: Mapped[Idea] = relationship()

    def __repr__(self) -> str:
        return f"<MeetingIdea idea={self.idea_id} meeting={self.meeting_id}>"


ballot_options = Table(
    "ballot_options", Base.metadata,
    Column("ballot_id", ForeignKey("ballots.id", ondelete="CASCADE"), primary_key=True),
    Column("idea_id", ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Ballot(Base):
    """A yes/no/abstain question, or dot voting with N dots over a set of ideas; one open ballot per meeting."""

    __tablename__ = "ballots"
    __table_args__ = (
        CheckConstraint("kind IN ('question', 'dots')", name="kind"),
        CheckConstraint("kind <> 'question' OR question IS NOT NULL", name="question"),
        CheckConstraint("kind <> 'dots' OR dots >= 1", name="dots"),
        Index("ux_ballots_open", "meeting_id", unique=True,
              sqlite_where=text("closed_at IS NULL"), postgresql_where=text("closed_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(10))
    question: Mapped[str | None] = mapped_column(String(500))
    dots: Mapped[int | None] = mapped_column(Integer)
    opened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)

    options: Mapped[list[Idea]] = relationship(secondary=ballot_options, order_by="Idea.id")

    def __repr__(self) -> str:
        return f"<Ballot {self.id} meeting={self.meeting_id} {self.kind}>"


class Vote(Base):
    """One participant's vote on one ballot — unique by constraint, changeable while the ballot is open. The
    participant is a signed-in person (`user_id`) or a guest of the meeting (`guest_id`), never both."""

    __tablename__ = "ballot_votes"
    __table_args__ = (
        UniqueConstraint("ballot_id", "user_id"),
        UniqueConstraint("ballot_id", "guest_id"),
        CheckConstraint("choice IS NULL OR choice IN ('yes', 'no', 'abstain')", name="choice"),
        CheckConstraint("(user_id IS NULL) <> (guest_id IS NULL)", name="voter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    guest_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_guests.id", ondelete="CASCADE"), index=True)
    choice: Mapped[str | None] = mapped_column(String(10))  # a question's answer; NULL for dot voting
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    dots: Mapped[list[VoteDot]] = relationship(cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Vote ballot={self.ballot_id} user={self.user_id} {self.choice}>"


class VoteDot(Base):
    """The dots one vote gives one idea in a dot-voting ballot."""

    __tablename__ = "ballot_vote_dots"
    __table_args__ = (CheckConstraint("dots >= 1", name="dots"),)

    vote_id: Mapped[int] = mapped_column(ForeignKey("ballot_votes.id", ondelete="CASCADE"), primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True, index=True)
    dots: Mapped[int] = mapped_column(Integer)


decision_ideas = Table(
    "decision_ideas", Base.metadata,
    Column("decision_id", ForeignKey("meeting_decisions.id", ondelete="CASCADE"), primary_key=True),
    Column("idea_id", ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Decision(Base):
    """A decision recorded live, about the ideas of its agenda item and ballots (`ideas`), optionally with the
    action item created in the same step, which carries those ideas."""

    __tablename__ = "meeting_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    action: Mapped[ActionItem | None] = relationship()
    ideas: Mapped[list[Idea]] = relationship(secondary=decision_ideas, order_by="Idea.id")

    def __repr__(self) -> str:
        return f"<Decision {self.id} meeting={self.meeting_id}>"


class RaisedHand(Base):
    """A raised hand, in the order hands went up; lowering deletes the row."""

    __tablename__ = "raised_hands"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    raised_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship()


class MeetingGuest(Base):
    """Someone taking part in one meeting without an account, on one device (a signed cookie names the row).

    Nothing else is kept about a guest: the name they chose (what they wrote shows under it), when they joined,
    a raised hand, and whether a chair removed them (`removed_at`: their cookie no longer works)."""

    __tablename__ = "meeting_guests"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    hand_raised_at: Mapped[datetime | None] = mapped_column(DateTime)
    removed_at: Mapped[datetime | None] = mapped_column(DateTime)

    def __repr__(self) -> str:
        return f"<MeetingGuest {self.id} meeting={self.meeting_id} {self.name!r}>"


class Attendance(Base):
    """Who took part in a live meeting (signed-in participants), for presence and the minutes."""

    __tablename__ = "meeting_attendance"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    first_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship()


class LiveConnection(Base):
    """One open Socket.IO connection in a meeting's room, on any server process (presence across processes)."""

    __tablename__ = "live_connections"

    sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    guest_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_guests.id", ondelete="CASCADE"), index=True)
    server: Mapped[str] = mapped_column(String(64), default="", server_default="")  # which process holds it
    connected_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Which rendered regions the connection gets (samen/meetings/regions.py: view, role, ideas, language);
    # None: an API client, which gets the JSON events only.
    audience: Mapped[str | None] = mapped_column(String(80))


class LiveSignIn(Base):
    """The credential a signed-in live connection was opened with: a browser session or an API token.

    Ending the credential (signing out, a new password, a lockout, a suspension, a deleted account, a revoked
    token) closes the connections it opened at once, on whichever server process holds them: their sids are read
    here. The foreign keys cascade, so a connection cannot be recorded for a credential that has just ended.
    """

    __tablename__ = "live_sign_ins"

    sid: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("user_sessions.id", ondelete="CASCADE"), index=True)
    api_token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"), index=True)
    server: Mapped[str] = mapped_column(String(64), default="", server_default="")  # which process holds it
    connected_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<LiveSignIn {self.sid} user={self.user_id}>"


class MeetingCommand(Base):
    """Every live command, stored before its broadcast; the id is the board's version.

    `client_id`: the id the client chose for the command; a repeat of it (a lost acknowledgement, a second press)
    is answered with the stored `answer` and changes nothing (unique per meeting and person)."""

    __tablename__ = "meeting_commands"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id", "client_id"),
                      UniqueConstraint("meeting_id", "guest_id", "client_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    guest_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_guests.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    client_id: Mapped[str | None] = mapped_column(String(64))
    answer: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    def __repr__(self) -> str:
        return f"<MeetingCommand {self.id} meeting={self.meeting_id} {self.kind}>"
