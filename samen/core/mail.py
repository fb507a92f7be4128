"""Sending e-mail through the backend MAIL_BACKEND names: console (default), file, smtp, or memory (tests).

`send_mail` delivers at once. `send_after_response` hands the message to the app's mail worker (one thread per
process) and returns: the request's answer does not wait for the mail server, so it takes as long whether or not
a mail was sent — what registration, sign-in and password reset need so as not to tell whether an address has an
account. `wait_for_mail` waits until the worker has delivered what it was given (tests, and commands that exit).
"""
from __future__ import annotations

import logging
import smtplib
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import Flask, current_app

from samen.core import inputs

log = logging.getLogger(__name__)


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
    deliver(message)
    return message


def deliver(message: EmailMessage) -> None:
    """Hand a built message to the configured backend; raise on a delivery error."""
    to, subject, body = message["To"], message["Subject"], message.get_content()
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


@dataclass
class MailWorker:
    """The app's thread that delivers mail after the response, and what it has not delivered yet."""

    executor: ThreadPoolExecutor
    pending: set[Future[None]] = field(default_factory=set)
    guard: threading.Lock = field(default_factory=threading.Lock)


_workers_guard = threading.Lock()


def _worker(app: Flask) -> MailWorker:
    with _workers_guard:
        worker = app.extensions.get("samen_mail_worker")
        if worker is None:
            # One thread: mail leaves in the order it was queued, and a slow mail server holds up no request.
            worker = MailWorker(ThreadPoolExecutor(max_workers=1, thread_name_prefix="samen-mail"))
            app.extensions["samen_mail_worker"] = worker
        return worker


def _deliver_in(app: Flask, message: EmailMessage) -> None:
    with app.app_context():
        try:
            deliver(message)
        except Exception:  # SMTP can fail in many ways; the worker must go on with the next mail
            log.exception("Could not send the e-mail %r to %s", str(message["Subject"]), message["To"])


def send_after_response(to: str, subject: str, body: str) -> EmailMessage:
    """Build one plain-text e-mail now and deliver it from the mail worker, without waiting; a delivery error is
    logged (the request has been answered by then)."""
    message = build_message(to, subject, body)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    worker = _worker(app)
    future = worker.executor.submit(_deliver_in, app, message)
    with worker.guard:
        worker.pending.add(future)
    future.add_done_callback(lambda done: _forget(worker, done))
    return message


def _forget(worker: MailWorker, future: Future[None]) -> None:
    with worker.guard:
        worker.pending.discard(future)


def wait_for_mail(app: Flask | None = None, timeout: float | None = 30) -> bool:
    """Wait until the mail worker has delivered (or failed to deliver) everything queued so far; return whether
    it has, within `timeout` seconds."""
    worker = (app or current_app).extensions.get("samen_mail_worker")
    if worker is None:
        return True
    with worker.guard:
        pending = set(worker.pending)
    return not wait(pending, timeout=timeout).not_done
