"""The privacy page, 'your data' (download), 'delete my account', and the confirm-password step they share."""
from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import (Blueprint, Response, current_app, flash, redirect, render_template, request, session,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user, user_logged_in

from samen.accounts import operations as account_ops
from samen.core.database import db, utcnow
from samen.core.errors import Conflict
from samen.core.security import is_safe_next
from samen.core.views import form_status
from samen.extensions import limiter
from samen.privacy import operations as ops
from samen.privacy.forms import ConfirmPasswordForm, DeleteAccountForm
from samen.thinktanks.operations import get_plan

bp = Blueprint("privacy", __name__)
CONFIRMED = "privacy_confirmed"  # in the cookie session: [user id, when the password was last confirmed]


@user_logged_in.connect
def _password_just_entered(_app: Any, user: Any, **_extra: Any) -> None:
    """Signing in with the password (not with a remember-me cookie, which sends another signal) confirms it."""
    session[CONFIRMED] = [user.id, time.time()]


def _confirmed_recently() -> bool:
    """Tell whether the signed-in user entered their password on this device within REAUTH_MINUTES."""
    value = session.get(CONFIRMED)
    if not isinstance(value, list) or len(value) != 2 or value[0] != current_user.id:
        return False
    window = max(1, current_app.config["REAUTH_MINUTES"]) * 60
    return 0 <= time.time() - float(value[1]) <= window


def password_confirmed(view: Callable[..., Any]) -> Callable[..., Any]:
    """Send the user to the confirm-password step first, unless they confirmed it a few minutes ago."""
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not _confirmed_recently():
            return redirect(url_for(".confirm", next=request.path))
        return view(*args, **kwargs)
    return wrapper


@bp.route("/privacy")
def policy():
    """Say what Samen stores about whom, why, for how long, and what you can do about it."""
    return render_template("privacy/policy.html", plan=get_plan())


@bp.route("/account/data")
@login_required
def overview():
    """Show what is stored about you, with the download and the deletion."""
    return render_template("privacy/data.html")


@bp.route("/account/confirm", methods=["GET", "POST"])
@login_required
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def confirm():
    """Ask for the password again before your data leaves the site or your account is deleted."""
    target = request.values.get("next", "")
    form = ConfirmPasswordForm(next=target if is_safe_next(target) else "")
    if form.validate_on_submit():
        if account_ops.verify_password(current_user, form.password.data):
            session[CONFIRMED] = [current_user.id, time.time()]
            return redirect(form.next.data if is_safe_next(form.next.data) else url_for(".overview"))
        form.password.errors.append(_("This is not your password."))
    return render_template("privacy/confirm.html", form=form,
                           minutes=max(1, current_app.config["REAUTH_MINUTES"])), form_status(form)


@bp.route("/account/data/download")
@login_required
@password_confirmed
def download():
    """Download everything stored about you as one JSON file."""
    body = ops.to_json(ops.export_user_data(current_user._get_current_object()))
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="samen-my-data-{utcnow():%Y-%m-%d}.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
@password_confirmed
def delete():
    """Delete your account, keeping or removing what you wrote."""
    form = DeleteAccountForm()
    problem = None
    if form.validate_on_submit():
        try:
            ops.delete_account(current_user._get_current_object(),
                               keep_contributions=form.contributions.data == "keep",
                               hash_key=current_app.config["SECRET_KEY"])
        except Conflict as error:
            db.session.rollback()
            problem = error.message
        else:
            db.session.commit()
            logout_user()
            # logout_user() marks the remember-me cookie for deletion in the session ("_remember"); keep that mark.
            kept = {key: session[key] for key in ("lang", "_remember") if key in session}
            session.clear()
            session.update(kept)
            flash(_("Your account is deleted. Thank you for taking part."), "success")
            return redirect(url_for("thinktanks.index"))
    status = 409 if problem else 422 if form.errors else 200
    return render_template("privacy/delete.html", form=form, problem=problem), status
