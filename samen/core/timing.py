"""Answers that take the same time whatever they found: a floor under a view's duration.

The sign-in, registration and password-reset forms do the expensive work (hashing a password) whichever way they
go and send their mail after the response; what is left — a row written for a reset link or a new account — takes
a few milliseconds more on one way than the other. `no_sooner_than` makes a POST to those forms take at least
ACCOUNT_FORM_MIN_SECONDS, so both ways take as long (docs/security.md, "Account enumeration").
"""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from time import monotonic, sleep
from typing import Any, TypeVar

from flask import current_app, request

View = TypeVar("View", bound=Callable[..., Any])


def no_sooner_than(setting: str, *, methods: tuple[str, ...] = ("POST",)) -> Callable[[View], View]:
    """Make the view's answer to `methods` take at least the setting's number of seconds (0: no floor)."""
    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            floor = float(current_app.config.get(setting) or 0) if request.method in methods else 0.0
            started = monotonic()
            try:
                return view(*args, **kwargs)
            finally:
                remaining = floor - (monotonic() - started)
                if remaining > 0:
                    sleep(remaining)
        return wrapper  # type: ignore[return-value]
    return decorate
