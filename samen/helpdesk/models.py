"""Help requests, their messages, the intake team and the content-free counts that outlive the requests."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samen.accounts.models import User
from samen.core.database import Base, utcnow
from samen.helpdesk.crypto import EncryptedText

ABOUT = ("myself", "my_child", "someone_close", "situation")
CONTACT_METHODS = ("none", "phone", "email")
STATUSES = ("new", "in_progress", "referred", "closed")
OUTCOMES = ("helped", "referred", "no_contact", "not_needed", "other")
MESSAGE_KINDS = ("sender", "reply", "note")  # the sender's added information, a reply to them, an internal note


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


class HelpTeamMember(Base):
    """A member of the intake team: the only people who read help requests."""

    __tablename__ = "help_team_members"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<HelpTeamMember user={self.user_id}>"


class HelpRequest(Base):
    """A confidential request for help, sent without an account; followed by its sender with a receipt code.

    Nothing identifies the sender but what they chose to write: no account, no address, no browser. The text,
    the contact details and the referral are encrypted at rest (samen/helpdesk/crypto.py).
    """

    __tablename__ = "help_requests"
    __table_args__ = (
        CheckConstraint(_in("about", ABOUT), name="about"),
        CheckConstraint(_in("contact_method", CONTACT_METHODS), name="contact_method"),
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint(f"outcome IS NULL OR {_in('outcome', OUTCOMES)}", name="outcome"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the receipt code
    about: Mapped[str] = mapped_column(String(20))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    text: Mapped[str] = mapped_column(EncryptedText)
    contact_method: Mapped[str] = mapped_column(String(10), default="none", server_default="none")
    contact: Mapped[str | None] = mapped_column(EncryptedText)  # the phone number or e-mail address
    mail_replies: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(20), default="new", server_default="new", index=True)
    outcome: Mapped[str | None] = mapped_column(String(20))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # The entry of the help directory it was referred to (forgotten when the entry is deleted).
    referral_entry_id: Mapped[int | None] = mapped_column(ForeignKey("help_entries.id", ondelete="SET NULL"))
    referral_note: Mapped[str | None] = mapped_column(EncryptedText)
    stat_id: Mapped[int | None] = mapped_column(ForeignKey("help_request_stats.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    first_response_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)

    assignee: Mapped[User | None] = relationship()
    stat: Mapped[HelpRequestStat | None] = relationship()
    messages: Mapped[list[HelpMessage]] = relationship(
        back_populates="request", cascade="all, delete-orphan", passive_deletes=True,
        order_by="HelpMessage.created_at, HelpMessage.id")

    def __repr__(self) -> str:
        return f"<HelpRequest {self.id} {self.status}>"


class HelpMessage(Base):
    """Information the sender added, a reply of the team to the sender, or an internal note (team only)."""

    __tablename__ = "help_messages"
    __table_args__ = (CheckConstraint(_in("kind", MESSAGE_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(EncryptedText)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    request: Mapped[HelpRequest] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<HelpMessage {self.id} {self.kind} request={self.request_id}>"


class HelpRequestStat(Base):
    """What the counts need of one request, without content: kept when the request is deleted, so that the
    monthly counts of willingness to ask do not shrink with retention."""

    __tablename__ = "help_request_stats"
    __table_args__ = (CheckConstraint(_in("about", ABOUT), name="about"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, index=True)  # the first day of the month it was sent in
    about: Mapped[str] = mapped_column(String(20))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    first_response_hours: Mapped[int | None] = mapped_column(Integer)
    referral_entry_id: Mapped[int | None] = mapped_column(ForeignKey("help_entries.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<HelpRequestStat {self.id} {self.month} {self.about}>"
