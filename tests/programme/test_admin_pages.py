"""The programme's admin pages: lines (admins and the coordinator) and plan-wide roles (admins), audited."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from samen.audit.models import AuditEntry
from samen.programme.models import Line, PlanRole
from samen.programme.roles import is_coordinator
from tests.conftest import speak

pytestmark = pytest.mark.database


@pytest.mark.parametrize("role", ["admin", "coordinator", "chair", "member", "outsider"])
@pytest.mark.parametrize("path", ["/admin/programme/lines", "/admin/programme/lines/new",
                                  "/admin/programme/roles"])
def test_who_opens_the_programme_pages(auth: Any, client: Any, people: dict[str, Any], admin: Any, role: str,
                                       path: str) -> None:
    auth.login(admin if role == "admin" else people[role])
    allowed = role == "admin" or (role == "coordinator" and "roles" not in path)
    assert client.get(path).status_code == (200 if allowed else 403)


def test_anonymous_visitors_are_sent_to_sign_in(client: Any) -> None:
    assert client.get("/admin/programme/lines").status_code == 302


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_coordinator_makes_a_line_with_think_tanks_reorders_and_deletes_it(
        auth: Any, client: Any, db: Any, coordinator: Any, thinktank: Any, create_thinktank: Any,
        language: str) -> None:
    other = create_thinktank(name="Hulp", slug="hulp")
    auth.login(coordinator)
    speak(client, language)
    response = auth.post("/admin/programme/lines/new", {"name": "Preventie", "description": "Voorkomen.",
                                                        "thinktanks": [str(thinktank.id)]})
    assert response.status_code == 302
    line = db.session.scalar(select(Line).where(Line.slug == "preventie"))
    assert line is not None and thinktank.line_id == line.id
    auth.post("/admin/programme/lines/new", {"name": "Hulpverlening", "thinktanks": [str(other.id)]})
    second = db.session.scalar(select(Line).where(Line.slug == "hulpverlening"))
    assert [x.slug for x in db.session.scalars(select(Line).order_by(Line.position))] == ["preventie",
                                                                                            "hulpverlening"]
    auth.post("/admin/programme/lines/hulpverlening/up")
    db.session.expire_all()
    assert [x.slug for x in db.session.scalars(select(Line).order_by(Line.position))] == ["hulpverlening",
                                                                                            "preventie"]
    page = client.get("/admin/programme/lines").get_data(as_text=True)
    assert "Preventie" in page and "Hulp" in page
    auth.post("/admin/programme/lines/preventie", {"name": "Preventie en voorlichting", "slug": "preventie",
                                                   "thinktanks": []})
    db.session.expire_all()
    assert thinktank.line_id is None
    auth.post("/admin/programme/lines/hulpverlening/delete")
    db.session.expire_all()
    assert db.session.get(Line, second.id) is None and other.line_id is None
    kinds = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.subject_type == "line")))
    assert kinds == {"line.create", "line.move", "line.update", "line.delete"}


def test_a_taken_address_and_an_empty_name_are_form_errors(auth: Any, client: Any, admin: Any,
                                                           create_line: Any) -> None:
    create_line("Preventie")
    auth.login(admin)
    response = auth.post("/admin/programme/lines/new", {"name": "Anders", "slug": "preventie"})
    assert response.status_code == 422
    assert auth.post("/admin/programme/lines/new", {"name": " "}).status_code == 422
    assert auth.post("/admin/programme/lines/new", {"name": "X", "thinktanks": ["99999"]}).status_code == 422


def test_admins_grant_and_revoke_plan_roles(app: Any, auth: Any, client: Any, db: Any, admin: Any,
                                            create_user: Any) -> None:
    person = create_user(email="veld@example.org", display_name="Veldwerker")
    auth.login(admin)
    assert auth.post("/admin/programme/roles", {"person": "VELD@example.org", "role": "coordinator"}
                     ).status_code == 302
    assert auth.post("/admin/programme/roles", {"person": "veld@example.org", "role": "field_worker"}
                     ).status_code == 302
    assert set(db.session.scalars(select(PlanRole.role).where(PlanRole.user_id == person.id))) == {
        "coordinator", "field_worker"}
    assert "Veldwerker" in client.get("/admin/programme/roles").get_data(as_text=True)
    assert auth.post("/admin/programme/roles", {"person": "niemand@example.org", "role": "analyst"}
                     ).status_code == 422
    auth.post(f"/admin/programme/roles/coordinator/{person.id}/revoke")
    with app.test_request_context():
        assert not is_coordinator(person)
    assert set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.subject_id == person.id,
                                                                  AuditEntry.action.like("plan_role.%")))) == {
        "plan_role.grant", "plan_role.revoke"}


@pytest.mark.parametrize("language,heading", [("nl", "Lijnen van het programma"),
                                                    ("en", "Lines of the programme")])
def test_the_pages_speak_both_languages(auth: Any, client: Any, admin: Any, create_line: Any, language: str,
                                        heading: str) -> None:
    create_line("Preventie")
    auth.login(admin)
    speak(client, language)
    assert heading in client.get("/admin/programme/lines").get_data(as_text=True)
