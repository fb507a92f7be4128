"""E-mail digests: daily at every run, weekly on Mondays, never for 'never'; each notification mailed once."""
from __future__ import annotations

import smtplib
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from flask_babel import force_locale, format_datetime
from sqlalchemy import select

from samen.follows.fanout import fan_out
from samen.actions import cli
from samen.core.mail import outbox
from samen.ideas import operations as idea_ops
from samen.notifications.blueprint import describe
from samen.notifications.digest import is_due, send_digests
from samen.notifications.models import Notification
from samen.notifications.operations import notify

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both

MONDAY = date(2026, 11, 23)
TUESDAY = MONDAY + timedelta(days=1)
SUNDAY = MONDAY - timedelta(days=1)


def at(day: date, hour: int = 7) -> datetime:
    return datetime(day.year, day.month, day.day, hour)


@pytest.fixture
def mails(app: Any) -> list[Any]:
    """Return the memory outbox, emptied (it lives as long as the app)."""
    messages = outbox().messages
    messages.clear()
    return messages


@pytest.fixture
def subscriber(create_user: Any, db: Any) -> Any:
    """Return a factory for users with a digest frequency (English unless told)."""
    def make(digest: str, **fields: Any) -> Any:
        fields.setdefault("locale", "en")
        user = create_user(**fields)
        user.digest = digest
        db.session.commit()
        return user
    return make


def add_notification(db: Any, user: Any, *, created: datetime, title: str = "Groepsdruk omdraaien") -> Notification:
    notify([user.id], "comment", url="/ideas/1#comment-1", idea_title=title)
    db.session.flush()
    notification = db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                                      .order_by(Notification.id.desc())).first()
    notification.created_at = created
    db.session.commit()
    return notification


def run(day: date, *, hour: int = 7) -> Any:
    return send_digests(day, cli.mail_digest, now=at(day, hour))


def waiting(db: Any, user: Any) -> int:
    return len(db.session.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.emailed_at.is_(None))).all())


def test_daily_gets_one_digest_with_each_notification_once(db, subscriber, mails):
    user = subscriber("daily", email="dagelijks@example.org")
    add_notification(db, user, created=at(SUNDAY, 9), title="Vrijplaats voor jongeren")
    add_notification(db, user, created=at(SUNDAY, 10), title="Meldingsbereidheid vergroten")
    result = run(MONDAY)
    assert (result.sent, result.notifications, result.failed) == (1, 2, 0)
    [message] = mails
    assert message["To"] == "dagelijks@example.org"
    assert message["Subject"] == "Samen: 2 new notifications"
    body = message.get_content()
    assert body.index("Vrijplaats voor jongeren") < body.index("Meldingsbereidheid vergroten")  # oldest first
    assert "http://localhost/ideas/1#comment-1" in body  # from BASE_URL
    assert waiting(db, user) == 0

    mails.clear()
    assert run(MONDAY, hour=8).sent == 0 and mails == []  # nothing new: no mail
    add_notification(db, user, created=at(MONDAY, 12), title="Ouders tijdig informeren")
    assert run(TUESDAY).sent == 1
    [message] = mails
    assert message["Subject"] == "Samen: 1 new notification"
    body = message.get_content()
    assert "Ouders tijdig informeren" in body and "Vrijplaats" not in body


def test_never_gets_nothing(db, subscriber, mails):
    user = subscriber("never")
    add_notification(db, user, created=at(SUNDAY))
    for day in (MONDAY, TUESDAY, MONDAY + timedelta(days=14)):
        assert run(day).sent == 0
    assert mails == [] and waiting(db, user) == 1


def test_weekly_on_mondays(db, subscriber, mails):
    user = subscriber("weekly")
    add_notification(db, user, created=at(SUNDAY - timedelta(days=2)))
    assert run(SUNDAY).sent == 0  # two days old, and not Monday
    assert run(MONDAY).sent == 1
    add_notification(db, user, created=at(MONDAY, 12))
    for day in range(1, 7):  # Tuesday to Sunday
        assert run(MONDAY + timedelta(days=day)).sent == 0, day
    assert run(MONDAY, hour=20).sent == 0  # a second run on the same Monday waits a week
    assert run(MONDAY + timedelta(days=7)).sent == 1
    assert len(mails) == 2 and waiting(db, user) == 0


def test_weekly_catches_up_after_a_missed_monday(db, subscriber, mails):
    user = subscriber("weekly")
    add_notification(db, user, created=at(SUNDAY - timedelta(days=7)))
    assert run(SUNDAY - timedelta(days=7)).sent == 0  # a Sunday
    assert run(MONDAY - timedelta(days=7)).sent == 1
    add_notification(db, user, created=at(MONDAY - timedelta(days=5)))
    assert run(SUNDAY).sent == 0  # six days after the last digest
    # The cron job did not run on Monday: on Tuesday the last digest is eight days old.
    assert run(TUESDAY).sent == 1


