"""Language choice: the user's own, else the one picked this session, else Dutch."""
from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request, session
from flask_login import current_user
from sqlalchemy import inspect as sa_inspect


def select_locale() -> str:
    """Return the language of this request."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # commands, socket handlers without a request, background work
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if request.args.get("lang") in languages:
        return request.args["lang"]
    if request.path.startswith("/api/"):
        # The API knows no cookies: the token owner's language, else what the client accepts.
        locale = _loaded_locale(g.get("api_user"))
        if locale in languages:
            return locale
        return request.accept_languages.best_match(list(languages)) or current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and getattr(current_user, "is_authenticated", False):
        locale = _loaded_locale(current_user._get_current_object())  # the proxy's public accessor
        if locale in languages:
            return locale
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _loaded_locale(user: object) -> str | None:
    """The user's language as loaded, without loading it: after a failed transaction (the 503 of a database that
    went away) the user is expired, and loading it again would fail too and turn the 503 into a 500."""
    if user is None:
        return None
    state = sa_inspect(user, raiseerr=False)
    return state.dict.get("locale") if state is not None else getattr(user, "locale", None)


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with our locale selector."""
    from samen.extensions import babel

    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")

    @app.context_processor
    def _languages() -> dict:
        from flask_babel import get_locale
        return {"languages": app.config["LANGUAGES"], "current_language": str(get_locale() or "nl")}

