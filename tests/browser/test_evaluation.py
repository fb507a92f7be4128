"""The published evaluation on a phone (375 px: nothing wider than the screen, tables scroll in their own box) and
on paper (no navigation or buttons, the conclusions on a page of their own); the pulse form on a phone."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import ADMIN, LiveServer, sign_in

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
PAGE_WIDTH = "() => document.documentElement.scrollWidth"


def test_the_published_evaluation_fits_a_phone(new_page: Callable[..., Any], live_server: LiveServer) -> None:
    from tests.browser.test_accessibility import violations

    page = new_page(**PHONE)
    response = page.goto(f"/evaluatie/{live_server.ids['previous_year']}")
    assert response is not None and response.status == 200
    assert page.evaluate(PAGE_WIDTH) <= 375
    tables = page.locator("main table")
    assert tables.count() >= 2
    for index in range(tables.count()):
        box = tables.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375 + 0.5
    assert page.get_by_text("Opschalen").is_visible()
    assert page.get_by_role("link", name="CSV").is_visible()
    assert not violations(page)


def test_the_published_evaluation_on_paper(new_page: Callable[..., Any], live_server: LiveServer) -> None:
    page = new_page()
    page.goto(f"/evaluatie/{live_server.ids['previous_year']}")
    page.emulate_media(media="print")
    assert not page.locator(".site-nav").is_visible()
    assert not page.locator(".help-link").is_visible()  # the header's "Need help?" is a button on paper
    assert not page.get_by_role("link", name="CSV").is_visible()
    assert page.locator("#conclusions").is_visible()
    breaks = page.evaluate("() => getComputedStyle(document.querySelector('.evaluation__section--new-page'))"
                           ".breakBefore")
    assert breaks == "page"
    display = page.evaluate("() => getComputedStyle(document.querySelector('.evaluation table')).display")
    assert display == "table"  # printed whole, not in a scrolling box


@pytest.mark.parametrize("who", [None, ADMIN])
def test_the_evaluation_fits_a_desktop_screen(new_page: Callable[..., Any], live_server: LiveServer,
                                              who: str | None) -> None:
    """At 1280 px the figures' tables, with last year's differences, scroll in their own box instead of
    widening the page."""
    page = new_page(viewport={"width": 1280, "height": 900})
    if who:
        sign_in(page, who)
    page.goto(f"/evaluatie/{live_server.ids['this_year' if who else 'previous_year']}")
    assert page.evaluate(PAGE_WIDTH) <= 1280
    main = page.locator("main").bounding_box()
    tables = page.locator("main table")
    for index in range(tables.count()):
        box = tables.nth(index).bounding_box()
        assert box is not None and box["x"] + box["width"] <= main["x"] + main["width"] + 0.5, index


def test_the_draft_shows_the_coordinators_tools_on_a_phone(new_page: Callable[..., Any],
                                                           live_server: LiveServer) -> None:
    page = new_page(**PHONE)
    sign_in(page, ADMIN)
    page.goto(f"/evaluatie/{live_server.ids['this_year']}")
    assert page.evaluate(PAGE_WIDTH) <= 375
    assert page.get_by_role("button", name="Publiceren: cijfers vastzetten").is_visible()
    assert page.get_by_role("link", name="Besluit schrijven").first.is_visible()
    # The comparison with last year is shown next to the figures.
    assert page.get_by_text(f"t.o.v. {live_server.ids['previous_year']}").first.is_visible()


def test_the_pulse_form_fits_a_phone(new_page: Callable[..., Any], live_server: LiveServer) -> None:
    page = new_page(**PHONE)
    page.goto(f"/partnerpeiling/{live_server.ids['pulse_token']}")
    assert page.evaluate(PAGE_WIDTH) <= 375
    assert page.get_by_role("radio", name="10").is_visible()
    assert page.get_by_label("Wachtlijsten en andere obstakels").is_visible()
