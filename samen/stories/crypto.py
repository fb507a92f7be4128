"""Encryption at rest of what a story says: one column type, keys from STORIES_ENCRYPTION_KEY.

The same scheme as the help desk's (samen/helpdesk/crypto.py, docs/helpdesk.md): Fernet keys, comma-separated,
newest first, in a MultiFernet; a key of its own, so that the intake team's key opens no story and the other way
round. Without a key, development and the tests derive one from SECRET_KEY (with a warning); production
derives one from HELP_ENCRYPTION_KEY (or SECRET_KEY) and logs an error asking for a key of their own.
"""
from __future__ import annotations

import base64
import hashlib
import logging
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, current_app
from sqlalchemy import Table, Text, literal, select, update
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

log = logging.getLogger(__name__)
EXTENSION = "samen_stories_crypto"
UNREADABLE = "\u2063[unreadable]"


def parse_keys(text: str) -> list[Fernet]:
    """Return the Fernet keys of a STORIES_ENCRYPTION_KEY value (comma-separated, newest first), or refuse it."""
    keys = []
    for part in (piece.strip() for piece in text.split(",")):
        if not part:
            continue
        try:
            keys.append(Fernet(part.encode()))
        except ValueError:
            raise RuntimeError("STORIES_ENCRYPTION_KEY holds a value that is no Fernet key (32 url-safe base64 "
                               "bytes); make one with `flask stories new-key`.") from None
    return keys


def derived_key(secret: str) -> Fernet:
    """Return a key derived from SECRET_KEY: for development and tests only."""
    digest = hashlib.sha256(b"samen-stories-development-key:" + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


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


def use_keys(app: Flask, keys: list[Fernet]) -> None:
    """Encrypt with the first key from now on, decrypt with any of them."""
    app.extensions[EXTENSION] = MultiFernet(keys)


def cipher() -> MultiFernet:
    return current_app.extensions[EXTENSION]


def encrypt(value: str) -> str:
    return cipher().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return cipher().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError):
        log.error("A story value cannot be decrypted with the configured keys (rotate before dropping one).")
        return UNREADABLE


class StoryText(TypeDecorator[str]):
    """Text stored encrypted with the stories' keys; Python sees the plain text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else encrypt(str(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else decrypt(value)


def rotate_table(session: Session, table: Table, *, batch: int = 500) -> int:
    """Re-encrypt every encrypted value of the table with the newest key; return how many values changed."""
    names = [column.name for column in table.columns if isinstance(column.type, StoryText)]
    if not names:
        return 0
    key = table.primary_key.columns.values()[0]
    raw = [table.c[name].cast(Text) for name in names]
    changed, last = 0, None
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
                    values[name] = cipher().rotate(token.encode("ascii")).decode("ascii")
                except InvalidToken:
                    log.error("%s %s: a value no configured key opens was left as it is.", table.name, row[0])
            if values:
                session.execute(update(table).where(key == row[0]).values(
                    {table.c[name]: literal(value, Text) for name, value in values.items()}))
                changed += len(values)
        last = rows[-1][0]
