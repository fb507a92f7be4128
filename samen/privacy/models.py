"""Deleted accounts: what is kept so that restoring an older backup does not bring a deleted account back."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from samen.core.database import Base, utcnow

CONTRIBUTIONS = ("keep", "remove")


class DeletedAccount(Base):
    """An account that was deleted: its id and creation time (to find it in a restored backup), a keyed hash of
    its e-mail address (to confirm a deletion without keeping the address) and what became of its contributions.

    No foreign key: the user row is gone. The id alone is not enough, because SQLite may give a new account the
    id of a deleted one; the id and the moment the account was made together identify it.
    """

    __tablename__ = "deleted_accounts"
    __table_args__ = (CheckConstraint("contributions IN ('keep', 'remove')", name="contributions"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    email_hash: Mapped[str] = mapped_column(String(64), index=True)
    account_created_at: Mapped[datetime] = mapped_column(DateTime)
    contributions: Mapped[str] = mapped_column(String(10))
    deleted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<DeletedAccount user={self.user_id} {self.contributions}>"
