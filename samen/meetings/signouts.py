"""Live connections end with the credential they were opened with.

A signed-in connection to /live is recorded in `live_sign_ins` with the browser session or the API token it was
opened with (`record`, on connect). When sessions or tokens end — signing out, a new password, a lockout, a
suspension, a deleted account, a revoked token — accounts announces it (`credentials_ending`) while the rows are
still there; the sids of the connections they opened are kept with the transaction and, once it is committed,
closed through the Socket.IO server (`close_ended`), which with a message queue reaches whichever process holds
the connection. Closing happens after the request, not inside the commit: the server runs the connection's
disconnect handler at once, in this thread, and that handler uses the database.

Every live event also checks that its credential may still be used (samen/meetings/events.py), so a connection
that slipped past this (a process that was down) cannot act either.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, event, or_, select, update

from samen.accounts.signals import credentials_ending
from samen.core.database import AppSession, db, utcnow
from samen.meetings.models import LiveSignIn

NAMESPACE = "/live"
PENDING = "samen_live_ending"  # session.info: sids whose credential ends in the open transaction
COMMITTED = "samen_live_to_close"  # session.info: sids whose credential ended in a committed transaction
log = logging.getLogger(__name__)


def record(sid: str, user: Any, *, server: str, session_id: int | None = None,
           token_id: int | None = None) -> None:
    """Remember which credential a signed-in connection was opened with (the caller commits: a credential that
    ended in the meantime fails the foreign key, and the connection is refused)."""
    now = utcnow()
    db.session.merge(LiveSignIn(sid=sid, user_id=user.id, session_id=session_id, api_token_id=token_id,
                                server=server[:64], connected_at=now, seen_at=now))
    db.session.flush()


def forget(sid: str) -> None:
    """Forget a connection that closed."""
    db.session.execute(delete(LiveSignIn).where(LiveSignIn.sid == sid))


def touch(server: str) -> None:
    """Mark this process's connections as alive (the heartbeat)."""
    db.session.execute(update(LiveSignIn).where(LiveSignIn.server == server).values(seen_at=utcnow()))


def clean(*, server: str | None, max_age: timedelta) -> None:
    """Forget the connections of a (restarted) server and those not seen for `max_age`."""
    stale = LiveSignIn.seen_at < utcnow() - max_age
    db.session.execute(delete(LiveSignIn).where(stale if server is None else or_(stale, LiveSignIn.server == server)))


@credentials_ending.connect
def _collect(_sender: Any, *, session_ids: list[int], token_ids: list[int], **_extra: Any) -> None:
    """Note the connections opened with sessions or tokens that are about to be deleted."""
    conditions = []
    if session_ids:
        conditions.append(LiveSignIn.session_id.in_(session_ids))
    if token_ids:
        conditions.append(LiveSignIn.api_token_id.in_(token_ids))
    if conditions:
        sids = db.session.scalars(select(LiveSignIn.sid).where(or_(*conditions)))
        db.session.info.setdefault(PENDING, []).extend(sids)


@event.listens_for(AppSession, "after_commit")
def _committed(session: Any) -> None:
    ended = session.info.pop(PENDING, None)
    if ended:
        session.info.setdefault(COMMITTED, []).extend(ended)


@event.listens_for(AppSession, "after_rollback")
def _rolled_back(session: Any) -> None:
    session.info.pop(PENDING, None)


def close_ended(server: Any) -> list[str]:
    """Close the connections whose credential ended in a committed change, wherever they are; return their sids.
    Called after each request (and app context), outside any commit."""
    sids = list(dict.fromkeys(db.session.info.pop(COMMITTED, [])))
    for sid in sids:
        try:
            server.disconnect(sid, namespace=NAMESPACE)
        except Exception:  # the credential is gone whatever happens here; the next event is refused anyway
            log.exception("Could not close live connection %s", sid)
    return sids
