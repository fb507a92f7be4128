"""Partner organisations in a register kept by administrators, their contact people, and their part in actions."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, DateTime, ForeignKey, Index, String, Table, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samen.accounts.models import User
from samen.actions.models import ActionItem
from samen.core.database import Base, utcnow
from samen.programme.models import Line

ORGANISATION_KINDS = ("police", "justice", "addiction_care", "youth_work", "school", "housing", "hospitality",
                      "sports_culture", "municipality", "other")
CONTACT_STATES = ("active", "pending")
ACTION_ROLES = ("lead", "co")  # the lead organisation, or one of the co-executing ones

organisation_lines = Table(
    "organisation_lines", Base.metadata,
    Column("organisation_id", ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    Column("line_id", ForeignKey("lines.id", ondelete="CASCADE"), primary_key=True, index=True),
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


class Organisation(Base):
    """A partner in the plan: the police, a school, addiction care, a housing corporation, a sports club, …

    An entry merged into another keeps its row (`merged_into_id`) so old links can follow it; an archived one
    keeps its history but is no longer offered."""

    __tablename__ = "organisations"
    __table_args__ = (CheckConstraint(_in("kind", ORGANISATION_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    kind: Mapped[str] = mapped_column(String(20), default="other", server_default="other")
    description: Mapped[str] = mapped_column(String(500), default="", server_default="")
    website: Mapped[str] = mapped_column(String(300), default="", server_default="")
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    lines: Mapped[list[Line]] = relationship(secondary=organisation_lines, order_by="Line.position, Line.id")
    contacts: Mapped[list[OrganisationContact]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", passive_deletes=True)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.slug!r}>"


class OrganisationContact(Base):
    """A contact person of an organisation: active, or asking to be added (approved by an administrator or by an
    active contact of the same organisation)."""

    __tablename__ = "organisation_contacts"
    __table_args__ = (UniqueConstraint("organisation_id", "user_id"),
                      CheckConstraint(_in("status", CONTACT_STATES), name="status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending", server_default="pending")
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="contacts")
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    def __repr__(self) -> str:
        return f"<OrganisationContact org={self.organisation_id} user={self.user_id} {self.status}>"


class ActionOrganisation(Base):
    """An organisation carrying out an action: its lead organisation (at most one) or a co-executing one, each
    optionally with the contact person who answers for it."""

    __tablename__ = "action_organisations"
    __table_args__ = (
        CheckConstraint(_in("role", ACTION_ROLES), name="role"),
        Index("uq_action_organisations_one_lead", "action_id", unique=True,
              sqlite_where=text("role = 'lead'"), postgresql_where=text("role = 'lead'")),
    )

    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"),
                                                 primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(4), default="co", server_default="co")
    contact_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    action: Mapped[ActionItem] = relationship(back_populates="carriers")
    organisation: Mapped[Organisation] = relationship()
    contact: Mapped[User | None] = relationship(foreign_keys=[contact_user_id])

    def __repr__(self) -> str:
        return f"<ActionOrganisation action={self.action_id} org={self.organisation_id} {self.role}>"


class UnlistedOrganisation(Base):
    """A person's note that their organisation is not in the register (chosen when registering or in their
    profile): open until an administrator or the coordinator adds them as a contact of an entry, or sets it aside.
    Not stored on the account, and never public."""

    __tablename__ = "unlisted_organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def __repr__(self) -> str:
        return f"<UnlistedOrganisation {self.id} user={self.user_id} {self.name!r}>"
