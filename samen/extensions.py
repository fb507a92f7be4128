"""Extensions, created unbound and bound to the app by create_app."""
from __future__ import annotations

from typing import Any

from flask import Flask, current_app, has_app_context
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_socketio import SocketIO
from flask_wtf.csrf import CSRFProtect

from samen.core.database import db

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


# What Flask-Limiter keeps from an app's configuration: the storage, the strategy on it, the key prefix, the
# headers. AppLimiter keeps them per app (see below).
_PER_APP = ("_storage", "_limiter", "_key_prefix", "_strategy", "_storage_dead", "_fallback_storage",
            "_fallback_limiter", "_headers_enabled", "_retry_after", "_header_mapping")


def _per_app(name: str) -> property:
    def get(self: AppLimiter) -> Any:
        state = self._app_state()
        if state is None:  # outside any app: the last app's, as plain Flask-Limiter would have it
            return self.__dict__.get(name)
        return state[name] if name in state else self.__dict__["_constructed"].get(name)

    def set_(self: AppLimiter, value: Any) -> None:
        state = self._app_state()
        if state is None:
            self.__dict__[name] = value
        else:
            state[name] = value
    return property(get, set_)


class AppLimiter(Limiter):
    """Flask-Limiter whose switch, storage and key prefix belong to each app, not to the last init_app.

    Tests and tools create several apps in one process (a test app, a live server, a second 'worker'); each keeps
    its own RATELIMIT_ENABLED and its own storage, so two apps share counters only through a shared storage
    (Redis), as two worker processes do. The storage is set up even when rate limiting is off, because the
    lockout of unknown addresses and samen.core.ratelimit.hit use it.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.__dict__["_binding"] = None  # the state init_app is filling in
        super().__init__(*args, **kwargs)
        # What each app starts from: the constructor's values, not another app's.
        self.__dict__["_constructed"] = {name: self.__dict__.get(name) for name in _PER_APP}

    def _app_state(self) -> dict[str, Any] | None:
        binding = self.__dict__.get("_binding")
        if binding is not None:
            return binding
        if has_app_context():
            return current_app.extensions.get("samen_limiter")
        return None

    def init_app(self, app: Flask) -> None:
        enabled = bool(app.config.setdefault("RATELIMIT_ENABLED", True))
        self.__dict__["_binding"] = app.extensions["samen_limiter"] = {}
        app.config["RATELIMIT_ENABLED"] = True  # Flask-Limiter sets nothing up for a disabled app
        try:
            super().init_app(app)
        finally:
            app.config["RATELIMIT_ENABLED"] = enabled
            state, self.__dict__["_binding"] = self.__dict__["_binding"], None
        self.__dict__.update(state)
        self.enabled = enabled

    @property  # type: ignore[override]
    def enabled(self) -> bool:
        if has_app_context():
            return bool(current_app.config.get("RATELIMIT_ENABLED", True))
        return self._enabled_default

    @enabled.setter
    def enabled(self, value: Any) -> None:
        self.__dict__["_enabled_default"] = bool(value)


for _name in _PER_APP:
    setattr(AppLimiter, _name, _per_app(_name))


limiter = AppLimiter(key_func=get_remote_address, default_limits=[])


def init_socketio(app: Flask, **options: Any) -> SocketIO:
    """Give the app a Socket.IO server of its own. One module-level server would be rebound to whichever app was
    made last (a test's second app, a tool), and every other app would broadcast through that one."""
    server = SocketIO()
    server.init_app(app, **options)  # keeps itself as app.extensions["socketio"]
    return server


def socketio_for(app: Flask | None = None) -> SocketIO:
    """Return the Socket.IO server of the app (of the current app without one)."""
    return (app or current_app).extensions["socketio"]


__all__ = ["babel", "csrf", "db", "init_socketio", "limiter", "login_manager", "socketio_for"]
