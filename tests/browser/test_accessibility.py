"""axe-core finds no violations on the pages residents, chairs and admins use, in Dutch and in English."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest

from tests.browser.conftest import ADMIN, CHAIR, MEMBER, RESIDENT, THINKTANK, TIMEOUT_MS, LiveServer

pytestmark = pytest.mark.browser

# (name, path, who is signed in, what to do on the page before the scan, the languages to scan it in)
# A path may name what the live server seeded, e.g. {action} (LiveServer.ids). The actions: "submit" sends
# the form as it is, to show its errors; "open" opens every <details> in main, so the forms folded in count.
BOTH = ("nl", "en")  # Dutch is the default; English is chosen with ?lang=en
PAGES: list[tuple[str, str, str | None, str | None, tuple[str, ...]]] = [
    ("home", "/", None, None, BOTH),
    ("think tank list", "/thinktanks/", None, None, BOTH),
    ("think tank", f"/thinktanks/{THINKTANK}", None, None, BOTH),
    ("register", "/register", None, None, BOTH),
    ("register with errors", "/register", None, "submit", BOTH),
    ("login", "/login", None, None, BOTH),
    ("account", "/account", RESIDENT, None, BOTH),
    ("admin index", "/admin/", ADMIN, None, BOTH),
    ("admin think tank edit", f"/admin/thinktanks/{THINKTANK}", ADMIN, None, BOTH),
    ("404", "/no-such-page", None, None, BOTH),
    ("forgot password", "/password/forgot", None, None, BOTH),
    ("change e-mail with errors", "/account/email", RESIDENT, "submit", BOTH),
    ("admin audit log", "/admin/audit", ADMIN, None, BOTH),
    # Other states of the same templates: once is enough to keep the suite fast.
    ("think tank, as resident", "/thinktanks/nazorg", RESIDENT, None, ("nl",)),
    ("members, as chair", f"/thinktanks/{THINKTANK}/members", CHAIR, None, ("nl",)),
    # Ideas: the list, an idea as a member (support, comments, report) and as a chair (the decide form).
    ("ideas", f"/thinktanks/{THINKTANK}/ideas", RESIDENT, None, BOTH),
    ("idea, as member", "/ideas/{open_idea}", RESIDENT, "open", BOTH),
    ("idea, as chair", "/ideas/{adopted_idea}", CHAIR, "open", BOTH),
    # The author of an anonymous idea: its earlier version with the forms that remove it; a comment that waits.
    ("idea, as its anonymous author", "/ideas/{open_idea}", MEMBER, "open", BOTH),
    ("idea with a comment waiting, as chair", "/ideas/{open_idea}", CHAIR, "open", ("nl",)),
    ("new idea", f"/thinktanks/{THINKTANK}/ideas/new", MEMBER, None, BOTH),
    ("new idea with errors", f"/thinktanks/{THINKTANK}/ideas/new", MEMBER, "submit", BOTH),
    ("moderation queue", f"/thinktanks/{THINKTANK}/moderation", CHAIR, "open", BOTH),
    ("notifications", "/notifications", MEMBER, None, BOTH),
    ("what you follow", "/account/following", MEMBER, None, BOTH),
    # Action items and indicators, as a chair: the forms, the history of changes, the measurement form.
    ("action", "/actions/{action}", CHAIR, "open", BOTH),
    ("action form", f"/actions/new?thinktank={THINKTANK}&idea={{ready_idea}}", CHAIR, None, BOTH),
    ("action form with errors", f"/actions/new?thinktank={THINKTANK}", CHAIR, "submit", BOTH),
    ("action dashboard", f"/thinktanks/{THINKTANK}/actions", CHAIR, None, BOTH),
    ("indicators", "/indicators", None, None, BOTH),
    ("indicator", "/indicators/{indicator}", CHAIR, None, BOTH),
    ("indicator, correcting it", "/indicators/{indicator}/edit", CHAIR, None, BOTH),
    # The public progress pages, for anyone: the charts' tables folded open too.
    ("progress", "/progress", None, "open", BOTH),
    ("progress of an action", "/progress/actions/{action}", None, "open", BOTH),
    ("progress report", "/progress/report", None, None, BOTH),
    ("progress of a think tank", f"/progress/thinktanks/{THINKTANK}", None, "open", BOTH),
    ("progress of an indicator", "/progress/indicators/{indicator}", None, None, BOTH),
    # The site search (the words marked) and what waits for a chair (docs/search.md).
    ("search", "/search?q=jongeren", RESIDENT, None, BOTH),
    ("overview, as chair", "/overview", CHAIR, None, BOTH),
    ("privacy", "/privacy", None, None, BOTH),
    ("terms of use", "/terms", None, None, BOTH),
    ("registered: check your e-mail", "/register/sent", None, None, BOTH),
    ("your data", "/account/data", RESIDENT, None, BOTH),
    # The help pages, for anyone without an account, and the administrators' pages that keep them.
    ("help", "/hulp", None, None, BOTH),
    ("help search", "/hulp?q=kind", None, None, ("nl",)),
    ("help question", "/hulp/vragen/{help_question}", None, None, BOTH),
    ("admin help", "/admin/hulp/", ADMIN, None, BOTH),
    ("admin help question with errors", "/admin/hulp/questions/new", ADMIN, "submit", BOTH),
    ("admin help entry with errors", "/admin/hulp/entries/new", ADMIN, "submit", ("nl",)),
    ("API tokens", "/account/tokens", RESIDENT, None, BOTH),
    ("API tokens with errors", "/account/tokens", RESIDENT, "submit", ("nl",)),
    ("admin user", "/admin/users/{member}", ADMIN, None, BOTH),
    ("admin user, suspend with errors", "/admin/users/{member}", ADMIN, "submit", ("nl",)),
    # The confidential help desk, for anyone without an account (tests/browser/test_helpdesk.py: the flows).
    ("help request", "/hulp/verzoek", None, None, BOTH),
    ("help request with errors", "/hulp/verzoek", None, "submit", BOTH),
    ("help request lookup", "/hulp/verzoek/status", None, None, BOTH),
    # The yearly evaluation (tests/browser/test_evaluation.py: the phone and paper layouts).
    ("evaluations", "/evaluatie", None, None, BOTH),
    ("published evaluation", "/evaluatie/{previous_year}", None, None, BOTH),
    ("draft evaluation, as admin", "/evaluatie/{this_year}", ADMIN, None, BOTH),
    ("open an evaluation with errors", "/evaluatie/nieuw", ADMIN, "submit", ("nl",)),
    ("pulse answers, as chair", "/evaluatie/{this_year}/peiling", CHAIR, None, BOTH),
    ("decision form, as chair", "/evaluatie/{this_year}/decision/thinktank/{thinktank_id}", CHAIR, None, BOTH),
    ("partner pulse with errors", "/partnerpeiling/{pulse_token}", None, "submit", BOTH),
    # Who takes part: inviting people (a chair), the groups administrators keep (docs/people.md).
    ("invite people", "/invitations", CHAIR, None, BOTH),
    ("invite people with errors", "/invitations", CHAIR, "submit", ("nl",)),
    ("participant groups", "/admin/groups", ADMIN, None, BOTH),
    # Stories: the pages of administrators and the coordinator (tests/browser/test_stories.py: the field
    # worker's and the analysis team's pages, at phone width).
    ("story themes", "/verhalen/themas", ADMIN, None, BOTH),
    ("field workers", "/verhalen/veldwerkers", ADMIN, None, BOTH),
    ("field workers with errors", "/verhalen/veldwerkers", ADMIN, "submit", ("nl",)),
    # The partner network (docs/partners.md): public pages, the register, and choosing your organisation.
    ("partners", "/partners", None, None, BOTH),
    ("partner organisation", "/partners/politie-nijkerk", None, None, BOTH),
    ("my organisation", "/partners/mine", RESIDENT, None, BOTH),
    ("register of organisations", "/partners/register", ADMIN, None, ("nl",)),
    ("organisation edit", "/partners/politie-nijkerk/edit", ADMIN, None, BOTH),
    ("organisation new with errors", "/partners/register/new", ADMIN, "submit", ("nl",)),
    ("possible duplicates", "/partners/register/duplicates", ADMIN, None, ("nl",)),
    # The programme (tests/browser/test_programme_pages.py: with lines, plan-wide work and an inbox, at 375 px).
    ("programme lines", "/admin/programme/lines", ADMIN, None, BOTH),
    ("new line with errors", "/admin/programme/lines/new", ADMIN, "submit", BOTH),
    ("plan-wide roles", "/admin/programme/roles", ADMIN, None, BOTH),
    ("plan inbox", "/programme/inbox", ADMIN, None, BOTH),
    ("plan-wide action form", "/actions/new?plan=1", ADMIN, None, ("nl",)),
]


def report(results: Any) -> str:
    """Describe axe's violations so that a failing test says what to fix and where."""
    lines = []
    for violation in results.response["violations"]:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node.get('failureSummary', '')}")
            lines.append(f"       {node['html'][:200]}")
    return "\n".join(lines)


