"""Encryption at rest of what a help request says: one column type, keys from HELP_ENCRYPTION_KEY.

The keys are Fernet keys (AES-128-CBC with HMAC-SHA256), comma-separated, newest first: the newest encrypts,
every one of them decrypts, so a new key is put in front, `flask helpdesk rotate-key` re-encrypts every row with
it, and then the old one is dropped (docs/helpdesk.md). The keys live in the app (app.extensions), never in the
database, so a dump or a backup without them holds no readable request.
"""
from __future__ import annotations

import logging

from flask import Flask

from samen.core.crypto import UNREADABLE, EncryptedColumn, Keyring
from samen.core.crypto import encrypted_columns as _columns_of
from samen.core.crypto import rotate_table as _rotate_table
from sqlalchemy import Table
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
HELP = Keyring("helpdesk", "HELP_ENCRYPTION_KEY", "flask helpdesk new-key", "help-desk value")
EXTENSION = HELP.extension
parse_keys, derived_key, use_keys, cipher = HELP.parse_keys, HELP.derived_key, HELP.use_keys, HELP.cipher
encrypt, decrypt, rotate = HELP.encrypt, HELP.decrypt, HELP.rotate


class KeyMissing(RuntimeError):
    """Help requests are enabled in production without an encryption key."""


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


class EncryptedText(EncryptedColumn):
    """Text stored encrypted with the help desk's keys; Python sees the plain text."""

    keyring = HELP
    cache_ok = True


def encrypted_columns(table: Table) -> list[str]:
    """Return the names of the table's columns encrypted with the help desk's keys."""
    return _columns_of(table, EncryptedText)


def rotate_table(session: Session, table: Table, *, batch: int = 500) -> int:
    """Re-encrypt the table's help-desk values with the newest key; return how many changed."""
    return _rotate_table(session, table, EncryptedText, batch=batch)


__all__ = ["EXTENSION", "UNREADABLE", "EncryptedText", "KeyMissing", "cipher", "decrypt", "derived_key", "encrypt",
           "encrypted_columns", "init_app", "parse_keys", "rotate", "rotate_table", "use_keys"]
