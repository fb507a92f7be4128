"""The rest of the hostile classes: what the table stores when the value is fine (so that "nothing stored" means
something), long passwords, files and JSON where a form expects text, `next` targets a Location header cannot
hold, e-mail headers made of titles, and charts of values stored before the rules."""
from __future__ import annotations

import io
import json
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from samen.accounts.models import User
from samen.actions import operations as action_ops
from samen.actions.models import Measurement
from samen.core import inputs
from samen.core.database import db, utcnow
from samen.core.mail import build_message, outbox
from samen.ideas.models import Comment, Idea
from samen.meetings.models import Meeting, Registration
from samen.meetings.reminders import mail_reminder
from tests.accounts.pages import field_error
from tests.conftest import PASSWORD
from tests.input.conftest import english, row_counts
from tests.input.world import World

pytestmark = pytest.mark.usefixtures("undone")  # the world is built once; each test is rolled back


def _count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- what is fine is stored: the table's "nothing stored" can fail ---------------------------------------------

def test_fine_values_are_stored_through_each_way_in(world: World) -> None:
    before = row_counts()
    web = world.post("/indicators/{indicator}/measurements".format(**world.ids),
                     {"date": "1900-01-01", "value": "1.100,5", "note": "Café 🙂"})
    api = world.web.post("/api/v1/indicators/{indicator}/measurements".format(**world.ids), headers=world.api,
                         json={"date": "2100-12-31", "value": "-12.345,25"})
    ack = world.emit("round_open", "idea:submit", {"title": "Sport na school \u05e9\u05dc\u05d5\u05dd",
                                                   "body": "Regel één\n\tregel twee \u202eomgekeerd\u202c"})
    assert (web.status_code, api.status_code, ack.get("ok")) == (302, 201, True), (web, api.get_json(), ack)
    assert row_counts() != before
    values = db.session.scalars(select(Measurement.value).order_by(Measurement.date)).all()
    assert values == [1100.5, -12345.25]
    idea = db.session.scalar(select(Idea).order_by(Idea.id.desc()).limit(1))
    # A body keeps its tabs, line breaks and direction marks; a title in Hebrew is a title.
    assert idea.body == "Regel één\n\tregel twee \u202eomgekeerd\u202c" and idea.title.endswith("\u05dd")


def test_json_numbers_are_numbers(world: World) -> None:
    path = "/api/v1/indicators/{indicator}/measurements".format(**world.ids)
    for value in (1.1, 12.5, 1e12, -0.001):  # no ambiguity in a JSON number: a point is a decimal point
        response = world.web.post(path, headers=world.api, json={"date": "2026-03-15", "value": value})
        assert response.status_code == 201 and response.get_json()["value"] == value


# --- passwords -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("length", [72, 73, 100, 200])
def test_long_passwords_are_taken_not_a_crash(app: Flask, world: World, length: int) -> None:
    """zxcvbn refuses more than 72 characters (ValueError): the strength check looks at the first 72."""
    password = ("paard-fiets-zon-7-" * 12)[:length]
    client = app.test_client()
    page = client.get("/register").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/register", data={
        "csrf_token": token, "email": f"lang{length}@example.org", "display_name": "Lange Jan",
        "kind": "resident", "password": password, "confirm": password, "accept_terms": "y"})
    assert response.status_code == 302, field_error(response.get_data(as_text=True), "password")
    assert db.session.scalar(select(User).where(User.email == f"lang{length}@example.org")) is not None


@pytest.mark.parametrize("password", ["x" * 201, "x" * 5000, "paard\x00fiets-zon-7"])
def test_passwords_nobody_types_get_a_message_at_sign_in(app: Flask, world: World, password: str) -> None:
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/login?lang=en", data={"csrf_token": token, "email": "voorzitter@example.org",
                                                   "password": password})
    assert response.status_code == 422
    expected = english(inputs.password_problem(password))
    assert expected in field_error(response.get_data(as_text=True), "password")


# --- files and JSON where a form expects text ------------------------------------------------------------------

