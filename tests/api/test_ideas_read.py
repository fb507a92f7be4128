"""Reading ideas through the API: the list (sorted, filtered, paged), one idea, and its discussion."""
from __future__ import annotations

from datetime import datetime

import pytest

from samen.ideas import operations as ops
from tests.api.helpers import assert_problem

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both

LIST = "/api/v1/thinktanks/preventie/ideas"
IDEA_FIELDS = {"id", "thinktank", "title", "body", "body_html", "author", "anonymous", "status",
               "status_label", "answer", "answer_html", "answered_at", "merged_into", "support_count",
               "comment_count", "tags", "created_at", "updated_at", "withdrawn", "hidden", "hidden_reason",
               "review", "review_reason", "supported_by_me", "url"}


@pytest.fixture
def headers_of(create_token):
    """Return a function that gives a user's Authorization header (none for None)."""
    def headers(user):
        return {"Authorization": f"Bearer {create_token(user)}"} if user is not None else {}
    return headers


def titles(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["title"] for item in response.get_json()["items"]]


def test_an_idea_in_the_list_has_every_field(client, db, thinktank, member, create_idea):
    tag = ops.create_tag(thinktank, "Ouders")
    posted = create_idea(thinktank, member, title="Praatgroep", body="Met **koffie**.", tags=[tag.slug])
    response = client.get(f"{LIST}?lang=en")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["page"], body["per_page"], body["total"], body["pages"]) == (1, 20, 1, 1)
    [item] = body["items"]
    assert set(item) == IDEA_FIELDS  # no author_for_moderation for the public
    assert item["id"] == posted.id
    assert item["thinktank"] == "preventie"
    assert (item["title"], item["body"]) == ("Praatgroep", "Met **koffie**.")
    assert item["body_html"] == "<p>Met <strong>koffie</strong>.</p>"
    assert item["author"] == "a participant"  # no names without a token (core/names.py)
    assert (item["status"], item["status_label"]) == ("new", "New")
    assert (item["answer"], item["answer_html"], item["answered_at"]) == (None, None, None)
    assert (item["support_count"], item["comment_count"], item["tags"]) == (0, 0, ["ouders"])
    assert (item["anonymous"], item["withdrawn"], item["hidden"], item["supported_by_me"]) == (
        False, False, False, False)
    assert item["url"].endswith(f"/ideas/{posted.id}")
    assert item["created_at"].endswith("Z")
    assert datetime.fromisoformat(item["created_at"]) and datetime.fromisoformat(item["updated_at"])


def test_the_detail_is_the_list_item(client, idea):
    listed = client.get(LIST).get_json()["items"][0]
    response = client.get(f"/api/v1/ideas/{idea.id}")
    assert response.status_code == 200
    assert response.get_json() == listed


def test_html_is_sanitised(client, db, thinktank, member, chair, create_idea):
    unsafe = '**vet** <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>'
    posted = create_idea(thinktank, member, body=unsafe)
    ops.decide(posted, by=chair, status="discussion", answer=unsafe)
    db.session.commit()
    item = client.get(f"/api/v1/ideas/{posted.id}").get_json()
    assert item["body"] == unsafe  # stored as written; only the HTML is derived
    for html in (item["body_html"], item["answer_html"]):
        assert "<strong>vet</strong>" in html
        for bad in ("<script", "javascript:", "onerror", "<img"):
            assert bad not in html


def test_an_answered_idea(client, db, idea, chair):
    ops.decide(idea, by=chair, status="adopted", answer="We gaan het *doen*.")
    db.session.commit()
    item = client.get(f"/api/v1/ideas/{idea.id}?lang=en").get_json()
    assert (item["status"], item["status_label"]) == ("adopted", "Adopted")
    assert item["answer_html"] == "<p>We gaan het <em>doen</em>.</p>"
    assert item["answered_at"].endswith("Z")


