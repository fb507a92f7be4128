"""Browser fixtures: the app served on a free port against its own database, and one headless Chromium.

The live server is a separate app with its own SQLite file (the db layer keeps an engine per app), so it never
touches the main suite's `app`. CSRF stays on, because the real forms post their tokens; rate limits are off.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from samen import create_app
from samen.accounts import operations as account_ops
from samen.actions import operations as action_ops
from samen.core import migrate
from samen.core.database import db
from samen.ideas import operations as idea_ops
from samen.ideas import review
from samen.thinktanks import operations as tt_ops
from tests.browser.evaluation_seed import seed_evaluation
from tests.conftest import PASSWORD, QUICK_PASSWORD_HASH, make_config, skip_or_fail
from tests.browser.partners_seed import seed_partners

CHROMIUM = os.environ.get("SAMEN_CHROMIUM", "/usr/bin/chromium")
# Site isolation off: the tests visit one local site, and a renderer process per context and site costs CPU that
# the suite's other processes need (7 % less CPU for the axe scans, measured in a cgroup: docs/benchmarks.md).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-features=site-per-process,IsolateOrigins", "--disable-site-isolation-trials"]
TIMEOUT_MS = 10_000  # fail fast: a page of this app loads in milliseconds

# What the keyboard's focus looks like: the yellow ring (outline) on controls, the yellow highlight (a box
# shadow on a yellow background) on text links. Also where the element is, and where a link leads.
FOCUS_YELLOW = "rgb(255, 221, 0)"
FOCUS_STYLE = """() => {
    const el = document.activeElement, s = getComputedStyle(el), box = el.getBoundingClientRect();
    return {tag: el.tagName, text: el.textContent.trim(), shadow: s.boxShadow !== 'none',
            outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2
                     && s.outlineColor !== 'rgba(0, 0, 0, 0)',
            background: s.backgroundColor, href: el.getAttribute('href'),
            on_screen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight};
}"""


def focus_is_visible(style: dict[str, Any]) -> bool:
    """Whether the focused element (FOCUS_STYLE's answer) shows the ring or the highlight."""
    return bool(style["outline"] or (style["shadow"] and style["background"] == FOCUS_YELLOW))

# The people and think tanks the live server starts with.
RESIDENT = "bewoner@example.org"
CHAIR = "voorzitter@example.org"
ADMIN = "beheerder@example.org"
AUTHOR = "ouder@example.org"  # posts an idea in the ideas journey; nothing else happens to this account
MEMBER = "lid@example.org"  # member of Preventie: author of the seeded ideas, owner of the action items
MEMBER_NAME, MEMBER_ORGANISATION = "Lid van Preventie", "GGD Gelderland-Midden"
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
    ids: dict[str, int] = field(default_factory=dict)  # what _seed made: ideas, action items, an indicator
    _cache: dict[tuple[str, str], str] = field(default_factory=dict)

    def t(self, msgid: str, lang: str = "nl", **variables: Any) -> str:
        """Return what the page shows for an English message id in a language (the catalog decides)."""
        from flask_babel import force_locale, gettext

        key = (lang, msgid + repr(sorted(variables.items())))
        if key not in self._cache:
            with self.app.test_request_context(), force_locale(lang):
                self._cache[key] = gettext(msgid, **variables)
        return self._cache[key]

    def tn(self, singular: str, plural: str, num: int, lang: str = "nl", **variables: Any) -> str:
        """Return what the page shows for a message with a number (ngettext), in a language."""
        from flask_babel import force_locale, ngettext

        with self.app.test_request_context(), force_locale(lang):
            return ngettext(singular, plural, num, **variables)


def _seed(app: Flask) -> dict[str, int]:
    """Create the users and think tanks the browser tests use, through the operations, as the app would."""
    hashed = QUICK_PASSWORD_HASH  # every sign-in checks it: quick (scrypt is tested with the accounts)
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
        seeded = _seed_ideas_and_actions(app, hashed) | _seed_help(app)
    seeded |= seed_partners(app, seeded)  # tests/browser/partners_seed.py
    return seeded | seed_evaluation(app, ADMIN, hashed, THINKTANK)  # tests/browser/evaluation_seed.py


def _seed_help(app: Flask) -> dict[str, int]:
    """A directory entry and a question that points to it, for the help pages (the emergency numbers come with
    the migration)."""
    from samen.help import operations as help_ops

    with app.app_context():
        entry = help_ops.create_entry({
            "kind": "organisation", "name_nl": "Gebiedsteam Nijkerk", "name_en": "Nijkerk community team",
            "topics_nl": "Opvoeden, drugs en geldzorgen.", "phone": "14 033", "email": "team@nijkerk.example",
            "website": "https://www.nijkerk.eu", "hours_nl": "Werkdagen 9–17 uur", "languages": "Nederlands"},
            by=None)
        question = help_ops.create_question({
            "category": "parents", "question_nl": "Hoe herken ik drugsgebruik bij mijn kind?",
            "question_en": "How can I tell whether my child uses drugs?",
            "answer_nl": "Let op **veranderingen** die samen voorkomen:\n\n- slaap\n- vrienden\n- geld",
            "entry_ids": [entry.id]}, by=None)
        db.session.commit()
        return {"help_question": question.id}


# The seeded ideas and action items: titles the tests look for.
ADOPTED_IDEA = "Voorlichting door ervaringsdeskundigen"
ADOPTED_ANSWER = "We nemen dit over: de **GGD** organiseert de voorlichting samen met ervaringsdeskundigen."
READY_IDEA = "Een inloopavond voor ouders"
READY_ANSWER = "Aangenomen: een avond per maand in het jongerencentrum, met een jongerenwerker erbij."
OPEN_IDEA = "Een app voor anonieme vragen"
ACTION = "Voorlichtingsronde op scholen"
OVERDUE_ACTION = "Een veilige plek om te praten"
INDICATOR = "Jongeren die in de afgelopen maand drugs gebruikten"


def _seed_ideas_and_actions(app: Flask, hashed: str) -> dict[str, int]:
    """Ideas in every state, a moderation queue, notifications, action items with updates and an indicator.

    Through the operations, as the pages would: the decisions notify, the changes are audited. Returns the ids
    the tests need in their addresses.
    """
    today = date.today()

    def days(n: int) -> str:
        return (today + timedelta(days=n)).isoformat()

    with app.app_context():
        preventie = tt_ops.get_thinktank(THINKTANK)
        chair, resident = account_ops.find_user_by_email(CHAIR), account_ops.find_user_by_email(RESIDENT)
        author = account_ops.create_user(email=AUTHOR, display_name="Ouder uit Hoevelaken",
                                         password_hash=hashed)
        member = account_ops.create_user(email=MEMBER, display_name=MEMBER_NAME, password_hash=hashed,
                                         kind="professional", organisation=MEMBER_ORGANISATION)
        for user in (author, member, resident):
            tt_ops.join_thinktank(preventie, user)
        idea_ops.create_tag(preventie, "school")
        idea_ops.create_tag(preventie, "ouders")

        adopted = idea_ops.create_idea(preventie, author=member, title=ADOPTED_IDEA, tags=["school"],
                                       body="Jongeren luisteren eerder naar iemand die het **zelf** heeft "
                                            "meegemaakt.\n\n- in de brugklas\n- op het mbo")
        idea_ops.support_idea(adopted, resident)
        idea_ops.support_idea(adopted, chair)
        comment = idea_ops.add_comment(adopted, author=resident, body="Goed plan, ook voor ouders!")
        idea_ops.add_comment(adopted, author=member, body="Dank je, dat nemen we mee.", parent=comment)
        idea_ops.decide(adopted, by=chair, status="discussion",
                        answer="We bespreken dit in de volgende bijeenkomst.")
        idea_ops.decide(adopted, by=chair, status="adopted", answer=ADOPTED_ANSWER)

        ready = idea_ops.create_idea(preventie, author=member, title=READY_IDEA, tags=["ouders"],
                                     body="Ouders weten vaak niet waar ze met hun zorgen heen kunnen.")
        idea_ops.support_idea(ready, resident)
        idea_ops.decide(ready, by=chair, status="adopted", answer=READY_ANSWER)

        open_idea = idea_ops.create_idea(preventie, author=member, title=OPEN_IDEA, anonymous=True,
                                         body="Een app waarin jongeren *anoniem* vragen kunnen stellen.")
        question = idea_ops.add_comment(open_idea, author=resident, body="Wie beantwoordt de vragen dan?")
        idea_ops.edit_idea(open_idea, by=member, body="Een app waarin jongeren *anoniem* vragen stellen.")
        # Pre-moderation for a moment: a comment waits in the chairs' queue (then off again, for the other tests).
        review.set_premoderation(preventie, by=chair, on=True)
        idea_ops.add_comment(open_idea, author=author, body="Ik weet wie er op het schoolplein dealt.",
                             anonymous=True)
        review.set_premoderation(preventie, by=chair, on=False)
        idea_ops.report(by=resident, idea=open_idea, reason="Dit bestaat al: de Drugsinfolijn.")
        idea_ops.report(by=member, comment=question, reason="Dit is een vraag, geen reactie.")
        dismissed = idea_ops.report(by=resident, idea=adopted, reason="Dubbel idee?")
        idea_ops.resolve_report(dismissed, by=chair, outcome="dismissed", note="Geen dubbel idee.")

        indicator = action_ops.create_indicator(
            by=chair, thinktank=preventie, name=INDICATOR, unit="procent", direction="down",
            baseline_value="12", baseline_date="2023-01-01", target_value="8", target_date="2027-12-31",
            source="GGD Jeugdmonitor", description="Het aandeel van de **12- tot 18-jarigen**.")
        action_ops.record_measurement(indicator, by=chair, date="2024-06-01", value="11,5",
                                      note="Jeugdmonitor")
        action_ops.record_measurement(indicator, by=chair, date="2025-06-01", value="10,8")

        action = action_ops.create_action(
            preventie, by=chair, title=ACTION, owner=member, ideas=[adopted], indicators=[indicator],
            description="Vijf scholen, elk twee lessen.", decision=ADOPTED_ANSWER,
            start_date=days(-30), due_date=days(90))
        action_ops.post_update(action, by=member, body="De eerste twee scholen hebben de lessen gehad.",
                               progress=40, status="in_progress")
        overdue = action_ops.create_action(
            preventie, by=chair, title=OVERDUE_ACTION, owner=member, status="delayed",
            start_date=days(-60), due_date=days(-5))
        found = action_ops.add_milestone(overdue, by=member, title="Een ruimte gevonden")
        action_ops.add_milestone(overdue, by=member, title="Open op woensdagmiddag",
                                 due_date=days(10))
        action_ops.set_milestone_done(found, by=member, done=True)
        action_ops.create_action(preventie, by=chair, title="Intern overleg met de scholen", public=False)
        db.session.commit()
        return {"member": member.id, "adopted_idea": adopted.id, "ready_idea": ready.id,
                "open_idea": open_idea.id,
                "action": action.id, "overdue_action": overdue.id, "indicator": indicator.id}


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Serve a fresh, migrated and seeded app on a free local port for the whole session."""
    url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.db'}"
    app = create_app(make_config(url, WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=False))
    with app.app_context():
        migrate.upgrade()
    ids = _seed(app)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="samen-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(url=f"http://127.0.0.1:{server.server_port}", app=app, ids=ids)
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


@pytest.fixture
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


@pytest.fixture
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
