"""Accounts: create users, check passwords, start and end sessions, issue API tokens."""
from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, column, delete, exists, func, or_, select, table, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import attributes
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from samen.accounts.models import TOKEN_PURPOSES, USER_KINDS, AccountToken, ApiToken, User, UserSession
from samen.accounts.signals import account_event, credentials_ending
from samen.core import inputs
from samen.core.database import db, utcnow
from samen.core.errors import Conflict, DomainError, Forbidden

PASSWORD_METHOD = "scrypt"
DISPLAY_NAME_MAX = 80
ORGANISATION_MAX = 120
TOKEN_PREFIX = "samen_"
# Checking a password against this hash when the e-mail is unknown keeps the timing the same.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method=PASSWORD_METHOD)
# last_seen_at is written at most this often, so the idle timeout is exact to within this interval.
SESSION_TOUCH_INTERVAL = timedelta(minutes=5)
MAX_SECRET_LENGTH = 100  # account-token secrets are 43 characters; a longer value is not one of ours
DIGESTS = ("never", "daily", "weekly")  # how often notifications also go out by e-mail (User.digest)
API_TOKEN_DEFAULT_DAYS = 90  # what API_TOKEN_DEFAULT_DAYS and API_TOKEN_MAX_DAYS default to (samen/config.py)
API_TOKEN_MAX_DAYS = 365
TOKEN_NAME_MAX = 80
SUSPENSION_REASON_MAX = 500
# The version of the terms of use (templates/accounts/terms.html) a new account agrees to; a new version of the
# terms gets a new value. The migration gave accounts made before the terms existed the first one.
TERMS_VERSION = "2026-12"
EMAIL_UNCONFIRMED = "email_unconfirmed"  # the code of the refusal (problem+json type, live board reason)
# Dutch name particles: "Jan de Vries" and "Eva van den Berg" read as a first and last name.
_PARTICLES = r"(?:van|de|den|der|het|te|ten|ter|in|op|'t|d'|la|le|el|al|von|da|di|dos|du)"
_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ'’-]+"
_FULL_NAME = re.compile(rf"{_NAME_WORD}(?:\s+{_PARTICLES})*\s+{_NAME_WORD}(?:\s+{_NAME_WORD})*")
_LOCAL_PART_WORD = re.compile(r"[^\W\d_]{3,}")


def _digest(secret: str) -> str:
    # A token sent as JSON (the live board's `auth`) may hold an unpaired surrogate: it hashes to no token.
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def normalize_email(email: str) -> str:
    """Return the e-mail address as stored: trimmed, lower-case."""
    return email.strip().lower()


def hash_password(password: str) -> str:
    """Return a scrypt hash of the password."""
    return generate_password_hash(password, method=PASSWORD_METHOD)


def password_problem(password: str, *, min_length: int, user_inputs: list[str] | None = None) -> Any | None:
    """Return why a password is not acceptable, or None: too short, or common and easy to guess."""
    problem = inputs.password_problem(password)
    if problem is not None:
        return problem
    if len(password) < min_length:
        return _l("Use at least %(n)d characters.", n=min_length)
    # zxcvbn refuses longer input (ValueError): the first STRENGTH_MAX characters show whether it is guessable.
    if zxcvbn(password[:inputs.STRENGTH_MAX], user_inputs=[u for u in (user_inputs or []) if u])["score"] < 3:
        return _l("This password is too common or too easy to guess. Try a few unrelated words.")
    return None


def find_user_by_email(email: str) -> User | None:
    """Return the user with this e-mail address, or None."""
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def _checked_organisation(kind: str, organisation: str | None, *, chosen: bool = False) -> str | None:
    """Return the organisation to store: a professional must name one; a resident has none.

    `chosen`: the professional chose it from the register of organisations (accounts/organisations.py), so it may
    be empty here — the register's name is stored once a request is approved."""
    if kind not in USER_KINDS:
        raise DomainError(_l("Unknown kind of participant."), field="kind")
    if kind != "professional":
        return None
    organisation = inputs.line(organisation, field="organisation", maximum=ORGANISATION_MAX) or None
    if not organisation and not chosen:
        raise DomainError(_l("Professionals name their organisation, e.g. Tactus, Politie or Jongerenwerk."),
                          field="organisation")
    return organisation


