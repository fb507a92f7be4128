"""The help pages in Chromium: 'Hulp nodig?' shows at phone width, and the quick exit leaves without a way back."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser


@pytest.fixture
def neutral_site(live_server: LiveServer) -> Iterator[str]:
    """Point the quick exit at a page of the live server (the tests make no request to another site)."""
    config = live_server.app.config
    before = config["HELP_QUICK_EXIT_URL"]
    config["HELP_QUICK_EXIT_URL"] = f"{live_server.url}/privacy"
    yield f"{live_server.url}/privacy"
    config["HELP_QUICK_EXIT_URL"] = before


@pytest.mark.parametrize("path", ["/", "/progress", "/hulp"])
def test_need_help_is_visible_at_375_pixels(new_page: Callable[..., Any], path: str) -> None:
    page = new_page(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page.goto(path)
    link = page.locator("a.help-link")
    assert link.is_visible() and link.inner_text() == "Hulp nodig?"
    box = link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375 and box["y"] < 120
    assert box["height"] >= 44  # a target a thumb can hit
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375  # nothing sticks out sideways


def test_the_quick_exit_replaces_the_help_page_in_the_history(new_page: Callable[..., Any], neutral_site: str,
                                                              live_server: LiveServer) -> None:
    page = new_page()
    page.goto("/progress")
    page.goto("/hulp")
    exit_button = page.locator("a[data-quick-exit]")
    assert exit_button.is_visible()
    exit_button.click()
    page.wait_for_url(neutral_site)
    page.go_back()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/progress"  # back leads past the help page, not to it


def test_escape_three_times_leaves_too(new_page: Callable[..., Any], neutral_site: str) -> None:
    page = new_page()
    page.goto("/hulp")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    assert page.url.endswith("/hulp")  # twice is not enough: Escape also closes things
    page.keyboard.press("Escape")
    page.wait_for_url(neutral_site)


def test_the_quick_exit_is_reached_first_with_the_keyboard_on_a_help_page(new_page: Callable[..., Any]) -> None:
    page = new_page()
    page.goto("/hulp")
    page.locator("main").focus()  # where "skip to content" leads
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.dataset.quickExit") == ""


def test_a_directory_entrys_details_are_stacked_at_375_pixels(new_page: Callable[..., Any]) -> None:
    page = new_page(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page.goto("/hulp")
    details = page.locator(".help-entry__details").first
    label, value = details.locator("dt").first.bounding_box(), details.locator("dd").first.bounding_box()
    assert label is not None and value is not None
    # The value sits under its label with the card's whole width, not squeezed into a column beside it.
    assert value["y"] >= label["y"] + label["height"] and abs(value["x"] - label["x"]) < 1
    assert value["width"] >= 250
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
