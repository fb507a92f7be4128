"""The Partners pages in Chromium at a phone's width (375 px): no sideways scrolling, overdue said in words, and a
screenshot of each for review."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("name, path", [("partners", "/partners"), ("organisation", "/partners/politie-nijkerk"),
                                        ("overdue-organisation", "/partners/halt")])
def test_the_partners_pages_at_375_pixels(new_page: Callable[..., Any], tmp_path_factory: pytest.TempPathFactory,
                                          name: str, path: str, lang: str) -> None:
    page = new_page(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page.goto(f"{path}?lang={lang}")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375, path
    main = page.locator("main")
    assert main.locator("h1").is_visible()
    if name == "overdue-organisation":
        words = "Te laat: de einddatum is voorbij" if lang == "nl" else "Overdue: the due date has passed"
        assert words in main.inner_text()  # in words, not by colour alone
    shots = Path(tmp_path_factory.getbasetemp()) / "screenshots"
    shots.mkdir(exist_ok=True)
    target = shots / f"{name}-{lang}-375.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