def pseudonym_problem(display_name: str, email: str) -> Any | None:
    """Return why a display name is no pseudonym, or None: for people under 16 (docs/privacy.md), a name that
    reads as a first and last name, or that holds a word of their e-mail address's local part, is refused."""
    name = (display_name or "").strip()
    if _FULL_NAME.fullmatch(name):
        return _l("Choose a made-up name, not your first and last name: you are under 16, so Samen shows only a "
                  "pseudonym.")
    local = normalize_email(email or "").partition("@")[0]
    if any(word in name.lower() for word in _LOCAL_PART_WORD.findall(local)):
        return _l("Choose a made-up name that is not part of your e-mail address: you are under 16, so Samen "
                  "shows only a pseudonym.")
    return None


def _display_name(value: Any, *, under_16: bool = False, email: str = "") -> str:
    name = inputs.line(value, field="display_name", maximum=DISPLAY_NAME_MAX, required=True,
                       label=_l("Display name"))
    if under_16 and (problem := pseudonym_problem(name, email)) is not None:
        raise DomainError(problem, field="display_name")
    return name


def _email_taken() -> Conflict:
    return Conflict(_l("An account with this e-mail address already exists."), code="email_taken")


def create_user(*, email: str, display_name: str, password: str | None = None, password_hash: str | None = None,
                kind: str = "resident", organisation: str | None = None, is_admin: bool = False,
                locale: str | None = None, email_confirmed: bool = True, terms_version: str | None = None,
                under_16: bool = False, organisation_chosen: bool = False) -> User:
    """Create a user; refuse an e-mail address that is taken, in any letter case.

    An account an administrator makes (the command line, the demo) has a confirmed address; registration
    (register_user) makes one that must be confirmed first. `terms_version`: the terms of use agreed to now."""
    organisation = _checked_organisation(kind, organisation, chosen=organisation_chosen)
    display_name = _display_name(display_name, under_16=under_16, email=email)
    if find_user_by_email(email) is not None:
        raise _email_taken()
    if password_hash is None:
        if password is None:
            raise DomainError(_l("A password is required."), field="password")
        password_hash = hash_password(password)
    now = utcnow()
    user = User(email=normalize_email(email), display_name=display_name, password_hash=password_hash,
                kind=kind, organisation=organisation, is_admin=is_admin, locale=locale, under_16=under_16,
                digest="never" if under_16 else "weekly",  # weekly by default; no e-mail under 16
                email_confirmed_at=now if email_confirmed else None,
                terms_accepted_at=now if terms_version else None, terms_version=terms_version)
    try:
        # Two sign-ups with one address at the same moment: the unique constraint decides, not a 500.
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError as error:
        raise _email_taken() from error
    return user


@dataclass(frozen=True)
class RegistrationResult:
    """What a registration did: made a new account, or found the address taken (and made nothing)."""

    user: User | None = None  # the new account, unconfirmed: send it the confirmation link
    existing: User | None = None  # the account that already had the address: tell its owner


