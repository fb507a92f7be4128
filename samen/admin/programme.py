"""Administration of the programme: its lines (admins and the programme coordinator) and the plan-wide roles
(admins). Next to the think tanks' admin pages, at /admin/programme; docs/programme.md."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from samen.accounts.models import User
from samen.actions import operations as action_ops
from samen.admin.programme_forms import LineForm, PlanRoleForm
from samen.core.database import db
from samen.core.views import form_status, or_404, run_or_error, run_or_flash
from samen.programme import operations as ops
from samen.programme.models import PLAN_ROLES, Line
from samen.programme.roles import is_coordinator

bp = Blueprint("programme_admin", __name__, url_prefix="/admin/programme")


@bp.before_request
@login_required
def _coordinators_only():
    if not is_coordinator(current_user):
        abort(403)


def _line_page(form: LineForm, line: Line | None = None) -> Any:
    return render_template("admin/line_form.html", form=form, line=line), form_status(form)


def _form(line: Line | None = None, **kwargs: Any) -> LineForm:
    tanks = [tank for _line, group in ops.thinktanks_by_line() for tank in group]
    return LineForm(thinktanks=tanks, **kwargs)


@bp.route("/lines")
def lines():
    """List the lines in their order, each with its think tanks, the think tanks in no line, and the plan-wide
    action items (internal ones too)."""
    today = date.today()
    return render_template("admin/lines.html", groups=ops.thinktanks_by_line(), today=today,
                           actions=action_ops.list_actions(viewer=current_user, plan_wide=True, today=today),
                           statuses=action_ops.STATUS_LABELS)


@bp.route("/lines/new", methods=["GET", "POST"])
def new_line():
    """Add a line with its think tanks."""
    form = _form()
    if form.validate_on_submit() and (done := run_or_error(form, lambda: ops.create_line(
            by=current_user, name=form.name.data, slug=form.slug.data, description=form.description.data,
            thinktanks=form.thinktanks.data))):
        flash(_("The line %(name)s is added.", name=done.value.name), "success")
        return redirect(url_for(".lines"))
    return _line_page(form)


@bp.route("/lines/<slug>", methods=["GET", "POST"])
def edit_line(slug: str):
    """Change a line and which think tanks are in it."""
    line = or_404(ops.line_by_slug(slug))
    current = [str(tank.id) for found, group in ops.thinktanks_by_line() if found is line for tank in group]
    form = _form(line, data={"name": line.name, "slug": line.slug, "description": line.description,
                             "thinktanks": current})
    if form.validate_on_submit() and run_or_error(form, lambda: ops.update_line(
            line, by=current_user, name=form.name.data, slug=form.slug.data, description=form.description.data,
            thinktanks=form.thinktanks.data or [])):
        flash(_("Your changes are saved."), "success")
        return redirect(url_for(".lines"))
    return _line_page(form, line)


@bp.route("/lines/<slug>/<any(up, down):direction>", methods=["POST"])
def move_line(slug: str, direction: str):
    """Move a line one place up or down."""
    line = or_404(ops.line_by_slug(slug))
    if FlaskForm().validate_on_submit():
        run_or_flash(lambda: ops.move_line(line, by=current_user, direction=direction))
    return redirect(url_for(".lines"))


@bp.route("/lines/<slug>/delete", methods=["POST"])
def delete_line(slug: str):
    """Delete a line; its think tanks and plan-wide work stay, without a line."""
    line = or_404(ops.line_by_slug(slug))
    name = line.name
    if FlaskForm().validate_on_submit() and run_or_flash(lambda: ops.delete_line(line, by=current_user)):
        flash(_("The line %(name)s is deleted; its think tanks are in no line now.", name=name), "success")
    return redirect(url_for(".lines"))


# --- plan-wide roles -------------------------------------------------------------------------------------------

def _roles_page(form: PlanRoleForm) -> Any:
    if not current_user.is_admin:
        abort(403)
    return render_template("admin/plan_roles.html", form=form, holders=ops.role_holders(),
                           labels=ops.ROLE_LABELS), form_status(form)


@bp.route("/roles", methods=["GET", "POST"])
def roles():
    """Show who holds each plan-wide role, and grant one (admins)."""
    if not current_user.is_admin:
        abort(403)
    form = PlanRoleForm()
    if form.validate_on_submit() and (done := run_or_error(form, lambda: ops.grant_role(
            ops.find_person(form.person.data), form.role.data, by=current_user), fields={"role": "role"})):
        label = ops.ROLE_LABELS[form.role.data]
        flash(_("%(role)s: granted.", role=label) if done.value else _("%(role)s: this person already has it.",
                                                                          role=label), "success")
        return redirect(url_for(".roles"))
    return _roles_page(form)


@bp.route("/roles/<any(coordinator, field_worker, analyst):role>/<int:user_id>/revoke", methods=["POST"])
def revoke_role(role: str, user_id: int):
    """Take a plan-wide role away (admins)."""
    if not current_user.is_admin:
        abort(403)
    assert role in PLAN_ROLES
    user = db.get_or_404(User, user_id)
    if FlaskForm().validate_on_submit() and run_or_flash(lambda: ops.revoke_role(user, role, by=current_user)):
        flash(_("%(name)s no longer has the role %(role)s.", name=user.display_name,
                role=ops.ROLE_LABELS[role]), "success")
    return redirect(url_for(".roles"))
