"""Hostile values by every field that takes that kind of value, through the web forms, the API and the live board:
each is refused with the message samen/core/inputs.py gives it (docs/input.md), in the reader's language, at
its field, and nothing is stored. The plan is built once for the module (tests/input/world.py); every test runs
in a savepoint that is rolled back, so they take a few milliseconds each."""
from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient

from samen.core import inputs
from samen.meetings.operations import MINUTES_MAX
from tests.accounts.pages import field_error
from tests.conftest import PASSWORD
from tests.input.conftest import english, row_counts
from tests.input.world import World

pytestmark = pytest.mark.usefixtures("undone")  # the world is built once; each test is rolled back

# --- the hostile values, by the kind of value a field takes -------------------------------------------------

Value = tuple[str, Any, Any]  # (label, value, the message it gets; None: the field's own message)


class Literal(str):
    """A JSON literal that json.dumps cannot write: NaN, Infinity (Python's json reads them!), 1e400."""


LINE: list[Value] = [
    ("NUL", "Titel\x00", inputs.CONTROL), ("ESC", "Ti\x1b[1mtel", inputs.CONTROL), ("C1", "Ti\x85tel", inputs.CONTROL),
    ("DEL", "Ti\x7ftel", inputs.CONTROL), ("tab", "Ti\ttel", inputs.ONE_LINE), ("LF", "Ti\ntel", inputs.ONE_LINE),
    ("CRLF", "Titel\r\nBcc: iedereen@example.org", inputs.ONE_LINE), ("U+2028", "Ti\u2028tel", inputs.ONE_LINE),
    ("RLO", "Ti\u202etel", inputs.DIRECTION), ("LRI", "Ti\u2066tel", inputs.DIRECTION),
]
BODY: list[Value] = [
    ("NUL", "Tekst\x00", inputs.CONTROL), ("ESC", "\x1b[31mTekst", inputs.CONTROL),
    ("DEL", "Tek\x7fst", inputs.CONTROL), ("C1", "Tek\x9bst", inputs.CONTROL), ("BEL", "Tek\x07st", inputs.CONTROL),
]
# UTF-8 cannot carry an unpaired surrogate, so a form post never has one; JSON can ("\ud800").
SURROGATES: list[Value] = [("lone surrogate", "Ti\ud800tel", inputs.SURROGATE)]
NUMBER_TEXT: list[Value] = [
    ("1.1", "1.1", inputs.AMBIGUOUS), ("12.5", "12.5", inputs.AMBIGUOUS), ("1,100.5", "1,100.5", inputs.AMBIGUOUS),
    ("1.100.5", "1.100.5", inputs.AMBIGUOUS), ("NaN", "NaN", inputs.NOT_FINITE), ("Infinity", "Infinity",
                                                                                   inputs.NOT_FINITE),
    ("-inf", "-inf", inputs.NOT_FINITE), ("1e5", "1e5", inputs.NOT_A_NUMBER),
    ("too large", "1.000.000.000.001", inputs.TOO_LARGE),
]
NUMBER_JSON: list[Value] = [
    ("literal NaN", Literal("NaN"), inputs.NOT_FINITE), ("literal Infinity", Literal("Infinity"), inputs.NOT_FINITE),
    ("literal -Infinity", Literal("-Infinity"), inputs.NOT_FINITE), ("1e400", Literal("1e400"), inputs.NOT_FINITE),
    ("1e13", 10**13, inputs.TOO_LARGE),
]
WHOLE_TEXT: list[Value] = [
    ("2**31", "2147483648", None), ("20 digits", "99999999999999999999", None), ("1,5", "1,5", None),
    ("NaN", "NaN", inputs.NOT_FINITE), ("Infinity", "Infinity", inputs.NOT_FINITE),
]
WHOLE_JSON: list[Value] = [
    ("2**31", 2**31, None), ("2**63", 2**63, None), ("10**30", 10**30, None),
    ("literal NaN", Literal("NaN"), inputs.NOT_FINITE), ("literal -Infinity", Literal("-Infinity"), inputs.NOT_FINITE),
]
DATES: list[Value] = [
    ("year 26", "0026-01-01", inputs.DATE_RANGE), ("1899", "1899-12-31", inputs.DATE_RANGE),
    ("2101", "2101-01-01", inputs.DATE_RANGE), ("year 9999", "9999-12-31", inputs.DATE_RANGE),
]
MOMENTS: list[Value] = [
    ("year 26", "0026-03-01T19:30", inputs.DATE_RANGE), ("year 9999", "9999-12-31T23:59", inputs.DATE_RANGE),
    ("1899", "1899-12-31T12:00", inputs.DATE_RANGE),
]
ID_TEXT: list[Value] = [
    ("2**31", "2147483648", None), ("20 digits", "99999999999999999999", None), ("superscript", "²", None),
    ("negative", "-1", None), ("zero", "0", None),
]
ID_JSON: list[Value] = [
    ("2**31", 2**31, None), ("2**63", 2**63, None), ("10**30", 10**30, None), ("zero", 0, None), ("negative", -1, None),
]
PASSWORDS: list[Value] = [
    ("NUL", "paard-fiets\x00-zon-7", inputs.CONTROL), ("tab", "paard\tfiets-zon-7", inputs.CONTROL),
    ("201 characters", "x7-" * 67, inputs.password_problem("x" * 201)),
]