def register_user(*, email: str, display_name: str, password: str, kind: str = "resident",
                  organisation: str | None = None, locale: str | None = None, accepted_terms: bool,
                  under_16: bool = False, organisation_chosen: bool = False) -> RegistrationResult:
    """Register a new, unconfirmed account that agreed to the terms; for a taken address make nothing and say
    so in the result only (the caller answers alike, so the answer tells nobody whether an address is taken).

    The password is hashed in both cases, so both take as long (docs/security.md). `organisation_chosen`: the
    caller files the professional's choice from the register of organisations (accounts/organisations.py)."""
    if not accepted_terms:
        raise DomainError(_l("Agree to the terms of use to register."), field="accept_terms")
    # The same checks for a taken address as for a new one: the answer must not differ.
    organisation = _checked_organisation(kind, organisation, chosen=organisation_chosen)
    _display_name(display_name, under_16=under_16, email=email)
    password_hash = hash_password(password)
    existing = find_user_by_email(email)
    if existing is not None:
        return RegistrationResult(existing=existing)
    try:
        user = create_user(email=email, display_name=display_name, password_hash=password_hash, kind=kind,
                           organisation=organisation, locale=locale, email_confirmed=False,
                           terms_version=TERMS_VERSION, under_16=under_16, organisation_chosen=organisation_chosen)
    except Conflict:  # registered at the same moment by another request
        return RegistrationResult(existing=find_user_by_email(email))
    account_event.send(user, event="registered", actor=user, data={"under_16": under_16,
                                                                   "terms_version": TERMS_VERSION})
    return RegistrationResult(user=user)


def require_confirmed(user: Any) -> None:
    """Refuse taking part — joining, posting, commenting, supporting, registering for a meeting, voting — to a
    signed-in account whose e-mail address is not confirmed yet; reading stays open. The one place of this rule:
    every operation of taking part calls it (visitors are sent to sign in by the rules after it)."""
    if getattr(user, "is_authenticated", False) and getattr(user, "email_confirmed_at", None) is None:
        raise Forbidden(_l("Confirm your e-mail address first: open the link in the e-mail we sent you. No "
                           "e-mail? Use “Send the e-mail again” on the website."), code=EMAIL_UNCONFIRMED)


def start_email_confirmation(user: User, *, lifetime: timedelta) -> str | None:
    """Return the secret of a new confirmation link for the user's address (earlier links stop working), or
    None when the address is confirmed already."""
    if user.email_confirmed_at is not None:
        return None
    return issue_token(user, "email_confirm", lifetime=lifetime)


def confirm_email_address(secret: str) -> User | None:
    """Confirm the address a confirmation link was sent to; None when the link is unknown, used or expired."""
    token = use_token(secret, "email_confirm")
    if token is None:
        return None
    user = token.user
    _mark_confirmed(user, by=user, how="link")
    return user


def confirm_without_link(user: User, *, by: User | None, how: str) -> bool:
    """Confirm the user's address without the e-mailed link (an administrator who knows it is theirs; `by` None
    for the command line); return whether it was unconfirmed."""
    was_unconfirmed = user.email_confirmed_at is None
    _mark_confirmed(user, by=by, how=how)
    return was_unconfirmed


def _mark_confirmed(user: User, *, by: User | None, how: str) -> None:
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        account_event.send(user, event="email_confirmed", actor=by, data={"how": how})
    _use_up_tokens(user, "email_confirm")


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


def start_session(user: User, *, user_agent: str | None = None, remember: bool = False) -> str:
    """Record a new signed-in session for the user and return its secret key (remember: 'keep me signed in')."""
    key = secrets.token_urlsafe(32)
    db.session.add(UserSession(user=user, key_hash=_digest(key), user_agent=(user_agent or "")[:200] or None,
                               remember=remember))
    user.session_key = key
    return key


def end_session(key: str | None) -> None:
    """End the signed-in session with this key: its cookies no longer sign anyone in, and the live connections
    it opened close."""
    if key:
        _end(sessions=select(UserSession.id).where(UserSession.key_hash == _digest(key)))


def _end(*, sessions: Any = None, tokens: Any = None) -> tuple[int, int]:
    """Delete these sessions and API tokens (selects of their ids); return how many of each.

    Layers above hear of it first (`credentials_ending`, with the ids), while the rows are still there: the live
    board then closes the connections they opened, once the change is committed.
    """
    session_ids = list(db.session.scalars(sessions)) if sessions is not None else []
    token_ids = list(db.session.scalars(tokens)) if tokens is not None else []
    if not session_ids and not token_ids:
        return 0, 0
    credentials_ending.send(None, session_ids=session_ids, token_ids=token_ids)
    if session_ids:
        db.session.execute(delete(UserSession).where(UserSession.id.in_(session_ids))
                           .execution_options(synchronize_session=False))
    if token_ids:
        db.session.execute(delete(ApiToken).where(ApiToken.id.in_(token_ids))
                           .execution_options(synchronize_session=False))
    return len(session_ids), len(token_ids)


