"""Meeting pages: the list, a meeting's page, planning forms, the agenda editor and registering, in both
languages; bad input is a form error and stores nothing; the pages run a fixed number of queries."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask, request_started
from flask.testing import FlaskClient
from sqlalchemy import func, select

from samen.core.database import db as _db
from samen.core.mail import outbox
from samen.meetings import operations as ops
from samen.meetings.models import AgendaItem, Meeting, Registration
from samen.thinktanks import operations as tt_ops
from tests.meetings.conftest import soon


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


def count(db, model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def main(response) -> str:
    html = response.get_data(as_text=True)
    return html[html.index("<main"):html.index("</main>")]


def form(meeting_fields: dict[str, str] | None = None) -> dict[str, str]:
    start = soon(10)
    return {"title": "Avond over vrije tijd", "description": "Kom **allemaal**.",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "location": "Het Grote Huis", "online_url": "", "capacity": "30", "visibility": "public",
            **(meeting_fields or {})}


# --- the list and the page ---------------------------------------------------------------------------------

def test_the_list_shows_upcoming_and_past_meetings_with_minutes(client, db, create_meeting, thinktank, admin):
    create_meeting(thinktank, title="Volgende avond", capacity=2)
    create_meeting(None, by=admin, title="Plenaire avond")
    past = create_meeting(thinktank, title="Vorige avond", starts_at=soon(-20), ends_at=soon(-20) + timedelta(hours=2))
    past.state, past.minutes, past.minutes_published_at = "closed", "## Besluiten\n\nWe doen het.", ops.utcnow()
    db.session.commit()
    page = main(client.get("/meetings/"))
    assert "Volgende avond" in page and "Plenaire avond" in page and "2 places left" in page
    assert page.index("Upcoming meetings") < page.index("Volgende avond") < page.index("Past meetings")
    assert page.index("Past meetings") < page.index("Vorige avond")
    assert f'href="/meetings/{past.id}#minutes-heading"' in page
    shown = main(client.get(f"/meetings/{past.id}"))
    assert "<h2>Besluiten</h2>" in shown and "We doen het." in shown


def test_a_think_tank_lists_its_meetings_and_the_plenaries_and_links_to_them(client, db, create_meeting,
                                                                            thinktank, create_thinktank, admin):
    create_meeting(thinktank, title="Eigen avond")
    create_meeting(None, by=admin, title="Plenaire avond")
    other = create_thinktank()
    create_meeting(other, by=admin, title="Andere denktank")
    page = main(client.get(f"/meetings/?thinktank={thinktank.slug}"))
    assert "Eigen avond" in page and "Plenaire avond" in page and "Andere denktank" not in page
    assert client.get("/meetings/?thinktank=bestaat-niet").status_code == 404
    assert f'href="/meetings/?thinktank={thinktank.slug}"' in client.get(f"/thinktanks/{thinktank.slug}").get_data(
        as_text=True)


def test_the_meeting_page_shows_when_where_the_agenda_and_its_ideas(client, db, meeting, chair, idea):
    ops.add_agenda_item(meeting, by=chair, title="De ideeën", planned_minutes=45, ideas=[idea.id])
    db.session.commit()
    page = main(client.get(f"/meetings/{meeting.id}"))
    assert "Denktankavond Preventie" in page and "Het Grote Huis, Nijkerk" in page
    assert "<strong>de ideeën</strong>" in page  # the description is Markdown
    assert "45 minutes" in page and f'href="/ideas/{idea.id}"' in page
    assert f'href="/meetings/{meeting.id}.ics"' in page
    assert "Sign in to register" in page and "Edit meeting" not in page


def test_the_page_in_dutch(client, db, meeting):
    with client.session_transaction() as session:
        session["lang"] = "nl"
    page = main(client.get(f"/meetings/{meeting.id}"))
    assert "Wanneer en waar" in page and "Log in om je aan te melden" in page
    listed = main(client.get("/meetings/"))
    assert "Komende bijeenkomsten" in listed or "Bijeenkomsten" in listed
    assert "Upcoming meetings" not in listed and "Past meetings" not in listed


def test_a_members_only_meeting_is_hidden_from_others(client, db, auth, create_meeting, thinktank, user, member):
    meeting = create_meeting(thinktank, title="Besloten avond", public=False)
    assert client.get(f"/meetings/{meeting.id}").status_code == 404  # it does not exist for outsiders
    assert "Besloten avond" not in main(client.get("/meetings/"))
    auth.login(user)
    assert client.get(f"/meetings/{meeting.id}").status_code == 404
    assert client.get(f"/meetings/{meeting.id}.ics").status_code == 404
    assert "Besloten avond" not in main(client.get("/meetings/"))
    response = auth.post(f"/meetings/{meeting.id}/register")
    assert response.status_code == 404 and count(db, Registration) == 0
    auth.logout()
    auth.login(member)
    assert "Besloten avond" in main(client.get(f"/meetings/{meeting.id}"))


# --- registering -------------------------------------------------------------------------------------------

def test_registering_past_capacity_puts_you_on_the_waiting_list(client, db, auth, create_meeting, thinktank,
                                                                create_user):
    meeting = create_meeting(thinktank, capacity=1)
    first, second = create_user(), create_user()
    auth.login(first)
    response = auth.post(f"/meetings/{meeting.id}/register", follow_redirects=True)
    assert "You are registered." in main(response)
    auth.logout()
    auth.login(second)
    page = main(client.get(f"/meetings/{meeting.id}"))
    assert "The meeting is full" in page and "Join the waiting list" in page
    response = auth.post(f"/meetings/{meeting.id}/register", follow_redirects=True)
    assert "you are number 1 on the waiting list" in main(response)
    assert "You are number 1 on the waiting list." in main(response)
    auth.logout()
    auth.login(first)
    outbox().messages.clear()
    response = auth.post(f"/meetings/{meeting.id}/unregister", follow_redirects=True)
    assert "Your registration is cancelled." in main(response)
    assert ops.registration_of(meeting, second).status == "registered"
    mail = outbox().messages[-1]
    assert mail["To"] == second.email and "plaats" in mail["Subject"]  # in the person's language: Dutch


def test_registering_needs_sign_in_and_a_csrf_token(client, db, meeting, user, auth):
    response = auth.post(f"/meetings/{meeting.id}/register", {"next": f"/meetings/{meeting.id}"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    auth.login(user)
    assert client.post(f"/meetings/{meeting.id}/register").status_code == 400
    assert count(db, Registration) == 0


def test_a_meeting_that_is_over_says_so(client, db, auth, create_meeting, thinktank, user):
    meeting = create_meeting(thinktank, starts_at=soon(-3), ends_at=soon(-3) + timedelta(hours=1))
    auth.login(user)
    assert "This meeting is over." in main(client.get(f"/meetings/{meeting.id}"))
    response = auth.post(f"/meetings/{meeting.id}/register", follow_redirects=True)
    assert "registering is no longer possible" in main(response) and count(db, Registration) == 0


# --- planning ----------------------------------------------------------------------------------------------

def test_an_archived_think_tank_offers_no_planning_form(client, db, auth, thinktank, chair):
    tt_ops.archive_thinktank(thinktank)
    db.session.commit()
    auth.login(chair)
    response = client.get(f"/meetings/new?thinktank={thinktank.slug}")
    assert response.status_code == 409
    assert "This think tank is archived and can no longer be changed." in main(response)
    response = auth.post(f"/meetings/new?thinktank={thinktank.slug}", form())
    assert response.status_code == 409 and count(db, Meeting) == 0


def test_a_chair_plans_a_meeting_then_its_agenda(client, db, auth, thinktank, chair, idea):
    auth.login(chair)
    page = client.get(f"/meetings/new?thinktank={thinktank.slug}")
    assert page.status_code == 200 and 'type="datetime-local"' in page.get_data(as_text=True)
    response = auth.post(f"/meetings/new?thinktank={thinktank.slug}", form())
    meeting = db.session.scalar(select(Meeting))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/meetings/{meeting.id}/agenda")
    assert (meeting.title, meeting.capacity, meeting.thinktank_id) == ("Avond over vrije tijd", 30, thinktank.id)
    response = auth.post(f"/meetings/{meeting.id}/agenda", {"title": "Ideeën bespreken", "planned_minutes": "40",
                                                            "ideas": [str(idea.id)]})
    assert response.status_code == 302
    item = db.session.scalar(select(AgendaItem))
    assert (item.title, item.planned_minutes, [i.id for i in item.ideas]) == ("Ideeën bespreken", 40, [idea.id])
    auth.post(f"/meetings/{meeting.id}/agenda", {"title": "Rondvraag", "planned_minutes": "10"})
    second = db.session.scalar(select(AgendaItem).where(AgendaItem.title == "Rondvraag"))
    assert auth.post(f"/meetings/{meeting.id}/agenda/{second.id}/move", {"direction": "up"}).status_code == 302
    db.session.expire_all()
    assert [i.title for i in db.session.get(Meeting, meeting.id).agenda] == ["Rondvraag", "Ideeën bespreken"]
    page = main(client.get(f"/meetings/{meeting.id}/agenda/{item.id}/edit"))
    assert f'value="{idea.id}" checked' in page
    assert auth.post(f"/meetings/{meeting.id}/agenda/{item.id}/edit",
                     {"title": "Ideeën", "planned_minutes": "30"}).status_code == 302
    assert auth.post(f"/meetings/{meeting.id}/agenda/{second.id}/delete").status_code == 302
    db.session.expire_all()
    assert [(i.title, i.planned_minutes, i.ideas) for i in db.session.get(Meeting, meeting.id).agenda] == [
        ("Ideeën", 30, [])]


def test_an_admin_plans_a_plenary_and_edits_it(client, db, auth, admin):
    auth.login(admin)
    assert "Plan a plenary meeting" in main(client.get("/meetings/"))
    response = auth.post("/meetings/new", form({"visibility": "members", "capacity": ""}))
    meeting = db.session.scalar(select(Meeting))
    assert response.status_code == 302 and meeting.plenary and not meeting.public and meeting.capacity is None
    page = main(client.get(f"/meetings/{meeting.id}/edit"))
    assert 'value="Avond over vrije tijd"' in page
    assert auth.post(f"/meetings/{meeting.id}/edit", form({"title": "Plenair", "visibility": "members"})
                     ).status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).title == "Plenair"
    assert auth.post(f"/meetings/{meeting.id}/cancel").status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).state == "cancelled"
    page = main(client.get(f"/meetings/{meeting.id}"))
    assert "This meeting is cancelled." in page and ">Cancelled</span>" in page


@pytest.mark.parametrize("fields, message", [
    ({"ends_at": soon(9).strftime("%Y-%m-%dT%H:%M")}, "The meeting must end after it starts."),
    ({"capacity": "0"}, "The capacity is a whole number of at least 1"),
    ({"capacity": "-4"}, "The capacity is a whole number of at least 1"),
    ({"starts_at": "volgende week"}, "Enter a date and time as YYYY-MM-DDTHH:MM"),
    ({"title": ""}, "Give the meeting a title."),
    ({"location": "", "online_url": ""}, "Give an address, an online link, or both."),
    ({"online_url": "javascript:alert(1)"}, "Enter a web address that starts with https://"),
])
def test_bad_input_is_a_form_error_and_nothing_is_stored(client, db, auth, thinktank, chair, fields, message):
    auth.login(chair)
    response = auth.post(f"/meetings/new?thinktank={thinktank.slug}", form(fields))
    assert response.status_code == 422
    assert message in main(response)
    assert 'aria-invalid="true"' in main(response)
    assert count(db, Meeting) == 0


def test_bad_agenda_input_is_a_form_error_in_dutch_too(client, db, auth, meeting, chair):
    auth.login(chair)
    response = auth.post(f"/meetings/{meeting.id}/agenda", {"title": "Ideeën", "planned_minutes": "15",
                                                            "ideas": ["987654"]})
    assert response.status_code == 422 and "There is no idea with the number 987654" in main(response)
    response = auth.post(f"/meetings/{meeting.id}/agenda?lang=nl", {"title": "Ideeën", "planned_minutes": "-5"})
    assert response.status_code == 422 and "minuten" in main(response)
    assert count(db, AgendaItem) == 0


def test_lowering_the_capacity_below_the_registered_is_a_form_error(client, db, auth, create_meeting, thinktank,
                                                                   chair, create_user):
    meeting = create_meeting(thinktank, capacity=3)
    for person in (create_user(), create_user()):
        ops.register(meeting, person)
    db.session.commit()
    auth.login(chair)
    response = auth.post(f"/meetings/{meeting.id}/edit", {**ops_form(meeting), "capacity": "1"})
    assert response.status_code == 422 and "2 people are registered already" in main(response)
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).capacity == 3


def ops_form(meeting: Meeting) -> dict[str, str]:
    from zoneinfo import ZoneInfo

    from samen.meetings.forms import MeetingForm
    data = MeetingForm.data_of(meeting, ZoneInfo("Europe/Amsterdam"))
    return dict(data)


# --- a fixed number of queries -----------------------------------------------------------------------------

def _fill(db, thinktank, chair, admin, create_meeting, create_user, create_idea, member, n: int) -> Meeting:
    meeting = None
    for number in range(n):
        create_meeting(None, by=admin, title=f"Plenair {number}", starts_at=soon(number + 1))
        meeting = create_meeting(thinktank, by=admin, title=f"Avond {number}", starts_at=soon(number + 1),
                                 capacity=3)
        ideas = [create_idea(thinktank, member, title=f"Idee {number}-{k}") for k in range(2)]
        ops.add_agenda_item(meeting, by=admin, title=f"Punt {number}", ideas=[i.id for i in ideas])
        for _k in range(2):
            ops.register(meeting, create_user())
        past = create_meeting(thinktank, by=admin, title=f"Vroeger {number}", starts_at=soon(-number - 5))
        past.ends_at = past.starts_at + timedelta(hours=1)
        past.state, past.minutes, past.minutes_published_at = "closed", "Notulen", ops.utcnow()
    db.session.commit()
    return meeting


@pytest.mark.parametrize("who", ["anonymous", "member", "admin"])
def test_the_list_and_the_page_run_a_fixed_number_of_queries(client, db, auth, count_queries, thinktank, chair,
                                                             admin, member, create_meeting, create_user,
                                                             create_idea, who):
    if who != "anonymous":
        auth.login(member if who == "member" else admin)
    counts = {}
    for size in (1, 4):
        meeting = _fill(db, thinktank, chair, admin, create_meeting, create_user, create_idea, member, size)
        db.session.expire_all()
        with count_queries() as listed:
            assert client.get("/meetings/").status_code == 200
        with count_queries() as shown:
            assert client.get(f"/meetings/{meeting.id}").status_code == 200
        counts[size] = (len(listed), len(shown))
    assert counts[1] == counts[4], counts


def test_the_meeting_page_leads_to_the_live_board(client, db, auth, meeting, chair, member):
    from samen.meetings import live

    path = f"/meetings/{meeting.id}"
    auth.login(member)
    html = client.get(f"{path}?lang=en").get_data(as_text=True)
    assert f'href="/meetings/{meeting.id}/live"' in html and "console" not in html
    auth.logout()
    auth.login(chair)
    html = client.get(f"{path}?lang=en").get_data(as_text=True)
    assert f'href="/meetings/{meeting.id}/console"' in html and f'href="/meetings/{meeting.id}/projector"' in html
    live.open_meeting(meeting, chair)
    db.session.commit()
    html = client.get(f"{path}?lang=en").get_data(as_text=True)
    assert "This meeting is live now." in html and f'href="/meetings/{meeting.id}/live">Follow it' in html
