"""The register of partner organisations: entries, their contact people, merging and archiving, and the
free-text organisations people typed before the register existed.

Administrators and the programme coordinator keep the register (programme/roles.is_coordinator). A person asks to be
added as a contact of an organisation; an administrator, the coordinator or an active contact of that organisation
approves. Operations take the acting user, check the rules, add to the session and audit; the caller commits.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from samen.accounts.models import User
from samen.actions.models import ActionItem
from samen.audit.operations import record
from samen.core import inputs
from samen.core.database import db, utcnow
from samen.core.errors import Conflict, DomainError, Forbidden
from samen.notifications.operations import notify
from samen.partners.models import (ORGANISATION_KINDS, ActionOrganisation, Organisation, OrganisationContact,
                                   UnlistedOrganisation)
from samen.programme.models import Line
from samen.programme.roles import coordinator_clause, is_coordinator

KIND_LABELS = {
    "police": _l("Police"), "justice": _l("Justice"), "addiction_care": _l("Addiction care"),
    "youth_work": _l("Youth work"), "school": _l("School"), "housing": _l("Housing"),
    "hospitality": _l("Hospitality"), "sports_culture": _l("Sports or culture club"),
    "municipality": _l("Municipality"), "other": _l("Other"),
}
assert set(KIND_LABELS) == set(ORGANISATION_KINDS)
NAME_MAX, DESCRIPTION_MAX, WEBSITE_MAX, SLUG_MAX = 120, 500, 300, 80
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NOT_KEEPER = _l("Only administrators and the programme coordinator keep the register of organisations.")
RESERVED_SLUGS = {"register", "mine", "duplicates", "new"}  # the register's own pages under /partners/
SIMILAR = 0.8  # names at least this alike (difflib's ratio) are listed as possible duplicates


# --- who may do what -------------------------------------------------------------------------------------------

def may_keep_register(user: Any) -> bool:
    """Administrators and the programme coordinator create, edit, merge and archive entries."""
    return is_coordinator(user)


def require_keeper(user: Any) -> None:
    if not may_keep_register(user):
        raise Forbidden(NOT_KEEPER, code="not_keeper")


def is_active_contact(organisation: Organisation, user: Any) -> bool:
    """Whether the user is an active contact of the organisation (one query)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(db.session.scalar(select(func.count()).select_from(OrganisationContact).where(
        OrganisationContact.organisation_id == organisation.id, OrganisationContact.user_id == user.id,
        OrganisationContact.status == "active")))


def may_approve(organisation: Organisation, user: Any) -> bool:
    """Administrators, the coordinator and the organisation's active contacts approve requests to join it."""
    return may_keep_register(user) or is_active_contact(organisation, user)


# --- names -----------------------------------------------------------------------------------------------------

def normalised(name: str) -> str:
    """Equal for names that differ only in case and spaces: these are one entry (the migration's rule too)."""
    return " ".join((name or "").split()).casefold()


