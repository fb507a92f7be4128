"""Register, sign in and out, profile, password and language; lockout, password reset and e-mail change."""
from __future__ import annotations

import hashlib
from typing import Any

from flask import (Blueprint, Response, abort, current_app, flash, redirect, render_template, request, session,
                   url_for)
from flask_babel import format_timedelta, get_locale, gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from samen.accounts import groups, mails, organisations, signin
from samen.accounts import operations as ops
from samen.accounts.forms import (ApiTokenForm, EmailChangeForm, ForgotPasswordForm, LanguageForm, LoginForm,
                                  PasswordChangeForm, ProfileForm, RegisterForm, ResetPasswordForm)
from samen.accounts.models import User
from samen.core import ratelimit
from samen.core.database import db, utcnow
from samen.core.timing import no_sooner_than
from samen.core.errors import Conflict
from samen.core.security import is_safe_next, no_store
from samen.core.views import form_next, form_status, run_or_error, signed_in
from samen.extensions import login_manager

bp = Blueprint("accounts", __name__)
AFTER_REGISTERING = "next_after_registering"  # in the session: where a new account was going (a local path)


@bp.after_request
def _never_stored(response: Response) -> Response:
    """Sign-in, registration, reset and account pages hold passwords, tokens or personal data: never cache."""
    return no_store(response)


def session_policy() -> ops.SessionPolicy:
    """Return the session timeouts the settings ask for."""
    config = current_app.config
    return ops.SessionPolicy(idle=config["SESSION_IDLE_TIMEOUT"], absolute=config["SESSION_ABSOLUTE_TIMEOUT"],
                             remember=config["REMEMBER_COOKIE_DURATION"])


@login_manager.user_loader
def _load_user(key: str) -> User | None:
    try:
        return ops.load_session(key, policy=session_policy())
    except ops.SessionExpired:
        flash(_("Your session has ended because it was not used for a while or lasted too long. "
                "Please sign in again."), "info")
        session["_remember"] = "clear"  # Flask-Login deletes the remember-me cookie at the end of this request
        return None


def _reset_session(*keep: str) -> None:
    """Empty the cookie session but for the named keys (the chosen language, and the like)."""
    kept = {key: session[key] for key in keep if key in session}
    session.clear()
    session.update(kept)


def _sign_in(user: User, *, remember: bool) -> None:
    """Start a fresh session: drop whatever the old one held, so a planted cookie gains nothing."""
    if current_user.is_authenticated:
        # Signing in over an existing sign-in replaces it; the old key must not stay valid.
        ops.end_session(current_user.session_key)
    _reset_session("lang")
    ops.start_session(user, user_agent=request.headers.get("User-Agent"), remember=remember)
    db.session.commit()
    login_user(user, remember=remember)
    session.permanent = True


def sign_in(user: User, *, remember: bool = False) -> None:
    """Sign the user in on this browser with a fresh session (for features that make an account: an accepted
    invitation, samen/people)."""
    _sign_in(user, remember=remember)


def _next_url(target: str | None) -> str:
    return target if is_safe_next(target) else url_for("thinktanks.index")


def _safe_next(target: str | None) -> str | None:
    """Return `target` when it is a local page (is_safe_next), else None."""
    return target if is_safe_next(target) else None


def _confirmation_mail_allowed(email: str) -> bool:
    """Count one confirmation (or registration-attempt) e-mail to this address; False once EMAIL_CONFIRM_RATE_LIMIT
    is used up, whoever asks (registering again and again must not flood someone's mailbox)."""
    key = "email-confirm:" + hashlib.sha256(ops.normalize_email(email).encode()).hexdigest()
    return ratelimit.hit(key, current_app.config["EMAIL_CONFIRM_RATE_LIMIT"])


def _organisation_choice(form: Any, *, user: User | None = None) -> organisations.Choice | None:
    """Check the organisation chosen on the form (accounts/organisations.check_choice)."""
    found = organisations.register()
    return organisations.check_choice(
        form.kind.data, form.organisation.data, form.organisation_note.data,
        offered=found.offered() if found is not None else [],
        has_one=bool(user is not None and (user.organisation or (found is not None and found.has_organisation(user)))))


