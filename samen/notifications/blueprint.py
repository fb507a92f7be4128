"""The notification list and the unread count."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select

from samen.core.database import db
from samen.core.security import is_safe_next
from samen.core.views import signed_in_then
from samen.notifications import operations as ops
from samen.notifications.models import Notification

bp = Blueprint("notifications", __name__)
ID = "int(max=2147483647)"  # ids fit an INTEGER column: a larger number is a 404, not a database error

Describe = Callable[[dict[str, Any]], str]
_describers: dict[str, Describe] = {}


def describe_with(kind: str) -> Callable[[Describe], Describe]:
    """Register how notifications of a kind read; the feature that sends a kind says it in words."""
    def register(describe: Describe) -> Describe:
        _describers[kind] = describe
        return describe
    return register


def describe(notification: Notification) -> str:
    """Return a notification as a sentence in the reader's language."""
    describer = _describers.get(notification.kind)
    if describer is None:
        return _("There is news for you.")
    return describer(notification.data or {})


def unread_notifications() -> int | None:
    """Return the signed-in user's number of unread notifications (one query, once per request), else None."""
    if not current_user.is_authenticated:
        return None
    if "unread_notifications" not in g:
        g.unread_notifications = ops.unread_count(current_user)
    return g.unread_notifications


@bp.app_context_processor
def _unread_count() -> dict[str, Any]:
    # A function, not the number: only a page that shows the count (the header, for signed-in users) counts.
    return {"unread_notifications": unread_notifications}


def _list() -> str:
    """Where visitors go after signing in to use a button: their notifications."""
    return url_for("notifications.index")


@bp.route("/notifications")
@login_required
def index():
    """Show your latest notifications, newest first; the unread ones are marked as new."""
    items = [(item, describe(item), item.url if is_safe_next(item.url) else None)
             for item in ops.recent(current_user)]
    return render_template("notifications/index.html", items=items, limit=ops.PAGE_SIZE)


@bp.route("/notifications/read", methods=["POST"])
@signed_in_then(_list)
def read_all():
    """Mark all your notifications as read."""
    if FlaskForm().validate_on_submit():
        ops.mark_read(current_user)
        db.session.commit()
        flash(_("All notifications are marked as read."), "success")
    return redirect(url_for(".index"))


@bp.route(f"/notifications/<{ID}:notification_id>/read", methods=["POST"])
@signed_in_then(_list)
def read(notification_id: int):
    """Mark one of your notifications as read and go where it points (a page of this site only)."""
    notification = db.first_or_404(select(Notification).where(
        Notification.id == notification_id, Notification.user_id == current_user.id))
    target = notification.url
    if FlaskForm().validate_on_submit():
        ops.mark_read(current_user, notification.id)
        db.session.commit()
    return redirect(target if is_safe_next(target) else url_for(".index"))
