"""Unsubscribe links: signed with SECRET_KEY, so every mail can carry one without storing a secret per mail."""
from __future__ import annotations

from email.message import EmailMessage

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

_SALT = "samen-unsubscribe"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def unsubscribe_token(kind: str, ident: int) -> str:
    """Return the token of an unsubscribe link: 'user' (an account's notification mails) or 'follower' (an
    e-mail follower, forgotten)."""
    return str(_serializer().dumps([kind, ident]))


def read_unsubscribe_token(token: str) -> tuple[str, int] | None:
    """Return (kind, id) of a valid unsubscribe token, else None."""
    try:
        kind, ident = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    if kind not in ("user", "follower") or not isinstance(ident, int):
        return None
    return kind, ident


def unsubscribe_path(kind: str, ident: int) -> str:
    """Return the site path of the unsubscribe link."""
    return f"/unsubscribe/{unsubscribe_token(kind, ident)}"


def add_unsubscribe(message: EmailMessage, url: str | None) -> EmailMessage:
    """Add the one-click unsubscribe headers (RFC 8058: an https link in production, POSTed to by the mail
    program) to a built message."""
    if url:
        message["List-Unsubscribe"] = f"<{url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message
