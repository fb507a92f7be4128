"""The help desk's rules and changes: who reads requests, sending and following one, and the team's work.

`may_read_requests` is the one rule for reading: web pages, the API and the tests ask it. Every read and every
change of a request is recorded in the audit log, without its content. Operations import nothing from Flask;
the caller commits.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from samen.accounts.models import User
from samen.audit import operations as audit
from samen.core import inputs
from samen.core.database import Base, db, utcnow
from samen.core.errors import DomainError, Forbidden
from samen.help.models import HelpEntry
from samen.helpdesk.crypto import encrypted_columns, rotate_table
from samen.privacy.registry import register, retention_cutoff
from samen.helpdesk.models import (ABOUT, CONTACT_METHODS, OUTCOMES, STATUSES, HelpMessage, HelpRequest,
                                   HelpRequestStat, HelpTeamMember)

TEXT_MAX = 5000  # characters of a request, of added information, a reply or a note
CONTACT_MAX = 254
REFERRAL_MAX = 500
CODE_BYTES = 24  # 192 random bits, 32 characters
CODE_MAX = 100  # a longer value is not one of ours and is not worth hashing
SUBJECT = "help_request"  # the audit log's subject type
_PHONE = re.compile(r"\+?[0-9 ()./-]{6,30}")


# --- who --------------------------------------------------------------------------------------------------

def may_read_requests(user: Any) -> bool:
    """Whether the user reads help requests: members of the intake team only (not admins as such)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return db.session.get(HelpTeamMember, user.id) is not None


def require_reader(user: Any) -> None:
    """Refuse anyone who does not read help requests."""
    if not may_read_requests(user):
        raise Forbidden(_l("Only the intake team reads help requests."), code="not_help_team")


