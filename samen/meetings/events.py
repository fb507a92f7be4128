"""The live meeting board over Socket.IO: the namespace /live (the protocol is in docs/live-protocol.md).

Who sends what: a client connects (session cookie, or `auth={"token": <API token>}`; anonymous clients may
only observe public meetings), sends `join` {"meeting_id"} and gets the board snapshot in the acknowledgement.
Then chairs send the chair commands and participants `idea:submit`, `ballot:vote`, `hand:raise`/`hand:lower`.
Every event is answered through its acknowledgement with {"ok": true, ...} or {"error": {"code", "message"}}
in the user's language.

What is broadcast: after a command is stored and committed, what changed, to the room `meeting:<id>` (and the
full tallies, hands and names to `meeting:<id>:chairs`). Each handler: authenticate, check the right to this
meeting and this event (samen/meetings/live.py checks it again), validate the payload's size and shape, call
one operation, commit, broadcast.
"""
from __future__ import annotations

import json
import logging
import os
import socket
from typing import Any

from flask import Flask, current_app, g, session
from flask_babel import lazy_gettext as _l
from flask_babel import refresh
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, disconnect, join_room, leave_room
from sqlalchemy.exc import IntegrityError

from samen.accounts import operations as account_ops
from samen.core import inputs
from samen.core.database import db
from samen.core.errors import DomainError, Forbidden
from samen.core.hosts import base_url
from samen.extensions import socketio_for
from samen.meetings import access, guests, live, regions, runner, signouts
from samen.meetings.models import Meeting
from samen.meetings.ratelimit import hit as rate_limit_hit
from samen.meetings.runner import NAMESPACE, announce_presence, chairs_room, error, execute, outsiders_room, room

MAX_PAYLOAD = 48 * 1024  # bytes of JSON (UTF-8) in one event (an idea of 20,000 characters fits); the
# transport drops a connection that sends more than 64 KiB at once
log = logging.getLogger(__name__)


def server_id() -> str:
    """Name this process in live_connections: LIVE_SERVER_ID when set (stable across restarts), else host:pid."""
    configured = current_app.config.get("LIVE_SERVER_ID")
    return str(configured) if configured else f"{socket.gethostname()}:{os.getpid()}"[:64]


# --- who is asking -------------------------------------------------------------------------------------------

class SignedOut(Exception):
    """The session or API token this connection was opened with has ended (or its account is suspended or
    locked): the connection is closed."""


def _user() -> Any:
    """Return the signed-in user of this connection, or None (anonymous). The credential it was opened with is
    checked again on every event: raise SignedOut when it has ended."""
    g.pop("_login_user", None)  # never a user remembered from another event
    token_id = session.get("live_token")
    if token_id is not None:
        user = account_ops.user_for_token_id(token_id)  # None: revoked, expired, suspended or locked
        if user is None:
            raise SignedOut
        g._login_user = user  # the language of the acknowledgement follows the token owner's
    else:
        # Flask-Login reads the session again (samen/accounts/blueprint.py: an ended one signs nobody in).
        user = current_user._get_current_object() if current_user.is_authenticated else None
        if user is None and session.get("live_signed_in") is not None:
            raise SignedOut
    refresh()  # the language is chosen again for this user
    return user


def _guest(meeting_id: int) -> Any:
    """The guest this connection's handshake cookie names for the meeting, as stored now, or None."""
    from flask import request

    return guests.guest_of(meeting_id, request.cookies.get(guests.cookie_name(meeting_id)),
                           current_app.secret_key)


def _language() -> str:
    """The language of this connection's acknowledgements (the user's, else the handshake's ?lang=)."""
    from flask_babel import get_locale
    locale = get_locale()
    return locale.language if locale is not None else "nl"


# Events with a limit of their own per connection, besides LIVE_EVENT_RATE_LIMIT for every event.
EVENT_LIMITS = {"hand:raise": "LIVE_HAND_RATE_LIMIT", "hand:lower": "LIVE_HAND_RATE_LIMIT",
                "ballot:vote": "LIVE_VOTE_RATE_LIMIT"}


