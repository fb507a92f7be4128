"""The menu on a phone (one line when closed, keyboard-operable) and on a wide screen; the search page at both.

Screenshots go to SAMEN_SCREENSHOTS (a folder) when it is set, to look at by eye.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from samen.accounts import operations as account_ops
from samen.core.database import db
from samen.ideas import operations as idea_ops
from samen.thinktanks import operations as tt_ops
from tests.browser.conftest import CHAIR, focus_is_visible, FOCUS_STYLE, LiveServer, sign_in, THINKTANK
from tests.browser.test_accessibility import violations

pytestmark = [pytest.mark.browser, pytest.mark.integration]

PHONE = {"width": 375, "height": 740}
WIDE = {"width": 1280, "height": 900}


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("SAMEN_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _box(page: Any, selector: str) -> dict[str, float]:
    return page.locator(selector).first.bounding_box()


def test_on_a_phone_the_closed_menu_shares_the_brands_line(new_page: Callable[..., Any],
                                                           live_server: LiveServer) -> None:
    with live_server.app.app_context():  # a long Dutch compound in a result's title must wrap, not widen the page
        idea_ops.create_idea(tt_ops.get_thinktank(THINKTANK), author=account_ops.find_user_by_email(CHAIR), body="",
                             title="Jongerenwerkersoverlegstructuurverbeteringsvoorstellen voor de telefoon")
        db.session.commit()
    page = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto("/search?q=jongeren")
    button = page.locator(".menu-toggle")
    assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert not page.locator("#site-menu").is_visible()
    brand, toggle = _box(page, ".brand"), _box(page, ".menu-toggle")
    assert abs(brand["y"] - toggle["y"]) < brand["height"]  # one line: the button sits beside the brand
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]  # nothing sticks out
    _shot(page, "search-375-closed")
    assert not violations(page)


def test_the_phone_menu_opens_and_closes_with_the_keyboard(new_page: Callable[..., Any]) -> None:
    page = new_page(viewport=PHONE, is_mobile=True)
    page.goto("/")
    page.locator(".menu-toggle").focus()
    assert focus_is_visible(page.evaluate(FOCUS_STYLE))
    page.keyboard.press("Enter")
    assert page.locator(".menu-toggle").get_attribute("aria-expanded") == "true"
    menu = page.locator("#site-menu")
    assert menu.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.closest('#site-menu') !== null")
    assert focus_is_visible(page.evaluate(FOCUS_STYLE))
    _shot(page, "home-375-open")
    assert not violations(page)
    page.keyboard.press("Escape")
    assert not menu.is_visible()
    assert page.evaluate("() => document.activeElement.classList.contains('menu-toggle')")


def test_on_a_wide_screen_the_menu_is_open_and_has_no_button(new_page: Callable[..., Any]) -> None:
    page = new_page(viewport=WIDE)
    sign_in(page, CHAIR)
    page.goto("/search?q=jongeren")
    assert not page.locator(".menu-toggle").is_visible()
    assert page.locator("#site-menu a", has_text="Bijeenkomsten").is_visible()
    _shot(page, "search-1280")
    page.goto("/overview")
    _shot(page, "overview-1280")
    assert not violations(page)


def test_without_the_script_the_menu_stays_open(browser: Any, live_server: Any) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto("/")
        assert page.locator("#site-menu").is_visible() and not page.locator(".menu-toggle").is_visible()
        _shot(page, "home-375-no-script")
    finally:
        context.close()