def may_manage_team(user: Any) -> bool:
    """Whether the user names the intake team: site administrators."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_admin", False))


def team() -> list[User]:
    """Return the members of the intake team, by name."""
    return list(db.session.scalars(select(User).join(HelpTeamMember, HelpTeamMember.user_id == User.id)
                                   .order_by(User.display_name, User.id)))


def add_team_member(user: User, *, by: Any) -> None:
    """Put the user on the intake team (administrators)."""
    if not may_manage_team(by):
        raise Forbidden()
    if db.session.get(HelpTeamMember, user.id) is None:
        db.session.add(HelpTeamMember(user_id=user.id))
        audit.record(by, "help_team.added", "user", user.id)


def remove_team_member(user: User, *, by: Any) -> None:
    """Take the user off the intake team (administrators)."""
    if not may_manage_team(by):
        raise Forbidden()
    if db.session.execute(delete(HelpTeamMember).where(HelpTeamMember.user_id == user.id)).rowcount:
        audit.record(by, "help_team.removed", "user", user.id)


# --- the sender ---------------------------------------------------------------------------------------------

def hash_code(code: str) -> str:
    """Return the stored form of a receipt code (its SHA-256): the code itself is never stored."""
    return hashlib.sha256(code.encode("utf-8", "surrogatepass")).hexdigest()


def checked_contact(method: str, contact: Any) -> str | None:
    """Return the contact detail to store for the method (none: nothing), or refuse it."""
    if method not in CONTACT_METHODS:
        raise DomainError(_l("Choose how we can reach you."), field="contact_method")
    if method == "none":
        return None
    value = inputs.line(contact, field="contact", maximum=CONTACT_MAX)
    if method == "phone":
        if not _PHONE.fullmatch(value):
            raise DomainError(_l("Enter a phone number, e.g. 06 12345678."), field="contact")
        return value
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        raise DomainError(_l("Enter a valid e-mail address."), field="contact") from None


def submit_request(*, about: str, text: Any, urgent: bool, contact_method: str, contact: Any = None,
                   mail_replies: bool = False, now: datetime | None = None) -> tuple[HelpRequest, str]:
    """Store a request sent without an account; return it and its receipt code (shown once, never stored)."""
    if about not in ABOUT:
        raise DomainError(_l("Choose whom this is about."), field="about")
    body = inputs.body(text, field="text", maximum=TEXT_MAX, required=True, label=_l("What is going on?"))
    stored_contact = checked_contact(contact_method, contact)
    now = now or utcnow()
    code = secrets.token_urlsafe(CODE_BYTES)
    stat = HelpRequestStat(month=now.date().replace(day=1), about=about, urgent=bool(urgent))
    request = HelpRequest(receipt_hash=hash_code(code), about=about, urgent=bool(urgent), text=body,
                          contact_method=contact_method, contact=stored_contact,
                          mail_replies=bool(mail_replies and contact_method == "email"), stat=stat,
                          created_at=now, updated_at=now)
    db.session.add_all([stat, request])
    db.session.flush()
    audit.record(None, "help_request.created", SUBJECT, request.id, urgent=request.urgent, about=about)
    return request, code


def find_by_code(code: Any) -> HelpRequest | None:
    """Return the request of a receipt code, or None."""
    if not isinstance(code, str) or not code.strip() or len(code.strip()) > CODE_MAX:
        return None
    return db.session.scalar(select(HelpRequest).where(HelpRequest.receipt_hash == hash_code(code.strip()))
                             .options(selectinload(HelpRequest.messages)))


def view_as_sender(request: HelpRequest) -> None:
    """Record that the sender looked at their request with the code."""
    audit.record(None, "help_request.read_by_sender", SUBJECT, request.id)


def add_information(request: HelpRequest, text: Any) -> HelpMessage:
    """Add what the sender wants to say more; a closed request takes no more."""
    if request.status == "closed":
        raise DomainError(_l("This request is closed. Send a new one if you need help again."), code="closed")
    body = inputs.body(text, field="text", maximum=TEXT_MAX, required=True, label=_l("What do you want to add?"))
    message = HelpMessage(request=request, kind="sender", body=body)
    db.session.add(message)  # at once: SQLAlchemy 2 does not cascade along the backref, and autoflush may run
    request.updated_at = utcnow()
    db.session.flush()
    audit.record(None, "help_request.information_added", SUBJECT, request.id, message=message.id)
    return message


def withdraw_request(request: HelpRequest) -> None:
    """Withdraw the request: it is deleted at once, with its messages (the content-free count stays)."""
    audit.record(None, "help_request.withdrawn", SUBJECT, request.id)
    db.session.delete(request)


# --- the intake team ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Queue:
    requests: list[HelpRequest]
    counts: dict[str, int]  # per status


def queue(user: Any, *, status: str | None = None, assigned_to: User | None = None) -> Queue:
    """Return the team's requests (urgent and oldest first within a status), in a fixed number of queries."""
    require_reader(user)
    stmt = select(HelpRequest).options(selectinload(HelpRequest.assignee))
    if status in STATUSES:
        stmt = stmt.where(HelpRequest.status == status)
    if assigned_to is not None:
        stmt = stmt.where(HelpRequest.assignee_id == assigned_to.id)
    requests = list(db.session.scalars(stmt.order_by(HelpRequest.urgent.desc(), HelpRequest.created_at,
                                                     HelpRequest.id)))
    counts = dict.fromkeys(STATUSES, 0)
    counted = db.session.execute(select(HelpRequest.status, func.count()).group_by(HelpRequest.status))
    counts.update({row[0]: row[1] for row in counted})
    audit.record(user, "help_request.listed", SUBJECT, 0, count=len(requests))
    return Queue(requests=requests, counts=counts)


def read_request(request_id: int, *, by: Any) -> HelpRequest | None:
    """Return a request for a team member, with its messages, and record the read; None if there is none."""
    require_reader(by)
    request = db.session.scalar(select(HelpRequest).where(HelpRequest.id == request_id).options(
        selectinload(HelpRequest.messages).selectinload(HelpMessage.author), selectinload(HelpRequest.assignee)))
    if request is not None:
        record_read(request, by=by)
    return request


def record_read(request: HelpRequest, *, by: Any) -> None:
    """Record that a team member read the request (again, after a refused change was undone)."""
    audit.record(by, "help_request.read", SUBJECT, request.id)


def _touch(request: HelpRequest, now: datetime) -> None:
    request.updated_at = now
    if request.status == "new":
        request.status = "in_progress"


def assign_request(request: HelpRequest, assignee: User | None, *, by: Any) -> None:
    """Give the request to a team member (or to nobody)."""
    require_reader(by)
    if assignee is not None and not may_read_requests(assignee):
        raise DomainError(_l("Only members of the intake team can take on a request."), field="assignee")
    request.assignee = assignee
    request.updated_at = utcnow()
    audit.record(by, "help_request.assigned", SUBJECT, request.id, assignee=assignee.id if assignee else None)


