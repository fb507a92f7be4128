"""Checking a sign-in for the web form and the API alike: the lockout after failed attempts, and its e-mail.

A known account is locked in the database after LOGIN_LOCKOUT_THRESHOLD failures in a row. So that the lockout
tells nobody whether an address has an account, failures for an unknown address are counted too (in the rate
limiter's storage, for a day) and, at the same count, get the same answer.
"""
from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from samen.accounts import mails
from samen.accounts import operations as ops
from samen.accounts.models import User
from samen.core import ratelimit
from samen.core.database import db

WRONG = _l("This e-mail address and password do not match.")
LOCKED = _l("This account is locked after too many failed sign-in attempts. An e-mail with a link to unlock it "
            "has been sent to its address. You can also choose a new password with “Forgot your password?”.")
SUSPENDED = _l("This account has been suspended by an administrator. You cannot sign in until it is reinstated. "
               "Please contact the municipality if you think this is a mistake.")


class SignInRefused(Exception):
    """The sign-in failed: wrong credentials, a locked account, or (with the right password) a suspended one."""

    def __init__(self, message: Any, *, locked: bool, suspended: bool = False) -> None:
        super().__init__(str(message))
        self.message = message
        self.locked = locked
        self.suspended = suspended
        self.code = ("account_suspended" if suspended else "account_locked" if locked else "invalid_credentials")


def _unknown_address_locked(email: str, threshold: int) -> bool:
    """Count a failure for an address without an account; tell whether it now reads as locked."""
    if threshold <= 1:
        return True
    key = "sign-in-failures:" + hashlib.sha256(ops.normalize_email(email).encode()).hexdigest()
    return not ratelimit.hit(key, f"{threshold - 1} per day", even_when_disabled=True)


def check_sign_in(email: str, password: str) -> User:
    """Return the user whose address and password these are; raise SignInRefused otherwise.

    A failure is committed at once (it must count even though the request fails); the attempt that locks an
    account sends the unlock e-mail, and ends the account's sessions, tokens and live connections. Only the right
    password for a suspended account learns that it is suspended.
    """
    config = current_app.config
    threshold = config["LOGIN_LOCKOUT_THRESHOLD"]
    attempt = ops.attempt_sign_in(email, password, lockout_after=threshold)
    if attempt.user is not None:
        return attempt.user
    if attempt.suspended:
        db.session.commit()  # the failure count set back to zero
        raise SignInRefused(SUSPENDED, locked=False, suspended=True)
    secret = None
    if attempt.just_locked and attempt.account is not None:
        secret = ops.issue_token(attempt.account, "unlock", lifetime=config["UNLOCK_TOKEN_LIFETIME"])
    db.session.commit()
    if secret is not None:
        mails.send_unlock(attempt.account, secret)
    locked = attempt.locked if attempt.account is not None else _unknown_address_locked(email, threshold)
    raise SignInRefused(LOCKED if locked else WRONG, locked=locked)
