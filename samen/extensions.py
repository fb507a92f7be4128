"""Extensions, created unbound and bound to the app by create_app."""
from __future__ import annotations

import uuid
from typing import Any

from flask import Flask, current_app, has_app_context
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_socketio import SocketIO
from flask_wtf.csrf import CSRFProtect

from samen.core import limiter_storage
from samen.core.live_queue import LiveQueue
from samen.core.database import db

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


# Settings Flask-Limiter would take from the first app it is bound to and keep for every other app; Samen keeps
# them per app instead (the switch below, the key prefix in the app's storage), so Flask-Limiter does not see them.
_PER_APP_SETTINGS = {"RATELIMIT_ENABLED": True, "RATELIMIT_KEY_PREFIX": ""}


class AppLimiter(Limiter):
    """Flask-Limiter whose switch and storage belong to each app, not to the last init_app.

    Tests and tools create several apps in one process (a test app, a live server, a second 'worker'); each keeps
    its own RATELIMIT_ENABLED and its own storage (samen.core.limiter_storage: the `samen-app://` storage forwards
    to the current app's), so two apps share counters only through a shared storage (Redis), as two worker
    processes do. The storage is set up even when rate limiting is off, because the lockout of unknown addresses
    and samen.core.ratelimit.hit use it. While Redis is down the app counts in memory (see limiter_storage), and
    should anything else in the limiter fail, `swallow_errors` lets the request through and logs it: a limit never
    makes a request fail.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(storage_uri=f"{limiter_storage.SCHEME}://", swallow_errors=True, **kwargs)

    def init_app(self, app: Flask) -> None:
        enabled = bool(app.config.setdefault("RATELIMIT_ENABLED", True))
        limiter_storage.install(app)
        saved = {name: app.config.get(name) for name in _PER_APP_SETTINGS}
        app.config.update(_PER_APP_SETTINGS)  # Flask-Limiter sets nothing up for a disabled app
        try:
            super().init_app(app)
        finally:
            app.config.update(saved)
        self.enabled = enabled

    @property  # type: ignore[override]
    def enabled(self) -> bool:
        if has_app_context():
            return bool(current_app.config.get("RATELIMIT_ENABLED", True))
        return self._enabled_default

    @enabled.setter
    def enabled(self, value: Any) -> None:
        self._enabled_default = bool(value)


limiter = AppLimiter(key_func=get_remote_address, default_limits=[])


# The live board's Redis connections: a publish waits at most this long, a dead connection is noticed by TCP
# keep-alive. (The listener's blocking read is not cut by socket_timeout: redis-py reads pub/sub without it.)
LIVE_QUEUE_REDIS_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 2, "socket_keepalive": True}


def init_socketio(app: Flask, **options: Any) -> SocketIO:
    """Give the app a Socket.IO server of its own. One module-level server would be rebound to whichever app was
    made last (a test's second app, a tool), and every other app would broadcast through that one.

    With a Redis message queue, the queue's connections get bounded waits and a name of this app's own
    (app.extensions["samen_live_queue"]), by which /readyz finds out whether this process's listener is
    subscribed, that is whether its live clients get what other processes send."""
    queue = options.get("message_queue")
    if queue and queue.startswith(("redis://", "rediss://")):
        name = f"samen-live-{uuid.uuid4().hex[:12]}"
        options["client_manager"] = LiveQueue(
            queue, channel=options.pop("channel", None) or "flask-socketio",
            redis_options={**LIVE_QUEUE_REDIS_OPTIONS, "client_name": name},
            retry=app.config.get("LIVE_QUEUE_RETRY", 0.5))
        app.extensions["samen_live_queue"] = name
    server = SocketIO()
    server.init_app(app, **options)  # keeps itself as app.extensions["socketio"]
    return server


def socketio_for(app: Flask | None = None) -> SocketIO:
    """Return the Socket.IO server of the app (of the current app without one)."""
    return (app or current_app).extensions["socketio"]


__all__ = ["babel", "csrf", "db", "init_socketio", "limiter", "login_manager", "socketio_for"]
