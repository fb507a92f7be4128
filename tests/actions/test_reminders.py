"""`flask reminders send`: due-date reminders to owners, each once, in the owner's language, retried after a failure."""
from __future__ import annotations

import smtplib
from datetime import date, timedelta
from typing import Any

import pytest
from flask_babel import force_locale, format_date
from sqlalchemy import func, select

from samen.actions import cli
from samen.actions.models import ReminderSent
from samen.core.mail import outbox
from samen.thinktanks import operations as tt_ops

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both

TODAY = date.today()


@pytest.fixture
def mails(app: Any) -> list[Any]:
    """Return the memory outbox, emptied (it lives as long as the app)."""
    messages = outbox().messages
    messages.clear()
    return messages


@pytest.fixture
def run(app: Any) -> Any:
    """Return a function that runs `flask reminders send` on a day and returns the result."""
    runner = app.test_cli_runner()

    def invoke(day: date = TODAY) -> Any:
        return runner.invoke(args=["reminders", "send", "--date", day.isoformat()])
    return invoke


def due(days: int) -> date:
    return TODAY + timedelta(days=days)


def subjects(mails: list[Any]) -> list[str]:
    return sorted(str(message["Subject"]) for message in mails)


@pytest.fixture
def owner(create_user: Any, thinktank: Any, db: Any) -> Any:
    """Return a member who owns actions and reads English (so the subjects can be checked as they are)."""
    user = create_user(display_name="Eigenaar", email="eigenaar@example.org", locale="en")
    tt_ops.join_thinktank(thinktank, user)
    db.session.commit()
    return user


def test_each_reminder_once_across_runs(thinktank, owner, create_action, run, mails, db):
    create_action(thinktank, owner=owner, title="Over een week", start_date=None, due_date=due(7))
    create_action(thinktank, owner=owner, title="Morgen", start_date=None, due_date=due(1))
    create_action(thinktank, owner=owner, title="Te laat", start_date=None, due_date=due(-3))
    create_action(thinktank, owner=owner, title="Over drie dagen", start_date=None, due_date=due(3))
    first = run()
    assert first.exit_code == 0, first.output
    assert subjects(mails) == ["Reminder: “Morgen” is due tomorrow", "Reminder: “Over een week” is due in 7 days",
                               "“Te laat” is past its due date"]
    assert "Reminders: 3 sent (due7 1, due1 1, overdue 1), 0 failed." in first.output
    assert {str(message["To"]) for message in mails} == {"eigenaar@example.org"}

    mails.clear()
    second = run()
    assert second.exit_code == 0 and mails == []
    assert "Reminders: 0 sent, 0 failed." in second.output
    assert db.session.scalar(select(func.count()).select_from(ReminderSent)) == 3


def test_the_right_kind_on_the_right_day(thinktank, owner, create_action, run, mails):
    create_action(thinktank, owner=owner, title="Verslag", start_date=None, due_date=due(8))
    expected = {0: [], 1: ["Reminder: “Verslag” is due in 7 days"], 2: [], 6: [],
                7: ["Reminder: “Verslag” is due tomorrow"], 8: [], 9: ["“Verslag” is past its due date"], 10: [],
                30: []}
    for day, kinds in expected.items():
        mails.clear()
        assert run(due(day)).exit_code == 0
        assert subjects(mails) == kinds, day


def test_done_and_stopped_actions_get_none(thinktank, owner, create_action, run, mails):
    create_action(thinktank, owner=owner, title="Klaar", start_date=None, due_date=due(-1), status="done")
    create_action(thinktank, owner=owner, title="Gestopt", start_date=None, due_date=due(1), status="stopped",
                  stop_reason="Geen budget meer.")
    create_action(thinktank, owner=owner, title="Klaar over een week", start_date=None, due_date=due(7),
                  status="done")
    assert run().exit_code == 0
    assert mails == []


def test_an_action_without_owner_reminds_the_chairs(thinktank, chair, owner, create_action, run, mails):
    create_action(thinktank, owner=None, title="Niemand", start_date=None, due_date=due(-1))
    assert run().exit_code == 0
    assert {str(message["To"]) for message in mails} == {chair.email}


