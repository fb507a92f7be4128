"""Supporting, discussing, deciding and reporting ideas through the API."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from samen.ideas import operations as ops
from samen.ideas.models import Comment, Idea, Report, Support
from samen.thinktanks import operations as tt_ops
from tests.api.helpers import assert_problem


@pytest.fixture
def headers_of(create_token):
    """Return a function that gives a user's Authorization header."""
    def headers(user):
        return {"Authorization": f"Bearer {create_token(user)}"}
    return headers


@pytest.fixture
def fan(make_member, thinktank, headers_of):
    """Return the Authorization header of another member of the think tank."""
    return headers_of(make_member(thinktank, display_name="Buurtbewoner"))


def count(db, model, **where):
    return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


# --- support ------------------------------------------------------------------------------------------------

def test_support_is_idempotent_and_can_be_withdrawn(client, db, idea, fan):
    url = f"/api/v1/ideas/{idea.id}/support"
    for _ in range(2):
        response = client.put(url, headers=fan)
        assert response.status_code == 200, response.get_data(as_text=True)
        item = response.get_json()
        assert (item["id"], item["support_count"], item["supported_by_me"]) == (idea.id, 1, True)
    assert count(db, Support, idea_id=idea.id) == 1
    for _ in range(2):
        response = client.delete(url, headers=fan)
        assert response.status_code == 200
        assert (response.get_json()["support_count"], response.get_json()["supported_by_me"]) == (0, False)
    assert count(db, Support, idea_id=idea.id) == 0


def test_support_counts_every_member(client, db, idea, make_member, thinktank, headers_of):
    for expected in (1, 2, 3):
        headers = headers_of(make_member(thinktank))
        item = client.put(f"/api/v1/ideas/{idea.id}/support", headers=headers).get_json()
        assert item["support_count"] == expected
    assert client.get(f"/api/v1/ideas/{idea.id}").get_json()["support_count"] == 3


def test_support_has_a_limit(client, db, thinktank, member, create_idea, fan):
    thinktank.support_limit = 1
    db.session.commit()
    first, second = (create_idea(thinktank, member, title=title) for title in ("Eén", "Twee"))
    assert client.put(f"/api/v1/ideas/{first.id}/support", headers=fan).status_code == 200
    assert client.put(f"/api/v1/ideas/{first.id}/support", headers=fan).status_code == 200  # the same again
    assert_problem(client.put(f"/api/v1/ideas/{second.id}/support", headers=fan), 409, code="support_limit")
    assert client.delete(f"/api/v1/ideas/{first.id}/support", headers=fan).status_code == 200
    assert client.put(f"/api/v1/ideas/{second.id}/support", headers=fan).status_code == 200


@pytest.mark.parametrize("change", ["adopted", "withdrawn", "hidden"])
def test_closed_ideas_cannot_be_supported(client, db, idea, member, chair, fan, change):
    if change == "adopted":
        ops.decide(idea, by=chair, status="adopted", answer="Doen we.")
    elif change == "withdrawn":
        ops.withdraw_idea(idea, by=member)
    else:
        ops.hide(idea, by=chair, reason="Reclame")
    db.session.commit()
    assert_problem(client.put(f"/api/v1/ideas/{idea.id}/support", headers=fan), 409, code="closed")
    assert count(db, Support, idea_id=idea.id) == 0


def test_nothing_changes_in_an_archived_think_tank(client, db, idea, thinktank, fan, headers_of, chair):
    client.put(f"/api/v1/ideas/{idea.id}/support", headers=fan)
    tt_ops.archive_thinktank(thinktank)
    db.session.commit()
    base = f"/api/v1/ideas/{idea.id}"
    for response in (client.put(f"{base}/support", headers=fan),
                     client.delete(f"{base}/support", headers=fan),
                     client.post(f"{base}/comments", headers=fan, json={"body": "Nog iets"}),
                     client.post(f"{base}/reports", headers=fan, json={"reason": "Spam"}),
                     client.post(f"{base}/status", headers=headers_of(chair),
                                 json={"status": "adopted", "answer": "Ja"})):
        assert_problem(response, 409, code="archived")
    assert count(db, Support, idea_id=idea.id) == 1
    assert client.get(base).get_json()["status"] == "new"


# --- comments -----------------------------------------------------------------------------------------------

