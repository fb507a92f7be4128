"""The plan's inbox on the website: the chair of a plenary (or the coordinator) assigns the ideas it collected
to think tanks, one at a time or several at once (samen/programme/inbox.py; docs/programme.md)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from samen.core.views import form_status, run_or_error
from samen.core.database import db
from samen.notifications.blueprint import describe_with
from samen.programme import inbox
from samen.programme.forms import AssignForm, AssignManyForm
from samen.thinktanks.models import ThinkTank
from samen.thinktanks.operations import get_thinktank

bp = Blueprint("programme", __name__, url_prefix="/programme")


@describe_with(inbox.NOTIFICATION)
def _describe_assigned(data: dict[str, Any]) -> str:
    return _("Your idea “%(title)s” from the plenary meeting went to the think tank %(thinktank)s.",
             title=data.get("title", ""), thinktank=data.get("thinktank", ""))


def _thinktanks() -> list[ThinkTank]:
    return list(db.session.scalars(select(ThinkTank).where(ThinkTank.archived_at.is_(None))
                                   .order_by(ThinkTank.position, ThinkTank.name)))


def _page(one: AssignForm | None = None, many: AssignManyForm | None = None) -> Any:
    items = inbox.waiting_for(current_user)
    tanks = _thinktanks()
    many = many or AssignManyForm(thinktanks=tanks, ideas=items)
    forms = {item.id: AssignForm(thinktanks=tanks, prefix=f"idea-{item.id}", formdata=None) for item in items}
    if one is not None:
        forms[int(one.idea.data)] = one
    return render_template("programme/inbox.html", items=items, forms=forms, many=many,
                           assigned=inbox.recently_assigned(current_user)), form_status(many, *forms.values())


@bp.route("/inbox")
@login_required
def index():
    """Show the ideas of plenary meetings that wait for a think tank, and those assigned lately."""
    return _page()


@bp.route("/inbox/<int:item_id>/assign", methods=["POST"])
@login_required
def assign_one(item_id: int):
    """Assign one inbox idea to a think tank."""
    form = AssignForm(thinktanks=_thinktanks(), prefix=f"idea-{item_id}")
    form.idea.data = str(item_id)
    if form.validate_on_submit() and (done := run_or_error(form, lambda: inbox.assign(
            inbox.find([item_id]), get_thinktank(form.thinktank.data), by=current_user),
            fields={"ideas": "thinktank"})):
        flash(_("The idea went to %(name)s; its author is told.", name=done.value[0].thinktank.name), "success")
        return redirect(url_for(".index"))
    return _page(one=form)


@bp.route("/inbox/assign", methods=["POST"])
@login_required
def assign_many():
    """Assign several inbox ideas to one think tank at once."""
    items = inbox.waiting_for(current_user)
    form = AssignManyForm(thinktanks=_thinktanks(), ideas=items)
    if not items and not request.form.getlist("ideas"):
        abort(404)
    if form.validate_on_submit() and (done := run_or_error(form, lambda: inbox.assign(
            inbox.find(form.ideas.data), get_thinktank(form.thinktank.data), by=current_user))):
        flash(ngettext("%(num)d idea went to %(name)s; its author is told.",
                       "%(num)d ideas went to %(name)s; their authors are told.", len(done.value),
                       name=done.value[0].thinktank.name), "success")
        return redirect(url_for(".index"))
    return _page(many=form)