def update_status(request: HelpRequest, status: str, *, by: Any, outcome: str | None = None,
                  referral_entry_id: int | None = None, referral_note: Any = None) -> None:
    """Move the request to a status: referred names where to, closed names an outcome."""
    require_reader(by)
    if status not in STATUSES:
        raise DomainError(_l("Choose a status."), field="status")
    note = inputs.line(referral_note, field="referral_note", maximum=REFERRAL_MAX) or None
    if status == "referred" and referral_entry_id is None and not note:
        raise DomainError(_l("Say where the request was referred to."), field="referral_note")
    entry = db.session.get(HelpEntry, referral_entry_id) if referral_entry_id is not None else None
    if referral_entry_id is not None and entry is None:
        raise DomainError(_l("Choose an entry of the help directory."), field="referral_entry_id")
    if status == "closed" and outcome not in OUTCOMES:
        raise DomainError(_l("Choose the outcome."), field="outcome")
    now = utcnow()
    request.status = status
    request.updated_at = now
    if status == "referred":
        request.referral_entry, request.referral_entry_id = entry, referral_entry_id  # the id for the audit
        request.referral_note = note
        if request.stat is not None:
            request.stat.referral_entry_id = referral_entry_id
    request.outcome = outcome if status == "closed" else None
    request.closed_at = now if status == "closed" else None
    audit.record(by, "help_request.status", SUBJECT, request.id, status=status, outcome=request.outcome,
                 referral_entry_id=request.referral_entry_id)


def add_note(request: HelpRequest, text: Any, *, by: Any) -> HelpMessage:
    """Add an internal note: only the team sees it."""
    require_reader(by)
    body = inputs.body(text, field="body", maximum=TEXT_MAX, required=True, label=_l("Note"))
    message = HelpMessage(request=request, kind="note", body=body, author_id=by.id)
    db.session.add(message)
    _touch(request, utcnow())
    db.session.flush()
    audit.record(by, "help_request.note_added", SUBJECT, request.id, message=message.id)
    return message


def reply(request: HelpRequest, text: Any, *, by: Any, now: datetime | None = None) -> HelpMessage:
    """Reply to the sender (they read it with their receipt code); the first reply counts as the first response."""
    require_reader(by)
    body = inputs.body(text, field="body", maximum=TEXT_MAX, required=True, label=_l("Reply"))
    now = now or utcnow()
    message = HelpMessage(request=request, kind="reply", body=body, author_id=by.id, created_at=now)
    db.session.add(message)
    _touch(request, now)
    if request.first_response_at is None:
        request.first_response_at = now
        if request.stat is not None:
            request.stat.first_response_hours = int((now - request.created_at).total_seconds() // 3600)
    db.session.flush()
    audit.record(by, "help_request.replied", SUBJECT, request.id, message=message.id)
    return message


def mail_reply_to(request: HelpRequest) -> str | None:
    """Return the address a reply is also mailed to: only when the sender gave one and agreed."""
    if request.mail_replies and request.contact_method == "email" and request.contact:
        return request.contact
    return None


# --- retention ----------------------------------------------------------------------------------------------

def retain(*, now: datetime, settings: Any, dry_run: bool) -> dict[str, int]:
    """Delete closed requests after HELP_RETENTION_DAYS (withdrawn ones are deleted when withdrawn)."""
    cutoff = retention_cutoff(settings, "HELP_RETENTION_DAYS", now)
    if cutoff is None:
        return {}
    ids = list(db.session.scalars(select(HelpRequest.id).where(HelpRequest.status == "closed",
                                                             HelpRequest.closed_at < cutoff)))
    if ids and not dry_run:
        db.session.execute(delete(HelpMessage).where(HelpMessage.request_id.in_(ids)))
        db.session.execute(delete(HelpRequest).where(HelpRequest.id.in_(ids)))
        for request_id in ids:
            audit.record(None, "help_request.deleted_by_retention", SUBJECT, request_id)
    return {"closed help requests": len(ids)}



register("helpdesk", retain=retain)


def rotate_keys() -> int:
    """Re-encrypt every request, contact detail, referral note and message with the newest key — and every other
    table's EncryptedText columns (the partner pulse's answers, samen/evaluation)."""
    tables = [HelpRequest.__table__, HelpMessage.__table__]
    tables += [table for table in Base.metadata.sorted_tables if table not in tables and encrypted_columns(table)]
    return sum(rotate_table(db.session, table) for table in tables)
