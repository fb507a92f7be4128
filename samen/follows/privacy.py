"""What following stores about a person, for the privacy registry (docs/privacy.md): the download lists what
you follow; deleting the account deletes the follows (by cascade) and the events told only to you, and forgets
you as the one who caused an event; retention removes told events, sent mails and unconfirmed e-mail followers.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update

from samen.core.database import db
from samen.follows import fanout
from samen.follows.models import Follow, FollowEvent
from samen.privacy.registry import register


def export_follows(user: Any) -> list[dict[str, Any]]:
    """Return what the user follows (and unfollowed, kept so that taking part again does not follow again)."""
    rows = db.session.scalars(select(Follow).where(Follow.user_id == user.id).order_by(Follow.id))
    return [{"kind": f.target_kind, "id": f.target_id, "following": f.active, "since": f.created_at} for f in rows]


def erase_follows(user: Any, *, keep_contributions: bool) -> dict[str, int]:
    """Delete the user's follows and the events told only to them; keep others' events without their id."""
    follows = db.session.execute(delete(Follow).where(Follow.user_id == user.id)).rowcount or 0
    personal = db.session.execute(delete(FollowEvent).where(FollowEvent.personal_id == user.id)).rowcount or 0
    db.session.execute(update(FollowEvent).where(FollowEvent.actor_id == user.id).values(actor_id=None))
    return {"follows deleted": follows, "personal events deleted": personal}


def retain_follows(*, now: datetime, settings: Any, dry_run: bool) -> dict[str, int]:
    """Remove told events after 30 days, sent mails after 7, e-mail followers who never confirmed after 7."""
    if dry_run:
        return {}
    return {"told events, sent mails and unconfirmed e-mail followers": fanout.prune(now=now)}


register("follows", export=export_follows, erase=erase_follows, retain=retain_follows)
