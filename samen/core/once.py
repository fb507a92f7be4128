"""A form that creates something (an idea, a comment, a progress update, a measurement, an action, a milestone)
is done once, however often the browser sends it.

A page on a flaky hall Wi-Fi posts an idea; the answer is lost (a 502 or 504 from the proxy, a timeout), and the
person presses "Post" again or the browser resends the form. Each such form carries a token of its own, chosen when
the page is made (`{{ once_field() }}`, a hidden `submission` field). The first time it arrives, the token is stored
with what the form creates, in the same transaction, as the API stores an `Idempotency-Key`
(samen/api/idempotency.py, the same table); the same form again, with the same fields, gets the first answer — a
redirect to what was created, with a note that it was already sent — and creates nothing. The same token with
other contents (a page restored by the back button and filled in anew) is a new submission and runs as one.

The answer (where the redirect leads) is stored once the view has committed; a process killed between the two (the
OOM killer) leaves a token whose work is stored but whose answer is not. While a request may still be running
(ONCE_HANDLING_SECONDS) a copy is told to wait; after that it is told the form was saved once and is sent back to
the page the form was on, kept with the token when it arrived.
"""
from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, ParamSpec

from urllib.parse import urlsplit

from flask import abort, current_app, flash, make_response, redirect, request
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import delete, inspect, select
from sqlalchemy.exc import IntegrityError

from samen.api.models import IdempotencyKey
from samen.core.database import db, utcnow
from samen.core.security import is_safe_next

P = ParamSpec("P")
FIELD = "submission"
PREFIX = "form:"  # the form tokens' keys, beside the API's own in idempotency_keys
_TOKEN = re.compile(r"[0-9a-f]{32}")
_NOT_CONTENT = {"csrf_token", FIELD}


def once_field() -> Markup:
    """The hidden field with a new token, for a form whose view is wrapped in `once`."""
    return Markup(f'<input type="hidden" name="{FIELD}" value="{uuid.uuid4().hex}">')


def _fingerprint() -> str:
    """The form's path and contents (not its CSRF token, which a restored page may have anew)."""
    digest = hashlib.sha256()
    digest.update(request.path.encode())
    for name in sorted(set(request.form) - _NOT_CONTENT):
        for value in request.form.getlist(name):
            digest.update(b"\0" + name.encode() + b"=" + value.encode())
    return digest.hexdigest()


def _stored(user_id: int, key: str) -> IdempotencyKey | None:
    return db.session.scalar(select(IdempotencyKey).where(IdempotencyKey.user_id == user_id,
                                                          IdempotencyKey.key == key))


def _back() -> str:
    """The page the form was on (a local one), to return to when the first answer was lost with its process."""
    page, site = urlsplit(request.referrer or ""), urlsplit(current_app.config["BASE_URL"])
    target = page.path + (f"?{page.query}" if page.query else "")
    return target if page.netloc == site.netloc and is_safe_next(target) else "/"


def _replay(stored: IdempotencyKey) -> Any:
    if stored.status is None:  # what it made is stored (it commits with the token), its answer is not (yet)
        handling = timedelta(seconds=int(current_app.config.get("ONCE_HANDLING_SECONDS", 60)))
        if stored.created_at > utcnow() - handling:
            abort(409, description=_("This form is still being handled. Wait a moment and reload the page."))
        # Its process ended before it answered: back to the form's page, kept with the token.
        flash(_("This was already sent: it was saved once."), "info")
    else:
        flash(_("This was already sent: it was saved once, here it is."), "info")
    return redirect(stored.location or "/", 303)


def once(view: Callable[P, Any]) -> Callable[P, Any]:
    """Do a creating form once per token (put it below the sign-in and rate-limit decorators). Without a token
    (an older page, a client of its own) the view runs as always."""
    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> Any:
        token = request.form.get(FIELD, "") if request.method == "POST" else ""
        if not _TOKEN.fullmatch(token) or not current_user.is_authenticated or "preview" in request.form:
            return view(*args, **kwargs)
        user_id, key, fingerprint = current_user.id, PREFIX + token, _fingerprint()
        hours = int(current_app.config.get("IDEMPOTENCY_KEY_HOURS", 24))
        db.session.execute(delete(IdempotencyKey).where(
            IdempotencyKey.user_id == user_id, IdempotencyKey.key == key,
            IdempotencyKey.created_at < utcnow() - timedelta(hours=hours)))
        stored = _stored(user_id, key)
        if stored is not None:
            return _replay(stored) if stored.fingerprint == fingerprint else view(*args, **kwargs)
        entry = IdempotencyKey(user_id=user_id, key=key, fingerprint=fingerprint, location=_back()[:300])
        db.session.add(entry)
        try:
            db.session.flush()  # a second copy arriving now waits here until the first commits
        except IntegrityError:
            db.session.rollback()
            stored = _stored(user_id, key)
            if stored is not None and stored.fingerprint == fingerprint:
                return _replay(stored)
            return view(*args, **kwargs)
        try:
            response = make_response(view(*args, **kwargs))  # what it creates commits with the token
        except BaseException:
            db.session.rollback()
            raise
        kept = inspect(entry).persistent  # a refusal rolled back, and took the token with it
        if kept and 300 <= response.status_code < 400 and response.location:
            entry.status, entry.location = response.status_code, response.location[:300]
        elif kept:  # the form came back with its mistakes: nothing was made, the token is free
            db.session.delete(entry)
        db.session.commit()
        return response
    return wrapped


__all__ = ["FIELD", "once", "once_field"]