def end_all_sessions(user: User, *, keep: str | None = None) -> int:
    """End every session of the user, except the one with key `keep`; return how many ended."""
    stmt = select(UserSession.id).where(UserSession.user_id == user.id)
    if keep:
        stmt = stmt.where(UserSession.key_hash != _digest(keep))
    return _end(sessions=stmt)[0]


def end_everything(user: User, *, keep: str | None = None) -> dict[str, int]:
    """End every way the user is signed in: their sessions (but the one with key `keep`, the browser that asked
    for this), their API tokens, and — once committed — the live connections those opened, on every server.

    Changing or resetting the password, a lockout, a suspension and deleting the account all call this.
    """
    sessions = select(UserSession.id).where(UserSession.user_id == user.id)
    if keep:
        sessions = sessions.where(UserSession.key_hash != _digest(keep))
    ended, revoked = _end(sessions=sessions, tokens=select(ApiToken.id).where(ApiToken.user_id == user.id))
    return {"sessions_ended": ended, "api_tokens_revoked": revoked}


@dataclass(frozen=True)
class SessionPolicy:
    """How long a signed-in session lasts.

    An ordinary session ends after `idle` without a request or `absolute` after signing in, whichever comes
    first. A remembered one ('keep me signed in') has no short idle timeout and ends `remember` after signing
    in: the remember-me cookie expires at that moment too, and use never extends it.
    """

    idle: timedelta
    absolute: timedelta
    remember: timedelta

    def has_expired(self, user_session: UserSession, now: datetime) -> bool:
        """Tell whether the session is over at `now`."""
        idle, absolute = ((self.remember, self.remember) if user_session.remember
                          else (self.idle, self.absolute))
        return now - user_session.last_seen_at > idle or now - user_session.created_at > absolute


class SessionExpired(Exception):
    """The session existed but ran out (idle or absolute timeout); it has been ended."""


# The plan-wide roles (samen/programme/roles.py) come with the signed-in user in the same query, so that asking
# "is this person the coordinator?" — part of the chair rule on every page — costs no query. Accounts only names
# the table; it imports nothing from the layers above.
_PLAN_ROLES = table("plan_roles", column("user_id"), column("role"))
_PLAN_ROLE_NAMES = ("coordinator", "field_worker", "analyst")


def _plan_role_flags() -> list[Any]:
    return [exists().where(_PLAN_ROLES.c.user_id == User.id, _PLAN_ROLES.c.role == role).correlate(User)
            for role in _PLAN_ROLE_NAMES]


def _with_plan_roles(user: User, flags: Any) -> User:
    user.loaded_plan_roles = frozenset(role for role, held in zip(_PLAN_ROLE_NAMES, flags, strict=True) if held)
    return user


def load_session(key: str, *, policy: SessionPolicy | None = None) -> User | None:
    """Return the user signed in with this session key, or None when it has ended; raise SessionExpired (after
    ending it) when the policy says it ran out."""
    row = db.session.execute(
        select(UserSession, User, *_plan_role_flags()).join(User, User.id == UserSession.user_id)
        .where(UserSession.key_hash == _digest(key), *_may_sign_in())
    ).first()
    if row is None:
        return None
    user_session, user = row[0], _with_plan_roles(row[1], row[2:])
    now = utcnow()
    if policy is not None and policy.has_expired(user_session, now):
        # Ended for good: a copied session or remember-me cookie must not work later either.
        db.session.execute(delete(UserSession).where(UserSession.id == user_session.id))
        db.session.commit()
        raise SessionExpired
    if now - user_session.last_seen_at > SESSION_TOUCH_INTERVAL:
        user_session.last_seen_at = now
        db.session.commit()
    user.session_key = key
    user.session_id = user_session.id
    return user