def _file_organisation(user: User, choice: organisations.Choice | None) -> None:
    """Ask to be a contact of the chosen organisation, or leave the note for the administrators."""
    found = organisations.register()
    if choice is not None and found is not None:
        found.file(user, choice)


def _register(form: RegisterForm) -> tuple[ops.RegistrationResult, str | None]:
    choice = _organisation_choice(form)
    registration = ops.register_user(
        email=form.email.data, display_name=form.display_name.data, password=form.password.data,
        kind=form.kind.data, organisation=None, locale=session.get("lang"),
        accepted_terms=bool(form.accept_terms.data), under_16=bool(form.under_16.data), organisation_chosen=True)
    secret = None
    if registration.user is not None:
        _file_organisation(registration.user, choice)
        groups.set_groups(registration.user, form.groups.data or [])
        secret = ops.start_email_confirmation(registration.user,
                                              lifetime=current_app.config["EMAIL_CONFIRM_TOKEN_LIFETIME"])
    return registration, secret


def _offer_groups(form: Any) -> None:
    """Offer the groups administrators keep (accounts/groups.py), named in the page's language, and the register
    of organisations (accounts/organisations.py)."""
    locale = get_locale()
    form.groups.choices = [(str(group.id), group.name(locale)) for group in groups.offered_groups()]
    form.organisation.choices = organisations.choices(_("Choose your organisation"))


@bp.route("/register", methods=["GET", "POST"])
@ratelimit.per_address("REGISTER_RATE_LIMIT", methods=["POST"])
@no_sooner_than("ACCOUNT_FORM_MIN_SECONDS")
def register():
    """Register an account and send the link that confirms its address.

    An address that has an account gets the same answer — 'check your e-mail' — and its owner a notice instead
    of a new account, so the page tells nobody whether an address is registered (docs/security.md)."""
    if current_user.is_authenticated:
        return redirect(_next_url(request.args.get("next")))
    form = RegisterForm(next=_safe_next(request.args.get("next")))
    _offer_groups(form)
    if form.validate_on_submit() and (done := run_or_error(form, lambda: _register(form))):
        registration, secret = done.value
        address = ops.normalize_email(form.email.data)
        if _confirmation_mail_allowed(address):
            if registration.user is not None and secret is not None:
                mails.send_confirmation(registration.user, secret)
            elif registration.existing is not None:
                mails.send_registration_attempt(registration.existing)
        session["registered_email"] = address
        # Where they were going (a meeting's live page): the sign-in after confirming leads there.
        if target := _safe_next(form.next.data):
            session[AFTER_REGISTERING] = target
        return redirect(url_for(".registered"))
    return render_template("accounts/register.html", form=form), form_status(form)


@bp.route("/register/sent")
def registered():
    """Say that the confirmation e-mail is on its way, and what to do with it."""
    # The address is shown once: it need not stay in the (signed, not encrypted) session cookie.
    return render_template("accounts/registered.html", email=session.pop("registered_email", None),
                           lifetime=_lifetime("EMAIL_CONFIRM_TOKEN_LIFETIME"),
                           next=_safe_next(session.get(AFTER_REGISTERING)))


@bp.route("/terms")
def terms():
    """Show the terms of use that registering agrees to."""
    return render_template("accounts/terms.html", version=ops.TERMS_VERSION)


