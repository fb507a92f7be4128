"""Administration: the plan, think tanks, chairs and admins. Site admins only."""
from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import func, or_, select

from samen.accounts import operations as account_ops
from samen.accounts.models import User
from samen.admin.forms import AuditFilterForm, SuspendForm
from samen.audit import operations as audit_ops
from samen.audit.models import AuditEntry
from samen.core import inputs
from samen.core.database import db
from samen.core.views import form_status, or_404, run_or_error
from samen.help.admin import bp as help_admin
from samen.thinktanks import operations as ops
from samen.thinktanks.forms import AppointChairForm, PlanForm, ThinkTankForm
from samen.thinktanks.models import ThinkTank

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.register_blueprint(help_admin)  # /admin/hulp: the help pages' directory and questions, behind the check below
USERS_PER_PAGE = 50
AUDIT_PER_PAGE = 50
# Where an audit entry's subject can be seen, by its type.
SUBJECT_PAGES = {"idea": ("ideas.show", "idea_id"), "action": ("actions.show", "action_id"),
                 "indicator": ("actions.indicator", "indicator_id"), "user": ("admin.show_user", "user_id"),
                 "help_question": ("help.question", "question_id"),
                 "help_entry": ("admin.help.edit_entry", "entry_id")}


@bp.before_request
@login_required
def _admins_only():
    if not current_user.is_admin:
        abort(403)


def _form_data(form: ThinkTankForm) -> dict:
    return {name: form[name].data for name in ops.THINKTANK_FIELDS} | {"position": form.position.data or 0}


def _edit_page(thinktank: ThinkTank, form: ThinkTankForm, chair_form: AppointChairForm) -> Any:
    return render_template("admin/thinktank_form.html", form=form, thinktank=thinktank,
                           chairs=ops.chairs(thinktank), chair_form=chair_form,
                           pending_count=ops.pending_count(thinktank)), form_status(form, chair_form)


@bp.route("/")
def index():
    """Show the plan, the think tanks and links to the other admin pages."""
    return render_template("admin/index.html", plan=ops.get_plan(),
                           thinktanks=ops.thinktanks_with_counts(include_archived=True))


@bp.route("/plan", methods=["GET", "POST"])
def edit_plan():
    """Edit the plan's title, municipality and introduction."""
    plan = ops.get_plan()
    form = PlanForm(obj=plan)
    if form.validate_on_submit() and run_or_error(form, lambda: ops.update_plan(
            plan, title=form.title.data, municipality=form.municipality.data,
            introduction=form.introduction.data or "")):
        flash(_("The plan is saved."), "success")
        return redirect(url_for(".index"))
    return render_template("admin/plan.html", form=form), form_status(form)


@bp.route("/thinktanks/new", methods=["GET", "POST"])
def new_thinktank():
    """Create a think tank."""
    form = ThinkTankForm()
    if form.validate_on_submit() and (done := run_or_error(
            form, lambda: ops.create_thinktank(_form_data(form)))):
        thinktank = done.value
        flash(_("Think tank %(name)s is created. Now appoint its chairs.", name=thinktank.name), "success")
        return redirect(url_for(".edit_thinktank", slug=thinktank.slug))
    return render_template("admin/thinktank_form.html", form=form, thinktank=None), form_status(form)


@bp.route("/thinktanks/<slug>", methods=["GET", "POST"])
def edit_thinktank(slug: str):
    """Edit a think tank, its chairs and whether it is archived."""
    thinktank = or_404(ops.get_thinktank(slug))
    form = ThinkTankForm(obj=thinktank)
    if form.validate_on_submit() and run_or_error(
            form, lambda: ops.update_thinktank(thinktank, _form_data(form))):
        flash(_("The think tank is saved."), "success")
        return redirect(url_for(".edit_thinktank", slug=thinktank.slug))
    return _edit_page(thinktank, form, AppointChairForm(formdata=None))


@bp.route("/thinktanks/<slug>/<any(archive, restore):what>", methods=["POST"])
def archive_thinktank(slug: str, what: str):
    """Archive a think tank (read-only from then on), or restore it."""
    thinktank = or_404(ops.get_thinktank(slug))
    if FlaskForm().validate_on_submit():
        ops.archive_thinktank(thinktank, archived=what == "archive")
        db.session.commit()
        flash(_("The think tank is archived.") if what == "archive" else _("The think tank is active again."),
              "success")
    return redirect(url_for(".edit_thinktank", slug=slug))


@bp.route("/thinktanks/<slug>/chairs", methods=["POST"])
def appoint_chair(slug: str):
    """Appoint a chair by e-mail address; the user becomes a member."""
    thinktank = or_404(ops.get_thinktank(slug))
    chair_form = AppointChairForm()
    if chair_form.validate_on_submit():
        user = account_ops.find_user_by_email(chair_form.email.data)
        if user is None:
            chair_form.email.errors.append(_("There is no account with this e-mail address. "
                                             "Ask the person to register first."))
        else:
            ops.appoint_chair(thinktank, user)
            db.session.commit()
            flash(_("%(name)s is now a chair.", name=user.display_name), "success")
            return redirect(url_for(".edit_thinktank", slug=slug))
    return _edit_page(thinktank, ThinkTankForm(formdata=None, obj=thinktank), chair_form)


