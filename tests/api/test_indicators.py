"""Indicators through the API: the public list with baseline, target and measurements; recording one."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from samen.actions import operations as ops
from samen.actions.models import Measurement
from tests.api.helpers import assert_problem


@pytest.fixture
def headers_of(create_token):
    """Return a function that gives a user's Authorization header."""
    def headers(user):
        return {"Authorization": f"Bearer {create_token(user)}"}
    return headers


@pytest.fixture
def plan_indicator(db, admin):
    """Return an indicator of the whole plan, with a baseline, a target and one measurement."""
    indicator = ops.create_indicator(by=admin, name="Inwoners geholpen", unit="personen", baseline_value=150,
                                     baseline_date="2018-12-31", target_value=200, target_date="2030-12-31",
                                     source="CBS", description="Per *jaar*.")
    ops.record_measurement(indicator, by=admin, date="2019-12-31", value="172,5", note="Eerste meting")
    db.session.commit()
    return indicator


@pytest.fixture
def thinktank_indicator(db, thinktank, chair):
    """Return an indicator of the think tank, without baseline or target."""
    indicator = ops.create_indicator(by=chair, thinktank=thinktank, name="Scholen bereikt", direction="up")
    db.session.commit()
    return indicator


def test_list_with_measurements_baseline_and_target(client, db, plan_indicator, thinktank_indicator):
    response = client.get("/api/v1/indicators")
    assert response.status_code == 200
    plan, mine = response.get_json()["items"]
    assert plan == {
        "id": plan_indicator.id, "thinktank": None, "name": "Inwoners geholpen", "unit": "personen",
        "direction": "up", "kind": "number", "scale": None, "description": "Per *jaar*.",
        "description_html": "<p>Per <em>jaar</em>.</p>", "source": "CBS",
        "baseline": {"value": 150.0, "date": "2018-12-31"},
        "target": {"value": 200.0, "date": "2030-12-31"},
        "measurements": [{"id": plan_indicator.measurements[0].id, "indicator_id": plan_indicator.id,
                          "date": "2019-12-31", "value": 172.5, "note": "Eerste meting", "suppressed": False,
                          "corrected_at": None}],
    }
    assert (mine["thinktank"], mine["baseline"], mine["target"], mine["measurements"]) == (
        "preventie", None, None, [])


def test_filter_by_think_tank(client, db, plan_indicator, thinktank_indicator, create_thinktank, admin):
    other = create_thinktank(slug="nazorg")
    ops.create_indicator(by=admin, thinktank=other, name="Terugval")
    db.session.commit()
    items = client.get("/api/v1/indicators?thinktank=preventie").get_json()["items"]
    assert [item["name"] for item in items] == ["Inwoners geholpen", "Scholen bereikt"]
    response = client.get("/api/v1/indicators?thinktank=bestaat-niet")
    body = assert_problem(response, 400, code="unknown_thinktank")
    assert list(body["errors"]) == ["thinktank"]


def test_the_list_needs_no_token_and_does_not_look_at_one(client, db, plan_indicator):
    assert client.get("/api/v1/indicators", headers={"Authorization": "Bearer nee"}).status_code == 200


def test_chair_records_a_measurement(client, db, thinktank_indicator, chair, headers_of):
    url = f"/api/v1/indicators/{thinktank_indicator.id}/measurements"
    response = client.post(url, headers=headers_of(chair),
                           json={"date": "2026-06-30", "value": 12, "note": "Twaalf scholen"})
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json() | {"id": 0} == {"id": 0, "indicator_id": thinktank_indicator.id,
                                               "date": "2026-06-30", "value": 12.0, "note": "Twaalf scholen",
                                               "suppressed": False, "corrected_at": None}
    items = client.get("/api/v1/indicators").get_json()["items"]
    [item] = [i for i in items if i["id"] == thinktank_indicator.id]
    assert [m["value"] for m in item["measurements"]] == [12.0]


def test_a_number_in_a_string_is_accepted(client, db, plan_indicator, admin, headers_of):
    response = client.post(f"/api/v1/indicators/{plan_indicator.id}/measurements", headers=headers_of(admin),
                           json={"date": "2026-06-30", "value": "180,5"})
    assert response.get_json()["value"] == 180.5


@pytest.mark.parametrize("path", ["/api/v1/indicators/999999/measurements",
                                  "/api/v1/indicators/99999999999999999999999/measurements",
                                  "/api/v1/indicators/x/measurements"])
def test_unknown_indicator_is_404(client, db, admin, headers_of, path):
    assert_problem(client.post(path, headers=headers_of(admin), json={"date": "2026-01-01", "value": 1}), 404)


@pytest.mark.parametrize("body, field", [
    ({"date": "2026-01-01", "value": "veel"}, "value"),
    ({"date": "2026-01-01", "value": True}, "value"),
    ({"date": "2026-01-01", "value": [1]}, "value"),
    ({"date": "2026-01-01", "value": 1e13}, "value"),
    ({"date": "2026-01-01"}, "value"),
    ({"date": "2026-01-01", "value": ""}, "value"),
    ({"value": 1}, "date"),
    ({"date": "1 januari", "value": 1}, "date"),
    ({"date": 2026, "value": 1}, "date"),
    ({"date": "2026-01-01", "value": 1, "note": "x" * 501}, "note"),
])
def test_bad_measurements_are_422(client, db, plan_indicator, admin, headers_of, body, field):
    response = client.post(f"/api/v1/indicators/{plan_indicator.id}/measurements", headers=headers_of(admin),
                           json=body)
    assert list(assert_problem(response, 422)["errors"]) == [field]
    assert db.session.scalar(select(func.count()).select_from(Measurement)) == 1


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_values_that_are_no_finite_number_are_422(client, db, plan_indicator, admin, headers_of, literal):
    response = client.post(f"/api/v1/indicators/{plan_indicator.id}/measurements", headers=headers_of(admin),
                           data=f'{{"date": "2026-01-01", "value": {literal}}}',
                           content_type="application/json")
    assert list(assert_problem(response, 422)["errors"]) == ["value"]


def test_the_list_runs_a_fixed_number_of_queries(client, db, admin, count_queries):
    def add(n):
        for i in range(n):
            indicator = ops.create_indicator(by=admin, name=f"Indicator {i}")
            ops.record_measurement(indicator, by=admin, date="2026-01-01", value=i)
        db.session.commit()

    def run():
        db.session.expunge_all()
        with count_queries() as statements:
            assert client.get("/api/v1/indicators").status_code == 200
        return len(statements)

    add(2)
    few = run()
    add(20)
    assert run() == few
