"""Invitations by e-mail: who may invite whom into which think tank, the list of people to invite (one at a time,
pasted or a CSV file, each row checked on its own), and accepting the link.

The inviter learns nothing about accounts: an address that has an account gets a mail that says "you were
invited, sign in" with the same kind of link, and the inviter sees the same answer and the same states (pending,
accepted, expired) for both. The link works once and expires; only its hash is stored (the accounts' link
machinery: accounts.operations.new_link_secret). Opening it lets a new person set a password (with a display name,
the terms and the age question as registration asks) or an existing one sign in, and either way lands them in the
think tank as an active member. Operations import nothing from Flask."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import selectinload

from samen.accounts import operations as account_ops
from samen.accounts.models import User
from samen.accounts.signals import account_event
from samen.audit.operations import record
from samen.core import inputs
from samen.core.database import db, utcnow
from samen.core.errors import Conflict, DomainError, Forbidden
from samen.partners.models import Organisation
from samen.people.models import Invitation
from samen.programme.roles import is_coordinator
from samen.thinktanks.models import Membership, ThinkTank

NAME_MAX = 80
MAX_ROWS = 200  # people in one list; a larger list is refused as a whole (split it)
MAX_LIST_CHARS = 60_000  # the pasted list or the CSV file


# --- who may invite ------------------------------------------------------------------------------------------

def invitable_thinktanks(user: Any) -> list[ThinkTank]:
    """Return the think tanks the user may invite people into: all active ones for the coordinator (and admins),
    the ones they chair for a chair, none for anyone else."""
    if not getattr(user, "is_authenticated", False):
        return []
    query = select(ThinkTank).where(ThinkTank.archived_at.is_(None)).order_by(ThinkTank.position, ThinkTank.name)
    if not is_coordinator(user):
        query = query.join(Membership, Membership.thinktank_id == ThinkTank.id).where(
            Membership.user_id == user.id, Membership.role == "chair", Membership.status == "active")
    return list(db.session.scalars(query))


def may_invite(user: Any) -> bool:
    """Chairs and the coordinator (and admins) invite people."""
    return is_coordinator(user) or bool(invitable_thinktanks(user))


def may_invite_without_thinktank(user: Any) -> bool:
    """Only the coordinator (and admins) invite people to the plan without a think tank."""
    return is_coordinator(user)


# --- the list of people --------------------------------------------------------------------------------------

@dataclass
class Row:
    """One person to invite: where they came from (the line of the list, 0: the single form) and what it said."""

    line: int
    text: str
    name: str = ""
    email: str = ""
    organisation: str = ""
    error: Any = None


def organisations() -> list[Organisation]:
    """Return the register's organisations people can be invited with (not archived, not merged)."""
    return list(db.session.scalars(select(Organisation).where(
        Organisation.archived_at.is_(None), Organisation.merged_into_id.is_(None)).order_by(Organisation.name)))


def parse_people(text: str) -> list[Row]:
    """Read a pasted list or a CSV file: one person a line — "name, e-mail, organisation" (the name and the
    organisation may be left out; a semicolon or a tab works as well as a comma; a heading line is skipped)."""
    if len(text) > MAX_LIST_CHARS:
        raise DomainError(_l("The list is too long: at most %(n)d people at a time.", n=MAX_ROWS), field="people")
    rows: list[Row] = []
    lines = list(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    sample = next((line for line in lines if line.strip()), "")
    delimiter = max((";", "\t", ","), key=sample.count) if any(d in sample for d in ";\t,") else ","
    for number, cells in enumerate(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter), 1):
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        original = ", ".join(cells) if delimiter in ",\t" else "; ".join(cells)
        if not rows and not any("@" in cell for cell in cells) and number == 1:
            continue  # a heading: naam, e-mail, organisatie
        row = Row(line=number, text=original)
        at = [i for i, cell in enumerate(cells) if "@" in cell]
        if not at:
            row.error = _l("No e-mail address on this line.")
        else:
            position = at[0]
            row.email = cells[position]
            rest = cells[:position] + cells[position + 1:]
            row.name = rest[0] if rest else ""
            row.organisation = rest[1] if len(rest) > 1 else ""
            if len(rest) > 2 and any(rest[2:]):
                row.error = _l("Too many columns: give a name, an e-mail address and an organisation.")
        rows.append(row)
    if len(rows) > MAX_ROWS:
        raise DomainError(_l("The list is too long: at most %(n)d people at a time.", n=MAX_ROWS), field="people")
    return rows


def _organisation(text: str, register: list[Organisation]) -> Organisation | None:
    wanted = text.strip().lower()
    for organisation in register:
        if wanted in (organisation.name.lower(), organisation.slug.lower()):
            return organisation
    return None


