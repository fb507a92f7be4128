"""Running a live command and broadcasting it: for the Socket.IO events (events.py) and the board's forms without
JavaScript (board.py) alike. One command of a meeting at a time per process (and the meeting's row lock across
processes), the rate limit, the operation (live.dispatch), the commit, then the broadcast: the JSON events to the
API clients' rooms and the rendered regions to the pages' audiences (regions.py). Tallies and presence are
broadcast a few times a second at most (Coalesced)."""
from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from samen.accounts.operations import EMAIL_UNCONFIRMED
from samen.core.database import db
from samen.core.errors import DomainError, Forbidden
from samen.extensions import socketio_for
from samen.meetings import access, live, regions, state
from samen.meetings.models import Ballot, Meeting, MeetingCommand
from samen.meetings.ratelimit import hit as rate_limit_hit

NAMESPACE = "/live"
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


def close_connections(sids: list[str]) -> None:
    """End these live connections, on whichever server process holds them (a removed guest's)."""
    for sid in sids:
        try:
            socketio_for().server.disconnect(sid, namespace=NAMESPACE)
        except Exception:  # the guest is removed whatever happens here: their next event is refused anyway
            log.exception("Could not close live connection %s", sid)


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


def domain_error(problem: DomainError) -> dict[str, Any]:
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


def meeting_lock(meeting_id: int) -> threading.Lock:
    """One command at a time per meeting in this process, so broadcasts leave in the order of the versions."""
    with _locks_guard:
        return _locks.setdefault(meeting_id, threading.Lock())


@contextmanager
def in_turn(meeting_id: int) -> Iterator[None]:
    """Hold the meeting's lock — without holding a database connection while waiting for it: 300 phones
    joining at once would otherwise take every connection of the pool while they queue, and time out."""
    lock = meeting_lock(meeting_id)
    if not lock.acquire(blocking=False):
        db.session.commit()  # nothing is pending here: this ends the read transaction, giving the connection back
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


def _check_rate(user: Any, event: str, role: str | None) -> None:
    """Idea submission is rate-limited per person (LIVE_IDEA_RATE_LIMIT), in the limiter's shared storage."""
    if event != "idea:submit" or not access.outranks(role, access.PARTICIPANT):
        return  # whoever may not submit is refused by the operation, without using up anything
    limit = current_app.config.get("LIVE_IDEA_RATE_LIMIT", "5 per minute")
    who = f"guest-{user.guest_id}" if getattr(user, "is_guest", False) else str(user.id)
    if not rate_limit_hit(limit, "live-idea", who):
        raise DomainError(_l("You submitted ideas too quickly. Please wait a moment and try again."),
                          code="rate_limited")


CLIENT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def client_id_of(payload: Any) -> tuple[str | None, Any]:
    """Take the id the client chose for a command out of its payload: (id or None, the payload without it).
    Raises DomainError for an id that is not 1–64 letters, digits, '-' or '_'."""
    if not isinstance(payload, dict) or "id" not in payload:
        return None, payload
    payload = dict(payload)
    found = payload.pop("id")
    if not isinstance(found, str) or not CLIENT_ID.fullmatch(found):
        raise DomainError(_l("A command's id is 1 to 64 letters, digits, - or _."), field="id")
    return found, payload


def _mine(user: Any) -> Any:
    """The commands of this person: a signed-in user's, or a guest's."""
    if getattr(user, "is_guest", False):
        return MeetingCommand.guest_id == user.guest_id
    return MeetingCommand.user_id == user.id


def _answered(meeting_id: int, user: Any, client_id: str) -> dict[str, Any] | None:
    """The stored answer to the user's command with this id, or None when there was none."""
    found = db.session.execute(select(MeetingCommand.answer).where(
        MeetingCommand.meeting_id == meeting_id, _mine(user), MeetingCommand.client_id == client_id)).first()
    return None if found is None else {**(found[0] or {"ok": True}), "repeated": True}


def execute(meeting_id: int, user: Any, event: str, payload: Any = None) -> dict[str, Any]:
    """Run one command for a meeting as a socket handler does — rate limit, operation, commit, broadcast —
    and return the acknowledgement. The web fallback of the board's forms calls it too.

    Exactly once: a command sent with an `id` (docs/live-protocol.md) is stored with it and its answer; the same
    id again — a phone resending after a lost answer, a chair pressing again — gets that answer back and changes
    nothing (the unique (meeting, person, id) in meeting_commands holds also when both arrive at once)."""
    try:
        client_id, payload = client_id_of(payload)
    except DomainError as problem:
        return domain_error(problem)
    # Votes do not wait for each other: the database keeps one per person, and their tally is broadcast apart.
    with nullcontext() if event == live.VOTE else in_turn(meeting_id):
        if client_id is not None and (getattr(user, "is_authenticated", False) or getattr(user, "is_guest", False)):
            answered = _answered(meeting_id, user, client_id)
            if answered is not None:
                db.session.commit()  # end the read
                return answered
        # The meeting as stored and the user's role at it, read again for every command, in one query.
        meeting, role = access.meeting_with_role(meeting_id, user)
        if meeting is None:
            return error("not_found", _l("This meeting does not exist."))
        try:
            _check_rate(user, event, role)
            db.session.info[state.CLIENT_ID] = client_id
            try:
                result = live.dispatch(meeting, user, event, payload, role=role)
            finally:
                db.session.info.pop(state.CLIENT_ID, None)
            answer = {"ok": True, "version": result.version, **result.ack}
            if client_id is not None:
                db.session.execute(update(MeetingCommand).where(
                    MeetingCommand.meeting_id == meeting.id, _mine(user),
                    MeetingCommand.client_id == client_id).values(answer=answer)
                    .execution_options(synchronize_session=False))
            db.session.commit()
        except DomainError as problem:
            db.session.rollback()
            return domain_error(problem)
        except (IntegrityError, OperationalError):
            # Two commands raced for the same row (a second open ballot, a vote from a second tab, the same
            # command twice at once): the database kept one; this one changed nothing.
            db.session.rollback()
            answered = _answered(meeting_id, user, client_id) if client_id is not None else None
            if answered is not None:
                db.session.commit()
                return answered
            return error("conflict", _l("Someone else changed this at the same moment. Please try again."))
        broadcast(meeting_id, result)
    # Outside the meeting's turn: ending a connection runs its disconnect handler, which takes the turn itself.
    close_connections(result.close)
    if result.tally_ballot_id is not None:
        announce_tally(meeting_id, result.tally_ballot_id)
    return answer


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
        with in_turn(meeting_id):
            broadcast(meeting_id, emits)


def _send_presence(meeting_id: int, _: Any) -> None:
    with in_turn(meeting_id):  # with the version of the commands before it
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


