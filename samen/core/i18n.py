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
        # Read without loading: after a failed transaction (the 503 of a database that went away) the user is
        # expired, and loading it again would fail too and turn the 503 into a 500.
        api_user = g.get("api_user")
        locale = sa_inspect(api_user).dict.get("locale") if api_user is not None else None
        if locale in languages:
            return locale
        return request.accept_languages.best_match(list(languages)) or current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with our locale selector."""
    from samen.extensions import babel

    babel.init_app(app, locale_selector=select_locale, default_translation_directories="translations")

    @app.context_processor
    def _languages() -> dict:
        from flask_babel import get_locale
        return {"languages": app.config["LANGUAGES"], "current_language": str(get_locale() or "nl")}