def check_rows(rows: Iterable[Row], register: list[Organisation]) -> list[tuple[Row, Organisation | None]]:
    """Check each row on its own (address, name, organisation in the register, not twice in the list); set
    `error` on the bad ones; return the good ones with their organisation."""
    good, seen = [], set()
    for row in rows:
        if row.error is not None:
            continue
        try:
            address = inputs.email_address(row.email, field="email")
            if not address:
                raise DomainError(_l("No e-mail address on this line."), field="email")
            row.email = account_ops.normalize_email(address)
            row.name = inputs.line(row.name, field="name", maximum=NAME_MAX)
        except DomainError as error:
            row.error = error.message
            continue
        organisation = None
        if row.organisation:
            organisation = _organisation(row.organisation, register)
            if organisation is None:
                row.error = _l("“%(name)s” is not in the register of organisations. Leave it out, or ask an "
                               "administrator to add it.", name=row.organisation)
                continue
        if row.email in seen:
            row.error = _l("This address is in the list more than once.")
            continue
        seen.add(row.email)
        good.append((row, organisation))
    return good


# --- sending ---------------------------------------------------------------------------------------------------

@dataclass
class Sent:
    """An invitation made: the row, the invitation, the link's secret (for the mail only) and the account the
    address already had (None: a new person) — which only the mail may depend on, never the inviter's page."""

    row: Row
    invitation: Invitation
    secret: str
    account: User | None


@dataclass
class Outcome:
    """What inviting a list did: the invitations sent, and the rows that were not (each with its error)."""

    sent: list[Sent] = field(default_factory=list)
    refused: list[Row] = field(default_factory=list)


def _check_target(by: Any, thinktank: ThinkTank | None) -> None:
    if thinktank is None:
        if not may_invite_without_thinktank(by):
            raise Forbidden(_l("Choose the think tank to invite people into."), code="thinktank_required")
        return
    if thinktank.is_archived:
        raise DomainError(_l("This think tank is archived and can no longer be changed."), code="archived",
                          status=409)
    if thinktank.id not in {tank.id for tank in invitable_thinktanks(by)}:
        raise Forbidden(_l("Only the chairs of this think tank and the coordinator can invite people into it."),
                        code="not_chair")


def invite_people(by: Any, rows: list[Row], *, thinktank: ThinkTank | None, lifetime: timedelta) -> Outcome:
    """Invite every good row (into the think tank, when one is given); the bad rows come back with their error
    and nothing is made for them. An earlier pending invitation of the same address to the same think tank stops
    working (only the newest mail counts)."""
    _check_target(by, thinktank)
    register = organisations()
    good = check_rows(rows, register)
    outcome = Outcome(refused=[row for row in rows if row.error is not None])
    now = utcnow()
    for row, organisation in good:
        db.session.execute(update(Invitation).where(
            Invitation.email == row.email, Invitation.accepted_at.is_(None), Invitation.expires_at > now,
            Invitation.thinktank_id.is_(None) if thinktank is None else Invitation.thinktank_id == thinktank.id)
            .values(expires_at=now).execution_options(synchronize_session=False))
        secret, digest = account_ops.new_link_secret()
        invitation = Invitation(email=row.email, name=row.name, organisation=organisation, thinktank=thinktank,
                                invited_by_id=by.id, token_hash=digest, created_at=now, expires_at=now + lifetime)
        db.session.add(invitation)
        db.session.flush()
        record(by, "invitation.sent", "invitation", invitation.id,
               thinktank=thinktank.slug if thinktank else None, organisation=organisation.slug if organisation
               else None)
        outcome.sent.append(Sent(row, invitation, secret, account_ops.find_user_by_email(row.email)))
    return outcome


def invitations_by(user: Any, *, limit: int = 50) -> list[Invitation]:
    """Return the latest invitations the user sent, or (the coordinator's) sent into think tanks they may invite
    into, newest first."""
    query = select(Invitation).options(selectinload(Invitation.thinktank), selectinload(Invitation.organisation))
    tanks = [tank.id for tank in invitable_thinktanks(user)]
    if not is_coordinator(user):
        query = query.where(or_(Invitation.invited_by_id == user.id, Invitation.thinktank_id.in_(tanks or [0])))
    return list(db.session.scalars(query.order_by(Invitation.created_at.desc(), Invitation.id.desc()).limit(limit)))


def may_see_invitation(user: Any, invitation: Invitation) -> bool:
    """Whether the user sees (and may revoke) an invitation: the coordinator (and admins), who sent it, and the
    chairs of its think tank — the rule of invitations_by."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_coordinator(user) or invitation.invited_by_id == user.id:
        return True
    return invitation.thinktank_id is not None and invitation.thinktank_id in {
        tank.id for tank in invitable_thinktanks(user)}


def revoke_invitation(invitation: Invitation, *, by: Any) -> None:
    """Make a pending invitation's link stop working (it expires now); a used or expired one cannot be."""
    if not may_see_invitation(by, invitation):
        raise Forbidden(_l("Only who sent it, the chairs of its think tank and the coordinator can revoke an "
                           "invitation."), code="not_inviter")
    now = utcnow()
    if invitation.state(now) != "pending":
        raise Conflict(_l("This invitation is used or has expired already."), code="not_pending")
    invitation.expires_at = now
    record(by, "invitation.revoked", "invitation", invitation.id)


