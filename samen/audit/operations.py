"""Record and read the audit log."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from samen.accounts.models import User
from samen.accounts.signals import account_event
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


@account_event.connect
def _record_account_event(user: User, *, event: str, actor: User | None, data: dict[str, Any]) -> None:
    """Record what happened to an account (locked, unlocked, password or address changed)."""
    record(actor, f"account.{event}", "user", user.id, **data)


# --- the admins' view of the log ----------------------------------------------------------------------------

@dataclass(frozen=True)
class AuditFilter:
    """What the admins' audit log shows: an action kind, an actor (name or e-mail, in part), a time range."""

    action: str | None = None
    actor: str | None = None
    since: datetime | None = None  # UTC, inclusive
    until: datetime | None = None  # UTC, exclusive


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    total: int
    page: int
    pages: int


def action_kinds() -> list[str]:
    """Return every action kind in the log, sorted (for the filter's choices)."""
    return list(db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))


def search_entries(criteria: AuditFilter, *, page: int, per_page: int) -> AuditPage:
    """Return one page of the log, newest first, with the actors: two queries, whatever the page holds."""
    stmt = select(AuditEntry)
    if criteria.action:
        stmt = stmt.where(AuditEntry.action == criteria.action)
    if criteria.actor:
        # The words are matched as they are: % and _ are not wildcards here.
        escaped = criteria.actor.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        stmt = stmt.join(User, User.id == AuditEntry.actor_id).where(or_(
            func.lower(User.email).like(pattern, escape="\\"),
            func.lower(User.display_name).like(pattern, escape="\\")))
    if criteria.since is not None:
        stmt = stmt.where(AuditEntry.created_at >= criteria.since)
    if criteria.until is not None:
        stmt = stmt.where(AuditEntry.created_at < criteria.until)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    entries = list(db.session.scalars(
        stmt.options(joinedload(AuditEntry.actor)).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .offset((page - 1) * per_page).limit(per_page)))
    return AuditPage(entries=entries, total=total, page=page, pages=pages)
