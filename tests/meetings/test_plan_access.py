"""Who may open which meeting page and send which form: every role against every route; a refusal changes
nothing."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask, request_started
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from samen.accounts.models import User
from samen.audit.models import AuditEntry
from samen.core.database import db as _db
from samen.meetings import operations as ops
from samen.meetings.models import AgendaItem, Meeting, Registration
from samen.thinktanks import operations as tt_ops
from samen.thinktanks.models import ThinkTank
from tests.conftest import PASSWORD
from tests.meetings.conftest import soon

QUICK_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")


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


START = soon(14)
MEETING_FORM = {"title": "Nieuwe avond", "starts_at": START.strftime("%Y-%m-%dT%H:%M"),
                "ends_at": (START + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"), "location": "Hal",
                "visibility": "public"}

# In this order: what changes things comes after what only reads.
ROUTES = [
    ("list", "GET", "/meetings/", None),
    ("show", "GET", "/meetings/{meeting}", None),
    ("private", "GET", "/meetings/{private}", None),
    ("pprivate", "GET", "/meetings/{pprivate}", None),
    ("ics", "GET", "/meetings/{meeting}.ics", None),
    ("pics", "GET", "/meetings/{private}.ics", None),
    ("feed", "GET", "/meetings/calendar.ics", None),
    ("new", "GET", "/meetings/new?thinktank={slug}", None),
    ("newpl", "GET", "/meetings/new", None),
    ("edit", "GET", "/meetings/{meeting}/edit", None),
    ("agenda", "GET", "/meetings/{meeting}/agenda", None),
    ("item", "GET", "/meetings/{meeting}/agenda/{item}/edit", None),
    ("reg", "POST", "/meetings/{meeting}/register", {}),
    ("regpriv", "POST", "/meetings/{private}/register", {}),
    ("unreg", "POST", "/meetings/{meeting}/unregister", {}),
    ("create", "POST", "/meetings/new?thinktank={slug}", MEETING_FORM),
    ("plenary", "POST", "/meetings/new", MEETING_FORM),
    ("save", "POST", "/meetings/{meeting}/edit", {**MEETING_FORM, "title": "Andere titel"}),
    ("additem", "POST", "/meetings/{meeting}/agenda", {"title": "Extra punt", "planned_minutes": "5"}),
    ("saveitem", "POST", "/meetings/{meeting}/agenda/{item}/edit", {"title": "Ander punt", "planned_minutes": "5"}),
    ("move", "POST", "/meetings/{meeting}/agenda/{item}/move", {"direction": "down"}),
    ("delitem", "POST", "/meetings/{meeting}/agenda/{item}/delete", {}),
    ("cancel", "POST", "/meetings/{spare}/cancel", {}),
]
# 200/403: the page or the refusal; 302: done, back to a page; login: sent to sign in first; 404: a members-only
# meeting does not exist for whoever may not see it (as in the API, and as for an unknown number).
#                  list show private pprivate ics  pics feed new  newpl edit agenda item
READS = {
    "anonymous":   "200  200  404     404      200  404  200 login login login login login",
    "outsider":    "200  200  404     404      200  404  200  403  403   403  403    403",
    "member":      "200  200  200     200      200  200  200  403  403   403  403    403",
    "chair":       "200  200  200     200      200  200  200  200  200   200  200    200",
    "other_chair": "200  200  404     200      200  404  200  403  200   403  403    403",
    "admin":       "200  200  200     200      200  200  200  200  200   200  200    200",
}
#                  reg   regpriv unreg create plenary save additem saveitem move delitem cancel
WRITES = {
    "anonymous":   "login login  login login  login   login login  login    login login  login",
    "outsider":    "302   404    302   403    403     403  403     403      403  403     403",
    "member":      "302   302    302   403    403     403  403     403      403  403     403",
    "chair":       "302   302    302   302    302     302  302     302      302  302     302",
    "other_chair": "302   404    302   403    302     403  403     403      403  403     403",
    "admin":       "302   302    302   302    302     302  302     302      302  302     302",
}
EXPECTED = {role: f"{READS[role]} {WRITES[role]}" for role in READS}
PLANNING = ("create", "plenary", "save", "additem", "saveitem", "move", "delitem", "cancel")


@dataclass
class Place:
    """A think tank with a public meeting (with an agenda item), a members-only one, a members-only plenary,
    a spare meeting to call off, and every role."""

    thinktank: ThinkTank
    meeting: Meeting
    private: Meeting
    pprivate: Meeting
    spare: Meeting
    item: AgendaItem
    people: dict[str, User]


def _place(create_thinktank: Callable[..., ThinkTank], create_user: Callable[..., User]) -> Place:
    thinktank, elsewhere = create_thinktank(), create_thinktank()
    people = {role: create_user(display_name=f"Rol {role}", is_admin=role == "admin")
              for role in ("outsider", "member", "chair", "other_chair", "admin")}
    tt_ops.join_thinktank(thinktank, people["member"])
    tt_ops.appoint_chair(thinktank, people["chair"])
    tt_ops.appoint_chair(elsewhere, people["other_chair"])
    chair = people["chair"]

    def plan(target: ThinkTank | None, title: str, **fields: Any) -> Meeting:
        return ops.create_meeting(target, by=chair, title=title, starts_at=soon(7), ends_at=soon(7) + timedelta(
            hours=2), location="Het Grote Huis", **fields)

    meeting = plan(thinktank, "Open avond", agenda=[{"title": "Welkom"}, {"title": "Ideeën"}])
    private = plan(thinktank, "Besloten avond", public=False)
    pprivate = plan(None, "Besloten plenaire avond", public=False)
    spare = plan(thinktank, "Reserve-avond")
    _db.session.commit()
    return Place(thinktank, meeting, private, pprivate, spare, meeting.agenda[0], people)


def _outcome(client: FlaskClient, auth: Any, method: str, path: str, data: dict[str, str] | None) -> str:
    response = client.get(path) if method == "GET" else auth.post(path, data)
    if response.status_code == 302 and response.headers["Location"].startswith("/login"):
        return "login"
    return str(response.status_code)


def _snapshot() -> dict[str, Any]:
    """Return what the planning forms could change."""
    _db.session.expire_all()
    counts = {model.__name__: _db.session.scalar(select(func.count()).select_from(model))
              for model in (Meeting, AgendaItem, AuditEntry)}
    titles = sorted(_db.session.scalars(select(Meeting.title)))
    items = sorted(_db.session.execute(select(AgendaItem.title, AgendaItem.position)).all())
    return {**counts, "titles": titles, "items": items}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_roles_and_routes(client, auth, create_thinktank, create_user, role):
    place = _place(create_thinktank, create_user)
    if role != "anonymous":
        auth.login(place.people[role])
    before = _snapshot()
    names = {"slug": place.thinktank.slug, "meeting": place.meeting.id, "private": place.private.id,
             "pprivate": place.pprivate.id, "spare": place.spare.id, "item": place.item.id}
    actual = {}
    for name, method, path, data in ROUTES:
        actual[name] = _outcome(client, auth, method, path.format(**names), data)
    assert actual == dict(zip([name for name, *_rest in ROUTES], EXPECTED[role].split(), strict=True))
    planned = dict(zip([name for name, *_rest in ROUTES], EXPECTED[role].split(), strict=True))
    if not any(planned[name] == "302" for name in PLANNING):
        assert _snapshot() == before
    if role in ("anonymous", "outsider"):
        registered = _db.session.scalars(select(Registration.meeting_id).where(Registration.status != "cancelled"))
        assert place.private.id not in set(registered)


def test_refusals_say_why(client, auth, create_thinktank, create_user):
    place = _place(create_thinktank, create_user)
    auth.login(place.people["outsider"])
    assert client.get(f"/meetings/{place.private.id}").status_code == 404
    html = client.get(f"/meetings/{place.meeting.id}/edit").get_data(as_text=True)
    assert "Only the chairs can change this meeting." in html
    html = client.get(f"/meetings/new?thinktank={place.thinktank.slug}").get_data(as_text=True)
    assert "Only the chairs of this think tank can plan its meetings." in html


def test_an_unknown_meeting_or_item_is_404(client, auth, create_thinktank, create_user):
    place = _place(create_thinktank, create_user)
    auth.login(place.people["chair"])
    assert client.get("/meetings/999999").status_code == 404
    assert client.get("/meetings/999999.ics").status_code == 404
    assert client.get(f"/meetings/{place.private.id}/agenda/{place.item.id}/edit").status_code == 404
    assert client.get("/meetings/new?thinktank=bestaat-niet").status_code == 404
    assert client.get(f"/meetings/{2**70}").status_code == 404
