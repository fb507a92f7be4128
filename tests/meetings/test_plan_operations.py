"""Planning operations: meetings, agenda, registrations with a waiting list — the rules and the bad input."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from samen.audit.models import AuditEntry
from samen.core.errors import Conflict, DomainError, Forbidden
from samen.meetings import operations as ops
from samen.meetings.models import AgendaItem, Meeting, Registration
from samen.notifications.models import Notification
from samen.thinktanks import operations as tt_ops
from tests.meetings.conftest import soon

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both


def count(db, model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


# --- creating and changing ---------------------------------------------------------------------------------

def test_a_chair_plans_a_meeting_with_an_agenda_linked_to_ideas(db, thinktank, chair, idea, create_idea, member):
    other = create_idea(thinktank, member, title="Een tweede idee")
    meeting = ops.create_meeting(
        thinktank, by=chair, title="Avond", starts_at=soon(), ends_at=soon() + timedelta(hours=2),
        location="Het Grote Huis", capacity=40, public=False,
        agenda=[{"title": "Welkom", "planned_minutes": 10},
                {"title": "Ideeën", "planned_minutes": "30", "ideas": [other.id, idea.id]}])
    db.session.commit()
    db.session.expire_all()
    meeting = ops.get_meeting(meeting.id)
    assert (meeting.thinktank_id, meeting.capacity, meeting.public, meeting.state) == (thinktank.id, 40, False,
                                                                                       "scheduled")
    assert [(i.position, i.title, i.planned_minutes) for i in meeting.agenda] == [(0, "Welkom", 10),
                                                                                  (1, "Ideeën", 30)]
    assert [i.id for i in meeting.agenda[1].ideas] == sorted([idea.id, other.id])
    assert ops.agenda_minutes(meeting) == 40
    assert count(db, AuditEntry, AuditEntry.action == "meeting.create") == 1


def test_times_without_a_zone_are_local_and_stored_in_utc(db, thinktank, chair):
    amsterdam = ZoneInfo("Europe/Amsterdam")
    meeting = ops.create_meeting(thinktank, by=chair, title="Avond", starts_at="2031-01-15T19:30",
                                 ends_at="2031-01-15 21:30", online_url="https://meet.example.org/x",
                                 zone=amsterdam)
    assert meeting.starts_at == datetime(2031, 1, 15, 18, 30)
    assert meeting.ends_at == datetime(2031, 1, 15, 20, 30)
    other = ops.create_meeting(thinktank, by=chair, title="Zomer", starts_at="2031-07-01T19:30:00+02:00",
                               ends_at=datetime(2031, 7, 1, 20, 0, tzinfo=UTC), location="Hal", zone=amsterdam)
    assert (other.starts_at, other.ends_at) == (datetime(2031, 7, 1, 17, 30), datetime(2031, 7, 1, 20, 0))


@pytest.mark.parametrize("fields, field, code", [
    ({"ends_at": soon() - timedelta(hours=1)}, "ends_at", "dates"),
    ({"ends_at": soon()}, "ends_at", "dates"),
    ({"capacity": 0}, "capacity", "invalid_number"),
    ({"capacity": -3}, "capacity", "invalid_number"),
    ({"capacity": "veel"}, "capacity", "invalid_number"),
    ({"capacity": True}, "capacity", "invalid_number"),
    ({"capacity": 2.5}, "capacity", "invalid_number"),
    ({"title": "  "}, "title", "required"),
    ({"title": "x" * 201}, "title", "invalid"),
    ({"starts_at": "morgen"}, "starts_at", "invalid_datetime"),
    ({"starts_at": None}, "starts_at", "required"),
    ({"location": "", "online_url": ""}, "location", "place"),
    ({"online_url": "javascript:alert(1)"}, "online_url", "invalid_url"),
    ({"online_url": "ftp://x.org"}, "online_url", "invalid_url"),
    ({"agenda": [{"title": "Ideeën", "ideas": [999999]}]}, "agenda[0].idea_ids", "unknown_idea"),
    ({"agenda": [{"title": "Ideeën", "ideas": ["abc"]}]}, "agenda[0].idea_ids", "unknown_idea"),
    ({"agenda": [{"title": "Kort"}, {"title": "Lang", "planned_minutes": 601}]}, "agenda[1].planned_minutes",
     "invalid_number"),
    ({"agenda": [{"title": "Negatief", "planned_minutes": -1}]}, "agenda[0].planned_minutes", "invalid_number"),
    ({"agenda": [{"title": ""}]}, "agenda[0].title", "required"),
])
def test_bad_input_is_refused_and_nothing_is_stored(db, thinktank, chair, fields, field, code):
    values = {"title": "Avond", "starts_at": soon(), "ends_at": soon() + timedelta(hours=2),
              "location": "Het Grote Huis"} | fields
    with pytest.raises(DomainError) as raised:
        ops.create_meeting(thinktank, by=chair, **values)
    db.session.rollback()
    assert (raised.value.field, raised.value.code) == (field, code)
    assert not isinstance(raised.value, Forbidden)
    assert count(db, Meeting) == count(db, AgendaItem) == 0


def test_ideas_of_another_think_tank_and_hidden_ideas_cannot_be_linked(db, thinktank, chair, create_thinktank,
                                                                       create_user, create_idea, idea):
    elsewhere = create_thinktank()
    author = create_user()
    tt_ops.join_thinktank(elsewhere, author)
    foreign = create_idea(elsewhere, author)
    with pytest.raises(DomainError) as raised:
        ops.create_meeting(thinktank, by=chair, title="Avond", starts_at=soon(), ends_at=soon(1 + 7),
                           location="Hal", agenda=[{"title": "Ideeën", "ideas": [idea.id, foreign.id]}])
    assert raised.value.code == "unknown_idea" and str(foreign.id) in str(raised.value.message)
    db.session.rollback()
    idea.withdrawn_at = ops.utcnow()
    db.session.commit()
    with pytest.raises(DomainError):
        ops.create_meeting(thinktank, by=chair, title="Avond", starts_at=soon(), ends_at=soon(8), location="Hal",
                           agenda=[{"title": "Ideeën", "ideas": [idea.id]}])


def test_a_plenary_links_ideas_of_any_think_tank(db, thinktank, chair, admin, create_thinktank, create_user,
                                                 create_idea, idea):
    elsewhere = create_thinktank()
    author = create_user()
    tt_ops.join_thinktank(elsewhere, author)
    foreign = create_idea(elsewhere, author)
    meeting = ops.create_meeting(None, by=chair, title="Plenaire avond", starts_at=soon(), ends_at=soon(8),
                                 location="Hal", agenda=[{"title": "Alles", "ideas": [idea.id, foreign.id]}])
    assert meeting.plenary and len(meeting.agenda[0].ideas) == 2


def test_who_may_plan_a_meeting(db, thinktank, chair, member, user, admin, create_thinktank, create_user):
    values = {"title": "Avond", "starts_at": soon(), "ends_at": soon(8), "location": "Hal"}
    for person in (member, user):
        with pytest.raises(Forbidden):
            ops.create_meeting(thinktank, by=person, **values)
        with pytest.raises(Forbidden):
            ops.create_meeting(None, by=person, **values)
    other_chair = create_user()
    tt_ops.appoint_chair(create_thinktank(), other_chair)
    with pytest.raises(Forbidden):
        ops.create_meeting(thinktank, by=other_chair, **values)
    assert ops.create_meeting(None, by=other_chair, **values).plenary  # any chair plans a plenary
    assert ops.create_meeting(thinktank, by=admin, **values).thinktank_id == thinktank.id


def test_an_archived_think_tank_plans_no_meetings(db, thinktank, chair):
    tt_ops.archive_thinktank(thinktank)
    with pytest.raises(DomainError) as raised:
        ops.create_meeting(thinktank, by=chair, title="Avond", starts_at=soon(), ends_at=soon(8), location="Hal")
    assert raised.value.code == "archived" and raised.value.status == 409


def test_changing_a_meeting_is_audited_and_checked(db, meeting, chair, member):
    ops.update_meeting(meeting, by=chair, title="Nieuwe titel", capacity="25")
    db.session.commit()
    assert (meeting.title, meeting.capacity) == ("Nieuwe titel", 25)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "meeting.update"))
    assert entry.data["changes"]["title"] == ["Denktankavond Preventie", "Nieuwe titel"]
    with pytest.raises(DomainError) as raised:
        ops.update_meeting(meeting, by=chair, ends_at=meeting.starts_at - timedelta(minutes=1))
    assert raised.value.code == "dates"
    db.session.rollback()
    with pytest.raises(Forbidden):
        ops.update_meeting(meeting, by=member, title="Van een lid")
    with pytest.raises(DomainError):
        ops.update_meeting(meeting, by=chair, state="live")  # the live board opens a meeting, not this


def test_a_closed_meeting_cannot_be_changed_or_cancelled(db, meeting, chair):
    meeting.state = "closed"
    db.session.commit()
    with pytest.raises(Conflict):
        ops.update_meeting(meeting, by=chair, title="Te laat")
    with pytest.raises(Conflict):
        ops.cancel_meeting(meeting, by=chair)


def test_cancelling_a_meeting_keeps_its_record_and_notifies_who_registered(db, meeting, chair, member, user,
                                                                          create_user):
    ops.register(meeting, member)
    ops.register(meeting, user)
    db.session.commit()
    people = ops.cancel_meeting(meeting, by=chair)
    db.session.commit()
    assert sorted(people) == sorted([member.id, user.id])
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).state == "cancelled"
    assert count(db, Meeting) == 1 and count(db, Registration) == 2
    notices = list(db.session.scalars(select(Notification).where(Notification.kind == "meeting.cancelled")))
    assert len(notices) == 2 and {n.url for n in notices} == {f"/meetings/{meeting.id}"}
    with pytest.raises(Conflict):
        ops.update_meeting(meeting, by=chair, title="Toch wel")
    with pytest.raises(Conflict):
        ops.register(meeting, create_user())
    with pytest.raises(Conflict):
        ops.cancel_meeting(meeting, by=chair)


# --- the agenda --------------------------------------------------------------------------------------------

def test_the_agenda_is_ordered_and_items_move_change_and_go(db, meeting, chair, idea):
    first = ops.add_agenda_item(meeting, by=chair, title="Welkom", planned_minutes=5)
    second = ops.add_agenda_item(meeting, by=chair, title="Ideeën", planned_minutes=30, ideas=[str(idea.id)])
    third = ops.add_agenda_item(meeting, by=chair, title="Rondvraag", planned_minutes=10)
    db.session.commit()
    ops.move_agenda_item(third, by=chair, offset=-1)
    ops.move_agenda_item(first, by=chair, offset=-1)  # already first: nothing changes
    db.session.commit()
    db.session.refresh(meeting)
    assert [item.title for item in meeting.agenda] == ["Welkom", "Rondvraag", "Ideeën"]
    ops.update_agenda_item(second, by=chair, title="De ideeën", ideas=[])
    ops.remove_agenda_item(first, by=chair)
    db.session.commit()
    db.session.refresh(meeting)
    assert [(item.position, item.title, len(item.ideas)) for item in meeting.agenda] == [(0, "Rondvraag", 0),
                                                                                        (1, "De ideeën", 0)]


def test_the_agenda_is_fixed_once_the_meeting_starts(db, meeting, chair):
    item = ops.add_agenda_item(meeting, by=chair, title="Welkom")
    meeting.state = "live"
    db.session.commit()
    for change in (lambda: ops.add_agenda_item(meeting, by=chair, title="Extra"),
                   lambda: ops.update_agenda_item(item, by=chair, title="Anders"),
                   lambda: ops.remove_agenda_item(item, by=chair),
                   lambda: ops.move_agenda_item(item, by=chair, offset=1)):
        with pytest.raises(Conflict):
            change()


def test_only_its_chairs_change_the_agenda(db, meeting, member, user):
    for person in (member, user):
        with pytest.raises(Forbidden):
            ops.add_agenda_item(meeting, by=person, title="Van mij")


# --- registrations and the waiting list --------------------------------------------------------------------

def test_registration_past_capacity_goes_to_the_waiting_list_in_order(db, create_meeting, thinktank, create_user):
    meeting = create_meeting(thinktank, capacity=2)
    people = [create_user() for _ in range(4)]
    statuses = [ops.register(meeting, person).status for person in people]
    db.session.commit()
    assert statuses == ["registered", "registered", "waiting", "waiting"]
    assert ops.registered_count(meeting) == 2
    positions = [ops.waiting_position(ops.registration_of(meeting, person)) for person in people]
    assert positions == [None, None, 1, 2]
    again = ops.register(meeting, people[2])  # registering again changes nothing
    assert again.status == "waiting" and count(db, Registration) == 4


def test_a_cancellation_moves_the_first_waiting_up_and_tells_them(db, create_meeting, thinktank, create_user):
    meeting = create_meeting(thinktank, capacity=1)
    first, second, third = create_user(), create_user(), create_user()
    for person in (first, second, third):
        ops.register(meeting, person)
    db.session.commit()
    moved = ops.cancel_registration(meeting, first)
    db.session.commit()
    assert [r.user_id for r in moved] == [second.id]
    assert ops.registration_of(meeting, second).status == "registered"
    assert ops.waiting_position(ops.registration_of(meeting, third)) == 1
    note = db.session.scalar(select(Notification).where(Notification.kind == "meeting.moved_up"))
    assert note.user_id == second.id and note.url == f"/meetings/{meeting.id}"
    # Someone who leaves the waiting list frees no place; cancelling twice changes nothing.
    assert ops.cancel_registration(meeting, third) == []
    assert ops.cancel_registration(meeting, third) == []
    # Whoever registers again goes to the back of the queue.
    assert ops.register(meeting, first).status == "waiting"


def test_a_larger_capacity_moves_the_waiting_list_up_a_smaller_one_cannot_push_people_out(
        db, create_meeting, thinktank, chair, create_user):
    meeting = create_meeting(thinktank, capacity=1)
    people = [create_user() for _ in range(3)]
    for person in people:
        ops.register(meeting, person)
    db.session.commit()
    moved = ops.update_meeting(meeting, by=chair, capacity=2)
    assert [r.user_id for r in moved] == [people[1].id]
    moved = ops.update_meeting(meeting, by=chair, capacity=None)  # no limit: everyone gets a place
    assert [r.user_id for r in moved] == [people[2].id]
    db.session.commit()
    with pytest.raises(DomainError) as raised:
        ops.update_meeting(meeting, by=chair, capacity=2)
    assert raised.value.code == "capacity_taken" and raised.value.field == "capacity"


def test_a_members_only_meeting_is_for_members(db, create_meeting, thinktank, member, user, chair, admin,
                                               create_user):
    meeting = create_meeting(thinktank, public=False)
    with pytest.raises(Forbidden) as raised:
        ops.register(meeting, user)
    assert raised.value.code == "members_only"
    assert count(db, Registration) == 0
    for person in (member, chair, admin):
        assert ops.register(meeting, person).status == "registered"
    assert not ops.may_view(meeting, ops.viewer_of(user))
    assert ops.may_view(meeting, ops.viewer_of(member))
    assert not ops.may_view(meeting, ops.ANONYMOUS)


def test_a_members_only_plenary_is_for_members_of_any_think_tank(db, create_meeting, create_thinktank, member,
                                                                 user, admin, create_user):
    plenary = create_meeting(None, by=admin, public=False)
    elsewhere_member = create_user()
    tt_ops.join_thinktank(create_thinktank(), elsewhere_member)
    assert ops.register(plenary, member).status == "registered"
    assert ops.register(plenary, elsewhere_member).status == "registered"
    with pytest.raises(Forbidden):
        ops.register(plenary, user)


def test_a_meeting_that_is_over_takes_no_registrations(db, create_meeting, thinktank, user):
    meeting = create_meeting(thinktank, starts_at=soon(-2), ends_at=soon(-2) + timedelta(hours=2))
    with pytest.raises(Conflict) as raised:
        ops.register(meeting, user)
    assert raised.value.code == "meeting_over"
    with pytest.raises(Forbidden):
        ops.register(meeting, None)


def test_lists_show_what_the_viewer_may_see(db, create_meeting, thinktank, member, user, admin):
    public = create_meeting(thinktank, title="Openbaar", starts_at=soon(3))
    closed = create_meeting(thinktank, title="Besloten", public=False, starts_at=soon(2))
    plenary = create_meeting(None, by=admin, title="Plenair", starts_at=soon(4))
    past = create_meeting(thinktank, title="Vorige keer", starts_at=soon(-30), ends_at=soon(-30) + timedelta(hours=2))
    assert [m.title for m in ops.list_meetings(ops.viewer_of(user))] == ["Openbaar", "Plenair"]
    assert [m.title for m in ops.list_meetings(ops.viewer_of(member))] == ["Besloten", "Openbaar", "Plenair"]
    assert [m.id for m in ops.list_meetings(ops.ANONYMOUS, when="past")] == [past.id]
    assert [m.id for m in ops.list_meetings(ops.viewer_of(admin), thinktank=thinktank)] == [closed.id, public.id,
                                                                                           plenary.id]
    assert [m.id for m in ops.list_meetings(ops.ANONYMOUS, plenary=True)] == [plenary.id]
    with pytest.raises(DomainError):
        ops.list_meetings(ops.ANONYMOUS, when="morgen")