def test_a_member_comments_and_replies(client, db, idea, fan, headers_of, member):
    url = f"/api/v1/ideas/{idea.id}/comments"
    response = client.post(url, headers=fan,
                           json={"body": "Goed *plan*.", "author": "x", "id": 7, "hidden": True})
    assert response.status_code == 201, response.get_data(as_text=True)
    comment = response.get_json()
    assert (comment["author"], comment["body_html"], comment["parent_id"]) == (
        "Buurtbewoner", "<p>Goed <em>plan</em>.</p>", None)
    assert (comment["hidden"], comment["deleted"], comment["replies"]) == (False, False, [])
    reply = client.post(url, headers=headers_of(member), json={"body": "Dank!", "parent_id": comment["id"]})
    assert reply.status_code == 201
    assert (reply.get_json()["parent_id"], reply.get_json()["by_idea_author"]) == (comment["id"], True)
    deeper = client.post(url, headers=fan, json={"body": "Graag.", "parent_id": reply.get_json()["id"]})
    assert deeper.get_json()["parent_id"] == comment["id"]  # one level deep
    [listed] = client.get(url).get_json()["items"]
    assert [r["body"] for r in listed["replies"]] == ["Dank!", "Graag."]
    assert client.get(f"/api/v1/ideas/{idea.id}").get_json()["comment_count"] == 3


def test_a_reply_to_a_comment_of_another_idea_is_refused(client, db, idea, thinktank, member, create_idea,
                                                         fan):
    other = create_idea(thinktank, member, title="Ander idee")
    elsewhere = ops.add_comment(other, author=member, body="Elders")
    db.session.commit()
    url = f"/api/v1/ideas/{idea.id}/comments"
    for parent_id in (elsewhere.id, 999_999, 2**70, -1, 0):
        response = client.post(url, headers=fan, json={"body": "Hoi", "parent_id": parent_id})
        problem = assert_problem(response, 422)
        assert list(problem["errors"]) == ["parent_id"]
    assert count(db, Comment, idea_id=idea.id) == 0


@pytest.mark.parametrize("body, field", [
    ({}, "body"),
    ({"body": ""}, "body"),
    ({"body": " \n "}, "body"),
    ({"body": 3}, "body"),
    ({"body": "x" * (ops.COMMENT_MAX + 1)}, "body"),
    ({"body": "Hoi", "parent_id": "1"}, "parent_id"),
    ({"body": "Hoi", "parent_id": 1.5}, "parent_id"),
    ({"body": "Hoi", "parent_id": True}, "parent_id"),
])
def test_a_bad_comment_is_a_422(client, db, idea, fan, body, field):
    problem = assert_problem(client.post(f"/api/v1/ideas/{idea.id}/comments", headers=fan, json=body), 422)
    assert list(problem["errors"]) == [field]


def test_a_withdrawn_idea_is_closed_for_comments(client, db, idea, member, fan):
    ops.withdraw_idea(idea, by=member)
    db.session.commit()
    assert_problem(client.post(f"/api/v1/ideas/{idea.id}/comments", headers=fan, json={"body": "Hoi"}), 409,
                   code="closed")


# --- decisions ----------------------------------------------------------------------------------------------

def test_a_chair_decides_with_an_answer(client, db, idea, chair, headers_of):
    response = client.post(f"/api/v1/ideas/{idea.id}/status?lang=en", headers=headers_of(chair),
                           json={"status": "adopted", "answer": "We gaan het **doen**."})
    assert response.status_code == 200, response.get_data(as_text=True)
    item = response.get_json()
    assert (item["status"], item["status_label"]) == ("adopted", "Adopted")
    assert item["answer"] == "We gaan het **doen**."
    assert item["answer_html"] == "<p>We gaan het <strong>doen</strong>.</p>"
    assert item["answered_at"].endswith("Z")
    assert item["author_for_moderation"] == "Lid van de denktank"
    [change] = ops.status_history(db.session.get(Idea, idea.id))
    assert (change.from_status, change.to_status, change.actor_id) == ("new", "adopted", chair.id)


def test_merging_needs_another_idea_of_the_think_tank(client, db, idea, thinktank, member, chair, create_idea,
                                                      create_thinktank, headers_of):
    target = create_idea(thinktank, member, title="Het grotere idee")
    elsewhere_tank = create_thinktank(slug="nazorg")
    stranger = ops.create_idea(elsewhere_tank, author=tt_ops.join_thinktank(elsewhere_tank, member).user,
                               title="Ver weg")
    db.session.commit()
    url, headers = f"/api/v1/ideas/{idea.id}/status", headers_of(chair)
    for merged_into in (None, idea.id, stranger.id, 999_999, 2**70, "1"):
        body = {"status": "merged", "answer": "Samengevoegd."}
        if merged_into is not None:
            body["merged_into"] = merged_into
        problem = assert_problem(client.post(url, headers=headers, json=body), 422)
        assert list(problem["errors"]) == ["merged_into"]
    response = client.post(url, headers=headers,
                           json={"status": "merged", "answer": "Samen.", "merged_into": target.id})
    assert response.status_code == 200
    assert (response.get_json()["status"], response.get_json()["merged_into"]) == ("merged", target.id)


