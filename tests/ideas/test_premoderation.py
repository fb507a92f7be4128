"""Pre-moderation: chairs switch it on; what members post then waits, seen only by its author and the chairs, until
a chair approves it or refuses it with a reason."""
from __future__ import annotations


import pytest
from sqlalchemy import select

from samen.audit.models import AuditEntry
from samen.core.errors import DomainError, Forbidden
from samen.ideas import operations as ops
from samen.ideas import review
from samen.ideas.models import Comment, Idea
from samen.notifications.models import Notification
from tests.conftest import speak

MESSAGES = {
    "en": {"idea waits": "Your idea is waiting for approval", "comment waits": "Your comment is waiting for approval",
           "banner": "Waiting for approval.", "refused": "Not approved: Noemt een leerling",
           "no reason": "Give the reason for refusing: the author is told.", "on": "Pre-moderation is on"},
    "nl": {"idea waits": "Je idee wacht op goedkeuring", "comment waits": "Je reactie wacht op goedkeuring",
           "banner": "Wacht op goedkeuring.", "refused": "Niet goedgekeurd: Noemt een leerling",
           "no reason": "Geef de reden om af te keuren: de schrijver krijgt die te horen.",
           "on": "Voormoderatie staat aan"},
}


pytestmark = pytest.mark.usefixtures("like_production")



@pytest.fixture
def moderated(thinktank, chair, db):
    """Return the think tank with pre-moderation switched on by its chair."""
    review.set_premoderation(thinktank, by=chair, on=True)
    db.session.commit()
    return thinktank


def page(client, path):
    return client.get(path).get_data(as_text=True)


# --- the setting --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_chair_switches_pre_moderation_on_and_off_and_it_is_audited(client, auth, thinktank, chair, db, language):
    auth.login(chair)
    speak(client, language)
    answer = auth.post(f"/thinktanks/{thinktank.slug}/premoderation", {"on": "on"}, follow_redirects=True)
    assert MESSAGES[language]["on"] in answer.get_data(as_text=True)
    assert db.session.get(type(thinktank), thinktank.id).premoderation is True
    auth.post(f"/thinktanks/{thinktank.slug}/premoderation", {"on": "off"})
    assert db.session.get(type(thinktank), thinktank.id).premoderation is False
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "thinktank.premoderation")
                                 .order_by(AuditEntry.id)).all()
    assert [(entry.actor_id, entry.data) for entry in entries] == [(chair.id, {"on": True}), (chair.id, {"on": False})]


def test_only_chairs_and_admins_switch_it(client, auth, thinktank, member, admin, db):
    path = f"/thinktanks/{thinktank.slug}/premoderation"
    assert auth.post(path, {"on": "on"}).status_code == 302  # a visitor is sent to sign in
    auth.login(member)
    assert auth.post(path, {"on": "on"}).status_code == 403
    assert db.session.get(type(thinktank), thinktank.id).premoderation is False
    auth.logout()
    auth.login(admin)
    assert auth.post(path, {"on": "on"}).status_code == 302
    assert db.session.get(type(thinktank), thinktank.id).premoderation is True
    with pytest.raises(Forbidden):
        review.set_premoderation(thinktank, by=member, on=False)


# --- ideas --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_members_idea_waits_and_only_the_author_and_the_chairs_see_it(client, auth, moderated, member, chair,
                                                                        make_member, db, language):
    auth.login(member)
    speak(client, language)
    answer = auth.post(f"/thinktanks/{moderated.slug}/ideas/new", {"title": "Dealer bij de school"},
                       follow_redirects=True)
    html = answer.get_data(as_text=True)
    assert MESSAGES[language]["idea waits"] in html and MESSAGES[language]["banner"] in html
    idea = db.session.scalar(select(Idea).where(Idea.title == "Dealer bij de school"))
    assert idea.review == "waiting"
    assert "Dealer bij de school" not in page(client, f"/thinktanks/{moderated.slug}/ideas")
    auth.logout()
    for viewer in (None, make_member(moderated)):
        if viewer is not None:
            auth.login(viewer)
        assert client.get(f"/ideas/{idea.id}").status_code == 404
        assert auth.post(f"/ideas/{idea.id}/support").status_code == (302 if viewer is None else 404)
        assert "Dealer bij de school" not in page(client, f"/thinktanks/{moderated.slug}/ideas")
        auth.logout()
    auth.login(chair)
    assert "Dealer bij de school" in page(client, f"/ideas/{idea.id}")
    assert "Dealer bij de school" in page(client, f"/thinktanks/{moderated.slug}/moderation")


