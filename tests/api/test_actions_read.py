"""Reading action items through the API: the list and its filters, one action, what each caller sees."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from samen.actions import operations as ops
from samen.ideas import operations as idea_ops
from tests.api.helpers import assert_problem

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both

TODAY = date.today()
ACTION_FIELDS = {"id", "thinktank", "line", "title", "description", "description_html", "owner", "organisation",
                 "start_date", "due_date", "status", "status_label", "stop_reason", "progress", "public",
                 "overdue", "due_soon", "idea_ids", "indicator_ids", "decision", "decision_html",
                 "created_at", "updated_at", "url", "owner_public_as", "organisations"}


@pytest.fixture
def headers_of(create_token):
    """Return a function that gives a user's Authorization header."""
    def headers(user):
        return {"Authorization": f"Bearer {create_token(user)}"}
    return headers


@pytest.fixture
def make_action(db, chair):
    """Return a factory for action items, created by the chair."""
    def make(thinktank, **fields):
        fields.setdefault("title", "Voorlichting op alle middelbare scholen")
        action = ops.create_action(thinktank, by=fields.pop("by", chair), **fields)
        db.session.commit()
        return action
    return make


def titles(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["title"] for item in response.get_json()["items"]]


def test_an_action_as_the_api_shows_it(client, db, thinktank, chair, member, adopted, make_action):
    indicator = ops.create_indicator(by=chair, thinktank=thinktank, name="Scholen bereikt")
    action = make_action(thinktank, owner=member.id, organisation="GGD", start_date=TODAY - timedelta(days=3),
                         due_date=TODAY + timedelta(days=5), description="**Vet** <script>alert(1)</script>",
                         decision="Besloten in *mei*.", ideas=[adopted.id], indicators=[indicator.id],
                         status="in_progress", progress=40)
    [item] = client.get("/api/v1/actions").get_json()["items"]
    assert set(item) == ACTION_FIELDS
    assert item["id"] == action.id and item["thinktank"] == "preventie"
    assert item["owner"] == {"id": member.id, "display_name": "een deelnemer"}  # no names without a token
    assert item["start_date"] == (TODAY - timedelta(days=3)).isoformat()
    assert item["due_date"] == (TODAY + timedelta(days=5)).isoformat()
    assert (item["status"], item["status_label"], item["progress"]) == ("in_progress", "Bezig", 40)
    assert (item["overdue"], item["due_soon"], item["public"]) == (False, True, True)
    assert (item["idea_ids"], item["indicator_ids"]) == ([adopted.id], [indicator.id])
    assert "<strong>Vet</strong>" in item["description_html"] and "<script" not in item["description_html"]
    assert "<em>mei</em>" in item["decision_html"]
    assert item["created_at"].endswith("Z") and item["url"] == f"http://localhost/actions/{action.id}"
    assert client.get("/api/v1/actions?lang=en").get_json()["items"][0]["status_label"] == "In progress"


def test_overdue_and_unowned(client, thinktank, make_action):
    make_action(thinktank, title="Te laat", start_date=TODAY - timedelta(days=30),
                due_date=TODAY - timedelta(days=1))
    make_action(thinktank, title="Klaar", due_date=TODAY - timedelta(days=1), status="done")
    items = {item["title"]: item for item in client.get("/api/v1/actions").get_json()["items"]}
    assert items["Te laat"]["overdue"] is True and items["Klaar"]["overdue"] is False
    assert items["Te laat"]["owner"] is None and items["Te laat"]["due_soon"] is False
    assert list(items) == ["Te laat", "Klaar"]  # overdue first


def test_hidden_ideas_are_left_out(client, db, thinktank, chair, member, create_idea, adopted, make_action):
    other = create_idea(thinktank, member, title="Tweede idee")
    idea_ops.decide(other, by=chair, status="adopted", answer="Ja.")
    action = make_action(thinktank, ideas=[adopted.id, other.id])
    idea_ops.hide(other, by=chair, reason="Persoonlijke gegevens")
    db.session.commit()
    assert client.get("/api/v1/actions").get_json()["items"][0]["idea_ids"] == [adopted.id]
    assert client.get(f"/api/v1/actions/{action.id}").get_json()["idea_ids"] == [adopted.id]


@pytest.fixture
def adopted(idea, chair, db):
    """Return the member's idea, adopted by the chair."""
    idea_ops.decide(idea, by=chair, status="adopted", answer="We gaan dit doen.")
    db.session.commit()
    return idea


def test_internal_actions_only_for_members_and_admins(client, db, thinktank, member, user, admin, chair,
                                                      create_thinktank, make_member, headers_of, make_action):
    make_action(thinktank, title="Openbaar")
    make_action(thinktank, title="Intern", public=False)
    elsewhere = create_thinktank(slug="nazorg")
    outsider = make_member(elsewhere)
    assert titles(client.get("/api/v1/actions")) == ["Openbaar"]
    for stranger in (user, outsider):
        assert titles(client.get("/api/v1/actions", headers=headers_of(stranger))) == ["Openbaar"]
    for insider in (member, chair, admin):
        response = client.get("/api/v1/actions", headers=headers_of(insider))
        assert sorted(titles(response)) == ["Intern", "Openbaar"]


