"""The main menu: its sections from samen/core/menu.py, shown when their pages exist, marked where you are."""
from __future__ import annotations

import re
from typing import Any

import pytest

from samen.core import menu


def _nav(client: Any, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'<nav aria-label="[^"]*" class="site-nav" id="site-menu">(.*?)</nav>', page, re.S).group(1)


def test_the_menu_shows_every_section_that_exists(client: Any) -> None:
    nav = _nav(client, "/thinktanks/?lang=en")
    links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)
    assert links[:6] == [("/thinktanks/", "Think tanks"), ("/meetings/", "Meetings"), ("/progress", "Progress"),
                         ("/partners", "Partners"), ("/evaluatie", "Evaluation"), ("/search", "Search")]


def test_an_entry_whose_page_does_not_exist_is_left_out(app: Any, client: Any, monkeypatch: Any) -> None:
    assert "nowhere.index" not in app.view_functions  # a feature that is not installed
    monkeypatch.setattr(menu, "entries", lambda: [menu.Entry("nowhere.index", "Nowhere"),
                                                  menu.Entry("search.index", "Search")])
    assert '<a href="/search"' in _nav(client, "/") and "Nowhere" not in _nav(client, "/")


@pytest.mark.parametrize("path, label, current", [
    ("/meetings/", "Meetings", "page"),
    ("/search?q=x", "Search", "page"),
    ("/indicators", "Progress", "true"),
    ("/progress", "Progress", "page"),
])
def test_the_menu_marks_where_you_are(client: Any, path: str, label: str, current: str) -> None:
    nav = _nav(client, path + ("&" if "?" in path else "?") + "lang=en")
    assert f'aria-current="{current}">{label}</a>' in nav
    assert nav.count("aria-current") == 1


def test_the_phone_menu_button_waits_for_its_script(client: Any) -> None:
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'<button type="button" class="menu-toggle" aria-expanded="false" aria-controls="site-menu" '
                     r'hidden>', page)  # without the script the menu stays open and the button hidden
    assert '<script src="/static/js/menu.js" defer></script>' in page
