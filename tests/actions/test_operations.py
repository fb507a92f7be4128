"""The rules of action items, indicators and reminders, through the operations every interface shares."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from samen.actions import operations as ops
from samen.actions.models import ActionItem, ReminderSent
from samen.audit.operations import entries_for
from samen.core.errors import DomainError, Forbidden

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both

TODAY = date(2026, 11, 23)


def test_chair_converts_adopted_idea(adopted_idea, chair, member, db):
    action = ops.convert_ideas([adopted_idea], by=chair, owner=member.id, due_date="2027-03-01")
    db.session.commit()
    assert action.ideas == [adopted_idea] and action.owner == member
    assert action.title == adopted_idea.title and action.decision == "We gaan dit doen."


def test_only_adopted_ideas_convert(idea, chair, db):
    with pytest.raises(DomainError) as error:
        ops.convert_ideas([idea], by=chair)
    assert error.value.code == "not_adopted"


def test_members_cannot_create(thinktank, member, db):
    with pytest.raises(Forbidden):
        ops.create_action(thinktank, by=member, title="Iets")


@pytest.mark.parametrize("fields, field", [
    ({"start_date": "2027-02-01", "due_date": "2027-01-01"}, "due_date"),
    ({"progress": 101}, "progress"),
    ({"progress": -1}, "progress"),
    ({"progress": "veel"}, "progress"),
    ({"status": "stopped"}, "stop_reason"),
    ({"status": "klaar"}, "status"),
    ({"due_date": "31-12-2026"}, "due_date"),
    ({"title": ""}, "title"),
])
def test_bad_input_is_refused(thinktank, chair, fields, field, db):
    with pytest.raises(DomainError) as error:
        ops.create_action(thinktank, by=chair, **{"title": "Actie", **fields})
    assert error.value.field == field
    assert db.session.scalar(select(func.count()).select_from(ActionItem)) == 0


def test_the_owner_need_not_be_a_member_but_must_be_a_confirmed_account(thinktank, chair, user, create_user, db):
    resident = create_user(display_name="Ervaringsdeskundige", email_confirmed=True)
    action = ops.create_action(thinktank, by=chair, title="Actie", owner=resident.id)
    assert action.owner_id == resident.id
    with pytest.raises(DomainError) as error:
        ops.create_action(thinktank, by=chair, title="Actie",
                          owner=create_user(email_confirmed=False).id)  # never confirmed the address
    assert error.value.field == "owner_id"


def test_updates_and_audit(thinktank, chair, member, create_action, db):
    action = create_action(thinktank, owner=member)
    ops.post_update(action, by=member, body="Eerste school bezocht.", progress=25, status="in_progress")
    ops.update_action(action, by=chair, due_date="2027-06-30")
    db.session.commit()
    assert (action.progress, action.status) == (25, "in_progress")
    changes = [e.data.get("changes") for e in entries_for("action", action.id) if e.action == "action.update"]
    assert {"progress": [0, 25], "status": ["planned", "in_progress"]} in changes
    assert any("due_date" in c for c in changes)
    assert [u.body for u in ops.updates_of(action)] == ["Eerste school bezocht."]


def test_milestones_derive_progress(thinktank, chair, member, create_action, db):
    action = create_action(thinktank, owner=member)
    first = ops.add_milestone(action, by=member, title="Scholen benaderen")
    ops.add_milestone(action, by=member, title="Lessen geven")
    ops.set_milestone_done(first, by=member, done=True)
    assert action.progress == 50


def test_overdue_first_and_internal_hidden(thinktank, chair, member, create_action, db):
    late = create_action(thinktank, title="Te laat", start_date=None, due_date=TODAY - timedelta(days=3))
    create_action(thinktank, title="Later", due_date=TODAY + timedelta(days=90))
    internal = create_action(thinktank, title="Intern", public=False)
    titles = [a.title for a in ops.list_actions(viewer=None, today=TODAY)]
    assert titles[0] == late.title and internal.title not in titles
    assert internal.title in [a.title for a in ops.list_actions(viewer=member, today=TODAY)]
    summary = ops.progress_summary(today=TODAY)
    assert summary["total"] == 2 and summary["overdue"] == 1


def test_measurements(chair, admin, db):
    indicator = ops.create_indicator(by=admin, name="Inwoners geholpen door de gebiedsteams", unit="personen",
                                     baseline_value=150, baseline_date="2018-12-31", target_value="200")
    ops.record_measurement(indicator, by=admin, date="2019-12-31", value="172,5")
    with pytest.raises(DomainError):
        ops.record_measurement(indicator, by=admin, date="2020-12-31", value="veel")
    with pytest.raises(Forbidden):
        ops.record_measurement(indicator, by=chair, date="2020-12-31", value=1)
    db.session.commit()
    assert [m.value for m in indicator.measurements] == [172.5]


def test_reminders_once_each(thinktank, chair, member, create_action, db):
    create_action(thinktank, owner=member, title="Over een week", due_date=TODAY + timedelta(days=7))
    create_action(thinktank, owner=member, title="Morgen", due_date=TODAY + timedelta(days=1))
    create_action(thinktank, owner=member, title="Te laat", start_date=None, due_date=TODAY - timedelta(days=1))
    create_action(thinktank, owner=member, title="Klaar", start_date=None, due_date=TODAY - timedelta(days=1),
                  status="done")
    sent = []
    assert ops.send_reminders(TODAY, lambda action, kind, _to: sent.append((action.title, kind)), stale_weeks=0) == 3
    assert sorted(sent) == [("Morgen", "due1"), ("Over een week", "due7"), ("Te laat", "overdue")]
    assert ops.send_reminders(TODAY, lambda action, kind, _to: sent.append(kind), stale_weeks=0) == 0
    assert db.session.scalar(select(func.count()).select_from(ReminderSent)) == 3
