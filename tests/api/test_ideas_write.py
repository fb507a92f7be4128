"""Posting, changing and withdrawing ideas through the API; what a client may not set is never applied."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from samen.ideas import operations as ops
from samen.ideas.models import Idea
from samen.thinktanks import operations as tt_ops
from tests.api.helpers import assert_problem

LIST = "/api/v1/thinktanks/preventie/ideas"
# Fields of an idea that only the server sets, with values a client might try.
READ_ONLY = {"id": 424242, "author": "Iemand anders", "author_for_moderation": "x", "status": "adopted",
             "status_label": "Adopted", "answer": "Ja", "answer_html": "<b>Ja</b>",
             "answered_at": "2020-01-01",
             "merged_into": 1, "support_count": 99, "comment_count": 99, "created_at": "2000-01-01T00:00:00Z",
             "updated_at": "2000-01-01T00:00:00Z", "withdrawn": True, "hidden": True, "hidden_reason": "x",
             "supported_by_me": True, "thinktank": "elders", "url": "https://evil.example/",
             "author_id": 1, "thinktank_id": 999, "hidden_at": "2020-01-01", "withdrawn_at": "2020-01-01"}


@pytest.fixture
def as_member(create_token, member):
    """Return the member's Authorization header."""
    return {"Authorization": f"Bearer {create_token(member)}"}


@pytest.fixture
def tags(db, thinktank):
    """Offer the tags 'ouders' and 'school' in the think tank."""
    for name in ("Ouders", "School"):
        ops.create_tag(thinktank, name)
    db.session.commit()


def idea_count(db):
    return db.session.scalar(select(func.count()).select_from(Idea))


def stored(db, idea_id):
    """Return the idea as the database has it now."""
    db.session.expire_all()
    return db.session.get(Idea, idea_id)


# --- posting ------------------------------------------------------------------------------------------------

def test_a_member_posts_an_idea(client, db, as_member, tags, member):
    response = client.post(LIST, headers=as_member, json={
        "title": "  Vrijplaats  ", "body": "Met *jongerenwerkers*.", "tags": ["school", "Ouders"],
        "anonymous": True})
    assert response.status_code == 201, response.get_data(as_text=True)
    item = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/ideas/{item['id']}")
    assert (item["title"], item["body_html"]) == ("Vrijplaats", "<p>Met <em>jongerenwerkers</em>.</p>")
    assert (item["tags"], item["anonymous"], item["author"]) == (["ouders", "school"], True, None)
    assert (item["status"], item["support_count"], item["supported_by_me"]) == ("new", 0, False)
    posted = stored(db, item["id"])
    assert (posted.author_id, posted.thinktank.slug) == (member.id, "preventie")
    assert client.get(response.headers["Location"]).get_json()["title"] == "Vrijplaats"


def test_a_title_is_enough(client, as_member):
    item = client.post(LIST, headers=as_member, json={"title": "Kort"}).get_json()
    assert (item["body"], item["tags"], item["anonymous"]) == ("", [], False)


def test_fields_the_server_sets_are_ignored_when_posting(client, db, as_member, member):
    response = client.post(LIST, headers=as_member, json={"title": "Eerlijk", **READ_ONLY})
    assert response.status_code == 201
    item = response.get_json()
    assert item["id"] != READ_ONLY["id"]
    assert (item["thinktank"], item["author"], item["status"], item["answer"]) == (
        "preventie", "Lid van de denktank", "new", None)
    assert (item["support_count"], item["comment_count"]) == (0, 0)
    assert (item["withdrawn"], item["hidden"]) == (False, False)
    assert not item["created_at"].startswith("2000")
    posted = stored(db, item["id"])
    assert (posted.author_id, posted.status) == (member.id, "new")
    assert (posted.hidden_at, posted.withdrawn_at) == (None, None)


