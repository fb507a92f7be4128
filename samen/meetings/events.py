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
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from flask import Flask, current_app, g, session
from flask_babel import lazy_gettext as _l
from flask_babel import refresh
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, Namespace, disconnect, join_room, leave_room
from sqlalchemy.exc import IntegrityError, OperationalError

from samen.accounts import operations as account_ops
from samen.accounts.operations import EMAIL_UNCONFIRMED
from samen.core.database import db
from samen.core.errors import DomainError, Forbidden
from samen.core.hosts import base_url
from samen.extensions import socketio_for
from samen.meetings import access, live, regions, signouts
from samen.meetings.models import Ballot, Meeting
from samen.meetings.ratelimit import hit as rate_limit_hit

NAMESPACE = "/live"
MAX_PAYLOAD = 48 * 1024  # bytes of JSON (UTF-8) in one event (an idea of 20,000 characters fits); the
# transport drops a connection that sends more than 64 KiB at once
ERROR_CODES = ("forbidden", "not_found", "invalid", "conflict", "rate_limited", "closed")
# Why a `forbidden` was refused, when the person can do something about it (docs/live-protocol.md).
FORBIDDEN_REASONS = (EMAIL_UNCONFIRMED,)
log = logging.getLogger(__name__)


def room(meeting_id: int) -> str:
    return f"meeting:{meeting_id}"


def chairs_room(meeting_id: int) -> str:
    return f"meeting:{meeting_id}:chairs"


def outsiders_room(meeting_id: int) -> str:
    """Those who follow a closed think tank's meeting without being allowed to read its ideas (live.reads_ideas):
    they get the room's broadcasts without the ideas (live.without_ideas)."""
    return f"meeting:{meeting_id}:outsiders"


def server_id() -> str:
    """Name this process in live_connections: LIVE_SERVER_ID when set (stable across restarts), else host:pid."""
    configured = current_app.config.get("LIVE_SERVER_ID")
    return str(configured) if configured else f"{socket.gethostname()}:{os.getpid()}"[:64]


# --- broadcasting --------------------------------------------------------------------------------------------

def broadcast(meeting_id: int, emits: list[live.Emit] | live.Result) -> None:
    """Send what a command changed to the meeting's rooms. Call it after the commit."""
    if isinstance(emits, live.Result):
        emits = emits.emits
    for item in emits:
        targets = ([(chairs_room(meeting_id), item.data)] if item.chairs_only else
                   [(room(meeting_id), item.data), (outsiders_room(meeting_id), live.without_ideas(item.data))])
        for target, data in targets:
            _emit(item.event, data, target)
    # The pages' audiences get the regions these changed, rendered once per audience (samen/meetings/regions.py).
    try:
        regions.broadcast(meeting_id, emits, _emit)
    except Exception:
        log.exception("Could not render the board's regions for meeting %s", meeting_id)


def _emit(event: str, data: dict[str, Any], target: str) -> None:
    try:
        socketio_for().emit(event, data, namespace=NAMESPACE, to=target)
    except Exception:  # stored is stored: a client that misses this re-joins on the next version gap
        log.exception("Could not broadcast %s to %s", event, target)


# --- errors --------------------------------------------------------------------------------------------------

def error(code: str, message: Any, *, field: str | None = None, reason: str | None = None) -> dict[str, Any]:
    """Return an error acknowledgement."""
    body: dict[str, Any] = {"code": code if code in ERROR_CODES else "invalid", "message": str(message)}
    if field:
        body["field"] = field
    if reason:
        body["reason"] = reason
    return {"error": body}


def _domain_error(problem: DomainError) -> dict[str, Any]:
    code = problem.code
    if isinstance(problem, Forbidden) or problem.status == 403:
        return error("forbidden", problem.message, field=problem.field,
                     reason=code if code in FORBIDDEN_REASONS else None)
    if code not in ERROR_CODES:
        code = "conflict" if problem.status == 409 else "invalid"
    return error(code, problem.message, field=problem.field)


# --- per-meeting order -----------------------------------------------------------------------------------------

_locks: dict[int, threading.Lock] = {}
_locks_guard = threading.Lock()


def _meeting_lock(meeting_id: int) -> threading.Lock:
    """One command at a time per meeting in this process, so broadcasts leave in the order of the versions."""
    with _locks_guard:
        return _locks.setdefault(meeting_id, threading.Lock())


@contextmanager
def _in_turn(meeting_id: int) -> Iterator[None]:
    """Hold the meeting's lock — without holding a database connection while waiting for it: 300 phones
    joining at once would otherwise take every connection of the pool while they queue, and time out."""
    lock = _meeting_lock(meeting_id)
    if not lock.acquire(blocking=False):
        db.session.commit()  # nothing is pending here: this ends the read transaction, giving the connection back
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


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


