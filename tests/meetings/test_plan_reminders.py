"""Meeting reminders in `flask reminders send`: once per place, in the two days before, in the person's language;
a failed mail goes at the next run. The mail to whoever moves up from the waiting list."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from samen.meetings import operations as ops
from samen.meetings import reminders
from samen.core.mail import outbox
from tests.meetings.conftest import soon

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both


@pytest.fixture
def mails(app: Any) -> list[Any]:
    """Return the memory outbox, emptied (it lives as long as the app)."""
    messages = outbox().messages
    messages.clear()
    return messages


@pytest.fixture
def run(app: Any) -> Any:
    """Return a function that runs `flask reminders send` (on a day, or now) and returns the result."""
    runner = app.test_cli_runner()

    def invoke(day: date | None = None) -> Any:
        return runner.invoke(args=["reminders", "send", *(["--date", day.isoformat()] if day else [])])
    return invoke


def test_each_registered_person_is_reminded_once_in_the_two_days_before(db, create_meeting, thinktank, create_user,
                                                                        run, mails):
    tomorrow = create_meeting(thinktank, title="Morgenavond", starts_at=soon(1), capacity=1)
    later = create_meeting(thinktank, title="Volgende maand", starts_at=soon(30))
    dutch, english, waiting = create_user(locale="nl"), create_user(locale="en"), create_user()
    ops.register(tomorrow, dutch)
    ops.register(tomorrow, waiting)  # on the waiting list: no reminder
    other = create_meeting(thinktank, title="Overmorgen", starts_at=soon(1, hour=20))
    ops.register(other, english)
    ops.register(later, english)
    db.session.commit()
    first = run()
    assert first.exit_code == 0, first.output
    assert "Meeting reminders: 2 sent, 0 failed." in first.output
    by_recipient = {mail["To"]: mail for mail in mails}
    assert set(by_recipient) == {dutch.email, english.email}
    assert "Herinnering" in by_recipient[dutch.email]["Subject"]
    body = by_recipient[english.email].get_content()
    assert "Overmorgen" in body and f"/meetings/{other.id}.ics" in body and "Het Grote Huis" in body
    again = run()
    assert "Meeting reminders: 0 sent, 0 failed." in again.output and len(mails) == 2


def test_a_run_on_a_given_day_reminds_of_the_meetings_of_that_day_and_the_next(db, create_meeting, thinktank,
                                                                               user, run, mails):
    meeting = create_meeting(thinktank, starts_at=soon(10))
    ops.register(meeting, user)
    db.session.commit()
    assert "Meeting reminders: 0 sent" in run(date.today()).output
    assert "Meeting reminders: 1 sent" in run(meeting.starts_at.date() - timedelta(days=1)).output


def test_a_new_start_reminds_again(db, create_meeting, thinktank, chair, user, run, mails):
    meeting = create_meeting(thinktank, starts_at=soon(1))
    ops.register(meeting, user)
    db.session.commit()
    run()
    ops.update_meeting(meeting, by=chair, starts_at=soon(1, hour=20), ends_at=soon(1, hour=22))
    db.session.commit()
    assert "Meeting reminders: 1 sent" in run().output and len(mails) == 2


def test_a_failed_reminder_goes_at_the_next_run(db, create_meeting, thinktank, user, run, mails, monkeypatch):
    meeting = create_meeting(thinktank, starts_at=soon(1))
    ops.register(meeting, user)
    db.session.commit()
    real = reminders.send_mail

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError("mail server down")
    monkeypatch.setattr(reminders, "send_mail", refuse)
    failed = run()
    assert failed.exit_code == 1 and "Meeting reminders: 0 sent, 1 failed." in failed.output
    monkeypatch.setattr(reminders, "send_mail", real)
    assert "Meeting reminders: 1 sent, 0 failed." in run().output


def test_closed_or_cancelled_places_are_not_reminded(db, create_meeting, thinktank, user, create_user, run, mails):
    meeting = create_meeting(thinktank, starts_at=soon(1))
    ops.register(meeting, user)
    other = create_user()
    ops.register(meeting, other)
    ops.cancel_registration(meeting, other)
    db.session.commit()
    assert "Meeting reminders: 1 sent" in run().output and [m["To"] for m in mails] == [user.email]
