"""Privacy: export everything stored about a user, delete an account, re-apply deletions after a restore, and
apply the retention periods. Every feature takes part through the registry (samen/privacy/registry.py)."""
from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, event, func, inspect, select

import samen.privacy.builtin  # noqa: F401  (registers the hooks of the features below privacy)
from samen.accounts.models import User
from samen.accounts.operations import normalize_email
from samen.core.database import AppSession, db, utcnow
from samen.core.errors import Conflict
from samen.privacy import registry, signals
from samen.privacy.models import DeletedAccount

EXPORT_FORMAT = "samen-personal-data/1"
_PENDING = "samen.privacy.deleted_user_ids"  # in Session.info: deletions to announce after the commit


# --- download my data ------------------------------------------------------------------------------------------

def export_user_data(user: User, *, now: datetime | None = None) -> dict[str, Any]:
    """Return everything stored about the user, one section per registered feature."""
    data: dict[str, Any] = {"format": EXPORT_FORMAT, "exported_at": now or utcnow(), "user_id": user.id}
    for feature in registry.features():
        if feature.export is not None:
            data[feature.name] = feature.export(user)
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"not JSON-serialisable: {type(value).__name__}")


def to_json(data: Any) -> str:
    """Return the export as readable JSON (dates in ISO 8601)."""
    return json.dumps(data, default=_plain, ensure_ascii=False, indent=2)


# --- delete my account -----------------------------------------------------------------------------------------

@dataclass
class Deletion:
    """What deleting an account did, per feature and kind of data."""

    user_id: int
    keep_contributions: bool
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [f"{name}: {what}: {n}" for name, counts in self.counts.items() for what, n in counts.items()]


def email_hash(email: str, key: str) -> str:
    """Return a keyed hash of an e-mail address: it confirms an address that someone names, but a table of them
    cannot be read back by trying likely addresses without the key."""
    return hmac.new(key.encode(), normalize_email(email).encode(), hashlib.sha256).hexdigest()


def delete_account(user: User, *, keep_contributions: bool, hash_key: str) -> Deletion:
    """Delete the account: erase its personal data in every feature, keep or remove its contributions, end its
    sessions and tokens, and record the deletion so that restoring an older backup does not bring it back.

    The caller commits; `signals.account_deleted` is sent after that commit.
    """
    if user.is_admin and not db.session.scalar(select(func.count()).select_from(User).where(
            User.is_admin.is_(True), User.id != user.id)):
        raise Conflict(_l("You are the only administrator. Make someone else an administrator first, then delete "
                          "your account."), code="last_admin")
    db.session.add(DeletedAccount(user_id=user.id, email_hash=email_hash(user.email, hash_key),
                                  account_created_at=user.created_at,
                                  contributions="keep" if keep_contributions else "remove"))
    return _erase(user, keep_contributions=keep_contributions)


def _erase(user: User, *, keep_contributions: bool) -> Deletion:
    deletion = Deletion(user.id, keep_contributions)
    db.session.flush()
    for feature in registry.features():
        if feature.erase is not None:
            deletion.counts[feature.name] = dict(feature.erase(user, keep_contributions=keep_contributions) or {})
    # A plain DELETE: the foreign keys cascade what is only this user's and set the author of what stays to NULL.
    db.session.execute(delete(User).where(User.id == user.id))
    if user in db.session:
        db.session.expunge(user)
    # The cascades changed rows the session may hold (authors, owners, counters): read them again when used.
    db.session.expire_all()
    db.session.info.setdefault(_PENDING, []).append(user.id)
    return deletion


@event.listens_for(AppSession, "after_commit")
def _announce_deletions(session: Any) -> None:
    for user_id in session.info.pop(_PENDING, []):
        signals.account_deleted.send(user_id)


@event.listens_for(AppSession, "after_rollback")
def _forget_deletions(session: Any) -> None:
    session.info.pop(_PENDING, None)


# --- restoring a backup keeps deleted accounts deleted ---------------------------------------------------------

def recorded_deletions() -> list[dict[str, Any]]:
    """Return the deletions recorded in the database (none when it predates the deleted_accounts table)."""
    if not inspect(db.session.connection()).has_table(DeletedAccount.__tablename__):
        return []
    return [{"user_id": row.user_id, "email_hash": row.email_hash, "account_created_at": row.account_created_at,
             "contributions": row.contributions, "deleted_at": row.deleted_at}
            for row in db.session.scalars(select(DeletedAccount).order_by(DeletedAccount.id))]


def reapply_deletions(records: Iterable[Mapping[str, Any]]) -> list[Deletion]:
    """Delete again every recorded account that a restored backup brought back, with the choice made then, and
    make sure every deletion stays recorded. The caller commits."""
    known = {(row.user_id, row.account_created_at) for row in db.session.scalars(select(DeletedAccount))}
    done: list[Deletion] = []
    for record in records:
        key = (record["user_id"], record["account_created_at"])
        if key not in known:
            db.session.add(DeletedAccount(**record))
            known.add(key)
        # The id and the moment the account was made: SQLite can give a later account a deleted account's id.
        user = db.session.scalar(select(User).where(User.id == record["user_id"],
                                                    User.created_at == record["account_created_at"]))
        if user is not None:
            done.append(_erase(user, keep_contributions=record["contributions"] == "keep"))
    return done


def was_deleted(email: str, hash_key: str) -> list[DeletedAccount]:
    """Return the recorded deletions of accounts with this e-mail address."""
    return list(db.session.scalars(select(DeletedAccount).where(
        DeletedAccount.email_hash == email_hash(email, hash_key)).order_by(DeletedAccount.deleted_at)))


# --- retention -------------------------------------------------------------------------------------------------

@dataclass
class Retained:
    """What one retention rule removed (or, in a dry run, would remove)."""

    feature: str
    what: str
    count: int


def apply_retention(settings: Mapping[str, Any], *, now: datetime | None = None,
                    dry_run: bool = False) -> list[Retained]:
    """Remove what is older than its retention period, feature by feature; the caller commits."""
    now = now or utcnow()
    results: list[Retained] = []
    for feature in registry.features():
        if feature.retain is not None:
            for what, count in (feature.retain(now=now, settings=settings, dry_run=dry_run) or {}).items():
                results.append(Retained(feature.name, what, count))
    return results
