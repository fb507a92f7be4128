"""The plan's home page, the think tanks, joining and leaving, members and requests."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from samen.core.database import db
from samen.core.errors import DomainError
from samen.thinktanks import operations as ops
from samen.thinktanks.models import Membership, ThinkTank
from samen.thinktanks.permissions import can_chair, can_see_members, is_admin

bp = Blueprint("thinktanks", __name__)


def _load(slug: str) -> ThinkTank:
    thinktank = ops.get_thinktank(slug)
    if thinktank is None:
        abort(404)
    return thinktank


@bp.route("/")
def index():
    """Show the plan and its active think tanks."""
    return render_template("thinktanks/index.html", plan=ops.get_plan(),
                           thinktanks=ops.thinktanks_with_counts())


@bp.route("/thinktanks/")
def list_thinktanks():
    """List the think tanks: the active ones, then the archived ones."""
    rows = ops.thinktanks_with_counts(include_archived=True)
    return render_template("thinktanks/list.html", active=[row for row in rows if not row[0].is_archived],
                           archived=[row for row in rows if row[0].is_archived])


@bp.route("/thinktanks/<slug>")
def show(slug: str):
    """Show a think tank: description, chairs, member count, and your membership."""
    thinktank = _load(slug)
    membership = ops.membership_of(thinktank, current_user)
    chairing = can_chair(current_user, membership)
    return render_template("thinktanks/show.html", thinktank=thinktank, membership=membership,
                           chairs=ops.chairs(thinktank), member_count=ops.member_count(thinktank),
                           can_chair=chairing, can_see_members=can_see_members(current_user, membership),
                           is_admin=is_admin(current_user),
                           pending_count=ops.pending_count(thinktank) if chairing else 0)


@bp.route("/thinktanks/<slug>/join", methods=["POST"])
@login_required
def join(slug: str):
    """Join the think tank, or ask to join."""
    thinktank = _load(slug)
    if FlaskForm().validate_on_submit():
        try:
            membership = ops.join_thinktank(thinktank, current_user)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            if membership.is_active:
                flash(_("You are now a member of %(name)s.", name=thinktank.name), "success")
            else:
                flash(_("Your request to join is sent. A chair will look at it."), "success")
    return redirect(url_for(".show", slug=slug))


@bp.route("/thinktanks/<slug>/leave", methods=["POST"])
@login_required
def leave(slug: str):
    """Leave the think tank, or withdraw a request to join."""
    thinktank = _load(slug)
    if FlaskForm().validate_on_submit():
        try:
            ops.leave_thinktank(thinktank, current_user)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("You have left %(name)s.", name=thinktank.name), "success")
    return redirect(url_for(".show", slug=slug))


@bp.route("/thinktanks/<slug>/members")
@login_required
def members(slug: str):
    """List the members (for members, chairs and admins) and, for chairs, the requests to join."""
    thinktank = _load(slug)
    membership = ops.membership_of(thinktank, current_user)
    if not can_see_members(current_user, membership):
        abort(403)
    chairing = can_chair(current_user, membership)
    pending = ops.memberships(thinktank, status="pending") if chairing else []
    return render_template("thinktanks/members.html", thinktank=thinktank, members=ops.memberships(thinktank),
                           pending=pending, can_chair=chairing)


@bp.route("/thinktanks/<slug>/requests/<int:membership_id>/<any(approve, reject):decision>", methods=["POST"])
@login_required
def decide(slug: str, membership_id: int, decision: str):
    """Approve or turn down a request to join (chairs and admins)."""
    thinktank = _load(slug)
    if not can_chair(current_user, ops.membership_of(thinktank, current_user)):
        abort(403)
    request_membership = db.get_or_404(Membership, membership_id)
    if request_membership.thinktank_id != thinktank.id:
        abort(404)
    if FlaskForm().validate_on_submit():
        name = request_membership.user.display_name
        try:
            ops.decide_membership(request_membership, approve=decision == "approve")
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("%(name)s is now a member.", name=name) if decision == "approve"
                  else _("The request of %(name)s was turned down.", name=name), "success")
    return redirect(url_for(".members", slug=slug))
