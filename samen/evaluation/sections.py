"""Sections that other features add to the evaluation: participants per group, the stories' themes, …

A feature that can say something about a period registers a provider here; the evaluation includes the section
when its provider exists, and leaves it out otherwise. A provider takes the period's first and last day and
returns rows `{"label": str, "value": int}` (counts), in a constant number of queries. Counts below the help
desk's threshold are published as "< 5" by the evaluation itself.

The stories' themes are found without registering: when `samen.stories.operations.theme_counts(start, end)`
exists, it is used (see `providers`).
"""
from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

Provider = Callable[[date, date], Iterable[Any]]


@dataclass(frozen=True)
class Section:
    """A section of the evaluation from another feature: its key, title and provider."""

    key: str
    title: Any
    provide: Provider
    small_counts_hidden: bool = True  # counts below the threshold read "< 5"


_registered: dict[str, Section] = {}


def register_section(key: str, title: Any, provide: Provider, *, small_counts_hidden: bool = True) -> None:
    """Add (or replace) a section of the evaluation; call it once when the providing module is imported."""
    _registered[key] = Section(key, title, provide, small_counts_hidden)


def _story_themes() -> Section | None:
    """The stories' themes, when the stories feature provides `theme_counts(start, end)`."""
    try:
        if importlib.util.find_spec("samen.stories.operations") is None:
            return None
    except ModuleNotFoundError:
        return None
    operations = importlib.import_module("samen.stories.operations")
    theme_counts = getattr(operations, "theme_counts", None)
    if not callable(theme_counts):
        return None
    return Section("stories", _l("Themes of the stories from the field"), theme_counts)


def providers() -> list[Section]:
    """Return the sections whose providers exist, in a stable order."""
    found = dict(_registered)
    if "stories" not in found and (stories := _story_themes()) is not None:
        found["stories"] = stories
    return [found[key] for key in sorted(found)]


def section_title(key: str) -> Any:
    """Return the title of a section by its key (a published one keeps its rows, not its title)."""
    for section in providers():
        if section.key == key:
            return section.title
    return TITLES.get(key, key)


TITLES: dict[str, Any] = {
    "groups": _l("Participants per group"),
    "stories": _l("Themes of the stories from the field"),
}


def rows_of(result: Iterable[Any]) -> list[dict[str, Any]]:
    """Return a provider's answer as rows {label, value}: it may give dicts, (label, value) pairs or a mapping."""
    if isinstance(result, dict):
        result = result.items()
    rows = []
    for item in result:
        if isinstance(item, dict):
            label, value = item.get("label", item.get("name", "")), item.get("value", item.get("count", 0))
        elif isinstance(item, tuple | list) and len(item) == 2:
            label, value = item
        else:
            label, value = getattr(item, "name", getattr(item, "label", str(item))), getattr(
                item, "count", getattr(item, "value", 0))
        rows.append({"label": str(label), "value": int(value or 0)})
    return rows
