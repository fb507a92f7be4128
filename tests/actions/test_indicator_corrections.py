"""Indicators and measurements can be corrected and deleted by who may record them, with the history kept."""
from __future__ import annotations

from datetime import date

import pytest

from samen.actions import corrections
from samen.actions import operations as ops
from samen.actions.models import Indicator, Measurement
from samen.core.errors import DomainError, Forbidden

pytestmark = pytest.mark.database


@pytest.fixture
def indicator(db, admin):
    made = ops.create_indicator(by=admin, name="Meldingen van overlast", unit="meldingen", direction="down",
                                baseline_value="40", baseline_date="2026-01-01")
    ops.record_measurement(made, by=admin, date="2026-03-01", value="38", note="Politie")
    ops.record_measurement(made, by=admin, date="2026-06-01", value="35")
    db.session.commit()
    return made


def test_correcting_a_measurement_keeps_the_old_value_in_the_history(client, auth, db, admin, indicator):
    first = indicator.measurements[0]
    auth.login(admin)
    page = client.get(f"/indicators/{indicator.id}/measurements/{first.id}/edit")
    assert page.status_code == 200 and 'value="38"' in page.get_data(as_text=True)
    response = auth.post(f"/indicators/{indicator.id}/measurements/{first.id}/edit",
                         {"date": "2026-03-01", "value": "36,5", "note": "Politie, herteld"})
    assert response.status_code == 302
    db.session.expire_all()
    corrected = db.session.get(Measurement, first.id)
    assert corrected.value == 36.5 and corrected.corrected_at is not None
    text = client.get(f"/indicators/{indicator.id}").get_data(as_text=True)
    assert "<del>38</del>" in text and "<ins>36,5</ins>" in text
    assert "Politie, herteld" in text
    history = text[text.index('id="history-heading"'):]
    assert admin.display_name in history and "<time datetime=" in history  # who, and when


def test_deleting_a_measurement_keeps_what_it_said(db, admin, indicator):
    second = indicator.measurements[1]
    corrections.delete_measurement(second, by=admin)
    db.session.commit()
    history = corrections.history(indicator)
    assert history[0].action == "measurement.delete" and history[0].entry.data["value"] == 35
    assert [m.value for m in db.session.get(Indicator, indicator.id).measurements] == [38]


def test_correcting_the_definition_records_each_change(db, admin, indicator):
    changes = corrections.update_indicator(indicator, by=admin, name="Meldingen van drugsoverlast",
                                           target_value="20", target_date="2027-12-31")
    db.session.commit()
    assert changes == {"name": ["Meldingen van overlast", "Meldingen van drugsoverlast"],
                       "target_value": [None, 20.0], "target_date": [None, "2027-12-31"]}
    assert corrections.history(indicator)[0].changes == changes


def test_only_who_may_record_may_correct(client, auth, db, member, indicator):
    with pytest.raises(Forbidden):
        corrections.update_measurement(indicator.measurements[0], by=member, date="2026-03-01", value="1")
    auth.login(member)
    assert client.get(f"/indicators/{indicator.id}/edit").status_code == 403
    assert auth.post(f"/indicators/{indicator.id}/delete").status_code == 403


def test_a_qualitative_indicator_has_a_scale(db, admin):
    feeling = ops.create_indicator(by=admin, name="Hoe werkt de samenwerking", kind="scale", scale_min="1",
                                   scale_max="10")
    ops.record_measurement(feeling, by=admin, date=date(2026, 6, 1), value="7,5")
    with pytest.raises(DomainError) as caught:
        ops.record_measurement(feeling, by=admin, date=date(2026, 7, 1), value="11")
    assert caught.value.field == "value"
    with pytest.raises(DomainError) as caught:
        ops.create_indicator(by=admin, name="Gevoel", kind="feeling")
    assert caught.value.field == "scale_min"
    with pytest.raises(DomainError):
        corrections.update_indicator(feeling, by=admin, scale_max="5")  # 7,5 was measured


def test_deleting_an_indicator(client, auth, db, admin, indicator):
    auth.login(admin)
    assert auth.post(f"/indicators/{indicator.id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(Indicator, indicator.id) is None


def test_the_edit_form_round_trips(client, auth, db, admin, indicator):
    auth.login(admin)
    page = client.get(f"/indicators/{indicator.id}/edit").get_data(as_text=True)
    assert 'value="40"' in page
    response = auth.post(f"/indicators/{indicator.id}/edit", {
        "name": "Meldingen", "unit": "meldingen", "direction": "down", "kind": "number", "baseline_value": "40",
        "baseline_date": "2026-01-01", "target_value": "", "target_date": "", "source": "", "description": ""})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert db.session.get(Indicator, indicator.id).name == "Meldingen"


def test_the_api_corrects_and_deletes(app, db, admin, chair, indicator):
    from samen.accounts import operations as account_ops

    token = {"Authorization": f"Bearer {account_ops.create_api_token(admin)}"}
    db.session.commit()
    api = app.test_client()
    first = indicator.measurements[0]
    answer = api.patch(f"/api/v1/indicators/{indicator.id}/measurements/{first.id}", json={"value": 37},
                       headers=token)
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["value"] == 37 and answer.get_json()["corrected_at"].endswith("Z")
    answer = api.patch(f"/api/v1/indicators/{indicator.id}", json={"kind": "scale", "scale_min": 0,
                                                                   "scale_max": 100, "unknown": 1}, headers=token)
    assert answer.status_code == 422 and "unknown" in answer.get_json()["errors"]
    answer = api.patch(f"/api/v1/indicators/{indicator.id}", json={"kind": "scale", "scale_min": 0,
                                                                   "scale_max": 100}, headers=token)
    assert answer.status_code == 200 and answer.get_json()["scale"] == {"min": 0, "max": 100}
    answer = api.patch(f"/api/v1/indicators/{indicator.id}", json={"scale_max": 10}, headers=token)
    assert answer.status_code == 422  # 38 and 35 were measured
    other = {"Authorization": f"Bearer {account_ops.create_api_token(chair)}"}
    db.session.commit()
    assert api.delete(f"/api/v1/indicators/{indicator.id}", headers=other).status_code == 403
    assert api.delete(f"/api/v1/indicators/{indicator.id}/measurements/{first.id}",
                      headers=token).status_code == 204
    assert api.delete(f"/api/v1/indicators/{indicator.id}/measurements/{first.id}",
                      headers=token).status_code == 404
    assert api.delete(f"/api/v1/indicators/{indicator.id}", headers=token).status_code == 204