def test_weekly_without_an_earlier_digest_waits_at_most_a_week():
    oldest = at(MONDAY - timedelta(days=6))
    assert not is_due("weekly", SUNDAY, last_digest=None, oldest_waiting=at(SUNDAY - timedelta(days=2)))
    assert is_due("weekly", MONDAY, last_digest=None, oldest_waiting=at(SUNDAY))
    assert is_due("weekly", SUNDAY, last_digest=None, oldest_waiting=at(SUNDAY - timedelta(days=7)))
    assert not is_due("weekly", TUESDAY + timedelta(days=4), last_digest=at(TUESDAY), oldest_waiting=oldest)
    assert is_due("daily", TUESDAY, last_digest=at(TUESDAY), oldest_waiting=oldest)
    assert not is_due("never", MONDAY, last_digest=None, oldest_waiting=oldest)


def test_a_failed_mail_marks_nothing_and_goes_at_the_next_run(db, subscriber, mails, monkeypatch):
    refused = subscriber("daily", email="bestaat-niet@example.org")
    fine = subscriber("daily", email="ontvanger@example.org")
    add_notification(db, refused, created=at(SUNDAY))
    add_notification(db, fine, created=at(SUNDAY))
    real_send = cli.deliver

    def failing(message: Any) -> Any:
        if message["To"] == "bestaat-niet@example.org":
            raise smtplib.SMTPRecipientsRefused({message["To"]: (550, b"No such user")})
        return real_send(message)
    monkeypatch.setattr(cli, "deliver", failing)
    result = run(MONDAY)
    assert (result.sent, result.failed) == (1, 1)
    assert [message["To"] for message in mails] == ["ontvanger@example.org"]
    assert waiting(db, refused) == 1 and waiting(db, fine) == 0

    monkeypatch.setattr(cli, "deliver", real_send)
    mails.clear()
    assert run(TUESDAY).sent == 1
    assert [message["To"] for message in mails] == ["bestaat-niet@example.org"]
    assert waiting(db, refused) == 0


@pytest.mark.parametrize("locale", ["nl", "en", None])
def test_the_digest_is_in_the_users_language(locale, db, subscriber, mails):
    user = subscriber("daily", locale=locale)
    created = at(SUNDAY, 9)
    add_notification(db, user, created=created)
    assert run(MONDAY).sent == 1
    body = mails[0].get_content()
    moments = {}
    for language in ("nl", "en"):
        with force_locale(language):
            moments[language] = format_datetime(created, "short")
    assert moments["nl"] != moments["en"]
    expected, other = ("en", "nl") if locale == "en" else ("nl", "en")  # no language of your own: Dutch
    assert moments[expected] in body and moments[other] not in body


def test_what_happened_is_told_as_on_the_site_with_links(app, db, thinktank, member, chair, create_idea, mails,
                                                         monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://samen.nijkerk.nl")
    member.digest, member.locale = "weekly", "en"
    idea = create_idea(thinktank, member, title="Groepsdruk omdraaien")
    comment = idea_ops.add_comment(idea, author=member, body="Wie doet er mee?")
    idea_ops.add_comment(idea, author=chair, body="Goed idee.")
    idea_ops.add_comment(idea, author=chair, body="Ik help mee.", parent=comment)
    idea_ops.decide(idea, by=chair, status="discussion", answer="We bespreken het.")
    db.session.commit()
    fan_out(lambda user, event: None)  # the decision reaches the idea's followers (docs/notifications.md)
    notify([member.id], "something-new", url="https://elders.example/phishing")
    db.session.commit()
    assert run(MONDAY).notifications == 4  # a comment, a reply, a decision, and a kind of the future
    body = mails[0].get_content()
    notifications = db.session.scalars(select(Notification).where(Notification.user_id == member.id)
                                       .order_by(Notification.id)).all()
    with force_locale("en"):
        texts = [describe(notification) for notification in notifications]
    assert [text in body for text in texts] == [True] * 4
    assert "Under discussion" in texts[2] and "Groepsdruk omdraaien" in texts[0]
    assert f"https://samen.nijkerk.nl/ideas/{idea.id}#comment-" in body
    assert f"https://samen.nijkerk.nl/ideas/{idea.id}\n" in body
    assert "elders.example" not in body  # only addresses of this site are links
    assert "once a week" in body and "https://samen.nijkerk.nl/account" in body
    unsubscribe = mails[0]["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://samen.nijkerk.nl/unsubscribe/") and unsubscribe[1:-1] in body
    assert mails[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_command_sends_the_digests(app, db, subscriber, mails):
    user = subscriber("daily")
    add_notification(db, user, created=at(SUNDAY))
    result = app.test_cli_runner().invoke(args=["reminders", "send", "--date", MONDAY.isoformat()])
    assert result.exit_code == 0, result.output
    assert "Digests: 1 sent, 0 failed; notifications mailed: 1." in result.output
    again = app.test_cli_runner().invoke(args=["reminders", "send", "--date", MONDAY.isoformat()])
    assert "Digests: 0 sent, 0 failed; notifications mailed: 0." in again.output
    assert len(mails) == 1 and waiting(db, user) == 0
