"""The privacy page: in both languages, linked from every page's footer, with the configured periods."""
from __future__ import annotations

import pytest

from samen.thinktanks import operations as tt_ops

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both


def english(client):
    with client.session_transaction() as session:
        session["lang"] = "en"


def test_the_page_is_dutch_by_default(client):
    response = client.get("/privacy")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="nl">' in page
    assert "Wat we bewaren, en waarom" in page
    assert "voorzitters van die denktank en de beheerders" in page  # who sees an anonymous idea's author


def test_the_page_in_english_says_what_is_stored_and_why(client):
    english(client)
    page = client.get("/privacy").get_data(as_text=True)
    for phrase in ("What we store, and why", "Your e-mail address", "A pseudonym is fine",
                   "The chairs of that think tank and the administrators do", "is known only to you",
                   "Audit log", "Sessions and cookies", "Samen keeps no copy of the e-mail",
                   "How long we keep it", "Autoriteit Persoonsgegevens"):
        assert phrase in page, phrase


def test_the_periods_are_the_configured_ones(client, app, monkeypatch):
    english(client)
    monkeypatch.setitem(app.config, "RETENTION_REPORTS_DAYS", 90)
    monkeypatch.setitem(app.config, "RETENTION_AUDIT_DAYS", 0)
    page = client.get("/privacy").get_data(as_text=True)
    assert "<td>90 days</td>" in page
    assert "no fixed period" in page
    assert "30 days after the last use" in page


def test_the_municipality_and_the_contact_address_are_named(client, app, db, monkeypatch):
    english(client)
    page = client.get("/privacy").get_data(as_text=True)
    assert "the organisation that offers this site" in page and "mailto:" not in page
    tt_ops.update_plan(tt_ops.get_plan(), title="Samen sterk", municipality="Nijkerk", introduction="")
    db.session.commit()
    monkeypatch.setitem(app.config, "PRIVACY_CONTACT", "privacy@nijkerk.nl")
    page = client.get("/privacy").get_data(as_text=True)
    assert "the municipality of Nijkerk" in page and "“Samen sterk”" in page
    assert '<a href="mailto:privacy@nijkerk.nl">privacy@nijkerk.nl</a>' in page


@pytest.mark.parametrize("path", ["/", "/login", "/register", "/privacy", "/progress", "/no-such-page"])
def test_every_page_links_to_it_from_the_footer(client, path):
    page = client.get(path).get_data(as_text=True)
    footer = page[page.index('<footer class="site-footer">'):]
    assert '<a href="/privacy"' in footer


def test_the_link_says_where_you_are(client):
    page = client.get("/privacy").get_data(as_text=True)
    assert '<a href="/privacy" aria-current="page">' in page


def test_signed_in_readers_get_a_link_to_their_data(client, auth, user):
    assert 'href="/login?next=/account/data"' in client.get("/privacy").get_data(as_text=True)
    auth.login(user)
    assert 'href="/account/data"' in client.get("/privacy").get_data(as_text=True)


def test_the_page_runs_a_fixed_number_of_queries(client, count_queries):
    with count_queries() as statements:
        client.get("/privacy")
    assert len(statements) <= 2, statements
