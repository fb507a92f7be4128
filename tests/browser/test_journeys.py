"""What residents do in a real browser: register, confirm, join a think tank, use the keyboard, use a phone."""
from __future__ import annotations

import re
from collections.abc import Callable
from itertools import count
from typing import Any

import pytest

from tests.browser.conftest import ADMIN, FOCUS_STYLE, THINKTANK, LiveServer, focus_is_visible, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

_people = count(1)

ACTIVE_ELEMENT = "() => ({cls: document.activeElement.className, text: document.activeElement.textContent})"
HEADER_LAYOUT = """() => {
    const header = document.querySelector('.site-header');
    return {
        page: document.documentElement.scrollWidth,
        header: header.scrollWidth - header.clientWidth,
        targets: [...header.querySelectorAll('a, button')].map(el => {
            const box = el.getBoundingClientRect();
            return {text: el.textContent.trim(), left: box.left, right: box.right, height: box.height};
        }),
    };
}"""


def _confirmation_link(live_server: LiveServer, email: str) -> str:
    """Return the path of the link in the newest confirmation e-mail to `email` (the server's memory outbox)."""
    from samen.core.mail import outbox, wait_for_mail

    with live_server.app.app_context():
        assert wait_for_mail(live_server.app)
        message = [m for m in outbox().messages if m["To"] == email][-1]
    match = re.search(r"https?://[^/\s]+(/register/confirm/\S+)", message.get_content())
    assert match, message.get_content()
    return match.group(1)


def test_resident_registers_confirms_and_joins_a_think_tank(page: Any, live_server: LiveServer) -> None:
    t = live_server.t
    n = next(_people)
    name = f"Moeder uit Hoevelaken {n}"
    email = f"nieuw{n}@example.org"
    page.goto("/")
    page.get_by_role("navigation", name=t("Main")).get_by_role("link", name=t("Register")).click()
    page.fill("#email", email)
    page.fill("#display_name", name)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.get_by_label(t("I agree to the terms of use")).check()
    page.get_by_role("button", name=t("Create account")).click()
    assert page.get_by_role("heading", level=1).inner_text() == t("Check your e-mail")

    # Signed in before confirming: reading works, joining is refused with the way out.
    sign_in(page, email)
    page.goto(f"/thinktanks/{THINKTANK}")
    page.get_by_role("button", name=t("Join this think tank")).click()
    assert t("Confirm your e-mail address first: open the link in the e-mail we sent you. No e-mail? Use “Send "
             "the e-mail again” on the website.") in page.locator("main").inner_text()
    page.get_by_role("button", name=t("Send the e-mail again")).click()

    page.goto(_confirmation_link(live_server, email))
    page.get_by_role("button", name=t("Confirm my e-mail address")).click()
    assert t("Your e-mail address %(email)s is confirmed. You can now take part.", email=email) in \
        page.locator(".flashes").inner_text()

    page.get_by_role("navigation", name=t("Main")).get_by_role("link", name=t("Think tanks")).click()
    assert page.url.endswith("/thinktanks/")
    page.get_by_role("link", name="Preventie", exact=True).click()
    assert page.url.endswith(f"/thinktanks/{THINKTANK}")
    assert page.get_by_role("heading", level=1).inner_text() == "Preventie"

    page.get_by_role("button", name=t("Join this think tank")).click()

    assert page.url.endswith(f"/thinktanks/{THINKTANK}")
    assert t("You are now a member of %(name)s.", name="Preventie") in page.locator(".flashes").inner_text()
    about = page.get_by_role("complementary")
    assert t("You are a member.") in about.inner_text()
    leave = about.get_by_role("button", name=t("Leave this think tank"))
    assert leave.is_visible()
    # A secondary action looks secondary: white, not the blue of the main action.
    assert leave.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(255, 255, 255)"
    assert about.get_by_role("button", name=t("Join this think tank")).count() == 0


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page: Any, live_server: LiveServer) -> None:
    page.goto(f"/thinktanks/{THINKTANK}")
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE_ELEMENT) == {"cls": "skip-link", "text": live_server.t("Skip to content")}
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0 and box["height"] >= 24, f"the skip link does not show: {box}"

    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.tagName") == "MAIN"
    assert page.evaluate("() => document.activeElement.id") == "content"
    page.keyboard.press("Tab")  # and the next Tab goes on inside main, not back to the top of the page
    assert page.evaluate("() => document.activeElement.closest('main') !== null")


