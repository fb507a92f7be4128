"""The web action form names a contact person for each co-executing organisation (one select each), checked on
the server: an active contact of that organisation. The action page and the API show them."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from samen.actions.models import ActionItem
from samen.partners import operations as ops
from tests.accounts.pages import field_error


@pytest.fixture
def people(db: Any, police: Any, halt: Any, contact_of: Any, create_user: Any) -> dict[str, Any]:
    agent = contact_of(police, display_name="Wijkagent Dennis")
    halt_worker = contact_of(halt, display_name="Halt-medewerker Sanne")
    waiting = create_user(display_name="Wacht nog")
    ops.request_contact(halt, user=waiting)
    db.session.commit()
    return {"agent": agent, "halt": halt_worker, "waiting": waiting}


def _post(auth: Any, thinktank: Any, **data: Any) -> Any:
    return auth.post(f"/actions/new?thinktank={thinktank.slug}&lang=en",
                     {"title": "Voorlichting op school", **data})


def _the_action(db: Any) -> ActionItem | None:
    return db.session.scalars(select(ActionItem)).first()


def test_the_form_offers_a_contact_per_organisation(client, auth, chair, thinktank, police, halt, people):
    auth.login(chair)
    html = client.get(f"/actions/new?thinktank={thinktank.slug}&lang=en").get_data(as_text=True)
    assert f'<select id="co_contacts-{halt.id}" name="co_contacts">' in html
    assert f'<option value="{halt.id}:{people["halt"].id}">Halt-medewerker Sanne</option>' in html
    assert f'value="{halt.id}:{people["waiting"].id}"' not in html  # a pending contact is not offered
    assert "Contact person of Halt" in html


def test_a_chair_names_a_contact_of_a_co_executing_organisation(client, auth, db, chair, thinktank, police, halt,
                                                                people):
    auth.login(chair)
    response = _post(auth, thinktank, lead_organisation=str(police.id), co_organisations=[str(halt.id)],
                     co_contacts=["", f"{halt.id}:{people['halt'].id}"])
    assert response.status_code == 302
    action = _the_action(db)
    assert [(c.organisation_id, c.role, c.contact_user_id) for c in action.carriers] == [
        (police.id, "lead", None), (halt.id, "co", people["halt"].id)]
    page = client.get(f"/actions/{action.id}?lang=en").get_data(as_text=True)
    assert "contact: Halt-medewerker Sanne" in page
    carriers = client.get(f"/api/v1/actions/{action.id}").get_json()["organisations"]
    assert [c["slug"] for c in carriers if c["contact"]] == [halt.slug]
    # Saving the form as it is keeps the contact; choosing nobody drops it.
    edit = client.get(f"/actions/{action.id}/edit").get_data(as_text=True)
    assert f'<option value="{halt.id}:{people["halt"].id}" selected>' in edit
    form = {"title": action.title, "co_organisations": [str(halt.id)], "status": "planned", "progress": "0",
            "visibility": "public", "owner_public_as": "organisation"}
    assert auth.post(f"/actions/{action.id}/edit", {**form, "co_contacts": f"{halt.id}:{people['halt'].id}"}
                     ).status_code == 302
    db.session.expire_all()
    assert [c.contact_user_id for c in _the_action(db).carriers if c.role == "co"] == [people["halt"].id]
    assert auth.post(f"/actions/{action.id}/edit", {**form, "co_contacts": ""}).status_code == 302
    db.session.expire_all()
    assert [c.contact_user_id for c in _the_action(db).carriers if c.role == "co"] == [None]


def test_a_contact_of_an_organisation_not_ticked_is_ignored(auth, db, chair, thinktank, police, halt, people):
    auth.login(chair)
    assert _post(auth, thinktank, co_organisations=[str(police.id)],
                 co_contacts=[f"{halt.id}:{people['halt'].id}"]).status_code == 302
    assert [(c.organisation_id, c.contact_user_id) for c in _the_action(db).carriers] == [(police.id, None)]


@pytest.mark.parametrize("case", ["another organisation's contact", "pending contact", "not a contact",
                                  "malformed", "two for one organisation", "huge id"])
def test_a_wrong_contact_is_a_form_error_and_saves_nothing(client, auth, db, chair, thinktank, police, halt,
                                                           people, case):
    value = {"another organisation's contact": [f"{halt.id}:{people['agent'].id}"],
             "pending contact": [f"{halt.id}:{people['waiting'].id}"],
             "not a contact": [f"{halt.id}:{chair.id}"],
             "malformed": ["Halt"],
             "two for one organisation": [f"{halt.id}:{people['halt'].id}", f"{halt.id}:{people['agent'].id}"],
             "huge id": [f"{halt.id}:99999999999999999999"]}[case]
    auth.login(chair)
    response = _post(auth, thinktank, co_organisations=[str(halt.id)], co_contacts=value)
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "co_organisations")
    assert _the_action(db) is None
