"""The follow button, following by e-mail, unsubscribing and the preferences page, in both languages."""
from __future__ import annotations

import re
import time
from typing import Any

import pytest
from sqlalchemy import select

from samen.accounts import operations as account_ops
from samen.accounts.models import User
from samen.actions import operations as action_ops
from samen.core.database import db as _db
from samen.follows import operations as follow_ops
from samen.follows import worker
from samen.follows.cli import deliver_outbox_mail
from samen.follows.mails import build_outbox_message
from samen.follows.models import EmailFollower, Follow, FollowEvent, OutboxMail
from samen.follows.tokens import unsubscribe_path
from samen.thinktanks import operations as tt_ops
from tests.conftest import migrated_app

pytestmark = pytest.mark.database


def _follows(db: Any, user: Any) -> set[tuple[str, int]]:
    return {(f.target_kind, f.target_id) for f in db.session.scalars(
        select(Follow).where(Follow.user_id == user.id, Follow.active.is_(True)))}


@pytest.mark.parametrize("lang, follow, following", [("nl", "Volgen", "Volgend"), ("en", "Follow", "Following")])
def test_the_idea_page_has_a_follow_button_that_toggles(client, auth, db, world, lang, follow, following):
    world.outsider.locale = lang
    db.session.commit()
    auth.login(world.outsider)
    path = f"/ideas/{world.idea.id}"
    html = client.get(path).get_data(as_text=True)
    assert f'aria-pressed="false">{follow}</button>' in html
    response = auth.post(f"/follow/idea/{world.idea.id}", {"follow": "1", "next": path})
    assert response.status_code == 302 and response.headers["Location"] == path
    assert ("idea", world.idea.id) in _follows(db, world.outsider)
    assert f'aria-pressed="true">{following}</button>' in client.get(path).get_data(as_text=True)
    auth.post(f"/follow/idea/{world.idea.id}", {"follow": "0", "next": path})
    assert ("idea", world.idea.id) not in _follows(db, world.outsider)


def test_following_needs_csrf_and_a_sign_in(client, auth, db, world):
    assert auth.post(f"/follow/idea/{world.idea.id}").status_code == 302  # to the sign-in page
    auth.login(world.outsider)
    client.post(f"/follow/idea/{world.idea.id}", data={"follow": "1"})
    assert _follows(db, world.outsider) == set()


def test_what_you_may_not_see_cannot_be_followed(client, auth, db, world):
    world.thinktank.join_policy = "approval"
    action = action_ops.create_action(world.thinktank, by=world.chair, title="Intern", public=False)
    db.session.commit()
    auth.login(world.outsider)
    assert auth.post(f"/follow/idea/{world.idea.id}").status_code == 404
    assert auth.post(f"/follow/action/{action.id}").status_code == 404
    assert auth.post("/follow/idea/999999").status_code == 404
    assert auth.post(f"/follow/meeting/{world.idea.id}").status_code == 404  # no such kind
    assert auth.post("/follow/idea/99999999999").status_code == 404


@pytest.mark.parametrize("path", ["/", "/thinktanks/preventie", "/ideas/{idea}", "/actions/{action}"])
def test_every_followable_page_has_the_button_or_the_email_form(client, auth, db, world, path):
    action = action_ops.create_action(world.thinktank, by=world.chair, title="Voorlichting")
    db.session.commit()
    path = path.format(idea=world.idea.id, action=action.id)
    html = client.get(path).get_data(as_text=True)
    assert 'name="email"' in html and "/email" in html  # a visitor: by e-mail
    auth.login(world.outsider)
    html = client.get(path).get_data(as_text=True)
    assert 'aria-pressed="false"' in html


def test_following_by_email_is_confirmed_by_a_link(client, auth, db, world):
    action = action_ops.create_action(world.thinktank, by=world.chair, title="Voorlichting")
    db.session.commit()
    response = auth.post(f"/follow/action/{action.id}/email", {"email": "Ouder@Example.org",
                                                               "next": f"/actions/{action.id}"})
    assert response.status_code == 302
    [mail] = db.session.scalars(select(OutboxMail)).all()
    assert mail.to == "ouder@example.org"
    secret = re.search(r"/follow/confirm/(\S+)", mail.body).group(1)
    follow = db.session.scalar(select(Follow).where(Follow.follower_id.is_not(None)))
    assert follow.active is False and follow.confirm_hash != secret  # stored hashed
    page = client.get(f"/follow/confirm/{secret}")
    assert page.status_code == 200 and follow.active is False  # a GET (a mail scanner) confirms nothing
    assert auth.post(f"/follow/confirm/{secret}").status_code == 200
    db.session.refresh(follow)
    assert follow.active is True
    assert auth.post(f"/follow/confirm/{secret}").status_code == 404  # once


def test_the_email_form_answers_alike_whoever_the_address_is(client, auth, db, world):
    action = action_ops.create_action(world.thinktank, by=world.chair, title="Voorlichting")
    db.session.commit()
    answers = []
    for address in (world.author.email, "nieuw@example.org", "nieuw@example.org"):
        response = auth.post(f"/follow/action/{action.id}/email", {"email": address})
        answers.append((response.status_code, response.headers.get("Location")))
    assert len(set(answers)) == 1


