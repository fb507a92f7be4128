"""Administrators keep the help directory and the questions at /admin/hulp: create, edit, reorder, remove, with
every change in the audit log. Nobody else gets in, and bad input is a form error that stores nothing."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import select

from samen.audit.models import AuditEntry
from samen.core.database import db
from samen.help import operations as ops
from samen.help.models import HelpEntry, HelpQuestion

ENTRY = {"kind": "organisation", "name_nl": "Jongerenwerk Nijkerk", "name_en": "Nijkerk youth work",
         "topics_nl": "Een luisterend oor.", "phone": "033 - 247 20 00", "email": "jongerenwerk@example.org",
         "website": "https://jongerenwerk.example.org", "hours_nl": "Di–za middag", "languages": "Nederlands",
         "thinktank_id": "", "position": "4"}
QUESTION = {"category": "young_people", "question_nl": "Met wie kan ik praten?", "question_en": "Who can I talk to?",
            "answer_nl": "Met het **jongerenwerk**.", "answer_en": "", "position": "1"}


@pytest.fixture(autouse=True)
def english(client):
    """Show pages in English, so that tests read the msgids."""
    with client.session_transaction() as session:
        session["lang"] = "en"


@pytest.fixture
def signed_in_admin(auth, admin):
    auth.login(admin)
    return admin


def _state() -> tuple:
    db.session.expire_all()
    return (db.session.execute(select(HelpEntry.id, HelpEntry.name_nl, HelpEntry.position)
                               .order_by(HelpEntry.id)).all(),
            db.session.execute(select(HelpQuestion.id, HelpQuestion.question_nl, HelpQuestion.position)
                               .order_by(HelpQuestion.id)).all())


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: Callable[[HelpEntry, HelpQuestion], str]
    data: dict[str, Any] = field(default_factory=dict)
    admin_status: int = 200


ROUTES = [
    Route("index", "GET", lambda e, q: "/admin/hulp/"),
    Route("new entry form", "GET", lambda e, q: "/admin/hulp/entries/new"),
    Route("create entry", "POST", lambda e, q: "/admin/hulp/entries/new", ENTRY, 302),
    Route("edit entry form", "GET", lambda e, q: f"/admin/hulp/entries/{e.id}"),
    Route("save entry", "POST", lambda e, q: f"/admin/hulp/entries/{e.id}", ENTRY, 302),
    Route("move entry", "POST", lambda e, q: f"/admin/hulp/entries/{e.id}/down", admin_status=302),
    Route("delete entry", "POST", lambda e, q: f"/admin/hulp/entries/{e.id}/delete", admin_status=302),
    Route("new question form", "GET", lambda e, q: "/admin/hulp/questions/new"),
    Route("create question", "POST", lambda e, q: "/admin/hulp/questions/new", QUESTION, 302),
    Route("edit question form", "GET", lambda e, q: f"/admin/hulp/questions/{q.id}"),
    Route("save question", "POST", lambda e, q: f"/admin/hulp/questions/{q.id}", QUESTION, 302),
    Route("move question", "POST", lambda e, q: f"/admin/hulp/questions/{q.id}/down", admin_status=302),
    Route("delete question", "POST", lambda e, q: f"/admin/hulp/questions/{q.id}/delete", admin_status=302),
]


@pytest.mark.parametrize("role", ["anonymous", "resident", "admin"])
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_access(client, auth, create_user, create_entry, create_question, entry, question, role, route):
    """Admins get the page or their change; anonymous visitors must sign in; residents get 403."""
    create_question(question_nl="Nog een vraag?", position=5)  # something to move the question past
    create_entry(name_nl="Schuldhulp", position=5)  # and the entry
    if role != "anonymous":
        auth.login(create_user(is_admin=role == "admin"))
    before = _state()
    path = route.path(entry, question)
    response = client.get(path) if route.method == "GET" else auth.post(path, route.data)
    if role == "admin":
        assert response.status_code == route.admin_status
        if route.method == "POST":
            assert not response.headers["Location"].startswith("/login")
            assert _state() != before
        return
    if role == "anonymous":
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    else:
        assert response.status_code == 403
    assert _state() == before


def test_the_admin_area_links_to_the_help_pages(client, signed_in_admin):
    assert 'href="/admin/hulp/"' in client.get("/admin/").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/admin/hulp/entries/999999", "/admin/hulp/questions/999999"])
def test_unknown_rows_are_404(client, signed_in_admin, path):
    assert client.get(path).status_code == 404


def test_create_an_entry_linked_to_a_think_tank_and_see_it_on_the_help_page(client, auth, signed_in_admin,
                                                                          thinktank):
    response = auth.post("/admin/hulp/entries/new", ENTRY | {"thinktank_id": str(thinktank.id)})
    assert response.status_code == 302
    entry = db.session.scalar(select(HelpEntry).where(HelpEntry.name_nl == "Jongerenwerk Nijkerk"))
    assert (entry.phone, entry.website, entry.thinktank_id, entry.position) == (
        "033 - 247 20 00", "https://jongerenwerk.example.org", thinktank.id, 4)
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "help.entry.create"))
    assert (audit.actor_id, audit.subject_id) == (signed_in_admin.id, entry.id)
    html = client.get("/hulp").get_data(as_text=True)
    assert "Nijkerk youth work" in html and 'href="tel:0332472000"' in html
    assert f'href="/thinktanks/{thinktank.slug}"' in html


def test_edit_an_emergency_entry_and_the_log_names_the_changed_fields(client, auth, signed_in_admin):
    police = db.session.scalar(select(HelpEntry).where(HelpEntry.phone == "0900-8844"))
    form = client.get(f"/admin/hulp/entries/{police.id}").get_data(as_text=True)
    assert 'value="0900-8844"' in form
    data = {"kind": "emergency", "name_nl": police.name_nl, "name_en": police.name_en, "topics_nl": "Geen spoed.",
            "topics_en": police.topics_en, "phone": "0900-8844", "website": police.website,
            "hours_nl": police.hours_nl, "hours_en": police.hours_en, "position": str(police.position)}
    assert auth.post(f"/admin/hulp/entries/{police.id}", data).status_code == 302
    db.session.expire_all()
    assert police.topics_nl == "Geen spoed." and police.is_emergency
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "help.entry.update"))
    assert audit.data["fields"] == ["topics_nl"]


@pytest.mark.parametrize("change, field_name, message", [
    ({"name_nl": ""}, "name_nl", "This field is required."),
    ({"name_nl": "   "}, "name_nl", "Name (Dutch) is required."),
    ({"name_nl": "x" * 151}, "name_nl", "Field cannot be longer than 150 characters."),
    ({"phone": "bel me"}, "phone", "Enter a phone number with digits"),
    ({"website": "javascript:alert(1)"}, "website", "Enter a web address that starts with https://"),
    ({"website": "www.example.org"}, "website", "Enter a web address that starts with https://"),
    ({"email": "geen adres"}, "email", "Enter a valid e-mail address."),
    ({"name_en": "Twee\nregels"}, "name_en", "Keep this to one line"),
    ({"kind": "geheim"}, "kind", "Not a valid choice"),
    ({"thinktank_id": "999999"}, "thinktank_id", "There is no such think tank."),
    ({"position": "eerst"}, "position", "Not a valid integer value."),
])
def test_bad_entry_input_is_422_at_its_field_and_stores_nothing(client, auth, signed_in_admin, change, field_name,
                                                                 message):
    before = _state()
    response = auth.post("/admin/hulp/entries/new", ENTRY | change)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert f'id="{field_name}-error"' in html or field_name == "kind"
    assert _state() == before
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action.like("help.%"))) is None


def test_create_and_edit_a_question_with_links_to_entries(client, auth, signed_in_admin, entry, create_entry):
    other = create_entry(name_nl="Verslavingszorg")
    response = auth.post("/admin/hulp/questions/new", QUESTION | {"entry_ids": [str(entry.id), str(other.id)]})
    assert response.status_code == 302
    question = db.session.scalar(select(HelpQuestion).where(HelpQuestion.question_nl == "Met wie kan ik praten?"))
    assert {e.id for e in question.entries} == {entry.id, other.id}
    form = client.get(f"/admin/hulp/questions/{question.id}").get_data(as_text=True)
    assert form.count("checked") >= 2
    response = auth.post(f"/admin/hulp/questions/{question.id}", QUESTION | {"entry_ids": [str(other.id)],
                                                                           "answer_en": "The youth workers."})
    assert response.status_code == 302
    db.session.expire_all()
    assert [e.id for e in question.entries] == [other.id] and question.answer_en == "The youth workers."
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "help.question.update"))
    assert sorted(audit.data["fields"]) == ["answer_en", "entries"]
    page = client.get(f"/hulp/vragen/{question.id}").get_data(as_text=True)
    assert "Verslavingszorg" in page and "Gebiedsteam Nijkerk" not in page


@pytest.mark.parametrize("change, field_name, message", [
    ({"question_nl": ""}, "question_nl", "This field is required."),
    ({"answer_nl": ""}, "answer_nl", "This field is required."),
    ({"answer_nl": "a\x00b"}, "answer_nl", "invisible control character"),
    ({"category": "iedereen"}, "category", "Not a valid choice"),
    ({"entry_ids": ["999999"]}, "entry_ids", "There is no such directory entry."),
    ({"entry_ids": ["abc"]}, "entry_ids", "This is not a valid id."),
])
def test_bad_question_input_is_422_and_stores_nothing(client, auth, signed_in_admin, change, field_name, message):
    before = _state()
    response = auth.post("/admin/hulp/questions/new", QUESTION | change)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert f'id="{field_name}-error"' in html or field_name == "category"
    assert _state() == before


def test_delete_an_entry_keeps_the_question_that_pointed_to_it(client, auth, signed_in_admin, question, entry):
    assert auth.post(f"/admin/hulp/entries/{entry.id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(HelpEntry, entry.id) is None
    assert db.session.get(HelpQuestion, question.id).entries == []
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "help.entry.delete"))
    assert audit.data["name"] == "Gebiedsteam Nijkerk"


def test_delete_a_question(client, auth, signed_in_admin, question):
    assert auth.post(f"/admin/hulp/questions/{question.id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(HelpQuestion, question.id) is None
    assert client.get(f"/hulp/vragen/{question.id}").status_code == 404
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "help.question.delete")) is not None


def test_reorder_within_a_category(client, auth, signed_in_admin, create_question):
    first = create_question(question_nl="Eerste?", position=1)
    second = create_question(question_nl="Tweede?", position=2)
    other = create_question(question_nl="Voor jongeren?", category="young_people", position=1)
    assert auth.post(f"/admin/hulp/questions/{second.id}/up").status_code == 302
    db.session.expire_all()
    assert [q.id for q in ops.questions() if q.category == "parents"] == [second.id, first.id]
    # At the top already: nothing changes, nothing is logged for it.
    logged = db.session.scalars(select(AuditEntry.id).where(AuditEntry.action == "help.question.move")).all()
    assert auth.post(f"/admin/hulp/questions/{second.id}/up").status_code == 302
    assert db.session.scalars(select(AuditEntry.id).where(AuditEntry.action == "help.question.move")).all() == logged
    assert auth.post(f"/admin/hulp/questions/{other.id}/down").status_code == 302
    db.session.expire_all()
    assert other.position == 1


def test_reorder_the_emergency_numbers(client, auth, signed_in_admin):
    names = [e.name_nl for e in ops.directory() if e.is_emergency]
    last = db.session.scalar(select(HelpEntry).where(HelpEntry.name_nl == names[-1]))
    assert auth.post(f"/admin/hulp/entries/{last.id}/up").status_code == 302
    db.session.expire_all()
    assert [e.name_nl for e in ops.directory() if e.is_emergency] == [names[0], names[2], names[1]]


def test_a_post_without_csrf_token_changes_nothing(client, signed_in_admin, entry):
    before = _state()
    response = client.post(f"/admin/hulp/entries/{entry.id}/delete")
    assert response.status_code in (302, 400)
    assert _state() == before


def test_the_audit_log_links_to_what_changed(client, auth, signed_in_admin, entry):
    auth.post("/admin/hulp/questions/new", QUESTION)
    auth.post(f"/admin/hulp/entries/{entry.id}", ENTRY)
    question = db.session.scalar(select(HelpQuestion).where(HelpQuestion.question_nl == "Met wie kan ik praten?"))
    html = client.get("/admin/audit").get_data(as_text=True)
    assert f'href="/hulp/vragen/{question.id}"' in html
    assert f'href="/admin/hulp/entries/{entry.id}"' in html
