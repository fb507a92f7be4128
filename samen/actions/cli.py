"""`flask reminders send`: the daily mail job — due-date reminders to action owners, and the e-mail digests.

Run it once a day from cron (see the README). Each mail goes out in the recipient's language; links start with
the BASE_URL setting, since a command has no request to take the site's address from.
"""
from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import click
from flask import Flask, current_app, render_template
from flask.cli import AppGroup
from flask_babel import force_locale, gettext, ngettext

from samen.accounts.models import User
from samen.actions import operations as ops
from samen.actions.models import ActionItem
from samen.core.database import db, utcnow
from samen.core.mail import build_message, deliver, send_mail
from samen.core.security import is_safe_next
from samen.follows.tokens import add_unsubscribe, unsubscribe_path
from samen.notifications.blueprint import describe
from samen.notifications.digest import DigestResult, send_digests
from samen.notifications.models import Notification

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "http://127.0.0.1:5000"
REMINDER_KINDS = ("due7", "due1", "overdue", "stale")

reminders_cli = AppGroup("reminders", help="Due-date reminders and e-mail digests.")

# Features above this one add their own daily mails here (samen/meetings/reminders.py), per app: a job takes the
# day and the moment the run stands for, mails what is due, and returns a line for the cron log and how many
# mails failed.
MailJob = Callable[[date, datetime], tuple[str, int]]
MAIL_JOBS = "samen_mail_jobs"


def add_mail_job(app: Flask, job: MailJob) -> None:
    """Have `flask reminders send` run this job too."""
    app.extensions.setdefault(MAIL_JOBS, []).append(job)


def absolute_url(path: str) -> str | None:
    """Return the full address of a path of this site, from the BASE_URL setting; None for anything else."""
    if not is_safe_next(path):
        return None
    return (current_app.config.get("BASE_URL") or DEFAULT_BASE_URL).rstrip("/") + path


def mail_locale(user: User) -> str:
    """Return the language to write to the user in: their own, else the site's default (Dutch)."""
    languages = current_app.config["LANGUAGES"]
    return user.locale if user.locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def local_today() -> date:
    """Return today's date where the municipality is (the TIMEZONE setting), whatever the server's clock says."""
    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


# --- the mails -------------------------------------------------------------------------------------------------

def _reminder_subject(kind: str, title: str) -> str:
    if kind == "due7":
        return gettext("Reminder: “%(title)s” is due in 7 days", title=title)
    if kind == "due1":
        return gettext("Reminder: “%(title)s” is due tomorrow", title=title)
    if kind == "stale":
        return gettext("Reminder: “%(title)s” has had no update for weeks", title=title)
    return gettext("“%(title)s” is past its due date", title=title)


def mail_reminder(action: ActionItem, kind: str, recipients: list[User]) -> None:
    """Mail each recipient (ops.reminder_recipients) a reminder of this kind about the action, in their language."""
    for recipient in recipients:
        with force_locale(mail_locale(recipient)):
            subject = _reminder_subject(kind, action.title)
            body = render_template("mail/reminder.txt", action=action, owner=recipient, kind=kind,
                                   responsible=recipient.id == action.owner_id,
                                   status=ops.STATUS_LABELS[action.status],
                                   link=absolute_url(f"/actions/{action.id}"))
        send_mail(recipient.email, subject, body)


def mail_digest(user: User, notifications: list[Notification]) -> None:
    """Mail a user the digest of their notifications, in the user's language, worded as on the site."""
    with force_locale(mail_locale(user)):
        subject = ngettext("Samen: %(num)d new notification", "Samen: %(num)d new notifications",
                           len(notifications))
        items = [(notification, describe(notification), absolute_url(notification.url))
                 for notification in notifications]
        unsubscribe = absolute_url(unsubscribe_path("user", user.id))
        body = render_template("mail/digest.txt", user=user, items=items, unsubscribe=unsubscribe,
                               settings_link=absolute_url("/account/following"))
    # One-click unsubscribe in every notification mail (RFC 8058, docs/notifications.md).
    deliver(add_unsubscribe(build_message(user.email, subject, body), unsubscribe))


# --- the job ---------------------------------------------------------------------------------------------------

@dataclass
class ReminderResult:
    """What a run of the reminders did."""

    sent: Counter[str] = field(default_factory=Counter)  # by kind
    failed: int = 0


def send_due_reminders(today: date) -> ReminderResult:
    """Mail every reminder due today once; one that cannot be sent is tried again at the next run."""
    result = ReminderResult()

    def send(action: ActionItem, kind: str, recipients: list[User]) -> None:
        try:
            mail_reminder(action, kind, recipients)
        except Exception:  # a refused address or a mail server that is down
            log.exception("Could not send the %s reminder of action %s", kind, action.id)
            # send_reminders claimed this reminder in the open transaction: undo the claim, so the next run
            # tries again, and go on with the other owners (send_reminders then commits nothing).
            db.session.rollback()
            result.failed += 1
        else:
            result.sent[kind] += 1

    ops.send_reminders(today, send, stale_weeks=current_app.config.get("ACTION_STALE_WEEKS", ops.STALE_WEEKS))
    return result


def summary(reminders: ReminderResult, digests: DigestResult) -> str:
    """Return what a run did, in two lines for the cron log."""
    kinds = ", ".join(f"{kind} {reminders.sent[kind]}" for kind in REMINDER_KINDS if reminders.sent[kind])
    return (f"Reminders: {sum(reminders.sent.values())} sent{f' ({kinds})' if kinds else ''}, "
            f"{reminders.failed} failed.\n"
            f"Digests: {digests.sent} sent, {digests.failed} failed; notifications mailed: {digests.notifications}.")


@reminders_cli.command("send")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Run as on this day (YYYY-MM-DD); today by default.")
def send_command(day: datetime | None) -> None:
    """Mail the due-date reminders and e-mail digests.

    Run it daily, e.g. from cron: the responsible person and the lead organisation's contacts (else the
    chairs) hear 7 days and 1 day before an action's due date, once it is overdue, and when it has had no
    update for ACTION_STALE_WEEKS weeks; users who asked for a daily or weekly digest get their new
    notifications; people registered for a meeting are reminded in the two days before it. Each mail goes
    once; one that fails is tried again at the next run (and the exit code is 1).
    """
    today = day.date() if day else local_today()
    # The moment the run stands for: now, or the start of the given day where the municipality is.
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    now = utcnow() if day is None else datetime.combine(today, time.min, zone).astimezone(UTC).replace(tzinfo=None)
    reminders = send_due_reminders(today)
    digests = send_digests(today, mail_digest)
    click.echo(summary(reminders, digests))
    failed = 0
    for job in current_app.extensions.get(MAIL_JOBS, []):
        line, job_failed = job(today, now)
        click.echo(line)
        failed += job_failed
    if reminders.failed or digests.failed or failed:
        raise click.exceptions.Exit(1)  # cron reports it; the failed mails are tried again at the next run
