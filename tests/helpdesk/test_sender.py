"""The sender: a request without an account, the receipt code shown once, the status page, adding information,
withdrawing; abuse protection; the page's promises; no code in the logs."""
from __future__ import annotations

import logging
import re

from sqlalchemy import func, select

from samen.audit.models import AuditEntry
from samen.core.mail import outbox
from samen.helpdesk import operations as ops
from samen.helpdesk.models import HelpMessage, HelpRequest, HelpRequestStat
from tests.helpdesk.conftest import SECRET_TEXT

FORM = {"about": "my_child", "text": SECRET_TEXT, "contact_method": "none", "contact": "", "website": ""}


def _send(auth, **changes):
    return auth.post("/hulp/verzoek", {**FORM, **changes})


def _code(html: str) -> str:
    match = re.search(r'id="receipt-code">([^<]+)<', html)
    assert match, html
    return match.group(1)


def test_the_form_says_who_reads_it_for_how_long_and_to_call_112(client):
    page = client.get("/hulp/verzoek")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for promise in ("Alleen het intaketeam leest", "112", "90 dagen", "versleuteld"):
        assert promise in html, promise
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"


def test_a_request_without_an_account_is_stored_encrypted_and_shows_its_code_once(auth, db, team_member):
    page = _send(auth, urgent="y")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    code = _code(html)
    assert f"/hulp/verzoek/status/{code}" in html
    stored = db.session.scalars(select(HelpRequest)).one()
    assert (stored.text, stored.about, stored.urgent, stored.status) == (SECRET_TEXT, "my_child", True, "new")
    assert stored.receipt_hash == ops.hash_code(code)
    assert db.session.scalar(select(func.count()).select_from(HelpRequestStat)) == 1
    # The team is told that there is one, how urgent, and where: never what it says.
    mail = outbox().messages[-1]
    body = mail.get_content()
    assert mail["To"] == team_member.email and "Dringend" in mail["Subject"]
    assert f"/hulp/team/{stored.id}" in body
    assert "drugsschuld" not in body and "drugsschuld" not in mail["Subject"]


def test_no_address_or_browser_of_the_sender_is_stored(auth, db):
    _send(auth, contact_method="none")
    row = db.session.execute(select(HelpRequest.__table__)).mappings().one()
    values = " ".join(str(value) for value in row.values())
    assert "127.0.0.1" not in values and "werkzeug" not in values.lower()
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.subject_type == "help_request")).one()
    assert audit.actor_id is None and "127.0.0.1" not in str(audit.data)


def test_the_status_page_shows_status_and_replies_but_never_notes(auth, client, db, help_request, team_member):
    request, code = help_request
    ops.reply(request, "We bellen u morgenochtend", by=team_member)
    ops.add_note(request, "Interne notitie: schuldeiser bekend bij politie", by=team_member)
    db.session.commit()
    page = auth.post("/hulp/verzoek/status", {"code": code})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert SECRET_TEXT in html and "We bellen u morgenochtend" in html and "Bezig" in html
    assert "schuldeiser" not in html
    link = client.get(f"/hulp/verzoek/status/{code}")
    assert link.status_code == 200 and "We bellen u morgenochtend" in link.get_data(as_text=True)
    assert link.headers["Cache-Control"] == "no-store" and link.headers["Referrer-Policy"] == "no-referrer"


def test_a_wrong_code_finds_nothing(auth, client, help_request):
    assert auth.post("/hulp/verzoek/status", {"code": "verkeerd"}).status_code == 422
    assert client.get("/hulp/verzoek/status/verkeerd-maar-lang-genoeg-0123456789").status_code == 404


def test_the_sender_adds_information(auth, db, help_request):
    _request, code = help_request
    page = auth.post("/hulp/verzoek/status/aanvullen", {"code": code, "text": "Hij is 16 jaar"})
    assert page.status_code == 200 and "Hij is 16 jaar" in page.get_data(as_text=True)
    assert [(m.kind, m.body) for m in db.session.scalars(select(HelpMessage))] == [("sender", "Hij is 16 jaar")]
    assert auth.post("/hulp/verzoek/status/aanvullen", {"code": "fout", "text": "x"}).status_code == 404
    assert auth.post("/hulp/verzoek/status/aanvullen", {"code": code, "text": " "}).status_code == 422


def test_withdrawing_deletes_the_request_at_once_and_keeps_only_the_count(auth, db, help_request, team_member):
    request, code = help_request
    ops.reply(request, "Antwoord", by=team_member)
    db.session.commit()
    assert auth.post("/hulp/verzoek/status/intrekken", {"code": code}).status_code == 422  # not confirmed
    page = auth.post("/hulp/verzoek/status/intrekken", {"code": code, "confirm": "y"})
    assert page.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(HelpRequest)) == 0
    assert db.session.scalar(select(func.count()).select_from(HelpMessage)) == 0
    assert db.session.scalar(select(func.count()).select_from(HelpRequestStat)) == 1
    assert ops.find_by_code(code) is None


def test_bad_input_gets_form_errors_and_stores_nothing(auth, db):
    cases = [{"text": ""}, {"about": "iets"}, {"contact_method": "phone", "contact": "bel me"},
             {"contact_method": "email", "contact": "geen-adres"}, {"text": "x" * (ops.TEXT_MAX + 1)},
             {"text": "met\x00nul"}]
    for changes in cases:
        page = _send(auth, **changes)
        assert page.status_code == 422, changes
        assert 'class="error"' in page.get_data(as_text=True) or "alert--error" in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(HelpRequest)) == 0


def test_the_honeypot_refuses_a_robot(auth, db):
    assert _send(auth, website="http://spam.example").status_code == 422
    assert db.session.scalar(select(func.count()).select_from(HelpRequest)) == 0


def test_requests_and_code_lookups_are_rate_limited_per_address(auth, db, rate_limited):
    rate_limited(HELP_REQUEST_RATE_LIMIT="2 per hour", HELP_LOOKUP_RATE_LIMIT="3 per hour")
    assert [_send(auth).status_code for _ in range(3)] == [200, 200, 429]
    assert [auth.post("/hulp/verzoek/status", {"code": f"gok{n}"}).status_code for n in range(4)][-1] == 429
    assert auth.client.get("/hulp/verzoek/status/gok-via-link-0123456789").status_code == 429


def test_the_rate_limit_key_is_a_keyed_hash_not_the_address(app):
    from samen.helpdesk.blueprint import hashed_address
    with app.test_request_context(environ_base={"REMOTE_ADDR": "203.0.113.9"}):
        key = hashed_address()
    assert "203.0.113.9" not in key and key.startswith("help:")


def test_the_code_in_a_bookmark_link_is_not_in_the_access_log(app, client, help_request, monkeypatch, caplog):
    _request, code = help_request
    monkeypatch.setitem(app.config, "ACCESS_LOG", True)
    with caplog.at_level(logging.INFO, logger="samen.access"):
        assert client.get(f"/hulp/verzoek/status/{code}").status_code == 200
    lines = [record.getMessage() + str(getattr(record, "path", "")) for record in caplog.records]
    assert lines and all(code not in line for line in lines)
    assert any("/hulp/verzoek/status/-" in line for line in lines)


def test_switched_off_the_form_is_not_there(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "HELP_REQUESTS_ENABLED", False)
    assert client.get("/hulp/verzoek").status_code == 404