BAD_IDEAS = [
    ({}, "title"),
    ({"title": ""}, "title"),
    ({"title": "   "}, "title"),
    ({"title": None}, "title"),
    ({"title": 42}, "title"),
    ({"title": ["a"]}, "title"),
    ({"title": "x" * (ops.TITLE_MAX + 1)}, "title"),
    ({"title": "nul\x00teken"}, "title"),
    ({"title": "Goed", "body": "x" * (ops.BODY_MAX + 1)}, "body"),
    ({"title": "Goed", "body": 1}, "body"),
    ({"title": "Goed", "anonymous": "yes"}, "anonymous"),
    ({"title": "Goed", "anonymous": 1}, "anonymous"),
    ({"title": "Goed", "tags": "ouders"}, "tags"),
    ({"title": "Goed", "tags": [1]}, "tags"),
    ({"title": "Goed", "tags": [""]}, "tags"),
    ({"title": "Goed", "tags": {"ouders": True}}, "tags"),
    ({"title": "Goed", "tags": ["x" * 41]}, "tags"),
    ({"title": "Goed", "tags": ["ouders"] * 21}, "tags"),
    ({"title": "Goed", "tags": ["ouders", "bestaat-niet"]}, "tags"),
    ({"title": "Goed", "tags": ["nul\x00"]}, "tags"),
]


@pytest.mark.parametrize("body, field", BAD_IDEAS)
def test_a_bad_idea_is_a_422_that_names_the_field(client, db, as_member, tags, body, field):
    problem = assert_problem(client.post(LIST, headers=as_member, json=body), 422)
    assert list(problem["errors"]) == [field]
    assert idea_count(db) == 0


def test_an_unknown_tag_has_its_own_code(client, as_member, tags):
    response = client.post(LIST, headers=as_member, json={"title": "Goed", "tags": ["bestaat-niet"]})
    assert "bestaat-niet" in assert_problem(response, 422, code="unknown_tag")["errors"]["tags"][0]


@pytest.mark.parametrize("data, content_type, status", [
    (b'{"title": "', "application/json", 400),
    (b"[]", "application/json", 400),
    (b'"titel"', "application/json", 400),
    (b"title=Goed", "application/x-www-form-urlencoded", 415),
    (b'{"title": "Goed"}', "text/plain", 415),
    (b'{"title": "' + b"x" * 5_000_000 + b'"}', "application/json", 413),
    (b'{"title": "Goed", "body": "' + b"x" * 1_000_000 + b'"}', "application/json", 422),
])
def test_a_body_that_is_not_a_json_object_of_fitting_size(client, db, as_member, data, content_type, status):
    assert_problem(client.post(LIST, headers=as_member, data=data, content_type=content_type), status)
    assert idea_count(db) == 0


def test_posting_needs_a_token_membership_and_an_open_think_tank(client, db, thinktank, user, create_token,
                                                                 as_member):
    assert_problem(client.post(LIST, json={"title": "Goed"}), 401, code="token_required")
    outsider = {"Authorization": f"Bearer {create_token(user)}"}
    assert_problem(client.post(LIST, headers=outsider, json={"title": "Goed"}), 403, code="not_member")
    tt_ops.archive_thinktank(thinktank)
    db.session.commit()
    assert_problem(client.post(LIST, headers=as_member, json={"title": "Goed"}), 409, code="archived")
    response = client.post("/api/v1/thinktanks/bestaat-niet/ideas", headers=as_member, json={"title": "x"})
    assert_problem(response, 404, code="not_found")


# --- changing -----------------------------------------------------------------------------------------------

def test_the_author_changes_the_idea_and_the_old_version_is_kept(client, db, idea, as_member, tags):
    response = client.patch(f"/api/v1/ideas/{idea.id}", headers=as_member, json={
        "title": "Beter idee", "body": "Nieuwe *tekst*.", "tags": ["ouders"], "anonymous": True})
    assert response.status_code == 200, response.get_data(as_text=True)
    item = response.get_json()
    assert (item["title"], item["tags"]) == ("Beter idee", ["ouders"])
    assert item["body_html"] == "<p>Nieuwe <em>tekst</em>.</p>"
    assert (item["anonymous"], item["author"]) == (True, None)
    [version] = ops.versions(stored(db, idea.id), moderator=True)
    assert version.title == "Vrijplaats waar jongeren open met elkaar kunnen praten"


def test_a_change_leaves_what_is_not_sent(client, db, idea, as_member, tags):
    client.patch(f"/api/v1/ideas/{idea.id}", headers=as_member, json={"tags": ["school"], "anonymous": True})
    item = client.patch(f"/api/v1/ideas/{idea.id}", headers=as_member,
                        json={"body": "Alleen de tekst."}).get_json()
    assert (item["title"], item["body"]) == (idea.title, "Alleen de tekst.")
    assert (item["tags"], item["anonymous"]) == (["school"], True)
    assert client.patch(f"/api/v1/ideas/{idea.id}", headers=as_member, json={}).get_json()["body"] == \
        "Alleen de tekst."


