"""Publishing: the figures are frozen (later edits do not change them), published at /evaluatie/<period> and as open
data (JSON, CSV), compared with the previous evaluation, in both languages."""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from samen.actions import operations as action_ops
from samen.actions.models import Indicator, Measurement
from samen.evaluation import operations as ops
from samen.evaluation.models import PulseInvitation
from tests.conftest import speak

pytestmark = pytest.mark.database


@pytest.fixture
def action(db, thinktank, chair):
    """An action item running in the period."""
    action = action_ops.create_action(thinktank, by=chair, title="Voorlichting op scholen",
                                      start_date=date.today() - timedelta(days=5),
                                      due_date=date.today() + timedelta(days=20))
    db.session.commit()
    return action


def test_published_figures_do_not_change_when_an_action_does(client, db, coordinator, evaluation, action, chair):
    ops.publish(evaluation, by=coordinator, threshold=5)
    db.session.commit()
    before = client.get(f"/evaluatie/{evaluation.period}.json").get_json()
    assert before["figures"]["actions"]["totals"]["done"] == 0
    action_ops.update_action(action, by=chair, status="done", title="Een andere titel",
                             due_date=date.today() + timedelta(days=50))
    action_ops.create_action(action.thinktank, by=chair, title="Nieuw na publicatie")
    db.session.commit()
    after = client.get(f"/evaluatie/{evaluation.period}.json").get_json()
    assert after["figures"] == before["figures"]
    page = client.get(f"/evaluatie/{evaluation.period}").get_data(as_text=True)
    assert "Voorlichting op scholen" in page and "Een andere titel" not in page and "Nieuw na publicatie" not in page


def test_a_draft_follows_the_data(client, auth, db, coordinator, evaluation, action, chair):
    auth.login(coordinator)
    assert "Voorlichting op scholen" in client.get(f"/evaluatie/{evaluation.period}").get_data(as_text=True)
    action_ops.update_action(action, by=chair, title="Een andere titel")
    db.session.commit()
    assert "Een andere titel" in client.get(f"/evaluatie/{evaluation.period}").get_data(as_text=True)


def test_publishing_twice_is_refused(db, coordinator, evaluation):
    ops.publish(evaluation, by=coordinator, threshold=5)
    with pytest.raises(ops.Conflict):
        ops.publish(evaluation, by=coordinator, threshold=5)


def test_the_pulse_average_becomes_a_measurement(db, coordinator, evaluation, make_organisation):
    organisation = make_organisation("Tactus", kind="addiction_care", contacts=2)
    sent = ops.send_pulse(evaluation, by=coordinator)
    for item, score in zip(sent, (6, 9), strict=True):
        ops.answer_pulse(item.invitation, score=score, works="Korte lijnen.")
    ops.publish(evaluation, by=coordinator, threshold=5)
    db.session.commit()
    indicator = db.session.get(Indicator, evaluation.pulse_indicator_id)
    assert indicator.name == ops.PULSE_INDICATOR and indicator.thinktank_id is None
    assert (indicator.kind, indicator.scale_min, indicator.scale_max) == ("scale", 1, 10)  # a qualitative one
    (measurement,) = db.session.query(Measurement).filter_by(indicator_id=indicator.id).all()
    assert (measurement.date, measurement.value) == (evaluation.end_date, 7.5)
    pulse = evaluation.figures["pulse"]
    assert (pulse["invited"], pulse["answered"], pulse["average"]) == (2, 2, 7.5)
    assert pulse["kinds"] == []  # two answers of one kind: too few to show apart
    assert organisation.id == db.session.query(PulseInvitation.organisation_id).first()[0]
    # A second evaluation reuses the indicator.
    later = ops.open_evaluation(by=coordinator, period="2099", title="Later", start_date=date(2099, 1, 1),
                                end_date=date(2099, 12, 31))
    assert ops.pulse_indicator(later, by=coordinator).id == indicator.id


