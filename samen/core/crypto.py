"""Encryption at rest of confidential text: a keyring per team, and a column type per keyring.

A keyring holds Fernet keys (AES-128-CBC with HMAC-SHA256) from one setting, comma-separated, newest first, in a
MultiFernet: the newest encrypts, every one of them decrypts, so a new key is put in front, the team's
`rotate-key` command re-encrypts every value with it, and then the old one is dropped. The keys live in the app
(app.extensions), never in the database, so a dump or a backup without them holds no readable text. Each team has
a keyring of its own — the help desk (samen/helpdesk/crypto.py), the stories (samen/stories/crypto.py) — so that
one team's key opens nothing of the other's.
"""
from __future__ import annotations

import base64
import hashlib
import logging
from typing import Any, ClassVar

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, current_app
from sqlalchemy import Table, Text, literal, select, update
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

log = logging.getLogger(__name__)
UNREADABLE = "\u2063[unreadable]"  # what a value encrypted with a key that is no longer configured reads as


class Keyring:
    """The keys of one team: read from `setting`, kept in app.extensions, used through the current app."""

    def __init__(self, name: str, setting: str, command: str, what: str) -> None:
        self.setting, self.command, self.what = setting, command, what
        self.extension = f"samen_{name}_crypto"
        self._salt = f"samen-{name}-development-key:".encode()

    def parse_keys(self, text: str) -> list[Fernet]:
        """Return the Fernet keys of a setting's value (comma-separated, newest first), or refuse it."""
        keys = []
        for part in (piece.strip() for piece in text.split(",")):
            if not part:
                continue
            try:
                keys.append(Fernet(part.encode()))
            except ValueError:
                raise RuntimeError(f"{self.setting} holds a value that is no Fernet key (32 url-safe base64 "
                                   f"bytes); make one with `{self.command}`.") from None
        return keys

    def derived_key(self, secret: str) -> Fernet:
        """Return a key derived from a secret: for development and tests only (stable across restarts)."""
        return Fernet(base64.urlsafe_b64encode(hashlib.sha256(self._salt + secret.encode()).digest()))

    def use_keys(self, app: Flask, keys: list[Fernet]) -> None:
        """Encrypt with the first key from now on, decrypt with any of them."""
        app.extensions[self.extension] = MultiFernet(keys)

    def cipher(self) -> MultiFernet:
        """Return the current app's keys."""
        return current_app.extensions[self.extension]

    def encrypt(self, value: str) -> str:
        return self.cipher().encrypt(value.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self.cipher().decrypt(token.encode("ascii")).decode("utf-8")
        except (InvalidToken, UnicodeEncodeError):
            # A key was dropped before its rows were rotated: say so, rather than fail every page that lists them.
            log.error("A %s cannot be decrypted with the configured keys (rotate before dropping one).", self.what)
            return UNREADABLE

    def rotate(self, token: str) -> str:
        """Return the token re-encrypted with the newest key (MultiFernet.rotate)."""
        return self.cipher().rotate(token.encode("ascii")).decode("ascii")


class EncryptedColumn(TypeDecorator[str]):
    """Text stored encrypted with a keyring (set by each team's subclass); Python sees the plain text."""

    impl = Text
    cache_ok = True
    keyring: ClassVar[Keyring]

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else self.keyring.encrypt(str(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else self.keyring.decrypt(value)


def encrypted_columns(table: Table, column_type: type[EncryptedColumn] = EncryptedColumn) -> list[str]:
    """Return the names of the table's columns encrypted with `column_type` (a team's, or any)."""
    return [column.name for column in table.columns if isinstance(column.type, column_type)]


def rotate_table(session: Session, table: Table, column_type: type[EncryptedColumn], *, batch: int = 500) -> int:
    """Re-encrypt every value of the table's `column_type` columns with the newest key of their keyring; return
    how many values changed. The stored tokens are read and written as they are (not through the column type),
    so nothing is decrypted into the session and a value no configured key opens is left as it is (and reported
    when read)."""
    names = encrypted_columns(table, column_type)
    if not names:
        return 0
    keyring = column_type.keyring
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
                    values[name] = keyring.rotate(token)
                except InvalidToken:
                    log.error("%s %s: a value no configured key opens was left as it is.", table.name, row[0])
            if values:
                session.execute(update(table).where(key == row[0]).values(
                    {table.c[name]: literal(value, Text) for name, value in values.items()}))
                changed += len(values)
        last = rows[-1][0]
