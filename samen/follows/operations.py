"""Follow and unfollow; record what happened for followers; e-mail followers; the mail outbox.

The low half of follows/: it knows accounts and core only, so thinktanks, ideas, actions and meetings call it
(posting, supporting and joining follow; each change records one FollowEvent). Operations take no Flask request.
"""
from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from samen.accounts.models import User
from samen.accounts.operations import DIGESTS, normalize_email
from samen.core import inputs
from samen.core.database import db, insert_ignoring_conflicts, upsert, utcnow
from samen.core.errors import DomainError
from samen.follows.models import FOLLOW_KINDS, EmailFollower, Follow, FollowEvent, OutboxMail

log = logging.getLogger(__name__)

CONFIRM_LIFETIME = timedelta(days=7)
OUTBOX_BATCH = 200
RETRY_AFTER = (timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=3), timedelta(hours=12))
MAX_ATTEMPTS = len(RETRY_AFTER) + 1


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def _kind(kind: str) -> str:
    if kind not in FOLLOW_KINDS:
        raise DomainError(_l("This cannot be followed."), code="not_followable", status=404)
    return kind


# --- following (accounts) --------------------------------------------------------------------------------------

def follow(user: Any, kind: str, target_id: int) -> None:
    """Follow something (again, after an unfollow)."""
    db.session.execute(upsert(Follow.__table__, {"user_id": user.id, "target_kind": _kind(kind),
                                                 "target_id": target_id, "active": True, "created_at": utcnow()},
                              conflict=["user_id", "target_kind", "target_id"], update=["active"]))


def auto_follow(user_id: int | None, kind: str, target_id: int) -> None:
    """Follow because you took part (posted, supported, joined); an earlier unfollow stands."""
    if user_id is None:
        return
    db.session.execute(insert_ignoring_conflicts(
        Follow.__table__, {"user_id": user_id, "target_kind": _kind(kind), "target_id": target_id,
                           "active": True, "created_at": utcnow()},
        conflict=["user_id", "target_kind", "target_id"]))


def unfollow(user: Any, kind: str, target_id: int) -> None:
    """Stop following; kept as a row, so taking part again does not follow again by itself."""
    db.session.execute(upsert(Follow.__table__, {"user_id": user.id, "target_kind": _kind(kind),
                                                 "target_id": target_id, "active": False, "created_at": utcnow()},
                              conflict=["user_id", "target_kind", "target_id"], update=["active"]))