def test_the_mail_tells_title_due_date_status_and_link(app, thinktank, owner, create_action, run, mails,
                                                       monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://samen.nijkerk.nl/")
    action = create_action(thinktank, owner=owner, title="Ouderavond organiseren", start_date=None,
                           due_date=due(7), status="in_progress", progress=40)
    assert run().exit_code == 0
    [message] = mails
    body = message.get_content()
    with force_locale("en"):
        due_text = format_date(due(7), "long")
    assert "Hello Eigenaar," in body
    assert "Ouderavond organiseren" in body and thinktank.name in body
    assert due_text in body
    assert "Status: In progress. Progress: 40%." in body
    assert f"https://samen.nijkerk.nl/actions/{action.id}" in body


def test_the_link_has_a_default_base_url(app, thinktank, owner, create_action, run, mails, monkeypatch):
    monkeypatch.delitem(app.config, "BASE_URL", raising=False)
    action = create_action(thinktank, owner=owner, start_date=None, due_date=due(1))
    assert run().exit_code == 0
    assert f"http://127.0.0.1:5000/actions/{action.id}" in mails[0].get_content()


@pytest.mark.parametrize("locale", ["nl", "en", None])
def test_the_mail_is_in_the_owners_language(locale, create_user, thinktank, create_action, run, mails, db):
    user = create_user(display_name="Eigenaar", locale=locale)
    tt_ops.join_thinktank(thinktank, user)
    db.session.commit()
    create_action(thinktank, owner=user, start_date=None, due_date=due(7))
    assert run().exit_code == 0
    body = mails[0].get_content()
    dates = {}
    for language in ("nl", "en"):
        with force_locale(language):
            dates[language] = format_date(due(7), "long")
    assert dates["nl"] != dates["en"]
    expected, other = ("en", "nl") if locale == "en" else ("nl", "en")  # no language of your own: Dutch
    assert dates[expected] in body and dates[other] not in body


def test_a_failed_mail_is_not_marked_sent_and_goes_at_the_next_run(thinktank, owner, create_user, create_action,
                                                                     run, mails, monkeypatch, db):
    refused = create_user(email="bestaat-niet@example.org", locale="en")
    tt_ops.join_thinktank(thinktank, refused)
    db.session.commit()
    create_action(thinktank, owner=refused, title="Eerst", start_date=None, due_date=due(1))
    create_action(thinktank, owner=owner, title="Daarna", start_date=None, due_date=due(1))
    real_send = cli.send_mail

    def failing(to: str, subject: str, body: str) -> Any:
        if to == "bestaat-niet@example.org":
            raise smtplib.SMTPRecipientsRefused({to: (550, b"No such user")})
        return real_send(to, subject, body)
    monkeypatch.setattr(cli, "send_mail", failing)
    result = run()
    assert result.exit_code == 1
    assert "Reminders: 1 sent (due1 1), 1 failed." in result.output
    assert subjects(mails) == ["Reminder: “Daarna” is due tomorrow"]
    assert db.session.scalar(select(func.count()).select_from(ReminderSent)) == 1

    monkeypatch.setattr(cli, "send_mail", real_send)
    mails.clear()
    again = run()
    assert again.exit_code == 0, again.output
    assert subjects(mails) == ["Reminder: “Eerst” is due tomorrow"]
    assert db.session.scalar(select(func.count()).select_from(ReminderSent)) == 2


def test_without_a_date_the_job_runs_for_today(thinktank, owner, create_action, app, mails):
    create_action(thinktank, owner=owner, title="Morgen", start_date=None,
                  due_date=cli.local_today() + timedelta(days=1))
    result = app.test_cli_runner().invoke(args=["reminders", "send"])
    assert result.exit_code == 0, result.output
    assert subjects(mails) == ["Reminder: “Morgen” is due tomorrow"]


def test_a_bad_date_is_refused(app, db):
    result = app.test_cli_runner().invoke(args=["reminders", "send", "--date", "23-11-2026"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output or "%Y-%m-%d" in result.output
