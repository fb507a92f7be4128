"""Indicators: the list, defining one, its page with the measurements, recording a value; every mistake."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from flask import Flask, request_started
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from samen.accounts.models import User
from samen.actions import operations as ops
from samen.actions.models import Indicator, Measurement
from samen.core.database import db as _db
from tests.conftest import PASSWORD

QUICK_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")


# These two fixtures repeat those of the ideas' web tests; they belong in a shared conftest.
@pytest.fixture(autouse=True)
def _like_production(app: Flask, client: FlaskClient) -> Iterator[None]:
    """Start each request with nothing cached in the session, as in production; show pages in English."""
    def forget(_sender: Flask, **_extra: Any) -> None:
        _db.session.expire_all()

    with client.session_transaction() as session:
        session["lang"] = "en"
    request_started.connect(forget, app)
    try:
        yield
    finally:
        request_started.disconnect(forget, app)


@pytest.fixture
def create_user(create_user: Callable[..., User]) -> Callable[..., User]:
    """Return the user factory, with a password hash that is quick to check: these tests sign in often."""
    def make(**fields: Any) -> User:
        user = create_user(**fields)
        user.password_hash = QUICK_HASH
        _db.session.commit()
        return user
    return make


@pytest.fixture
def indicator(thinktank: Any, chair: User, db: Any) -> Indicator:
    """Return an indicator of the think tank where lower is better, with a baseline and a target."""
    indicator = ops.create_indicator(by=chair, thinktank=thinktank, name="Meldingen van overlast",
                                     unit="meldingen", direction="down", baseline_value=40,
                                     baseline_date="2025-01-01", target_value=20, target_date="2027-12-31",
                                     source="Politie Nijkerk")
    db.session.commit()
    return indicator


def _count(model: Any) -> int:
    return _db.session.scalar(select(func.count()).select_from(model))


def test_chair_defines_an_indicator_for_the_think_tank(client, auth, thinktank, chair, db):
    auth.login(chair)
    html = client.get(f"/indicators/new?thinktank={thinktank.slug}").get_data(as_text=True)
    assert f'<option selected value="{thinktank.slug}">' in html and 'type="date"' in html
    response = auth.post(f"/indicators/new?thinktank={thinktank.slug}", {
        "scope": thinktank.slug, "name": "Jongeren bereikt", "unit": "jongeren", "direction": "up",
        "baseline_value": "120", "baseline_date": "2025-09-01", "target_value": "1.000,5".replace(".", ""),
        "target_date": "2027-06-30", "source": "Jongerenwerk", "description": "Per schooljaar."})
    assert response.status_code == 302
    indicator = db.session.scalars(select(Indicator)).one()
    assert response.headers["Location"] == f"/indicators/{indicator.id}"
    assert indicator.thinktank_id == thinktank.id and indicator.target_value == 1000.5
    assert indicator.baseline_date == date(2025, 9, 1) and indicator.direction == "up"


def test_admin_defines_an_indicator_for_the_plan(client, auth, admin, db):
    auth.login(admin)
    assert '<option value="">The whole plan</option>' in client.get("/indicators/new").get_data(as_text=True)
    response = auth.post("/indicators/new", {"scope": "", "name": "Drugsgebruik onder scholieren",
                                             "unit": "%", "direction": "down"})
    assert response.status_code == 302
    assert db.session.scalars(select(Indicator)).one().thinktank_id is None


INDICATOR_MISTAKES = [
    ({"name": ""}, "name"),
    ({"baseline_value": "veel"}, "baseline_value"),
    ({"target_value": "1e400"}, "target_value"),
    ({"baseline_date": "2025-13-01"}, "baseline_date"),
    ({"target_date": "volgend jaar"}, "target_date"),
    ({"direction": "opzij"}, "direction"),
    ({"scope": "een-andere-denktank"}, "scope"),
]


@pytest.mark.parametrize("changes, field", INDICATOR_MISTAKES,
                         ids=[f"{f}-{i}" for i, (_c, f) in enumerate(INDICATOR_MISTAKES)])
def test_mistakes_in_an_indicator_store_nothing(client, auth, thinktank, chair, changes, field, db):
    auth.login(chair)
    data = {"scope": thinktank.slug, "name": "Jongeren bereikt", "direction": "up", **changes}
    response = auth.post("/indicators/new", data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert _count(Indicator) == 0


def test_list_shows_baseline_latest_and_target(client, thinktank, chair, indicator, db):
    ops.record_measurement(indicator, by=chair, date="2026-01-01", value=35)
    ops.record_measurement(indicator, by=chair, date="2026-06-01", value="31,5")
    db.session.commit()
    html = client.get("/indicators").get_data(as_text=True)
    row = html.split(f'id="indicator-{indicator.id}"')[1].split("</tr>")[0]
    assert "Meldingen van overlast" in row and thinktank.name in row
    assert "40 meldingen" in row and "31.5 meldingen" in row and "20 meldingen" in row
    assert "Lower is better" in row


def test_indicator_page_shows_the_measurements_and_the_actions(client, auth, thinktank, chair, member,
                                                               indicator, create_action, db):
    ops.record_measurement(indicator, by=chair, date="2026-01-01", value=35, note="Jaarcijfer")
    ops.record_measurement(indicator, by=chair, date="2026-06-01", value="31,5")
    public = create_action(thinktank, title="Extra toezicht", indicators=[indicator])
    create_action(thinktank, title="Interne evaluatie", indicators=[indicator], public=False)
    db.session.commit()
    html = client.get(f"/indicators/{indicator.id}").get_data(as_text=True)
    table = html.split('id="measurements-heading"')[1].split("</table>")[0]
    assert re.findall(r'<time datetime="([\d-]+)"', table) == ["2026-01-01", "2026-06-01"]
    assert "35 meldingen" in table and "31.5 meldingen" in table and "Jaarcijfer" in table
    assert "Better than the baseline" in html and "Politie Nijkerk" in html
    assert f'href="/actions/{public.id}">Extra toezicht</a>' in html and "Interne evaluatie" not in html
    assert "Record a measurement" not in html  # visitors read only
    auth.login(member)
    html = client.get(f"/indicators/{indicator.id}").get_data(as_text=True)
    assert "Interne evaluatie" in html and "Record a measurement" not in html


def test_chair_records_a_measurement_with_a_comma(client, auth, chair, indicator, db):
    auth.login(chair)
    assert "Record a measurement" in client.get(f"/indicators/{indicator.id}").get_data(as_text=True)
    response = auth.post(f"/indicators/{indicator.id}/measurements",
                         {"date": "2026-03-15", "value": "12,75", "note": "Eerste kwartaal"})
    assert response.status_code == 302
    measurement = db.session.scalars(select(Measurement)).one()
    assert measurement.date == date(2026, 3, 15) and measurement.value == 12.75
    assert measurement.note == "Eerste kwartaal"
    html = client.get(f"/indicators/{indicator.id}").get_data(as_text=True)
    assert "The measurement is saved." in html and "12.75 meldingen" in html


def test_dutch_readers_see_a_decimal_comma(client, auth, chair, indicator, db):
    ops.record_measurement(indicator, by=chair, date="2026-03-15", value=12.75)
    db.session.commit()
    with client.session_transaction() as session:
        session["lang"] = "nl"
    assert "12,75" in client.get(f"/indicators/{indicator.id}").get_data(as_text=True)


MEASUREMENT_MISTAKES = [
    ({"date": "2026-03-15", "value": "veel"}, "value"),
    ({"date": "2026-03-15", "value": ""}, "value"),
    ({"date": "2026-03-15", "value": "nan"}, "value"),
    ({"date": "15-03-2026", "value": "3"}, "date"),
    ({"date": "2026-02-30", "value": "3"}, "date"),
    ({"date": "", "value": "3"}, "date"),
    ({"date": "2026-03-15", "value": "3", "note": "x" * 501}, "note"),
]


@pytest.mark.parametrize("data, field", MEASUREMENT_MISTAKES,
                         ids=[f"{f}-{i}" for i, (_d, f) in enumerate(MEASUREMENT_MISTAKES)])
def test_mistakes_in_a_measurement_store_nothing(client, auth, chair, indicator, data, field, db):
    auth.login(chair)
    response = auth.post(f"/indicators/{indicator.id}/measurements", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in html and "Please correct the following" in html
    assert _count(Measurement) == 0


def test_action_form_offers_the_plans_and_the_think_tanks_indicators(
        client, auth, thinktank, chair, admin, create_thinktank, indicator, db):
    plan = ops.create_indicator(by=admin, name="Voor het hele plan")
    elsewhere = ops.create_indicator(by=admin, thinktank=create_thinktank(), name="Van een andere denktank")
    db.session.commit()
    auth.login(chair)
    html = client.get(f"/actions/new?thinktank={thinktank.slug}").get_data(as_text=True)
    assert f'value="{indicator.id}"' in html and f'value="{plan.id}"' in html
    assert "Van een andere denktank" not in html
    response = auth.post(f"/actions/new?thinktank={thinktank.slug}", {"title": "Actie",
                                                                      "indicators": [str(elsewhere.id)]})
    assert response.status_code == 422 and 'id="indicators-error"' in response.get_data(as_text=True)