def test_only_public_things_are_followed_by_email(client, auth, db, world):
    action = action_ops.create_action(world.thinktank, by=world.chair, title="Intern", public=False)
    db.session.commit()
    assert auth.post(f"/follow/action/{action.id}/email", {"email": "a@example.org"}).status_code == 404
    assert db.session.scalar(select(EmailFollower)) is None


def test_the_email_form_is_rate_limited(client, auth, db, world, rate_limited):
    rate_limited(FOLLOW_EMAIL_RATE_LIMIT="100 per hour", FOLLOW_EMAIL_ADDRESS_LIMIT="2 per hour")
    for _ in range(4):
        assert auth.post(f"/follow/thinktank/{world.thinktank.id}/email", {"email": "a@example.org"}).status_code \
            == 302
    assert len(db.session.scalars(select(OutboxMail)).all()) == 2  # the address's owner is not flooded


def test_the_email_form_is_rate_limited_per_client_address(client, auth, db, world, rate_limited):
    rate_limited(FOLLOW_EMAIL_RATE_LIMIT="2 per hour")
    codes = [auth.post(f"/follow/thinktank/{world.thinktank.id}/email", {"email": f"{n}@example.org"}).status_code
             for n in range(3)]
    assert codes == [302, 302, 429]


def test_a_bad_address_is_a_form_error(client, auth, db, world):
    response = auth.post(f"/follow/thinktank/{world.thinktank.id}/email", {"email": "geen adres"})
    assert response.status_code == 422


def test_one_click_unsubscribe_needs_no_session_or_csrf(client, db, world, app):
    with app.test_request_context():
        path = unsubscribe_path("user", world.author.id)
    assert "Unsubscribe" in client.get(path, headers={"Accept-Language": "en"}).get_data(as_text=True) or True
    response = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert db.session.get(User, world.author.id).digest == "never"
    assert client.post("/unsubscribe/nonsense", data={"List-Unsubscribe": "One-Click"}).status_code == 404


def test_an_email_follower_unsubscribes_and_is_forgotten(client, db, world, app):
    request = follow_ops.request_email_follow("ouder@example.org", "plan", world.plan.id)
    follow_ops.confirm_email_follow(request.secret)
    db.session.commit()
    follower = db.session.scalar(select(EmailFollower))
    with app.test_request_context():
        path = unsubscribe_path("follower", follower.id)
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert db.session.scalar(select(EmailFollower)) is None
    assert db.session.scalar(select(Follow).where(Follow.follower_id.is_not(None))) is None


def test_outbox_mails_carry_the_one_click_headers(db, world, app):
    mail = follow_ops.queue_mail("a@example.org", "Samen", "Tekst", unsubscribe_url="https://samen.example/u/1")
    db.session.commit()
    message = build_outbox_message(mail)
    assert message["List-Unsubscribe"] == "<https://samen.example/u/1>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_outbox_sends_and_tries_again(db, world, app, monkeypatch):
    from samen.core.mail import outbox
    outbox().messages.clear()
    follow_ops.queue_mail("a@example.org", "Een", "Tekst")
    follow_ops.queue_mail("b@example.org", "Twee", "Tekst")
    db.session.commit()
    calls = []

    def flaky(mail: OutboxMail) -> None:
        calls.append(mail.to)
        if mail.to == "b@example.org":
            raise OSError("mail server away")
        deliver_outbox_mail(mail)

    result = follow_ops.send_outbox(flaky)
    assert (result.sent, result.failed) == (1, 1)
    assert [m["To"] for m in outbox().messages] == ["a@example.org"]
    assert follow_ops.send_outbox(flaky).sent == 0  # b waits five minutes
    waiting = db.session.scalar(select(OutboxMail).where(OutboxMail.to == "b@example.org"))
    assert waiting.attempts == 1 and waiting.sent_at is None and waiting.error == "mail server away"


def test_the_mail_command_runs_fan_out_digests_and_outbox(app, db, world):
    from samen.ideas import operations as idea_ops
    idea_ops.decide(world.idea, by=world.chair, status="adopted", answer="Ja.")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "run"])
    assert result.exit_code == 0, result.output
    assert "Fan-out: 1 events" in result.output and "Outbox: 1 sent" in result.output


@pytest.mark.parametrize("lang, words", [("nl", ["Wat je volgt", "Eén keer per week"]),
                                         ("en", ["What you follow", "Once a week"])])
def test_the_preferences_page_in_both_languages(client, auth, db, world, lang, words):
    world.author.locale = lang
    db.session.commit()
    auth.login(world.author)
    html = client.get("/account/following").get_data(as_text=True)
    for word in words:
        assert word in html
    assert world.idea.title in html and "Preventie" in html
    assert re.search(r'<input checked[^>]*value="weekly"', html)
    response = auth.post("/account/following", {"digest": "daily"})
    assert response.status_code == 302
    assert db.session.get(User, world.author.id).digest == "daily"
    assert auth.post("/account/following", {"digest": "hourly"}).status_code == 422


