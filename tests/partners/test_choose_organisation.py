"""People pick their organisation from the register when registering and in their profile: a request to be a
contact (approved by an administrator or a contact), or — not listed — a note for the administrators. Nothing is
typed into the account; the public name follows the register once approved."""
from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, select

from samen.accounts import operations as account_ops
from samen.accounts.models import User
from samen.core.names import public_name
from samen.notifications.models import Notification
from samen.partners import operations as ops
from samen.partners.models import OrganisationContact, UnlistedOrganisation
from tests.accounts.pages import field_error

pytestmark = pytest.mark.database  # the union of contacts and notes: runs on both

STRONG = "tulp-molen-kaas-42"


def _register(client: Any, csrf_token: Any, **overrides: Any) -> Any:
    data = {"email": "nieuw@example.org", "display_name": "Merel", "kind": "professional", "organisation": "",
            "organisation_note": "", "password": STRONG, "confirm": STRONG, "accept_terms": "y", **overrides}
    return client.post("/register?lang=en", data={"csrf_token": csrf_token(client, "/register"), **data})


def _new_user() -> User | None:
    return account_ops.find_user_by_email("nieuw@example.org")


def _count(db: Any, model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_register_page_offers_the_register_not_a_text_field(client, create_organisation, police, admin, db):
    archived = create_organisation("Oude stichting")
    ops.archive_organisation(archived, by=admin)
    merged = create_organisation("Politie")
    ops.merge_organisations(merged, police, by=admin)
    db.session.commit()
    html = client.get("/register?lang=en").get_data(as_text=True)
    assert re.search(r"<select[^>]* name=\"organisation\"", html)
    assert f'<option value="{police.id}">Politie Nijkerk</option>' in html
    assert "Oude stichting" not in html and f'<option value="{merged.id}">' not in html
    assert '<option value="unlisted">My organisation is not listed</option>' in html
    assert 'name="organisation_note"' in html


def test_a_professional_who_picks_an_entry_asks_to_be_its_contact(client, csrf_token, db, police, contact_of):
    colleague = contact_of(police)
    response = _register(client, csrf_token, organisation=str(police.id))
    assert response.status_code == 302
    user = _new_user()
    contact = db.session.scalar(select(OrganisationContact).where(OrganisationContact.user_id == user.id))
    assert (contact.organisation_id, contact.status) == (police.id, "pending")
    # Nothing typed is stored on the account: the register's name comes with the approval.
    assert (user.kind, user.organisation) == ("professional", None)
    assert public_name(user) == "a participant"
    assert db.session.scalar(select(Notification.data).where(
        Notification.user_id == colleague.id, Notification.kind == "organisation_contact_request"))["person"] == "Merel"
    ops.approve_contact(contact, by=colleague)
    db.session.commit()
    assert user.organisation == "Politie Nijkerk" and public_name(user) == "Politie Nijkerk"


def test_not_listed_leaves_a_note_for_the_administrators(client, csrf_token, db, admin, police):
    response = _register(client, csrf_token, organisation="unlisted",
                         organisation_note="  Jeugdbescherming  Gelderland ")
    assert response.status_code == 302
    user = _new_user()
    (note,) = db.session.scalars(select(UnlistedOrganisation))
    assert (note.user_id, note.name, note.is_open) == (user.id, "Jeugdbescherming Gelderland", True)
    assert user.organisation is None
    assert _count(db, OrganisationContact) == 0
    assert db.session.scalar(select(Notification.kind).where(Notification.user_id == admin.id)) == \
        "organisation_unlisted"


BAD = [
    ("nothing chosen", "organisation", {}, "Professionals choose their organisation"),
    ("not listed without a name", "organisation_note", {"organisation": "unlisted"}, "Name your organisation"),
    ("not listed, over-long name", "organisation_note",
     {"organisation": "unlisted", "organisation_note": "J" * 121}, "120"),
    ("not an id", "organisation", {"organisation": "Tactus"}, "Choose an organisation from the list."),
    ("an id out of range", "organisation", {"organisation": "99999999999999999999"}, "from the list"),
    ("an unknown id", "organisation", {"organisation": "424242"}, "from the list"),
]


@pytest.mark.parametrize("field, values, message", [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_a_bad_choice_is_a_form_error_and_files_nothing(client, csrf_token, db, police, field, values, message):
    users = _count(db, User)
    response = _register(client, csrf_token, **values)
    assert response.status_code == 422
    assert message in field_error(response.get_data(as_text=True), field)
    assert _count(db, User) == users
    assert _count(db, OrganisationContact) == _count(db, UnlistedOrganisation) == 0


def test_an_archived_entry_cannot_be_chosen(client, csrf_token, db, admin, police):
    ops.archive_organisation(police, by=admin)
    db.session.commit()
    response = _register(client, csrf_token, organisation=str(police.id))
    assert response.status_code == 422 and _new_user() is None


def test_a_resident_files_nothing(client, csrf_token, db, police):
    assert _register(client, csrf_token, kind="resident", organisation=str(police.id),
                     organisation_note="Tactus").status_code == 302
    assert _new_user().organisation is None
    assert _count(db, OrganisationContact) == _count(db, UnlistedOrganisation) == 0


def _profile(**overrides: Any) -> dict[str, Any]:
    return {"display_name": "Ingrid", "kind": "professional", "organisation": "", "organisation_note": "",
            "locale": "en", **overrides}


def test_a_resident_who_becomes_a_professional_picks_an_entry(client, auth, db, user, police):
    auth.login(user)
    response = auth.post("/account?lang=en", _profile())
    assert response.status_code == 422
    assert "Professionals choose their organisation" in field_error(response.get_data(as_text=True),
                                                                   "organisation")
    assert auth.post("/account", _profile(organisation=str(police.id))).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).kind == "professional"
    assert db.session.scalar(select(OrganisationContact.status).where(OrganisationContact.user_id == user.id)) == \
        "pending"


def test_a_professional_with_a_request_or_an_organisation_saves_without_choosing_again(
        client, auth, db, create_user, police, contact_of):
    waiting = create_user(kind="professional", organisation=None, organisation_chosen=True)
    ops.request_contact(police, user=waiting)
    db.session.commit()
    auth.login(waiting)
    assert auth.post("/account", _profile(display_name="Nieuwe naam")).status_code == 302
    approved = contact_of(police)
    auth.login(approved)
    html = client.get("/account?lang=en").get_data(as_text=True)
    assert "Your organisation: Politie Nijkerk." in html
    assert auth.post("/account", _profile(display_name="Wijkagent")).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, approved.id).organisation == "Politie Nijkerk"  # kept, not typed over


def test_becoming_a_resident_drops_the_public_organisation(client, auth, db, police, contact_of):
    approved = contact_of(police)
    auth.login(approved)
    assert auth.post("/account", _profile(kind="resident")).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, approved.id).organisation is None