def is_following(user: Any, kind: str, target_id: int) -> bool:
    """Return whether the signed-in user follows this (one query; False for visitors)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(db.session.scalar(select(Follow.active).where(
        Follow.user_id == user.id, Follow.target_kind == kind, Follow.target_id == target_id)))


def follows_of(user: Any) -> list[Follow]:
    """Return what the user follows, newest first."""
    return list(db.session.scalars(select(Follow).where(Follow.user_id == user.id, Follow.active.is_(True))
                                   .order_by(Follow.created_at.desc(), Follow.id.desc())))


def set_digest(user: Any, digest: Any) -> None:
    """Choose how often notifications come by e-mail: never, daily or weekly (never under 16)."""
    if digest not in DIGESTS:
        raise DomainError(_l("Choose never, daily or weekly."), field="digest")
    user.digest = "never" if user.under_16 else digest


# --- events ----------------------------------------------------------------------------------------------------

def record_event(kind: str, target_kind: str, target_id: int, *, thinktank_id: int | None = None, actor: Any = None,
                 personal: int | None = None, url: str = "", **data: Any) -> FollowEvent:
    """Record that something happened to a followed thing: one row, whatever the number of followers; the
    fan-out (`flask mail fan-out`) tells them later, each only what they may see."""
    event = FollowEvent(kind=kind, target_kind=_kind(target_kind), target_id=target_id, thinktank_id=thinktank_id,
                        actor_id=getattr(actor, "id", actor), personal_id=personal, url=url, data=data)
    db.session.add(event)
    return event


# --- following by e-mail ---------------------------------------------------------------------------------------

@dataclass
class EmailFollowRequest:
    """An e-mail follow asked for: where to send the confirmation link, and its secret."""

    email: str
    secret: str
    locale: str | None


def request_email_follow(email: Any, kind: str, target_id: int, *, locale: str | None = None,
                         now: datetime | None = None) -> EmailFollowRequest:
    """Start following by e-mail: a follow that counts only once the link mailed to the address is opened.

    The same answer whether the address follows already or not (nothing tells who follows what)."""
    address = normalize_email(inputs.email_address(email, field="email"))
    if not address:
        raise DomainError(_l("%(label)s is required.", label=_l("E-mail address")), field="email", code="required")
    now = now or utcnow()
    follower_id = db.session.scalar(select(EmailFollower.id).where(EmailFollower.email == address))
    if follower_id is None:
        follower = EmailFollower(email=address, locale=locale, created_at=now)
        db.session.add(follower)
        db.session.flush()
        follower_id = follower.id
    secret = secrets.token_urlsafe(32)
    existing = db.session.scalar(select(Follow).where(Follow.follower_id == follower_id,
                                                      Follow.target_kind == _kind(kind),
                                                      Follow.target_id == target_id))
    if existing is None:
        existing = Follow(follower_id=follower_id, target_kind=kind, target_id=target_id, active=False,
                          created_at=now)
        db.session.add(existing)
    existing.confirm_hash = _hash(secret)
    existing.confirm_expires_at = now + CONFIRM_LIFETIME
    db.session.flush()
    return EmailFollowRequest(address, secret, locale)


def confirm_email_follow(secret: str, *, now: datetime | None = None) -> Follow | None:
    """Confirm an e-mail follow from its link; None when the link is unknown, used or expired."""
    now = now or utcnow()
    found = db.session.scalar(select(Follow).where(Follow.confirm_hash == _hash(secret or ""),
                                                   Follow.follower_id.is_not(None)))
    if found is None or found.confirm_expires_at is None or found.confirm_expires_at < now:
        return None
    found.active, found.confirm_hash, found.confirm_expires_at = True, None, None
    db.session.execute(update(EmailFollower).where(EmailFollower.id == found.follower_id,
                                                   EmailFollower.confirmed_at.is_(None)).values(confirmed_at=now))
    return found


def unsubscribe_follower(follower_id: int) -> bool:
    """Forget an e-mail follower, address and follows (their unsubscribe link); return whether there was one."""
    return db.session.execute(delete(EmailFollower).where(EmailFollower.id == follower_id)).rowcount == 1


def unsubscribe_user(user_id: int) -> bool:
    """Stop every notification mail to an account (its unsubscribe link): the digest is set to 'never'."""
    return db.session.execute(update(User).where(User.id == user_id, User.digest != "never")
                              .values(digest="never")).rowcount == 1


# --- the outbox ------------------------------------------------------------------------------------------------

def queue_mail(to: str, subject: str, body: str, *, unsubscribe_url: str = "") -> OutboxMail:
    """Put a rendered mail in the outbox (an INSERT: the page that caused it does not wait for a mail server)."""
    mail = OutboxMail(to=to, subject=inputs.header_text(subject)[:300], body=body,
                      unsubscribe_url=unsubscribe_url[:500])
    db.session.add(mail)
    return mail


@dataclass
class OutboxResult:
    """What a run of the outbox did."""

    sent: int = 0
    failed: int = 0  # tried again later
    given_up: int = 0  # after MAX_ATTEMPTS


def send_outbox(deliver: Callable[[OutboxMail], None], *, now: datetime | None = None,
                limit: int = 10_000) -> OutboxResult:
    """Send the mails that wait, oldest first, committing after each; a failure is tried again later (5 minutes,
    30 minutes, 3 and 12 hours), then given up. A mail is claimed before it is sent (next_attempt_at moves on
    in a committed UPDATE), so two runs at once do not send it twice."""
    result = OutboxResult()
    while result.sent + result.failed + result.given_up < limit:
        moment = now or utcnow()
        ids = list(db.session.scalars(select(OutboxMail.id).where(
            OutboxMail.sent_at.is_(None), OutboxMail.next_attempt_at <= moment)
            .order_by(OutboxMail.id).limit(OUTBOX_BATCH)))
        if not ids:
            break
        for mail_id in ids:
            # Claim: push the next attempt an hour on; only one run gets the row.
            claimed = db.session.execute(update(OutboxMail).where(
                OutboxMail.id == mail_id, OutboxMail.sent_at.is_(None), OutboxMail.next_attempt_at <= moment)
                .values(next_attempt_at=moment + timedelta(hours=1))).rowcount
            db.session.commit()
            if not claimed:
                continue
            mail = db.session.get(OutboxMail, mail_id)
            assert mail is not None
            try:
                deliver(mail)
            except Exception as error:  # a refused address or a mail server that is down
                log.exception("Could not send outbox mail %s", mail_id)
                mail.attempts += 1
                mail.error = str(error)[:300]
                if mail.attempts >= MAX_ATTEMPTS:
                    mail.sent_at = None
                    mail.next_attempt_at = datetime.max.replace(year=9999)
                    result.given_up += 1
                else:
                    mail.next_attempt_at = moment + RETRY_AFTER[mail.attempts - 1]
                    result.failed += 1
            else:
                mail.sent_at = utcnow()
                mail.attempts += 1
                mail.error = None
                result.sent += 1
            db.session.commit()
    return result
