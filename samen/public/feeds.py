"""Open data: an Atom feed (RFC 4287) of progress, and the actions and indicators as CSV and JSON.

These functions turn loaded objects into documents; they know nothing of requests. Links come in as callables,
so the blueprint decides what the URLs are. The data name no person: owners appear as their organisation,
updates and decisions without who wrote them. Dates are ISO 8601; times are UTC.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from xml.etree import ElementTree as ET

from samen.actions.models import ActionItem, Indicator, ProgressUpdate
from samen.public.queries import public_ideas_of

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

ACTION_COLUMNS = ("id", "title", "thinktank", "organisation", "status", "progress", "start_date", "due_date",
                  "overdue", "idea_ids", "indicator_ids", "milestones_done", "milestones_total", "created_at",
                  "updated_at", "last_update_at", "url")
INDICATOR_COLUMNS = ("indicator_id", "indicator", "unit", "direction", "thinktank", "baseline_value",
                     "baseline_date", "target_value", "target_date", "source", "date", "value", "note", "kind",
                     "corrected_at")


def iso(value: date | datetime | None) -> str | None:
    """Return a date as YYYY-MM-DD and a (UTC) time as YYYY-MM-DDTHH:MM:SSZ."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(microsecond=0, tzinfo=None).isoformat() + "Z"
    return value.isoformat()


# --- Atom ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """One entry of the feed."""

    id: str
    title: str
    updated: datetime
    url: str
    html: str
    category: str | None = None


def atom_feed(*, feed_id: str, title: str, subtitle: str, author: str, self_url: str, page_url: str,
              updated: datetime | None, lang: str, entries: Iterable[Entry]) -> bytes:
    """Return an Atom 1.0 document (UTF-8) with the entries in the order given."""
    ET.register_namespace("", ATOM)

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    entries = list(entries)
    feed = ET.Element(f"{{{ATOM}}}feed", {XML_LANG: lang})
    add(feed, "id", feed_id)
    add(feed, "title", title)
    add(feed, "subtitle", subtitle)
    newest = max([entry.updated for entry in entries] + ([updated] if updated else []), default=None)
    add(feed, "updated", iso(newest or datetime(2000, 1, 1)))
    add(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    add(feed, "link", rel="alternate", type="text/html", href=page_url)
    add(add(feed, "author"), "name", author)
    add(feed, "generator", "Samen")
    for item in entries:
        entry = add(feed, "entry")
        add(entry, "id", item.id)
        add(entry, "title", item.title)
        add(entry, "updated", iso(item.updated))
        add(entry, "link", rel="alternate", type="text/html", href=item.url)
        if item.category:
            add(entry, "category", term=item.category)
        add(entry, "content", item.html, type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


# --- CSV ----------------------------------------------------------------------------------------------------

def _cell(value: Any) -> Any:
    """Return a CSV cell; text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime):
        return iso(value)
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(CSV_FORMULA_START):
        return "'" + value
    return value


def to_csv(columns: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> str:
    """Return RFC 4180 CSV with a header row."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _cell(row.get(key)) for key in columns})
    return out.getvalue()


# --- actions ------------------------------------------------------------------------------------------------

def action_record(action: ActionItem, *, today: date, last_update: ProgressUpdate | None,
                  url: Callable[[str, Any], str]) -> dict[str, Any]:
    """Return an action as open data (its milestones, indicators, thinktank and ideas must be loaded)."""
    ideas = public_ideas_of(action)
    tank = action.thinktank
    return {
        "id": action.id,
        "url": url("action", action),
        "title": action.title,
        "description": action.description,
        "thinktank": {"slug": tank.slug, "name": tank.name, "url": url("thinktank", tank)},
        "organisation": action.organisation or None,
        "status": action.status,
        "stop_reason": action.stop_reason if action.status == "stopped" else None,
        "progress": action.progress,
        "start_date": iso(action.start_date),
        "due_date": iso(action.due_date),
        "overdue": action.is_overdue(today),
        "decision": action.decision or None,
        "ideas": [{"id": idea.id, "title": idea.title, "status": idea.status,
                   "support_count": idea.support_count, "url": url("idea", idea)} for idea in ideas],
        "ideas_not_public": len(action.ideas) - len(ideas),
        "milestones": [{"title": m.title, "due_date": iso(m.due_date), "done": m.done_at is not None,
                        "done_at": iso(m.done_at)} for m in action.milestones],
        "indicator_ids": [indicator.id for indicator in action.indicators],
        "last_update": None if last_update is None else {
            "created_at": iso(last_update.created_at), "status": last_update.status,
            "progress": last_update.progress, "body": last_update.body},
        "created_at": iso(action.created_at),
        "updated_at": iso(action.updated_at),
    }


def action_row(record: dict[str, Any]) -> dict[str, Any]:
    """Flatten an action record for CSV: lists become ids separated by ';'."""
    return {
        **{key: record[key] for key in ("id", "title", "organisation", "status", "progress", "start_date",
                                        "due_date", "overdue", "created_at", "updated_at", "url")},
        "thinktank": record["thinktank"]["name"],
        "idea_ids": ";".join(str(idea["id"]) for idea in record["ideas"]),
        "indicator_ids": ";".join(str(i) for i in record["indicator_ids"]),
        "milestones_done": sum(1 for m in record["milestones"] if m["done"]),
        "milestones_total": len(record["milestones"]),
        "last_update_at": record["last_update"]["created_at"] if record["last_update"] else None,
    }


# --- indicators ---------------------------------------------------------------------------------------------

def indicator_record(indicator: Indicator, *, action_ids: list[int],
                     url: Callable[[str, Any], str]) -> dict[str, Any]:
    """Return an indicator with its measurements as open data (measurements and think tank loaded)."""
    tank = indicator.thinktank
    return {
        "id": indicator.id,
        "name": indicator.name,
        "description": indicator.description,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "kind": indicator.kind,
        "scale": None if indicator.scale_min is None or indicator.scale_max is None
        else {"min": indicator.scale_min, "max": indicator.scale_max},
        "source": indicator.source or None,
        "thinktank": None if tank is None else {"slug": tank.slug, "name": tank.name,
                                                "url": url("thinktank", tank)},
        "baseline": {"value": indicator.baseline_value, "date": iso(indicator.baseline_date)},
        "target": {"value": indicator.target_value, "date": iso(indicator.target_date)},
        "action_ids": action_ids,
        "measurements": [{"date": iso(m.date), "value": m.value, "note": m.note or None,
                          "corrected_at": iso(m.corrected_at)} for m in indicator.measurements],
    }


def indicator_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    """Flatten an indicator record for CSV: one row per measurement (one row without, if it has none)."""
    base = {
        "indicator_id": record["id"], "indicator": record["name"], "unit": record["unit"],
        "direction": record["direction"], "source": record["source"],
        "thinktank": record["thinktank"]["name"] if record["thinktank"] else None,
        "baseline_value": record["baseline"]["value"], "baseline_date": record["baseline"]["date"],
        "target_value": record["target"]["value"], "target_date": record["target"]["date"],
        "kind": record["kind"],
    }
    return [{**base, "date": m["date"], "value": m["value"], "note": m["note"], "corrected_at": m["corrected_at"]}
            for m in record["measurements"]] or [base]
