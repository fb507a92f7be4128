"""Who may open which action page and send which form: every role against every route; a refusal changes
nothing."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask, request_started
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from samen.accounts.models import User
from samen.actions import operations as ops
from samen.actions.models import ActionItem, Indicator, Measurement, Milestone, ProgressUpdate
from samen.audit.models import AuditEntry
from samen.core.database import db as _db
from samen.thinktanks import operations as tt_ops
from samen.thinktanks.models import ThinkTank
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


# In this order: what changes things comes after what only reads.
ROUTES = [
    ("new", "GET", "/actions/new?thinktank={slug}", None),
    ("show", "GET", "/actions/{action}", None),
    ("internal", "GET", "/actions/{internal}", None),
    ("edit", "GET", "/actions/{action}/edit", None),
    ("mine", "GET", "/actions/mine", None),
    ("dash", "GET", "/thinktanks/{slug}/actions", None),
    ("inds", "GET", "/indicators", None),
    ("newind", "GET", "/indicators/new?thinktank={slug}", None),
    ("ind", "GET", "/indicators/{indicator}", None),
    ("create", "POST", "/actions/new?thinktank={slug}", {"title": "Nieuwe actie"}),
    ("save", "POST", "/actions/{action}/edit", {"title": "Andere titel"}),
    ("update", "POST", "/actions/{action}/updates", {"body": "Verder gekomen", "progress": "30"}),
    ("milestone", "POST", "/actions/{action}/milestones", {"title": "Nog een stap"}),
    ("toggle", "POST", "/milestones/{milestone}/toggle", {"done": "1"}),
    ("createind", "POST", "/indicators/new?thinktank={slug}",
     {"scope": "{slug}", "name": "Meldingen", "direction": "down"}),
    ("measure", "POST", "/indicators/{indicator}/measurements", {"date": "2026-06-01", "value": "12,5"}),
]
# 200/403: the page or the refusal; 302: done, back to a page; login: sent to sign in first; 404: an internal
# action does not exist for whoever may not see it (as in the API).
#                  new   show internal edit  mine dash inds newind ind
READS = {
    "anonymous":   "login 200  404      login login 200 200  login  200",
    "outsider":    "403   200  404      403   200   200 200  403    200",
    "member":      "403   200  200      403   200   200 200  403    200",
    "owner":       "403   200  200      403   200   200 200  403    200",
    "chair":       "200   200  200      200   200   200 200  200    200",
    "other_chair": "403   200  404      403   200   200 200  403    200",
    "admin":       "200   200  200      200   200   200 200  200    200",
}
#                  create save  update milestone toggle createind measure
WRITES = {
    "anonymous":   "login  login login  login     login  login     login",
    "outsider":    "403    403   403    403       403    403       403",
    "member":      "403    403   403    403       403    403       403",
    "owner":       "403    403   302    302       302    403       403",
    "chair":       "302    302   302    302       302    302       302",
    "other_chair": "403    403   403    403       403    403       403",
    "admin":       "302    302   302    302       302    302       302",
}
EXPECTED = {role: f"{READS[role]} {WRITES[role]}" for role in READS}


@dataclass
class Place:
    """A think tank with a public and an internal action, a milestone and an indicator, and every role."""

    thinktank: ThinkTank
    action: ActionItem
    internal: ActionItem
    milestone: Milestone
    indicator: Indicator
    people: dict[str, User]


def _place(create_thinktank: Callable[..., ThinkTank], create_user: Callable[..., User]) -> Place:
    thinktank, elsewhere = create_thinktank(), create_thinktank()
    people = {role: create_user(display_name=f"Rol {role}", is_admin=role == "admin")
              for role in ("outsider", "member", "owner", "chair", "other_chair", "admin")}
    for role in ("member", "owner"):
        tt_ops.join_thinktank(thinktank, people[role])
    tt_ops.appoint_chair(thinktank, people["chair"])
    tt_ops.appoint_chair(elsewhere, people["other_chair"])
    today = date.today()
    action = ops.create_action(thinktank, by=people["chair"], title="Voorlichting", owner=people["owner"],
                               start_date=today, due_date=today + timedelta(days=30))
    internal = ops.create_action(thinktank, by=people["chair"], title="Intern overleg", public=False)
    milestone = ops.add_milestone(action, by=people["chair"], title="Eerste school")
    indicator = ops.create_indicator(by=people["chair"], thinktank=thinktank, name="Bereikte jongeren")
    _db.session.commit()
    return Place(thinktank, action, internal, milestone, indicator, people)


def _outcome(client: FlaskClient, auth: Any, method: str, path: str, data: dict[str, str] | None) -> str:
    response = client.get(path) if method == "GET" else auth.post(path, data)
    if response.status_code == 302 and response.headers["Location"].startswith("/login"):
        return "login"
    return str(response.status_code)


def _snapshot(place: Place) -> dict[str, Any]:
    """Return what the forms could change: row counts, the action's title and progress, the milestone."""
    _db.session.expire_all()
    counts = {model.__name__: _db.session.scalar(select(func.count()).select_from(model))
              for model in (ActionItem, ProgressUpdate, Milestone, Indicator, Measurement, AuditEntry)}
    action = _db.session.get(ActionItem, place.action.id)
    milestone = _db.session.get(Milestone, place.milestone.id)
    return {**counts, "title": action.title, "progress": action.progress, "done": milestone.done_at}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_roles_and_routes(client, auth, create_thinktank, create_user, role):
    place = _place(create_thinktank, create_user)
    if role != "anonymous":
        auth.login(place.people[role])
    before = _snapshot(place)
    names = {"slug": place.thinktank.slug, "action": place.action.id, "internal": place.internal.id,
             "milestone": place.milestone.id, "indicator": place.indicator.id}
    actual = {}
    for name, method, path, data in ROUTES:
        form = {key: value.format(**names) for key, value in data.items()} if data is not None else None
        actual[name] = _outcome(client, auth, method, path.format(**names), form)
    assert actual == dict(zip([name for name, *_rest in ROUTES], EXPECTED[role].split(), strict=True))
    if "302" not in EXPECTED[role]:
        assert _snapshot(place) == before


