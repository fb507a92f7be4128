"""Supporting with as little work as it takes: the statements it runs, the counters it gives back, and the rules
(members only, once per member, the think tank's limit) checked inside those statements."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, text

from samen.accounts.operations import create_api_token
from samen.core.errors import Conflict, Forbidden
from samen.ideas import operations as ops
from samen.ideas.models import Idea, Support
from samen.thinktanks.models import Membership

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both


def _supports(db: Any, idea: Idea) -> int:
    return db.session.scalar(select(func.count()).select_from(Support).where(Support.idea_id == idea.id))


def _pending(db: Any, thinktank: Any, user: Any) -> None:
    membership = db.session.scalar(select(Membership).where(Membership.thinktank_id == thinktank.id,
                                                            Membership.user_id == user.id))
    membership.status = "pending"
    db.session.commit()


# --- the operation ------------------------------------------------------------------------------------------

def test_the_counters_come_from_the_row_not_from_the_loaded_idea(idea, member, make_member, thinktank, db):
    # Others supported and commented since the idea was loaded: the answer must show their changes too.
    db.session.execute(text("UPDATE ideas SET support_count = support_count + 5, comment_count = 7 WHERE id = :id"),
                       {"id": idea.id})
    assert idea.support_count == 0
    assert ops.support_idea(idea, member) is True
    assert (idea.support_count, idea.comment_count) == (6, 7)
    assert ops.withdraw_support(idea, member) is True
    assert (idea.support_count, idea.comment_count) == (5, 7)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).support_count == 5


# The last INSERT follows the idea (samen/follows: a supporter hears what becomes of it).
@pytest.mark.parametrize("limit, expected", [(None, ["INSERT", "UPDATE", "INSERT"]),
                                             (3, ["SELECT", "INSERT", "UPDATE", "INSERT"])])
def test_a_support_is_two_statements_or_three_with_a_limit(idea, member, thinktank, db, count_queries, limit,
                                                           expected):
    thinktank.support_limit = limit
    db.session.commit()
    assert idea.thinktank is thinktank
    with count_queries() as statements:
        assert ops.support_idea(idea, member) is True
    assert [statement.split()[0].upper() for statement in statements] == expected


@pytest.mark.parametrize("limit", [None, 2])
def test_people_who_are_not_active_members_cannot_support(idea, user, member, thinktank, make_member, db, limit):
    thinktank.support_limit = limit
    pending = make_member(thinktank)
    _pending(db, thinktank, pending)
    for outsider in (user, pending):
        with pytest.raises(Forbidden) as error:
            ops.support_idea(idea, outsider)
        assert error.value.code == "not_member"
    assert _supports(db, idea) == 0
    db.session.refresh(idea)
    assert idea.support_count == 0


@pytest.mark.parametrize("limit", [None, 2])
def test_a_former_member_hears_why_even_when_they_supported_before(idea, thinktank, make_member, db, limit):
    thinktank.support_limit = limit
    supporter = make_member(thinktank)
    assert ops.support_idea(idea, supporter) is True
    _pending(db, thinktank, supporter)
    with pytest.raises(Forbidden):
        ops.support_idea(idea, supporter)
    assert _supports(db, idea) == 1


def test_who_may_not_support_at_all_hears_that_before_the_idea_is_closed(idea, user, member, chair, db):
    ops.decide(idea, by=chair, status="adopted", answer="Doen we.")
    db.session.commit()
    with pytest.raises(Forbidden):
        ops.support_idea(idea, user)
    with pytest.raises(Conflict) as error:
        ops.support_idea(idea, member)
    assert error.value.code == "closed"


def test_supporting_twice_adds_once_and_keeps_the_count(idea, member, db):
    assert ops.support_idea(idea, member) is True
    assert ops.support_idea(idea, member) is False
    db.session.commit()
    db.session.refresh(idea)
    assert (idea.support_count, _supports(db, idea)) == (1, 1)


def test_the_limit_still_holds_and_supporting_again_at_the_limit_is_no_error(thinktank, member, create_idea, db):
    thinktank.support_limit = 1
    first, second = create_idea(thinktank, member, title="Eén"), create_idea(thinktank, member, title="Twee")
    assert ops.support_idea(first, member) is True
    with pytest.raises(Conflict) as error:
        ops.support_idea(second, member)
    assert error.value.code == "support_limit"
    assert ops.support_idea(first, member) is False
    assert (_supports(db, first), _supports(db, second)) == (1, 0)


# --- the web form and the API -------------------------------------------------------------------------------

def test_supporting_through_the_form_runs_five_statements(client, auth, count_queries, member, idea, db):
    auth.login(member)
    token = auth.read_token(client, "/")
    db.session.expunge_all()
    with count_queries() as statements:
        response = client.post(f"/ideas/{idea.id}/support", data={"csrf_token": token})
    assert response.status_code == 302
    # The signed-in session, the idea with its think tank, the support, the counter, the follow (samen/follows).
    assert len(statements) == 5, statements
    assert _supports(db, idea) == 1


def test_supporting_through_the_api_answers_from_the_changed_row(client, count_queries, member, make_member,
                                                                 thinktank, idea, db):
    headers = {"Authorization": f"Bearer {create_api_token(member)}"}
    other = make_member(thinktank)
    db.session.commit()
    url = f"/api/v1/ideas/{idea.id}/support"
    ops.support_idea(idea, other)
    db.session.commit()
    assert client.get(f"/api/v1/ideas/{idea.id}", headers=headers).status_code == 200  # the token's first use
    db.session.expunge_all()
    with count_queries() as statements:
        item = client.put(url, headers=headers).get_json()
    # The token's owner, the idea with think tank and author, its tags, the caller's role, the support and the
    # counter, the follow (samen/follows): no second look at the idea or at who supports it.
    assert len(statements) == 7, statements
    assert (item["support_count"], item["supported_by_me"]) == (2, True)
    again = client.put(url, headers=headers).get_json()  # nothing added: the answer is read from the database
    assert (again["support_count"], again["supported_by_me"]) == (2, True)
    gone = client.delete(url, headers=headers).get_json()
    assert (gone["support_count"], gone["supported_by_me"]) == (1, False)
    twice = client.delete(url, headers=headers).get_json()
    assert (twice["support_count"], twice["supported_by_me"]) == (1, False)


@pytest.mark.parametrize("prefer", ["return=minimal", "respond-async, return=minimal; x=1", "RETURN = MINIMAL"])
def test_a_minimal_answer_reads_only_the_idea_and_its_think_tank(client, count_queries, member, thinktank, idea, db,
                                                                  prefer):
    headers = {"Authorization": f"Bearer {create_api_token(member)}", "Prefer": prefer}
    db.session.commit()
    url = f"/api/v1/ideas/{idea.id}/support"
    assert client.get(f"/api/v1/ideas/{idea.id}", headers=headers).status_code == 200  # the token's first use
    db.session.expunge_all()
    with count_queries() as statements:
        response = client.put(url, headers=headers)
    # The token's owner, the idea with its think tank, the support (which checks the membership), the counter,
    # the follow (samen/follows).
    assert len(statements) == 5, statements
    assert (response.status_code, response.get_data()) == (204, b"")
    assert response.headers["Preference-Applied"] == "return=minimal"
    assert _supports(db, idea) == 1
    assert client.put(url, headers=headers).status_code == 204  # again: nothing added
    assert _supports(db, idea) == 1
    assert db.session.scalar(select(Idea.support_count).where(Idea.id == idea.id)) == 1
    for _ in range(2):
        response = client.delete(url, headers=headers)
        assert (response.status_code, response.get_data()) == (204, b"")
        assert _supports(db, idea) == 0
    assert db.session.scalar(select(Idea.support_count).where(Idea.id == idea.id)) == 0


@pytest.mark.parametrize("prefer", ["return=representation", "return=minimalistic", "handling=strict"])
def test_other_preferences_get_the_idea(client, member, idea, db, prefer):
    headers = {"Authorization": f"Bearer {create_api_token(member)}", "Prefer": prefer}
    db.session.commit()
    response = client.put(f"/api/v1/ideas/{idea.id}/support", headers=headers)
    assert response.status_code == 200
    assert (response.get_json()["support_count"], response.get_json()["supported_by_me"]) == (1, True)
    assert "Preference-Applied" not in response.headers


def test_a_minimal_answer_still_refuses_what_cannot_be_supported(client, member, chair, thinktank, idea, db):
    headers = {"Authorization": f"Bearer {create_api_token(member)}", "Prefer": "return=minimal"}
    ops.decide(idea, by=chair, status="adopted", answer="Doen we.")
    db.session.commit()
    response = client.put(f"/api/v1/ideas/{idea.id}/support", headers=headers)
    assert response.status_code == 409
    assert response.get_json()["code"] == "closed"
    assert response.mimetype == "application/problem+json"
    assert _supports(db, idea) == 0
    assert client.put("/api/v1/ideas/999999/support", headers=headers).status_code == 404


# --- rising: the supports of the last week first --------------------------------------------------------------

def test_rising_orders_by_recent_supports_then_all_supports_then_newest_across_pages(thinktank, member, make_member,
                                                                                      create_idea, chair, db):
    from datetime import timedelta

    from samen.core.database import utcnow

    ideas = {name: create_idea(thinktank, member, title=name) for name in
             ("stil", "oud-populair", "week-twee", "week-een", "week-een-ouder", "verborgen", "ander-stil")}
    members = [make_member(thinktank) for _ in range(4)]
    old = utcnow() - timedelta(days=30)

    def support(name: str, n: int, *, when: Any = None) -> None:
        for supporter in members[:n]:
            ops.support_idea(ideas[name], supporter)
            if when is not None:
                db.session.execute(text("UPDATE supports SET created_at = :when WHERE idea_id = :idea AND "
                                        "user_id = :user"), {"when": when, "idea": ideas[name].id,
                                                             "user": supporter.id})

    support("oud-populair", 4, when=old)    # many supports, none recent
    support("week-twee", 2)
    support("week-een", 1)
    support("week-een-ouder", 1)
    db.session.execute(text("UPDATE supports SET created_at = :when WHERE idea_id = :idea AND user_id = :user"),
                       {"when": old, "idea": ideas["week-een-ouder"].id, "user": members[0].id})
    ops.support_idea(ideas["week-een-ouder"], members[1])  # one old and one recent support: 1 recent, 2 in all
    support("verborgen", 3)
    ops.hide(ideas["verborgen"], by=chair, reason="Reclame")
    db.session.commit()
    expected = ["week-twee", "week-een-ouder", "week-een", "oud-populair", "ander-stil", "stil"]
    titles = [idea.title for idea in ops.list_ideas(thinktank, sort="rising", per_page=20).ideas]
    assert titles == expected
    pages = [ops.list_ideas(thinktank, sort="rising", page=n, per_page=4) for n in (1, 2, 3)]
    assert [[idea.title for idea in page.ideas] for page in pages] == [expected[:4], expected[4:], []]
    assert pages[0].total == 6 and pages[0].pages == 2
    found = ops.list_ideas(thinktank, sort="rising", q="week")
    assert [idea.title for idea in found.ideas] == ["week-twee", "week-een-ouder", "week-een"]
    assert all(idea.tags == [] and idea.author is not None for idea in found.ideas)  # loaded with the page
