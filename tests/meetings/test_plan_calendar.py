"""Calendar files: one .ics per meeting, and a feed of the public meetings, parsed back with icalendar."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from samen.meetings import operations as ops
from tests.meetings.conftest import soon


def events(response) -> list:
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.get_data())
    return list(calendar.walk("VEVENT"))


def test_a_meeting_as_a_calendar_file(client, db, meeting):
    meeting.online_url = "https://meet.example.org/preventie"
    db.session.commit()
    response = client.get(f"/meetings/{meeting.id}.ics")
    assert 'filename="meeting-' in response.headers["Content-Disposition"]
    [event] = events(response)
    assert str(event["summary"]) == "Denktankavond Preventie (Preventie)"
    assert event.decoded("dtstart") == meeting.starts_at.replace(tzinfo=UTC)
    assert event.decoded("dtend") == meeting.ends_at.replace(tzinfo=UTC)
    assert str(event["location"]) == "Het Grote Huis, Nijkerk, https://meet.example.org/preventie"
    assert str(event["url"]).endswith(f"/meetings/{meeting.id}")
    assert str(event["uid"]).startswith(f"meeting-{meeting.id}@")
    assert "We bespreken de ideeën." in str(event["description"])  # Markdown as plain text


def test_the_uid_stays_and_the_sequence_grows_with_a_change(client, db, meeting, chair):
    [before] = events(client.get(f"/meetings/{meeting.id}.ics"))
    meeting.created_at -= timedelta(hours=1)  # planned an hour ago, changed now
    ops.update_meeting(meeting, by=chair, title="Verzet")
    db.session.commit()
    [after] = events(client.get(f"/meetings/{meeting.id}.ics"))
    assert after["uid"] == before["uid"] and int(after["sequence"]) > int(before["sequence"])


def test_the_feed_holds_public_meetings_only(client, db, create_meeting, thinktank, admin):
    create_meeting(thinktank, title="Openbare avond")
    create_meeting(thinktank, title="Besloten avond", public=False)
    create_meeting(None, by=admin, title="Plenaire avond")
    create_meeting(thinktank, title="Lang geleden", starts_at=soon(-200), ends_at=soon(-200) + timedelta(hours=1))
    response = client.get("/meetings/calendar.ics")
    titles = sorted(str(event["summary"]) for event in events(response))
    assert titles == ["Openbare avond (Preventie)", "Plenaire avond"]
    assert "X-WR-CALNAME" in response.get_data(as_text=True)


def test_an_empty_feed_is_a_valid_calendar(client, db):
    assert events(client.get("/meetings/calendar.ics")) == []
    assert Calendar.from_ical(client.get("/meetings/calendar.ics").get_data())["version"] == "2.0"


def test_times_are_utc(client, db, create_meeting, thinktank):
    meeting = create_meeting(thinktank, starts_at=datetime(2031, 7, 1, 17, 30), ends_at=datetime(2031, 7, 1, 19))
    assert "DTSTART:20310701T173000Z" in client.get(f"/meetings/{meeting.id}.ics").get_data(as_text=True)
