"""Idempotency-Key on the API's POSTs that create ideas and comments: the same request sent again gets the first
answer, not a second idea."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from samen.api.models import IdempotencyKey
from samen.core.database import AppSession, utcnow
from samen.ideas.models import Comment, Idea


@pytest.fixture
def post_idea(client, thinktank, member, create_token):
    """Return a function that posts an idea as the member, with an Idempotency-Key."""
    headers = {"Authorization": f"Bearer {create_token(member)}"}

    def post(key: str | None, title: str = "Fietsenstalling bij het station", **extra_headers: str):
        sent = {**headers, **({"Idempotency-Key": key} if key is not None else {}), **extra_headers}
        return client.post(f"/api/v1/thinktanks/{thinktank.slug}/ideas", json={"title": title, "body": "Graag."},
                           headers=sent)
    return post


def _ideas(db, title: str = "Fietsenstalling bij het station") -> int:
    return db.session.scalar(select(func.count()).select_from(Idea).where(Idea.title == title))


def test_the_same_request_again_gets_the_first_answer(post_idea, db):
    first = post_idea("a1b2-c3d4")
    assert first.status_code == 201
    again = post_idea("a1b2-c3d4")
    assert again.status_code == 201
    assert again.json == first.json
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert _ideas(db) == 1


def test_without_a_key_each_request_creates(post_idea, db):
    assert [post_idea(None).status_code for _ in range(2)] == [201, 201]
    assert _ideas(db) == 2


def test_the_same_key_for_another_request_is_refused(post_idea, db):
    assert post_idea("sleutel-1").status_code == 201
    refused = post_idea("sleutel-1", title="Iets anders")
    assert refused.status_code == 422
    assert refused.mimetype == "application/problem+json"
    assert refused.json["code"] == "idempotency_key_reused"
    assert _ideas(db, "Iets anders") == 0


def test_a_request_that_failed_leaves_the_key_free(post_idea, db):
    assert post_idea("sleutel-2", title="").status_code == 422  # a title is required
    assert post_idea("sleutel-2").status_code == 201
    assert _ideas(db) == 1


def test_the_first_request_still_being_handled_answers_409_with_retry_after(post_idea, member, db, client):
    first = post_idea("eerst")
    db.session.execute(update(IdempotencyKey).where(IdempotencyKey.key == "eerst").values(status=None))
    db.session.commit()
    answer = post_idea("eerst")
    assert answer.status_code == 409 and answer.json["code"] == "idempotency_key_in_use"
    assert answer.headers["Retry-After"] == "1"
    assert first.status_code == 201 and _ideas(db) == 1


def test_keys_are_per_user(post_idea, client, thinktank, make_member, create_token, db):
    assert post_idea("gedeeld").status_code == 201
    other = make_member(thinktank)
    answer = client.post(f"/api/v1/thinktanks/{thinktank.slug}/ideas",
                         json={"title": "Fietsenstalling bij het station", "body": "Graag."},
                         headers={"Authorization": f"Bearer {create_token(other)}", "Idempotency-Key": "gedeeld"})
    assert answer.status_code == 201 and "Idempotent-Replayed" not in answer.headers
    assert _ideas(db) == 2


def test_a_key_is_forgotten_after_its_lifetime(post_idea, app, db):
    assert post_idea("oud").status_code == 201
    hours = app.config["IDEMPOTENCY_KEY_HOURS"]
    db.session.execute(update(IdempotencyKey).values(created_at=utcnow() - timedelta(hours=hours, minutes=1)))
    db.session.commit()
    assert post_idea("oud").status_code == 201
    assert _ideas(db) == 2


@pytest.mark.parametrize("key", ["", "x" * 101, "met\x01stuurteken", "  "])
def test_a_key_that_is_not_one_line_of_at_most_100_characters_is_refused(post_idea, db, key):
    answer = post_idea(key)
    assert answer.status_code == 400, answer.json  # a malformed header, as for any other bad input
    assert answer.json["errors"]["Idempotency-Key"]
    assert answer.mimetype == "application/problem+json"
    assert _ideas(db) == 0


def test_a_comment_sent_again_is_stored_once(client, idea, member, create_token, db):
    headers = {"Authorization": f"Bearer {create_token(member)}", "Idempotency-Key": "reactie-1"}
    answers = [client.post(f"/api/v1/ideas/{idea.id}/comments", json={"body": "Eens!"}, headers=headers)
               for _ in range(2)]
    assert [answer.status_code for answer in answers] == [201, 201]
    assert answers[0].json == answers[1].json
    assert db.session.scalar(select(func.count()).select_from(Comment).where(Comment.idea_id == idea.id)) == 1


def test_retention_removes_answers_older_than_their_lifetime(post_idea, app, db):
    from samen.privacy import operations as privacy_ops

    assert post_idea("bewaard").status_code == 201
    assert post_idea("verlopen", title="Ander idee").status_code == 201
    hours = app.config["IDEMPOTENCY_KEY_HOURS"]
    db.session.execute(update(IdempotencyKey).where(IdempotencyKey.key == "verlopen")
                       .values(created_at=utcnow() - timedelta(hours=hours, minutes=1)))
    db.session.commit()
    privacy_ops.apply_retention(app.config, dry_run=False)
    db.session.commit()
    assert set(db.session.scalars(select(IdempotencyKey.key))) == {"bewaard"}


class Killed(BaseException):
    """The process dies (the OOM killer, SIGKILL): nothing after this point of the request happens."""


@pytest.mark.parametrize("path", ["idea", "comment"])
def test_a_process_killed_right_after_storing_leaves_the_answer_for_the_retry(
        client, thinktank, idea, member, create_token, db, monkeypatch, path):
    # The answer is stored on the key by the commit that stores the idea or comment, not by a second one: a
    # process killed right after that commit leaves the retry the first answer, not "still being handled".
    headers = {"Authorization": f"Bearer {create_token(member)}", "Idempotency-Key": f"dood-{path}"}
    if path == "idea":
        url, sent = f"/api/v1/thinktanks/{thinktank.slug}/ideas", {"title": "Na de crash", "body": "Graag."}
    else:
        url, sent = f"/api/v1/ideas/{idea.id}/comments", {"body": "Na de crash"}
    model = Idea if path == "idea" else Comment
    column = Idea.title if path == "idea" else Comment.body
    stored = select(func.count()).select_from(model).where(column == "Na de crash")
    real_commit = AppSession.commit

    def commit_then_die(self):
        real_commit(self)
        if self.scalar(stored):  # the commit that stored it: the process dies here
            monkeypatch.setattr(AppSession, "commit", real_commit)
            raise Killed

    monkeypatch.setattr(AppSession, "commit", commit_then_die)
    with pytest.raises(Killed):
        client.post(url, json=sent, headers=headers)
    again = client.post(url, json=sent, headers=headers)
    assert again.status_code == 201, again.json
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert db.session.scalar(stored) == 1
    assert again.json["id"] == db.session.scalar(select(model.id).where(column == "Na de crash"))
