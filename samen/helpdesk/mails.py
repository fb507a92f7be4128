"""The help desk's e-mails: the team hears that a request came in (never what it says), and a sender who gave an
address and agreed receives the team's replies."""
from __future__ import annotations

import logging

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from samen.accounts.mails import absolute_url, mail_locale
from samen.core.mail import send_mail
from samen.helpdesk import operations as ops
from samen.helpdesk.models import HelpMessage, HelpRequest

log = logging.getLogger(__name__)


def _send(to: str, subject: str, body: str) -> bool:
    """Send one e-mail; log a delivery error (without the address) and return False rather than fail."""
    try:
        send_mail(to, subject, body)
    except Exception:  # SMTP can fail in many ways; the sender's request is stored all the same
        log.exception("Could not send the help-desk e-mail %r", subject)
        return False
    return True


def notify_team(request: HelpRequest) -> int:
    """Tell every team member that a request came in, how urgent, and where to read it; return how many mails."""
    sent = 0
    for member in ops.team():
        with force_locale(mail_locale(member)):
            subject = _("Urgent help request") if request.urgent else _("New help request")
            body = render_template("mail/help_request_new.txt", member=member, urgent=request.urgent,
                                   link=absolute_url("helpdesk.show", request_id=str(request.id)))
        sent += _send(member.email, subject, body)
    return sent


def mail_reply(request: HelpRequest, message: HelpMessage) -> bool:
    """Send a reply of the team to the sender's address, if they gave one and agreed; return whether sent."""
    address = ops.mail_reply_to(request)
    if address is None:
        return False
    subject = _("A reply to your help request")
    body = render_template("mail/help_reply.txt", reply=message.body)
    return _send(address, subject, body)
