"""Invitations: a chair or the coordinator invites someone by e-mail, optionally straight into a think tank."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samen.accounts.models import User
from samen.core.database import Base, utcnow
from samen.partners.models import Organisation
from samen.thinktanks.models import ThinkTank


class Invitation(Base):
    """An invitation sent by e-mail: a single-use link (only its hash is stored) that expires.

    Whether the address has an account is decided when the link is opened, not when it is sent, and the inviter
    sees the same for both (pending, accepted, expired): an invitation tells them nothing about accounts."""

    __tablename__ = "invitations"
    __table_args__ = (Index("ix_invitations_email_thinktank", "email", "thinktank_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(80), default="", server_default="")
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    thinktank_id: Mapped[int | None] = mapped_column(ForeignKey("thinktanks.id", ondelete="CASCADE"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime)
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    organisation: Mapped[Organisation | None] = relationship()
    thinktank: Mapped[ThinkTank | None] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])

    def state(self, now: datetime) -> str:
        """'accepted', 'expired' or 'pending'."""
        if self.accepted_at is not None:
            return "accepted"
        return "expired" if self.expires_at <= now else "pending"

    def __repr__(self) -> str:
        return f"<Invitation {self.id} tt={self.thinktank_id}>"