def slug_for(name: str, *, exclude: int | None = None) -> str:
    """Return a free web address for a name: 'GGD Gelderland-Midden' → 'ggd-gelderland-midden' (-2 if taken)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:70] or "organisatie"
    taken = set(db.session.scalars(select(Organisation.slug).where(
        Organisation.slug.like(f"{base}%"), Organisation.id != (exclude or 0))))
    slug, n = base, 1
    while slug in taken or slug in RESERVED_SLUGS:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _name(value: Any, *, exclude: int | None = None) -> str:
    name = inputs.line(value, field="name", maximum=NAME_MAX, required=True, label=_l("Name"))
    name = " ".join(name.split())
    clash = db.session.scalar(select(Organisation).where(
        func.lower(Organisation.name) == name.lower(), Organisation.merged_into_id.is_(None),
        Organisation.id != (exclude or 0)))
    if clash is not None and normalised(clash.name) == normalised(name):
        raise Conflict(_l("The register already has “%(name)s”.", name=clash.name), code="name_taken",
                       field="name")
    return name


def _kind(value: Any) -> str:
    if value not in ORGANISATION_KINDS:
        raise DomainError(_l("Choose a kind of organisation."), field="kind", code="invalid_kind")
    return value


def _website(value: Any) -> str:
    website = inputs.line(value, field="website", maximum=WEBSITE_MAX)
    if website:
        parts = urlsplit(website)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in website:
            raise DomainError(_l("Enter a web address starting with https:// or http://."), field="website",
                              code="invalid_website")
    return website


def _lines(values: Iterable[Any]) -> list[Line]:
    ids = [value.id if isinstance(value, Line) else inputs.ident(value, field="lines") for value in values or ()]
    lines = list(db.session.scalars(select(Line).where(Line.id.in_(ids)))) if ids else []
    if len(lines) != len(set(ids)):
        raise DomainError(_l("Choose lines of the programme."), field="lines", code="invalid_line")
    return lines


# --- reading ---------------------------------------------------------------------------------------------------

def get_organisation(key: Any) -> Organisation | None:
    """Return the entry with this slug or id (merged ones too: their pages forward), or None."""
    if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
        if not inputs.is_id(str(key)):
            return None
        return db.session.get(Organisation, int(key))
    if not isinstance(key, str) or len(key) > SLUG_MAX or not SLUG_RE.match(key):
        return None
    return db.session.scalar(select(Organisation).where(Organisation.slug == key))


def final_entry(organisation: Organisation) -> Organisation:
    """Follow merges to the entry that holds an organisation's history now."""
    seen = {organisation.id}
    while organisation.merged_into_id and organisation.merged_into_id not in seen:
        target = db.session.get(Organisation, organisation.merged_into_id)
        if target is None:
            break
        seen.add(target.id)
        organisation = target
    return organisation


def list_organisations(*, archived: bool = False) -> list[Organisation]:
    """Return the register's entries by name, with their lines (two queries); merged ones never, archived
    ones only when asked."""
    stmt = select(Organisation).where(Organisation.merged_into_id.is_(None)).options(
        selectinload(Organisation.lines))
    if not archived:
        stmt = stmt.where(Organisation.archived_at.is_(None))
    return list(db.session.scalars(stmt.order_by(func.lower(Organisation.name), Organisation.id)))


def offered_organisations() -> list[Organisation]:
    """Return the entries people and chairs may choose: neither merged nor archived (one query)."""
    return list(db.session.scalars(select(Organisation).where(
        Organisation.merged_into_id.is_(None), Organisation.archived_at.is_(None))
        .order_by(func.lower(Organisation.name), Organisation.id)))


def contacts_of(organisation: Organisation) -> list[OrganisationContact]:
    """Return an entry's contacts, active ones first, with their accounts (two queries)."""
    return list(db.session.scalars(select(OrganisationContact).where(
        OrganisationContact.organisation_id == organisation.id).options(selectinload(OrganisationContact.user))
        .order_by(OrganisationContact.status, OrganisationContact.created_at, OrganisationContact.id)))


def memberships_of(user: Any) -> list[OrganisationContact]:
    """Return the organisations a person is (or asks to be) a contact of, with the entries (two queries)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.scalars(select(OrganisationContact).where(OrganisationContact.user_id == user.id)
                                   .options(selectinload(OrganisationContact.organisation))
                                   .order_by(OrganisationContact.id)))


def active_contacts_by_organisation(organisation_ids: Iterable[int]) -> dict[int, list[User]]:
    """Return, per organisation id, its active contacts' accounts (one query): the action form offers them."""
    ids = list(organisation_ids)
    result: dict[int, list[User]] = {key: [] for key in ids}
    if ids:
        for contact, user in db.session.execute(
                select(OrganisationContact, User).join(User, User.id == OrganisationContact.user_id)
                .where(OrganisationContact.organisation_id.in_(ids), OrganisationContact.status == "active")
                .order_by(User.display_name, User.id)):
            result[contact.organisation_id].append(user)
    return result


@dataclass(frozen=True)
class PossibleDuplicate:
    """Two entries that may be one organisation: an administrator decides and merges."""

    first: Organisation
    second: Organisation
    reason: str  # "prefix": one name starts with the other's words; "similar": spelled alike


