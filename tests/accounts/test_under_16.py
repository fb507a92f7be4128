"""People under 16 (docs/privacy.md): a pseudonym as display name, no e-mail digests; the terms of use page."""
from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from samen.accounts import operations as ops
from samen.accounts.models import User
from samen.core.errors import DomainError
from samen.notifications.digest import due_digests
from samen.notifications.operations import notify
from tests.accounts.pages import field_error

STRONG = "tulp-molen-kaas-42"


def _register(client: Any, csrf_token: Any, **overrides: str) -> Any:
    data = {"email": "zonnebloem12@example.org", "display_name": "Skater", "kind": "resident",
            "password": STRONG, "confirm": STRONG, "accept_terms": "y", "under_16": "y", **overrides}
    return client.post("/register?lang=en", data={"csrf_token": csrf_token(client, "/register"), **data})


@pytest.mark.parametrize("name, email, refused", [
    ("Anna Jansen", "a12@example.org", True),  # a first and last name
    ("Jan de Vries", "a12@example.org", True),
    ("Eva van den Berg", "a12@example.org", True),
    ("Zonnebloem", "zonnebloem12@example.org", True),  # the e-mail address's local part
    ("De echte Merel", "merel.bakker@example.org", True),
    ("Skater", "zonnebloem12@example.org", False),
    ("Blauwe vogel", "a12@example.org", False),
    ("Jan", "a12@example.org", False),  # one name alone says little
])
def test_what_counts_as_a_pseudonym(name, email, refused):
    assert (ops.pseudonym_problem(name, email) is not None) is refused


def test_an_under_16_registers_with_a_pseudonym_and_gets_no_digest(client, csrf_token, db):
    response = _register(client, csrf_token)
    assert response.status_code == 302
    user = ops.find_user_by_email("zonnebloem12@example.org")
    assert user.under_16 and user.display_name == "Skater" and user.digest == "never"


@pytest.mark.parametrize("name", ["Anna Jansen", "Zonnebloem"])
def test_an_under_16_with_a_real_name_gets_a_form_error_and_nothing_is_stored(client, csrf_token, db, name):
    response = _register(client, csrf_token, display_name=name)
    assert response.status_code == 422
    assert "you are under 16, so Samen shows only a pseudonym" in field_error(response.get_data(as_text=True),
                                                                            "display_name")
    assert db.session.scalar(select(func.count()).select_from(User).where(
        User.email == "zonnebloem12@example.org")) == 0


def test_16_and_over_may_use_their_real_name(client, csrf_token, db):
    assert _register(client, csrf_token, display_name="Anna Jansen", under_16="").status_code == 302
    assert ops.find_user_by_email("zonnebloem12@example.org").display_name == "Anna Jansen"


def test_the_operation_refuses_a_real_name_too(db):
    with pytest.raises(DomainError) as refused:
        ops.register_user(email="a12@example.org", display_name="Anna Jansen", password=STRONG, accepted_terms=True,
                          under_16=True)
    assert refused.value.field == "display_name"


def test_the_operation_needs_the_terms(db):
    with pytest.raises(DomainError) as refused:
        ops.register_user(email="a12@example.org", display_name="Skater", password=STRONG, accepted_terms=False)
    assert refused.value.field == "accept_terms"


def test_the_profile_of_an_under_16_offers_no_digest_and_keeps_a_pseudonym(client, auth, create_user, db):
    young = create_user(display_name="Skater", under_16=True, locale="en")
    auth.login(young)
    page = client.get("/account").get_data(as_text=True)
    assert 'name="digest"' not in page
    assert "Samen sends you no e-mail summaries" in page
    saved = auth.post("/account", {"display_name": "Skateboard", "kind": "resident", "locale": "en",
                                   "digest": "daily"})
    assert saved.status_code == 302
    db.session.expire_all()
    assert (db.session.get(User, young.id).display_name, db.session.get(User, young.id).digest) == (
        "Skateboard", "never")
    refused = auth.post("/account", {"display_name": "Anna Jansen", "kind": "resident", "locale": "en"})
    assert refused.status_code == 422
    assert "pseudonym" in field_error(refused.get_data(as_text=True), "display_name")
    db.session.expire_all()
    assert db.session.get(User, young.id).display_name == "Skateboard"


def test_the_digest_skips_under_16s_whatever_their_setting(create_user, db):
    young = create_user(display_name="Skater", under_16=True)
    older = create_user()
    young.digest = older.digest = "daily"  # as stored before the rule, or written around it
    notify([young.id, older.id], "comment", url="/ideas/1", idea_title="Een idee")
    db.session.commit()
    assert [user.id for user, _notifications in due_digests(date.today())] == [older.id]


@pytest.mark.parametrize("lang, heading, licence", [
    ("en", "Terms of use", "Creative Commons Attribution 4.0"),
    ("nl", "Gebruiksvoorwaarden", "Creative Commons Naamsvermelding 4.0"),
])
def test_the_terms_page_in_both_languages(client, lang, heading, licence):
    response = client.get(f"/terms?lang={lang}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in html and licence in html
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in html and 'href="/privacy"' in html
    assert ops.TERMS_VERSION in html


def test_every_page_links_to_the_terms_and_the_privacy_page_explains_under_16s(client):
    html = client.get("/privacy?lang=en").get_data(as_text=True)
    assert '<a href="/terms">Terms of use</a>' in html
    assert 'id="privacy-young"' in html and "no e-mail summaries" in html
