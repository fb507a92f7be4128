"""Evaluations in the API: the published ones, as the OpenAPI document says; drafts are not there."""
from __future__ import annotations

from typing import Any

import pytest

from samen.evaluation import operations as ops
from tests.api.helpers import assert_documented, assert_problem

pytestmark = pytest.mark.database


@pytest.fixture
def document(client: Any) -> dict[str, Any]:
    """Return the served OpenAPI document."""
    return client.get("/api/v1/openapi.json").get_json()


def test_published_evaluations_fit_the_document(client, db, document, coordinator, make_evaluation, thinktank):
    last = make_evaluation(period="2025")
    ops.write_note(last, by=coordinator, kind="conclusion", subject_type="thinktank", subject_id=thinktank.id,
                   text="Goed jaar.")
    ops.publish(last, by=coordinator, threshold=5)
    make_evaluation(period="2026-h1")  # a draft
    db.session.commit()

    listing = client.get("/api/v1/evaluations")
    assert_documented(document, "/evaluations", "get", listing)
    assert [item["period"] for item in listing.get_json()["items"]] == ["2025"]

    one = client.get("/api/v1/evaluations/2025")
    assert_documented(document, "/evaluations/{period}", "get", one)
    body = one.get_json()
    assert body["figures"] == last.figures
    assert body["notes"][0]["text"] == "Goed jaar."

    for period in ("2026-h1", "1999", "nope", "2025.json"):
        missing = client.get(f"/api/v1/evaluations/{period}")
        assert_problem(missing, 404)
        assert_documented(document, "/evaluations/{period}", "get", missing)


@pytest.fixture
def tokens(db, create_user, member, chair, coordinator) -> dict[str, dict[str, str]]:
    """Return the Authorization header of each role (anonymous: none)."""
    from samen.accounts import operations as account_ops

    people = {"member": member, "chair": chair, "coordinator": coordinator}
    headers = {role: {"Authorization": f"Bearer {account_ops.create_api_token(person)}"}
               for role, person in people.items()}
    db.session.commit()
    return {"anonymous": {}, **headers}