def test_an_anonymous_idea_hides_its_author_except_from_moderators(client, thinktank, member, chair, admin,
                                                                   create_idea, headers_of):
    posted = create_idea(thinktank, member, anonymous=True)
    url = f"/api/v1/ideas/{posted.id}"
    for viewer in (None, member):
        item = client.get(url, headers=headers_of(viewer)).get_json()
        assert (item["author"], item["anonymous"]) == (None, True)
        assert "author_for_moderation" not in item
    for moderator in (chair, admin):
        item = client.get(url, headers=headers_of(moderator)).get_json()
        assert item["author"] is None
        assert item["author_for_moderation"] == "Lid van de denktank"
    listed = client.get(LIST, headers=headers_of(chair)).get_json()["items"][0]
    assert (listed["author"], listed["author_for_moderation"]) == (None, "Lid van de denktank")


def test_supported_by_me(client, db, idea, make_member, thinktank, headers_of):
    fan = make_member(thinktank)
    ops.support_idea(idea, fan)
    db.session.commit()
    assert client.get(LIST, headers=headers_of(fan)).get_json()["items"][0]["supported_by_me"] is True
    detail = client.get(f"/api/v1/ideas/{idea.id}", headers=headers_of(fan)).get_json()
    assert detail["supported_by_me"] is True
    assert client.get(LIST).get_json()["items"][0]["supported_by_me"] is False


@pytest.fixture
def ranked(db, thinktank, member, chair, make_member, create_idea):
    """Return three ideas: 'oud' with most support, 'besproken' with most comments, 'nieuw' the newest."""
    tag = ops.create_tag(thinktank, "School")
    old = create_idea(thinktank, member, title="Oud idee over ouders", tags=[tag.slug])
    discussed = create_idea(thinktank, member, title="Besproken idee")
    new = create_idea(thinktank, member, title="Nieuw idee over ouders", tags=[tag.slug])
    for _ in range(2):
        ops.support_idea(old, make_member(thinktank))
    ops.support_idea(new, make_member(thinktank))
    for _ in range(3):
        ops.add_comment(discussed, author=member, body="Goed plan.")
    ops.decide(discussed, by=chair, status="discussion", answer="We bespreken het.")
    db.session.commit()
    return {"old": old, "discussed": discussed, "new": new}


@pytest.mark.parametrize("query, expected", [
    ("", ["Oud idee over ouders", "Nieuw idee over ouders", "Besproken idee"]),
    ("sort=support", ["Oud idee over ouders", "Nieuw idee over ouders", "Besproken idee"]),
    ("sort=new", ["Nieuw idee over ouders", "Besproken idee", "Oud idee over ouders"]),
    ("sort=discussed", ["Besproken idee", "Nieuw idee over ouders", "Oud idee over ouders"]),
    ("sort=rising", ["Oud idee over ouders", "Nieuw idee over ouders", "Besproken idee"]),
    ("status=discussion", ["Besproken idee"]),
    ("status=new&sort=new", ["Nieuw idee over ouders", "Oud idee over ouders"]),
    ("status=adopted", []),
    ("tag=school&sort=new", ["Nieuw idee over ouders", "Oud idee over ouders"]),
    ("q=ouders&sort=new", ["Nieuw idee over ouders", "Oud idee over ouders"]),
    ("q=besproken", ["Besproken idee"]),
    ("q=skatebaan", []),
    ("q=&status=&tag=&sort=&page=&per_page=", ["Oud idee over ouders", "Nieuw idee over ouders",
                                               "Besproken idee"]),
])
def test_sort_filter_and_search(client, ranked, query, expected):
    assert titles(client.get(f"{LIST}?{query}")) == expected


def test_paging(client, ranked):
    first = client.get(f"{LIST}?per_page=2").get_json()
    second = client.get(f"{LIST}?per_page=2&page=2").get_json()
    beyond = client.get(f"{LIST}?per_page=2&page=3").get_json()
    assert [len(page["items"]) for page in (first, second, beyond)] == [2, 1, 0]
    assert (first["page"], first["per_page"], first["total"], first["pages"]) == (1, 2, 3, 2)
    assert (second["page"], beyond["page"], beyond["total"]) == (2, 3, 3)
    assert client.get(f"{LIST}?per_page=100").get_json()["per_page"] == 100


