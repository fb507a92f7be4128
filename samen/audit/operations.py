"""Record and read the audit log."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from samen.audit.models import AuditEntry
from samen.core.database import db


def record(actor: Any, action: str, subject_type: str, subject_id: int, **data: Any) -> AuditEntry:
    """Add an audit entry to the session (committed with the change it describes)."""
    entry = AuditEntry(actor_id=getattr(actor, "id", None), action=action, subject_type=subject_type,
                       subject_id=subject_id, data=data)
    db.session.add(entry)
    return entry


def entries_for(subject_type: str, subject_id: int) -> list[AuditEntry]:
    """Return the audit entries of one subject, oldest first, with their actors."""
    return list(db.session.scalars(
        select(AuditEntry).where(AuditEntry.subject_type == subject_type, AuditEntry.subject_id == subject_id)
        .options(selectinload(AuditEntry.actor)).order_by(AuditEntry.created_at, AuditEntry.id)))
