"""The mails of following: rendered in the reader's language, each with a one-click unsubscribe (RFC 8058) and a
link to the preferences, and put in the outbox (sent by `flask mail send-outbox`)."""
from __future__ import annotations

from email.message import EmailMessage
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale, gettext, ngettext

from samen.accounts.models import User
from samen.actions.cli import absolute_url, mail_locale
from samen.core.mail import build_message
from samen.follows import operations as ops
from samen.follows.models import EmailFollower, FollowEvent, OutboxMail
from samen.follows.tokens import add_unsubscribe, unsubscribe_path
from samen.notifications.blueprint import describe
from samen.notifications.models import Notification

PREFERENCES = "/account/following"


def build_outbox_message(mail: OutboxMail) -> EmailMessage:
    """Return the message of an outbox row, with its unsubscribe headers."""
    return add_unsubscribe(build_message(mail.to, mail.subject, mail.body), mail.unsubscribe_url or None)


def event_text(event: FollowEvent) -> str:
    """Return an event as the notification list words it, in the current language."""
    return describe(Notification(kind=event.kind, data=event.data or {}))


def _follower_locale(follower: EmailFollower) -> str:
    languages = current_app.config["LANGUAGES"]
    return follower.locale if follower.locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def queue_personal_mail(user: User, event: FollowEvent) -> None:
    """Put the immediate mail of a personal event (assigned to you, your membership, your idea adopted) in the
    outbox, in the user's language."""
    unsubscribe = absolute_url(unsubscribe_path("user", user.id)) or ""
    with force_locale(mail_locale(user)):
        text = event_text(event)
        body = render_template("mail/follow_event.txt", name=user.display_name, text=text,
                               link=absolute_url(event.url or "/"), preferences=absolute_url(PREFERENCES),
                               unsubscribe=unsubscribe)
        subject = gettext("Samen: %(text)s", text=text)
    ops.queue_mail(user.email, subject, body, unsubscribe_url=unsubscribe)


def queue_follower_digest(follower: EmailFollower, events: list[FollowEvent]) -> None:
    """Put an e-mail follower's weekly digest in the outbox."""
    unsubscribe = absolute_url(unsubscribe_path("follower", follower.id)) or ""
    with force_locale(_follower_locale(follower)):
        items = [(event, event_text(event), absolute_url(event.url or "/")) for event in events]
        body = render_template("mail/follow_digest.txt", items=items, unsubscribe=unsubscribe)
        subject = ngettext("Samen: %(num)d update on what you follow", "Samen: %(num)d updates on what you follow",
                           len(items))
    ops.queue_mail(follower.email, subject, body, unsubscribe_url=unsubscribe)


def queue_confirmation(request: ops.EmailFollowRequest, what: str) -> None:
    """Put the confirmation mail of an e-mail follow in the outbox (it leaves from the worker, so the answer
    takes as long for a known address as for a new one)."""
    with force_locale(request.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = render_template("mail/follow_confirm.txt", what=what,
                               link=absolute_url(f"/follow/confirm/{request.secret}"))
        subject = gettext("Samen: confirm that you want to follow %(what)s", what=what)
    ops.queue_mail(request.email, subject, body)


def preview(mail: OutboxMail) -> dict[str, Any]:
    """Return a mail's headers and text (tests, the command's --dry-run)."""
    message = build_outbox_message(mail)
    return {"headers": dict(message.items()), "body": message.get_content()}