def test_the_chairs_are_told_that_something_waits_not_who_wrote_it(app, moderated, member, chair, make_member,
                                                                  create_idea, db):
    from samen.notifications.blueprint import describe
    other = make_member(moderated)
    create_idea(moderated, member, title="Dealer in het park")
    told = db.session.scalars(select(Notification)).all()
    assert [(n.user_id, n.kind) for n in told] == [(chair.id, "review_waiting")]
    assert other.id not in {n.user_id for n in told}
    with app.test_request_context():
        text = describe(told[0])
    assert text == "Een nieuw idee wacht op je goedkeuring: “Dealer in het park”."  # Dutch, the default
    assert member.display_name not in text and member.display_name not in str(told[0].data)


def test_a_chairs_idea_is_published_at_once(moderated, chair, member, create_idea):
    assert create_idea(moderated, chair).review is None
    assert create_idea(moderated, member).review == "waiting"


def test_approving_publishes_the_idea_and_tells_its_author(client, auth, moderated, member, chair, create_idea, db):
    idea = create_idea(moderated, member, title="Buurtpreventie-app")
    auth.login(chair)
    answer = auth.post(f"/ideas/{idea.id}/review", {"decision": "approve"})
    assert answer.status_code == 302
    assert db.session.get(Idea, idea.id).review is None
    auth.logout()
    assert "Buurtpreventie-app" in page(client, f"/thinktanks/{moderated.slug}/ideas")
    assert client.get(f"/ideas/{idea.id}").status_code == 200
    [told] = db.session.scalars(select(Notification).where(Notification.user_id == member.id)).all()
    assert (told.kind, told.data["what"]) == ("review_approved", "idea")
    assert db.session.scalar(select(AuditEntry.actor_id).where(AuditEntry.action == "idea.approve")) == chair.id


@pytest.mark.parametrize("language", ["en", "nl"])
def test_refusing_needs_a_reason_which_the_author_is_told(client, auth, moderated, member, chair, make_member,
                                                          create_idea, db, language):
    idea = create_idea(moderated, member, title="Naam van een leerling")
    auth.login(chair)
    speak(client, language)
    answer = auth.post(f"/ideas/{idea.id}/review", {"decision": "reject", "reason": ""})
    assert answer.status_code == 422
    assert MESSAGES[language]["no reason"] in answer.get_data(as_text=True)
    assert db.session.get(Idea, idea.id).review == "waiting"
    auth.post(f"/ideas/{idea.id}/review", {"decision": "reject", "reason": "Noemt een leerling"})
    stored = db.session.get(Idea, idea.id)
    assert (stored.review, stored.review_reason) == ("rejected", "Noemt een leerling")
    [told] = db.session.scalars(select(Notification).where(Notification.user_id == member.id)).all()
    assert (told.kind, told.data["reason"]) == ("review_rejected", "Noemt een leerling")
    auth.logout()
    auth.login(member)
    speak(client, language)
    assert MESSAGES[language]["refused"] in page(client, f"/ideas/{idea.id}")
    auth.logout()
    auth.login(make_member(moderated))
    assert client.get(f"/ideas/{idea.id}").status_code == 404
    assert "Naam van een leerling" not in page(client, f"/thinktanks/{moderated.slug}/ideas")


def test_what_was_decided_cannot_be_decided_again(moderated, member, chair, create_idea, db):
    idea = create_idea(moderated, member)
    review.review(idea, by=chair, decision="approve")
    with pytest.raises(DomainError):
        review.review(idea, by=chair, decision="reject", reason="Te laat")
    with pytest.raises(Forbidden):
        review.review(create_idea(moderated, member), by=member, decision="approve")


def test_turning_pre_moderation_off_leaves_what_waits_waiting(moderated, member, chair, create_idea, db):
    idea = create_idea(moderated, member)
    review.set_premoderation(moderated, by=chair, on=False)
    db.session.commit()
    assert db.session.get(Idea, idea.id).review == "waiting"
    assert review.waiting(moderated).ideas == [idea]
    assert create_idea(moderated, member).review is None  # what comes now is published at once


# --- comments -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_members_comment_waits_uncounted_and_unannounced(client, auth, moderated, chair, make_member, create_idea,
                                                           db, language):
    author = make_member(moderated)
    idea = create_idea(moderated, chair)  # the chair's idea is published at once
    commenter = make_member(moderated)
    auth.login(commenter)
    speak(client, language)
    html = auth.post(f"/ideas/{idea.id}/comments", {"body": "De dealer staat elke dag bij het hek."},
                     follow_redirects=True).get_data(as_text=True)
    assert MESSAGES[language]["comment waits"] in html and "De dealer staat" in html
    comment = db.session.scalar(select(Comment).where(Comment.idea_id == idea.id))
    assert comment.review == "waiting"
    assert db.session.get(Idea, idea.id).comment_count == 0
    # The chair (who wrote the idea) hears only that something waits, not that it was commented on.
    told = db.session.scalars(select(Notification).where(Notification.user_id == chair.id)).all()
    assert [(n.kind, n.data["what"], n.url) for n in told] == [
        ("review_waiting", "comment", f"/thinktanks/{moderated.slug}/moderation#waiting-heading")]
    auth.logout()
    auth.login(author)
    assert "De dealer staat" not in page(client, f"/ideas/{idea.id}")
    assert client.get(f"/comments/{comment.id}/edit").status_code == 404
    review.review(db.session.get(Comment, comment.id), by=chair, decision="approve")
    db.session.commit()
    assert "De dealer staat" in page(client, f"/ideas/{idea.id}")
    assert db.session.get(Idea, idea.id).comment_count == 1
    kinds = db.session.scalars(select(Notification.kind).where(Notification.user_id.in_([chair.id, commenter.id])))
    assert sorted(kinds) == ["comment", "review_approved", "review_waiting"]


