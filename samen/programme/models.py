"""Lines of the programme (e.g. prevention, help, repression) and the roles people hold for the whole plan."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samen.accounts.models import User
from samen.core.database import Base, utcnow

# coordinator: the municipality's "regisseur", who may do for the whole plan what chairs do for a think tank;
# field_worker: records stories in the neighbourhoods; analyst: the analysis team, which reads and bundles them.
PLAN_ROLES = ("coordinator", "field_worker", "analyst")


class Line(Base):
    """An optional level above think tanks: a line of the programme, with its think tanks."""

    __tablename__ = "lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Line {self.id} {self.slug!r}>"


class PlanRole(Base):
    """A role a person holds for the whole plan, given by an administrator (or, for field workers, a coordinator)."""

    __tablename__ = "plan_roles"
    __table_args__ = (UniqueConstraint("user_id", "role"),
                      CheckConstraint("role IN ('coordinator', 'field_worker', 'analyst')", name="role"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<PlanRole user={self.user_id} {self.role}>"