@pytest.mark.parametrize("path, data, field", [
    ("/thinktanks/{slug}/ideas/new", {"body": "Tekst"}, "title"),
    ("/thinktanks/{slug}/ideas/new", {"title": "Titel"}, "body"),
    ("/indicators/{indicator}/measurements", {"date": "2026-03-15"}, "value"),
    ("/indicators/{indicator}/measurements", {"value": "3"}, "date"),
    ("/actions/{action}/updates", {}, "body"),
    ("/account", {"display_name": "Voorzitter", "kind": "professional", "organisation": "unlisted",
                  "digest": "never"}, "organisation_note"),
    ("/account/password", {"password": PASSWORD, "confirm": PASSWORD}, "current"),
    ("/meetings/{scheduled}/agenda", {"planned_minutes": "5"}, "title"),
])
def test_a_file_sent_for_a_text_field_is_a_form_error(world: World, path: str, data: dict[str, Any],
                                                      field: str, no_errors_logged: Any) -> None:
    before = row_counts()
    upload = (io.BytesIO(b"\x00\xffGIF89a"), "plaatje.gif")
    response = world.post(path.format(**world.ids), {**data, field: upload}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert english(inputs.NOT_A_FILE) in field_error(response.get_data(as_text=True), field)
    assert row_counts() == before


def test_json_sent_to_a_form_is_no_server_error(world: World, no_errors_logged: Any) -> None:
    before = row_counts()
    for body in ({"title": {"nested": 1}, "body": [1, 2]}, {"title": 12, "body": None}, {"title": float("nan")}):
        response = world.web.post("/thinktanks/{slug}/ideas/new".format(**world.ids), data=json.dumps(body),
                                  content_type="application/json", headers={"X-CSRFToken": world.csrf})
        assert response.status_code == 422
    assert row_counts() == before


# --- next: a path a Location header can hold, or home ------------------------------------------------------------

HOSTILE_NEXT = ["/ideas\r\nSet-Cookie: gekaapt=1", "/ideas\nx", "/\x00", "/ideas\x7f", "/a b", "//evil.example",
                "/\\evil.example", "https://evil.example/", "/caf\u00e9"]  # no surrogate: a form cannot carry one


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_signing_in_with_a_hostile_next_goes_home(app: Flask, world: World, target: str,
                                                  no_errors_logged: Any) -> None:
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/login", data={"csrf_token": token, "email": "voorzitter@example.org",
                                           "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_other_forms_with_a_hostile_next_go_somewhere_safe(world: World, target: str,
                                                           no_errors_logged: Any) -> None:
    for path, data in (("/language", {"lang": "en"}), ("/ideas/{idea}/support", {}),
                       ("/meetings/{round_open}/command", {"event": "hand:raise"})):
        response = world.post(path.format(**world.ids), {**data, "next": target})
        assert response.status_code in (302, 303), (path, response.status_code)
        location = response.headers["Location"]
        assert inputs.is_local_path(location) and target not in location, (path, location)


def test_a_fine_next_is_followed(app: Flask, world: World) -> None:
    response = world.post("/language", {"lang": "en", "next": "/ideas/1?sort=new#comments"})
    assert response.headers["Location"] == "/ideas/1?sort=new#comments"


# --- e-mail headers ------------------------------------------------------------------------------------------------

def test_a_title_stored_with_a_line_break_makes_a_one_line_subject(app: Flask, world: World) -> None:
    """Titles are single lines now; one stored before (or by a path that forgot) cannot add a header."""
    meeting = db.session.get(Meeting, world.ids["scheduled"])
    meeting.title = "Avond\r\nBcc: iedereen@example.org\r\n\r\nNep-tekst"
    registration = Registration(meeting_id=meeting.id, user_id=world.ids["member"], status="registered")
    db.session.add(registration)
    db.session.flush()
    outbox().messages.clear()
    mail_reminder(registration)
    (message,) = outbox().messages
    assert "\r" not in message["Subject"] and "\n" not in message["Subject"]
    assert message["Bcc"] is None and "Avond Bcc: iedereen@example.org Nep-tekst" in message["Subject"]
    assert b"\r\nBcc:" not in bytes(message)


@pytest.mark.parametrize("subject", ["Hallo\nBcc: a@b.nl", "Hallo\rTo: a@b.nl", "Hallo\x00", "Hallo\u2028x",
                                     "Hallo \ud800"])
def test_every_mail_header_is_one_line(app: Flask, world: World, subject: str) -> None:
    message = build_message("lid@example.org\r\nBcc: x@example.org", subject, "Tekst")
    for name in ("To", "Subject"):
        assert not any(char in message[name] for char in "\r\n\x00\u2028"), (name, message[name])
    assert message["Bcc"] is None
    bytes(message)  # and it can be sent


