"""Encryption at rest of what a story says: one column type, keys from STORIES_ENCRYPTION_KEY.

The same scheme as the help desk's (samen/helpdesk/crypto.py, docs/helpdesk.md): Fernet keys, comma-separated,
newest first, in a MultiFernet; a key of its own, so that the intake team's key opens no story and the other way
round. Without a key, development and the tests derive one from SECRET_KEY (with a warning); production
derives one from HELP_ENCRYPTION_KEY (or SECRET_KEY) and logs an error asking for a key of their own.
"""
from __future__ import annotations

import logging

from flask import Flask
from sqlalchemy import Table
from sqlalchemy.orm import Session

from samen.core.crypto import UNREADABLE, EncryptedColumn, Keyring
from samen.core.crypto import rotate_table as _rotate_table

log = logging.getLogger(__name__)
STORIES = Keyring("stories", "STORIES_ENCRYPTION_KEY", "flask stories new-key", "story value")
EXTENSION = STORIES.extension
parse_keys, derived_key, use_keys, cipher = (STORIES.parse_keys, STORIES.derived_key, STORIES.use_keys,
                                             STORIES.cipher)
encrypt, decrypt = STORIES.encrypt, STORIES.decrypt


def init_app(app: Flask) -> None:
    """Load the keys. Without STORIES_ENCRYPTION_KEY, production derives a key of the stories' own from the help
    desk's key (an error in the log asks for one of their own), or, without that too, from SECRET_KEY; either
    way the key lives in the environment, never in the database. Development and the tests derive it from
    SECRET_KEY with a warning."""
    keys = parse_keys(app.config.get("STORIES_ENCRYPTION_KEY") or "")
    if not keys:
        help_key = (app.config.get("HELP_ENCRYPTION_KEY") or "").split(",")[0].strip()
        if app.config.get("PRODUCTION"):
            log.error("STORIES_ENCRYPTION_KEY is not set: stories are encrypted with a key derived from %s. Set a "
                      "key of their own (`flask stories new-key`, docs/stories.md).",
                      "HELP_ENCRYPTION_KEY" if help_key else "SECRET_KEY")
        elif not app.config.get("TESTING"):
            log.warning("STORIES_ENCRYPTION_KEY is not set: stories are encrypted with a key derived from "
                        "SECRET_KEY. Fine for development, never for production.")
        secret = f"help:{help_key}" if app.config.get("PRODUCTION") and help_key else app.config["SECRET_KEY"]
        keys = [derived_key(secret)]
    use_keys(app, keys)


class StoryText(EncryptedColumn):
    """Text stored encrypted with the stories' keys; Python sees the plain text."""

    keyring = STORIES
    cache_ok = True


def rotate_table(session: Session, table: Table, *, batch: int = 500) -> int:
    """Re-encrypt the table's story values with the newest key; return how many changed."""
    return _rotate_table(session, table, StoryText, batch=batch)


__all__ = ["EXTENSION", "UNREADABLE", "StoryText", "cipher", "decrypt", "derived_key", "encrypt", "init_app",
           "parse_keys", "rotate_table", "use_keys"]
