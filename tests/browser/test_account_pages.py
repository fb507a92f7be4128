"""Account pages in Chromium at phone width."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import ADMIN

pytestmark = pytest.mark.browser


def test_a_tokens_revoke_button_is_in_view_at_375_pixels(new_page: Callable[..., Any],
                                                          signed_in_state: Callable[[str], dict[str, Any]]) -> None:
    page = new_page(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True,
                    storage_state=signed_in_state(ADMIN))
    page.goto("/account/tokens")
    page.fill("#name", "telefoon")
    page.locator("main form button[type=submit]").last.click()
    page.goto("/account/tokens")
    revoke = page.get_by_role("button", name="Intrekken telefoon")
    box = revoke.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375  # no sideways scrolling to reach it
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    revoke.click()
    assert page.get_by_role("button", name="Intrekken telefoon").count() == 0