def _may_sign_in() -> tuple[Any, ...]:
    """The SQL form of 'this account may use its credentials': not suspended, not locked (see may_sign_in)."""
    return User.suspended_at.is_(None), User.locked_at.is_(None)


def may_sign_in(user: User) -> bool:
    """Tell whether the account may use a session, a token or the live board: not suspended, not locked."""
    return user.suspended_at is None and user.locked_at is None


def purge_expired(policy: SessionPolicy) -> tuple[int, int]:
    """Delete the sessions the policy has ended and the account tokens that can no longer be used; return how
    many of each (sessions of browsers that never came back would otherwise stay for ever)."""
    now = utcnow()
    ordinary = and_(UserSession.remember.is_(False), or_(UserSession.last_seen_at < now - policy.idle,
                                                         UserSession.created_at < now - policy.absolute))
    remembered = and_(UserSession.remember.is_(True), or_(UserSession.last_seen_at < now - policy.remember,
                                                          UserSession.created_at < now - policy.remember))
    sessions = db.session.execute(delete(UserSession).where(or_(ordinary, remembered))
                                  .returning(UserSession.id)).all()
    tokens = db.session.execute(delete(AccountToken).where(
        or_(AccountToken.used_at.is_not(None), AccountToken.expires_at < now)).returning(AccountToken.id)).all()
    return len(sessions), len(tokens)


def change_password(user: User, new_password: str) -> None:
    """Set a new password; end the user's other sessions, their API tokens and the live connections those
    opened (this browser stays signed in)."""
    user.password_hash = hash_password(new_password)
    ended = end_everything(user, keep=user.session_key)
    account_event.send(user, event="password_changed", actor=user, data=ended)


# --- signing in, and the lockout after failed attempts -------------------------------------------------------

@dataclass(frozen=True)
class SignInAttempt:
    """What checking an e-mail address and password found."""

    user: User | None = None  # the password matched an account that is not locked: sign this user in
    account: User | None = None  # the account of the address, if there is one
    locked: bool = False  # the account is locked: refuse, whatever the password
    just_locked: bool = False  # this attempt locked it: send the unlock e-mail (once)
    suspended: bool = False  # the right password for a suspended account: refuse, and say so


def attempt_sign_in(email: str, password: str, *, lockout_after: int) -> SignInAttempt:
    """Check a sign-in; count a failure against the account, and lock it at the `lockout_after`th in a row.

    The password is checked in every case (against a dummy hash for an unknown address), so the answer takes
    as long whether the address is known, the account locked or the password right.
    """
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return SignInAttempt()
    matches = verify_password(user, password)
    if user.locked_at is not None:
        return SignInAttempt(account=user, locked=True)
    if matches:
        if user.failed_logins:
            user.failed_logins = 0
        if user.suspended_at is not None:
            # Only the right password learns of the suspension; a wrong one gets the usual answer and counts.
            return SignInAttempt(account=user, suspended=True)
        return SignInAttempt(user=user, account=user)
    failures = db.session.execute(
        update(User).where(User.id == user.id).values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins).execution_options(synchronize_session=False)).scalar_one()
    attributes.set_committed_value(user, "failed_logins", failures)
    if failures < lockout_after:
        return SignInAttempt(account=user)
    now = utcnow()
    # Of two attempts that reach the threshold at once, one locks the account and sends the e-mail.
    just_locked = db.session.execute(
        update(User).where(User.id == user.id, User.locked_at.is_(None)).values(locked_at=now)
        .returning(User.id).execution_options(synchronize_session=False)).first() is not None
    if just_locked:
        attributes.set_committed_value(user, "locked_at", now)
        # Whoever is guessing may have guessed before: the account's sessions, tokens and live connections end.
        ended = end_everything(user)
        account_event.send(user, event="locked", actor=None, data={"failed_logins": failures, **ended})
    return SignInAttempt(account=user, locked=True, just_locked=just_locked)


