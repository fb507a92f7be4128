"""`Idempotency-Key` on the API's POSTs that create something (ideas, comments): a client that did not get the
answer (a lost connection, a 502 or 503 from the proxy) sends the same request with the same key again, and gets
the first answer instead of a second idea. See docs/api.md, "Sending a request again".

The key is stored with the request's fingerprint in the same transaction as what the request creates, before it
commits, so that of two requests with one key only one can create anything; the other waits for it (the key is
unique per user) and then gets its answer, or 409 while it is still being handled. The view commits with
`commit(answer)`, which stores its answer on the key in that same commit: a process that dies just after it (the
OOM killer, a SIGKILL) leaves the answer for the retry, not a key "still being handled" for a day
(docs/faults.md).
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from functools import wraps
from typing import Any, ParamSpec

from flask import Response, current_app, g, request
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from samen.api.models import IdempotencyKey
from samen.core import inputs
from samen.core.database import db, utcnow
from samen.core.errors import problem
from samen.privacy.registry import register

P = ParamSpec("P")
HEADER = "Idempotency-Key"
KEY_MAX = 100  # characters


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.path.encode(), request.get_data(cache=True)):
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()


def _stored(user_id: int, key: str) -> IdempotencyKey | None:
    return db.session.scalar(select(IdempotencyKey).where(IdempotencyKey.user_id == user_id,
                                                          IdempotencyKey.key == key))


def _answer(stored: IdempotencyKey, fingerprint: str) -> Response:
    """The stored answer of the first request, or why there is none."""
    if stored.fingerprint != fingerprint:
        return problem(422, detail=_("This Idempotency-Key was used for another request. Use a new key for a "
                                     "new request."), code="idempotency_key_reused")
    if stored.status is None:
        return problem(409, detail=_("The first request with this Idempotency-Key is still being handled. Try "
                                     "again in a moment."), code="idempotency_key_in_use",
                       headers={"Retry-After": "1"})
    answer = Response(stored.body, status=stored.status, mimetype="application/json")
    if stored.location:
        answer.headers["Location"] = stored.location
    answer.headers["Idempotent-Replayed"] = "true"
    return answer


def idempotent(view: Callable[P, Response]) -> Callable[P, Response]:
    """Answer a request sent again with the same Idempotency-Key with the first answer (put it below
    token_required: the keys are the caller's). Without the header the view runs as always."""
    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> Response:
        raw = request.headers.get(HEADER)
        if raw is None:
            return view(*args, **kwargs)
        key = inputs.line(raw, field=HEADER, maximum=KEY_MAX, required=True)
        user_id = g.api_user.id
        fingerprint = _fingerprint()
        # Keys older than their lifetime are forgotten: the same key may then be used again.
        db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.user_id == user_id,
                                                        _expired(utcnow(), current_app.config)))
        stored = _stored(user_id, key)
        if stored is not None:
            return _answer(stored, fingerprint)
        entry = IdempotencyKey(user_id=user_id, key=key, fingerprint=fingerprint)
        db.session.add(entry)
        try:
            db.session.flush()  # waits here for another request with this key, until it commits or gives up
        except IntegrityError:
            db.session.rollback()
            return _answer(_stored(user_id, key), fingerprint)  # type: ignore[arg-type]
        g.idempotency_entry = entry
        try:
            response = view(*args, **kwargs)  # commits the key and its answer with what it creates: commit()
        except BaseException:  # refused (an abort, a domain error): nothing was created, the key is free again
            db.session.rollback()
            raise
        finally:
            g.pop("idempotency_entry", None)
        if entry.status is None:  # a view that did not commit with commit(): store the answer now
            if 200 <= response.status_code < 300:
                _keep(entry, response)
            else:  # nothing was created: the key is free for the next try
                db.session.delete(entry)
            db.session.commit()
        return response
    return wrapped


def _keep(entry: IdempotencyKey, response: Response) -> None:
    entry.status = response.status_code
    entry.body = response.get_data(as_text=True)
    entry.location = response.headers.get("Location")


def commit(response: Response) -> Response:
    """Commit what the view created, with its answer stored on the request's Idempotency-Key (when it has one)
    in the same commit; return the answer."""
    entry = g.get("idempotency_entry")
    if entry is not None and 200 <= response.status_code < 300:
        _keep(entry, response)
    db.session.commit()
    return response


def _expired(now: datetime, settings: Mapping[str, Any]) -> Any:
    return IdempotencyKey.created_at < now - timedelta(hours=int(settings.get("IDEMPOTENCY_KEY_HOURS", 24)))


def retain_keys(*, now: datetime, settings: Mapping[str, Any], dry_run: bool) -> dict[str, int]:
    """Remove stored answers older than IDEMPOTENCY_KEY_HOURS: they hold what people wrote."""
    if dry_run:
        count = db.session.scalar(select(func.count()).select_from(IdempotencyKey).where(_expired(now, settings)))
        return {"stored API answers (Idempotency-Key)": count or 0}
    return {"stored API answers (Idempotency-Key)":
            db.session.execute(delete(IdempotencyKey).where(_expired(now, settings))).rowcount}


def erase_keys(user: Any, *, keep_contributions: bool) -> dict[str, int]:
    """Remove a deleted account's stored answers (copies of what it posted, kept for a day at most)."""
    return {"stored API answers deleted": db.session.execute(
        delete(IdempotencyKey).where(IdempotencyKey.user_id == user.id)).rowcount}


register("api-idempotency", erase=erase_keys, retain=retain_keys)


def describe() -> dict[str, Any]:
    """The header's OpenAPI parameter."""
    return {"name": HEADER, "in": "header", "required": False,
            "description": "Send the request again with the same key to get the first answer instead of doing it "
                           "twice (24 h).", "schema": {"type": "string", "maxLength": KEY_MAX}}


__all__ = ["HEADER", "commit", "describe", "idempotent"]
