"""Action items with milestones and progress updates; indicators with measurements; reminders sent."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (Boolean, CheckConstraint, Column, Date, DateTime, Float, ForeignKey, Index, Integer, String,
                        Table, Text, UniqueConstraint, false, true)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samen.accounts.models import User
from samen.core.database import Base, utcnow
from samen.ideas.models import Idea
from samen.thinktanks.models import ThinkTank

ACTION_STATUSES = ("planned", "in_progress", "done", "delayed", "stopped")
OPEN_ACTION_STATUSES = ("planned", "in_progress", "delayed")
DIRECTIONS = ("up", "down")
# number: a count or a share; scale: a score on a scale (e.g. 1–10, the partners' pulse); feeling: how it feels
# this period, on a scale too (e.g. 1 bad – 5 good), recorded once a period.
INDICATOR_KINDS = ("number", "scale", "feeling")

action_ideas = Table(
    "action_ideas", Base.metadata,
    Column("action_id", ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
    Column("idea_id", ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True, index=True),
)
action_indicators = Table(
    "action_indicators", Base.metadata,
    Column("action_id", ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True),
    Column("indicator_id", ForeignKey("indicators.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class ActionItem(Base):
    """Work that someone owns: from one or more adopted ideas, or created directly by a chair."""

    __tablename__ = "actions"
    __table_args__ = (
        CheckConstraint("status IN ('planned', 'in_progress', 'done', 'delayed', 'stopped')", name="status"),
        CheckConstraint("progress >= 0 AND progress <= 100", name="progress"),
        CheckConstraint("due_date IS NULL OR start_date IS NULL OR due_date >= start_date", name="dates"),
        CheckConstraint("status <> 'stopped' OR stop_reason IS NOT NULL", name="stop_reason"),
        Index("ix_actions_thinktank_status", "thinktank_id", "status"),
        Index("ix_actions_due_date", "due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thinktank_id: Mapped[int] = mapped_column(ForeignKey("thinktanks.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    organisation: Mapped[str] = mapped_column(String(120), default="", server_default="")
    start_date: Mapped[date | None] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="planned", server_default="planned")
    stop_reason: Mapped[str | None] = mapped_column(String(1000))
    progress: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    public: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    decision: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)

    thinktank: Mapped[ThinkTank] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    ideas: Mapped[list[Idea]] = relationship(secondary=action_ideas, order_by="Idea.id")
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="Milestone.position, Milestone.id")
    indicators: Mapped[list[Indicator]] = relationship(secondary=action_indicators, order_by="Indicator.name")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_ACTION_STATUSES

    def is_overdue(self, today: date) -> bool:
        """Past its due date and neither done nor stopped."""
        return self.is_open and self.due_date is not None and self.due_date < today

    def is_due_soon(self, today: date, days: int = 14) -> bool:
        """Due within `days` days and still open."""
        return (self.is_open and self.due_date is not None
                and today <= self.due_date <= date.fromordinal(today.toordinal() + days))

    def __repr__(self) -> str:
        return f"<ActionItem {self.id} {self.title!r}>"


class Milestone(Base):
    """A step of an action; when an action has milestones, its progress is the share done."""

    __tablename__ = "milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date | None] = mapped_column(Date)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    action: Mapped[ActionItem] = relationship(back_populates="milestones")

    def __repr__(self) -> str:
        return f"<Milestone {self.id} action={self.action_id}>"


class ProgressUpdate(Base):
    """A dated update by the owner or a chair: what happened, with the new percentage and status."""

    __tablename__ = "progress_updates"
    __table_args__ = (Index("ix_progress_updates_action_created", "action_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    progress: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)

    action: Mapped[ActionItem] = relationship()
    author: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<ProgressUpdate {self.id} action={self.action_id}>"


class Indicator(Base):
    """What the plan measures, for the whole plan (no think tank) or one think tank."""

    __tablename__ = "indicators"
    __table_args__ = (CheckConstraint("direction IN ('up', 'down')", name="direction"),
                      CheckConstraint("kind IN ('number', 'scale', 'feeling')", name="kind"),
                      CheckConstraint("scale_min IS NULL OR scale_max IS NULL OR scale_min < scale_max",
                                      name="scale"))

    id: Mapped[int] = mapped_column(primary_key=True)
    thinktank_id: Mapped[int | None] = mapped_column(ForeignKey("thinktanks.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(60), default="", server_default="")
    direction: Mapped[str] = mapped_column(String(4), default="up", server_default="up")
    baseline_value: Mapped[float | None] = mapped_column(Float)
    baseline_date: Mapped[date | None] = mapped_column(Date)
    target_value: Mapped[float | None] = mapped_column(Float)
    target_date: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(300), default="", server_default="")
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Fed by the help desk: which monthly count writes its measurements (samen/helpdesk/counts.py), else None.
    help_feed: Mapped[str | None] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(10), default="number", server_default="number")
    scale_min: Mapped[float | None] = mapped_column(Float)  # scale and feeling: the lowest and highest score
    scale_max: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    thinktank: Mapped[ThinkTank | None] = relationship()
    measurements: Mapped[list[Measurement]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan", order_by="Measurement.date, Measurement.id")

    @property
    def higher_is_better(self) -> bool:
        return self.direction == "up"

    def __repr__(self) -> str:
        return f"<Indicator {self.id} {self.name!r}>"


class Measurement(Base):
    """One measured value of an indicator on a date."""

    __tablename__ = "measurements"
    __table_args__ = (Index("ix_measurements_indicator_date", "indicator_id", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    date: Mapped[date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(String(500), default="", server_default="")
    # A count too small to publish (the help desk's, below HELP_COUNT_THRESHOLD): the value is 0, the note says
    # "< 5", and the chart leaves it out.
    suppressed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Set when the value or date was corrected after recording (the old values are in the audit log).
    corrected_at: Mapped[datetime | None] = mapped_column(DateTime)

    indicator: Mapped[Indicator] = relationship(back_populates="measurements")

    def __repr__(self) -> str:
        return f"<Measurement {self.id} indicator={self.indicator_id} {self.date}={self.value}>"


class ReminderSent(Base):
    """A due-date reminder mailed to an action's owner: each kind once per due date."""

    __tablename__ = "reminders_sent"
    __table_args__ = (UniqueConstraint("action_id", "kind", "due_date"),
                      CheckConstraint("kind IN ('due7', 'due1', 'overdue')", name="kind"))

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    due_date: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<ReminderSent action={self.action_id} {self.kind}>"
