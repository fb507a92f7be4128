"""Extensions, created unbound and bound to the app by create_app."""
from __future__ import annotations

from typing import Any

from flask import current_app, has_app_context
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


class AppLimiter(Limiter):
    """Flask-Limiter whose on/off switch is read from the current app, not fixed by the last init_app.

    Tests and tools create several apps in one process (a test app, a live server); each keeps its own
    RATELIMIT_ENABLED.
    """

    @property  # type: ignore[override]
    def enabled(self) -> bool:
        if has_app_context():
            return bool(current_app.config.get("RATELIMIT_ENABLED", True))
        return self._enabled_default

    @enabled.setter
    def enabled(self, value: Any) -> None:
        self._enabled_default = bool(value)


limiter = AppLimiter(key_func=get_remote_address, default_limits=[])
socketio = SocketIO()

__all__ = ["babel", "csrf", "db", "limiter", "login_manager", "socketio"]
