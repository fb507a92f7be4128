"""`flask mail …`: the fan-out of followed events, e-mail followers' digests and the outbox.

`flask mail run` does all three and is meant to run every minute (deploy/systemd/samen-mail.timer); the daily
`flask reminders send` keeps mailing the accounts' digests. See docs/notifications.md.
"""
from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from samen.actions.cli import local_today
from samen.core.database import db
from samen.core.mail import deliver
from samen.follows import fanout
from samen.follows import operations as ops
from samen.follows.mails import build_outbox_message, queue_follower_digest, queue_personal_mail
from samen.follows.models import OutboxMail

mail_cli = AppGroup("mail", help="Tell followers, send e-mail followers' digests, send the outbox.")


def deliver_outbox_mail(mail: OutboxMail) -> None:
    """Send one outbox mail through the configured backend (raises on a delivery error)."""
    deliver(build_outbox_message(mail))


def run_fan_out() -> str:
    """Fan out what waits; return the summary line."""
    result = fanout.fan_out(queue_personal_mail)
    return f"Fan-out: {result.events} events, {result.notifications} notifications, {result.mails} mails queued."


def run_outbox() -> tuple[str, int]:
    """Send what waits in the outbox; return the summary line and how many failed."""
    result = ops.send_outbox(deliver_outbox_mail)
    return (f"Outbox: {result.sent} sent, {result.failed} to try again, {result.given_up} given up.",
            result.failed + result.given_up)


def run_follower_digests(day: datetime | None = None) -> str:
    """Queue the e-mail followers' weekly digests that are due; return the summary line."""
    sent = fanout.follower_digests(day.date() if day else local_today(), queue_follower_digest)
    return f"E-mail followers' digests: {sent} queued."


@mail_cli.command("fan-out")
def fan_out_command() -> None:
    """Tell followers of what happened (notifications, immediate mails into the outbox)."""
    click.echo(run_fan_out())


@mail_cli.command("send-outbox")
def send_outbox_command() -> None:
    """Send the mails that wait in the outbox; exit 1 when one failed (it is tried again later)."""
    line, failed = run_outbox()
    click.echo(line)
    if failed:
        raise click.exceptions.Exit(1)


@mail_cli.command("digests")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Run as on this day (YYYY-MM-DD); today by default.")
def digests_command(day: datetime | None) -> None:
    """Queue the weekly digests of people who follow by e-mail (accounts' digests: `flask reminders send`)."""
    click.echo(run_follower_digests(day))


@mail_cli.command("run")
def run_command() -> None:
    """Fan out, queue the e-mail followers' digests that are due, and send the outbox: every minute from cron."""
    click.echo(run_fan_out())
    click.echo(run_follower_digests())
    line, failed = run_outbox()
    fanout.prune()
    db.session.commit()
    click.echo(line)
    if failed:
        raise click.exceptions.Exit(1)
