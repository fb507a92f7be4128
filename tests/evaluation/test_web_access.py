"""Who may do what with evaluations: open and publish (coordinator, admins), see drafts and the pulse's answers
(chairs and the coordinator), write conclusions and decisions (coordinator; chairs for their own think tank)."""
from __future__ import annotations

from typing import Any

import pytest

from samen.evaluation import operations as ops
from samen.evaluation.models import EvaluationNote
from samen.programme.models import Line


@pytest.fixture
def people(db, thinktank, chair, member, coordinator, admin, create_thinktank, create_user):
    """Everyone whose rights differ, by role."""
    from samen.thinktanks import operations as tt_ops

    other = create_thinktank(slug="nazorg", name="Nazorg")
    other_chair = create_user(display_name="Voorzitter nazorg")
    tt_ops.appoint_chair(other, other_chair)
    db.session.commit()
    return {"anonymous": None, "member": member, "chair": chair, "other_chair": other_chair,
            "coordinator": coordinator, "admin": admin}


def sign_in(auth: Any, people: dict[str, Any], role: str) -> None:
    if people[role] is not None:
        auth.login(people[role])


@pytest.mark.parametrize("role, status", [("anonymous", 302), ("member", 403), ("chair", 403),
                                              ("coordinator", 200), ("admin", 200)])
def test_who_may_open_an_evaluation(client, auth, people, role, status):
    sign_in(auth, people, role)
    assert client.get("/evaluatie/nieuw").status_code == status


@pytest.mark.parametrize("role, status", [("anonymous", 404), ("member", 404), ("chair", 200),
                                              ("other_chair", 200), ("coordinator", 200), ("admin", 200)])
def test_a_draft_is_for_the_chairs_and_the_coordinator(client, auth, people, evaluation, role, status):
    sign_in(auth, people, role)
    assert client.get(f"/evaluatie/{evaluation.period}").status_code == status
    assert client.get(f"/evaluatie/{evaluation.period}.json").status_code == 404  # open data once published
    listed = evaluation.title in client.get("/evaluatie").get_data(as_text=True)
    assert listed == (status == 200)


