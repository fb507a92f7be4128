"""Encryption at rest of what a help request says: one column type, keys from HELP_ENCRYPTION_KEY.

The keys are Fernet keys (AES-128-CBC with HMAC-SHA256), comma-separated, newest first: the newest encrypts,
every one of them decrypts, so a new key is put in front, `flask helpdesk rotate-key` re-encrypts every row with
it, and then the old one is dropped (docs/helpdesk.md). The keys live in the app (app.extensions), never in the
database, so a dump or a backup without them holds no readable request.
"""
from __future__ import annotations

import base64
import hashlib
import logging
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, current_app
from sqlalchemy import Table, Text, literal, select, update
from sqlalchemy.orm import Session
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

log = logging.getLogger(__name__)
EXTENSION = "samen_helpdesk_crypto"
UNREADABLE = "\u2063[unreadable]"  # what a value encrypted with a key that is no longer configured reads as


class KeyMissing(RuntimeError):
    """Help requests are enabled in production without an encryption key."""


def parse_keys(text: str) -> list[Fernet]:
    """Return the Fernet keys of a HELP_ENCRYPTION_KEY value (comma-separated, newest first), or refuse it."""
    keys = []
    for part in (piece.strip() for piece in text.split(",")):
        if not part:
            continue
        try:
            keys.append(Fernet(part.encode()))
        except ValueError:
            raise RuntimeError("HELP_ENCRYPTION_KEY holds a value that is no Fernet key (32 url-safe base64 "
                               "bytes); make one with `flask helpdesk new-key`.") from None
    return keys


def derived_key(secret: str) -> Fernet:
    """Return a key derived from SECRET_KEY: for development and tests only (stable across restarts)."""
    digest = hashlib.sha256(b"samen-helpdesk-development-key:" + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def init_app(app: Flask) -> None:
    """Load the keys; refuse to start in production with requests enabled and no key."""
    keys = parse_keys(app.config.get("HELP_ENCRYPTION_KEY") or "")
    if not keys:
        if app.config.get("PRODUCTION") and app.config.get("HELP_REQUESTS_ENABLED"):
            raise KeyMissing("HELP_ENCRYPTION_KEY must be set in production while HELP_REQUESTS_ENABLED is on "
                             "(see docs/helpdesk.md; make a key with `flask helpdesk new-key`).")
        if not app.config.get("TESTING"):
            log.warning("HELP_ENCRYPTION_KEY is not set: help requests are encrypted with a key derived from "
                        "SECRET_KEY. Fine for development, never for production.")
        keys = [derived_key(app.config["SECRET_KEY"])]
    use_keys(app, keys)


def use_keys(app: Flask, keys: list[Fernet]) -> None:
    """Encrypt with the first key from now on, decrypt with any of them."""
    app.extensions[EXTENSION] = MultiFernet(keys)


def cipher() -> MultiFernet:
    """Return the current app's keys."""
    return current_app.extensions[EXTENSION]


def encrypt(value: str) -> str:
    return cipher().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError):
        # A key was dropped before its rows were rotated: say so, rather than fail every page that lists them.
        log.error("A help-desk value cannot be decrypted with the configured keys (rotate before dropping one).")
        return UNREADABLE


def rotate(token: str) -> str:
    """Return the token re-encrypted with the newest key (MultiFernet.rotate)."""
    return cipher().rotate(token.encode("ascii")).decode("ascii")


class EncryptedText(TypeDecorator[str]):
    """Text stored encrypted with the help desk's keys; Python sees the plain text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else encrypt(str(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else decrypt(value)


def encrypted_columns(table: Table) -> list[str]:
    """Return the names of the table's encrypted columns."""
    return [column.name for column in table.columns if isinstance(column.type, EncryptedText)]


def rotate_table(session: Session, table: Table, *, batch: int = 500) -> int:
    """Re-encrypt every encrypted value of the table with the newest key; return how many values changed.

    The stored tokens are read and written as they are (not through EncryptedText), so nothing is decrypted
    into the session and a value no configured key opens is left as it is (and reported by `decrypt`).
    """
    names = encrypted_columns(table)
    if not names:
        return 0
    key = table.primary_key.columns.values()[0]
    raw = [table.c[name].cast(Text) for name in names]
    changed = 0
    last = None
    while True:
        stmt = select(key, *raw).order_by(key).limit(batch)
        if last is not None:
            stmt = stmt.where(key > last)
        rows = session.execute(stmt).all()
        if not rows:
            return changed
        for row in rows:
            values = {}
            for name, token in zip(names, row[1:], strict=True):
                if token is None:
                    continue
                try:
                    values[name] = rotate(token)
                except InvalidToken:
                    log.error("%s %s: a value no configured key opens was left as it is.", table.name, row[0])
            if values:
                session.execute(update(table).where(key == row[0]).values(
                    {table.c[name]: literal(value, Text) for name, value in values.items()}))
                changed += len(values)
        last = rows[-1][0]