# --- accepting ---------------------------------------------------------------------------------------------------

def find_invitation(secret: str) -> Invitation | None:
    """Return the pending invitation with this link (not used, not expired), or None."""
    digest = account_ops.link_digest(secret)
    if digest is None:
        return None
    return db.session.scalars(select(Invitation).where(
        Invitation.token_hash == digest, Invitation.accepted_at.is_(None), Invitation.expires_at > utcnow())
        .options(selectinload(Invitation.thinktank), selectinload(Invitation.organisation))).first()


def _use(secret: str, user_id: int | None) -> Invitation | None:
    """Use the link up; of two requests with it at the same moment, one gets it."""
    digest = account_ops.link_digest(secret)
    if digest is None:
        return None
    now = utcnow()
    found = db.session.execute(
        update(Invitation).where(Invitation.token_hash == digest, Invitation.accepted_at.is_(None),
                                 Invitation.expires_at > now)
        .values(accepted_at=now, accepted_by_id=user_id).returning(Invitation.id)
        .execution_options(synchronize_session=False)).scalar()
    return db.session.get(Invitation, found, populate_existing=True) if found is not None else None


def _admit(invitation: Invitation, user: User) -> Membership | None:
    """Make the user an active member of the invitation's think tank (a request waiting is approved: a chair
    invited them). None when there is no think tank or it was archived meanwhile."""
    tank = invitation.thinktank
    if tank is None or tank.is_archived:
        return None
    membership = db.session.scalar(select(Membership).where(Membership.thinktank_id == tank.id,
                                                            Membership.user_id == user.id))
    if membership is None:
        membership = Membership(thinktank_id=tank.id, user_id=user.id, role="member", status="active")
        db.session.add(membership)
    elif membership.status == "pending":
        membership.status = "active"
    db.session.flush()
    return membership


def account_for(invitation: Invitation) -> User | None:
    """Return the account the invited address has, if any (the link's page asks it to sign in)."""
    return account_ops.find_user_by_email(invitation.email)


def accept_signed_in(secret: str, user: User) -> Invitation:
    """Accept the invitation as the signed-in owner of the invited address: the link proves they read mail there
    (a waiting confirmation is done), and they join the think tank."""
    pending = find_invitation(secret)
    if pending is None:
        raise Conflict(_l("This invitation link is used or has expired."), code="link_gone")
    if account_ops.normalize_email(user.email) != pending.email:
        raise Forbidden(_l("This invitation is for another e-mail address. Sign out, then open the link again."),
                        code="other_address")
    invitation = _use(secret, user.id)
    if invitation is None:
        raise Conflict(_l("This invitation link is used or has expired."), code="link_gone")
    account_ops.confirm_without_link(user, by=user, how="invitation")
    _admit(invitation, user)
    record(user, "invitation.accepted", "invitation", invitation.id, account="existing")
    return invitation


def accept_new(secret: str, *, display_name: Any, password: str, under_16: bool, accepted_terms: bool,
               locale: str | None) -> tuple[Invitation, User]:
    """Make the invited person's account — their address is confirmed by the link, they agreed to the terms, and
    someone under 16 shows a pseudonym, as registration asks — and make them a member of the think tank."""
    if not accepted_terms:
        raise DomainError(_l("Agree to the terms of use to register."), field="accept_terms")
    pending = find_invitation(secret)
    if pending is None:
        raise Conflict(_l("This invitation link is used or has expired."), code="link_gone")
    if account_for(pending) is not None:
        raise Conflict(_l("This address has an account already: sign in to accept the invitation."),
                       code="has_account")
    organisation = pending.organisation
    user = account_ops.create_user(
        email=pending.email, display_name=display_name, password=password,
        kind="professional" if organisation else "resident", organisation=organisation.name if organisation else None,
        locale=locale, email_confirmed=True, terms_version=account_ops.TERMS_VERSION, under_16=under_16)
    db.session.flush()
    invitation = _use(secret, user.id)
    if invitation is None:
        raise Conflict(_l("This invitation link is used or has expired."), code="link_gone")
    account_event.send(user, event="registered", actor=user, data={"under_16": under_16, "via": "invitation",
                                                                   "terms_version": account_ops.TERMS_VERSION})
    _admit(invitation, user)
    record(user, "invitation.accepted", "invitation", invitation.id, account="new")
    return invitation, user


def pending_count() -> int:
    """Return how many invitations wait (for the tests and the docs' numbers)."""
    return db.session.scalar(select(func.count()).select_from(Invitation).where(
        Invitation.accepted_at.is_(None), Invitation.expires_at > utcnow())) or 0


def expired_before(cutoff: datetime) -> Any:
    """The condition of invitations that ended (unused) before `cutoff` (retention)."""
    return (Invitation.accepted_at.is_(None)) & (Invitation.expires_at < cutoff)
