"""Supporting an idea in place on the idea list (static/js/ideas.js), with the keyboard, in a real browser."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MEMBER, THINKTANK, LiveServer
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser

COUNT = ("%(num)d support", "%(num)d supports")


def test_a_member_supports_and_withdraws_on_the_list_without_leaving_it(
        new_page: Callable[..., Any], signed_in_state: Callable[[str], Any], live_server: LiveServer) -> None:
    t, tn = live_server.t, live_server.tn
    page = new_page(storage_state=signed_in_state(MEMBER))
    page.goto(f"/thinktanks/{THINKTANK}/ideas?sort=new")
    page.evaluate("window.samenSamePage = true")
    card = page.locator("li.card").filter(has=page.get_by_role("button", name=t("Support"), exact=False)).first
    card_id = card.get_attribute("id")
    card = page.locator(f"li#{card_id}")
    count = card.locator("[data-support-count]")
    before = int(count.inner_text().split()[0])

    # With the keyboard: focus the button, press Enter.
    card.get_by_role("button", name=t("Support"), exact=False).focus()
    page.keyboard.press("Enter")
    title = card.locator(".card__title").inner_text()
    expect(page.locator("#support-status")).to_have_text(t("You support “%(title)s”.", title=title))
    expect(count).to_have_text(tn(*COUNT, before + 1))
    expect(card).to_contain_text(t("You support this idea"))
    withdraw = card.get_by_role("button", name=t("Withdraw support"), exact=False)
    expect(withdraw).to_be_focused()  # the focus stays where the member was
    assert page.evaluate("window.samenSamePage") is True  # no page load
    assert violations(page) == ""

    # And back: the list is as it was.
    page.keyboard.press("Enter")
    expect(page.locator("#support-status")).to_have_text(t("You no longer support “%(title)s”.", title=title))
    expect(count).to_have_text(tn(*COUNT, before))
    expect(card.get_by_role("button", name=t("Support"), exact=False)).to_be_focused()
    assert page.evaluate("window.samenSamePage") is True

    # After a reload the server says the same.
    page.reload()
    expect(page.locator(f"li#{card_id} [data-support-count]")).to_have_text(tn(*COUNT, before))
