"""E-mail digests: who gets one today, and mailing each notification once.

A user whose `digest` is 'daily' gets one at every run with something new; 'weekly' on Mondays, or sooner when the
previous digest (or, before the first one, the oldest notification waiting) is at least a week old, so a missed
Monday run is made up the next day. 'never' gets nothing, nor does anyone under 16. A notification counts as mailed
(`emailed_at`) only once its digest was sent: a mail that fails leaves it waiting for the next run.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, update

from samen.accounts.models import User
from samen.core.database import db, utcnow
from samen.notifications.models import Notification

log = logging.getLogger(__name__)

FREQUENCIES = ("daily", "weekly")  # the digest settings that send mail ('never' does not)
WEEKLY_DAY = 0  # Monday
WEEK_DAYS = 7


@dataclass
class DigestResult:
    """What a run of the digests did."""

    sent: int = 0  # digests mailed
    notifications: int = 0  # notifications in them
    failed: int = 0  # digests that could not be sent (their notifications wait for the next run)


def is_due(frequency: str, today: date, *, last_digest: datetime | None, oldest_waiting: datetime) -> bool:
    """Return whether a user with this digest frequency gets a digest today."""
    if frequency == "daily":
        return True
    if frequency != "weekly":
        return False
    if last_digest is not None and last_digest.date() >= today:
        return False  # one weekly digest a day at most, however often the job runs
    since = (last_digest or oldest_waiting).date()
    return today.weekday() == WEEKLY_DAY or (today - since).days >= WEEK_DAYS


def due_digests(today: date) -> list[tuple[User, list[Notification]]]:
    """Return (user, notifications not yet mailed, oldest first) for every user whose digest is due today."""
    # Nobody under 16 gets a digest, whatever `digest` says (docs/privacy.md): e-mail needs a parent's consent.
    subscribed = Notification.user_id.in_(select(User.id).where(User.digest.in_(FREQUENCIES),
                                                                User.under_16.is_(False)))
    waiting = (select(Notification.user_id, func.min(Notification.created_at).label("oldest"))
               .where(subscribed, Notification.emailed_at.is_(None)).group_by(Notification.user_id).subquery())
    last = (select(Notification.user_id, func.max(Notification.emailed_at).label("last"))
            .where(subscribed, Notification.emailed_at.is_not(None)).group_by(Notification.user_id).subquery())
    rows = db.session.execute(
        select(User, waiting.c.oldest, last.c.last).join(waiting, waiting.c.user_id == User.id)
        .outerjoin(last, last.c.user_id == User.id).order_by(User.id))
    users = {user.id: user for user, oldest, last_digest in rows
             if is_due(user.digest, today, last_digest=last_digest, oldest_waiting=oldest)}
    if not users:
        return []
    pending: dict[int, list[Notification]] = {user_id: [] for user_id in users}
    for notification in db.session.scalars(
            select(Notification).where(Notification.user_id.in_(list(users)), Notification.emailed_at.is_(None))
            .order_by(Notification.created_at, Notification.id)):
        pending[notification.user_id].append(notification)
    return [(users[user_id], notifications) for user_id, notifications in pending.items() if notifications]


def send_digests(today: date, send: Callable[[User, list[Notification]], None], *,
                 now: datetime | None = None) -> DigestResult:
    """Mail each due digest through `send` and mark its notifications mailed; a failed mail marks nothing.

    The notifications are claimed (emailed_at set where still empty) in the transaction that is committed only
    after `send` returned, so two runs at once cannot mail the same notification twice.
    """
    result = DigestResult()
    for user, notifications in due_digests(today):
        ids = [notification.id for notification in notifications]
        claimed = set(db.session.scalars(
            update(Notification).where(Notification.id.in_(ids), Notification.emailed_at.is_(None))
            .values(emailed_at=now or utcnow()).returning(Notification.id)
            # Not matched against every loaded notification (quadratic: 10,000 digests took hours).
            .execution_options(synchronize_session=False)))
        mine = [notification for notification in notifications if notification.id in claimed]
        if not mine:
            db.session.rollback()
            continue
        try:
            send(user, mine)
        except Exception:  # a refused address or a mail server that is down: the next run tries again
            log.exception("Could not send the digest to user %s", user.id)
            db.session.rollback()
            result.failed += 1
            continue
        db.session.commit()
        result.sent += 1
        result.notifications += len(mine)
    return result
