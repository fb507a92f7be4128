"""Validators and caching: ETag and Last-Modified, 304s, and public or private Cache-Control."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from werkzeug.http import http_date

from samen.actions import operations as ops

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both

PAGES = ["/progress", "/progress/actions/{action}", "/progress/report"]
DATA = ["/progress/feed.atom", "/progress/actions.csv", "/progress/actions.json", "/progress/indicators.csv",
        "/progress/indicators.json"]


def _path(template: str, plan) -> str:
    return template.format(action=plan.action.id)


def test_a_current_copy_gets_a_304(client, plan):
    for route in PAGES + DATA:
        path = _path(route, plan)
        client.get(path), client.get(path)  # a visitor's first requests set the session cookie (see below)
        first = client.get(path)
        assert first.status_code == 200
        etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
        assert etag.startswith('W/"')
        again = client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.data == b"", route
        assert again.headers["ETag"] == etag
        assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
        assert client.get(path, headers={"If-Modified-Since": last_modified}).status_code == 304, route
        assert client.get(path, headers={"If-None-Match": 'W/"something-else"'}).status_code == 200, route
        earlier = http_date(datetime.now(UTC) - timedelta(days=400))
        assert client.get(path, headers={"If-Modified-Since": earlier}).status_code == 200, route


def test_every_kind_of_change_gives_a_new_etag(client, plan, chair, admin, db):
    from sqlalchemy import update

    from samen.ideas import operations as idea_ops
    from samen.ideas.models import Idea
    from samen.thinktanks import operations as tt_ops

    changes = {
        "update": lambda: ops.post_update(plan.action, by=chair, body="Weer een school bezocht."),
        "measurement": lambda: ops.record_measurement(plan.indicator, by=admin, date="2025-06-01", value=18),
        "milestone": lambda: ops.set_milestone_done(plan.action.milestones[1], by=chair, done=True),
        "support": lambda: db.session.execute(  # counters change without a timestamp
            update(Idea).where(Idea.id == plan.idea.id).values(support_count=Idea.support_count + 1)),
        "hide": lambda: idea_ops.hide(plan.waiting, by=chair, reason="Toch niet"),
        "internal": lambda: ops.update_action(plan.overdue, by=chair, public=False),
        "rename": lambda: tt_ops.update_thinktank(plan.thinktank, {"name": "Preventie en voorlichting"}),
    }
    routes = ["/progress", f"/progress/actions/{plan.action.id}", "/progress/actions.json",
              "/progress/feed.atom"]
    etags = {route: client.get(route).headers["ETag"] for route in routes}
    for name, change in changes.items():
        change()
        db.session.commit()
        for route in routes:
            response = client.get(route, headers={"If-None-Match": etags[route]})
            assert response.status_code == 200 and response.headers["ETag"] != etags[route], (name, route)
            etags[route] = response.headers["ETag"]


def test_the_language_is_part_of_the_etag(client, plan):
    dutch = client.get("/progress").headers["ETag"]
    english = client.get("/progress?lang=en")
    assert english.headers["ETag"] != dutch
    assert client.get("/progress?lang=en", headers={"If-None-Match": dutch}).status_code == 200


def test_anonymous_pages_are_public_once_the_visitor_has_a_session(client, plan):
    first = client.get("/progress")
    # The first answer sets the session cookie (the language switch's CSRF token lives in it): never shared.
    assert "Set-Cookie" in first.headers
    assert first.headers["Cache-Control"] == "private, max-age=60"
    client.get("/progress")
    settled = client.get("/progress")
    assert "Set-Cookie" not in settled.headers
    assert settled.headers["Cache-Control"] == "public, max-age=60"
    assert "Cookie" in settled.headers["Vary"]  # the language comes from the session


def test_pages_for_signed_in_members_are_never_stored(client, auth, plan, member):
    auth.login(member)
    for route in PAGES:
        response = client.get(_path(route, plan))
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
    anonymous_etag = client.application.test_client().get("/progress").headers["ETag"]
    assert client.get("/progress").headers["ETag"] != anonymous_etag  # the header shows who is signed in


def test_open_data_is_public_but_not_stored_for_a_signed_in_user(client, auth, plan, member):
    for route in DATA:
        assert client.get(route).headers["Cache-Control"] == "public, max-age=60", route
    auth.login(member)
    for route in DATA:
        # The answer carries the member's refreshed session cookie: no cache may keep it.
        assert client.get(route).headers["Cache-Control"] == "no-store", route


def test_last_modified_is_the_latest_change(client, plan, chair, db):
    update = ops.post_update(plan.action, by=chair, body="Nog een update.")
    db.session.commit()
    stamp = datetime.strptime(client.get("/progress/actions.json").headers["Last-Modified"],
                              "%a, %d %b %Y %H:%M:%S GMT")
    assert stamp == update.created_at.replace(microsecond=0)


def test_a_304_costs_one_query(client, plan, count_queries):
    etag = client.get("/progress/actions.json").headers["ETag"]
    with count_queries() as statements:
        assert client.get("/progress/actions.json", headers={"If-None-Match": etag}).status_code == 304
    assert len(statements) == 1