# --- the fields, per interface ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    """A field that takes a kind of value: how to send a value into it, where the refusal names it, and the
    message the field gives for what is out of its range (whole numbers, ids)."""

    name: str
    values: tuple[Value, ...]
    send: Callable[[World, Any], Any]
    at: str
    message: Any = inputs.NOT_AN_ID
    flash: bool = False  # the web page says it in a flash, after a redirect


def web(path: str, base: dict[str, Any], field: str) -> Callable[[World, Any], Any]:
    """Post the form at `path` (with "{name}" filled from the world's ids), the value in `field`."""
    return lambda world, value: world.post(path.format(**world.ids), {**base, field: value})


def api(method: str, path: str, base: dict[str, Any], field: str, *, nest: str | None = None
        ) -> Callable[[World, Any], Any]:
    """Send the JSON body `base` with the value in `field` (in the first agenda item with `nest`)."""
    def send(world: World, value: Any) -> Any:
        body = json.loads(json.dumps(base))
        target = body[nest][0] if nest else body
        target[field] = "\x00LITERAL\x00" if isinstance(value, Literal) else value
        text = json.dumps(body)
        if isinstance(value, Literal):
            text = text.replace('"\\u0000LITERAL\\u0000"', str(value))
        return world.web.open(path.format(**world.ids), method=method, data=text, headers=world.api,
                              content_type="application/json")
    return send


def live(meeting: str, event: str, base: dict[str, Any], field: str, *, nest: str | None = None,
         listed: bool = False) -> Callable[[World, Any], Any]:
    """Emit the live event with the value in `field` of its payload (of `nest` in it; in a list with `listed`)."""
    def send(world: World, value: Any) -> Any:
        payload = json.loads(json.dumps(base))
        target = payload[nest] if nest else payload
        target[field] = [value] if listed else value
        return world.emit(meeting, event, payload)
    return send


IDEA = {"title": "Sport na school", "body": "Elke week."}
ACTION = {"title": "Voorlichting", "status": "planned", "progress": "0", "visibility": "public"}
INDICATOR = {"scope": "preventie", "name": "Meldingen", "direction": "up"}
MEASUREMENT = {"date": "2026-03-15", "value": "12,5"}
MEETING = {"title": "Avond", "starts_at": "2027-03-01T19:30", "ends_at": "2027-03-01T21:30",
           "location": "De Schakel", "visibility": "public"}
AGENDA = {"title": "Ideeën", "planned_minutes": "15"}
PROFILE = {"display_name": "Voorzitter", "kind": "professional", "organisation": "unlisted", "locale": "en",
           "digest": "never"}
THINKTANK = {"name": "Nazorg", "slug": "nazorg", "join_policy": "open"}
PLAN = {"title": "Samen", "municipality": "Nijkerk"}
PROGRESS = "Progress is a whole number from 0 to 100."
CAPACITY = "The capacity is a whole number of at least 1; leave it empty for no limit."
PLANNED = f"The planned time is a whole number of minutes from 0 to {MINUTES_MAX}."


def _web_fields() -> list[Field]:
    line, body = tuple(LINE), tuple(BODY)
    fields = [
        Field("idea title", line, web("/thinktanks/{slug}/ideas/new", IDEA, "title"), "title"),
        Field("idea body", body, web("/thinktanks/{slug}/ideas/new", IDEA, "body"), "body"),
        Field("edited idea title", line, web("/ideas/{idea}/edit", IDEA, "title"), "title"),
        Field("comment", body, web("/ideas/{idea}/comments", {}, "body"), "body"),
        Field("edited comment", body, web("/comments/{comment}/edit", {}, "body"), "body"),
        Field("answer", body, web("/ideas/{idea}/decide", {"status": "discussion"}, "answer"), "answer", flash=True),
        Field("merged into", tuple(ID_TEXT), web("/ideas/{idea}/decide", {"status": "merged", "answer": "Ja."},
                                                 "merged_into"), "merged_into", flash=True),
        Field("report reason", body, web("/ideas/{other_idea}/report", {}, "reason"), "reason", flash=True),
        Field("tag name", line, web("/thinktanks/{slug}/tags", {}, "name"), "name"),
        Field("reason for hiding", body, web("/reports/{report}/resolve", {"outcome": "hidden"}, "note"), "note"),
        Field("comment replied to", tuple(ID_TEXT), web("/ideas/{idea}/comments", {"body": "Ja"}, "parent_id"),
              "parent_id"),
    ]
    for path in ("/actions/new?thinktank={slug}", "/actions/{action}/edit"):
        fields += [
            Field(f"{path} title", line, web(path, ACTION, "title"), "title"),
            Field(f"{path} description", body, web(path, ACTION, "description"), "description"),
            Field(f"{path} decision", body, web(path, ACTION, "decision"), "decision"),
            Field(f"{path} stop reason", body, web(path, {**ACTION, "status": "stopped"}, "stop_reason"),
                  "stop_reason"),
            Field(f"{path} start date", tuple(DATES), web(path, ACTION, "start_date"), "start_date"),
            Field(f"{path} due date", tuple(DATES), web(path, ACTION, "due_date"), "due_date"),
            Field(f"{path} progress", tuple(WHOLE_TEXT), web(path, ACTION, "progress"), "progress", PROGRESS),
            Field(f"{path} owner", tuple(ID_TEXT), web(path, ACTION, "owner_id"), "owner_id"),
            Field(f"{path} ideas", tuple(ID_TEXT), web(path, ACTION, "ideas"), "ideas"),
            Field(f"{path} indicators", tuple(ID_TEXT), web(path, ACTION, "indicators"), "indicators"),
        ]
    fields += [
        Field("update", body, web("/actions/{action}/updates", {}, "body"), "body"),
        Field("update progress", tuple(WHOLE_TEXT), web("/actions/{action}/updates", {"body": "Gedaan"},
                                                        "progress"), "progress", PROGRESS),
        Field("milestone", line, web("/actions/{action}/milestones", {}, "title"), "title"),
        Field("milestone due date", tuple(DATES), web("/actions/{action}/milestones", {"title": "Stap"},
                                                      "due_date"), "due_date"),
        *(Field(f"indicator {name}", line, web("/indicators/new", INDICATOR, name), name)
          for name in ("name", "unit", "source")),
        Field("indicator description", body, web("/indicators/new", INDICATOR, "description"), "description"),
        *(Field(f"indicator {name}", tuple(NUMBER_TEXT), web("/indicators/new", INDICATOR, name), name)
          for name in ("baseline_value", "target_value")),
        *(Field(f"indicator {name}", tuple(DATES), web("/indicators/new", INDICATOR, name), name)
          for name in ("baseline_date", "target_date")),
        Field("measured value", tuple(NUMBER_TEXT), web("/indicators/{indicator}/measurements", MEASUREMENT,
                                                        "value"), "value"),
        Field("measured on", tuple(DATES), web("/indicators/{indicator}/measurements", MEASUREMENT, "date"), "date"),
        Field("measurement note", line, web("/indicators/{indicator}/measurements", MEASUREMENT, "note"), "note"),
    ]
    for path in ("/meetings/new?thinktank={slug}", "/meetings/{scheduled}/edit"):
        fields += [
            *(Field(f"{path} {name}", line, web(path, MEETING, name), name)
              for name in ("title", "location", "online_url")),
            Field(f"{path} description", body, web(path, MEETING, "description"), "description"),
            *(Field(f"{path} {name}", tuple(MOMENTS), web(path, MEETING, name), name)
              for name in ("starts_at", "ends_at")),
            Field(f"{path} capacity", tuple(WHOLE_TEXT), web(path, MEETING, "capacity"), "capacity", CAPACITY),
        ]
    fields += [
        Field("agenda item", line, web("/meetings/{scheduled}/agenda", AGENDA, "title"), "title"),
        Field("agenda description", body, web("/meetings/{scheduled}/agenda", AGENDA, "description"),
              "description"),
        Field("planned minutes", tuple(WHOLE_TEXT), web("/meetings/{scheduled}/agenda", AGENDA, "planned_minutes"),
              "planned_minutes", PLANNED),
        Field("minutes", body, web("/meetings/{closed}/minutes", {"save": "1"}, "text"), "text"),
        *(Field(f"profile {name}", line, web("/account", PROFILE, name), name)
          for name in ("display_name", "organisation_note")),
        *(Field(f"plan {name}", line, web("/admin/plan", PLAN, name), name) for name in ("title", "municipality")),
        Field("plan introduction", body, web("/admin/plan", PLAN, "introduction"), "introduction"),
        *(Field(f"think tank {name}", line, web("/admin/thinktanks/new", THINKTANK, name), name)
          for name in ("name", "theme", "summary")),
        Field("think tank description", body, web("/admin/thinktanks/new", THINKTANK, "description"),
              "description"),
        Field("new password", tuple(PASSWORDS), lambda world, value: world.post(
            "/account/password", {"current": PASSWORD, "password": value, "confirm": value}), "password"),
        Field("current password", tuple(PASSWORDS), lambda world, value: world.post(
            "/account/password", {"current": value, "password": "een-ander-sterk-wachtwoord",
                                  "confirm": "een-ander-sterk-wachtwoord"}), "current"),
    ]
    return fields


NEW_ACTION = {"thinktank": "preventie", "title": "Voorlichting"}
NEW_MEETING = {"title": "Avond", "starts_at": "2027-03-01T19:30", "ends_at": "2027-03-01T21:30",
               "location": "De Schakel", "agenda": [{"title": "Ideeën"}]}


def _api_fields() -> list[Field]:
    line, body = (*LINE, *SURROGATES), (*BODY, *SURROGATES)
    ideas = "/api/v1/thinktanks/{slug}/ideas"
    fields = [
        Field("idea title", line, api("POST", ideas, IDEA, "title"), "title"),
        Field("idea body", body, api("POST", ideas, IDEA, "body"), "body"),
        Field("edited idea title", line, api("PATCH", "/api/v1/ideas/{idea}", {}, "title"), "title"),
        Field("edited idea body", body, api("PATCH", "/api/v1/ideas/{idea}", {}, "body"), "body"),
        Field("idea tag", line, api("POST", ideas, IDEA, "tags"), "tags"),
        Field("comment", body, api("POST", "/api/v1/ideas/{idea}/comments", {}, "body"), "body"),
        Field("comment replied to", tuple(ID_JSON), api("POST", "/api/v1/ideas/{idea}/comments", {"body": "Ja"},
                                                        "parent_id"), "parent_id"),
        Field("answer", body, api("POST", "/api/v1/ideas/{idea}/status", {"status": "discussion"}, "answer"),
              "answer"),
        Field("merged into", tuple(ID_JSON), api("POST", "/api/v1/ideas/{idea}/status",
                                                 {"status": "merged", "answer": "Ja."}, "merged_into"),
              "merged_into"),
        Field("report reason", body, api("POST", "/api/v1/ideas/{other_idea}/reports", {}, "reason"), "reason"),
        Field("reported comment", tuple(ID_JSON), api("POST", "/api/v1/ideas/{idea}/reports", {"reason": "Zie"},
                                                      "comment_id"), "comment_id"),
        # Without a token the language is the client's (Accept-Language, ?lang=): English here.
        Field("token name", line, api("POST", "/api/v1/tokens?lang=en", {"email": "voorzitter@example.org",
                                                                 "password": PASSWORD}, "name"), "name"),
        Field("token password", (*PASSWORDS, *SURROGATES), api("POST", "/api/v1/tokens?lang=en",
                                                               {"email": "voorzitter@example.org"}, "password"),
              "password"),
    ]
    for method, path, base in (("POST", "/api/v1/actions", NEW_ACTION), ("PATCH", "/api/v1/actions/{action}", {})):
        fields += [
            *(Field(f"{method} action {name}", line, api(method, path, base, name), name)
              for name in ("title", "organisation")),
            *(Field(f"{method} action {name}", body, api(method, path, base, name), name)
              for name in ("description", "decision")),
            Field(f"{method} action stop reason", body, api(method, path, {**base, "status": "stopped"},
                                                            "stop_reason"), "stop_reason"),
            *(Field(f"{method} action {name}", tuple(DATES), api(method, path, base, name), name)
              for name in ("start_date", "due_date")),
            Field(f"{method} action progress", tuple(WHOLE_JSON), api(method, path, base, "progress"), "progress",
                  PROGRESS),
            Field(f"{method} action owner", tuple(ID_JSON), api(method, path, base, "owner_id"), "owner_id"),
            *(Field(f"{method} action {name}", tuple(ID_JSON), api(method, path, base, name), name)
              for name in ("idea_ids", "indicator_ids")),
        ]
    measurements = "/api/v1/indicators/{indicator}/measurements"
    meetings = "/api/v1/thinktanks/{slug}/meetings"
    fields += [
        Field("update", body, api("POST", "/api/v1/actions/{action}/updates", {}, "body"), "body"),
        Field("update progress", tuple(WHOLE_JSON), api("POST", "/api/v1/actions/{action}/updates",
                                                        {"body": "Gedaan"}, "progress"), "progress", PROGRESS),
        Field("measured value", (*NUMBER_TEXT, *NUMBER_JSON), api("POST", measurements, MEASUREMENT, "value"),
              "value"),
        Field("measured on", tuple(DATES), api("POST", measurements, MEASUREMENT, "date"), "date"),
        Field("measurement note", line, api("POST", measurements, MEASUREMENT, "note"), "note"),
        *(Field(f"meeting {name}", line, api("POST", meetings, NEW_MEETING, name), name)
          for name in ("title", "location", "online_url")),
        Field("meeting description", body, api("POST", meetings, NEW_MEETING, "description"), "description"),
        *(Field(f"meeting {name}", tuple(MOMENTS), api("POST", meetings, NEW_MEETING, name), name)
          for name in ("starts_at", "ends_at")),
        Field("meeting capacity", tuple(WHOLE_JSON), api("POST", meetings, NEW_MEETING, "capacity"), "capacity",
              CAPACITY),
        Field("agenda item", line, api("POST", meetings, NEW_MEETING, "title", nest="agenda"), "agenda"),
        Field("agenda description", body, api("POST", meetings, NEW_MEETING, "description", nest="agenda"),
              "agenda"),
        Field("planned minutes", tuple(WHOLE_JSON), api("POST", meetings, NEW_MEETING, "planned_minutes",
                                                        nest="agenda"), "agenda", PLANNED),
    ]
    return fields


def _live_fields() -> list[Field]:
    line, body = (*LINE, *SURROGATES), (*BODY, *SURROGATES)
    decision = {"text": "Besluit", "action": {"title": "Doen"}}
    return [
        Field("idea title", line, live("round_open", "idea:submit", {"body": ""}, "title"), "title"),
        Field("idea body", body, live("round_open", "idea:submit", {"title": "Idee"}, "body"), "body"),
        Field("ballot question", line, live("round_open", "ballot:open", {}, "question"), "question"),
        Field("ballot ideas", tuple(ID_JSON), live("round_open", "ballot:open", {"dots": 3}, "idea_ids",
                                                   listed=True), "idea_ids"),
        Field("ballot dots", tuple(WHOLE_JSON), live("round_open", "ballot:open", {"idea_ids": [1]}, "dots"), "dots",
              "Give each participant between 1 and 20 dots."),
        Field("decision", body, live("round_open", "decision:record", {}, "text"), "text"),
        Field("decided action", line, live("round_open", "decision:record", decision, "title", nest="action"),
              "title"),
        Field("decided action due", tuple(DATES), live("round_open", "decision:record", decision, "due_date",
                                                       nest="action"), "due_date"),
        Field("decided action owner", tuple(ID_JSON), live("round_open", "decision:record", decision, "owner_id",
                                                           nest="action"), "owner_id"),
        Field("timer", tuple(WHOLE_JSON), live("round_open", "timer:start", {}, "seconds"), "seconds",
              "The timer needs between 1 second and 24 hours."),
        Field("merged idea", tuple(ID_JSON), live("round_open", "idea:merge", {"into_id": 1}, "idea_id"), "idea_id"),
        Field("ballot voted on", tuple(ID_JSON), live("ballot_open", "ballot:vote", {"choice": "yes"}, "ballot_id"),
              "ballot_id"),
        Field("hand lowered", tuple(ID_JSON), live("ballot_open", "hand:lower", {}, "user_id"), "user_id"),
        Field("meeting joined", tuple(ID_JSON), live("ballot_open", "join", {}, "meeting_id"), "meeting_id"),
    ]


def _cases(interface: str, fields: list[Field]) -> list[Any]:
    return [pytest.param(field, value, id=f"{interface} {field.name}: {value[0]}")
            for field in fields for value in field.values]


# --- running the table ----------------------------------------------------------------------------------------

def expected(field: Field, value: Value) -> str:
    """Return the English message this value gets at this field: its own, or the field's for its range."""
    message = value[2] if value[2] is not None else field.message
    return english(message)


def flashes(client: FlaskClient) -> list[str]:
    """Return and clear the messages flashed to the client's session."""
    with client.session_transaction() as session:
        return [str(message) for _category, message in session.pop("_flashes", [])]


@pytest.mark.parametrize("field, value", _cases("web", _web_fields()))
def test_the_web_refuses(world: World, field: Field, value: Value, no_errors_logged: Any) -> None:
    before = row_counts()
    response = field.send(world, value[1])
    message = expected(field, value)
    if field.flash:
        assert response.status_code in (302, 303), response.status_code
        assert any(message in flashed for flashed in flashes(world.web)), message
    else:
        assert response.status_code == 422, response.status_code
        page = response.get_data(as_text=True)
        shown = field_error(page, field.at) if f'id="{field.at}-error"' in page else None
        assert message in html.unescape(shown if shown is not None else page), (message, shown)
        if shown is None:  # not at a field of the form: in the summary at the top of the form
            assert 'role="alert"' in page
    assert row_counts() == before


@pytest.mark.parametrize("field, value", _cases("api", _api_fields()))
def test_the_api_refuses(world: World, field: Field, value: Value, no_errors_logged: Any) -> None:
    before = row_counts()
    raw = value[1]
    response = field.send(world, [raw] if field.at.endswith("_ids") or field.at == "tags" else raw)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"] == {field.at: [expected(field, value)]}
    assert row_counts() == before


@pytest.mark.parametrize("field, value", _cases("live", _live_fields()))
def test_the_live_board_refuses(world: World, field: Field, value: Value, no_errors_logged: Any) -> None:
    before = row_counts()
    answer = field.send(world, value[1])
    assert answer == {"error": {"code": "invalid", "message": expected(field, value), "field": field.at}}
    assert row_counts() == before
