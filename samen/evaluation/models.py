"""An evaluation of a period, its conclusions and decisions, and the partner pulse sent for it."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samen.accounts.models import User
from samen.core.database import Base, utcnow
from samen.helpdesk.crypto import EncryptedText
from samen.partners.models import Organisation

EVALUATION_STATES = ("draft", "published")
NOTE_SUBJECTS = ("line", "thinktank", "action")
DECISIONS = ("scale_up", "continue", "scale_down", "stop")
PULSE_QUESTIONS = ("works", "does_not_work", "obstacles")


class Evaluation(Base):
    """The evaluation of one period (e.g. the calendar year 2026), at a stable address per period.

    A draft shows the figures as they are now; publishing stores them as a JSON snapshot (`figures`), so later
    edits to actions, indicators or memberships do not change what was published."""

    __tablename__ = "evaluations"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'published')", name="status"),
        CheckConstraint("end_date >= start_date", name="dates"),
        CheckConstraint("status <> 'published' OR figures IS NOT NULL", name="figures"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(20), unique=True)  # in the address: /evaluatie/<period>
    title: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="draft", server_default="draft")
    figures: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    pulse_indicator_id: Mapped[int | None] = mapped_column(ForeignKey("indicators.id", ondelete="SET NULL"))
    pulse_sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    @property
    def is_published(self) -> bool:
        return self.status == "published"

    def __repr__(self) -> str:
        return f"<Evaluation {self.id} {self.period!r} {self.status}>"


class EvaluationNote(Base):
    """A conclusion (per line or think tank) or a decision (per action or think tank: scale up, continue, scale
    down, stop) with its reason, written by the coordinator or, for their own think tank, a chair."""

    __tablename__ = "evaluation_notes"
    __table_args__ = (
        UniqueConstraint("evaluation_id", "kind", "subject_type", "subject_id"),
        CheckConstraint("kind IN ('conclusion', 'decision')", name="kind"),
        CheckConstraint("subject_type IN ('line', 'thinktank', 'action')", name="subject_type"),
        CheckConstraint("(kind = 'conclusion' AND subject_type <> 'action' AND decision IS NULL) OR "
                        "(kind = 'decision' AND subject_type <> 'line' AND decision IN "
                        "('scale_up', 'continue', 'scale_down', 'stop'))", name="decision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    subject_type: Mapped[str] = mapped_column(String(10))
    subject_id: Mapped[int] = mapped_column(Integer)
    decision: Mapped[str | None] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text, default="", server_default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    author: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<EvaluationNote {self.id} {self.kind} {self.subject_type}:{self.subject_id}>"


class PulseInvitation(Base):
    """The partner pulse sent to one active contact of a partner organisation, and their answer.

    The personal link's token is stored as its SHA-256 only and takes one answer; the free texts are encrypted at
    rest with the help desk's keys (they are read by the chairs and the coordinator only)."""

    __tablename__ = "pulse_invitations"
    __table_args__ = (
        UniqueConstraint("evaluation_id", "organisation_id", "user_id"),
        CheckConstraint("score IS NULL OR (score >= 1 AND score <= 10)", name="score"),
        Index("ix_pulse_invitations_evaluation_answered", "evaluation_id", "answered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluations.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)  # renewed by each reminder
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime)
    reminders: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    score: Mapped[int | None] = mapped_column(Integer)
    works: Mapped[str | None] = mapped_column(EncryptedText)
    does_not_work: Mapped[str | None] = mapped_column(EncryptedText)
    obstacles: Mapped[str | None] = mapped_column(EncryptedText)

    evaluation: Mapped[Evaluation] = relationship()
    organisation: Mapped[Organisation] = relationship()
    user: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<PulseInvitation {self.id} evaluation={self.evaluation_id} org={self.organisation_id}>"
