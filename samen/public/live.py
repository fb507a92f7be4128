"""Live public pages: after public data changed and was committed, tell the open pages over Socket.IO.

Who sends what: only the server. A browser connects to the read-only namespace /public and names, in its
handshake (`auth: {rooms: [...]}`), the rooms it listens to: 'progress' (every public change), 'action:<id>'
and 'indicator:<id>'. Nothing a client sends is acted on: every event from a client is refused.

What is broadcast: after a commit that stored a new, changed or deleted action item, milestone, progress
update, indicator or measurement, the event 'progress' with {"kind", "id"} and, where it applies,
"action_id" or "indicator_id", to 'progress' and to the rooms of that action or indicator. Internal action
items and their updates are never announced. A page reloads what it shows; the event carries no content.

The actions layer knows nothing of this: SQLAlchemy's session events collect the changes in after_flush and
emit them in after_commit — only once the data is stored; a rollback (of the transaction or of the savepoint
the change was flushed in) drops them.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, has_app_context
from flask_socketio import Namespace, join_room
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, SessionTransaction

from samen.actions.models import ActionItem, Indicator, Measurement, Milestone, ProgressUpdate
from samen.core.database import db
from samen.extensions import socketio_for

NAMESPACE = "/public"
EVENT = "progress"
ROOM = re.compile(r"^(?:progress|action:[1-9][0-9]{0,11}|indicator:[1-9][0-9]{0,11})$")
MAX_ROOMS = 50
MAX_EVENTS = 20  # a bulk change (an import of measurements) becomes one event, not a storm of reloads
_PENDING = "samen.public.changes"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Change:
    """A stored change that public pages show."""

    kind: str  # action | milestone | update | indicator | measurement
    id: int
    action_id: int | None = None
    indicator_id: int | None = None

    @property
    def rooms(self) -> list[str]:
        rooms = ["progress"]
        if self.action_id is not None:
            rooms.append(f"action:{self.action_id}")
        if self.indicator_id is not None:
            rooms.append(f"indicator:{self.indicator_id}")
        return rooms

    def payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "id": self.id}
        if self.action_id is not None:
            data["action_id"] = self.action_id
        if self.indicator_id is not None:
            data["indicator_id"] = self.indicator_id
        return data


# --- collecting changes -------------------------------------------------------------------------------------

def _is_public(session: Session, action_id: int | None) -> bool:
    if action_id is None:
        return False
    with session.no_autoflush:
        action = session.get(ActionItem, action_id)  # nearly always in the identity map already
    return action is not None and bool(action.public)


def _change_of(session: Session, obj: Any) -> Change | None:
    if isinstance(obj, ActionItem):
        was_public = any(inspect(obj).attrs.public.history.deleted or ())
        if obj.public or was_public:  # becoming internal must leave the public pages too
            return Change("action", obj.id, action_id=obj.id)
    elif isinstance(obj, ProgressUpdate | Milestone):
        if _is_public(session, obj.action_id):
            return Change("update" if isinstance(obj, ProgressUpdate) else "milestone", obj.id,
                          action_id=obj.action_id)
    elif isinstance(obj, Measurement):
        return Change("measurement", obj.id, indicator_id=obj.indicator_id)
    elif isinstance(obj, Indicator):
        return Change("indicator", obj.id, indicator_id=obj.id)
    return None


def _after_flush(session: Session, _context: Any) -> None:
    dirty = [obj for obj in session.dirty if session.is_modified(obj)]
    changes = [change for obj in (*session.new, *dirty, *session.deleted)
               if (change := _change_of(session, obj)) is not None]
    if changes:
        transaction = session.get_nested_transaction() or session.get_transaction()
        session.info.setdefault(_PENDING, []).extend((transaction, change) for change in changes)


def _within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


def _after_soft_rollback(session: Session, previous: SessionTransaction) -> None:
    pending = session.info.get(_PENDING)
    if not pending:
        return
    if previous.nested:  # a savepoint: only what was flushed inside it is undone
        session.info[_PENDING] = [(tx, change) for tx, change in pending if not _within(tx, previous)]
    else:
        session.info.pop(_PENDING, None)


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outer transaction is over: committed changes were sent already
        session.info.pop(_PENDING, None)


def _after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        announce([change for _tx, change in pending])


def announce(changes: list[Change]) -> None:
    """Emit one 'progress' event per stored change (one for all of them in a bulk change)."""
    if not changes or not has_app_context() or "public" not in current_app.blueprints:
        return
    unique = list(dict.fromkeys(changes))
    try:
        if len(unique) > MAX_EVENTS:
            rooms = sorted({room for change in unique for room in change.rooms})
            socketio_for().emit(EVENT, {"kind": "many", "id": None, "count": len(unique)}, namespace=NAMESPACE,
                          to=rooms)
            return
        for change in unique:
            socketio_for().emit(EVENT, change.payload(), namespace=NAMESPACE, to=change.rooms)
    except Exception:  # a page that does not refresh is no reason to fail the request that changed data
        log.exception("Could not announce %d public changes", len(unique))


def _listen() -> None:
    factory = db.session.session_factory
    listeners = (("after_flush", _after_flush), ("after_soft_rollback", _after_soft_rollback),
                 ("after_transaction_end", _after_transaction_end), ("after_commit", _after_commit))
    for name, listener in listeners:
        if not event.contains(factory, name, listener):
            event.listen(factory, name, listener)


# --- the read-only namespace --------------------------------------------------------------------------------

def requested_rooms(auth: Any) -> list[str]:
    """Return the valid rooms a client asked for in its handshake; 'progress' when it named none."""
    asked = auth.get("rooms") if isinstance(auth, dict) else None
    if not isinstance(asked, list):
        return ["progress"]
    rooms = [room for room in asked[:MAX_ROOMS] if isinstance(room, str) and ROOM.match(room)]
    return list(dict.fromkeys(rooms)) or ["progress"]


class PublicNamespace(Namespace):
    """/public: anyone may listen; nobody may say anything."""

    def on_connect(self, auth: Any = None) -> None:
        """Let anyone in (public data), into the rooms asked for."""
        for room in requested_rooms(auth):
            join_room(room)

    def on_disconnect(self, reason: Any = None) -> None:
        """Nothing to clean up: the server forgets the client's rooms itself."""

    def trigger_event(self, event: str, *args: Any) -> Any:
        """Refuse every event a client sends; its acknowledgement, if it asked for one, says why."""
        if event == "disconnect" or (event == "connect" and self._is_handshake(args)):
            return super().trigger_event(event, *args)
        return {"error": "read_only"}

    def _is_handshake(self, args: tuple[Any, ...]) -> bool:
        # The server's own connect call passes the connection's WSGI environ; an event a client names
        # 'connect' carries only what the client sent.
        return (len(args) >= 2 and self.socketio is not None
                and args[1] is self.socketio.server.get_environ(args[0], namespace=self.namespace))


def init_app(app: Flask) -> None:
    """Listen to the session's events (once per process) and serve /public on this app's Socket.IO server."""
    _listen()
    socketio_for(app).on_namespace(PublicNamespace(NAMESPACE))