def test_the_whole_round_through_the_api(app, client, db, document, tokens, thinktank, chair, coordinator,
                                         make_organisation):
    """Open, see the draft, send the pulse, answer it, read the answers, write conclusions and decisions,
    publish, and compare the next year's with it — all through the API, each answer as documented."""
    from samen.accounts.models import User
    from samen.actions import operations as action_ops
    from samen.actions.models import Indicator, Measurement
    from samen.partners.models import OrganisationContact
    from samen.programme.models import Line

    line = Line(slug="preventie", name="Preventie")
    db.session.add(line)
    action = action_ops.create_action(thinktank, by=chair, title="Voorlichting")
    organisation = make_organisation(name="Politie Midden", contacts=2)
    contacts = [db.session.get(User, row.user_id) for row in db.session.query(OrganisationContact)
                .filter_by(organisation_id=organisation.id, status="active")]
    from samen.accounts import operations as account_ops
    contact_headers = [{"Authorization": f"Bearer {account_ops.create_api_token(person)}"} for person in contacts]
    db.session.commit()
    period = {"period": "2025", "title": "Evaluatie 2025", "start_date": "2025-01-01", "end_date": "2025-12-31"}

    def call(method: str, path: str, role: str | dict[str, str], json: Any = None, documented: str = ""):
        headers = tokens[role] if isinstance(role, str) else role
        answer = client.open(f"/api/v1{path}", method=method, headers=headers, json=json)
        assert_documented(document, documented or path.replace("2025", "{period}").replace("2026", "{period}"),
                          method.lower(), answer)
        return answer

    # Opening is the coordinator's; a member is refused before the body is read.
    assert_problem(call("POST", "/evaluations", "member", period), 403, code="not_coordinator")
    assert_problem(call("POST", "/evaluations", "anonymous", period), 401)
    opened = call("POST", "/evaluations", "coordinator", period)
    assert opened.status_code == 201 and opened.headers["Location"].endswith("/api/v1/evaluations/2025")
    assert opened.get_json()["status"] == "draft" and opened.get_json()["published_at"] is None
    assert_problem(call("POST", "/evaluations", "coordinator", period), 409, code="exists")
    bad = call("POST", "/evaluations", "coordinator", {**period, "period": "2024", "end_date": "2023-01-01"})
    assert_problem(bad, 422, code="dates")

    # The draft is for the chairs and the coordinator; nobody else learns it exists.
    assert call("GET", "/evaluations/2025", "chair").get_json()["status"] == "draft"
    for role in ("anonymous", "member"):
        assert_problem(call("GET", "/evaluations/2025", role), 404)
        assert call("GET", "/evaluations", role).get_json()["items"] == []
    assert [item["status"] for item in call("GET", "/evaluations", "chair").get_json()["items"]] == ["draft"]

    # The pulse: sent by the coordinator only, answered once by each contact, read by chairs and coordinator.
    assert_problem(call("POST", "/evaluations/2025/pulse", "chair"), 403, code="not_coordinator")
    assert call("POST", "/evaluations/2025/pulse", "coordinator").get_json() == {"sent": 2}
    assert call("POST", "/evaluations/2025/pulse", "coordinator").get_json() == {"sent": 0}
    answer = {"score": 8, "works": "Korte lijnen met de wijkagent.", "obstacles": "Wachtlijst jeugdzorg."}
    assert_problem(call("POST", "/evaluations/2025/pulse/answer", contact_headers[0], {"score": 11}), 422)
    assert call("POST", "/evaluations/2025/pulse/answer", contact_headers[0], answer).status_code == 204
    assert_problem(call("POST", "/evaluations/2025/pulse/answer", contact_headers[0], answer), 404)
    assert call("POST", "/evaluations/2025/pulse/answer", contact_headers[1], {"score": 6}).status_code == 204
    assert_problem(call("POST", "/evaluations/2025/pulse/answer", "member", answer), 404)
    for role in ("chair", "coordinator"):
        answers = call("GET", "/evaluations/2025/pulse", role).get_json()
        assert (answers["invited"], answers["answered"], answers["average"]) == (2, 2, 7.0)
        assert answers["by_question"]["obstacles"] == {"police": [{"organisation": "Politie Midden",
                                                                   "text": "Wachtlijst jeugdzorg."}]}
    assert_problem(call("GET", "/evaluations/2025/pulse", "member"), 404)
    assert_problem(call("GET", "/evaluations/2025/pulse", "anonymous"), 401)

    # Conclusions and decisions: a chair on their own think tank, the coordinator on a line.
    notes = "/evaluations/2025/notes"
    decision = {"kind": "decision", "subject_type": "action", "subject_id": action.id, "decision": "scale_up",
                "text": "Werkt op twee scholen: **uitbreiden**."}
    assert call("PUT", notes, "chair", decision).status_code == 200
    assert_problem(call("PUT", notes, "chair", {"kind": "conclusion", "subject_type": "line",
                                                "subject_id": line.id, "text": "Goed."}), 403)
    assert_problem(call("PUT", notes, "chair", {**decision, "decision": "perhaps"}), 422,
                   code="invalid_decision")
    assert_problem(call("PUT", notes, "chair", {**decision, "subject_id": 999_999}), 422, code="invalid_subject")
    written = call("PUT", notes, "coordinator", {"kind": "conclusion", "subject_type": "line",
                                                 "subject_id": line.id, "text": "Preventie loopt."})
    assert {(note["kind"], note["decision"]) for note in written.get_json()["notes"]} == {
        ("decision", "scale_up"), ("conclusion", None)}
    assert_problem(call("PUT", notes, "member", decision), 404)

    # Publishing is the coordinator's; the figures freeze and the pulse's average becomes a measurement.
    assert_problem(call("POST", "/evaluations/2025/publish", "chair"), 403, code="not_coordinator")
    published = call("POST", "/evaluations/2025/publish", "coordinator").get_json()
    assert published["status"] == "published" and published["figures"]["pulse"]["average"] == 7.0
    indicator = db.session.query(Indicator).filter_by(name=ops.PULSE_INDICATOR).one()
    assert [(m.date.isoformat(), m.value) for m in db.session.query(Measurement).filter_by(
        indicator_id=indicator.id)] == [("2025-12-31", 7.0)]
    assert_problem(call("POST", "/evaluations/2025/publish", "coordinator"), 409, code="published")
    assert_problem(call("PUT", notes, "coordinator", decision), 409, code="published")
    assert_problem(call("POST", "/evaluations/2025/pulse", "coordinator"), 409, code="published")
    assert call("GET", "/evaluations/2025", "anonymous").get_json()["status"] == "published"

    # The next year's compares with it.
    nxt = call("POST", "/evaluations", "coordinator", {**period, "period": "2026", "title": "Evaluatie 2026",
                                                       "start_date": "2026-01-01", "end_date": "2026-12-31"},
               documented="/evaluations")
    assert nxt.get_json()["previous_period"] == "2025"
    assert "actions.totals.total" in nxt.get_json()["differences"]