def test_filters(client, db, thinktank, member, chair, create_thinktank, make_member, make_action):
    other = create_thinktank(slug="nazorg")
    other_chair = make_member(other)
    from samen.thinktanks import operations as tt_ops
    tt_ops.appoint_chair(other, other_chair)
    db.session.commit()
    make_action(thinktank, title="Van lid", owner=member.id, status="in_progress")
    make_action(thinktank, title="Te laat", start_date=TODAY - timedelta(days=9),
                due_date=TODAY - timedelta(days=2))
    make_action(other, title="Nazorg", by=other_chair)
    assert titles(client.get("/api/v1/actions?thinktank=nazorg")) == ["Nazorg"]
    assert titles(client.get("/api/v1/actions?status=in_progress")) == ["Van lid"]
    assert titles(client.get(f"/api/v1/actions?owner={member.id}")) == ["Van lid"]
    assert titles(client.get("/api/v1/actions?overdue=true")) == ["Te laat"]
    assert sorted(titles(client.get("/api/v1/actions?overdue=false"))) == ["Nazorg", "Van lid"]
    assert titles(client.get("/api/v1/actions?thinktank=preventie&overdue=false")) == ["Van lid"]
    assert len(titles(client.get("/api/v1/actions?thinktank=&status=&owner=&overdue="))) == 3


@pytest.mark.parametrize("query, field, code", [
    ("status=klaar", "status", "invalid_status"),
    ("thinktank=bestaat-niet", "thinktank", "unknown_thinktank"),
    ("thinktank=" + "x" * 300, "thinktank", "unknown_thinktank"),
    ("owner=jan", "owner", "invalid_owner"),
    ("owner=0", "owner", "invalid_owner"),
    ("owner=-3", "owner", "invalid_owner"),
    ("owner=99999999999999999999999", "owner", "invalid_owner"),
    ("owner=%C2%B2", "owner", "invalid_owner"),
    ("overdue=ja", "overdue", "invalid_overdue"),
    ("include=comments", "include", "invalid_include"),
])
def test_bad_filters_are_400(client, db, query, field, code):
    body = assert_problem(client.get(f"/api/v1/actions?{query}"), 400, code=code)
    assert list(body["errors"]) == [field]


def test_one_action_has_its_updates_and_milestones(client, db, thinktank, chair, member, make_action):
    action = make_action(thinktank, owner=member.id)
    ops.post_update(action, by=member, body="Eerste *school* bezocht.", progress=25, status="in_progress")
    ops.post_update(action, by=chair, body="Tweede school.", progress=50)
    ops.add_milestone(action, by=member, title="Scholen benaderen", due_date="2030-01-31")
    db.session.commit()
    item = client.get(f"/api/v1/actions/{action.id}").get_json()
    assert set(item) == ACTION_FIELDS | {"updates", "milestones"}
    assert [u["body"] for u in item["updates"]] == ["Tweede school.", "Eerste *school* bezocht."]
    first = item["updates"][1]
    assert "<em>school</em>" in first["body_html"]
    assert (first["progress"], first["status"], first["author"]["id"]) == (25, "in_progress", member.id)
    assert item["milestones"] == [{"id": action.milestones[0].id, "title": "Scholen benaderen",
                                   "due_date": "2030-01-31", "done": False, "done_at": None}]
    assert "updates" not in client.get("/api/v1/actions").get_json()["items"][0]
    listed = client.get("/api/v1/actions?include=updates").get_json()["items"][0]
    assert listed["updates"] == item["updates"] and listed["milestones"] == item["milestones"]


@pytest.mark.parametrize("path", ["/api/v1/actions/999999", "/api/v1/actions/99999999999999999999999",
                                  "/api/v1/actions/abc"])
def test_unknown_action_is_404(client, db, path):
    assert_problem(client.get(path), 404)


def test_internal_action_does_not_exist_for_strangers(client, thinktank, user, member, headers_of,
                                                      make_action):
    url = f"/api/v1/actions/{make_action(thinktank, public=False).id}"
    assert_problem(client.get(url), 404, code="not_found")
    assert_problem(client.get(url, headers=headers_of(user)), 404, code="not_found")
    assert client.get(url, headers=headers_of(member)).status_code == 200


def test_a_wrong_token_is_refused(client, db):
    assert_problem(client.get("/api/v1/actions", headers={"Authorization": "Bearer nee"}), 401,
                   code="invalid_token")


@pytest.mark.parametrize("query", ["", "?include=updates"])
def test_the_list_runs_a_fixed_number_of_queries(client, db, thinktank, chair, member, headers_of,
                                                 make_action, count_queries, query):
    indicator = ops.create_indicator(by=chair, thinktank=thinktank, name="Scholen bereikt")
    headers = headers_of(member)

    def add(n):
        for i in range(n):
            action = make_action(thinktank, title=f"Actie {i}", owner=member.id, indicators=[indicator.id],
                                 public=bool(i % 2))
            ops.post_update(action, by=member, body="Begonnen.", progress=10)
            ops.add_milestone(action, by=member, title="Eerste stap")
        db.session.commit()

    def run():
        client.get("/api/v1/me", headers=headers)  # the token's first use of the day is written down once
        db.session.expunge_all()  # nothing from the set-up in the identity map
        with count_queries() as statements:
            response = client.get(f"/api/v1/actions{query}", headers=headers)
        assert response.status_code == 200
        return len(response.get_json()["items"]), len(statements)

    add(3)
    few, queries_few = run()
    add(27)
    many, queries_many = run()
    assert (few, many) == (3, 30)
    assert queries_many == queries_few
