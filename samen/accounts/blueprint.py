"""Register, sign in and out, profile, password and language."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from samen.accounts import operations as ops
from samen.accounts.forms import LanguageForm, LoginForm, PasswordChangeForm, ProfileForm, RegisterForm
from samen.accounts.models import User
from samen.core.database import db
from samen.core.errors import Conflict
from samen.core.security import is_safe_next
from samen.extensions import limiter, login_manager

bp = Blueprint("accounts", __name__)


@login_manager.user_loader
def _load_user(key: str) -> User | None:
    return ops.load_session(key, max_idle=current_app.config["REMEMBER_COOKIE_DURATION"])


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
    ops.start_session(user, user_agent=request.headers.get("User-Agent"))
    db.session.commit()
    login_user(user, remember=remember)
    session.permanent = True


def _next_url(target: str | None) -> str:
    return target if is_safe_next(target) else url_for("thinktanks.index")


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTER_RATE_LIMIT"], methods=["POST"])
def register():
    """Create an account and sign in."""
    if current_user.is_authenticated:
        return redirect(url_for("thinktanks.index"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = ops.create_user(email=form.email.data, display_name=form.display_name.data,
                                   password=form.password.data, kind=form.kind.data,
                                   organisation=form.organisation.data, locale=session.get("lang"))
        except Conflict as error:
            db.session.rollback()
            form.email.errors.append(error.message)
        else:
            _sign_in(user, remember=False)
            flash(_("Welcome, %(name)s! Your account is ready.", name=user.display_name), "success")
            return redirect(_next_url(request.args.get("next")))
    return render_template("accounts/register.html", form=form), 200 if not form.errors else 422


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    """Sign in with e-mail and password."""
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = ops.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("This e-mail address and password do not match."))
        else:
            _sign_in(user, remember=form.remember.data)
            flash(_("You are signed in."), "success")
            return redirect(_next_url(form.next.data))
    elif current_user.is_authenticated and request.method == "GET":
        return redirect(_next_url(request.args.get("next")))
    return render_template("accounts/login.html", form=form), 200 if not form.errors else 422


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
    """Edit your display name, kind, organisation and language."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        ops.update_profile(current_user, display_name=form.display_name.data, kind=form.kind.data,
                           organisation=form.organisation.data, locale=form.locale.data,
                           digest=form.digest.data)
        db.session.commit()
        if form.locale.data:
            session["lang"] = form.locale.data
        flash(_("Your profile is saved."), "success")
        return redirect(url_for(".profile"))
    return render_template("accounts/profile.html", form=form), 200 if not form.errors else 422


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change your password; your other sessions end."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not ops.verify_password(current_user, form.current.data):
            form.current.errors.append(_("This is not your current password."))
        else:
            ops.change_password(current_user, form.password.data)
            db.session.commit()
            flash(_("Your password is changed. Other devices have been signed out."), "success")
            return redirect(url_for(".profile"))
    return render_template("accounts/password.html", form=form), 200 if not form.errors else 422


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