@bp.route("/register/confirm/<secret>", methods=["GET", "POST"])
def confirm_address(secret: str):
    """Confirm your e-mail address with the link sent to it: the page asks, the button confirms (a mail scanner
    that follows the link does not use it up). Works signed in or not."""
    token = ops.find_token(secret, "email_confirm")
    if token is None:
        return _link_gone()
    form = FlaskForm()
    if form.validate_on_submit():
        user = ops.confirm_email_address(secret)
        if user is None:
            return _link_gone()
        db.session.commit()
        flash(_("Your e-mail address %(email)s is confirmed. You can now take part.", email=user.email), "success")
        signed_in_here = current_user.is_authenticated and current_user.id == user.id
        target = _safe_next(session.pop(AFTER_REGISTERING, None))
        if signed_in_here:
            return redirect(target or url_for("thinktanks.index"))
        return redirect(url_for(".login", next=target))
    return render_template("accounts/confirm_address.html", form=form, user=token.user)


@bp.route("/register/resend", methods=["POST"])
@signed_in
@ratelimit.per_user("EMAIL_CONFIRM_RATE_LIMIT", scope="email-confirm")
def resend_confirmation():
    """Send the confirmation link again (earlier links stop working); back to the page the button was on."""
    back = form_next() or url_for("thinktanks.index")
    if not FlaskForm().validate_on_submit():
        return redirect(back)
    if current_user.is_confirmed:
        flash(_("Your e-mail address is confirmed already."), "info")
    elif not _confirmation_mail_allowed(current_user.email):
        flash(_("We have sent several e-mails to %(email)s in a short time. Please wait a while and look in your "
                "spam folder too.", email=current_user.email), "error")
    else:
        secret = ops.start_email_confirmation(current_user,
                                              lifetime=current_app.config["EMAIL_CONFIRM_TOKEN_LIFETIME"])
        db.session.commit()
        if secret is not None:
            mails.send_confirmation(current_user, secret)
        flash(_("We have sent a new link to %(email)s. It works once, for %(lifetime)s; earlier links no longer "
                "work.", email=current_user.email, lifetime=_lifetime("EMAIL_CONFIRM_TOKEN_LIFETIME")), "success")
    return redirect(back)


@bp.route("/login", methods=["GET", "POST"])
@ratelimit.per_address("LOGIN_RATE_LIMIT", methods=["POST"], scope="sign-in")
@no_sooner_than("ACCOUNT_FORM_MIN_SECONDS")
def login():
    """Sign in with e-mail and password; a locked account is refused whatever the password."""
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = signin.check_sign_in(form.email.data, form.password.data)
        except signin.SignInRefused as refusal:
            (form.email if refusal.locked or refusal.suspended else form.password).errors.append(refusal.message)
        else:
            _sign_in(user, remember=form.remember.data)
            flash(_("You are signed in."), "success")
            return redirect(_next_url(form.next.data))
    elif current_user.is_authenticated and request.method == "GET":
        return redirect(_next_url(request.args.get("next")))
    return render_template("accounts/login.html", form=form), form_status(form)