def test_focus_is_clearly_visible(page: Any) -> None:
    """Every control the keyboard reaches shows the yellow ring, or the yellow highlight for text links."""
    page.goto("/login")
    for _ in range(10):  # the skip link, the header's links and button, the form's fields and button
        page.keyboard.press("Tab")
        style = page.evaluate(FOCUS_STYLE)
        assert focus_is_visible(style), style


# 360px is a common Android phone; 320px is the WCAG reflow width (1280px zoomed to 400%).
# The admin sees the most links in the header, so the admin is the hard case.
@pytest.mark.parametrize("who, width", [("visitor", 360), ("admin", 360), ("admin", 320)])
def test_header_fits_a_narrow_phone(new_page: Callable[..., Any], signed_in_state: Callable[[str], Any],
                                    who: str, width: int) -> None:
    options: dict[str, Any] = {"viewport": {"width": width, "height": 740}, "is_mobile": True,
                               "has_touch": True}
    paths = ["/", f"/thinktanks/{THINKTANK}", "/register?lang=en"]
    if who == "admin":
        options["storage_state"] = signed_in_state(ADMIN)
        paths.append("/admin/users")  # a wide table: it scrolls in its own box, the page does not
    page = new_page(**options)
    for path in paths:
        page.goto(path)
        # Closed, the menu's links are folded away behind the Menu button (static/js/menu.js); open, they show.
        for opened in (False, True):
            if opened:
                page.locator(".menu-toggle").click()
            layout = page.evaluate(HEADER_LAYOUT)
            assert layout["page"] <= width, (path, opened, layout)
            assert layout["header"] <= 0, (path, opened, layout)
            shown = [target for target in layout["targets"] if target["height"] > 0]
            assert len(shown) > (6 if opened else 2), (path, opened, layout)
            for target in shown:  # on the screen, and at least 44px tall for a finger
                assert target["left"] >= 0 and target["right"] <= width and target["height"] >= 44, (path, target)


def test_language_button_switches_and_stays_on_the_page(page: Any, live_server: LiveServer) -> None:
    page.goto(f"/thinktanks/{THINKTANK}")
    assert page.locator("html").get_attribute("lang") == "nl"
    page.locator(".lang-switch").get_by_role("button", name="English").click()
    assert page.url.endswith(f"/thinktanks/{THINKTANK}")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name=live_server.t("About this think tank", "en")).is_visible()
    page.locator(".lang-switch").get_by_role("button", name="Nederlands").click()
    assert page.locator("html").get_attribute("lang") == "nl"


def test_current_page_is_marked_in_the_navigation(page: Any, live_server: LiveServer) -> None:
    nav = page.get_by_role("navigation", name=live_server.t("Main"))
    think_tanks = nav.get_by_role("link", name=live_server.t("Think tanks"))
    page.goto("/thinktanks/")
    assert think_tanks.get_attribute("aria-current") == "page"
    page.goto(f"/thinktanks/{THINKTANK}")
    assert think_tanks.get_attribute("aria-current") == "true"  # the section this page belongs to
    page.goto("/login")
    assert nav.get_by_role("link", name=live_server.t("Sign in")).get_attribute("aria-current") == "page"
    assert nav.locator("[aria-current]").count() == 1


def test_error_summary_links_lead_to_the_fields(page: Any, live_server: LiveServer) -> None:
    page.goto("/register")
    page.fill("#email", "geen-adres")
    page.get_by_role("button", name=live_server.t("Create account")).click()
    summary = page.get_by_role("alert")
    assert summary.get_by_role("heading", name=live_server.t("Please correct the following")).is_visible()
    links = summary.get_by_role("link").all()
    assert len(links) >= 3
    for link in links:
        target = link.get_attribute("href")
        assert target and target.startswith("#") and page.locator(target).count() == 1, target
        link.click()
        assert page.evaluate("() => '#' + document.activeElement.id") == target