def _within_limits(sid: str, event: str) -> bool:
    """Count the event against the connection's limits (in the limiter's storage, shared by the processes)."""
    config = current_app.config
    if not rate_limit_hit(config.get("LIVE_EVENT_RATE_LIMIT", "60 per minute"), "event", sid):
        return False
    setting = EVENT_LIMITS.get(event)
    return setting is None or rate_limit_hit(config.get(setting, "10 per minute"), event, sid)


def _is_handshake() -> bool:
    """Whether this "connect" is the connection's handshake, not an event a client named so: Flask-SocketIO passes
    the handshake's environ as its first argument (request.event)."""
    from flask import request

    args = (getattr(request, "event", None) or {}).get("args") or ()
    return bool(args) and args[0] is request.environ


def _valid_payload(data: Any) -> bool:
    if data is None:
        return True
    if not isinstance(data, dict):
        return False
    try:
        # An unpaired surrogate is counted, not refused here: the field's own check names it (inputs.py).
        size = len(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogatepass"))
        return size <= MAX_PAYLOAD
    except (TypeError, ValueError):
        return False


class LiveNamespace:
    """/live: the meeting board. Every event is authorised here and again in the operation it calls. Its handlers
    are registered with Flask-SocketIO's public `on` (init_app): connect, disconnect and every other event."""

    def on_connect(self, auth: Any = None) -> Any:
        """Authenticate with the session cookie or an API token; anonymous connections may observe only. A
        signed-in connection is recorded with its credential, so that ending it closes the connection."""
        from flask import request

        if not _is_handshake():
            return error("invalid", _l("Unknown event."))  # a client that sends an event named "connect"
        _clean_once()
        g.pop("_login_user", None)  # never a user remembered from another connection
        token = auth.get("token") if isinstance(auth, dict) else None
        session.pop("live_token", None)
        session.pop("live_signed_in", None)
        try:
            if token is not None:
                found = (account_ops.find_api_token(token) if isinstance(token, str) and len(token) <= 200
                         else None)
                if found is None:
                    raise ConnectionRefusedError({"code": "forbidden",
                                                  "message": str(_l("This token is not valid."))})
                api_token, user = found
                session["live_token"] = api_token.id
                signouts.record(request.sid, user, server=server_id(), token_id=api_token.id)
            elif current_user.is_authenticated:
                session["live_signed_in"] = current_user.id
                signouts.record(request.sid, current_user, server=server_id(), session_id=current_user.session_id)
            db.session.commit()
        except IntegrityError:
            # The session or token ended between reading it and recording this connection.
            db.session.rollback()
            raise ConnectionRefusedError({"code": "forbidden", "message": str(_l("This token is not valid."))
                                          if token is not None else str(_l("Please sign in again."))}) from None
        except ConnectionRefusedError:
            db.session.rollback()
            raise

    def on_disconnect(self, reason: Any = None) -> Any:
        """Forget the connection and tell the meeting how many are left."""
        from flask import request

        if socketio_for().server.manager.is_connected(request.sid, NAMESPACE):
            return error("invalid", _l("Unknown event."))  # still connected: a client's event named "disconnect"
        try:
            signouts.forget(request.sid)
            # A deleted account's connection rows are gone already: the meeting is the one it joined last.
            meeting_id = live.disconnect(request.sid) or session.get("live_meeting")
            db.session.commit()
            if meeting_id is not None:
                announce_presence(meeting_id)
        except Exception:
            db.session.rollback()
            log.exception("Could not forget live connection %s", request.sid)

    def on_event(self, event: Any, *data: Any) -> dict[str, Any]:
        """Answer every other client event through its acknowledgement; an unknown, malformed or refused event
        changes nothing and disturbs no one else."""
        try:
            return self._dispatch(str(event), data)
        except Exception:
            db.session.rollback()
            log.exception("Live event %s failed", str(event)[:40])
            return error("conflict", _l("Something went wrong on our side. Please try again."))

    def _dispatch(self, event: str, args: tuple[Any, ...]) -> dict[str, Any]:
        from flask import request

        sid, data = request.sid, (args[0] if args else None)
        try:
            user = _user()
        except SignedOut:
            db.session.rollback()
            disconnect()
            return error("forbidden", _l("You have been signed out. Sign in again to take part."))
        if not _within_limits(sid, event):
            return error("rate_limited", _l("Too many messages from this connection. Please wait a moment."))
        if len(args) > 1 or not _valid_payload(data):
            return error("invalid", _l("This message is too large or not in the expected form."))
        if event == "join":
            return self._join(sid, user, data)
        if event == "leave":
            return self._leave(sid)
        if event not in live.COMMANDS:
            return error("invalid", _l("Unknown event."))
        # The meeting this connection joined last (as its live_connections row says; kept with the connection's
        # Socket.IO session, which only join and leave on this connection change).
        meeting_id = session.get("live_meeting")
        if user is None and meeting_id is not None:
            user = _guest(meeting_id)
        if user is None:
            return error("forbidden", _l("Please sign in to take part."))
        if meeting_id is None:
            return error("invalid", _l("Join a meeting first."))
        answer = execute(meeting_id, user, event, data)
        if event == live.VOTE and answer.get("ok") and session.get("live_view") == "live":
            # The voter's page gets its own vote button and line back, rendered as the page has them.
            answer["regions"] = regions.after_vote(data["ballot_id"], answer["vote"])
        return answer

    def _join(self, sid: str, user: Any, data: Any) -> dict[str, Any]:
        try:
            values = live.fields_of(data, ("meeting_id", "version", "seq", "view"))
            meeting_id = inputs.ident(values["meeting_id"], field="meeting_id")
            if values["view"] is not None and values["view"] not in regions.VIEWS:
                raise DomainError(_l("Unknown field: %(name)s.", name="view"), field="view")
        except DomainError as problem:
            return runner.domain_error(problem)
        meeting = db.session.get(Meeting, meeting_id)
        if meeting is None:
            return error("not_found", _l("This meeting does not exist."))
        if user is None:
            user = _guest(meeting.id)  # a guest of this meeting (its cookie), or anonymous
        # Under the meeting's lock no command of this process slips between the snapshot and joining the room.
        with runner.in_turn(meeting.id):
            try:
                db.session.refresh(meeting)  # as the commands before this one left it
                role, left = live.connect(meeting, user, sid=sid, server=server_id())
                snapshot = live.board_snapshot(meeting, user, role=role, base_url=base_url())
                audience = (regions.audience_of(values["view"], role, live.reads_ideas(meeting, user), _language())
                            if values["view"] is not None else None)
                if values["view"] is not None and audience is None:
                    raise Forbidden(_l("Only the chair can do this."))
                live.set_audience(sid, audience.key if audience else None)
                db.session.commit()
            except DomainError as problem:
                db.session.rollback()
                if isinstance(problem, Forbidden) and not access.can_observe(meeting, user):
                    # As the pages and the API answer: a meeting one may not follow does not exist for them.
                    return error("not_found", _l("This meeting does not exist."))
                return runner.domain_error(problem)
            if left is not None:
                leave_room(room(left))
                leave_room(chairs_room(left))
                leave_room(outsiders_room(left))
            session["live_meeting"] = meeting.id
            session["live_view"] = audience.view if audience else None
            if session.get("live_room"):
                leave_room(session.pop("live_room"))
            if audience is not None:  # a page joins the room of its audience only
                session["live_room"] = regions.room(meeting.id, audience)
                join_room(session["live_room"])
                for name in (room(meeting.id), outsiders_room(meeting.id), chairs_room(meeting.id)):
                    leave_room(name)
            elif live.reads_ideas(meeting, user):
                leave_room(outsiders_room(meeting.id))
                join_room(room(meeting.id))
            else:  # a public meeting of a closed think tank: follow it without its ideas
                leave_room(room(meeting.id))
                join_room(outsiders_room(meeting.id))
            if role == access.CHAIR and audience is None:
                join_room(chairs_room(meeting.id))
            elif audience is None:
                leave_room(chairs_room(meeting.id))
        announce_presence(meeting.id)
        if left is not None:
            announce_presence(left)
        if audience is None:
            return {"ok": True, "board": snapshot}
        # A page: what it needs to stand where the board stands — the regions only when it missed something.
        board = regions.public_board(snapshot) if audience.view == "projector" else snapshot
        seq = (board.get("ballot") or {}).get("seq")
        answer: dict[str, Any] = {"ok": True, "version": board["version"], "seq": seq, "current": board["current"],
                                  "flags": regions.flags_of(board), "hand_raised": board["you"]["hand_raised"]}
        if values["version"] != board["version"] or values["seq"] != seq:
            answer["regions"] = regions.for_person(meeting, board, audience.view, regions.ALL)
        return answer

    def _leave(self, sid: str) -> dict[str, Any]:
        meeting_id = live.disconnect(sid)
        db.session.commit()
        session.pop("live_meeting", None)
        if session.get("live_room"):
            leave_room(session.pop("live_room"))
        if meeting_id is not None:
            leave_room(room(meeting_id))
            leave_room(chairs_room(meeting_id))
            leave_room(outsiders_room(meeting_id))
            announce_presence(meeting_id)
        return {"ok": True}


# --- presence housekeeping -----------------------------------------------------------------------------------

_cleaned: set[int] = set()


def _clean_once() -> None:
    """On the first connection a process serves: drop rows this server left before a restart, and rows of
    dead processes (not seen for a few minutes)."""
    app = current_app._get_current_object()
    if id(app) in _cleaned:
        return
    _cleaned.add(id(app))
    try:
        live.clean_connections(server=server_id())
        signouts.clean(server=server_id(), max_age=live.CONNECTION_MAX_AGE)
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.exception("Could not clean old live connections")
    interval = app.config.get("LIVE_HEARTBEAT_SECONDS", 60)
    if interval:
        socketio_for(app).start_background_task(_heartbeat, app, interval)


def _heartbeat(app: Flask, interval: float) -> None:
    """Keep this process's connections fresh, and clean those of processes that died."""
    while True:
        socketio_for(app).sleep(interval)
        with app.app_context():
            try:
                live.touch_connections(server_id())
                signouts.touch(server_id())
                meetings = live.clean_connections()
                signouts.clean(server=None, max_age=live.CONNECTION_MAX_AGE)
                db.session.commit()
                for meeting_id in meetings:
                    announce_presence(meeting_id)
            except Exception:
                db.session.rollback()
                log.exception("Live heartbeat failed")


def _close_ended(response: Any = None) -> Any:
    """After a request (or outside one, at the end of the app context): close the live connections whose session
    or token ended in what it committed."""
    signouts.close_ended(socketio_for().server)
    return response


def init_app(app: Flask) -> None:
    """Serve /live on this app's Socket.IO server; refuse a wildcard origin; close the live connections of
    credentials that end."""
    if "*" in (app.config.get("SOCKETIO_CORS_ALLOWED_ORIGINS") or []):
        raise RuntimeError("SOCKETIO_CORS_ALLOWED_ORIGINS must list origins; '*' is not allowed.")
    server, handlers = socketio_for(app), LiveNamespace()
    server.on("connect", namespace=NAMESPACE)(handlers.on_connect)
    server.on("disconnect", namespace=NAMESPACE)(handlers.on_disconnect)
    server.on("*", namespace=NAMESPACE)(handlers.on_event)
    app.after_request(_close_ended)
    app.teardown_appcontext(lambda _error: _close_ended())
