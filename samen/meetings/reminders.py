"""Meeting mails: the reminder before a meeting (run by `flask reminders send`), and the mail to someone who
moved up from the waiting list.

Each mail goes out in the recipient's language, with links from the BASE_URL setting. A reminder is claimed
(its registration stamped) before it is sent and the claim committed after, so two runs never send it twice; a
mail that cannot be sent is un-claimed and tried again at the next run.
"""
from __future__ import annotations

import logging
from datetime import date, datetime

from flask import Flask, render_template
from flask_babel import force_locale, gettext

from samen.actions.cli import absolute_url, add_mail_job, mail_locale
from samen.core.database import db
from samen.core.mail import send_mail
from samen.meetings import operations as ops
from samen.meetings.models import Registration

log = logging.getLogger(__name__)


def mail_reminder(registration: Registration) -> None:
    """Mail the holder of a place a reminder of the meeting, in their language."""
    user, meeting = registration.user, registration.meeting
    with force_locale(mail_locale(user)):
        subject = gettext("Reminder: “%(title)s” is coming up", title=meeting.title)
        body = render_template("mail/meeting_reminder.txt", user=user, meeting=meeting,
                               link=absolute_url(f"/meetings/{meeting.id}"),
                               ics=absolute_url(f"/meetings/{meeting.id}.ics"))
    send_mail(user.email, subject, body)


def mail_moved_up(registration: Registration) -> None:
    """Mail someone that a place came free and is theirs now."""
    user, meeting = registration.user, registration.meeting
    with force_locale(mail_locale(user)):
        subject = gettext("You have a place at “%(title)s”", title=meeting.title)
        body = render_template("mail/meeting_moved_up.txt", user=user, meeting=meeting,
                               link=absolute_url(f"/meetings/{meeting.id}"))
    send_mail(user.email, subject, body)


def mail_moved_up_all(moved: list[Registration]) -> int:
    """Mail each who moved up; a mail that fails is logged (the in-app notification is there); return failures."""
    failed = 0
    for registration in moved:
        try:
            mail_moved_up(registration)
        except Exception:  # a refused address or a mail server that is down
            log.exception("Could not mail registration %s that it moved up", registration.id)
            failed += 1
    return failed


def send_meeting_reminders(today: date, now: datetime) -> tuple[str, int]:
    """Remind every registered person of a meeting that starts within two days, once; return the log line."""
    sent = failed = 0
    for registration in ops.due_meeting_reminders(now):
        if not ops.claim_reminder(registration, now):
            continue
        try:
            mail_reminder(registration)
        except Exception:  # a refused address or a mail server that is down: try again at the next run
            log.exception("Could not send the reminder of registration %s", registration.id)
            db.session.rollback()
            failed += 1
        else:
            db.session.commit()
            sent += 1
    return f"Meeting reminders: {sent} sent, {failed} failed.", failed


def init_app(app: Flask) -> None:
    """Have `flask reminders send` remind people of their meetings."""
    add_mail_job(app, send_meeting_reminders)