@pytest.mark.parametrize("role", ["anonymous", "member", "chair", "coordinator"])
def test_a_published_evaluation_is_for_everyone(client, auth, people, evaluation, db, role):
    ops.publish(evaluation, by=people["admin"], threshold=5)
    db.session.commit()
    sign_in(auth, people, role)
    page = client.get(f"/evaluatie/{evaluation.period}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Publiceren" not in html and "peiling/versturen" not in html  # no tools once published


@pytest.mark.parametrize("role, status", [("anonymous", 302), ("member", 404), ("chair", 200),
                                              ("other_chair", 200), ("coordinator", 200), ("admin", 200)])
def test_who_sees_the_pulse_answers(client, auth, people, evaluation, role, status):
    sign_in(auth, people, role)
    assert client.get(f"/evaluatie/{evaluation.period}/peiling").status_code == status


@pytest.mark.parametrize("role, status", [("member", 403), ("chair", 200), ("coordinator", 200)])
def test_the_pulse_answers_stay_closed_after_publishing(client, auth, people, evaluation, db, role, status):
    ops.publish(evaluation, by=people["admin"], threshold=5)
    db.session.commit()
    sign_in(auth, people, role)
    assert client.get(f"/evaluatie/{evaluation.period}/peiling").status_code == status


@pytest.mark.parametrize("role, published", [("member", False), ("chair", False), ("coordinator", True),
                                                 ("admin", True)])
def test_who_may_publish(client, auth, people, evaluation, db, role, published):
    sign_in(auth, people, role)
    response = auth.post(f"/evaluatie/{evaluation.period}/publiceren")
    db.session.refresh(evaluation)
    assert evaluation.is_published == published
    assert response.status_code in ((302,) if published else (403, 404))


def note_path(evaluation, kind, subject_type, subject_id):
    return f"/evaluatie/{evaluation.period}/{kind}/{subject_type}/{subject_id}"


@pytest.mark.parametrize("role, kind, subject, allowed", [
    ("chair", "conclusion", "thinktank", True),
    ("chair", "decision", "thinktank", True),
    ("chair", "decision", "action", True),
    ("chair", "conclusion", "line", False),
    ("other_chair", "conclusion", "thinktank", False),
    ("other_chair", "decision", "action", False),
    ("member", "conclusion", "thinktank", False),
    ("coordinator", "conclusion", "line", True),
    ("coordinator", "decision", "action", True),
    ("admin", "decision", "thinktank", True),
])
def test_who_may_write_conclusions_and_decisions(client, auth, people, evaluation, db, thinktank, chair, role,
                                                 kind, subject, allowed):
    from samen.actions import operations as action_ops

    line = Line(slug="preventie", name="Preventie")
    db.session.add(line)
    action = action_ops.create_action(thinktank, by=chair, title="Voorlichting")
    db.session.commit()
    subject_id = {"thinktank": thinktank.id, "action": action.id, "line": line.id}[subject]
    sign_in(auth, people, role)
    path = note_path(evaluation, kind, subject, subject_id)
    refused = 404 if role == "member" else 403  # a draft is not there for a member
    assert client.get(path).status_code == (200 if allowed else refused)
    data = {"text": "Goed gegaan, **doorgaan**.", "decision": "continue" if kind == "decision" else ""}
    response = auth.post(path, data)
    assert response.status_code == (302 if allowed else refused)
    notes = db.session.query(EvaluationNote).filter_by(evaluation_id=evaluation.id).all()
    assert len(notes) == (1 if allowed else 0)
    if allowed:
        page = client.get(f"/evaluatie/{evaluation.period}").get_data(as_text=True)
        assert "<strong>doorgaan</strong>" in page


def test_a_decision_needs_a_choice_and_a_reason(client, auth, coordinator, evaluation, thinktank):
    auth.login(coordinator)
    path = note_path(evaluation, "decision", "thinktank", thinktank.id)
    assert auth.post(path, {"text": "Zonder keuze."}).status_code == 422
    assert auth.post(path, {"decision": "stop", "text": ""}).status_code == 422
    assert auth.post(path, {"decision": "opschalen", "text": "Onbekend."}).status_code == 422
    assert auth.post(path, {"decision": "scale_up", "text": "Het werkt."}).status_code == 302


def test_nothing_to_write_about_is_a_404(client, auth, coordinator, evaluation, thinktank):
    auth.login(coordinator)
    assert client.get(note_path(evaluation, "conclusion", "action", thinktank.id)).status_code == 404
    assert client.get(note_path(evaluation, "decision", "line", 1)).status_code == 404
    assert client.get(note_path(evaluation, "conclusion", "thinktank", 999999)).status_code == 404
    assert client.get(note_path(evaluation, "verdict", "thinktank", thinktank.id)).status_code == 404
    assert client.get("/evaluatie/../etc").status_code == 404
    assert client.get("/evaluatie/20x6").status_code == 404


def test_a_published_evaluation_takes_no_more_notes(client, auth, coordinator, evaluation, thinktank, db):
    ops.publish(evaluation, by=coordinator, threshold=5)
    db.session.commit()
    auth.login(coordinator)
    path = note_path(evaluation, "conclusion", "thinktank", thinktank.id)
    assert client.get(path).status_code == 409
    assert auth.post(path, {"text": "Te laat."}).status_code == 409


@pytest.mark.parametrize("data, field", [
    ({"period": "dit jaar"}, "period"),
    ({"start_date": "2026-12-31", "end_date": "2026-01-01"}, "end_date"),
    ({"end_date": "2029-01-01"}, "end_date"),
    ({"start_date": "31-12-2026"}, "start_date"),
    ({"title": ""}, "title"),
])
def test_opening_checks_the_period(client, auth, coordinator, data, field):
    auth.login(coordinator)
    form = {"period": "2026", "title": "Evaluatie 2026", "start_date": "2026-01-01", "end_date": "2026-12-31",
            **data}
    response = auth.post("/evaluatie/nieuw", form)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)


def test_opening_an_evaluation_and_a_second_for_the_same_period(client, auth, coordinator):
    auth.login(coordinator)
    form = {"period": "2026", "title": "Evaluatie 2026", "start_date": "2026-01-01", "end_date": "2026-12-31"}
    response = auth.post("/evaluatie/nieuw", form)
    assert response.status_code == 302 and response.headers["Location"].endswith("/evaluatie/2026")
    again = auth.post("/evaluatie/nieuw", form)
    assert again.status_code == 422
    assert "Er is al een evaluatie voor deze periode." in again.get_data(as_text=True)
