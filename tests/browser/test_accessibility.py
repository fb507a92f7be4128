"""axe-core finds no violations on the pages residents, chairs and admins use, in Dutch and in English."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import ADMIN, CHAIR, RESIDENT, THINKTANK

pytestmark = pytest.mark.browser

# (name, path, who is signed in, what to do on the page before the scan, the languages to scan it in)
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
    print(found)  # shown with the failure, and with -s while the test runs
    return found


def submit_empty(page: Any) -> None:
    """Send the page's form as it is, to show the errors."""
    page.locator("main form[method=post] button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator(".field--error").count() > 0, f"{page.url}: the bad submit showed no errors"


@pytest.mark.parametrize(("name", "path", "who", "action", "languages"), PAGES, ids=[p[0] for p in PAGES])
def test_page_has_no_axe_violations_in_dutch_and_english(
        new_page: Callable[..., Any], signed_in_state: Callable[[str], Any],
        name: str, path: str, who: str | None, action: str | None, languages: tuple[str, ...]) -> None:
    page = new_page(**({"storage_state": signed_in_state(who)} if who else {}))
    found = []
    for lang in languages:
        url = path if lang == "nl" else f"{path}?lang={lang}"
        response = page.goto(url)
        assert response is not None and response.status == (404 if name == "404" else 200), url
        if action == "submit":
            submit_empty(page)
        assert page.locator("html").get_attribute("lang") == lang, url
        found.append(violations(page))
    assert not any(found), "\n\n".join(found)


@pytest.mark.parametrize(("path", "action"), [(f"/thinktanks/{THINKTANK}", None), ("/register", "submit")],
                         ids=["think tank", "register with errors"])
def test_dark_colour_scheme_has_no_axe_violations(new_page: Callable[..., Any], path: str,
                                                  action: str | None) -> None:
    page = new_page(color_scheme="dark")
    page.goto(path)
    if action == "submit":
        submit_empty(page)
    assert page.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches")
    assert not violations(page)


def test_phone_layout_has_no_axe_violations(new_page: Callable[..., Any]) -> None:
    """The phone layout (one column, wrapped header) passes too: reflow must not hide or overlap anything."""
    page = new_page(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page.goto(f"/thinktanks/{THINKTANK}")
    assert not violations(page)
