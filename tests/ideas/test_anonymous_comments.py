"""Anonymous comments: like anonymous ideas, their author is known only to the chairs and admins, and to themself."""
from __future__ import annotations


import pytest
from sqlalchemy import select

from samen.accounts import operations as account_ops
from samen.ideas import operations as ops
from samen.ideas.models import Comment
from samen.notifications.blueprint import describe
from samen.notifications.models import Notification
from tests.conftest import speak

NAME = "Bezorgde Buurvrouw"


pytestmark = pytest.mark.usefixtures("like_production")



@pytest.fixture
def neighbour(make_member, thinktank):
    """Return the member who comments anonymously."""
    return make_member(thinktank, display_name=NAME)


@pytest.mark.parametrize("language, label, mine", [("en", "anonymous participant", "(you)"),
                                                   ("nl", "anonieme deelnemer", "(jij)")])
def test_a_comment_posted_anonymously_names_no_one_but_to_the_chairs(client, auth, idea, neighbour, chair, admin,
                                                                   user, make_member, thinktank, db, language,
                                                                   label, mine):
    auth.login(neighbour)
    speak(client, language)
    form = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert 'id="comment-anonymous-new"' in form and '<label for="comment-anonymous-new">' in form
    auth.post(f"/ideas/{idea.id}/comments", {"body": "Ik zie het ook elke avond.", "anonymous": "y"})
    comment = db.session.scalar(select(Comment).where(Comment.idea_id == idea.id))
    assert (comment.anonymous, comment.author_id) == (True, neighbour.id)
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert NAME not in html and f"{label}</strong> {mine}" in html
    auth.logout()
    for viewer in (None, user, make_member(thinktank), chair, admin):
        if viewer is not None:
            auth.login(viewer)
        speak(client, language)
        html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
        assert "Ik zie het ook elke avond." in html
        assert (NAME in html) is (viewer in (chair, admin)), viewer
        assert (f"{label}</strong>" in html) is (viewer not in (chair, admin))
        auth.logout()


def test_a_comment_without_the_box_is_named(client, auth, idea, neighbour, make_member, db):
    auth.login(neighbour)
    auth.post(f"/ideas/{idea.id}/comments", {"body": "Met naam."})
    assert db.session.scalar(select(Comment.anonymous).where(Comment.idea_id == idea.id)) is False
    auth.logout()
    # Named, for the signed-in; in public a person is "a participant" (core/names.py, tests/privacy).
    assert NAME not in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    auth.login(make_member(idea.thinktank))
    assert NAME in client.get(f"/ideas/{idea.id}").get_data(as_text=True)


def test_through_the_api_too(client, idea, neighbour, chair, member, db):
    tokens = {who: {"Authorization": f"Bearer {account_ops.create_api_token(user)}"}
              for who, user in (("neighbour", neighbour), ("chair", chair), ("member", member))}
    db.session.commit()
    answer = client.post(f"/api/v1/ideas/{idea.id}/comments", headers=tokens["neighbour"],
                         json={"body": "Anoniem via de app.", "anonymous": True})
    assert answer.status_code == 201
    item = answer.get_json()
    assert (item["author"], item["anonymous"], item["by_me"]) == (None, True, True)
    for who, headers in (("visitor", {}), ("member", tokens["member"])):
        [listed] = client.get(f"/api/v1/ideas/{idea.id}/comments", headers=headers).get_json()["items"]
        assert (listed["author"], listed["by_me"], "author_for_moderation" in listed) == (None, False, False), who
        assert NAME not in str(listed)
    [seen] = client.get(f"/api/v1/ideas/{idea.id}/comments", headers=tokens["chair"]).get_json()["items"]
    assert (seen["author"], seen["author_for_moderation"]) == (None, NAME)


def test_an_anonymous_comment_by_the_author_of_a_named_idea_does_not_say_so(client, idea, member, db):
    ops.add_comment(idea, author=member, body="Aanvulling, anoniem.", anonymous=True)
    db.session.commit()
    [item] = client.get(f"/api/v1/ideas/{idea.id}/comments").get_json()["items"]
    assert (item["author"], item["by_idea_author"]) == (None, False)
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "Aanvulling, anoniem." in html and "(the author of this idea)" not in html
    assert "auteur van dit idee" not in html


def test_the_notifications_of_a_reply_name_no_one(app, idea, neighbour, make_member, thinktank, db):
    comment = ops.add_comment(idea, author=neighbour, body="Eerste", anonymous=True)
    other = make_member(thinktank, display_name="Ander Lid")
    ops.add_comment(idea, author=other, body="Antwoord", parent=comment)
    ops.add_comment(idea, author=neighbour, body="Terug", parent=comment, anonymous=True)
    db.session.commit()
    told = db.session.scalars(select(Notification).order_by(Notification.id)).all()
    assert told
    with app.test_request_context():
        for notification in told:
            text = describe(notification)
            assert NAME not in text and NAME not in str(notification.data)


def test_the_author_finds_their_anonymous_comment_in_their_data(idea, neighbour, db):
    from samen.privacy.builtin import export_ideas
    ops.add_comment(idea, author=neighbour, body="Anoniem", anonymous=True)
    db.session.commit()
    [mine] = export_ideas(neighbour)["comments"]
    assert (mine["body"], mine["anonymous"], mine["review"]) == ("Anoniem", True, None)


def test_an_anonymous_comment_by_the_author_of_an_anonymous_idea_says_so_without_the_name(
        client, auth, create_idea, thinktank, neighbour, make_member, db):
    idea = create_idea(thinktank, neighbour, anonymous=True)
    ops.add_comment(idea, author=neighbour, body="Nog een gedachte.", anonymous=True)
    db.session.commit()
    auth.login(make_member(thinktank))
    speak(client, "en")
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert "anonymous participant (the author of this idea)" in html and NAME not in html
    [item] = client.get(f"/api/v1/ideas/{idea.id}/comments").get_json()["items"]
    assert (item["author"], item["by_idea_author"]) == (None, True)
