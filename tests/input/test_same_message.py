"""One value, one answer: a hostile value sent through the web form, the API and the live board gets the same
message from each — read from the answers themselves, in English and in Dutch."""
from __future__ import annotations

import html
import json
import re
from typing import Any

import pytest
from flask import Flask

from samen.core import inputs
from samen.extensions import socketio_for
from tests.conftest import PASSWORD
from tests.input.conftest import dutch, english, row_counts
from tests.input.world import NS, World

pytestmark = pytest.mark.usefixtures("undone")  # the world is built once; each test is rolled back


def from_page(response: Any, field: str) -> str:
    """Return the message a form shows at a field (without the 'Error:' said to screen readers)."""
    assert response.status_code == 422, response.status_code
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', response.get_data(as_text=True), re.S)
    assert match, f"no error at {field}"
    return html.unescape(re.sub(r"<span[^>]*>.*?</span>", "", match.group(1), flags=re.S)).strip()


def from_api(response: Any, field: str) -> str:
    """Return the message a problem+json answer gives for a field."""
    assert response.status_code == 422, response.get_data(as_text=True)
    (message,) = response.get_json()["errors"][field]
    return message


def from_ack(answer: Any, field: str) -> str:
    """Return the message of a live acknowledgement that refuses a field."""
    assert answer["error"]["code"] == "invalid" and answer["error"]["field"] == field, answer
    return answer["error"]["message"]


def send_json(world: World, method: str, path: str, body: dict[str, Any], *, literal: str | None = None,
              headers: dict[str, str] | None = None) -> Any:
    """Send a JSON body; `literal` replaces the string "LITERAL" in it by a bare literal such as NaN."""
    text = json.dumps(body)
    if literal is not None:
        text = text.replace('"LITERAL"', literal)
    return world.web.open(path.format(**world.ids), method=method, data=text, content_type="application/json",
                          headers=headers if headers is not None else world.api)


@pytest.mark.parametrize("value, message", [
    ("Ti\x00tel", inputs.CONTROL), ("Ti\ntel", inputs.ONE_LINE), ("Ti\u202etel", inputs.DIRECTION),
])
def test_an_idea_title(world: World, value: str, message: Any) -> None:
    before = row_counts()
    said = {
        "web": from_page(world.post("/thinktanks/{slug}/ideas/new".format(**world.ids), {"title": value}), "title"),
        "api": from_api(send_json(world, "POST", "/api/v1/thinktanks/{slug}/ideas", {"title": value}), "title"),
        "live": from_ack(world.emit("round_open", "idea:submit", {"title": value}), "title"),
    }
    assert set(said.values()) == {english(message)}, said
    assert row_counts() == before


def test_a_body(world: World) -> None:
    value = "Tek\x1bst"
    said = {
        "web comment": from_page(world.post("/comments/{comment}/edit".format(**world.ids), {"body": value}),
                                 "body"),
        "api comment": from_api(send_json(world, "POST", "/api/v1/ideas/{idea}/comments", {"body": value}), "body"),
        "live decision": from_ack(world.emit("round_open", "decision:record", {"text": value}), "text"),
    }
    assert set(said.values()) == {english(inputs.CONTROL)}, said


@pytest.mark.parametrize("typed, sent, literal, message", [
    ("1.1", "1.1", None, inputs.AMBIGUOUS),
    ("NaN", "NaN", "NaN", inputs.NOT_FINITE),
    ("-Infinity", "-Infinity", "-Infinity", inputs.NOT_FINITE),
])
def test_a_measured_value(world: World, typed: str, sent: str, literal: str | None, message: Any) -> None:
    path = "/api/v1/indicators/{indicator}/measurements"
    said = {
        "web": from_page(world.post("/indicators/{indicator}/measurements".format(**world.ids),
                                    {"date": "2026-03-15", "value": typed}), "value"),
        "api text": from_api(send_json(world, "POST", path, {"date": "2026-03-15", "value": sent}), "value"),
    }
    if literal is not None:  # Python's json reads NaN and Infinity, which JSON does not have
        said["api literal"] = from_api(send_json(world, "POST", path, {"date": "2026-03-15", "value": "LITERAL"},
                                                 literal=literal), "value")
    assert set(said.values()) == {english(message)}, said


@pytest.mark.parametrize("day", ["0026-01-01", "9999-12-31"])
def test_a_date(world: World, day: str) -> None:
    said = {
        "web measurement": from_page(world.post("/indicators/{indicator}/measurements".format(**world.ids),
                                                {"date": day, "value": "3"}), "date"),
        "api measurement": from_api(send_json(world, "POST", "/api/v1/indicators/{indicator}/measurements",
                                              {"date": day, "value": 3}), "date"),
        "web due date": from_page(world.post("/actions/new?thinktank={slug}".format(**world.ids),
                                             {"title": "Doen", "visibility": "public", "status": "planned",
                                              "due_date": day}), "due_date"),
        "api due date": from_api(send_json(world, "POST", "/api/v1/actions",
                                           {"thinktank": "preventie", "title": "Doen", "due_date": day}), "due_date"),
        "live due date": from_ack(world.emit("round_open", "decision:record",
                                             {"text": "Besluit", "action": {"title": "Doen", "due_date": day}}),
                                  "due_date"),
    }
    assert set(said.values()) == {english(inputs.DATE_RANGE)}, said


