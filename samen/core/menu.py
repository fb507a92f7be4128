"""The main menu's sections, one line per entry (templates/base.html shows them; docs/search.md).

An entry shows only when its page exists — its endpoint is registered — so a feature that is not installed (or
not merged yet) leaves no dead link. `section` lists the endpoints, or the blueprints (ending in "."), whose pages
belong to the entry: the menu marks the entry as the current section there (aria-current="true"), and as the
current page (aria-current="page") on the entry's own endpoint. The account's entries (sign in, notifications,
sign out) are in the template: they depend on who is signed in.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, request, url_for
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Entry:
    endpoint: str
    label: Any
    section: tuple[str, ...] = ()


def entries() -> list[Entry]:
    """Return the menu's sections in their order: add a page to the menu with one line here."""
    return [
        Entry("thinktanks.list_thinktanks", _l("Think tanks"),
              ("thinktanks.show", "thinktanks.members", "ideas.", "moderation.", "actions.dashboard")),
        Entry("meetings.index", _l("Meetings"), ("meetings.", "meetings_board.")),
        Entry("public.progress", _l("Progress"), ("public.", "actions.show", "actions.edit", "actions.new",
                                                  "actions.indicators", "actions.indicator", "actions.new_indicator")),
        Entry("partners.index", _l("Partners"), ("partners.show", "partners.feed")),
        Entry("evaluation.index", _l("Evaluation"), ("evaluation.",)),
        Entry("search.index", _l("Search"), ("search.",)),
    ]


@dataclass(frozen=True)
class Shown:
    url: str
    label: Any
    current: str | None  # "page", "true" or None: the value of aria-current


def _current(entry: Entry, endpoint: str) -> str | None:
    if endpoint == entry.endpoint:
        return "page"
    for part in entry.section:
        if endpoint == part or (part.endswith(".") and endpoint.startswith(part)):
            return "true"
    return None


def main_menu() -> list[Shown]:
    """Return the entries whose pages exist, with their address and whether this page is in their section."""
    endpoint = request.endpoint or ""
    views = current_app.view_functions
    return [Shown(url_for(entry.endpoint), entry.label, _current(entry, endpoint))
            for entry in entries() if entry.endpoint in views]


def init_app(app: Flask) -> None:
    """Give templates main_menu()."""
    app.jinja_env.globals["main_menu"] = main_menu
