"""'Delete my account': personal data gone at once, contributions kept as a deleted participant's or removed,
sessions and tokens revoked, the deletion recorded and announced."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, inspect, select, text

from samen.follows.fanout import fan_out
from samen.accounts import operations as account_ops
from samen.accounts.models import ApiToken, User, UserSession
from samen.actions.models import ActionItem, ProgressUpdate
from samen.core.errors import Conflict
from samen.ideas import operations as idea_ops
from samen.ideas.models import Comment, Idea, Report, Support
from samen.notifications.models import Notification
from samen.privacy import operations as ops
from samen.privacy import registry
from samen.privacy.models import DeletedAccount
from samen.privacy.signals import account_deleted
from samen.thinktanks.models import Membership

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both

KEY = "test-secret-key-not-for-production"  # TestConfig.SECRET_KEY


@pytest.fixture
def deleted_ids() -> Any:
    """Collect the user ids that `account_deleted` announces during the test."""
    received: list[int] = []

    def receiver(user_id: int, **_extra: Any) -> None:
        received.append(user_id)
    account_deleted.connect(receiver)
    yield received
    account_deleted.disconnect(receiver)


def everything_stored(db: Any) -> str:
    """Return every row of every table as text, to look for what must be gone."""
    rows = []
    connection = db.session.connection()
    for table in inspect(connection).get_table_names():
        if table.startswith("ideas_fts"):
            continue
        rows += [repr(tuple(row)) for row in connection.execute(text(f'SELECT * FROM "{table}"'))]
    return "\n".join(rows)


def delete_on_the_site(client: Any, auth: Any, confirm_password: Any, user: Any, contributions: str) -> Any:
    auth.login(user)
    confirm_password(client)
    return auth.post("/account/delete", data={"contributions": contributions, "confirm": "y"})


# --- the form --------------------------------------------------------------------------------------------------

def test_the_form_asks_for_the_password_first(client, auth, story, later):
    auth.login(story.me)
    later()
    response = client.get("/account/delete")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/confirm?next=/account/delete")
    assert auth.post("/account/delete", data={"contributions": "keep", "confirm": "y"}).status_code == 302
    assert account_ops.find_user_by_email(story.me.email) is not None


def test_the_form_explains_both_choices(client, auth, story, confirm_password):
    auth.login(story.me)
    confirm_password(client)
    page = client.get("/account/delete").get_data(as_text=True)
    assert 'value="keep"' in page and 'value="remove"' in page
    assert 'aria-describedby="contributions-keep-hint"' in page
    assert 'id="contributions-remove-hint"' in page


@pytest.mark.parametrize("data,field", [({"confirm": "y"}, "contributions"), ({"contributions": "keep"}, "confirm"),
                                        ({"contributions": "alles", "confirm": "y"}, "contributions")])
def test_a_form_without_a_choice_or_confirmation_deletes_nothing(client, auth, story, confirm_password, data, field):
    auth.login(story.me)
    confirm_password(client)
    response = auth.post("/account/delete", data=data)
    assert response.status_code == 422
    assert f'href="#{field}' in response.get_data(as_text=True)
    assert account_ops.find_user_by_email(story.me.email) is not None


def test_the_form_needs_its_csrf_token(client, auth, story, confirm_password):
    auth.login(story.me)
    confirm_password(client)
    response = client.post("/account/delete", data={"contributions": "keep", "confirm": "y"})
    assert response.status_code == 400
    assert account_ops.find_user_by_email(story.me.email) is not None


# --- keep: a deleted participant's contributions ---------------------------------------------------------------

def test_keeping_contributions_removes_every_personal_detail(client, auth, story, confirm_password, db, deleted_ids):
    me_id, email = story.me.id, story.me.email
    response = delete_on_the_site(client, auth, confirm_password, story.me, "keep")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/account").status_code == 302  # signed out

    assert db.session.get(User, me_id) is None
    stored = everything_stored(db)
    # (The password hash is not looked for: every test user shares one, hashing is slow on purpose.)
    for detail in (email, "Ikzelf", "Tactus", "mijn koppeling"):
        assert detail not in stored, detail
    for model, column in ((UserSession, UserSession.user_id), (ApiToken, ApiToken.user_id),
                          (Membership, Membership.user_id), (Support, Support.user_id),
                          (Notification, Notification.user_id)):
        assert not db.session.scalar(select(func.count()).select_from(model).where(column == me_id)), model
    assert deleted_ids == [me_id]


def test_kept_contributions_show_a_deleted_participant(client, auth, story, confirm_password, db):
    delete_on_the_site(client, auth, confirm_password, story.me, "keep")
    ideas = {idea.title: idea for idea in db.session.scalars(select(Idea).where(Idea.author_id.is_(None)))}
    assert set(ideas) == {"Meer licht in het park", "Mijn anonieme idee"}
    assert ideas["Mijn anonieme idee"].anonymous
    assert db.session.scalar(select(func.count()).select_from(Comment).where(Comment.author_id.is_(None))) == 2
    assert db.session.get(ProgressUpdate, story.my_update.id).author_id is None
    assert db.session.get(ActionItem, story.action.id).owner_id is None
    assert db.session.get(Report, story.my_report.id).reporter_id is None

    page = client.get(f"/ideas/{story.my_idea.id}").get_data(as_text=True)
    assert "verwijderde deelnemer" in page and "anonieme deelnemer" not in page
    page = client.get(f"/ideas/{story.my_anonymous_idea.id}").get_data(as_text=True)
    assert "anonieme deelnemer" in page and "verwijderde deelnemer" not in page
    page = client.get(f"/ideas/{story.other_idea.id}").get_data(as_text=True)
    assert page.count("verwijderde deelnemer") == 2  # my two comments


def test_supports_are_withdrawn_and_the_counts_follow(db, story):
    assert story.other_idea.support_count == 1
    ops.delete_account(story.me, keep_contributions=True, hash_key=KEY)
    db.session.commit()
    db.session.refresh(story.other_idea)
    assert story.other_idea.support_count == 0
    assert db.session.scalar(select(func.count()).select_from(Support).where(
        Support.idea_id == story.other_idea.id)) == 0


def test_sessions_and_api_tokens_stop_working_at_once(app, db, story, new_client, csrf_token, confirm_password):
    elsewhere = new_client()  # the same person signed in on a second device
    elsewhere.post("/login", data={"email": story.me.email, "password": "paard-fiets-zon-7",
                                   "csrf_token": csrf_token(elsewhere, "/login")})
    assert elsewhere.get("/account").status_code == 200
    bearer = {"Authorization": f"Bearer {story.my_token}"}
    assert elsewhere.get("/api/v1/me", headers=bearer).status_code == 200

    browser = new_client()
    browser.post("/login", data={"email": story.me.email, "password": "paard-fiets-zon-7",
                                 "csrf_token": csrf_token(browser, "/login")})
    confirm_password(browser)
    response = browser.post("/account/delete", data={"contributions": "keep", "confirm": "y",
                                                     "csrf_token": csrf_token(browser, "/account/delete")})
    assert response.status_code == 302

    assert elsewhere.get("/account").status_code == 302
    assert new_client().get("/api/v1/me", headers=bearer).status_code == 401
    other = {"Authorization": f"Bearer {story.other_token}"}
    assert new_client().get("/api/v1/me", headers=other).status_code == 200


def test_the_deletion_is_recorded_without_the_address(db, story):
    me_id, created, email = story.me.id, story.me.created_at, story.me.email
    ops.delete_account(story.me, keep_contributions=True, hash_key=KEY)
    db.session.commit()
    record = db.session.scalar(select(DeletedAccount))
    assert (record.user_id, record.account_created_at, record.contributions) == (me_id, created, "keep")
    assert record.email_hash == ops.email_hash(email, KEY) == ops.email_hash(" IK@example.org ", KEY)
    assert record.email_hash != ops.email_hash(email, "another key")
    assert email not in record.email_hash
    assert [r.user_id for r in ops.was_deleted(email, KEY)] == [me_id]


def test_the_address_can_be_used_again(db, story, create_user):
    ops.delete_account(story.me, keep_contributions=True, hash_key=KEY)
    db.session.commit()
    again = create_user(email="ik@example.org")
    assert again.id != story.me.id or again.created_at != story.me.created_at


# --- remove ----------------------------------------------------------------------------------------------------

def test_removing_contributions_deletes_what_i_wrote(db, story, deleted_ids):
    idea_ops.decide(story.my_idea, by=story.chair, status="discussion", answer="We bespreken het.")
    db.session.commit()
    fan_out(lambda user, event: None)  # the decision reaches the idea's followers (docs/notifications.md)
    mine = [story.my_idea.id, story.my_anonymous_idea.id]
    other_id, other_idea_id = story.other.id, story.other_idea.id
    comment_ids = {name: getattr(story, name).id for name in ("other_comment", "my_comment", "my_answered_comment",
                                                              "other_reply")}
    update_id, report_id, action_id = story.my_update.id, story.my_report.id, story.action.id
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == other_id, Notification.url == f"/ideas/{mine[0]}"))

    deletion = ops.delete_account(story.me, keep_contributions=False, hash_key=KEY)
    db.session.commit()
    assert deletion.counts["ideas"]["ideas deleted"] == 2
    assert db.session.scalar(select(func.count()).select_from(Idea).where(Idea.id.in_(mine))) == 0
    assert db.session.get(Comment, comment_ids["other_comment"]) is None  # it was on my idea
    assert db.session.get(Comment, comment_ids["my_comment"]) is None
    placeholder = db.session.get(Comment, comment_ids["my_answered_comment"])
    assert (placeholder.body, placeholder.author_id) == ("", None) and placeholder.deleted_at is not None
    assert db.session.get(Comment, comment_ids["other_reply"]).body == "Dat doe ik!"
    assert db.session.get(Idea, other_idea_id).comment_count == 1  # the buurman's reply
    assert db.session.get(ProgressUpdate, update_id) is None
    assert db.session.get(Report, report_id) is None
    assert db.session.get(ActionItem, action_id).owner_id is None  # the plan's action stays
    assert not db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.url.like(f"/ideas/{mine[0]}%")))
    assert db.session.scalar(select(DeletedAccount.contributions)) == "remove"
    assert deleted_ids == [deletion.user_id]


def test_removing_keeps_the_search_index_in_step(db, story):
    ops.delete_account(story.me, keep_contributions=False, hash_key=KEY)
    db.session.commit()
    page = idea_ops.list_ideas(story.thinktank, viewer=story.other, q="lantaarns")
    assert page.total == 0


def test_removing_on_the_site(client, auth, story, confirm_password, db):
    idea_id = story.my_idea.id
    response = delete_on_the_site(client, auth, confirm_password, story.me, "remove")
    assert response.status_code == 302
    assert "Je account is verwijderd" in client.get("/").get_data(as_text=True)
    assert client.get(f"/ideas/{idea_id}").status_code == 404


# --- rules and hooks -------------------------------------------------------------------------------------------

def test_the_only_administrator_cannot_leave(client, auth, confirm_password, admin, db):
    response = delete_on_the_site(client, auth, confirm_password, admin, "keep")
    assert response.status_code == 409
    assert "enige beheerder" in response.get_data(as_text=True)
    assert db.session.get(User, admin.id) is not None
    assert not db.session.scalar(select(func.count()).select_from(DeletedAccount))


def test_an_administrator_can_leave_when_another_remains(db, admin, create_user):
    create_user(is_admin=True)
    ops.delete_account(admin, keep_contributions=True, hash_key=KEY)
    db.session.commit()
    assert db.session.get(User, admin.id) is None


def test_nothing_is_announced_when_the_deletion_is_rolled_back(db, story, deleted_ids):
    ops.delete_account(story.me, keep_contributions=True, hash_key=KEY)
    db.session.rollback()
    db.session.commit()
    assert deleted_ids == []
    assert account_ops.find_user_by_email(story.me.email) is not None


def test_registered_erasers_run_before_the_account_is_gone(db, story, monkeypatch):
    seen: list[tuple[int, bool, bool]] = []

    def erase(user: Any, *, keep_contributions: bool) -> dict[str, int]:
        still_there = db.session.scalar(select(func.count()).select_from(User).where(User.id == user.id))
        seen.append((user.id, keep_contributions, bool(still_there)))
        return {"meeting registrations removed": 3}
    monkeypatch.setitem(registry._features, "meetings", registry.Feature("meetings", erase=erase))
    deletion = ops.delete_account(story.me, keep_contributions=False, hash_key=KEY)
    assert seen == [(story.me.id, False, True)]
    assert deletion.counts["meetings"] == {"meeting registrations removed": 3}
    assert "meetings: meeting registrations removed: 3" in deletion.lines()


def test_the_cli_deletes_on_request(app, db, story, admin):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["privacy", "delete", story.me.email, "--contributions", "keep", "--yes"])
    assert result.exit_code == 0, result.output
    assert f"Deleted account {story.me.id}." in result.output and "sessions ended" in result.output
    assert account_ops.find_user_by_email(story.me.email) is None
    result = runner.invoke(args=["privacy", "was-deleted", "IK@example.org"])
    assert f"Account {story.me.id} was deleted" in result.output
    result = runner.invoke(args=["privacy", "delete", admin.email, "--contributions", "keep", "--yes"])
    assert result.exit_code != 0 and "only administrator" in result.output
    with pytest.raises(Conflict):
        ops.delete_account(admin, keep_contributions=True, hash_key=KEY)
