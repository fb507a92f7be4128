"""The audit log for admins: newest first, a page at a time, filtered by kind, actor and dates."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from samen.audit import operations as audit_ops
from samen.audit.models import AuditEntry
from samen.core.database import db


def _entry(actor, action: str, subject_id: int = 1, *, at: datetime | None = None, **data) -> AuditEntry:
    entry = audit_ops.record(actor, action, "idea" if action.startswith("idea") else "user", subject_id, **data)
    db.session.flush()
    if at is not None:
        db.session.execute(update(AuditEntry).where(AuditEntry.id == entry.id).values(created_at=at))
    return entry


@pytest.fixture
def entries(world):
    """Return a few entries by the chair and the admin, on different days."""
    chair, admin = world.user("chair"), world.user("admin")
    made = [
        _entry(chair, "idea.status", 11, at=datetime(2026, 11, 2, 9), old="new", new="adopted"),
        _entry(admin, "account.unlocked", chair.id, at=datetime(2026, 11, 10, 9), how="cli"),
        _entry(None, "account.locked", admin.id, at=datetime(2026, 11, 20, 9), failed_logins=10),
    ]
    db.session.commit()
    return made


def _rows(html: str) -> int:
    return html.count("<tr>") - 1  # the header row


def test_the_log_shows_entries_newest_first_with_their_actors(client, auth, world, entries):
    auth.login(world.user("admin"))
    response = client.get("/admin/audit")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<h1>Audit log</h1>" in html
    positions = [html.index(action) for action in ("account.locked", "account.unlocked", "idea.status")]
    assert positions == sorted(positions)
    assert "the system" in html and world.user("chair").display_name in html
    assert 'href="/ideas/11"' in html  # the subject, where it can be seen
    assert "failed_logins:</span> 10" in html
    assert "3 entries" in html


def test_the_admin_index_links_to_the_log(client, auth, world):
    auth.login(world.user("admin"))
    assert 'href="/admin/audit"' in client.get("/admin/").get_data(as_text=True)


@pytest.mark.parametrize("query, expected", [
    ("action=idea.status", ["idea.status"]),
    ("action=account.locked", ["account.locked"]),
    ("actor=Rol+chair", ["idea.status"]),
    ("actor=ROL+ADMIN", ["account.unlocked"]),
    ("actor=example.org", ["account.unlocked", "idea.status"]),  # e-mail addresses match too; 'the system' not
    ("since=2026-11-10", ["account.locked", "account.unlocked"]),
    ("until=2026-11-10", ["account.unlocked", "idea.status"]),  # until is inclusive
    ("since=2026-11-03&until=2026-11-19", ["account.unlocked"]),
    ("action=idea.status&since=2026-11-03", []),
    ("action=no.such.kind", []),
    ("actor=%25", []),  # a % is a character here, not a wildcard
])
def test_filters(client, auth, world, entries, query, expected):
    auth.login(world.user("admin"))
    response = client.get(f"/admin/audit?{query}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    shown = [action for action in ("account.locked", "account.unlocked", "idea.status")
             if f"<code>{action}</code>" in html]
    assert shown == expected


@pytest.mark.parametrize("query, field, message", [
    ("since=gisteren", "since", "Not a valid date value."),
    ("since=2026-11-10&until=2026-11-01", "until", "The end date cannot be before the start date."),
    ("action=" + "x" * 61, "action", "Field cannot be longer than 60 characters."),
])
def test_a_bad_filter_is_explained_and_shows_nothing(client, auth, world, entries, query, field, message):
    auth.login(world.user("admin"))
    response = client.get(f"/admin/audit?{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html and message in html
    assert "No entries found." in html


@pytest.mark.parametrize("lang, heading, filter_label", [
    ("nl", "Logboek", "Soort actie"),
    ("en", "Audit log", "Kind of action"),
])
def test_the_page_speaks_the_language(client, auth, world, entries, lang, heading, filter_label):
    auth.login(world.user("admin"))
    html = client.get(f"/admin/audit?lang={lang}").get_data(as_text=True)
    assert f"<h1>{heading}</h1>" in html and filter_label in html


def test_pages_of_fifty_keep_the_filters(client, auth, world):
    admin = world.user("admin")
    for n in range(53):
        _entry(admin, "idea.status", n + 1, at=datetime(2026, 11, 1) + timedelta(minutes=n))
    _entry(admin, "account.unlocked", at=datetime(2026, 11, 2))
    db.session.commit()
    auth.login(admin)
    first = client.get("/admin/audit?action=idea.status").get_data(as_text=True)
    assert _rows(first) == 50 and "Page 1 of 2" in first
    assert 'href="/admin/audit?page=2&amp;action=idea.status"' in first
    second = client.get("/admin/audit?action=idea.status&page=2").get_data(as_text=True)
    assert _rows(second) == 3 and "account.unlocked</code>" not in second
    beyond = client.get("/admin/audit?action=idea.status&page=99").get_data(as_text=True)
    assert "Page 2 of 2" in beyond


def test_the_number_of_queries_does_not_grow_with_the_page(client, auth, world, count_queries):
    admin, chair = world.user("admin"), world.user("chair")
    auth.login(admin)

    def queries() -> int:
        client.get("/admin/audit")  # warm up: the session's last_seen_at and the like
        with count_queries() as statements:
            assert client.get("/admin/audit").status_code == 200
        return len(statements)

    _entry(chair, "idea.status", 1)
    db.session.commit()
    few = queries()
    for n in range(60):  # fifty on the page, by several actors
        _entry(world.people[["chair", "member", "admin", "resident"][n % 4]], "idea.status", n + 2)
    db.session.commit()
    assert queries() == few
    with count_queries() as statements:
        client.get("/admin/audit?actor=rol&action=idea.status&since=2026-01-01")
    assert len(statements) == few
