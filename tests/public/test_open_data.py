"""Open data: the actions and indicators as CSV and JSON — public items only, no person named."""
from __future__ import annotations

import csv
import io

import pytest

from samen.actions import operations as ops
from tests.public.helpers import assert_nothing_secret

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both

EXPORTS = ["/progress/actions.csv", "/progress/actions.json", "/progress/indicators.csv",
           "/progress/indicators.json"]


def _rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_actions_json(client, plan):
    response = client.get("/progress/actions.json")
    assert response.status_code == 200 and response.content_type == "application/json"
    data = response.get_json()
    assert data["count"] == 4 and data["source"] == "http://localhost/progress"
    by_id = {action["id"]: action for action in data["actions"]}
    assert set(by_id) == {plan.action.id, plan.overdue.id, plan.from_withdrawn.id, plan.closed_action.id}
    action = by_id[plan.action.id]
    assert action["url"] == f"http://localhost/progress/actions/{plan.action.id}"
    assert action["status"] == "in_progress" and action["progress"] == 50 and action["overdue"] is False
    assert action["organisation"] == "GGD Gelderland-Midden"
    assert action["due_date"] == plan.action.due_date.isoformat()
    assert action["thinktank"] == {"slug": "preventie", "name": "Preventie",
                                   "url": "http://localhost/thinktanks/preventie"}
    assert action["ideas"] == [{"id": plan.idea.id, "title": "Voorlichting door ervaringsdeskundigen",
                                "status": "adopted", "support_count": 1,
                                "url": f"http://localhost/ideas/{plan.idea.id}"}]
    assert action["ideas_not_public"] == 1
    assert [m["done"] for m in action["milestones"]] == [True, False]
    assert action["indicator_ids"] == [plan.indicator.id]
    assert action["last_update"]["body"] == "Drie scholen bezocht, *zeven* te gaan."
    assert action["created_at"].endswith("Z")
    assert by_id[plan.overdue.id]["overdue"] is True


def test_actions_csv(client, plan):
    response = client.get("/progress/actions.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8; header=present"
    assert response.headers["Content-Disposition"] == 'attachment; filename="actions.csv"'
    rows = _rows(response)
    expected = [plan.overdue, plan.action, plan.from_withdrawn, plan.closed_action]  # overdue first, then due
    assert [row["id"] for row in rows] == [str(action.id) for action in expected]
    row = rows[1]
    assert row["title"] == "Voorlichting op alle middelbare scholen" and row["thinktank"] == "Preventie"
    assert (row["status"], row["progress"], row["overdue"]) == ("in_progress", "50", "false")
    assert (row["idea_ids"], row["indicator_ids"]) == (str(plan.idea.id), str(plan.indicator.id))
    assert (row["milestones_done"], row["milestones_total"]) == ("1", "2")
    assert rows[0]["overdue"] == "true"


def test_indicators_json_with_measurements(client, plan):
    response = client.get("/progress/indicators.json")
    assert response.status_code == 200 and response.content_type == "application/json"
    [indicator] = response.get_json()["indicators"]
    assert indicator["name"] == "Jongeren die wekelijks alcohol drinken" and indicator["unit"] == "%"
    assert indicator["direction"] == "down" and indicator["source"] == "GGD Jeugdmonitor"
    assert indicator["baseline"] == {"value": 24.0, "date": "2024-01-01"}
    assert indicator["target"] == {"value": 15.0, "date": "2027-12-31"}
    assert indicator["measurements"] == [{"date": "2024-06-01", "value": 22.0, "note": None, "corrected_at": None},
                                         {"date": "2025-01-01", "value": 19.5, "note": None, "corrected_at": None}]
    assert (indicator["kind"], indicator["scale"]) == ("number", None)
    assert indicator["action_ids"] == [plan.action.id]
    assert indicator["thinktank"] is None  # for the whole plan


def test_indicators_csv_has_a_row_per_measurement(client, plan, make_indicator):
    make_indicator(name="Meldingen van overlast", unit="")  # no measurements yet: one row all the same
    rows = _rows(client.get("/progress/indicators.csv"))
    assert [(row["indicator"], row["date"], row["value"]) for row in rows] == [
        ("Jongeren die wekelijks alcohol drinken", "2024-06-01", "22.0"),
        ("Jongeren die wekelijks alcohol drinken", "2025-01-01", "19.5"),
        ("Meldingen van overlast", "", ""),
    ]
    assert rows[0]["baseline_value"] == "24.0" and rows[0]["target_date"] == "2027-12-31"


def test_internal_serving_actions_are_left_out_of_indicators(client, plan, chair, db):
    ops.update_action(plan.internal, by=chair, indicators=[plan.indicator])
    db.session.commit()
    [indicator] = client.get("/progress/indicators.json").get_json()["indicators"]
    assert indicator["action_ids"] == [plan.action.id]


def test_exports_hold_nothing_internal_hidden_or_personal(client, plan, chair, member):
    for path in EXPORTS:
        response = client.get(path)
        text = response.get_data(as_text=True)
        assert_nothing_secret(text)
        for person in (chair, member):
            assert person.display_name not in text and person.email not in text, path
        # Open data: any site may read it, and it gives no visitor a cookie.
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert "Set-Cookie" not in response.headers


def test_csv_cells_that_look_like_formulas_are_defused(client, plan, thinktank, make_action):
    make_action(thinktank, title="=HYPERLINK(\"http://example.org\")", organisation="@team")
    rows = _rows(client.get("/progress/actions.csv"))
    row = next(row for row in rows if "HYPERLINK" in row["title"])
    assert row["title"].startswith("'=") and row["organisation"] == "'@team"
    titles = [action["title"] for action in client.get("/progress/actions.json").get_json()["actions"]]
    assert '=HYPERLINK("http://example.org")' in titles  # JSON as it is