def test_plan_indicators_are_for_admins(client, auth, create_thinktank, create_user, db):
    place = _place(create_thinktank, create_user)
    plan_indicator = ops.create_indicator(by=place.people["admin"], name="Drugsgebruik onder jongeren")
    db.session.commit()
    auth.login(place.people["chair"])
    assert auth.post(f"/indicators/{plan_indicator.id}/measurements",
                     {"date": "2026-06-01", "value": "3"}).status_code == 403
    response = auth.post("/indicators/new", {"scope": "", "name": "Voor het hele plan", "direction": "up"})
    assert response.status_code == 422  # a chair is not offered the whole plan
    html = client.get("/indicators/new").get_data(as_text=True)
    assert '<option value="">' not in html and f'<option value="{place.thinktank.slug}">' in html
    assert db.session.scalar(select(func.count()).select_from(Measurement)) == 0
    assert db.session.scalar(select(func.count()).select_from(Indicator)) == 2
    auth.logout()
    auth.login(place.people["admin"])
    assert auth.post("/indicators/new", {"scope": "", "name": "Voor het hele plan",
                                         "direction": "up"}).status_code == 302
    assert auth.post(f"/indicators/{plan_indicator.id}/measurements",
                     {"date": "2026-06-01", "value": "3"}).status_code == 302


def test_people_who_run_nothing_cannot_define_indicators(client, auth, create_thinktank, create_user):
    place = _place(create_thinktank, create_user)
    auth.login(place.people["member"])
    assert client.get("/indicators/new").status_code == 403
    assert "New indicator" not in client.get("/indicators").get_data(as_text=True)


def test_refusals_say_why(client, auth, create_thinktank, create_user):
    place = _place(create_thinktank, create_user)
    auth.login(place.people["outsider"])
    html = client.get(f"/actions/{place.action.id}/edit").get_data(as_text=True)
    assert "Only the chairs of this think tank can do this." in html


def test_sign_in_leads_back_to_the_page(client, create_thinktank, create_user):
    place = _place(create_thinktank, create_user)
    response = client.get(f"/actions/{place.action.id}/edit")
    assert response.headers["Location"] == f"/login?next=%2Factions%2F{place.action.id}%2Fedit"


def test_an_internal_action_does_not_exist_for_outsiders(client, auth, create_thinktank, create_user):
    place = _place(create_thinktank, create_user)
    assert client.get(f"/actions/{place.internal.id}").status_code == 404
    auth.login(place.people["outsider"])
    html = client.get(f"/actions/{place.internal.id}").get_data(as_text=True)
    assert "Intern overleg" not in html and "internal" not in html.lower()


def test_unknown_things_are_404(client, auth, create_thinktank, create_user):
    place = _place(create_thinktank, create_user)
    auth.login(place.people["chair"])
    for path in ("/actions/999999", "/actions/999999/edit", "/indicators/999999",
                 "/thinktanks/nergens/actions", "/actions/new", "/actions/new?thinktank=nergens",
                 "/actions/new?idea=999999", "/actions/new?idea=abc", "/indicators/new?thinktank=nergens"):
        assert client.get(path).status_code == 404, path
    for path in ("/actions/999999/updates", "/actions/999999/milestones", "/milestones/999999/toggle",
                 "/indicators/999999/measurements"):
        data = {"body": "x", "title": "x", "date": "2026-01-01", "value": "1"}
        assert auth.post(path, data).status_code == 404


def test_archived_think_tank_takes_no_new_actions(client, auth, create_thinktank, create_user, db):
    place = _place(create_thinktank, create_user)
    tt_ops.archive_thinktank(place.thinktank)
    db.session.commit()
    auth.login(place.people["chair"])
    response = client.get(f"/actions/new?thinktank={place.thinktank.slug}")
    assert response.status_code == 409
    assert "archived" in response.get_data(as_text=True)
    assert auth.post(f"/actions/new?thinktank={place.thinktank.slug}", {"title": "Toch"}).status_code == 409
    assert db.session.scalar(select(func.count()).select_from(ActionItem)) == 2
    html = client.get(f"/thinktanks/{place.thinktank.slug}/actions").get_data(as_text=True)
    assert "New action item" not in html