def test_the_next_evaluation_compares_with_the_last(client, auth, db, coordinator, thinktank, chair,
                                                    make_evaluation):
    today = date.today()
    last = make_evaluation(period="2025", start=today - timedelta(days=400), end=today - timedelta(days=200))
    ops.publish(last, by=coordinator, threshold=5)
    action_ops.create_action(thinktank, by=chair, title="Nieuw dit jaar", start_date=today - timedelta(days=3))
    current = make_evaluation(period="2026", start=today - timedelta(days=199), end=today + timedelta(days=10))
    db.session.commit()
    data = ops.open_data(current, threshold=5)
    assert data["previous_period"] == "2025"
    assert data["differences"]["actions.totals.started"] == 1
    assert data["differences"][f"actions.thinktank.{thinktank.id}.started"] == 1
    auth.login(coordinator)
    page = client.get("/evaluatie/2026").get_data(as_text=True)
    assert "(+1 t.o.v. 2025)" in page
    assert 'href="/evaluatie/2025"' in page
    # The last one stays as it was, and is listed next to the new one.
    assert client.get("/evaluatie/2025").status_code == 200
    listing = client.get("/evaluatie").get_data(as_text=True)
    assert "Evaluatie 2025" in listing and "Evaluatie 2026" in listing


def test_open_data_as_json_and_csv(client, db, coordinator, evaluation, action, thinktank):
    ops.write_note(evaluation, by=coordinator, kind="decision", subject_type="action", subject_id=action.id,
                   decision="scale_up", text="Scholen vragen erom.")
    ops.publish(evaluation, by=coordinator, threshold=5)
    db.session.commit()
    data = client.get(f"/evaluatie/{evaluation.period}.json").get_json()
    assert data["status"] == "published" and data["period"] == evaluation.period
    assert data["notes"] == [{"kind": "decision", "subject_type": "action", "subject_id": action.id,
                              "decision": "scale_up", "text": "Scholen vragen erom."}]
    response = client.get(f"/evaluatie/{evaluation.period}.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["section", "group", "id", "name", "figure", "value"]
    assert ["actions", "thinktank", str(thinktank.id), thinktank.name, "started", "1"] in rows
    assert ["helpdesk", "plan", "", "", "total", "< 5"] in rows


def test_a_name_like_a_formula_is_quoted_in_the_csv(client, db, coordinator, make_evaluation, create_thinktank):
    create_thinktank(slug="formule", name="=HYPERLINK(\"x\")")
    evaluation = make_evaluation(period="2024")
    ops.publish(evaluation, by=coordinator, threshold=5)
    db.session.commit()
    text = client.get("/evaluatie/2024.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in text


@pytest.mark.parametrize("language, words", [
    ("nl", ["Actiepunten", "Deelname", "Partnerpeiling", "Conclusies en besluiten", "Opschalen"]),
    ("en", ["Action items", "Participation", "Partner pulse", "Conclusions and decisions", "Scale up"]),
])
def test_the_published_page_in_both_languages(client, db, coordinator, evaluation, thinktank, language, words):
    ops.write_note(evaluation, by=coordinator, kind="decision", subject_type="thinktank", subject_id=thinktank.id,
                   decision="scale_up", text="Meer scholen.")
    ops.publish(evaluation, by=coordinator, threshold=5)
    db.session.commit()
    speak(client, language)
    html = client.get(f"/evaluatie/{evaluation.period}").get_data(as_text=True)
    for word in words:
        assert word in html, word


def test_the_page_takes_the_same_number_of_queries_whatever_the_data(client, auth, db, coordinator, evaluation,
                                                                      thinktank, chair, count_queries):
    auth.login(coordinator)
    client.get(f"/evaluatie/{evaluation.period}")
    with count_queries() as few:
        assert client.get(f"/evaluatie/{evaluation.period}").status_code == 200
    for n in range(5):
        action = action_ops.create_action(thinktank, by=chair, title=f"Actie {n}")
        ops.write_note(evaluation, by=coordinator, kind="decision", subject_type="action", subject_id=action.id,
                       decision="continue", text="Loopt.")
    db.session.commit()
    with count_queries() as many:
        assert client.get(f"/evaluatie/{evaluation.period}").status_code == 200
    assert len(many) == len(few), many
    ops.publish(evaluation, by=coordinator, threshold=5)
    db.session.commit()
    with count_queries() as published:
        assert client.get(f"/evaluatie/{evaluation.period}").status_code == 200
    assert len(published) < len(few)


def test_a_published_evaluation_shows_only_what_was_concluded_or_decided(client, auth, db, coordinator, evaluation,
                                                                         thinktank, chair, create_thinktank):
    """A draft lists every line, think tank and action item to write on; once published, the page (and the
    paper) leaves out the lines and think tanks with nothing to say: no conclusion, decision or action item."""
    quiet = create_thinktank(slug="stil", name="Stille denktank")
    decided = action_ops.create_action(thinktank, by=chair, title="Ouderavonden")
    action_ops.create_action(thinktank, by=chair, title="Flyers in de bus")
    db.session.commit()
    ops.write_note(evaluation, by=coordinator, kind="decision", subject_type="action", subject_id=decided.id,
                   decision="scale_down", text="Te weinig ouders.")
    db.session.commit()
    auth.login(coordinator)
    speak(client, "en")
    draft = client.get(f"/evaluatie/{evaluation.period}").get_data(as_text=True)
    assert "Think tank: Stille denktank" in draft and "Flyers in de bus" in draft
    ops.publish(evaluation, by=coordinator, threshold=5)
    db.session.commit()
    page = client.get(f"/evaluatie/{evaluation.period}").get_data(as_text=True)
    conclusions = page[page.index('id="conclusions"'):]
    assert f"Think tank: {thinktank.name}" in conclusions and "Ouderavonden" in conclusions
    assert "Te weinig ouders." in conclusions
    assert "Stille denktank" not in conclusions
    assert "Flyers in de bus" in conclusions  # the think tank's items stay, as they stood
    assert quiet.id  # it is in the figures, only not among the conclusions
    assert "No conclusions or decisions were written" not in conclusions


def test_a_published_evaluation_without_any_conclusion_says_so(client, db, coordinator, evaluation, thinktank):
    from samen.programme.models import Line

    db.session.add(Line(slug="preventie", name="Preventie"))
    db.session.commit()
    ops.publish(evaluation, by=coordinator, threshold=5)
    db.session.commit()
    speak(client, "en")
    page = client.get(f"/evaluatie/{evaluation.period}").get_data(as_text=True)
    conclusions = page[page.index('id="conclusions"'):]
    assert "No conclusions or decisions were written in this evaluation." in conclusions
    assert "Think tank:" not in conclusions and "Line:" not in conclusions
    assert "Preventie" in page  # the line is in the figures


@pytest.mark.parametrize("earlier, becomes", [(6.2, "scale"), (42.0, "number")])
def test_a_pulse_indicator_made_before_kinds_becomes_a_scale(db, coordinator, evaluation, earlier, becomes):
    """An indicator of the pulse's name made as a plain number (before indicators had kinds) is made the 1–10
    scale it is, with an entry in its history — unless a value off that scale shows it measures something else."""
    from samen.audit.models import AuditEntry

    old = Indicator(name=ops.PULSE_INDICATOR, unit="cijfer", direction="up")
    db.session.add(old)
    db.session.flush()
    db.session.add(Measurement(indicator_id=old.id, date=date(2024, 12, 31), value=earlier))
    db.session.commit()
    assert ops.pulse_indicator(evaluation, by=coordinator).id == old.id
    db.session.commit()
    assert old.kind == becomes
    entries = db.session.query(AuditEntry).filter_by(subject_type="indicator", subject_id=old.id,
                                                     action="indicator.update").all()
    assert [entry.data["changes"]["kind"] for entry in entries] == ([["number", "scale"]] if becomes == "scale"
                                                                    else [])