@pytest.mark.parametrize("empty", ["", None])
def test_a_change_can_empty_the_body_and_the_tags(client, db, idea, as_member, tags, empty):
    client.patch(f"/api/v1/ideas/{idea.id}", headers=as_member, json={"tags": ["school"]})
    item = client.patch(f"/api/v1/ideas/{idea.id}", headers=as_member,
                        json={"body": empty, "tags": [] if empty == "" else None}).get_json()
    assert (item["body"], item["tags"]) == ("", [])


def test_fields_the_server_sets_are_ignored_when_changing(client, db, idea, as_member, member):
    before = client.get(f"/api/v1/ideas/{idea.id}", headers=as_member).get_json()
    response = client.patch(f"/api/v1/ideas/{idea.id}", headers=as_member,
                            json={"title": "Nieuw", **READ_ONLY})
    assert response.status_code == 200
    item = response.get_json()
    for name in ("id", "thinktank", "author", "status", "status_label", "answer", "answer_html",
                 "answered_at", "merged_into", "support_count", "comment_count", "created_at", "withdrawn",
                 "hidden", "hidden_reason", "supported_by_me", "url"):
        assert item[name] == before[name], name
    assert item["title"] == "Nieuw"
    row = stored(db, idea.id)
    assert (row.id, row.author_id, row.status, row.support_count, row.thinktank_id) == (
        idea.id, member.id, "new", 0, idea.thinktank_id)
    assert (row.withdrawn_at, row.hidden_at, row.answer) == (None, None, None)


@pytest.mark.parametrize("body, field", [
    ({"title": ""}, "title"),
    ({"title": "  "}, "title"),
    ({"title": None}, "title"),
    ({"title": "x" * (ops.TITLE_MAX + 1)}, "title"),
    ({"body": "x" * (ops.BODY_MAX + 1)}, "body"),
    ({"anonymous": None}, "anonymous"),
    ({"anonymous": "false"}, "anonymous"),
    ({"tags": ["bestaat-niet"]}, "tags"),
    ({"tags": "school"}, "tags"),
])
def test_a_bad_change_is_a_422_and_changes_nothing(client, db, idea, as_member, tags, body, field):
    problem = assert_problem(client.patch(f"/api/v1/ideas/{idea.id}", headers=as_member, json=body), 422)
    assert list(problem["errors"]) == [field]
    row = stored(db, idea.id)
    assert (row.title, row.body, row.anonymous, row.tags) == (idea.title, idea.body, False, [])


def test_only_the_author_changes_an_idea(client, idea, chair, admin, create_token):
    for other in (chair, admin):
        headers = {"Authorization": f"Bearer {create_token(other)}"}
        response = client.patch(f"/api/v1/ideas/{idea.id}", headers=headers, json={"title": "Overgenomen"})
        assert_problem(response, 403, code="not_author")


# --- withdrawing --------------------------------------------------------------------------------------------

def test_the_author_withdraws_an_idea(client, db, idea, as_member):
    response = client.delete(f"/api/v1/ideas/{idea.id}", headers=as_member)
    assert (response.status_code, response.get_data()) == (204, b"")
    assert stored(db, idea.id).withdrawn_at is not None
    assert client.delete(f"/api/v1/ideas/{idea.id}", headers=as_member).status_code == 204  # again: no change
    assert client.get(f"/api/v1/ideas/{idea.id}").get_json()["withdrawn"] is True
    assert client.get(LIST).get_json()["total"] == 0
    assert_problem(client.patch(f"/api/v1/ideas/{idea.id}", headers=as_member, json={"title": "Toch"}), 409,
                   code="withdrawn")


def test_archived_ideas_cannot_change(client, db, idea, thinktank, as_member):
    tt_ops.archive_thinktank(thinktank)
    db.session.commit()
    url = f"/api/v1/ideas/{idea.id}"
    assert_problem(client.patch(url, headers=as_member, json={"title": "Nieuw"}), 409, code="archived")
    assert_problem(client.delete(url, headers=as_member), 409, code="archived")
    assert stored(db, idea.id).withdrawn_at is None