def test_withdrawn_and_hidden_ideas_are_not_listed(client, db, ranked, chair):
    ops.withdraw_idea(ranked["old"], by=ranked["old"].author)
    ops.hide(ranked["new"], by=chair, reason="Scheldwoorden")
    db.session.commit()
    body = client.get(LIST).get_json()
    assert [item["title"] for item in body["items"]] == ["Besproken idee"]
    assert body["total"] == 1


@pytest.mark.parametrize("query, code", [
    ("sort=password_hash", "invalid_sort"),
    ("sort=support;drop", "invalid_sort"),
    ("status=bestaat-niet", "invalid_status"),
    ("page=abc", "invalid_page"),
    ("page=0", "invalid_page"),
    ("page=-1", "invalid_page"),
    ("page=1.5", "invalid_page"),
    ("page=99999999999999999999999", "invalid_page"),
    ("per_page=abc", "invalid_per_page"),
    ("per_page=0", "invalid_per_page"),
    ("per_page=101", "invalid_per_page"),
    ("per_page=1e3", "invalid_per_page"),
    ("tag=bestaat-niet", "unknown_tag"),
    ("tag=%00", "unknown_tag"),
    (f"q={'a' * 201}", "invalid"),
])
def test_bad_query_parameters_are_a_400(client, idea, query, code):
    body = assert_problem(client.get(f"{LIST}?{query}"), 400, code=code)
    assert len(body["errors"]) == 1  # the parameter at fault


def test_withdrawn_idea_stays_readable(client, db, idea, member):
    ops.withdraw_idea(idea, by=member)
    db.session.commit()
    item = client.get(f"/api/v1/ideas/{idea.id}").get_json()
    assert (item["withdrawn"], item["title"]) == (True, idea.title)


def test_hidden_idea_is_a_placeholder_except_for_moderators(client, db, idea, member, chair, admin,
                                                            headers_of):
    ops.hide(idea, by=chair, reason="Persoonlijke gegevens")
    db.session.commit()
    url = f"/api/v1/ideas/{idea.id}"
    for viewer in (None, member):  # the author too
        response = client.get(url, headers=headers_of(viewer))
        assert response.status_code == 200
        placeholder = response.get_json()
        assert set(placeholder) == {"id", "thinktank", "hidden", "hidden_reason", "url"}
        assert (placeholder["id"], placeholder["hidden"]) == (idea.id, True)
        assert placeholder["hidden_reason"] == "Persoonlijke gegevens"
        assert_problem(client.get(f"{url}/comments", headers=headers_of(viewer)), 404, code="hidden")
    for moderator in (chair, admin):
        item = client.get(url, headers=headers_of(moderator)).get_json()
        assert (item["title"], item["hidden"]) == (idea.title, True)
        assert item["hidden_reason"] == "Persoonlijke gegevens"
        assert client.get(f"{url}/comments", headers=headers_of(moderator)).status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/ideas/999999", "/api/v1/ideas/abc", "/api/v1/ideas/-1",
                                  "/api/v1/ideas/1.5", "/api/v1/ideas/99999999999999999999999",
                                  "/api/v1/ideas/9223372036854775808/comments", "/api/v1/ideas/%00",
                                  "/api/v1/thinktanks/bestaat-niet/ideas"])
def test_unknown_or_malformed_addresses_are_a_404(client, idea, path):
    assert_problem(client.get(path), 404)


