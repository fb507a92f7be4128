"""Sending e-mail through the backend MAIL_BACKEND names: console (default), file, smtp, or memory (tests)."""
from __future__ import annotations

import smtplib
import sys
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import current_app

from samen.core import inputs


@dataclass
class Outbox:
    """The messages the memory backend 'sent', for tests."""

    messages: list[EmailMessage] = field(default_factory=list)


def outbox() -> Outbox:
    """Return the current app's memory outbox."""
    return current_app.extensions.setdefault("samen_outbox", Outbox())


def build_message(to: str, subject: str, body: str) -> EmailMessage:
    """Return a plain-text e-mail from the configured sender."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    # Headers are one line each: a line break in a subject made of a title (stored before titles were single
    # lines, or through a path that forgot) would refuse the mail or add a header of the title's choosing.
    message["To"] = inputs.header_text(to)
    message["Subject"] = inputs.header_text(subject)
    message["Date"] = format_datetime(datetime.now().astimezone())
    message["Message-ID"] = make_msgid(domain="samen.local")
    message.set_content(body)
    return message


def send_mail(to: str, subject: str, body: str) -> EmailMessage:
    """Send one plain-text e-mail; raise on a delivery error so the caller can try again later."""
    message = build_message(to, subject, body)
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "memory":
        outbox().messages.append(message)
    elif backend == "file":
        folder = Path(current_app.config["MAIL_FILE_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{datetime.now():%Y%m%d-%H%M%S}-{message['Message-ID'].strip('<>').split('@')[0]}.eml"
        (folder / name).write_bytes(bytes(message))
    elif backend == "smtp":
        config = current_app.config
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
    else:  # console
        print(f"--- mail to {to}: {subject}\n{body}\n---", file=sys.stderr)  # noqa: T201 - the console backend
    return message