def possible_duplicates() -> list[PossibleDuplicate]:
    """Return pairs of entries (neither merged nor archived) whose names are near but not equal: one name is the
    other's first words ("GGD" and "GGD Gelderland-Midden"), or they are spelled alike. Never merged by itself."""
    entries = offered_organisations()
    pairs = []
    for i, first in enumerate(entries):
        a = normalised(first.name)
        for second in entries[i + 1:]:
            b = normalised(second.name)
            short, long = sorted((a, b), key=len)
            words_short, words_long = re.split(r"[\s\-]+", short), re.split(r"[\s\-]+", long)
            if words_long[:len(words_short)] == words_short:
                pairs.append(PossibleDuplicate(first, second, "prefix"))
            elif SequenceMatcher(None, a, b).ratio() >= SIMILAR:
                pairs.append(PossibleDuplicate(first, second, "similar"))
    return pairs


# --- keeping the register --------------------------------------------------------------------------------------

def create_organisation(*, by: Any, name: Any, kind: Any = "other", description: Any = "", website: Any = "",
                        lines: Iterable[Any] = (), slug: Any = None) -> Organisation:
    """Add an entry to the register (administrators and the coordinator)."""
    require_keeper(by)
    clean = _name(name)
    organisation = Organisation(
        name=clean, kind=_kind(kind or "other"),
        description=inputs.line(description, field="description", maximum=DESCRIPTION_MAX),
        website=_website(website), lines=_lines(lines), slug=slug or slug_for(clean))
    db.session.add(organisation)
    db.session.flush()
    record(by, "organisation.create", "organisation", organisation.id, name=organisation.name)
    return organisation


def update_organisation(organisation: Organisation, *, by: Any, **changes: Any) -> Organisation:
    """Change an entry's name, kind, description, website or lines; audited as old → new."""
    require_keeper(by)
    values: dict[str, Any] = {}
    for field, value in changes.items():
        if field == "name":
            values["name"] = _name(value, exclude=organisation.id)
        elif field == "kind":
            values["kind"] = _kind(value)
        elif field == "description":
            values["description"] = inputs.line(value, field="description", maximum=DESCRIPTION_MAX)
        elif field == "website":
            values["website"] = _website(value)
        elif field == "lines":
            lines = _lines(value)
            old_ids, new_ids = sorted(line.id for line in organisation.lines), sorted(line.id for line in lines)
            if old_ids != new_ids:
                organisation.lines = lines
                record(by, "organisation.update", "organisation", organisation.id,
                       changes={"lines": [old_ids, new_ids]})
        else:
            raise DomainError(_l("%(field)s cannot be changed.", field=field), field=field, code="read_only")
    changed = {}
    for field, value in values.items():
        if getattr(organisation, field) != value:
            changed[field] = [getattr(organisation, field), value]
            setattr(organisation, field, value)
    if "name" in changed:
        _rename_free_text(changed["name"][0], organisation.name)
    if changed:
        record(by, "organisation.update", "organisation", organisation.id, changes=changed)
    return organisation


def _rename_free_text(old: str, new: str) -> None:
    """Keep the legacy free-text columns in step with the register (the public name rule reads users')."""
    db.session.execute(update(User).where(func.lower(User.organisation) == old.lower()).values(organisation=new)
                       .execution_options(synchronize_session="fetch"))
    db.session.execute(update(ActionItem).where(func.lower(ActionItem.organisation) == old.lower())
                       .values(organisation=new).execution_options(synchronize_session="fetch"))


def archive_organisation(organisation: Organisation, *, by: Any, archived: bool = True) -> None:
    """Archive an entry (its history stays, it is no longer offered), or bring it back."""
    require_keeper(by)
    if organisation.merged_into_id:
        raise Conflict(_l("This entry was merged into another."), code="merged")
    if archived == organisation.is_archived:
        return
    organisation.archived_at = utcnow() if archived else None
    record(by, "organisation.archive" if archived else "organisation.restore", "organisation", organisation.id)


