"""The account e-mails: unlock link, password reset link, e-mail change confirmation and notice, the confirmation
of a new account's address, and the notice that someone tried to register with an address that has an account.

The mails that sign-in, registration and password reset cause leave after the response (send_after_response):
whether one is sent must not show in how long the answer takes. Each is written in the recipient's language
(their own, else the page's) and its links start with the BASE_URL
setting, never with the address the request came in on: a forged Host header must not end up in a reset link.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app, has_request_context, render_template
from flask_babel import force_locale, format_timedelta, get_locale, gettext as _

from samen.accounts.models import User
from samen.core.hosts import external_url
from samen.core.mail import send_after_response, send_mail

log = logging.getLogger(__name__)


def absolute_url(endpoint: str, **values: str) -> str:
    """Return the full address of a page of this site, from BASE_URL."""
    return external_url(endpoint, **values)


def mail_locale(user: User) -> str:
    """Return the language to write to the user in: their own, else the page's, else the site's default."""
    languages = current_app.config["LANGUAGES"]
    if user.locale in languages:
        return user.locale
    page = str(get_locale()) if has_request_context() else None
    return page if page in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def _lifetime(duration: timedelta) -> str:
    return format_timedelta(duration, threshold=1.0)


def _send(to: str, subject: str, body: str, *, later: bool = False) -> bool:
    """Send one e-mail (after the response when `later`); log a delivery error and return False rather than
    fail the request (a mail sent later reports its error in the log only)."""
    try:
        (send_after_response if later else send_mail)(to, subject, body)
    except Exception:  # SMTP can fail in many ways; the request must still get an answer
        log.exception("Could not send the e-mail %r to %s", subject, to)
        return False
    return True


def send_unlock(user: User, secret: str) -> bool:
    """Tell the user their account is locked, with the link that unlocks it."""
    with force_locale(mail_locale(user)):
        subject = _("Your Samen account is locked")
        body = render_template("mail/unlock.txt", user=user,
                               link=absolute_url("accounts.unlock", secret=secret),
                               lifetime=_lifetime(current_app.config["UNLOCK_TOKEN_LIFETIME"]),
                               attempts=current_app.config["LOGIN_LOCKOUT_THRESHOLD"],
                               forgot_link=absolute_url("accounts.forgot_password"))
    return _send(user.email, subject, body, later=True)


def send_password_reset(user: User, secret: str) -> bool:
    """Send the link to choose a new password."""
    with force_locale(mail_locale(user)):
        subject = _("Choose a new password for Samen")
        body = render_template("mail/password_reset.txt", user=user,
                               link=absolute_url("accounts.reset_password", secret=secret),
                               lifetime=_lifetime(current_app.config["PASSWORD_RESET_TOKEN_LIFETIME"]))
    return _send(user.email, subject, body, later=True)


def send_email_change(user: User, new_email: str, secret: str) -> bool:
    """Send the confirmation link to the new address, and a notice to the old one."""
    with force_locale(mail_locale(user)):
        subject = _("Confirm your new e-mail address for Samen")
        body = render_template("mail/email_change_confirm.txt", user=user, new_email=new_email,
                               link=absolute_url("accounts.confirm_email", secret=secret),
                               lifetime=_lifetime(current_app.config["EMAIL_CHANGE_TOKEN_LIFETIME"]))
        notice_subject = _("Your e-mail address for Samen is about to change")
        notice = render_template("mail/email_change_notice.txt", user=user, new_email=new_email,
                                 password_link=absolute_url("accounts.forgot_password"))
    sent = _send(new_email, subject, body)
    _send(user.email, notice_subject, notice)
    return sent


def send_confirmation(user: User, secret: str) -> bool:
    """Send the link that confirms a new account's e-mail address."""
    with force_locale(mail_locale(user)):
        subject = _("Confirm your e-mail address for Samen")
        body = render_template("mail/email_confirm.txt", user=user,
                               link=absolute_url("accounts.confirm_address", secret=secret),
                               lifetime=_lifetime(current_app.config["EMAIL_CONFIRM_TOKEN_LIFETIME"]))
    return _send(user.email, subject, body, later=True)


def send_registration_attempt(user: User) -> bool:
    """Tell the owner of an address that someone tried to register with it (perhaps they forgot they had an
    account): sign in, or choose a new password."""
    with force_locale(mail_locale(user)):
        subject = _("Someone tried to register with your e-mail address")
        body = render_template("mail/registration_attempt.txt", user=user,
                               login_link=absolute_url("accounts.login"),
                               forgot_link=absolute_url("accounts.forgot_password"))
    return _send(user.email, subject, body, later=True)