def unlock_account(user: User, *, by: User | None, how: str) -> bool:
    """Unlock the account and start counting failures afresh; return whether it was locked."""
    was_locked = user.locked_at is not None
    user.locked_at = None
    user.failed_logins = 0
    _use_up_tokens(user, "unlock")
    if was_locked:
        account_event.send(user, event="unlocked", actor=by, data={"how": how})
    return was_locked


# --- single-use links by e-mail ------------------------------------------------------------------------------

def _use_up_tokens(user: User, purpose: str) -> None:
    db.session.execute(update(AccountToken).where(
        AccountToken.user_id == user.id, AccountToken.purpose == purpose, AccountToken.used_at.is_(None))
        .values(used_at=utcnow()).execution_options(synchronize_session=False))


def issue_token(user: User, purpose: str, *, lifetime: timedelta, new_email: str | None = None) -> str:
    """Create a single-use link secret for the user and return it; only its hash is stored, and the user's
    earlier links of the same purpose stop working (only the newest e-mail counts)."""
    if purpose not in TOKEN_PURPOSES:
        raise ValueError(f"unknown token purpose {purpose!r}")
    _use_up_tokens(user, purpose)
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(AccountToken(user_id=user.id, purpose=purpose, token_hash=_digest(secret),
                                new_email=new_email, created_at=now, expires_at=now + lifetime))
    db.session.flush()
    return secret


def new_link_secret() -> tuple[str, str]:
    """Return a new single-use link secret and the hash to store (the machinery of these links, for links that
    belong to no account yet: invitations, samen/people)."""
    secret = secrets.token_urlsafe(32)
    return secret, _digest(secret)


def link_digest(secret: str) -> str | None:
    """Return the stored hash of a link secret, or None when the value cannot be one of ours."""
    if not secret or len(secret) > MAX_SECRET_LENGTH:
        return None
    return _digest(secret)


def find_token(secret: str, purpose: str) -> AccountToken | None:
    """Return the unused, unexpired token with this secret and purpose (with its user), without using it."""
    if not secret or len(secret) > MAX_SECRET_LENGTH:
        return None
    return db.session.scalars(
        select(AccountToken).join(User, User.id == AccountToken.user_id)
        .where(AccountToken.token_hash == _digest(secret), AccountToken.purpose == purpose,
               AccountToken.used_at.is_(None), AccountToken.expires_at > utcnow())
        .execution_options(populate_existing=True)).first()


def use_token(secret: str, purpose: str) -> AccountToken | None:
    """Use the token up and return it, or None when it is unknown, used or expired; of two requests with the
    same link at the same moment, one gets it."""
    if not secret or len(secret) > MAX_SECRET_LENGTH:
        return None
    token_id = db.session.execute(
        update(AccountToken).where(AccountToken.token_hash == _digest(secret), AccountToken.purpose == purpose,
                                   AccountToken.used_at.is_(None), AccountToken.expires_at > utcnow())
        .values(used_at=utcnow()).returning(AccountToken.id)
        .execution_options(synchronize_session=False)).scalar()
    if token_id is None:
        return None
    return db.session.get(AccountToken, token_id, populate_existing=True)


def unlock_with_token(secret: str) -> User | None:
    """Unlock the account an unlock link was sent for; None when the link is unknown, used or expired."""
    token = use_token(secret, "unlock")
    if token is None:
        return None
    unlock_account(token.user, by=token.user, how="link")
    return token.user


def reset_password(secret: str, new_password: str) -> User | None:
    """Set a new password with a reset link: unlock the account, end every session and revoke the API tokens
    (whoever knew the old password may have made them). None when the link is unknown, used or expired."""
    token = use_token(secret, "password_reset")
    if token is None:
        return None
    user = token.user
    user.password_hash = hash_password(new_password)
    unlock_account(user, by=user, how="password_reset")
    _use_up_tokens(user, "password_reset")
    ended = end_everything(user)
    account_event.send(user, event="password_reset", actor=user, data=ended)
    return user