def _language() -> str:
    """The language of this connection's acknowledgements (the user's, else the handshake's ?lang=)."""
    from flask_babel import get_locale
    locale = get_locale()
    return locale.language if locale is not None else "nl"


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


def _check_rate(user: Any, event: str, role: str | None) -> None:
    """Idea submission is rate-limited per person (LIVE_IDEA_RATE_LIMIT), in the limiter's shared storage."""
    if event != "idea:submit" or not access.outranks(role, access.PARTICIPANT):
        return  # whoever may not submit is refused by the operation, without using up anything
    limit = current_app.config.get("LIVE_IDEA_RATE_LIMIT", "5 per minute")
    if not rate_limit_hit(limit, "live-idea", str(user.id)):
        raise DomainError(_l("You submitted ideas too quickly. Please wait a moment and try again."),
                          code="rate_limited")


def execute(meeting_id: int, user: Any, event: str, payload: Any = None) -> dict[str, Any]:
    """Run one command for a meeting as a socket handler does — rate limit, operation, commit, broadcast —
    and return the acknowledgement. The web fallback of the board's forms calls it too."""
    # Votes do not wait for each other: the database keeps one per person, and their tally is broadcast apart.
    with nullcontext() if event == live.VOTE else _in_turn(meeting_id):
        # The meeting as stored and the user's role at it, read again for every command, in one query.
        meeting, role = access.meeting_with_role(meeting_id, user)
        if meeting is None:
            return error("not_found", _l("This meeting does not exist."))
        try:
            _check_rate(user, event, role)
            result = live.dispatch(meeting, user, event, payload, role=role)
            db.session.commit()
        except DomainError as problem:
            db.session.rollback()
            return _domain_error(problem)
        except (IntegrityError, OperationalError):
            # Two commands raced for the same row (a second open ballot, a vote from a second tab): the
            # database kept one; this one changed nothing.
            db.session.rollback()
            return error("conflict", _l("Someone else changed this at the same moment. Please try again."))
        broadcast(meeting_id, result)
    if result.tally_ballot_id is not None:
        announce_tally(meeting_id, result.tally_ballot_id)
    return {"ok": True, "version": result.version, **result.ack}


# --- tallies and presence, a few times a second ---------------------------------------------------------------

_NOTHING: Any = object()


class Coalesced:
    """A broadcast that a burst of events would repeat — a tally after each of 300 votes, the presence after each
    of 300 joins — sent at once, unless one left less than `setting` seconds ago (app config; `default` without
    it): then once more at the end of that interval, with everything stored by then. So an event now and then is
    shown at once, and a burst becomes a few broadcasts a second instead of one per event to every client.

    `send(meeting_id, value)` is called with the latest value announced (None when none is given)."""

    def __init__(self, setting: str, default: float, send: Callable[[int, Any], None]) -> None:
        self.setting, self.default, self.send = setting, default, send
        self._pending: dict[int, Any] = {}  # meeting id → latest value, while a broadcast is scheduled
        self._sent: dict[int, float] = {}  # meeting id → when its last broadcast left (time.monotonic)
        self._guard = threading.Lock()

    def announce(self, meeting_id: int, value: Any = None) -> None:
        interval = current_app.config.get(self.setting, self.default)
        now = time.monotonic()
        with self._guard:
            if meeting_id in self._pending:  # a broadcast is due soon and will include this
                self._pending[meeting_id] = value
                return
            wait = self._sent.get(meeting_id, -interval) + interval - now if interval else 0
            if wait > 0:
                self._pending[meeting_id] = value
            else:
                self._sent[meeting_id] = now
        if wait > 0:
            socketio_for().start_background_task(self._later, current_app._get_current_object(), meeting_id, wait)
        else:
            self.send(meeting_id, value)

    def _later(self, app: Flask, meeting_id: int, wait: float) -> None:
        socketio_for(app).sleep(wait)
        with self._guard:
            value = self._pending.pop(meeting_id, _NOTHING)
            self._sent[meeting_id] = time.monotonic()
        if value is _NOTHING:
            return
        with app.app_context():
            try:
                self.send(meeting_id, value)
            except Exception:
                db.session.rollback()
                log.exception("Could not broadcast %s to meeting %s", self.setting, meeting_id)


def _send_tally(meeting_id: int, ballot_id: int) -> None:
    # Read outside the meeting's turn, so a chair's command never waits for a tally's queries (right after a
    # burst of votes those wait for a database connection and the GIL); sent in turn, after the broadcasts of
    # the commands before it — a vote's tally never reaches a client before the `ballot` event that opened it.
    ballot = db.session.get(Ballot, ballot_id)
    emits = live.tally_emits(ballot) if ballot is not None and ballot.meeting_id == meeting_id else []
    db.session.commit()  # end the read transaction
    if emits:
        with _in_turn(meeting_id):
            broadcast(meeting_id, emits)