@bp.route("/logout", methods=["POST"])
def logout():
    """End this session for good: its cookie and remember-me cookie no longer work."""
    if current_user.is_authenticated:
        ops.end_session(current_user.session_key)
        db.session.commit()
    logout_user()
    # logout_user() marks the remember-me cookie for deletion in the session ("_remember"); keep that mark.
    _reset_session("lang", "_remember")
    flash(_("You are signed out."), "success")
    return redirect(url_for("thinktanks.index"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile():
    """Edit your display name, kind and language, and ask to be a contact of your organisation."""
    form = ProfileForm(obj=current_user, data={"groups": [str(i) for i in groups.group_ids_of(current_user)],
                                               "organisation": "", "organisation_note": ""})
    _offer_groups(form)
    if current_user.under_16:
        del form.digest  # no e-mail digests under 16 (docs/privacy.md): there is nothing to choose

    def save() -> None:
        choice = _organisation_choice(form, user=current_user)
        ops.update_profile(current_user, display_name=form.display_name.data, kind=form.kind.data,
                           organisation=current_user.organisation, locale=form.locale.data,
                           digest=form.digest.data if "digest" in form else None, organisation_chosen=True)
        _file_organisation(current_user, choice)
        groups.set_groups(current_user, form.groups.data or [])

    if form.validate_on_submit() and run_or_error(form, save):
        if form.locale.data:
            session["lang"] = form.locale.data
        flash(_("Your profile is saved."), "success")
        return redirect(url_for(".profile"))
    pending = ops.pending_email_change(current_user)
    return render_template("accounts/profile.html", form=form, pending=pending), form_status(form)


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
# Whoever holds a signed-in session must not try passwords here faster than at the sign-in form.
@ratelimit.per_user("LOGIN_RATE_LIMIT", scope="password-check", methods=["POST"])
def change_password():
    """Change your password; your other sessions end."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not ops.verify_password(current_user, form.current.data):
            form.current.errors.append(_("This is not your current password."))
        else:
            ops.change_password(current_user, form.password.data)
            db.session.commit()
            flash(_("Your password is changed. Other devices have been signed out and your API tokens were "
                    "revoked."), "success")
            return redirect(url_for(".profile"))
    return render_template("accounts/password.html", form=form), form_status(form)


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def api_tokens():
    """List your API tokens and create one; its secret is shown once, on the page that answers the form."""
    config = current_app.config
    form = ApiTokenForm(max_days=config["API_TOKEN_MAX_DAYS"],
                        data={"expires_in_days": str(config["API_TOKEN_DEFAULT_DAYS"])})
    created = None
    if form.validate_on_submit() and (done := run_or_error(form, lambda: ops.issue_api_token(
            current_user, name=form.name.data, days=form.expires_in_days.data,
            max_days=config["API_TOKEN_MAX_DAYS"]))):
        created = done.value
        form = ApiTokenForm(formdata=None, max_days=config["API_TOKEN_MAX_DAYS"],
                            data={"expires_in_days": str(config["API_TOKEN_DEFAULT_DAYS"])})
    return render_template("accounts/tokens.html", form=form, tokens=ops.api_tokens_of(current_user),
                           created=created, now=utcnow()), 201 if created else form_status(form)


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_api_token(token_id: int):
    """Revoke one of your API tokens: it stops working at once, and so do live connections opened with it."""
    if FlaskForm().validate_on_submit():
        if not ops.revoke_api_token(current_user, token_id):
            abort(404)
        db.session.commit()
        flash(_("The token is revoked. Programs that use it can no longer sign in with it."), "success")
    return redirect(url_for(".api_tokens"))


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch the language of the site for this visitor (and in the profile of a signed-in user)."""
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.lang.data
        if current_user.is_authenticated:
            ops.set_locale(current_user, form.lang.data)
            db.session.commit()
    return redirect(_next_url(form.next.data))


# --- locked accounts, forgotten passwords, e-mail changes ----------------------------------------------------

def _link_gone() -> tuple[str, int]:
    """Explain that an e-mailed link is unknown, used or expired (one answer for all three)."""
    return render_template("accounts/link_gone.html"), 404


def _lifetime(setting: str) -> str:
    return format_timedelta(current_app.config[setting], threshold=1.0)


@bp.route("/unlock/<secret>", methods=["GET", "POST"])
def unlock(secret: str):
    """Unlock a locked account with the e-mailed link: the page asks, the button unlocks (a mail scanner that
    follows the link does not use it up)."""
    token = ops.find_token(secret, "unlock")
    if token is None:
        return _link_gone()
    form = FlaskForm()
    if form.validate_on_submit():
        if ops.unlock_with_token(secret) is None:
            return _link_gone()
        db.session.commit()
        flash(_("Your account is unlocked. You can sign in again."), "success")
        return redirect(url_for(".login"))
    return render_template("accounts/unlock.html", form=form, user=token.user)


@bp.route("/password/forgot", methods=["GET", "POST"])
@ratelimit.per_address("PASSWORD_RESET_RATE_LIMIT", methods=["POST"])
@no_sooner_than("ACCOUNT_FORM_MIN_SECONDS")
def forgot_password():
    """Ask for a link to choose a new password; the answer is the same whether the address is known or not."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = ops.find_user_by_email(form.email.data)
        # A few e-mails per address and hour at most, silently: the page must not tell that one was sent.
        if user is not None and ratelimit.hit(f"password-reset:{user.id}",
                                              current_app.config["PASSWORD_RESET_RATE_LIMIT"]):
            secret = ops.issue_token(user, "password_reset",
                                     lifetime=current_app.config["PASSWORD_RESET_TOKEN_LIFETIME"])
            db.session.commit()
            mails.send_password_reset(user, secret)
        flash(_("If an account uses %(email)s, we have sent it an e-mail with a link to choose a new password. "
                "The link works once, for %(lifetime)s.", email=ops.normalize_email(form.email.data),
                lifetime=_lifetime("PASSWORD_RESET_TOKEN_LIFETIME")), "info")
        return redirect(url_for(".login"))
    return render_template("accounts/forgot.html", form=form), form_status(form)


@bp.route("/password/reset/<secret>", methods=["GET", "POST"])
def reset_password(secret: str):
    """Choose a new password with the e-mailed link; every session of the account ends, and it is unlocked."""
    token = ops.find_token(secret, "password_reset")
    if token is None:
        return _link_gone()
    user = token.user
    form = ResetPasswordForm(user_inputs=[user.email, user.display_name])
    if form.validate_on_submit():
        if ops.reset_password(secret, form.password.data) is None:
            return _link_gone()
        db.session.commit()
        if current_user.is_authenticated:
            logout_user()  # this browser's session was ended with the others
        _reset_session("lang", "_remember")
        flash(_("Your new password is set. Every device was signed out and your API tokens were revoked. "
                "Sign in with your new password."), "success")
        return redirect(url_for(".login"))
    return render_template("accounts/reset.html", form=form, user=user), form_status(form)


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
@ratelimit.per_user("EMAIL_CHANGE_RATE_LIMIT", scope="email-change", methods=["POST"])
def change_email():
    """Ask to change your e-mail address: the new address gets a link, the old one a notice."""
    form = EmailChangeForm()
    if form.validate_on_submit():
        if not ops.verify_password(current_user, form.password.data):
            form.password.errors.append(_("This is not your current password."))
        elif done := run_or_error(form, lambda: ops.request_email_change(
                current_user, form.email.data, lifetime=current_app.config["EMAIL_CHANGE_TOKEN_LIFETIME"]),
                fields={None: "email"}):  # every mistake here is about the new address
            new_email = ops.normalize_email(form.email.data)
            if mails.send_email_change(current_user, new_email, done.value):
                flash(_("We have sent a link to %(new)s. Your address changes when you open it; until then "
                        "you keep using %(old)s.", new=new_email, old=current_user.email), "success")
            else:
                flash(_("The e-mail to %(new)s could not be sent. Please try again later.", new=new_email),
                      "error")
            return redirect(url_for(".profile"))
    return render_template("accounts/email.html", form=form, pending=ops.pending_email_change(current_user),
                           lifetime=_lifetime("EMAIL_CHANGE_TOKEN_LIFETIME")), form_status(form)


@bp.route("/account/email/confirm/<secret>", methods=["GET", "POST"])
def confirm_email(secret: str):
    """Confirm a new e-mail address with the link sent to it: the page asks, the button changes it."""
    token = ops.find_token(secret, "email_change")
    if token is None:
        return _link_gone()
    form = FlaskForm()
    problem: Any = None
    if form.validate_on_submit():
        try:
            changed = ops.confirm_email_change(secret)
        except Conflict as error:
            db.session.rollback()
            problem = error.message
        else:
            if changed is None:
                return _link_gone()
            db.session.commit()
            user, _old = changed
            flash(_("Your e-mail address is now %(email)s.", email=user.email), "success")
            signed_in = current_user.is_authenticated and current_user.id == user.id
            return redirect(url_for(".profile" if signed_in else ".login"))
    return render_template("accounts/confirm_email.html", form=form, token=token,
                           problem=problem), 409 if problem else 200
