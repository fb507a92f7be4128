"""Follows, e-mail-only followers, the events waiting to reach followers, and the mail outbox.

These models sit beside notifications/ (they know only accounts and core), so every feature can follow and record
an event; what an event means for whom is worked out on top (follows/fanout.py).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (JSON, Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint, true)
from sqlalchemy.orm import Mapped, mapped_column

from samen.core.database import Base, utcnow

# What can be followed. A new kind is one more name here and in the CHECK below (a migration).
FOLLOW_KINDS = ("plan", "thinktank", "idea", "action")
_KINDS_SQL = ", ".join(f"'{kind}'" for kind in FOLLOW_KINDS)


class EmailFollower(Base):
    """Someone without an account who follows by e-mail; confirmed through a link (double opt-in)."""

    __tablename__ = "email_followers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_digest_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<EmailFollower {self.id}>"


class Follow(Base):
    """A person (an account, or an e-mail follower) following one thing: `target_kind` + `target_id`.

    `active` False keeps an unfollow (or an e-mail follow not yet confirmed): posting or supporting again does
    not follow again by itself. `confirm_hash` is the hash of an e-mail follower's confirmation token."""

    __tablename__ = "follows"
    __table_args__ = (
        CheckConstraint(f"target_kind IN ({_KINDS_SQL})", name="target_kind"),
        CheckConstraint("(user_id IS NULL) <> (follower_id IS NULL)", name="one_follower"),
        UniqueConstraint("user_id", "target_kind", "target_id"),
        UniqueConstraint("follower_id", "target_kind", "target_id"),
        Index("ix_follows_target", "target_kind", "target_id"),
        Index("ix_follows_confirm_hash", "confirm_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    follower_id: Mapped[int | None] = mapped_column(ForeignKey("email_followers.id", ondelete="CASCADE"))
    target_kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    confirm_hash: Mapped[str | None] = mapped_column(String(64))
    confirm_expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Follow {self.id} {self.target_kind}:{self.target_id}>"


class FollowEvent(Base):
    """Something that happened to a followed thing, recorded in one row by the operation that did it; the fan-out
    (follows/fanout.py, outside the request) turns it into notifications and mails. `personal_id`: the one person
    it concerns directly (assigned, membership, their idea adopted), told at once."""

    __tablename__ = "follow_events"
    __table_args__ = (Index("ix_follow_events_pending", "fanned_out_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    target_kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column(Integer)
    thinktank_id: Mapped[int | None] = mapped_column(Integer)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    personal_id: Mapped[int | None] = mapped_column(Integer)
    url: Mapped[str] = mapped_column(String(300), default="", server_default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    fanned_out_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Set by the fan-out: whether someone without an account may know of it (e-mail followers' digests).
    public: Mapped[bool | None] = mapped_column(Boolean)
    told: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # notifications made

    def __repr__(self) -> str:
        return f"<FollowEvent {self.id} {self.kind} {self.target_kind}:{self.target_id}>"


class OutboxMail(Base):
    """A rendered mail waiting to be sent by `flask mail send-outbox`: no page waits for a mail server."""

    __tablename__ = "outbox_mails"
    __table_args__ = (Index("ix_outbox_mails_pending", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    unsubscribe_url: Mapped[str] = mapped_column(String(500), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    error: Mapped[str | None] = mapped_column(String(300))

    def __repr__(self) -> str:
        return f"<OutboxMail {self.id} sent={self.sent_at is not None}>"
