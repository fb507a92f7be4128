"""The public progress of the plan through the API: counts of public actions, per think tank, the latest
updates."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from samen.actions import operations as ops
from samen.thinktanks import operations as tt_ops

TODAY = date.today()


@pytest.fixture
def make_action(db, chair):
    """Return a factory for action items, created by the chair."""
    def make(thinktank, **fields):
        fields.setdefault("title", "Voorlichting op alle middelbare scholen")
        action = ops.create_action(thinktank, by=fields.pop("by", chair), **fields)
        db.session.commit()
        return action
    return make


def test_summary_counts_public_actions_only(client, db, thinktank, chair, member, create_thinktank,
                                            make_action):
    create_thinktank(slug="nazorg", name="Nazorg", position=5)
    done = make_action(thinktank, title="Klaar", status="done", owner=member.id)
    make_action(thinktank, title="Te laat", start_date=TODAY - timedelta(days=9),
                due_date=TODAY - timedelta(days=1))
    secret = make_action(thinktank, title="Geheim", public=False, due_date=TODAY - timedelta(days=1))
    ops.post_update(done, by=member, body="Alle *scholen* bezocht.", progress=100)
    ops.post_update(secret, by=chair, body="Geheime voortgang.")
    db.session.commit()

    response = client.get("/api/v1/progress")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["total"], body["overdue"], body["share_done"]) == (2, 1, 50)
    assert body["per_status"] == {"planned": 1, "in_progress": 0, "done": 1, "delayed": 0, "stopped": 0}
    preventie, nazorg = body["thinktanks"]
    assert (preventie["slug"], preventie["total"], preventie["overdue"], preventie["per_status"]["done"]) == (
        "preventie", 2, 1, 1)
    assert (nazorg["slug"], nazorg["name"], nazorg["total"], nazorg["archived"]) == (
        "nazorg", "Nazorg", 0, False)
    [update] = body["latest_updates"]
    assert update["action"] == {"id": done.id, "title": "Klaar", "thinktank": "preventie",
                                "url": f"http://localhost/actions/{done.id}"}
    assert (update["body"], update["progress"], update["author"]["id"]) == ("Alle *scholen* bezocht.", 100,
                                                                            member.id)
    assert "<em>scholen</em>" in update["body_html"]
    assert "Geheim" not in response.get_data(as_text=True)


def test_no_token_is_needed_or_looked_at(client, db, admin, create_token):
    assert client.get("/api/v1/progress").status_code == 200
    assert client.get("/api/v1/progress", headers={"Authorization": "Bearer nee"}).status_code == 200
    # An admin's token does not show internal actions here either: the summary is the public one.
    as_admin = {"Authorization": f"Bearer {create_token(admin)}"}
    assert client.get("/api/v1/progress", headers=as_admin).get_json()["total"] == 0


def test_archived_think_tanks_come_last(client, db, thinktank, create_thinktank):
    old = create_thinktank(slug="oud", name="Aanpak oud", position=-1)
    tt_ops.archive_thinktank(old)
    db.session.commit()
    items = client.get("/api/v1/progress").get_json()["thinktanks"]
    assert [(item["slug"], item["archived"]) for item in items] == [("preventie", False), ("oud", True)]


def test_latest_updates_are_the_last_ten(client, db, thinktank, chair, make_action):
    action = make_action(thinktank)
    for n in range(12):
        ops.post_update(action, by=chair, body=f"Update {n}")
    db.session.commit()
    bodies = [update["body"] for update in client.get("/api/v1/progress").get_json()["latest_updates"]]
    assert bodies == [f"Update {n}" for n in range(11, 1, -1)]


def test_a_fixed_number_of_queries(client, db, thinktank, chair, member, create_thinktank, make_action,
                                   count_queries):
    other = create_thinktank(slug="nazorg")
    tt_ops.appoint_chair(other, chair)
    db.session.commit()

    def add(n):
        for i in range(n):
            action = make_action(thinktank if i % 2 else other, title=f"Actie {i}",
                                 owner=member.id if i % 2 else None, public=i % 3 != 0,
                                 start_date=TODAY - timedelta(days=10),
                                 due_date=TODAY + timedelta(days=i - 5))
            ops.post_update(action, by=chair, body="Begonnen.", progress=10)
        db.session.commit()

    def run():
        db.session.expunge_all()
        with count_queries() as statements:
            response = client.get("/api/v1/progress")
        assert response.status_code == 200
        return response.get_json()["total"], len(statements)

    add(3)
    few, queries_few = run()
    add(27)
    many, queries_many = run()
    assert (few, many) == (2, 20)
    assert queries_many == queries_few