def violations(page: Any) -> str:
    """Run axe-core on the page as it is now; return its violations as text, empty when there are none."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    if results.violations_count == 0:
        return ""
    found = f"{page.url}:\n{report(results)}"
    print(found)  # noqa: T201 - shown with the failure, and with -s while the test runs
    return found


def submit_empty(page: Any) -> None:
    """Send the page's form as it is, to show the errors (in the page's language, as ?lang= says it)."""
    # The form with fields to fill: a list before it may hold forms of a button alone (remove, delete), which
    # would do something instead (a field workers' list once other tests have named some).
    form = page.locator("main form[method=post]:has(input:not([type=hidden]), textarea, select)").first
    # A form whose action is another address than the page's loses ?lang=en: keep it, for the English scan.
    form.evaluate("""f => { const lang = new URL(location.href).searchParams.get('lang');
                           if (lang) { const url = new URL(f.action); url.searchParams.set('lang', lang);
                                       f.action = url.href; } }""")
    form.locator("button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator(".field--error").count() > 0, f"{page.url}: the bad submit showed no errors"


def open_details(page: Any) -> None:
    """Open every folded part of main (forms in <details>, the charts' tables), so that axe checks them."""
    page.evaluate("() => document.querySelectorAll('main details').forEach(d => { d.open = true; })")


@pytest.fixture(scope="module")
def page_of(browser: Any, live_server: LiveServer,
            signed_in_state: Callable[[str], Any]) -> Iterator[Callable[[str | None], Any]]:
    """Return one page per person (None: a visitor), reused by the scans of this module.

    The scans only read (a form sent with errors stores nothing), so they can share a browser context: a new
    context and its first page cost about a second on a small machine, more than the scan itself.
    """
    contexts: dict[str | None, Any] = {}
    pages: dict[str | None, Any] = {}

    def page_of(who: str | None) -> Any:
        if who not in pages:
            options = {"storage_state": signed_in_state(who)} if who else {}
            context = browser.new_context(base_url=live_server.url, locale="nl-NL",
                                          viewport={"width": 1280, "height": 900}, **options)
            context.set_default_timeout(TIMEOUT_MS)
            contexts[who], pages[who] = context, context.new_page()
        return pages[who]

    yield page_of
    for context in contexts.values():
        context.close()


@pytest.mark.parametrize("name, path, who, action, languages", PAGES, ids=[p[0] for p in PAGES])
def test_page_has_no_axe_violations_in_dutch_and_english(
        page_of: Callable[[str | None], Any], live_server: LiveServer,
        name: str, path: str, who: str | None, action: str | None, languages: tuple[str, ...]) -> None:
    page = page_of(who)
    path = path.format(**live_server.ids)
    found = []
    for lang in languages:
        url = path if lang == "nl" else f"{path}{'&' if '?' in path else '?'}lang={lang}"
        response = page.goto(url)
        assert response is not None and response.status == (404 if name == "404" else 200), url
        if action == "submit":
            submit_empty(page)
        elif action == "open":
            open_details(page)
        assert page.locator("html").get_attribute("lang") == lang, url
        found.append(violations(page))
    assert not any(found), "\n\n".join(found)


@pytest.mark.parametrize("path, action", [(f"/thinktanks/{THINKTANK}", None), ("/register", "submit")],
                         ids=["think tank", "register with errors"])
def test_dark_colour_scheme_has_no_axe_violations(new_page: Callable[..., Any], path: str,
                                                  action: str | None) -> None:
    page = new_page(color_scheme="dark")
    page.goto(path)
    if action == "submit":
        submit_empty(page)
    assert page.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches")
    assert not violations(page)


# The printable report's tables scroll sideways on a phone: each must be keyboard-focusable (tabindex=0, named by
# its caption), or axe's scrollable-region-focusable fails.
@pytest.mark.parametrize("path", [f"/thinktanks/{THINKTANK}", "/hulp", "/progress/report", "/progress/report?lang=en",
                                  f"/thinktanks/{THINKTANK}/ideas", "/partners/politie-nijkerk"])
def test_phone_layout_has_no_axe_violations(new_page: Callable[..., Any], path: str) -> None:
    """The phone layout (one column, wrapped header) passes too: reflow must not hide or overlap anything."""
    page = new_page(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page.goto(path)
    assert not violations(page)


@pytest.mark.parametrize("lang", BOTH)
def test_the_privacy_forms_have_no_axe_violations(new_page: Callable[..., Any], lang: str) -> None:
    """The confirm-password step and the deletion form, with their errors: signed in just now, so the sign-in
    counts as confirming the password (a shared signed-in state may be older than that)."""
    from tests.browser.conftest import sign_in

    page = new_page()
    sign_in(page, RESIDENT)
    suffix = "" if lang == "nl" else f"?lang={lang}"
    found = []
    page.goto(f"/account/confirm{suffix}")
    submit_empty(page)
    found.append(violations(page))
    page.goto(f"/account/delete{suffix}")
    assert page.locator("html").get_attribute("lang") == lang
    assert "/account/delete" in page.url
    submit_empty(page)
    found.append(violations(page))
    assert not any(found), "\n\n".join(found)


@pytest.mark.parametrize("lang", BOTH)
def test_the_confirmation_pages_have_no_axe_violations(new_page: Callable[..., Any], live_server: LiveServer,
                                                       lang: str) -> None:
    """The page of the confirmation link, and a page with the notice an unconfirmed account sees on every page
    (its resend button), at a phone's width (375 px); the registration pages need no sideways scrolling there."""
    from samen.accounts import operations as account_ops
    from samen.core.database import db
    from tests.browser.conftest import sign_in
    from tests.conftest import PASSWORD

    email = f"nog-niet-bevestigd-{lang}@example.org"
    with live_server.app.app_context():
        user = account_ops.find_user_by_email(email) or account_ops.create_user(
            email=email, display_name="Nieuwe bewoner", password=PASSWORD, email_confirmed=False)
        secret = account_ops.start_email_confirmation(user, lifetime=timedelta(hours=1))
        db.session.commit()
    page = new_page(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    suffix = "" if lang == "nl" else f"?lang={lang}"
    found = []
    for path in ("/register", "/terms", "/register/sent"):
        page.goto(f"{path}{suffix}")
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 375, path
    page.goto(f"/register/confirm/{secret}{suffix}")
    assert page.locator("html").get_attribute("lang") == lang
    found.append(violations(page))
    sign_in(page, email)
    page.goto(f"/thinktanks/{THINKTANK}{suffix}")
    assert page.locator(".confirm-notice button[type=submit]").is_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    found.append(violations(page))
    assert not any(found), "\n\n".join(found)