@bp.route("/thinktanks/<slug>/chairs/<int:user_id>/dismiss", methods=["POST"])
def dismiss_chair(slug: str, user_id: int):
    """Make a chair an ordinary member again."""
    thinktank = or_404(ops.get_thinktank(slug))
    user = db.get_or_404(User, user_id)
    if FlaskForm().validate_on_submit():
        ops.dismiss_chair(thinktank, user)
        db.session.commit()
        flash(_("%(name)s is no longer a chair.", name=user.display_name), "success")
    return redirect(url_for(".edit_thinktank", slug=slug))


@bp.route("/users")
def users():
    """List users (searchable, paged) with their admin flag."""
    query = inputs.search_text(request.args.get("q"))
    page = inputs.page_number(request.args.get("page"))
    stmt = select(User)
    if query:
        pattern = f"%{query.lower()}%"
        stmt = stmt.where(or_(func.lower(User.email).like(pattern),
                              func.lower(User.display_name).like(pattern)))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(stmt.order_by(func.lower(User.display_name), User.id)
                              .offset((page - 1) * USERS_PER_PAGE).limit(USERS_PER_PAGE)).all()
    return render_template("admin/users.html", users=rows, query=query, page=page, total=total,
                           pages=max(1, -(-total // USERS_PER_PAGE)))


@bp.route("/users/<int:user_id>/<any(grant, revoke):what>", methods=["POST"])
def set_admin(user_id: int, what: str):
    """Grant or revoke site admin; an admin cannot revoke their own flag."""
    user = db.get_or_404(User, user_id)
    if FlaskForm().validate_on_submit():
        if user.id == current_user.id and what == "revoke":
            flash(_("You cannot take away your own admin rights. Ask another admin."), "error")
        else:
            account_ops.set_admin(user, what == "grant")
            db.session.commit()
            flash(_("%(name)s is now an admin.", name=user.display_name) if what == "grant"
                  else _("%(name)s is no longer an admin.", name=user.display_name), "success")
    return redirect(url_for(".users", q=request.args.get("q") or None))


def _user_page(user: User, form: SuspendForm) -> Any:
    return render_template("admin/user.html", user=user, form=form, details=_details,
                           entries=audit_ops.entries_for("user", user.id)), form_status(form)


@bp.route("/users/<int:user_id>")
def show_user(user_id: int):
    """Show one account: its role, whether it is locked or suspended, and what happened to it."""
    return _user_page(db.get_or_404(User, user_id), SuspendForm(formdata=None))


@bp.route("/users/<int:user_id>/suspend", methods=["POST"])
def suspend_user(user_id: int):
    """Suspend an account with a reason: every session, token and live connection of it ends at once."""
    user = db.get_or_404(User, user_id)
    form = SuspendForm()
    if form.validate_on_submit() and run_or_error(
            form, lambda: account_ops.suspend_user(user, form.reason.data, by=current_user)):
        flash(_("%(name)s is suspended and signed out everywhere.", name=user.display_name), "success")
        return redirect(url_for(".show_user", user_id=user.id))
    return _user_page(user, form)


@bp.route("/users/<int:user_id>/reinstate", methods=["POST"])
def reinstate_user(user_id: int):
    """Lift a suspension; the person can sign in again."""
    user = db.get_or_404(User, user_id)
    if FlaskForm().validate_on_submit() and account_ops.reinstate_user(user, by=current_user):
        db.session.commit()
        flash(_("%(name)s is reinstated and can sign in again.", name=user.display_name), "success")
    return redirect(url_for(".show_user", user_id=user.id))


# --- the audit log -------------------------------------------------------------------------------------------

def _utc_midnight(day: date) -> datetime:
    """Return the start of a day where the municipality is (TIMEZONE), in UTC as the log stores times."""
    local = datetime.combine(day, time.min, tzinfo=ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))
    return local.astimezone(UTC).replace(tzinfo=None)


def _subject_link(entry: AuditEntry) -> str | None:
    page = SUBJECT_PAGES.get(entry.subject_type)
    return url_for(page[0], **{page[1]: entry.subject_id}) if page else None


def _details(entry: AuditEntry) -> list[tuple[str, str]]:
    """Return the entry's details as short texts, for a table cell."""
    def text(value: Any) -> str:
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
        return shown if len(shown) <= 200 else shown[:199] + "…"
    return [(str(key), text(value)) for key, value in sorted((entry.data or {}).items())]


@bp.route("/audit")
def audit_log():
    """Show the audit log, newest first, a page at a time, filtered by kind, actor and dates."""
    form = AuditFilterForm(request.args, actions=audit_ops.action_kinds())
    valid = form.validate()
    criteria = audit_ops.AuditFilter()
    if valid:
        criteria = audit_ops.AuditFilter(
            action=form.action.data or None, actor=form.actor.data or None,
            since=_utc_midnight(form.since.data) if form.since.data else None,
            until=_utc_midnight(form.until.data + timedelta(days=1)) if form.until.data else None)
    # A filter that is not valid shows its mistake and no entries, rather than all of them as if filtered.
    page = audit_ops.search_entries(criteria, page=request.args.get("page", 1, type=int) or 1,
                                    per_page=AUDIT_PER_PAGE) if valid else audit_ops.AuditPage([], 0, 1, 1)
    filters = {name: request.args.get(name) or None for name in ("action", "actor", "since", "until")} \
        if valid else {}
    return render_template("admin/audit.html", form=form, page=page, filters=filters,
                           subject_link=_subject_link, details=_details), 200 if valid else 400
