"""The invitation e-mails: to a new person (set a password and join) or to an address that has an account (you
were invited, sign in to accept) — the same link either way. They leave after the response, so how long inviting
takes tells nothing about accounts either."""
from __future__ import annotations

import hashlib
import logging

from flask import current_app, render_template
from flask_babel import force_locale, format_timedelta, gettext as _

from samen.accounts import operations as account_ops
from samen.accounts.mails import absolute_url, mail_locale
from samen.core import ratelimit
from samen.core.mail import send_after_response
from samen.people.operations import Sent
from samen.thinktanks.operations import get_plan

log = logging.getLogger(__name__)


def mail_allowed(address: str) -> bool:
    """Count one invitation mail to this address, whoever sends it, on the web or through the API
    (INVITATION_MAIL_RATE_LIMIT)."""
    key = "invite-mail:" + hashlib.sha256(account_ops.normalize_email(address).encode()).hexdigest()
    return ratelimit.hit(key, current_app.config["INVITATION_MAIL_RATE_LIMIT"])


def send_invitation(sent: Sent, *, inviter_name: str, locale: str) -> bool:
    """Send one invitation in the language of the account, else of the inviter's page."""
    invitation, account = sent.invitation, sent.account
    language = mail_locale(account) if account is not None else locale
    with force_locale(language):
        plan = get_plan()
        tank = invitation.thinktank.name if invitation.thinktank else None
        lifetime = format_timedelta(current_app.config["INVITATION_TOKEN_LIFETIME"], threshold=1.0)
        link = absolute_url("people.accept", secret=sent.secret)
        if account is not None:
            subject = (_("You were invited to %(thinktank)s: sign in to accept", thinktank=tank) if tank
                       else _("You were invited to take part in %(plan)s: sign in to accept", plan=plan.title))
            template = "mail/invitation_existing.txt"
        else:
            subject = (_("You are invited to %(thinktank)s in %(plan)s", thinktank=tank, plan=plan.title) if tank
                       else _("You are invited to take part in %(plan)s", plan=plan.title))
            template = "mail/invitation_new.txt"
        body = render_template(template, invitation=invitation, account=account, plan=plan, thinktank=tank,
                               inviter=inviter_name, link=link, lifetime=lifetime)
    try:
        send_after_response(invitation.email, subject, body)
    except Exception:  # the other invitations of the list still go
        log.exception("Could not send the invitation %s", invitation.id)
        return False
    return True