def request_email_change(user: User, new_email: str, *, lifetime: timedelta) -> str:
    """Start changing the user's address: return the secret of the link for the new address. The old address
    stays in force until that link is used."""
    address = normalize_email(new_email)
    if address == user.email:
        raise DomainError(_l("This is already your e-mail address."), field="email")
    if find_user_by_email(address) is not None:
        raise _email_taken()
    secret = issue_token(user, "email_change", lifetime=lifetime, new_email=address)
    account_event.send(user, event="email_change_requested", actor=user, data={"new_email": address})
    return secret


def pending_email_change(user: User) -> AccountToken | None:
    """Return the user's e-mail change that waits for its confirmation, if any."""
    return db.session.scalars(select(AccountToken).where(
        AccountToken.user_id == user.id, AccountToken.purpose == "email_change", AccountToken.used_at.is_(None),
        AccountToken.expires_at > utcnow()).order_by(AccountToken.id.desc()).limit(1)).first()


def confirm_email_change(secret: str) -> tuple[User, str] | None:
    """Make the new address of an e-mail change link the user's; return the user and the old address, or None
    when the link is unknown, used or expired. Conflict when the address was taken in the meantime."""
    token = use_token(secret, "email_change")
    if token is None or not token.new_email:
        return None
    user, old = token.user, token.user.email
    if find_user_by_email(token.new_email) is not None:
        raise _email_taken()
    try:
        with db.session.begin_nested():
            user.email = token.new_email
    except IntegrityError as error:
        raise _email_taken() from error
    account_event.send(user, event="email_changed", actor=user, data={"old": old, "new": user.email})
    _mark_confirmed(user, by=user, how="email_change")  # the link proves the owner reads mail at the new address
    return user, old


def update_profile(user: User, *, display_name: str, kind: str, organisation: str | None, locale: str | None,
                   digest: str | None = None, organisation_chosen: bool = False) -> None:
    """Change the profile fields a user may change themselves; digest None keeps the earlier choice. Someone
    under 16 gets no digest and keeps a pseudonym (docs/privacy.md). `organisation_chosen`: as in register_user."""
    if digest is not None and digest not in DIGESTS:
        raise DomainError(_l("Choose never, daily or weekly."), field="digest")
    if user.under_16:
        digest = "never"
    user.organisation = _checked_organisation(kind, organisation, chosen=organisation_chosen)
    user.display_name = _display_name(display_name, under_16=user.under_16, email=user.email)
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


# --- personal API tokens -------------------------------------------------------------------------------------

def token_days(value: Any, *, maximum: int) -> int:
    """Return a token's lifetime in whole days, from 1 to `maximum`; InvalidInput otherwise."""
    return inputs.whole(value, field="expires_in_days", minimum=1, maximum=maximum,
                        message=_l("Enter a whole number of days from 1 to %(n)d.", n=maximum))


def create_api_token(user: User, *, name: str = "api", days: Any = API_TOKEN_DEFAULT_DAYS,
                     max_days: int = API_TOKEN_MAX_DAYS) -> str:
    """Issue a new personal API token and return its secret (see issue_api_token)."""
    return issue_api_token(user, name=name, days=days, max_days=max_days)[0]


def issue_api_token(user: User, *, name: str = "api", days: Any = API_TOKEN_DEFAULT_DAYS,
                    max_days: int = API_TOKEN_MAX_DAYS) -> tuple[str, ApiToken]:
    """Issue a new personal API token that expires after `days` (1 to `max_days`); return its secret, shown only
    this once (only its hash is kept), and its row. A suspended or locked account gets none."""
    if not may_sign_in(user):
        raise DomainError(_l("This account cannot create API tokens now."), code="account_unavailable",
                          status=403)
    lifetime = token_days(days, maximum=max_days)
    name = inputs.line(name, field="name", maximum=TOKEN_NAME_MAX) or "api"
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    api_token = ApiToken(user=user, token_hash=_digest(token), name=name, created_at=now,
                         expires_at=now + timedelta(days=lifetime))
    db.session.add(api_token)
    db.session.flush()
    account_event.send(user, event="api_token_created", actor=user,
                       data={"token_id": api_token.id, "expires_at": api_token.expires_at.isoformat()})
    return token, api_token