# --- charts of what was stored before the rules ------------------------------------------------------------------

@pytest.mark.parametrize("day", [date(9999, 12, 31), date(1, 1, 1), date(26, 1, 1)])
def test_a_measurement_from_before_the_rules_stays_off_the_charts(world: World, day: date,
                                                                  no_errors_logged: Any) -> None:
    indicator_id = world.ids["indicator"]
    action_ops.record_measurement(db.session.get(action_ops.Indicator, indicator_id),
                                  by=db.session.get(User, world.ids["chair"]), date="2025-01-01", value=12)
    db.session.add(Measurement(indicator_id=indicator_id, date=day, value=99))  # as an old version stored it
    db.session.commit()
    for path in ("/progress", f"/indicators/{indicator_id}", "/indicators", "/progress/report",
                 "/progress/thinktanks/preventie"):
        assert world.web.get(path).status_code == 200, path


def test_no_new_measurement_reaches_a_chart_from_year_26(world: World) -> None:
    assert _count(Measurement) == 0
    for day in ("0026-01-01", "9999-12-31"):
        world.post("/indicators/{indicator}/measurements".format(**world.ids), {"date": day, "value": "3"})
        world.web.post("/api/v1/indicators/{indicator}/measurements".format(**world.ids), headers=world.api,
                       json={"date": day, "value": 3})
    assert _count(Measurement) == 0


# --- ids a column cannot hold -----------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["2147483648", "99999999999999999999"])
def test_ids_beyond_the_column_in_queries_are_400_and_in_paths_404(world: World, bad: str,
                                                                   no_errors_logged: Any) -> None:
    answer = world.web.get(f"/api/v1/actions?owner={bad}", headers=world.api)
    assert answer.status_code == 400 and answer.get_json()["errors"] == {"owner": ["The owner must be a user id."]}
    for path in (f"/api/v1/ideas/{bad}", f"/api/v1/actions/{bad}", f"/api/v1/meetings/{bad}",
                 f"/ideas/{bad}", f"/actions/{bad}", f"/meetings/{bad}", f"/indicators/{bad}",
                 f"/comments/{bad}/edit", f"/progress/actions/{bad}"):
        assert world.web.get(path, headers=world.api if path.startswith("/api") else {}).status_code == 404, path
    assert world.web.get(f"/actions/new?idea={bad}").status_code == 404


def test_a_reply_to_a_comment_beyond_the_column_stores_nothing(world: World) -> None:
    before = _count(Comment)
    world.post("/ideas/{idea}/comments".format(**world.ids), {"body": "Ja", "parent_id": "2147483648"})
    assert _count(Comment) == before


def test_dates_keep_their_range_in_the_future(world: World) -> None:
    """The range is the plan's, not today's: a target in 2100 is fine, in 2101 not."""
    assert inputs.day("2100-12-31", field="d") == date(2100, 12, 31)
    assert utcnow().date() + timedelta(days=365 * 70) < inputs.LATEST


# --- the live board's handshake ---------------------------------------------------------------------------------

@pytest.mark.parametrize("token", ["samen_\ud800", "samen_a\x00b", "\ud800", 12, ["samen_"], "samen_" + "x" * 500])
def test_a_hostile_token_on_the_live_board_is_refused(app: Flask, world: World, token: Any,
                                                      no_errors_logged: Any) -> None:
    from samen.extensions import socketio_for
    from tests.input.world import NS

    client = socketio_for(app).test_client(app, namespace=NS, auth={"token": token})
    assert not client.is_connected(NS)


# --- hostile query strings in the API ----------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/v1/thinktanks/preventie/ideas", "/api/v1/actions", "/api/v1/indicators",
                                  "/api/v1/meetings", "/api/v1/thinktanks/preventie/meetings", "/api/v1/thinktanks",
                                  "/api/v1/progress"])
def test_hostile_query_strings_in_the_api_are_no_server_error(world: World, path: str,
                                                              no_errors_logged: Any) -> None:
    from urllib.parse import urlencode

    from tests.input.test_crawl import HOSTILE_QUERY

    for name, value in HOSTILE_QUERY.items():
        response = world.web.get(f"{path}?{urlencode({name: value})}", headers=world.api)
        assert response.status_code < 500, (name, response.status_code)
        assert response.mimetype in ("application/json", "application/problem+json")
