"""Creating and editing action items through the form: from an adopted idea, directly, and every mistake."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask, request_started
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from samen.accounts.models import User
from samen.actions import operations as ops
from samen.actions.models import ActionItem
from samen.audit.models import AuditEntry
from samen.core.database import db as _db
from samen.ideas import operations as idea_ops
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


def _count(model: Any) -> int:
    return _db.session.scalar(select(func.count()).select_from(model))


def _valid(member: User, **changes: Any) -> dict[str, Any]:
    today = date.today()
    return {"title": "Voorlichting op alle scholen", "description": "Met **ervaringsdeskundigen**.",
            "owner_id": str(member.id), "organisation": "", "start_date": today.isoformat(),
            "due_date": (today + timedelta(days=90)).isoformat(), "status": "planned", "stop_reason": "",
            "progress": "0", "visibility": "public", "decision": "Besloten in de denktank.", **changes}


def test_the_idea_page_leads_chairs_to_a_prefilled_form(client, auth, thinktank, chair, member, adopted_idea):
    auth.login(chair)
    html = client.get(f"/ideas/{adopted_idea.id}").get_data(as_text=True)
    link = f"/actions/new?thinktank={thinktank.slug}&amp;idea={adopted_idea.id}"
    assert f'href="{link}"' in html and "Turn into action item" in html
    html = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert f'value="{adopted_idea.title}"' in html  # the title, from the idea
    assert re.search(rf'id="ideas-{adopted_idea.id}" name="ideas" value="{adopted_idea.id}" checked', html)
    assert "We gaan dit doen." in html  # the decision, from the answer
    assert 'type="date"' in html and 'name="start_date"' in html and 'name="due_date"' in html
    assert f'<option value="{member.id}">' in html and "Voorzitter (Jongerenwerk)" in html  # the members
    assert "<legend" in html and 'type="radio"' in html


def test_members_see_no_way_to_convert(client, auth, make_member, thinktank, adopted_idea):
    auth.login(make_member(thinktank))
    html = client.get(f"/ideas/{adopted_idea.id}").get_data(as_text=True)
    assert "Turn into action item" not in html and "/actions/new" not in html


def test_chair_creates_an_action_from_an_idea(client, auth, thinktank, chair, create_user, adopted_idea, db):
    professional = create_user(display_name="Jongerenwerker", kind="professional",
                               organisation="Welzijn Nijkerk")
    from samen.thinktanks import operations as tt_ops
    tt_ops.join_thinktank(thinktank, professional)
    indicator = ops.create_indicator(by=chair, thinktank=thinktank, name="Bereikte leerlingen",
                                     unit="leerlingen")
    db.session.commit()
    auth.login(chair)
    response = auth.post(f"/actions/new?thinktank={thinktank.slug}&idea={adopted_idea.id}", _valid(
        professional, ideas=[str(adopted_idea.id)], indicators=[str(indicator.id)], visibility="internal",
        progress="10"))
    assert response.status_code == 302
    action = db.session.scalars(select(ActionItem)).one()
    assert response.headers["Location"] == f"/actions/{action.id}"
    assert action.ideas == [adopted_idea] and action.indicators == [indicator]
    assert action.owner == professional
    assert action.organisation == "Welzijn Nijkerk"  # the owner's, by default
    assert action.public is False and action.progress == 10 and action.status == "planned"
    assert action.description == "Met **ervaringsdeskundigen**."
    assert action.decision == "Besloten in de denktank."
    assert action.due_date == date.today() + timedelta(days=90)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The action item is created." in html and "Created the action item." in html


def test_chair_creates_an_action_directly(client, auth, thinktank, chair, member, db):
    auth.login(chair)
    html = client.get(f"/actions/new?thinktank={thinktank.slug}").get_data(as_text=True)
    assert "This think tank has no adopted ideas yet." in html
    response = auth.post(f"/actions/new?thinktank={thinktank.slug}",
                         {"title": "Handhaving rond het station", "organisation": "Politie"})
    assert response.status_code == 302
    action = db.session.scalars(select(ActionItem)).one()
    assert action.ideas == [] and action.owner is None and action.organisation == "Politie"
    assert action.public is True and action.status == "planned" and action.progress == 0


# Each mistake: the form data, and the field whose error the page shows.
MISTAKES = [
    ({"start_date": "2027-02-01", "due_date": "2027-01-01"}, "due_date"),
    ({"progress": "101"}, "progress"),
    ({"progress": "-1"}, "progress"),
    ({"progress": "abc"}, "progress"),
    ({"progress": "50.5"}, "progress"),
    ({"status": "stopped", "stop_reason": ""}, "stop_reason"),
    ({"status": "klaar"}, "status"),
    ({"due_date": "31-12-2026"}, "due_date"),
    ({"start_date": "2026-02-30"}, "start_date"),
    ({"title": "   "}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"visibility": "geheim"}, "visibility"),
    ({"indicators": ["999999"]}, "indicators"),
    ({"indicators": ["abc"]}, "indicators"),
    ({"ideas": ["999999"]}, "ideas"),
    ({"owner_id": "abc"}, "owner_id"),
]


@pytest.mark.parametrize("changes, field", MISTAKES, ids=[f"{f}-{i}" for i, (_c, f) in enumerate(MISTAKES)])
def test_mistakes_in_a_new_action_are_shown_at_their_field(client, auth, thinktank, chair, member, changes,
                                                           field, db):
    auth.login(chair)
    audit = _count(AuditEntry)
    response = auth.post(f"/actions/new?thinktank={thinktank.slug}", _valid(member, **changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in html, html
    assert "Please correct the following" in html and f'href="#{field}' in html
    assert _count(ActionItem) == 0 and _count(AuditEntry) == audit


def test_owner_must_be_a_member(client, auth, thinktank, chair, user, db):
    auth.login(chair)
    response = auth.post(f"/actions/new?thinktank={thinktank.slug}", _valid(user))
    assert response.status_code == 422
    assert "The owner must be a member of this think tank." in response.get_data(as_text=True)
    assert _count(ActionItem) == 0


def test_only_adopted_ideas_become_actions(client, auth, thinktank, chair, member, idea, db):
    auth.login(chair)
    response = auth.post(f"/actions/new?thinktank={thinktank.slug}", _valid(member, ideas=[str(idea.id)]))
    assert response.status_code == 422
    assert "Only adopted ideas become action items." in response.get_data(as_text=True)
    assert _count(ActionItem) == 0


def test_ideas_of_another_think_tank_are_refused(client, auth, thinktank, chair, member, create_thinktank,
                                                 create_idea, create_user, db):
    other = create_thinktank()
    stranger_chair = create_user()
    from samen.thinktanks import operations as tt_ops
    tt_ops.appoint_chair(other, stranger_chair)
    foreign = create_idea(other, stranger_chair)
    idea_ops.decide(foreign, by=stranger_chair, status="adopted", answer="Ja.")
    db.session.commit()
    auth.login(chair)
    assert client.get(f"/actions/new?thinktank={thinktank.slug}&idea={foreign.id}").status_code == 404
    response = auth.post(f"/actions/new?thinktank={thinktank.slug}", _valid(member, ideas=[str(foreign.id)]))
    assert response.status_code == 422 and 'id="ideas-error"' in response.get_data(as_text=True)
    assert _count(ActionItem) == 0


def test_stopped_with_a_reason_is_fine(client, auth, thinktank, chair, member, db):
    auth.login(chair)
    response = auth.post(f"/actions/new?thinktank={thinktank.slug}",
                         _valid(member, status="stopped", stop_reason="Geen budget meer."))
    assert response.status_code == 302
    action = db.session.scalars(select(ActionItem)).one()
    assert action.status == "stopped" and action.stop_reason == "Geen budget meer."
    html = client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert "Stopped." in html and "Geen budget meer." in html


def test_edit_changes_fields_and_keeps_the_history(client, auth, thinktank, chair, member, make_member,
                                                   adopted_idea, create_action, db):
    action = create_action(thinktank, owner=member, ideas=[adopted_idea])
    other = make_member(thinktank, display_name="Nieuwe eigenaar")
    auth.login(chair)
    html = client.get(f"/actions/{action.id}/edit").get_data(as_text=True)
    assert f'value="{action.title}"' in html and f'<option selected value="{member.id}">' in html
    assert f'id="ideas-{adopted_idea.id}" name="ideas" value="{adopted_idea.id}" checked' in html
    due = date.today() + timedelta(days=10)
    response = auth.post(f"/actions/{action.id}/edit", _valid(
        other, title="Voorlichting, verbeterd", due_date=due.isoformat(),
        start_date=action.start_date.isoformat(), status="in_progress", progress="40",
        ideas=[str(adopted_idea.id)]))
    assert response.status_code == 302
    db.session.expire_all()
    action = db.session.get(ActionItem, action.id)
    assert action.title == "Voorlichting, verbeterd" and action.owner == other and action.due_date == due
    assert action.status == "in_progress" and action.progress == 40 and action.ideas == [adopted_idea]
    html = client.get(f"/actions/{action.id}").get_data(as_text=True)
    trail = html.split('id="trail-heading"')[1]
    assert "Owner</strong>: from “Lid van de denktank” to “Nieuwe eigenaar”" in trail
    assert "Status</strong>: from “Planned” to “In progress”" in trail
    assert "Progress</strong>: from “0%” to “40%”" in trail
    assert ("Title</strong>: from “Voorlichting op alle middelbare scholen” to “Voorlichting, verbeterd”"
            in trail)
    assert "Voorzitter" in trail.split("</time>")[1][:40]  # who


@pytest.mark.parametrize("changes, field", MISTAKES[:10],
                         ids=[f"{f}-{i}" for i, (_c, f) in enumerate(MISTAKES[:10])])
def test_mistakes_in_an_edit_change_nothing(client, auth, thinktank, chair, member, create_action, changes,
                                            field, db):
    action = create_action(thinktank, owner=member)
    before = (action.title, action.progress, action.status, action.due_date, action.start_date)
    audit = _count(AuditEntry)
    auth.login(chair)
    response = auth.post(f"/actions/{action.id}/edit", _valid(member, **changes))
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    db.session.expire_all()
    action = db.session.get(ActionItem, action.id)
    assert (action.title, action.progress, action.status, action.due_date, action.start_date) == before
    assert _count(AuditEntry) == audit


def test_edit_with_milestones_leaves_progress_to_them(client, auth, thinktank, chair, member, create_action,
                                                      db):
    action = create_action(thinktank, owner=member)
    milestone = ops.add_milestone(action, by=chair, title="Stap")
    ops.set_milestone_done(milestone, by=chair, done=True)
    db.session.commit()
    auth.login(chair)
    html = client.get(f"/actions/{action.id}/edit").get_data(as_text=True)
    assert 'name="progress"' not in html and "99% done" in html
    response = auth.post(f"/actions/{action.id}/edit",
                         _valid(member, start_date=action.start_date.isoformat(), progress="5",
                                status="in_progress"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ActionItem, action.id).progress == 99  # every step ticked, but not marked done
    auth.post(f"/actions/{action.id}/edit", _valid(member, start_date=action.start_date.isoformat(),
                                                   status="done"))
    db.session.expire_all()
    assert db.session.get(ActionItem, action.id).progress == 100


def test_an_idea_that_is_no_longer_adopted_does_not_block_an_edit(client, auth, thinktank, chair, member,
                                                                  adopted_idea, create_action, db):
    action = create_action(thinktank, ideas=[adopted_idea])
    idea_ops.decide(adopted_idea, by=chair, status="discussion", answer="Toch nog even bespreken.")
    db.session.commit()
    auth.login(chair)
    response = auth.post(f"/actions/{action.id}/edit", _valid(member, title="Nieuwe titel",
                                                              start_date=action.start_date.isoformat(),
                                                              ideas=[str(adopted_idea.id)]))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ActionItem, action.id).ideas == [adopted_idea]


def test_an_idea_that_is_not_adopted_cannot_be_preselected(client, auth, thinktank, chair, idea):
    auth.login(chair)
    response = client.get(f"/actions/new?idea={idea.id}")
    assert response.status_code == 409
    assert "Only adopted ideas become action items." in response.get_data(as_text=True)
