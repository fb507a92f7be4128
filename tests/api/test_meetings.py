"""Meetings in the API: reading with the agenda, planning (with bad input refused and nothing stored), taking and
giving up places with the waiting list; every answer fits the OpenAPI document."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from samen.core.database import utcnow
from samen.meetings import operations as ops
from samen.meetings.models import AgendaItem, Meeting, Registration
from tests.api.helpers import assert_documented, assert_problem


def soon(days: float = 7) -> Any:
    return (utcnow() + timedelta(days=days)).replace(hour=18, minute=0, second=0, microsecond=0)


def plan(db: Any, thinktank: Any, by: Any, **fields: Any) -> Meeting:
    fields.setdefault("title", "Denktankavond")
    fields.setdefault("starts_at", soon())
    fields.setdefault("ends_at", fields["starts_at"] + timedelta(hours=2))
    fields.setdefault("location", "Het Grote Huis")
    meeting = ops.create_meeting(thinktank, by=by, **fields)
    db.session.commit()
    return meeting


def count(db: Any, model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def document(client: Any) -> dict[str, Any]:
    """Return the served OpenAPI document."""
    return client.get("/api/v1/openapi.json").get_json()


@pytest.fixture
def check(client, document):
    """Return a function that makes a request and checks its answer against the document."""
    def request(method: str, path: str, template: str, expected: int, **kwargs: Any) -> Any:
        response = getattr(client, method)("/api/v1" + path, **kwargs)
        assert response.status_code == expected, response.get_data(as_text=True)
        assert_documented(document, template, method, response)
        return response
    return request


@pytest.fixture
def as_(create_token):
    """Return a function that gives the Authorization header of a user."""
    return lambda user: {"Authorization": f"Bearer {create_token(user)}"}


BODY = {"title": "Avond over vrije tijd", "starts_at": "2031-03-01T19:30", "ends_at": "2031-03-01T21:30:00+01:00",
        "location": "Het Grote Huis", "capacity": 2, "public": True, "description": "Kom **allemaal**."}


def test_a_chair_plans_a_meeting_with_its_agenda(db, check, thinktank, chair, idea, as_):
    body = {**BODY, "agenda": [{"title": "Welkom", "planned_minutes": 10},
                               {"title": "Ideeën", "planned_minutes": 30, "idea_ids": [idea.id],
                                "description": "Wat kiezen we?"}]}
    response = check("post", f"/thinktanks/{thinktank.slug}/meetings", "/thinktanks/{slug}/meetings", 201,
                     json=body, headers=as_(chair))
    meeting = response.get_json()
    assert response.headers["Location"] == f"/api/v1/meetings/{meeting['id']}"
    assert meeting["starts_at"] == "2031-03-01T18:30:00Z" and meeting["ends_at"] == "2031-03-01T20:30:00Z"
    assert (meeting["thinktank"], meeting["plenary"], meeting["capacity"], meeting["places_left"]) == (
        thinktank.slug, False, 2, 2)
    assert meeting["description_html"] == "<p>Kom <strong>allemaal</strong>.</p>"
    assert [(item["position"], item["title"], item["planned_minutes"]) for item in meeting["agenda"]] == [
        (0, "Welkom", 10), (1, "Ideeën", 30)]
    assert meeting["agenda"][1]["ideas"] == [{"id": idea.id, "title": idea.title,
                                              "url": f"http://localhost/ideas/{idea.id}"}]
    assert meeting["registration"] is None and meeting["url"].endswith(f"/meetings/{meeting['id']}")


def test_an_admin_plans_a_plenary(db, check, admin, as_):
    meeting = check("post", "/meetings", "/meetings", 201, json=BODY, headers=as_(admin)).get_json()
    assert meeting["plenary"] and meeting["thinktank"] is None


@pytest.mark.parametrize("change, field", [
    ({"ends_at": "2031-03-01T18:00"}, "ends_at"),
    ({"capacity": 0}, "capacity"),
    ({"capacity": -1}, "capacity"),
    ({"capacity": "tien"}, "capacity"),
    ({"starts_at": "morgen"}, "starts_at"),
    ({"starts_at": None}, "starts_at"),
    ({"title": ""}, "title"),
    ({"location": None}, "location"),
    ({"online_url": "javascript:alert(1)", "location": None}, "online_url"),
    ({"agenda": [{"title": "Ideeën", "idea_ids": [987654]}]}, "agenda[0].idea_ids"),
    ({"agenda": [{"title": "Ideeën", "idea_ids": ["een"]}]}, "agenda"),
    ({"agenda": [{"title": "Lang", "planned_minutes": 601}]}, "agenda"),
    ({"agenda": [{"titel": "Fout"}]}, "agenda"),
    ({"agenda": "Welkom"}, "agenda"),
    ({"agenda": [{"title": "x"}] * 51}, "agenda"),
])
def test_bad_input_is_refused_and_nothing_is_stored(db, check, thinktank, chair, as_, change, field):
    response = check("post", f"/thinktanks/{thinktank.slug}/meetings", "/thinktanks/{slug}/meetings", 422,
                     json={**BODY, **change}, headers=as_(chair))
    problem = assert_problem(response, 422)
    assert field in problem["errors"], problem
    assert count(db, Meeting) == count(db, AgendaItem) == 0


def test_an_idea_of_another_think_tank_is_unknown_here(db, check, thinktank, chair, create_thinktank, make_member,
                                                       create_idea, as_):
    other = create_thinktank()
    foreign = create_idea(other, make_member(other))
    body = {**BODY, "agenda": [{"title": "Ideeën", "idea_ids": [foreign.id]}]}
    response = check("post", f"/thinktanks/{thinktank.slug}/meetings", "/thinktanks/{slug}/meetings", 422,
                     json=body, headers=as_(chair))
    assert assert_problem(response, 422, code="unknown_idea")["errors"]["agenda[0].idea_ids"]
    assert count(db, Meeting) == 0


def test_not_json_and_not_an_object(db, check, thinktank, chair, as_):
    check("post", f"/thinktanks/{thinktank.slug}/meetings", "/thinktanks/{slug}/meetings", 415, data="x",
          headers=as_(chair))
    check("post", "/meetings", "/meetings", 400, data="[1", content_type="application/json", headers=as_(chair))
    assert count(db, Meeting) == 0


def test_reading_a_meeting_and_the_lists(db, check, thinktank, chair, admin, member, idea, as_):
    meeting = plan(db, thinktank, chair, agenda=[{"title": "Ideeën", "ideas": [idea.id]}])
    private = plan(db, thinktank, chair, title="Besloten", public=False)
    plenary = plan(db, None, admin, title="Plenair")
    past = plan(db, thinktank, chair, title="Vorige", starts_at=soon(-30))
    past.state, past.minutes, past.minutes_published_at = "closed", "# Notulen", utcnow()
    db.session.commit()
    body = check("get", f"/meetings/{meeting.id}", "/meetings/{meeting_id}", 200).get_json()
    assert body["agenda"][0]["ideas"][0]["id"] == idea.id and "registration" not in body
    items = check("get", f"/thinktanks/{thinktank.slug}/meetings", "/thinktanks/{slug}/meetings", 200
                  ).get_json()["items"]
    assert [item["id"] for item in items] == [meeting.id]  # public, upcoming, own (no plenaries)
    items = check("get", f"/thinktanks/{thinktank.slug}/meetings?when=all", "/thinktanks/{slug}/meetings", 200,
                  headers=as_(member)).get_json()["items"]
    assert {item["id"] for item in items} == {meeting.id, private.id, past.id}
    items = check("get", "/meetings?when=past", "/meetings", 200).get_json()["items"]
    assert [(item["id"], item["minutes"]) for item in items] == [(past.id, "# Notulen")]
    assert items[0]["minutes_html"] == "<h2>Notulen</h2>"  # headings start below the page's own
    items = check("get", "/meetings?plenary=true", "/meetings", 200).get_json()["items"]
    assert [item["id"] for item in items] == [plenary.id]
    check("get", "/meetings?when=morgen", "/meetings", 400)
    check("get", "/meetings?plenary=ja", "/meetings", 400)
    check("get", "/thinktanks/bestaat-niet/meetings", "/thinktanks/{slug}/meetings", 404)
    check("get", f"/meetings/{private.id}", "/meetings/{meeting_id}", 404)  # members only: not there for you
    check("get", "/meetings/999999", "/meetings/{meeting_id}", 404)
    check("get", f"/meetings/{2**70}", "/meetings/{meeting_id}", 404)


def test_places_and_the_waiting_list(db, check, thinktank, chair, create_user, as_, mails):
    meeting = plan(db, thinktank, chair, capacity=1)
    first, second, third = create_user(), create_user(), create_user()
    path, template = f"/meetings/{meeting.id}/registration", "/meetings/{meeting_id}/registration"
    assert check("put", path, template, 201, headers=as_(first)).get_json() == {
        "meeting_id": meeting.id, "status": "registered", "position": None}
    assert check("put", path, template, 200, headers=as_(first)).get_json()["status"] == "registered"
    assert check("put", path, template, 201, headers=as_(second)).get_json() == {
        "meeting_id": meeting.id, "status": "waiting", "position": 1}
    assert check("put", path, template, 201, headers=as_(third)).get_json()["position"] == 2
    shown = check("get", f"/meetings/{meeting.id}", "/meetings/{meeting_id}", 200, headers=as_(third)).get_json()
    assert (shown["registered"], shown["waiting"], shown["places_left"]) == (1, 2, 0)
    assert shown["registration"] == {"meeting_id": meeting.id, "status": "waiting", "position": 2}
    listed = check("get", "/meetings", "/meetings", 200, headers=as_(third)).get_json()["items"]
    assert listed[0]["registration"] == {"meeting_id": meeting.id, "status": "waiting", "position": 2}
    check("delete", path, template, 204, headers=as_(first))
    check("delete", path, template, 204, headers=as_(first))  # again: nothing changes
    assert ops.registration_of(meeting, second).status == "registered"
    assert [mail["To"] for mail in mails] == [second.email]
    assert check("get", f"/meetings/{meeting.id}", "/meetings/{meeting_id}", 200, headers=as_(third)
                 ).get_json()["registration"]["position"] == 1


@pytest.fixture
def mails(app: Any) -> list[Any]:
    from samen.core.mail import outbox
    messages = outbox().messages
    messages.clear()
    return messages


def test_a_meeting_that_is_over_takes_no_one(db, check, thinktank, chair, user, as_):
    meeting = plan(db, thinktank, chair, starts_at=soon(-3))
    response = check("put", f"/meetings/{meeting.id}/registration", "/meetings/{meeting_id}/registration", 409,
                     headers=as_(user))
    assert_problem(response, 409, code="meeting_over")
    assert count(db, Registration) == 0


def test_dutch_errors_for_dutch_users(db, check, thinktank, chair, create_user, create_token):
    dutch = create_user(locale="nl")
    from samen.thinktanks import operations as tt_ops
    tt_ops.appoint_chair(thinktank, dutch)
    db.session.commit()
    response = check("post", f"/thinktanks/{thinktank.slug}/meetings", "/thinktanks/{slug}/meetings", 422,
                     json={**BODY, "capacity": 0}, headers={"Authorization": f"Bearer {create_token(dutch)}"})
    assert "capaciteit" in " ".join(assert_problem(response, 422)["errors"]["capacity"]).lower()
