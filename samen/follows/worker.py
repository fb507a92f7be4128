"""Tell followers right after a commit that recorded events, from a thread of the app (FOLLOW_FANOUT_AFTER_COMMIT).

On by default in development, so `make run` needs no timer: a decision shows in the followers' notifications a
moment later. Off in production, where `flask mail run` runs every minute from a timer, and in the tests, which
run the fan-out themselves. The request that caused the events is answered first: the thread fans out after the
commit, in an app context of its own; the claims in fanout.py and operations.send_outbox keep it from doing
twice what the timer's command does at the same moment.
"""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from samen.follows.models import FollowEvent

log = logging.getLogger(__name__)
_RECORDED = "samen_follow_events_recorded"
_EXECUTOR = "samen_follow_worker"


def init_app(app: Flask) -> None:
    """Start fanning out after commits for this app when FOLLOW_FANOUT_AFTER_COMMIT is on."""
    if not app.config.get("FOLLOW_FANOUT_AFTER_COMMIT"):
        return
    app.extensions[_EXECUTOR] = ThreadPoolExecutor(max_workers=1, thread_name_prefix="samen-follow")
    if not event.contains(Session, "after_flush", _note):
        event.listen(Session, "after_flush", _note)
        event.listen(Session, "after_commit", _kick)
        event.listen(Session, "after_rollback", _forget)


def _note(session: Session, _context: Any) -> None:
    # after_flush still sees what was new in this flush.
    if any(isinstance(item, FollowEvent) for item in session.new):
        session.info[_RECORDED] = True


def _forget(session: Session) -> None:
    session.info.pop(_RECORDED, None)


def _kick(session: Session) -> None:
    if not session.info.pop(_RECORDED, False) or not has_app_context():
        return
    executor = current_app.extensions.get(_EXECUTOR)
    if executor is not None:
        executor.submit(_run, current_app._get_current_object())  # type: ignore[attr-defined]


def _run(app: Flask) -> None:
    from samen.follows.cli import run_fan_out, run_outbox

    with app.app_context():
        try:
            run_fan_out()
            run_outbox()
        except Exception:  # the timer's command, or the next commit, tries again
            log.exception("Could not tell followers after a commit")
