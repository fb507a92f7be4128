"""Stopping a web process gracefully, and gunicorn's hooks for it (`gunicorn --config python:samen.core.serving`).

On SIGTERM (systemd's stop and restart, a rolling upgrade) gunicorn stops accepting connections and finishes the
requests it accepted, for at most --graceful-timeout seconds. A live client's WebSocket is such a request too, and
would be cut off only at the end of that time, after which the browser waits for its own reconnection back-off.
So on SIGTERM this process also ends its live connections itself, at once: each client gets Socket.IO's
"server disconnect", and the pages' scripts connect again after 1 to 3 s (spread, so that a hall of phones does
not come back in one burst), through nginx to a process that is up, and re-join from the database. Nothing is
lost: every live command is stored before it is broadcast.
"""
from __future__ import annotations

import contextlib
import logging
import signal
import threading
from typing import Any

from flask import Flask

logger = logging.getLogger(__name__)


def disconnect_live_clients(app: Flask) -> int:
    """End every live connection this process holds (its clients reconnect elsewhere); return how many."""
    from samen.extensions import socketio_for

    server = socketio_for(app).server
    ended = 0
    for namespace in list(server.manager.get_namespaces()):
        for sid, _eio_sid in list(server.manager.get_participants(namespace, None)):
            # ignore_queue: these clients are this process's own; the message queue need not (and, with Redis
            # down, could not) carry the disconnect.
            server.disconnect(sid, namespace=namespace, ignore_queue=True)
            ended += 1
    return ended


def _stop_live_connections(app: Flask) -> None:
    try:
        ended = disconnect_live_clients(app)
        logger.warning("stopping: ended %d live connection(s); their clients reconnect to another process", ended)
    except Exception:  # stopping goes on whatever happens here
        logger.exception("stopping: could not end the live connections")


# gunicorn settings (this module is gunicorn's --config).
#
# Build the app in the master, before it binds its port, and fork the worker from it. Without this the master
# binds the port first and the worker builds the app afterwards (2–5 s, longer on a busy machine): connections
# nginx makes meanwhile are accepted by the master's listening socket and wait there for the worker, so a
# restarted process — and one whose worker died, as the OOM killer does — held its clients 9–15 s instead of
# nginx sending them to another process. With the app built first, a starting process refuses connections until
# it can serve them (nginx goes to another at once), and a new worker is forked in milliseconds.
preload_app = True


def post_fork(_server: Any, _worker: Any) -> None:
    """gunicorn hook, in the new worker: leave the master's database connections to the master (SQLAlchemy's
    advice for forked processes: the pool starts empty; none is closed from here). The app opens none while it
    is built, but a pool handed across a fork must never be shared."""
    from wsgi import app

    app.extensions["samen_db"]["engine"].dispose(close=False)


def post_worker_init(worker: Any) -> None:
    """gunicorn hook: on SIGTERM, do what gunicorn does (stop accepting, finish what was accepted) and end this
    process's live connections (see the module)."""
    from wsgi import app  # the application this worker serves (gunicorn ... wsgi:app)

    stop = signal.getsignal(signal.SIGTERM)

    def on_sigterm(signum: int, frame: Any) -> None:
        if callable(stop):
            stop(signum, frame)
        # Stop listening now, not when the worker exits: gunicorn only stops accepting, so until then the kernel
        # would queue nginx's new connections on this process and reset them at the exit (a 502 for a POST).
        # Closed, the port refuses them and nginx sends them to another process at once.
        for listener in worker.sockets:
            with contextlib.suppress(OSError):
                listener.close()
        # Not in the signal handler itself: it interrupts the worker's main loop.
        threading.Thread(target=_stop_live_connections, args=(app,), name="samen-stop", daemon=True).start()

    signal.signal(signal.SIGTERM, on_sigterm)
