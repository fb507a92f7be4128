"""What the evaluation stores about a person: the partner pulse sent to them and their answers.

The download holds them; deleting the account removes the answers when the person takes their contributions with
them (the published average keeps them, as it keeps every figure), and otherwise leaves them to the organisation
they answered for, without the person (users.id is SET NULL)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from samen.core.database import db
from samen.evaluation.models import PulseInvitation
from samen.privacy.registry import register


def export(user: Any) -> dict[str, Any]:
    """Return the pulse invitations sent to the user, with their answers."""
    invitations = db.session.scalars(
        select(PulseInvitation).where(PulseInvitation.user_id == user.id)
        .options(joinedload(PulseInvitation.evaluation), joinedload(PulseInvitation.organisation))
        .order_by(PulseInvitation.id))
    return {"partner_pulse": [{
        "evaluation": invitation.evaluation.period, "organisation": invitation.organisation.name,
        "sent_at": invitation.sent_at.isoformat(),
        "answered_at": invitation.answered_at.isoformat() if invitation.answered_at else None,
        "score": invitation.score, "works": invitation.works, "does_not_work": invitation.does_not_work,
        "obstacles": invitation.obstacles} for invitation in invitations]}


def erase(user: Any, *, keep_contributions: bool) -> dict[str, int]:
    """Remove the user's unanswered invitations, and their answers unless they leave their contributions."""
    stmt = delete(PulseInvitation).where(PulseInvitation.user_id == user.id)
    if keep_contributions:
        stmt = stmt.where(PulseInvitation.answered_at.is_(None))
    removed = db.session.execute(stmt).rowcount or 0
    return {"partner pulse invitations removed": removed}


register("evaluation", export=export, erase=erase)
