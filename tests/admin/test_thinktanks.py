"""Admins create, edit, archive and restore think tanks; bad input is answered with 422 and stores nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from samen.core.database import db
from samen.thinktanks import operations as tt_ops
from samen.thinktanks.models import ThinkTank
from tests.thinktanks.support import assert_accessible_outline

VALID = {"name": "Nazorg", "slug": "nazorg", "theme": "Familie", "summary": "Steun.",
         "description": "Wij **helpen**.", "join_policy": "approval", "position": "2"}


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(ThinkTank))


@pytest.fixture
def signed_in_admin(auth, admin):
    auth.login(admin)
    return admin


def test_create_think_tank(client, auth, signed_in_admin):
    response = auth.post("/admin/thinktanks/new", VALID)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/thinktanks/nazorg"
    thinktank = tt_ops.get_thinktank("nazorg")
    assert (thinktank.name, thinktank.theme, thinktank.summary) == ("Nazorg", "Familie", "Steun.")
    assert (thinktank.join_policy, thinktank.position) == ("approval", 2)
    assert thinktank.description == "Wij **helpen**."  # the Markdown is stored as written
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Think tank Nazorg is created." in html
    assert "No chairs yet." in html


@pytest.mark.parametrize("change, field, message", [
    ({"slug": "preventie"}, "slug", "Another think tank already uses this web address."),
    ({"slug": "Met-Hoofdletters"}, "slug", "Use lower-case letters, digits and hyphens only."),
    ({"slug": "met spatie"}, "slug", "Use lower-case letters, digits and hyphens only."),
    ({"slug": ""}, "slug", "This field is required."),
    ({"slug": "a" * 81}, "slug", "Field cannot be longer than 80 characters."),
    ({"name": "x" * 121}, "name", "Field cannot be longer than 120 characters."),
    ({"name": ""}, "name", "This field is required."),
    ({"name": "   "}, "name", "A name is required."),
    ({"summary": "x" * 301}, "summary", "Field cannot be longer than 300 characters."),
    ({"join_policy": "secret"}, "join_policy", "Not a valid choice."),
    ({"position": "first"}, "position", "Not a valid integer value."),
])
def test_create_think_tank_with_bad_input_is_422_and_stores_nothing(client, auth, signed_in_admin, thinktank,
                                                                     change, field, message):
    before = _count()
    response = auth.post("/admin/thinktanks/new", VALID | change)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Please correct the following" in html
    assert f'id="{field}-error"' in html or field == "join_policy"
    assert message in html
    assert _count() == before


def test_form_keeps_what_was_typed_after_an_error(client, auth, signed_in_admin, thinktank):
    html = auth.post("/admin/thinktanks/new", VALID | {"slug": "preventie"}).get_data(as_text=True)
    assert 'value="Nazorg"' in html and "Wij **helpen**." in html


def test_edit_think_tank(client, auth, signed_in_admin, thinktank):
    response = auth.post(f"/admin/thinktanks/{thinktank.slug}", VALID | {"slug": "preventie-nieuw"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/thinktanks/preventie-nieuw"
    assert tt_ops.get_thinktank("preventie") is None
    assert tt_ops.get_thinktank("preventie-nieuw").name == "Nazorg"
    assert client.get("/thinktanks/preventie-nieuw").status_code == 200


def test_edit_think_tank_to_a_taken_slug_is_422(client, auth, signed_in_admin, thinktank, create_thinktank):
    create_thinktank(slug="nazorg", name="Nazorg")
    response = auth.post(f"/admin/thinktanks/{thinktank.slug}", VALID | {"name": "Andere naam"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Another think tank already uses this web address." in html
    assert f'action="/admin/thinktanks/{thinktank.slug}"' in html  # the form still posts to the right place
    db.session.expire_all()
    assert tt_ops.get_thinktank("preventie").name == "Preventie"


def test_edit_page_prefills_the_form_and_links_the_public_page(client, auth, signed_in_admin, thinktank):
    html = client.get(f"/admin/thinktanks/{thinktank.slug}").get_data(as_text=True)
    assert 'value="Preventie"' in html
    assert "Voorkomen is beter." in html
    assert 'href="/thinktanks/preventie"' in html


def test_archive_and_restore(client, auth, signed_in_admin, thinktank):
    html = auth.post("/admin/thinktanks/preventie/archive", follow_redirects=True).get_data(as_text=True)
    assert "The think tank is archived." in html
    assert tt_ops.get_thinktank("preventie").is_archived
    assert "This think tank is archived" in client.get("/thinktanks/preventie").get_data(as_text=True)
    assert "Preventie" not in client.get("/").get_data(as_text=True).split("thinktanks-heading")[1]
    html = auth.post("/admin/thinktanks/preventie/restore", follow_redirects=True).get_data(as_text=True)
    assert "The think tank is active again." in html
    assert not tt_ops.get_thinktank("preventie").is_archived


def test_admin_index_lists_think_tanks_with_their_state(client, auth, signed_in_admin, thinktank,
                                                        create_thinktank):
    tt_ops.archive_thinktank(create_thinktank(slug="oud", name="Oud"))
    db.session.commit()
    html = client.get("/admin/").get_data(as_text=True)
    assert "Preventie" in html and "Oud" in html
    assert "Archived" in html and "Active" in html


def test_admin_pages_have_a_sound_outline(client, auth, signed_in_admin, thinktank):
    for path in ("/admin/", "/admin/plan", "/admin/thinktanks/new", f"/admin/thinktanks/{thinktank.slug}",
                 "/admin/users"):
        assert_accessible_outline(client.get(path).get_data(as_text=True))
    html = auth.post(f"/admin/thinktanks/{thinktank.slug}/chairs", {"email": "nobody@example.org"})
    assert_accessible_outline(html.get_data(as_text=True))
