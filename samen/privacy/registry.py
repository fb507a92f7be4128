"""What each feature stores about a person: a registry of exporters, erasers and retention rules.

A feature registers once, at import time, e.g. in `samen/meetings/privacy.py`::

    from samen.privacy.registry import register

    def export(user):                                  # JSON-ready data about this user only
        return {"registrations": [...], "votes": [...]}

    def erase(user, *, keep_contributions):            # before the user row is deleted; return what changed
        ...
        return {"meeting registrations removed": n}

    def retain(*, now, settings, dry_run):            # remove what is older than its retention period
        cutoff = retention_cutoff(settings, "RETENTION_REGISTRATIONS_DAYS", now)
        ...
        return {"registrations of past meetings": n}

    register("meetings", export=export, erase=erase, retain=retain)

This module imports no feature, so a feature at any layer may import it. Exporters run in registration order
and their results go under their name in the download; erasers run in registration order before the account
row itself is deleted; retention rules run in registration order in `flask retention apply`.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

Exporter = Callable[[Any], Any]
Eraser = Callable[..., Mapping[str, int] | None]
Retainer = Callable[..., Mapping[str, int] | None]


@dataclass(frozen=True)
class Feature:
    """A feature's privacy hooks: any of them may be None."""

    name: str
    export: Exporter | None = None
    erase: Eraser | None = None
    retain: Retainer | None = None


_features: dict[str, Feature] = {}


def register(name: str, *, export: Exporter | None = None, erase: Eraser | None = None,
             retain: Retainer | None = None) -> Feature:
    """Register (or replace, by name) a feature's exporter, eraser and retention rule."""
    feature = Feature(name, export=export, erase=erase, retain=retain)
    _features[name] = feature
    return feature


def unregister(name: str) -> None:
    """Remove a feature's hooks (for tests and for features that are switched off)."""
    _features.pop(name, None)


def features() -> list[Feature]:
    """Return the registered features in registration order."""
    return list(_features.values())


def retention_days(settings: Mapping[str, Any], key: str) -> int | None:
    """Return a retention period in days from the settings, or None when it is 0 or unset: keep for ever."""
    value = settings.get(key)
    if value in (None, ""):
        return None
    days = int(value)
    return days if days > 0 else None


def retention_cutoff(settings: Mapping[str, Any], key: str, now: datetime) -> datetime | None:
    """Return the moment before which data under this setting is removed, or None to keep it."""
    days = retention_days(settings, key)
    return None if days is None else now - timedelta(days=days)
