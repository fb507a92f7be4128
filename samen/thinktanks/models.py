"""The plan, its think tanks, and who belongs to which."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samen.accounts.models import User
from samen.core.database import Base, utcnow
from samen.programme.models import Line

JOIN_POLICIES = ("open", "approval")
MEMBER_ROLES = ("member", "chair")
MEMBER_STATES = ("active", "pending")


class Plan(Base):
    """The one action plan of this site, e.g. 'Samen sterk tegen drugs' of Nijkerk."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    municipality: Mapped[str] = mapped_column(String(120))
    introduction: Mapped[str] = mapped_column(Text, default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<Plan {self.id} {self.title!r}>"


class ThinkTank(Base):
    """A group that works on one theme of the plan: prevention, aftercare, treatment, supply, …"""

    __tablename__ = "thinktanks"
    __table_args__ = (CheckConstraint("join_policy IN ('open', 'approval')", name="join_policy"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    theme: Mapped[str] = mapped_column(String(120), default="", server_default="")
    summary: Mapped[str] = mapped_column(String(300), default="", server_default="")
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    join_policy: Mapped[str] = mapped_column(String(10), default="open", server_default="open")
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The programme line it belongs to (samen/programme), when the plan has lines.
    line_id: Mapped[int | None] = mapped_column(ForeignKey("lines.id", ondelete="SET NULL"), index=True)
    # How many ideas one member may support at a time ('dots'); None: no limit.
    support_limit: Mapped[int | None] = mapped_column(Integer)
    # Pre-moderation: new ideas and comments of members who do not chair wait for a chair's approval.
    premoderation: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    line: Mapped[Line | None] = relationship()
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="thinktank", cascade="all, delete-orphan", passive_deletes=True)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_open(self) -> bool:
        return self.join_policy == "open"

    def __repr__(self) -> str:
        return f"<ThinkTank {self.id} {self.slug!r}>"


class Membership(Base):
    """A user's place in a think tank: member or chair, active or waiting for a chair's approval."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("thinktank_id", "user_id"),
        CheckConstraint("role IN ('member', 'chair')", name="role"),
        CheckConstraint("status IN ('active', 'pending')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thinktank_id: Mapped[int] = mapped_column(ForeignKey("thinktanks.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10), default="member", server_default="member")
    status: Mapped[str] = mapped_column(String(10), default="active", server_default="active")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    thinktank: Mapped[ThinkTank] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @property
    def is_chair(self) -> bool:
        return self.role == "chair" and self.status == "active"

    def __repr__(self) -> str:
        return f"<Membership tt={self.thinktank_id} user={self.user_id} {self.role}/{self.status}>"