def test_what_its_author_deleted_or_withdrew_while_waiting_leaves_the_queue(moderated, chair, member, create_idea,
                                                                           db):
    published = create_idea(moderated, chair)
    comment = ops.add_comment(published, author=member, body="Toch maar niet")
    idea = create_idea(moderated, member)
    assert (review.waiting_count(moderated), review.waiting(moderated).count) == (2, 2)
    ops.delete_comment(comment, by=member)
    ops.withdraw_idea(idea, by=member)
    db.session.commit()
    assert (review.waiting_count(moderated), review.waiting(moderated).count) == (0, 0)
    review.review(comment, by=chair, decision="approve")  # a second tab of the queue: nothing to count
    assert db.session.get(Idea, published.id).comment_count == 0


def test_no_one_replies_to_a_comment_they_may_not_see(moderated, chair, make_member, create_idea, db):
    idea = create_idea(moderated, chair)
    waiting = ops.add_comment(idea, author=make_member(moderated), body="Wacht nog")
    with pytest.raises(DomainError):
        ops.add_comment(idea, author=make_member(moderated), body="Antwoord", parent=waiting)
    assert ops.add_comment(idea, author=chair, body="Antwoord van de voorzitter", parent=waiting).review is None


# --- one rule ------------------------------------------------------------------------------------------------

@pytest.mark.database
def test_the_rule_and_its_sql_form_agree(moderated, member, chair, admin, user, make_member, create_idea, db):
    idea = create_idea(moderated, chair)
    other = make_member(moderated)
    comments = [ops.add_comment(idea, author=member, body="wacht"),
                ops.add_comment(idea, author=chair, body="gepubliceerd")]
    refused = ops.add_comment(idea, author=other, body="afgewezen")
    review.review(refused, by=chair, decision="reject", reason="Nee")
    db.session.commit()
    comments.append(refused)
    for viewer in (None, user, member, other, chair, admin):
        moderator = ops.can_moderate(moderated, viewer)
        by_rule = {c.id for c in comments if ops.is_shown_to(c, viewer, moderator=moderator)}
        by_sql = set(db.session.scalars(select(Comment.id).where(
            Comment.idea_id == idea.id, ops.shown_clause(Comment, viewer, moderator=moderator))))
        assert by_rule == by_sql, viewer


# --- the API ------------------------------------------------------------------------------------------------

def test_through_the_api_what_waits_is_the_authors_and_a_404_for_others(client, moderated, member, make_member,
                                                                        db):
    from samen.accounts import operations as account_ops
    mine = {"Authorization": f"Bearer {account_ops.create_api_token(member)}"}
    theirs = {"Authorization": f"Bearer {account_ops.create_api_token(make_member(moderated))}"}
    db.session.commit()
    answer = client.post(f"/api/v1/thinktanks/{moderated.slug}/ideas", headers=mine, json={"title": "Geheim plan"})
    assert answer.status_code == 201
    item = answer.get_json()
    assert (item["review"], item["review_reason"]) == ("waiting", None)
    assert client.get(f"/api/v1/ideas/{item['id']}", headers=mine).status_code == 200
    for headers in (theirs, {}):
        assert client.get(f"/api/v1/ideas/{item['id']}", headers=headers).status_code == 404
        listed = client.get(f"/api/v1/thinktanks/{moderated.slug}/ideas", headers=headers).get_json()
        assert listed["total"] == 0


# --- the queue ----------------------------------------------------------------------------------------------

@pytest.mark.database
def test_the_queue_runs_a_fixed_number_of_queries(client, auth, moderated, chair, make_member, create_idea,
                                                  count_queries, db):
    published = create_idea(moderated, chair)

    def fill(n: int) -> None:
        for i in range(n):
            author = make_member(moderated)
            create_idea(moderated, author, title=f"Wachtend idee {i}")
            ops.add_comment(published, author=author, body=f"Wachtende reactie {i}")
        db.session.commit()

    auth.login(chair)
    speak(client, "en")
    path = f"/thinktanks/{moderated.slug}/moderation"

    def queries() -> list[str]:
        client.get(path)
        with count_queries() as statements:
            assert client.get(path).status_code == 200
        return statements

    fill(2)
    small = queries()
    fill(10)
    large = queries()
    assert "24 waiting for approval" in page(client, path)
    assert len(small) == len(large), large
