"""Notify users in the app; count and list their notifications."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select, update

from samen.core.database import db, utcnow
from samen.notifications.models import Notification

PAGE_SIZE = 30


def notify(user_ids: Iterable[int | None], kind: str, *, url: str = "", exclude: Any = None, **data: Any) -> int:
    """Add a notification of `kind` for each user (once each, never for `exclude`); return how many."""
    skip = getattr(exclude, "id", exclude)
    targets = sorted({uid for uid in user_ids if uid is not None and uid != skip})
    db.session.add_all(Notification(user_id=uid, kind=kind, url=url, data=data) for uid in targets)
    return len(targets)


def unread_count(user: Any) -> int:
    """Return how many unread notifications the user has."""
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def recent(user: Any, *, limit: int = PAGE_SIZE) -> list[Notification]:
    """Return the user's latest notifications, newest first."""
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)))


def mark_read(user: Any, notification_id: int | None = None) -> None:
    """Mark one notification (or all) of the user as read."""
    stmt = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    db.session.execute(stmt.values(read_at=utcnow()))
