"""The privacy hooks of "who takes part": the groups a person said they belong to (personal data: exported, and
deleted with the account) and the invitations sent to their address. Unused invitations are removed some time after
they expired (RETENTION_INVITATIONS_DAYS)."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, or_, select

from samen.accounts.groups import ParticipantGroup, UserGroup
from samen.core.database import db
from samen.people.models import Invitation
from samen.people.operations import expired_before
from samen.privacy import builtin as _builtin  # noqa: F401  (the account's own sections come first in a download)
from samen.privacy.registry import register, retention_cutoff
from samen.thinktanks.models import ThinkTank


def _theirs(user: Any) -> Any:
    return or_(Invitation.accepted_by_id == user.id, Invitation.email == user.email)


def export(user: Any) -> dict[str, Any]:
    """Return the user's groups and the invitations sent to their address (not who else was invited)."""
    groups = db.session.execute(
        select(ParticipantGroup.key, ParticipantGroup.name_nl, ParticipantGroup.name_en, UserGroup.created_at)
        .join(UserGroup, UserGroup.group_id == ParticipantGroup.id).where(UserGroup.user_id == user.id)
        .order_by(ParticipantGroup.position, ParticipantGroup.id))
    invitations = db.session.execute(
        select(Invitation.name, Invitation.created_at, Invitation.expires_at, Invitation.accepted_at,
               ThinkTank.slug).outerjoin(ThinkTank, ThinkTank.id == Invitation.thinktank_id)
        .where(_theirs(user)).order_by(Invitation.created_at, Invitation.id))
    return {
        "groups": [{"key": key, "name_nl": dutch, "name_en": english, "said_at": said}
                   for key, dutch, english, said in groups],
        "invitations": [{"name": name, "thinktank": slug, "invited_at": created, "expires_at": expires,
                         "accepted_at": accepted} for name, created, expires, accepted, slug in invitations],
    }


def erase(user: Any, *, keep_contributions: bool) -> dict[str, int]:
    """Delete the user's groups and the invitations to their address."""
    groups = db.session.execute(delete(UserGroup).where(UserGroup.user_id == user.id)).rowcount
    invitations = db.session.execute(delete(Invitation).where(_theirs(user))
                                     .execution_options(synchronize_session=False)).rowcount
    return {"participant groups removed": groups, "invitations removed": invitations}


def retain(*, now: datetime, settings: Mapping[str, Any], dry_run: bool) -> dict[str, int]:
    """Remove unused invitations that expired longer ago than the retention period."""
    cutoff = retention_cutoff(settings, "RETENTION_INVITATIONS_DAYS", now)
    if cutoff is None:
        return {}
    old = expired_before(cutoff)
    if dry_run:
        return {"expired invitations": db.session.scalar(select(func.count()).select_from(Invitation).where(old))
                or 0}
    return {"expired invitations": db.session.execute(delete(Invitation).where(old)
                                                      .execution_options(synchronize_session=False)).rowcount}


register("people", export=export, erase=erase, retain=retain)
