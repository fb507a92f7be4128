"""The plan's home page, the think tanks, joining and leaving, members and requests."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from samen.core.database import db
from samen.core.views import form_next, or_404, run_or_flash
from samen.thinktanks import operations as ops
from samen.thinktanks.models import Membership
from samen.thinktanks.permissions import can_chair, can_see_members, is_admin

bp = Blueprint("thinktanks", __name__)


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
    thinktank = or_404(ops.get_thinktank(slug))
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
    """Join the think tank, or ask to join; back to the page the form was on (its `next`: a meeting's live page
    joins in one tap), else the think tank's page."""
    thinktank = or_404(ops.get_thinktank(slug))
    if FlaskForm().validate_on_submit() and (done := run_or_flash(
            lambda: ops.join_thinktank(thinktank, current_user))):
        if done.value.is_active:
            flash(_("You are now a member of %(name)s.", name=thinktank.name), "success")
        else:
            flash(_("Your request to join is sent. A chair will look at it."), "success")
    return redirect(form_next() or url_for(".show", slug=slug))


@bp.route("/thinktanks/<slug>/leave", methods=["POST"])
@login_required
def leave(slug: str):
    """Leave the think tank, or withdraw a request to join."""
    thinktank = or_404(ops.get_thinktank(slug))
    if FlaskForm().validate_on_submit() and run_or_flash(
            lambda: ops.leave_thinktank(thinktank, current_user)):
        flash(_("You have left %(name)s.", name=thinktank.name), "success")
    return redirect(url_for(".show", slug=slug))


@bp.route("/thinktanks/<slug>/members")
@login_required
def members(slug: str):
    """List the members (for members, chairs and admins) and, for chairs, the requests to join."""
    thinktank = or_404(ops.get_thinktank(slug))
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
    thinktank = or_404(ops.get_thinktank(slug))
    if not can_chair(current_user, ops.membership_of(thinktank, current_user)):
        abort(403)
    request_membership = db.get_or_404(Membership, membership_id)
    if request_membership.thinktank_id != thinktank.id:
        abort(404)
    if FlaskForm().validate_on_submit():
        name = request_membership.user.display_name
        if run_or_flash(lambda: ops.decide_membership(request_membership, approve=decision == "approve")):
            flash(_("%(name)s is now a member.", name=name) if decision == "approve"
                  else _("The request of %(name)s was turned down.", name=name), "success")
    return redirect(url_for(".members", slug=slug))