def _send_presence(meeting_id: int, _: Any) -> None:
    with _in_turn(meeting_id):  # with the version of the commands before it
        meeting = db.session.get(Meeting, meeting_id)
        if meeting is not None:
            broadcast(meeting_id, live.presence_emits(meeting))
        db.session.commit()  # end the read transaction


_tallies = Coalesced("LIVE_TALLY_INTERVAL", 0.1, _send_tally)
_presences = Coalesced("LIVE_PRESENCE_INTERVAL", 0.5, _send_presence)


def announce_tally(meeting_id: int, ballot_id: int) -> None:
    """Broadcast the ballot's tally after a vote: at once, or at most every LIVE_TALLY_INTERVAL seconds (0.1)
    while votes pour in, with every vote stored by then."""
    _tallies.announce(meeting_id, ballot_id)


def announce_presence(meeting_id: int) -> None:
    """Broadcast how many are present after a join, leave or disconnect: at once, or at most every
    LIVE_PRESENCE_INTERVAL seconds (0.5) while people pour in (a hall scanning the QR code)."""
    _presences.announce(meeting_id)


class LiveNamespace(Namespace):
    """/live: the meeting board. Every event is authorised here and again in the operation it calls."""

    def on_connect(self, auth: Any = None) -> None:
        """Authenticate with the session cookie or an API token; anonymous connections may observe only. A
        signed-in connection is recorded with its credential, so that ending it closes the connection."""
        from flask import request

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

    def on_disconnect(self, reason: Any = None) -> None:
        """Forget the connection and tell the meeting how many are left."""
        from flask import request

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

    def trigger_event(self, event: str, *args: Any) -> Any:
        """Answer every client event through its acknowledgement; an unknown, malformed or refused event
        changes nothing and disturbs no one else."""
        if event in ("connect", "disconnect"):
            if event == "connect" and not self._is_handshake(args):
                return error("invalid", _l("Unknown event."))
            return super().trigger_event(event, *args)

        def handle(*data: Any) -> dict[str, Any]:
            try:
                return self._dispatch(event, data)
            except Exception:
                db.session.rollback()
                log.exception("Live event %s failed", event)
                return error("conflict", _l("Something went wrong on our side. Please try again."))
        return self.socketio._handle_event(handle, event, self.namespace, *args)

    def _is_handshake(self, args: tuple[Any, ...]) -> bool:
        return (len(args) >= 2 and self.socketio is not None
                and args[1] is self.socketio.server.get_environ(args[0], namespace=self.namespace))

    def _dispatch(self, event: str, args: tuple[Any, ...]) -> dict[str, Any]:
        from flask import request

        sid, data = request.sid, (args[0] if args else None)
        try:
            user = _user()
        except SignedOut:
            db.session.rollback()
            disconnect()
            return error("forbidden", _l("You have been signed out. Sign in again to take part."))
        if len(args) > 1 or not _valid_payload(data):
            return error("invalid", _l("This message is too large or not in the expected form."))
        if event == "join":
            return self._join(sid, user, data)
        if event == "leave":
            return self._leave(sid)
        if event not in live.COMMANDS:
            return error("invalid", _l("Unknown event."))
        if user is None:
            return error("forbidden", _l("Please sign in to take part."))
        # The meeting this connection joined last (as its live_connections row says; kept with the connection's
        # Socket.IO session, which only join and leave on this connection change).
        meeting_id = session.get("live_meeting")
        if meeting_id is None:
            return error("invalid", _l("Join a meeting first."))
        answer = execute(meeting_id, user, event, data)
        if event == live.VOTE and answer.get("ok") and session.get("live_view") == "live":
            # The voter's page gets its own vote button and line back, rendered as the page has them.
            answer["regions"] = regions.after_vote(data["ballot_id"], answer["vote"])
        return answer

    def _join(self, sid: str, user: Any, data: Any) -> dict[str, Any]:
        try:
            values = live._fields(data, ("meeting_id", "version", "seq", "view"))
            meeting_id = live._id(values["meeting_id"], field="meeting_id")
            if values["view"] is not None and values["view"] not in regions.VIEWS:
                raise DomainError(_l("Unknown field: %(name)s.", name="view"), field="view")
        except DomainError as problem:
            return _domain_error(problem)
        meeting = db.session.get(Meeting, meeting_id)
        if meeting is None:
            return error("not_found", _l("This meeting does not exist."))
        # Under the meeting's lock no command of this process slips between the snapshot and joining the room.
        with _in_turn(meeting.id):
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
                return _domain_error(problem)
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
    socketio_for(app).on_namespace(LiveNamespace(NAMESPACE))
    app.after_request(_close_ended)
    app.teardown_appcontext(lambda _error: _close_ended())