def test_comments_with_replies_placeholders_and_hidden_reasons(client, db, idea, thinktank, member, chair,
                                                               make_member, headers_of):
    other = make_member(thinktank, display_name="Buurtbewoner")
    first = ops.add_comment(idea, author=other, body="Goed *idee*.")
    reply = ops.add_comment(idea, author=member, body="Dank je.", parent=first)
    deleted = ops.add_comment(idea, author=other, body="Oeps.")
    hidden = ops.add_comment(idea, author=other, body="Iets geheims")
    ops.add_comment(idea, author=other, body="Antwoord op een antwoord", parent=reply)
    ops.delete_comment(deleted, by=other)
    ops.hide(hidden, by=chair, reason="Persoonlijke gegevens")
    db.session.commit()
    response = client.get(f"/api/v1/ideas/{idea.id}/comments")
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert [item["id"] for item in items] == [first.id, deleted.id, hidden.id]
    top = items[0]
    assert (top["author"], top["body"]) == ("een deelnemer", "Goed *idee*.")  # no names without a token
    assert top["body_html"] == "<p>Goed <em>idee</em>.</p>"
    assert (top["parent_id"], top["by_idea_author"]) == (None, False)
    assert (top["deleted"], top["hidden"]) == (False, False)
    assert [r["body"] for r in top["replies"]] == ["Dank je.", "Antwoord op een antwoord"]  # one level deep
    assert top["replies"][0]["by_idea_author"] is True
    assert all(r["parent_id"] == first.id and "replies" not in r for r in top["replies"])
    gone = items[1]
    assert (gone["deleted"], gone["author"], gone["body"], gone["body_html"]) == (True, None, "", "")
    moderated = items[2]
    assert (moderated["hidden"], moderated["body"]) == (True, "")
    assert moderated["hidden_reason"] == "Persoonlijke gegevens"
    as_chair = client.get(f"/api/v1/ideas/{idea.id}/comments", headers=headers_of(chair)).get_json()["items"]
    assert "Iets geheims" not in str(as_chair) and "Iets geheims" not in response.get_data(as_text=True)
    assert as_chair[0]["author_for_moderation"] == "Buurtbewoner"


def test_the_anonymous_author_stays_anonymous_in_the_discussion(client, db, thinktank, member, create_idea,
                                                                chair, headers_of):
    posted = create_idea(thinktank, member, anonymous=True)
    ops.add_comment(posted, author=member, body="Aanvulling van mij.")
    db.session.commit()
    [comment] = client.get(f"/api/v1/ideas/{posted.id}/comments").get_json()["items"]
    assert (comment["author"], comment["by_idea_author"]) == (None, True)
    response = client.get(f"/api/v1/ideas/{posted.id}/comments", headers=headers_of(chair))
    [seen_by_chair] = response.get_json()["items"]
    assert seen_by_chair["author_for_moderation"] == "Lid van de denktank"


@pytest.mark.parametrize("viewer", ["anonymous", "member", "chair"])
def test_the_list_runs_a_fixed_number_of_queries(client, db, thinktank, member, chair, make_member,
                                                 create_idea, headers_of, count_queries, viewer):
    caller = {"anonymous": None, "member": member, "chair": chair}[viewer]
    headers = headers_of(caller)
    tags = [ops.create_tag(thinktank, name).slug for name in ("Ouders", "School", "Sport")]
    fans = [make_member(thinktank) for _ in range(3)]

    def add_ideas(n: int) -> None:
        for i in range(n):
            author = fans[i % 3]
            posted = create_idea(thinktank, author, title=f"Idee {i}", tags=tags[: i % 4],
                                 anonymous=i % 2 == 0)
            for fan in fans[: i % 4]:
                ops.support_idea(posted, fan)
            if caller is not None and i % 2:
                ops.support_idea(posted, caller)
            if i % 3 == 0:
                ops.add_comment(posted, author=fans[0], body="Mee eens.")
        db.session.commit()

    def queries_for_list(expected: int) -> int:
        with count_queries() as statements:
            response = client.get(f"{LIST}?per_page=100", headers=headers)
        items = response.get_json()["items"]
        assert len(items) == expected
        if caller is not None:
            assert any(item["supported_by_me"] for item in items)
        return len(statements)

    add_ideas(3)
    client.get(LIST, headers=headers)  # the token's first use records when it was used
    few = queries_for_list(3)
    add_ideas(27)
    assert queries_for_list(30) == few
    # the think tank, the count, the ideas with their authors, their tags; with a token also its owner, the
    # caller's membership (are they a chair?) and which ideas they support
    assert few == (4 if caller is None else 7)