def merge_organisations(source: Organisation, target: Organisation, *, by: Any) -> Organisation:
    """Merge `source` into `target`: its contacts, its part in actions, its lines and the people who named it
    follow; the source stays as a forwarding entry (merged_into_id) so old links still work."""
    require_keeper(by)
    if source.id == target.id:
        raise DomainError(_l("Choose two different entries."), field="target", code="same")
    if source.merged_into_id or target.merged_into_id:
        raise Conflict(_l("This entry was merged into another."), code="merged")
    moved = {"contacts": 0, "actions": 0}
    target_contacts = {c.user_id: c for c in db.session.scalars(
        select(OrganisationContact).where(OrganisationContact.organisation_id == target.id))}
    for contact in list(db.session.scalars(select(OrganisationContact).where(
            OrganisationContact.organisation_id == source.id))):
        kept = target_contacts.get(contact.user_id)
        if kept is None:
            contact.organisation_id = target.id
            moved["contacts"] += 1
        else:
            if contact.is_active and not kept.is_active:
                kept.status, kept.approved_by_id = "active", contact.approved_by_id
            db.session.delete(contact)
    db.session.flush()
    target_parts = {c.action_id: c for c in db.session.scalars(
        select(ActionOrganisation).where(ActionOrganisation.organisation_id == target.id))}
    for part in list(db.session.scalars(select(ActionOrganisation).where(
            ActionOrganisation.organisation_id == source.id))):
        kept_part = target_parts.get(part.action_id)
        if kept_part is None:
            moved_part = ActionOrganisation(action_id=part.action_id, organisation_id=target.id, role=part.role,
                                            contact_user_id=part.contact_user_id)
            db.session.delete(part)
            db.session.flush()  # the source's row (perhaps the lead) goes before the target's comes
            db.session.add(moved_part)
            moved["actions"] += 1
        else:
            role = "lead" if "lead" in (part.role, kept_part.role) else "co"
            contact_id = kept_part.contact_user_id or part.contact_user_id
            db.session.delete(part)
            db.session.flush()  # the source's lead row goes before the target's becomes the lead
            kept_part.role, kept_part.contact_user_id = role, contact_id
        db.session.flush()
    known = {line.id for line in target.lines}
    target.lines = [*target.lines, *(line for line in source.lines if line.id not in known)]
    source.lines = []
    _rename_free_text(source.name, target.name)
    source.merged_into_id = target.id
    source.archived_at = source.archived_at or utcnow()
    db.session.flush()
    record(by, "organisation.merge", "organisation", target.id, merged=source.id, name=source.name, **moved)
    record(by, "organisation.merged_into", "organisation", source.id, target=target.id, name=target.name)
    return target


# --- contact people --------------------------------------------------------------------------------------------

def request_contact(organisation: Organisation, *, user: Any) -> OrganisationContact:
    """Ask to be added as a contact of an organisation; its active contacts (else nobody) hear of it, and an
    administrator, the coordinator or an active contact approves."""
    if not getattr(user, "is_authenticated", False):
        raise Forbidden(_l("Sign in first."), code="signed_out")
    if organisation.is_archived or organisation.merged_into_id:
        raise Conflict(_l("This organisation is no longer in the register."), code="archived")
    existing = db.session.scalar(select(OrganisationContact).where(
        OrganisationContact.organisation_id == organisation.id, OrganisationContact.user_id == user.id))
    if existing is not None:
        return existing  # asking twice changes nothing
    contact = OrganisationContact(organisation_id=organisation.id, user_id=user.id, status="pending")
    db.session.add(contact)
    db.session.flush()
    approvers = db.session.scalars(select(OrganisationContact.user_id).where(
        OrganisationContact.organisation_id == organisation.id, OrganisationContact.status == "active"))
    notify(approvers, "organisation_contact_request", url=f"/partners/{organisation.slug}/contacts",
           exclude=user, organisation=organisation.name, person=user.display_name)
    record(user, "organisation.contact_request", "organisation", organisation.id, user=user.id)
    return contact


