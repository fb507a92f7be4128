"""Correcting indicators and measurements: editing and deleting them, with the history kept in the audit log.

Who may correct is who may record: `operations.can_measure` (admins; chairs for their think tank's indicators).
Every change is an audit entry on the indicator (subject type `indicator`) with who, when, and each changed
field's old and new value; a deleted measurement keeps its date, value and note there. `history` reads them
back for the indicator page. A measurement whose value or date was corrected carries `corrected_at`, and the
chart and the table say so.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from samen.actions.models import Indicator, Measurement
from samen.actions.operations import (INDICATOR_FIELDS, _text, check_on_scale, checked_indicator, parse_date,
                                      parse_number, require_measurer)
from samen.audit import operations as audit
from samen.audit.models import AuditEntry
from samen.core.database import db, utcnow
from samen.core.errors import DomainError


def _plain(value: Any) -> Any:
    """Return a value as JSON keeps it (dates as YYYY-MM-DD)."""
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def update_indicator(indicator: Indicator, *, by: Any, **fields: Any) -> dict[str, list[Any]]:
    """Correct an indicator's definition; return the changes ({field: [old, new]}), which the audit log keeps."""
    require_measurer(indicator, by)
    current = {name: getattr(indicator, name) for name in INDICATOR_FIELDS}
    values = checked_indicator(**{**current, **fields})
    changes = {name: [_plain(current[name]), _plain(values[name])] for name in INDICATOR_FIELDS
               if values[name] != current[name]}
    if values["kind"] != "number":
        for measurement in indicator.measurements:
            if not measurement.suppressed:
                check_on_scale(values, measurement.value, field="scale_min")
    for name in changes:
        setattr(indicator, name, values[name])
    if changes:
        audit.record(by, "indicator.update", "indicator", indicator.id, changes=changes)
    return changes


def delete_indicator(indicator: Indicator, *, by: Any) -> None:
    """Delete an indicator with its measurements; the audit log keeps its name and how many there were."""
    require_measurer(indicator, by)
    audit.record(by, "indicator.delete", "indicator", indicator.id, name=indicator.name,
                 measurements=len(indicator.measurements))
    db.session.delete(indicator)


def update_measurement(measurement: Measurement, *, by: Any, date: Any, value: Any, note: Any = "") -> dict[str, Any]:
    """Correct a measurement (its date, value or note); the old values stay in the audit log."""
    indicator = measurement.indicator
    require_measurer(indicator, by)
    if measurement.suppressed:
        raise DomainError(_l("This count is written by the help desk and cannot be corrected here."),
                          code="suppressed")
    day = parse_date(date, field="date")
    if day is None:
        raise DomainError(_l("Enter a date as YYYY-MM-DD."), field="date", code="invalid_date")
    number = parse_number(value, field="value")
    check_on_scale(indicator, number, field="value")
    new = {"date": day, "value": number, "note": _text(note, field="note", maximum=500)}
    changes = {name: [_plain(getattr(measurement, name)), _plain(new[name])] for name in new
               if getattr(measurement, name) != new[name]}
    for name in changes:
        setattr(measurement, name, new[name])
    if "date" in changes or "value" in changes:
        measurement.corrected_at = utcnow()
    if changes:
        audit.record(by, "measurement.update", "indicator", indicator.id, measurement=measurement.id,
                     changes=changes)
    return changes


def delete_measurement(measurement: Measurement, *, by: Any) -> None:
    """Delete a measurement (recorded by mistake); the audit log keeps what it said."""
    indicator = measurement.indicator
    require_measurer(indicator, by)
    audit.record(by, "measurement.delete", "indicator", indicator.id, measurement=measurement.id,
                 date=_plain(measurement.date), value=measurement.value, note=measurement.note)
    indicator.measurements.remove(measurement)
    db.session.delete(measurement)


@dataclass(frozen=True)
class Change:
    """One line of an indicator's history: who did what when, with the old and new values."""

    entry: AuditEntry
    action: str
    changes: dict[str, list[Any]]
    measurement: int | None


def history(indicator: Indicator) -> list[Change]:
    """Return an indicator's history, newest first: its creation, measurements and every correction (2 queries)."""
    entries = audit.entries_for("indicator", indicator.id)
    return [Change(entry=entry, action=entry.action, changes=dict(entry.data.get("changes") or {}),
                   measurement=entry.data.get("measurement")) for entry in reversed(entries)]
