"""Browser fixtures: the app served on a free port against its own database, and one headless Chromium.

The live server is a separate app with its own SQLite file (the db layer keeps an engine per app), so it never
touches the main suite's `app`. CSRF stays on, because the real forms post their tokens; rate limits are off.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from samen import create_app
from samen.accounts import operations as account_ops
from samen.core import migrate
from samen.core.database import db
from samen.thinktanks import operations as tt_ops
from tests.conftest import PASSWORD, make_config, skip_or_fail

CHROMIUM = os.environ.get("SAMEN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 10_000  # fail fast: a page of this app loads in milliseconds

# The people and think tanks the live server starts with.
RESIDENT = "bewoner@example.org"
CHAIR = "voorzitter@example.org"
ADMIN = "beheerder@example.org"
THINKTANK = "preventie"
DESCRIPTION = """Wij zoeken samen naar manieren om drugsgebruik onder jongeren **te voorkomen**.

- voorlichting op scholen
- een veilige plek om te praten
- [meer over het plan](https://example.org/plan)
"""


class _QuietHandler(WSGIRequestHandler):
    """Serve without writing a log line for every request."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


@dataclass
class LiveServer:
    """The running app: its base URL, the app itself, and the translated strings the pages show."""

    url: str
    app: Flask
    _cache: dict[tuple[str, str], str] = field(default_factory=dict)

    def t(self, msgid: str, lang: str = "nl", **variables: Any) -> str:
        """Return what the page shows for an English message id in a language (the catalog decides)."""
        from flask_babel import force_locale, gettext

        key = (lang, msgid + repr(sorted(variables.items())))
        if key not in self._cache:
            with self.app.test_request_context(), force_locale(lang):
                self._cache[key] = gettext(msgid, **variables)
        return self._cache[key]


def _seed(app: Flask) -> None:
    """Create the users and think tanks the browser tests use, through the operations, as the app would."""
    hashed = account_ops.hash_password(PASSWORD)
    with app.app_context():
        tt_ops.update_plan(tt_ops.get_plan(), title="Samen sterk tegen drugs", municipality="Nijkerk",
                           introduction="Inwoners, ouders en professionals maken **samen** een actieplan.")
        account_ops.create_user(email=RESIDENT, display_name="Bewoner uit Nijkerk", password_hash=hashed)
        chair = account_ops.create_user(email=CHAIR, display_name="Voorzitter", password_hash=hashed,
                                        kind="professional", organisation="Jongerenwerk")
        account_ops.create_user(email=ADMIN, display_name="Beheerder", password_hash=hashed,
                                is_admin=True)
        preventie = tt_ops.create_thinktank({
            "slug": THINKTANK, "name": "Preventie", "theme": "Voorkomen", "position": 1,
            "summary": "Voorkomen dat jongeren met drugs beginnen.", "description": DESCRIPTION})
        tt_ops.appoint_chair(preventie, chair)
        tt_ops.create_thinktank({"slug": "nazorg", "name": "Nazorg / familie en vrienden", "theme": "Nazorg",
                                 "join_policy": "approval", "position": 2,
                                 "summary": "Steun voor wie een naaste met een verslaving heeft."})
        old = tt_ops.create_thinktank({"slug": "pilot-2024", "name": "Pilot 2024", "theme": "Afgerond",
                                       "position": 3})
        tt_ops.archive_thinktank(old)
        db.session.commit()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Serve a fresh, migrated and seeded app on a free local port for the whole session."""
    url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.db'}"
    app = create_app(make_config(url, WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=False))
    with app.app_context():
        migrate.upgrade()
    _seed(app)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="samen-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Launch Debian's headless Chromium once for the session."""
    if not os.path.exists(CHROMIUM):
        skip_or_fail(f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extras install it
        skip_or_fail("the playwright Python package is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except PlaywrightError as error:
            skip_or_fail(f"Chromium at {CHROMIUM} did not start: {error}")
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture()
def new_page(browser: Any, live_server: LiveServer) -> Iterator[Callable[..., Any]]:
    """Return a factory for pages, each in a fresh browser context (own cookies), closed after the test."""
    contexts: list[Any] = []

    def make(**context_options: Any) -> Any:
        context_options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(base_url=live_server.url, locale="nl-NL", **context_options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture()
def page(new_page: Callable[..., Any]) -> Any:
    """Return a page in a fresh browser context at desktop size."""
    return new_page()


def sign_in(page: Any, email: str, password: str = PASSWORD) -> None:
    """Sign in through the real login form."""
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)


@pytest.fixture(scope="session")
def signed_in_state(browser: Any, live_server: LiveServer) -> Callable[[str], dict[str, Any]]:
    """Return a function that signs a user in once per session and gives the cookies for new contexts."""
    states: dict[str, dict[str, Any]] = {}

    def state(email: str) -> dict[str, Any]:
        if email not in states:
            context = browser.new_context(base_url=live_server.url)
            context.set_default_timeout(TIMEOUT_MS)
            try:
                sign_in(context.new_page(), email)
                states[email] = context.storage_state()
            finally:
                context.close()
        return states[email]
    return state