def add_contact(organisation: Organisation, user: User, *, by: Any) -> OrganisationContact:
    """Add a person as an active contact straight away (administrators and the coordinator)."""
    require_keeper(by)
    contact = db.session.scalar(select(OrganisationContact).where(
        OrganisationContact.organisation_id == organisation.id, OrganisationContact.user_id == user.id))
    if contact is None:
        contact = OrganisationContact(organisation_id=organisation.id, user_id=user.id, status="pending")
        db.session.add(contact)
        db.session.flush()
    if not contact.is_active:
        _activate(contact, organisation, by=by)
    return contact


def approve_contact(contact: OrganisationContact, *, by: Any) -> None:
    """Approve a request to be a contact; the requester is notified."""
    organisation = contact.organisation
    if not may_approve(organisation, by):
        raise Forbidden(_l("Only administrators, the coordinator and the organisation's contacts can approve "
                           "this request."), code="not_approver")
    if contact.is_active:
        return
    _activate(contact, organisation, by=by)


def _activate(contact: OrganisationContact, organisation: Organisation, *, by: Any) -> None:
    contact.status, contact.approved_by_id = "active", getattr(by, "id", None)
    _close_unlisted(contact.user_id, by=by)  # the person now has an organisation of the register
    user = contact.user
    # The public name rule (core/names.py) shows a person by their organisation: keep it the register's name.
    if not (user.organisation or "").strip() or user.kind == "professional":
        user.organisation = organisation.name
    notify([contact.user_id], "organisation_contact_approved", url=f"/partners/{organisation.slug}",
           exclude=by, organisation=organisation.name)
    record(by, "organisation.contact_approve", "organisation", organisation.id, user=contact.user_id)


def remove_contact(contact: OrganisationContact, *, by: Any) -> None:
    """Remove a contact or refuse a request (who may approve, or the person themself); a refused requester is
    told."""
    organisation = contact.organisation
    if not (getattr(by, "id", None) == contact.user_id or may_approve(organisation, by)):
        raise Forbidden(_l("Only administrators, the coordinator and the organisation's contacts can do this."),
                        code="not_approver")
    if not contact.is_active and getattr(by, "id", None) != contact.user_id:
        notify([contact.user_id], "organisation_contact_refused", url="/partners", exclude=by,
               organisation=organisation.name)
    db.session.execute(update(ActionOrganisation).where(
        ActionOrganisation.organisation_id == organisation.id, ActionOrganisation.contact_user_id == contact.user_id)
        .values(contact_user_id=None).execution_options(synchronize_session="fetch"))
    record(by, "organisation.contact_remove", "organisation", organisation.id, user=contact.user_id,
           status=contact.status)
    db.session.delete(contact)


# --- "my organisation is not listed" -----------------------------------------------------------------------------

def note_unlisted(user: Any, name: Any) -> UnlistedOrganisation:
    """Leave a note for the keepers that the person's organisation is not in the register (registration, the
    profile); the keepers are notified. One open note a person: a second one replaces the first's name."""
    if not getattr(user, "is_authenticated", False):
        raise Forbidden(_l("Sign in first."), code="signed_out")
    clean = " ".join(inputs.line(name, field="organisation_note", maximum=NAME_MAX, required=True,
                                 label=_l("Name of your organisation")).split())
    note = db.session.scalar(select(UnlistedOrganisation).where(
        UnlistedOrganisation.user_id == user.id, UnlistedOrganisation.closed_at.is_(None)))
    if note is None:
        note = UnlistedOrganisation(user_id=user.id, name=clean)
        db.session.add(note)
    else:
        note.name = clean
    db.session.flush()
    notify(db.session.scalars(select(User.id).where(coordinator_clause(User.id))), "organisation_unlisted",
           url="/partners/register#unlisted-heading", exclude=user, person=user.display_name, name=clean)
    record(user, "organisation.unlisted_note", "user", user.id, name=clean)
    return note