def test_a_moment(world: World) -> None:
    moment = "9999-12-31T23:59"
    base = {"title": "Avond", "ends_at": "2027-03-01T21:30", "location": "De Schakel", "visibility": "public"}
    said = {
        "web": from_page(world.post("/meetings/new?thinktank={slug}".format(**world.ids),
                                    {**base, "starts_at": moment}), "starts_at"),
        "api": from_api(send_json(world, "POST", "/api/v1/thinktanks/{slug}/meetings",
                                  {**base, "starts_at": moment}), "starts_at"),
    }
    assert set(said.values()) == {english(inputs.DATE_RANGE)}, said


@pytest.mark.parametrize("typed, sent", [("2147483648", 2**31), ("99999999999999999999", 10**20)])
def test_an_id_and_a_whole_number(world: World, typed: str, sent: int) -> None:
    web_action = {"title": "Doen", "visibility": "public", "status": "planned", "progress": "0"}
    api_action = {"thinktank": "preventie", "title": "Doen"}
    owners = {
        "web": from_page(world.post("/actions/new?thinktank={slug}".format(**world.ids),
                                    {**web_action, "owner_id": typed}), "owner_id"),
        "api": from_api(send_json(world, "POST", "/api/v1/actions", {**api_action, "owner_id": sent}), "owner_id"),
        "live": from_ack(world.emit("round_open", "decision:record",
                                    {"text": "Besluit", "action": {"title": "Doen", "owner_id": sent}}), "owner_id"),
    }
    assert set(owners.values()) == {english(inputs.NOT_AN_ID)}, owners
    progress = {
        "web": from_page(world.post("/actions/new?thinktank={slug}".format(**world.ids),
                                    {**web_action, "progress": typed}), "progress"),
        "api": from_api(send_json(world, "POST", "/api/v1/actions", {**api_action, "progress": sent}), "progress"),
    }
    assert set(progress.values()) == {"Progress is a whole number from 0 to 100."}, progress


def test_a_password_that_is_too_long(world: World) -> None:
    password = "x7-" * 67
    said = {
        "web": from_page(world.post("/account/password", {"current": PASSWORD, "password": password,
                                                          "confirm": password}), "password"),
        "api": from_api(send_json(world, "POST", "/api/v1/tokens?lang=en",
                                  {"email": "voorzitter@example.org", "password": password}, headers={}),
                        "password"),
    }
    assert set(said.values()) == {"Use at most 200 characters."}, said


@pytest.mark.parametrize("value, message", [("Ti\x00tel", inputs.CONTROL), ("Ti\u2066tel", inputs.DIRECTION)])
def test_in_dutch_too(app: Flask, world: World, value: str, message: Any) -> None:
    """The member reads Dutch (their account says so): the same message from each way in, in Dutch."""
    client = socketio_for(app).test_client(app, namespace=NS, auth={"token": world.dutch_api["Authorization"][7:]})
    try:
        assert client.emit("join", {"meeting_id": world.ids["round_open"]}, namespace=NS, callback=True).get("ok")
        said = {
            "web": from_page(world.post("/thinktanks/{slug}/ideas/new".format(**world.ids), {"title": value},
                                        dutch=True), "title"),
            "api": from_api(send_json(world, "POST", "/api/v1/thinktanks/{slug}/ideas", {"title": value},
                                      headers=world.dutch_api), "title"),
            "live": from_ack(client.emit("idea:submit", {"title": value}, namespace=NS, callback=True), "title"),
        }
    finally:
        client.disconnect(NS)
    assert set(said.values()) == {dutch(message)}, said
    assert dutch(message) != english(message)


def _flashed(world: World) -> list[str]:
    with world.web.session_transaction() as session:
        return [str(message) for _category, message in session.pop("_flashes", [])]


@pytest.mark.parametrize("form, event, payload, field, message", [
    ({"event": "timer:start", "minutes": "NaN"}, "timer:start", {"seconds": float("nan")}, "seconds",
     inputs.NOT_FINITE),
    ({"event": "idea:submit", "title": "Ti\x00tel"}, "idea:submit", {"title": "Ti\x00tel"}, "title", inputs.CONTROL),
    ({"event": "ballot:open", "kind": "question", "question": "Ja\u202e?"}, "ballot:open", {"question": "Ja\u202e?"},
     "question", inputs.DIRECTION),
])
def test_the_board_without_javascript_says_what_the_script_hears(world: World, form: dict[str, Any], event: str,
                                                                   payload: dict[str, Any], field: str,
                                                                   message: Any) -> None:
    before = row_counts()
    response = world.post("/meetings/{round_open}/command".format(**world.ids), form)
    assert response.status_code == 303
    said = {"web": _flashed(world), "live": [from_ack(world.emit("round_open", event, payload), field)]}
    assert said == {"web": [english(message)], "live": [english(message)]}, said
    assert row_counts() == before