def test_the_keepers_see_the_notes_add_the_entry_and_set_them_aside(client, auth, db, admin, user):
    ops.note_unlisted(user, "Jeugdbescherming Gelderland")
    second = ops.note_unlisted(user, "Jeugdbescherming Gelderland (Veluwe)")  # one open note a person
    db.session.commit()
    assert _count(db, UnlistedOrganisation) == 1
    auth.login(user)
    assert auth.post(f"/partners/register/unlisted/{second.id}/close", {}).status_code == 403
    auth.login(admin)
    html = client.get("/partners/register?lang=en").get_data(as_text=True)
    assert "Jeugdbescherming Gelderland (Veluwe)" in html and user.email in html
    assert "/partners/register/new?name=Jeugdbescherming" in html
    assert 'value="Jeugdbescherming Gelderland (Veluwe)"' in client.get(
        "/partners/register/new?name=Jeugdbescherming+Gelderland+(Veluwe)").get_data(as_text=True)
    assert auth.post(f"/partners/register/unlisted/{second.id}/close", {}).status_code == 302
    db.session.expire_all()
    assert not db.session.get(UnlistedOrganisation, second.id).is_open
    assert "Nobody is waiting" in client.get("/partners/register?lang=en").get_data(as_text=True)
    assert auth.post("/partners/register/unlisted/4242/close", {}).status_code == 404


def test_adding_the_person_as_a_contact_closes_their_note(db, admin, user, police):
    note = ops.note_unlisted(user, "Politie Nijkerk-Oost")
    ops.add_contact(police, user, by=admin)
    db.session.commit()
    db.session.refresh(note)
    assert not note.is_open and note.closed_by_id == admin.id
    assert ops.has_organisation(user)


def test_contacts_and_notes_are_in_the_download_and_go_with_the_account(db, admin, user, police, halt):
    from samen.partners import privacy
    from samen.privacy.registry import features

    assert "partners" in [feature.name for feature in features()]
    ops.request_contact(police, user=user)
    ops.add_contact(halt, user, by=admin)
    ops.note_unlisted(user, "Jeugdbescherming")
    db.session.commit()
    data = privacy.export(user)
    assert [(c["organisation"], c["status"]) for c in data["organisation_contacts"]] == [
        ("politie-nijkerk", "pending"), ("halt", "active")]
    assert [(n["name"], n["closed_at"] is not None) for n in data["unlisted_organisations"]] == [
        ("Jeugdbescherming", False)]
    assert privacy.erase(user, keep_contributions=True) == {"organisation contacts removed": 2,
                                                            "notes of unlisted organisations removed": 1}
    assert _count(db, OrganisationContact) == _count(db, UnlistedOrganisation) == 0