def open_unlisted() -> list[UnlistedOrganisation]:
    """Return the open notes of organisations that are not listed, oldest first, with their people (two
    queries)."""
    return list(db.session.scalars(select(UnlistedOrganisation).where(UnlistedOrganisation.closed_at.is_(None))
                                   .options(selectinload(UnlistedOrganisation.user))
                                   .order_by(UnlistedOrganisation.id)))


def has_organisation(user: Any) -> bool:
    """Whether the person is, or asks to be, a contact of an entry, or has an open note (one query)."""
    if not getattr(user, "is_authenticated", False):
        return False
    contact = select(OrganisationContact.id).where(OrganisationContact.user_id == user.id)
    note = select(UnlistedOrganisation.id).where(UnlistedOrganisation.user_id == user.id,
                                                 UnlistedOrganisation.closed_at.is_(None))
    return db.session.scalar(select(contact.union_all(note).subquery().c.id).limit(1)) is not None


def close_unlisted(note: UnlistedOrganisation, *, by: Any) -> None:
    """Set a note aside (the keepers: added to the register, or not an organisation of this plan)."""
    require_keeper(by)
    if note.is_open:
        note.closed_at, note.closed_by_id = utcnow(), getattr(by, "id", None)
        record(by, "organisation.unlisted_close", "user", note.user_id, name=note.name)


def _close_unlisted(user_id: int, *, by: Any) -> None:
    db.session.execute(update(UnlistedOrganisation).where(
        UnlistedOrganisation.user_id == user_id, UnlistedOrganisation.closed_at.is_(None))
        .values(closed_at=utcnow(), closed_by_id=getattr(by, "id", None))
        .execution_options(synchronize_session="fetch"))


def find_user(value: Any) -> User | None:
    """Return the confirmed account with this e-mail address (for adding a contact), or None."""
    email = inputs.line(value, field="email", maximum=254, required=True, label=_l("E-mail address"))
    return db.session.scalar(select(User).where(func.lower(User.email) == email.lower(),
                                                User.email_confirmed_at.is_not(None)))


# --- the free text of before the register ------------------------------------------------------------------------

def register_free_text() -> int:
    """Make register entries of free-text organisations that match none (by normalised()), and pending contact
    requests of the people who typed them; return how many entries were made. The runtime twin of migration
    20261207_1730, for data loaded after it (the demo). Near-duplicates are left for possible_duplicates()."""
    entries = {normalised(o.name): final_entry(o) for o in db.session.scalars(select(Organisation))}
    made = 0
    for value in sorted({" ".join(v.split()) for v in db.session.scalars(
            select(User.organisation).where(User.organisation.is_not(None), User.organisation != "")
            .union(select(ActionItem.organisation).where(ActionItem.organisation != "")))}):
        if normalised(value) and normalised(value) not in entries:
            entry = Organisation(name=value[:NAME_MAX], slug=slug_for(value), kind="other")
            db.session.add(entry)
            db.session.flush()
            entries[normalised(value)] = entry
            made += 1
    known = set(db.session.execute(select(OrganisationContact.organisation_id, OrganisationContact.user_id)).all())
    for user_id, value in db.session.execute(select(User.id, User.organisation).where(
            User.organisation.is_not(None), User.organisation != "")).all():
        entry = entries.get(normalised(value))
        if entry is not None and (entry.id, user_id) not in known:
            db.session.add(OrganisationContact(organisation_id=entry.id, user_id=user_id, status="pending"))
            known.add((entry.id, user_id))
    led = set(db.session.scalars(select(ActionOrganisation.action_id).where(ActionOrganisation.role == "lead")))
    parts = set(db.session.execute(select(ActionOrganisation.action_id, ActionOrganisation.organisation_id)).all())
    for action_id, value in db.session.execute(select(ActionItem.id, ActionItem.organisation).where(
            ActionItem.organisation != "")).all():
        entry = entries.get(normalised(value))
        if entry is not None and action_id not in led and (action_id, entry.id) not in parts:
            db.session.add(ActionOrganisation(action_id=action_id, organisation_id=entry.id, role="lead"))
            led.add(action_id)
    db.session.flush()
    return made


