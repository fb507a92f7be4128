"""Accounts: create users, check passwords, start and end sessions, issue API tokens."""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from samen.accounts.models import USER_KINDS, ApiToken, User, UserSession
from samen.core.database import db, utcnow
from samen.core.errors import Conflict, DomainError

PASSWORD_METHOD = "scrypt"
TOKEN_PREFIX = "samen_"
# Checking a password against this hash when the e-mail is unknown keeps the timing the same.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method=PASSWORD_METHOD)
SESSION_TOUCH_INTERVAL = timedelta(minutes=5)
DIGESTS = ("never", "daily", "weekly")  # how often notifications also go out by e-mail (User.digest)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalize_email(email: str) -> str:
    """Return the e-mail address as stored: trimmed, lower-case."""
    return email.strip().lower()


def hash_password(password: str) -> str:
    """Return a scrypt hash of the password."""
    return generate_password_hash(password, method=PASSWORD_METHOD)


def password_problem(password: str, *, min_length: int, user_inputs: list[str] | None = None) -> Any | None:
    """Return why a password is not acceptable, or None: too short, or common and easy to guess."""
    if len(password) < min_length:
        return _l("Use at least %(n)d characters.", n=min_length)
    if len(password) > 200:
        return _l("Use at most 200 characters.")
    if zxcvbn(password[:100], user_inputs=[u for u in (user_inputs or []) if u])["score"] < 3:
        return _l("This password is too common or too easy to guess. Try a few unrelated words.")
    return None


def find_user_by_email(email: str) -> User | None:
    """Return the user with this e-mail address, or None."""
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def _checked_organisation(kind: str, organisation: str | None) -> str | None:
    """Return the organisation to store: a professional must name one; a resident has none."""
    if kind not in USER_KINDS:
        raise DomainError(_l("Unknown kind of participant."), field="kind")
    if kind != "professional":
        return None
    organisation = (organisation or "").strip()
    if not organisation:
        raise DomainError(_l("Professionals name their organisation, e.g. Tactus, Politie or Jongerenwerk."),
                          field="organisation")
    return organisation


def _email_taken() -> Conflict:
    return Conflict(_l("An account with this e-mail address already exists."), code="email_taken")


def create_user(*, email: str, display_name: str, password: str | None = None, password_hash: str | None = None,
                kind: str = "resident", organisation: str | None = None, is_admin: bool = False,
                locale: str | None = None) -> User:
    """Create a user; refuse an e-mail address that is taken, in any letter case."""
    organisation = _checked_organisation(kind, organisation)
    if find_user_by_email(email) is not None:
        raise _email_taken()
    if password_hash is None:
        if password is None:
            raise DomainError(_l("A password is required."), field="password")
        password_hash = hash_password(password)
    user = User(email=normalize_email(email), display_name=display_name.strip(), password_hash=password_hash,
                kind=kind, organisation=organisation, is_admin=is_admin, locale=locale)
    try:
        # Two sign-ups with one address at the same moment: the unique constraint decides, not a 500.
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError as error:
        raise _email_taken() from error
    return user


def verify_password(user: User, password: str) -> bool:
    """Tell whether the password is the user's."""
    return check_password_hash(user.password_hash, password)


def authenticate(email: str, password: str) -> User | None:
    """Return the user whose e-mail and password match, or None."""
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not verify_password(user, password):
        return None
    return user


def start_session(user: User, *, user_agent: str | None = None) -> str:
    """Record a new signed-in session for the user and return its secret key."""
    key = secrets.token_urlsafe(32)
    db.session.add(UserSession(user=user, key_hash=_digest(key), user_agent=(user_agent or "")[:200] or None))
    user.session_key = key
    return key


def end_session(key: str | None) -> None:
    """End the signed-in session with this key: its cookies no longer sign anyone in."""
    if key:
        db.session.execute(delete(UserSession).where(UserSession.key_hash == _digest(key)))


def end_all_sessions(user: User, *, keep: str | None = None) -> None:
    """End every session of the user, except the one with key `keep`."""
    stmt = delete(UserSession).where(UserSession.user_id == user.id)
    if keep:
        stmt = stmt.where(UserSession.key_hash != _digest(keep))
    db.session.execute(stmt)


def load_session(key: str, *, max_idle: timedelta | None = None) -> User | None:
    """Return the user signed in with this session key, or None when it has ended or lay idle too long."""
    row = db.session.execute(
        select(UserSession, User).join(User, User.id == UserSession.user_id)
        .where(UserSession.key_hash == _digest(key))
    ).first()
    if row is None:
        return None
    user_session, user = row
    now = utcnow()
    if max_idle is not None and now - user_session.last_seen_at > max_idle:
        # A remember-me cookie copied long ago must not work for ever: the browser would have dropped it.
        return None
    if now - user_session.last_seen_at > SESSION_TOUCH_INTERVAL:
        user_session.last_seen_at = now
        db.session.commit()
    user.session_key = key
    return user


def change_password(user: User, new_password: str) -> None:
    """Set a new password and end the user's other sessions."""
    user.password_hash = hash_password(new_password)
    end_all_sessions(user, keep=user.session_key)


def update_profile(user: User, *, display_name: str, kind: str, organisation: str | None, locale: str | None,
                   digest: str | None = None) -> None:
    """Change the profile fields a user may change themselves; digest None keeps the earlier choice."""
    if digest is not None and digest not in DIGESTS:
        raise DomainError(_l("Choose never, daily or weekly."), field="digest")
    user.organisation = _checked_organisation(kind, organisation)
    user.display_name = display_name.strip()
    user.kind = kind
    user.locale = locale or None
    if digest is not None:
        user.digest = digest


def set_locale(user: User, locale: str | None) -> None:
    """Remember the user's language."""
    user.locale = locale or None


def set_admin(user: User, is_admin: bool) -> None:
    """Grant or revoke the site-admin flag."""
    user.is_admin = is_admin


def create_api_token(user: User, *, name: str = "api") -> str:
    """Issue a new personal API token and return it; only its hash is kept."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user=user, token_hash=_digest(token), name=name[:80] or "api"))
    db.session.flush()
    return token


def user_for_token(token: str) -> User | None:
    """Return the owner of an API token, or None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = db.session.execute(
        select(ApiToken, User).join(User, User.id == ApiToken.user_id).where(ApiToken.token_hash == _digest(token))
    ).first()
    if row is None:
        return None
    api_token, user = row
    now = utcnow()
    if api_token.last_used_at is None or now - api_token.last_used_at > SESSION_TOUCH_INTERVAL:
        api_token.last_used_at = now
        db.session.commit()
    return user


def count_users() -> int:
    """Return how many accounts exist."""
    return db.session.scalar(select(func.count()).select_from(User)) or 0
