"""Retention: `flask retention apply` removes handled reports, audit entries, idle sessions, old backup files and,
through the registry, whatever a feature registered (meeting registrations); `--dry-run` only counts."""
from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from samen.accounts import operations as account_ops
from samen.accounts.models import UserSession
from samen.audit.models import AuditEntry
from samen.audit.operations import record
from samen.ideas import operations as idea_ops
from samen.ideas.models import Report
from samen.privacy import operations as ops
from samen.privacy import registry

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both

NOW = datetime(2027, 6, 1, 12, 0)


def count(db: Any, model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def old_and_new(db: Any, thinktank: Any, chair: Any, member: Any, idea: Any) -> dict[str, Any]:
    """Two handled reports (long ago and lately), one open report from long ago; two audit entries; two sessions."""
    reports = [idea_ops.report(by=member, reason=f"Melding {n}", idea=idea) for n in range(3)]
    db.session.flush()
    handled_long_ago, handled_lately, still_open = reports
    for entry, days in ((handled_long_ago, 400), (handled_lately, 10)):
        entry.resolved_at, entry.resolved_by_id, entry.outcome = NOW - timedelta(days=days), chair.id, "dismissed"
    still_open.created_at = NOW - timedelta(days=900)
    db.session.execute(update(AuditEntry).values(created_at=NOW - timedelta(days=5)))
    old_entry = record(chair, "idea.status", "idea", idea.id, old="new", new="discussion")
    new_entry = record(chair, "idea.status", "idea", idea.id, old="discussion", new="adopted")
    old_entry.created_at, new_entry.created_at = NOW - timedelta(days=800), NOW - timedelta(days=1)
    account_ops.start_session(member)
    account_ops.start_session(chair)
    db.session.flush()
    sessions = list(db.session.scalars(select(UserSession).order_by(UserSession.id)))
    sessions[0].last_seen_at = NOW - timedelta(days=31)
    sessions[1].last_seen_at = NOW - timedelta(days=29)
    db.session.commit()
    return {"reports": reports, "audit": (old_entry.id, new_entry.id), "sessions": [s.id for s in sessions]}


def test_retention_removes_only_what_is_past_its_period(app, db, old_and_new):
    audit_before = count(db, AuditEntry)
    results = ops.apply_retention(app.config, now=NOW)
    db.session.commit()
    removed = {(r.feature, r.what): r.count for r in results}
    assert removed[("ideas", "handled reports")] == 1
    assert removed[("audit", "audit log entries")] == 1
    assert removed[("account", "sessions idle too long")] == 1
    _handled_long_ago, handled_lately, still_open = (r.id for r in old_and_new["reports"])
    assert set(db.session.scalars(select(Report.id))) == {handled_lately, still_open}
    assert old_and_new["audit"][0] not in set(db.session.scalars(select(AuditEntry.id)))
    assert count(db, AuditEntry) == audit_before - 1
    assert list(db.session.scalars(select(UserSession.id))) == [old_and_new["sessions"][1]]


def test_a_dry_run_counts_and_removes_nothing(app, db, old_and_new):
    before = (count(db, Report), count(db, AuditEntry), count(db, UserSession))
    results = ops.apply_retention(app.config, now=NOW, dry_run=True)
    db.session.commit()
    assert {(r.feature, r.what): r.count for r in results}[("ideas", "handled reports")] == 1
    assert (count(db, Report), count(db, AuditEntry), count(db, UserSession)) == before


def test_zero_days_keeps_for_ever(app, db, old_and_new):
    settings = {**app.config, "RETENTION_REPORTS_DAYS": 0, "RETENTION_AUDIT_DAYS": 0}
    features = {r.feature for r in ops.apply_retention(settings, now=NOW)}
    assert "ideas" not in features and "audit" not in features
    assert count(db, Report) == 3


def test_the_periods_come_from_the_settings(app, db, old_and_new):
    settings = {**app.config, "RETENTION_REPORTS_DAYS": 5, "RETENTION_AUDIT_DAYS": 10000}
    removed = {r.what: r.count for r in ops.apply_retention(settings, now=NOW)}
    assert removed["handled reports"] == 2 and removed["audit log entries"] == 0


def test_a_registered_feature_gets_its_setting(app, db, monkeypatch):
    calls: list[Any] = []

    def retain(*, now: datetime, settings: Any, dry_run: bool) -> dict[str, int]:
        calls.append((now, registry.retention_cutoff(settings, "RETENTION_REGISTRATIONS_DAYS", now), dry_run))
        return {"registrations of past meetings": 4}
    monkeypatch.setitem(registry._features, "meetings", registry.Feature("meetings", retain=retain))
    results = ops.apply_retention({**app.config, "RETENTION_REGISTRATIONS_DAYS": 30}, now=NOW, dry_run=True)
    assert calls == [(NOW, NOW - timedelta(days=30), True)]
    assert ("meetings", "registrations of past meetings", 4) in [(r.feature, r.what, r.count) for r in results]


@pytest.mark.parametrize("value,days", [(None, None), ("", None), (0, None), (30, 30), ("7", 7)])
def test_retention_days(value, days):
    assert registry.retention_days({"X": value}, "X") == days


def test_old_backup_files_are_removed(tmp_path: Path, app, db):
    old = tmp_path / "samen-20260101-000000.sqlite3"
    lately = tmp_path / "samen-20270530-000000.dump"
    foreign = tmp_path / "samen-notes.txt"  # not a backup of ours
    for file in (old, lately, foreign):
        file.write_text("x")
    for file, days in ((old, 40), (foreign, 40), (lately, 2)):
        stamp = (NOW - timedelta(days=days)).replace(tzinfo=UTC).timestamp()
        os.utime(file, (stamp, stamp))
    settings = {**app.config, "BACKUP_DIR": str(tmp_path), "RETENTION_BACKUPS_DAYS": 30}
    dry = {r.what: r.count for r in ops.apply_retention(settings, now=NOW, dry_run=True)}
    assert dry["backup files"] == 1 and old.exists()
    ops.apply_retention(settings, now=NOW)
    assert not old.exists() and lately.exists() and foreign.exists()


def test_the_command_says_what_it_removed(app, db, old_and_new, monkeypatch):
    monkeypatch.setattr("samen.privacy.operations.utcnow", lambda: NOW)
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["retention", "apply", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "ideas: would remove 1 handled reports" in dry.output
    assert count(db, Report) == 3
    result = runner.invoke(args=["retention", "apply"])
    assert "ideas: removed 1 handled reports" in result.output
    assert "audit: removed 1 audit log entries" in result.output
    assert "account: removed 1 sessions idle too long" in result.output
    assert count(db, Report) == 2


def test_settings_are_read_from_the_environment(monkeypatch):
    from samen import config

    monkeypatch.setenv("RETENTION_AUDIT_DAYS", "90")
    assert config._days("RETENTION_AUDIT_DAYS", 730) == 90
    monkeypatch.setenv("RETENTION_AUDIT_DAYS", "drie")
    with pytest.raises(RuntimeError, match="RETENTION_AUDIT_DAYS must be a whole number"):
        config._days("RETENTION_AUDIT_DAYS", 730)
    monkeypatch.setenv("RETENTION_AUDIT_DAYS", "-1")
    with pytest.raises(RuntimeError, match="0 or more"):
        config._days("RETENTION_AUDIT_DAYS", 730)
    monkeypatch.delenv("RETENTION_AUDIT_DAYS")
    assert config._days("RETENTION_AUDIT_DAYS", 730) == 730