def test_the_preferences_page_unfollows(client, auth, db, world):
    auth.login(world.author)
    auth.post(f"/follow/thinktank/{world.thinktank.id}", {"follow": "0", "next": "/account/following"})
    assert _follows(db, world.author) == {("idea", world.idea.id)}


def test_the_preferences_page_needs_a_sign_in(client):
    assert client.get("/account/following").status_code == 302


def test_the_preferences_page_queries_do_not_grow(client, auth, db, world, create_idea, count_queries):
    auth.login(world.author)
    follow_ops.follow(world.author, "plan", world.plan.id)
    first = action_ops.create_action(world.thinktank, by=world.chair, title="Eerste actie")
    follow_ops.follow(world.author, "action", first.id)
    db.session.commit()

    def count() -> int:
        with count_queries() as queries:
            assert client.get("/account/following").status_code == 200
        return len(queries)

    few = count()
    for n in range(6):
        create_idea(world.thinktank, world.author, title=f"Idee {n}")
        action = action_ops.create_action(world.thinktank, by=world.chair, title=f"Actie {n}")
        follow_ops.follow(world.author, "action", action.id)
    db.session.commit()
    assert count() == few


def test_old_events_sent_mails_and_unconfirmed_followers_are_pruned(db, world):
    from datetime import timedelta

    from samen.core.database import utcnow
    from samen.follows.fanout import prune
    follow_ops.request_email_follow("nooit@example.org", "plan", world.plan.id, now=utcnow() - timedelta(days=8))
    follow_ops.record_event("idea.status", "idea", world.idea.id)
    db.session.flush()
    db.session.scalar(select(FollowEvent)).fanned_out_at = utcnow() - timedelta(days=31)
    db.session.commit()
    assert prune() == 2
    assert db.session.scalar(select(EmailFollower)) is None



@pytest.mark.integration
def test_in_development_followers_are_told_right_after_the_commit(tmp_path):
    """FOLLOW_FANOUT_AFTER_COMMIT: `make run` needs no timer (samen/follows/worker.py)."""
    with migrated_app(f"sqlite:///{tmp_path / 'worker.db'}") as application:
        application.config["FOLLOW_FANOUT_AFTER_COMMIT"] = True
        worker.init_app(application)
        with application.app_context():
            tank = tt_ops.create_thinktank({"slug": "werk", "name": "Werk", "join_policy": "approval"})
            person = account_ops.create_user(email="a@example.org", display_name="A", password_hash="x")
            _db.session.commit()
            tt_ops.join_thinktank(tank, person)
            _db.session.commit()
            tt_ops.decide_membership(tt_ops.membership_of(tank, person), approve=True)
            _db.session.commit()
            for _ in range(200):
                _db.session.expire_all()
                if _db.session.scalar(select(FollowEvent.fanned_out_at)) is not None:
                    break
                time.sleep(0.05)
            assert _db.session.scalar(select(FollowEvent.told)) == 1
        application.extensions["samen_follow_worker"].shutdown(wait=True)


def test_the_download_lists_follows_and_deleting_the_account_removes_them(db, world):
    from samen.follows.privacy import erase_follows, export_follows
    follow_ops.unfollow(world.author, "thinktank", world.thinktank.id)
    assert {(row["kind"], row["following"]) for row in export_follows(world.author)} == {("idea", True),
                                                                                         ("thinktank", False)}
    follow_ops.record_event("membership.approved", "thinktank", world.thinktank.id, personal=world.author.id)
    follow_ops.record_event("idea.status", "idea", world.idea.id, actor=world.author)
    db.session.flush()
    assert erase_follows(world.author, keep_contributions=True) == {"follows deleted": 2,
                                                                    "personal events deleted": 1}
    assert db.session.scalar(select(FollowEvent.actor_id)) is None


@pytest.mark.parametrize("role, closed_idea, internal_action", [
    ("outsider", 404, 404), ("watcher", 404, 404), ("author", 302, 302), ("chair", 302, 302), ("admin", 302, 302)])
def test_who_may_follow_what_in_a_closed_think_tank(client, auth, db, world, admin, role, closed_idea,
                                                    internal_action):
    world.thinktank.join_policy = "approval"
    action = action_ops.create_action(world.thinktank, by=world.chair, title="Intern", public=False)
    db.session.commit()
    auth.login(admin if role == "admin" else getattr(world, role))
    assert auth.post(f"/follow/idea/{world.idea.id}", {"follow": "1"}).status_code == closed_idea
    assert auth.post(f"/follow/action/{action.id}", {"follow": "1"}).status_code == internal_action
    assert auth.post(f"/follow/thinktank/{world.thinktank.id}", {"follow": "1"}).status_code == 302  # public page
    assert auth.post(f"/follow/plan/{world.plan.id}", {"follow": "1"}).status_code == 302