def api_tokens_of(user: User) -> list[ApiToken]:
    """Return the user's API tokens, newest first (expired ones too, until they are revoked)."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke_api_token(user: User, token_id: Any) -> bool:
    """Revoke one of the user's own tokens (and close the live connections it opened); False when the user has
    no token with this id."""
    if not inputs.is_id(token_id):
        return False
    token = db.session.scalar(select(ApiToken).where(ApiToken.id == int(token_id), ApiToken.user_id == user.id))
    if token is None:
        return False
    _end(tokens=select(ApiToken.id).where(ApiToken.id == token.id))
    db.session.expunge(token)
    account_event.send(user, event="api_token_revoked", actor=user, data={"token_id": int(token_id)})
    return True


def _usable_tokens(now: datetime) -> Any:
    return select(ApiToken, User, *_plan_role_flags()).join(User, User.id == ApiToken.user_id).where(
        ApiToken.expires_at > now, *_may_sign_in())


def find_api_token(token: str) -> tuple[ApiToken, User] | None:
    """Return the API token with this secret and its owner, if it may be used now: not revoked, not expired, and
    its owner neither suspended nor locked. Marks it used (at most every few minutes)."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    now = utcnow()
    row = db.session.execute(_usable_tokens(now).where(ApiToken.token_hash == _digest(token))).first()
    if row is None:
        return None
    api_token, user = row[0], _with_plan_roles(row[1], row[2:])
    if api_token.last_used_at is None or now - api_token.last_used_at > SESSION_TOUCH_INTERVAL:
        api_token.last_used_at = now
        db.session.commit()
    return api_token, user


def user_for_token(token: str) -> User | None:
    """Return the owner of an API token that may be used now (see find_api_token), or None."""
    found = find_api_token(token)
    return found[1] if found is not None else None


def user_for_token_id(token_id: int) -> User | None:
    """Return the owner of the token with this id while it may still be used (the live board asks again on
    every event), or None: revoked, expired, suspended or locked."""
    row = db.session.execute(_usable_tokens(utcnow()).where(ApiToken.id == token_id)).first()
    return _with_plan_roles(row[1], row[2:]) if row is not None else None


# --- suspension by an administrator ---------------------------------------------------------------------------

def suspend_user(user: User, reason: Any, *, by: User) -> dict[str, int]:
    """Suspend the account: it cannot sign in, use a token or take part live until reinstated. Every session,
    token and live connection ends at once. An administrator cannot suspend themselves."""
    if user.id == by.id:
        raise Forbidden(_l("You cannot suspend your own account. Ask another administrator."), code="own_account")
    reason = inputs.body(reason, field="reason", maximum=SUSPENSION_REASON_MAX, required=True,
                         label=_l("Reason"))
    if user.suspended_at is not None:
        raise Conflict(_l("This account is already suspended."), code="already_suspended")
    user.suspended_at = utcnow()
    user.suspended_reason = reason
    user.suspended_by_id = by.id
    ended = end_everything(user)
    account_event.send(user, event="suspended", actor=by, data={"reason": reason, **ended})
    return ended


def reinstate_user(user: User, *, by: User) -> bool:
    """Lift a suspension; return whether the account was suspended. The person signs in again themselves."""
    if user.suspended_at is None:
        return False
    reason = user.suspended_reason
    user.suspended_at = None
    user.suspended_reason = None
    user.suspended_by_id = None
    account_event.send(user, event="reinstated", actor=by, data={"suspended_for": reason})
    return True


def count_users() -> int:
    """Return how many accounts exist."""
    return db.session.scalar(select(func.count()).select_from(User)) or 0