@pytest.mark.parametrize("body, field", [
    ({"answer": "Ja"}, "status"),
    ({"status": "bestaat-niet", "answer": "Ja"}, "status"),
    ({"status": "password_hash", "answer": "Ja"}, "status"),
    ({"status": "NEW", "answer": "Ja"}, "status"),
    ({"status": 1, "answer": "Ja"}, "status"),
    ({"status": "adopted"}, "answer"),
    ({"status": "adopted", "answer": " "}, "answer"),
    ({"status": "adopted", "answer": "x" * (ops.ANSWER_MAX + 1)}, "answer"),
])
def test_a_bad_decision_is_a_422(client, db, idea, chair, headers_of, body, field):
    response = client.post(f"/api/v1/ideas/{idea.id}/status", headers=headers_of(chair), json=body)
    problem = assert_problem(response, 422)
    assert list(problem["errors"]) == [field]
    assert db.session.get(Idea, idea.id).status == "new"


def test_an_unknown_status_has_its_own_code(client, idea, chair, headers_of):
    response = client.post(f"/api/v1/ideas/{idea.id}/status", headers=headers_of(chair),
                           json={"status": "bestaat-niet", "answer": "Ja"})
    assert_problem(response, 422, code="invalid_status")


def test_only_chairs_and_admins_decide(client, db, idea, member, fan, admin, headers_of):
    body = {"status": "rejected", "answer": "Nee."}
    for headers in (fan, headers_of(member)):
        assert_problem(client.post(f"/api/v1/ideas/{idea.id}/status", headers=headers, json=body), 403,
                       code="not_chair")
    response = client.post(f"/api/v1/ideas/{idea.id}/status", headers=headers_of(admin), json=body)
    assert response.status_code == 200


# --- reports ------------------------------------------------------------------------------------------------

def test_a_member_reports_an_idea_and_a_comment(client, db, idea, member, fan):
    comment = ops.add_comment(idea, author=member, body="Iets naars")
    db.session.commit()
    url = f"/api/v1/ideas/{idea.id}/reports"
    response = client.post(url, headers=fan, json={"reason": "Persoonlijke gegevens"})
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["idea_id"], body["comment_id"], body["reason"]) == (idea.id, None, "Persoonlijke gegevens")
    on_comment = client.post(url, headers=fan,
                             json={"reason": "Scheldwoord", "comment_id": comment.id}).get_json()
    assert (on_comment["idea_id"], on_comment["comment_id"]) == (idea.id, comment.id)
    reports = {entry.id: entry for entry in ops.open_reports(idea.thinktank)}
    assert reports[body["id"]].idea_id == idea.id
    assert reports[on_comment["id"]].comment_id == comment.id


@pytest.mark.parametrize("body, field", [
    ({}, "reason"),
    ({"reason": ""}, "reason"),
    ({"reason": "x" * (ops.REASON_MAX + 1)}, "reason"),
    ({"reason": "Spam", "comment_id": 999_999}, "comment_id"),
    ({"reason": "Spam", "comment_id": 2**70}, "comment_id"),
    ({"reason": "Spam", "comment_id": "1"}, "comment_id"),
])
def test_a_bad_report_is_a_422(client, db, idea, fan, body, field):
    problem = assert_problem(client.post(f"/api/v1/ideas/{idea.id}/reports", headers=fan, json=body), 422)
    assert list(problem["errors"]) == [field]
    assert count(db, Report) == 0


def test_a_comment_of_another_idea_cannot_be_reported_here(client, db, idea, thinktank, member, create_idea,
                                                           fan):
    other = create_idea(thinktank, member, title="Ander idee")
    elsewhere = ops.add_comment(other, author=member, body="Elders")
    db.session.commit()
    response = client.post(f"/api/v1/ideas/{idea.id}/reports", headers=fan,
                           json={"reason": "Spam", "comment_id": elsewhere.id})
    assert list(assert_problem(response, 422)["errors"]) == ["comment_id"]
