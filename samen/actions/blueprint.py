"""Action items for members and chairs: create, edit, follow, post updates, tick off milestones; indicators.

The public progress pages (/progress/…) live in samen/public/; these are the signed-in working pages.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from samen.accounts.models import User
from samen.actions import corrections
from samen.actions import operations as ops
from samen.actions.forms import (INDICATOR_FIELD_LABELS, KIND_LABELS, ActionForm, IndicatorEditForm, IndicatorForm,
                                 MeasurementForm, MilestoneForm, ToggleForm, UpdateForm)
from samen.actions.models import (ACTION_STATUSES, ActionItem, Indicator, Measurement, Milestone,
                                  ProgressUpdate, action_ideas, action_indicators)
from samen.audit.operations import entries_for
from samen.core import inputs
from samen.core.database import db
from samen.core.errors import DomainError, Forbidden
from samen.core.markdown import markdown_to_text
from samen.core.once import once
from samen.core.views import form_status, or_404, run_or_error, run_or_flash, signed_in
from samen.ideas.models import Idea, visible_ideas
from samen.ideas.operations import listed_ideas, may_see_idea
from samen.thinktanks.models import Membership, ThinkTank
from samen.thinktanks.operations import get_thinktank, memberships
from samen.programme.models import Line
from samen.programme.operations import line_by_slug, list_lines, plan_people
from samen.thinktanks.permissions import chairs_whole_plan

# No url_prefix: besides /actions/…, the think tank's dashboard (/thinktanks/<slug>/actions), the indicators
# (/indicators/…) and the milestones (/milestones/…) live here too.
bp = Blueprint("actions", __name__)

ARCHIVED = _l("This think tank is archived and can no longer be changed.")
LATEST_UPDATES = 3  # per action item, on the idea page
FIELD_LABELS = {
    "title": _l("Title"), "description": _l("Description"), "owner_id": _l("Owner"),
    "organisation": _l("Owning organisation"), "start_date": _l("Start date"), "due_date": _l("Due date"),
    "status": _l("Status"), "stop_reason": _l("Why it was stopped"), "progress": _l("Progress"),
    "public": _l("Who can see it"), "decision": _l("The decision"),
    "owner_public_as": _l("In public, the responsible person appears"),
    "carriers": _l("Organisations carrying it out (organisation:role:contact)"),
}


# --- template helpers ---------------------------------------------------------------------------------------

def actions_for_idea(idea: Idea) -> list[tuple[ActionItem, list[ProgressUpdate]]]:
    """Return the action items made from an idea that the viewer may see, each with its latest updates.

    For the idea's 'What happened to this idea': two queries when there are action items, one when there are
    none. Visibility is the action lists' own rule (operations._visible_to), so the two never disagree.
    """
    actions = list(db.session.scalars(
        select(ActionItem).join(action_ideas, action_ideas.c.action_id == ActionItem.id)
        .where(action_ideas.c.idea_id == idea.id, ops._visible_to(current_user, public_only=False))
        .options(joinedload(ActionItem.owner)).order_by(ActionItem.created_at, ActionItem.id)))
    if not actions:
        return []
    newest_first = (ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
    ranked = (select(ProgressUpdate.id, func.row_number().over(partition_by=ProgressUpdate.action_id,
                                                               order_by=newest_first).label("n"))
              .where(ProgressUpdate.action_id.in_([action.id for action in actions])).subquery())
    updates: dict[int, list[ProgressUpdate]] = {action.id: [] for action in actions}
    for update in db.session.scalars(
            select(ProgressUpdate).join(ranked, ranked.c.id == ProgressUpdate.id)
            .where(ranked.c.n <= LATEST_UPDATES).options(joinedload(ProgressUpdate.author))
            .order_by(*newest_first)):
        updates[update.action_id].append(update)
    return [(action, updates[action.id]) for action in actions]


def scope_name(item: ActionItem | Indicator) -> str:
    """Name whose an action or indicator is: its think tank, its line, or the whole plan."""
    if item.thinktank is not None:
        return item.thinktank.name
    if item.line is not None:
        return _("Line: %(name)s", name=item.line.name)
    return _("The whole plan")


@bp.app_context_processor
def _template_helpers() -> dict[str, Any]:
    return {"actions_for_idea": actions_for_idea, "action_statuses": ops.STATUS_LABELS,
            "carried_by": ops.carried_by, "scope_name": scope_name}


@bp.app_template_filter("measure")
def _measure(value: float | None) -> str:
    """Show a measured value in the reader's language (12,5 in Dutch), without trailing zeros."""
    return "" if value is None else format_decimal(value, format="#,##0.###")


# --- loading and checking -----------------------------------------------------------------------------------

def _action_or_404(action_id: int) -> ActionItem:
    """Load the action with what its page shows: 404 if unknown, and for an internal one the visitor may not
    see (as in the API: an outsider may not know it exists)."""
    return or_404(ops.get_action(action_id, viewer=current_user))


INDICATOR_PAGE = (selectinload(Indicator.measurements), selectinload(Indicator.thinktank),
                  selectinload(Indicator.line))


def _require_manage(thinktank: ThinkTank | None) -> None:
    if not ops.can_manage(thinktank, current_user):
        raise Forbidden(ops.PLAN_WIDE_ONLY if thinktank is None else
                        _l("Only the chairs of this think tank can do this."))


def _require_update(action: ActionItem) -> None:
    if not ops.can_update(action, current_user):
        raise Forbidden(_l("Only the owner and the chairs can do this."))


def _managed_thinktanks() -> list[ThinkTank]:
    """Return the think tanks the user runs (all of them for admins), not archived, in one query."""
    stmt = (select(ThinkTank).where(ThinkTank.archived_at.is_(None))
            .order_by(ThinkTank.position, ThinkTank.name))
    if not chairs_whole_plan(current_user):
        stmt = stmt.join(Membership, Membership.thinktank_id == ThinkTank.id).where(
            Membership.user_id == current_user.id, Membership.role == "chair", Membership.status == "active")
    return list(db.session.scalars(stmt))


# --- creating and editing action items ----------------------------------------------------------------------

def _adopted_ideas(thinktank: ThinkTank | None, keep: Iterable[Idea] = ()) -> list[Idea]:
    """Return the ideas an action can come from: the adopted ones (of every think tank for a plan-wide
    action), and those it already comes from."""
    stmt = select(Idea).where(Idea.status == "adopted", visible_ideas()).order_by(Idea.title, Idea.id)
    if thinktank is not None:
        stmt = stmt.where(Idea.thinktank_id == thinktank.id)
    ideas = list(db.session.scalars(stmt))
    known = {idea.id for idea in ideas}
    return ideas + [idea for idea in keep if idea.id not in known]


def _action_form(thinktank: ThinkTank | None, action: ActionItem | None = None, **kwargs: Any) -> ActionForm:
    members: Any = memberships(thinktank) if thinktank is not None else plan_people()
    indicators = (ops.list_indicators(thinktank=thinktank) if thinktank is not None
                  else ops.list_indicators(plan_only=True))
    organisations, contacts = ops.carrier_choices([c.organisation_id for c in action.carriers] if action else [])
    return ActionForm(members=members, ideas=_adopted_ideas(thinktank, action.ideas if action else []),
                      indicators=indicators, organisations=organisations, contacts=contacts,
                      owner=action.owner if action else None, **kwargs)


def _form_page(thinktank: ThinkTank | None, form: ActionForm, action: ActionItem | None = None,
               line: Line | None = None) -> tuple[str, int]:
    return render_template("actions/form.html", thinktank=thinktank, form=form, action=action,
                           line=line if action is None else action.line,
                           derived=bool(action and action.milestones)), form_status(form)


def _plan_wide_new(line_slug: str | None) -> Any:
    """Create a plan-wide action item, of the whole plan or of a line (admins and the coordinator)."""
    line = or_404(line_by_slug(line_slug)) if line_slug else None
    _require_manage(None)
    form = _action_form(None)
    if form.validate_on_submit() and (done := run_or_error(form, lambda: ops.create_action(
            None, by=current_user, line=line, **form.values()))):
        flash(_("The action item is created."), "success")
        return redirect(url_for(".show", action_id=done.value.id))
    return _form_page(None, form, line=line)


@bp.route("/actions/new", methods=["GET", "POST"])
@login_required
@once
def new():
    """Create an action item in a think tank, from adopted ideas (?idea=…) or directly (chairs and admins)."""
    if request.args.get("plan") or request.args.get("line"):
        return _plan_wide_new(request.args.get("line"))
    preselected = request.args.getlist("idea")
    slug = request.args.get("thinktank")
    ideas = []
    for value in preselected:
        idea = db.session.get(Idea, int(value)) if inputs.is_id(value) else None
        ideas.append(or_404(idea if idea is not None and may_see_idea(idea, current_user) else None))
    if not slug and ideas:
        slug = ideas[0].thinktank.slug
    thinktank = or_404(get_thinktank(slug) if slug else None)
    if any(idea.thinktank_id != thinktank.id for idea in ideas):
        abort(404)
    _require_manage(thinktank)
    if thinktank.is_archived:
        raise DomainError(ARCHIVED, code="archived", status=409)
    if any(idea.status != "adopted" for idea in ideas):
        raise DomainError(_l("Only adopted ideas become action items."), code="not_adopted", status=409)
    data = None
    if ideas:
        data = {"ideas": [str(idea.id) for idea in ideas], "title": ideas[0].title,
                "decision": ideas[0].answer or ""}
    form = _action_form(thinktank, data=data)
    if form.validate_on_submit() and (done := run_or_error(form, lambda: ops.create_action(
            thinktank, by=current_user, **form.values()))):
        flash(_("The action item is created."), "success")
        return redirect(url_for(".show", action_id=done.value.id))
    return _form_page(thinktank, form)


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
@login_required
def edit(action_id: int):
    """Change an action item (chairs and admins); every change is kept in its history as old → new."""
    action = _action_or_404(action_id)
    thinktank = action.thinktank
    _require_manage(thinktank)
    form = _action_form(thinktank, action, data=ActionForm.data_of(action))
    if form.validate_on_submit():
        changes = form.values()
        if action.milestones:
            del changes["progress"]  # derived from the milestones
        # Only what changed: an idea that was adopted then may have another status now.
        if sorted(changes["ideas"]) == sorted(str(idea.id) for idea in action.ideas):
            del changes["ideas"]
        if sorted(changes["indicators"]) == sorted(str(indicator.id) for indicator in action.indicators):
            del changes["indicators"]
        if run_or_error(form, lambda: ops.update_action(action, by=current_user, **changes)):
            flash(_("Your changes are saved."), "success")
            return redirect(url_for(".show", action_id=action.id))
    return _form_page(thinktank, form, action)


# --- the action page ----------------------------------------------------------------------------------------

def _shown(name: str, value: Any, users: dict[int, User]) -> str:
    """Return a value from the audit log as the page shows it."""
    if value is None or value == "":
        return _("(empty)")
    if name == "owner_id":
        user = users.get(value)
        return user.display_name if user else _("(a removed account)")
    if name == "status":
        return str(ops.STATUS_LABELS.get(value, value))
    if name == "public":
        return _("Public") if value else _("Internal")
    if name == "progress":
        return _("%(num)d%%", num=value)
    if name in ("start_date", "due_date"):
        try:
            return format_date(date.fromisoformat(value))
        except (TypeError, ValueError):
            return str(value)
    return markdown_to_text(str(value), 300) if name in ("description", "decision") else str(value)


def _trail(action: ActionItem) -> list[dict[str, Any]]:
    """Return the action's history of changes, newest first: who, when, and each field from old to new."""
    entries = entries_for("action", action.id)
    owner_ids = {value for entry in entries for name, pair in (entry.data.get("changes") or {}).items()
                 if name == "owner_id" for value in pair if value is not None}
    users = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(owner_ids)))} \
        if owner_ids else {}
    trail = []
    for entry in reversed(entries):
        changes = [(FIELD_LABELS.get(name, name), _shown(name, old, users), _shown(name, new, users))
                   for name, (old, new) in (entry.data.get("changes") or {}).items()]
        trail.append({"entry": entry, "created": entry.action == "action.create", "changes": changes})
    return trail


def _action_page(action: ActionItem, *, update_form: UpdateForm | None = None,
                 milestone_form: MilestoneForm | None = None, status: int = 200) -> tuple[str, int]:
    """Render the action with everything its page shows, in a fixed number of queries."""
    manage = ops.can_manage(action.thinktank, current_user)
    may_update = manage or ops.can_update(action, current_user)
    ideas = listed_ideas(action.ideas, current_user)  # the others' titles and counts are not the visitor's
    return render_template(
        "actions/show.html", action=action, thinktank=action.thinktank, manage=manage, may_update=may_update,
        ideas=ideas, ideas_not_shown=len(action.ideas) - len(ideas),
        updates=ops.updates_of(action), trail=_trail(action) if manage else None, today=date.today(),
        statuses=ops.STATUS_LABELS, update_form=update_form or UpdateForm(formdata=None),
        milestone_form=milestone_form or MilestoneForm(formdata=None)), status


@bp.route("/actions/<int:action_id>")
def show(action_id: int):
    """Show an action item's trail: where it came from, who does it, how far it is, and what happened."""
    return _action_page(_action_or_404(action_id))


@bp.route("/actions/<int:action_id>/updates", methods=["POST"])
@signed_in
@once
def post_update(action_id: int):
    """Post a progress update with the new percentage and status (owner, chairs, admins)."""
    action = _action_or_404(action_id)
    _require_update(action)
    form = UpdateForm()
    if form.validate_on_submit() and run_or_error(form, lambda: ops.post_update(
            action, by=current_user, body=form.body.data, progress=form.progress.data, status=form.status.data,
            stop_reason=form.stop_reason.data)):
        flash(_("Your update is posted."), "success")
        return redirect(url_for(".show", action_id=action.id, _anchor="updates-heading"))
    return _action_page(action, update_form=form, status=422)


@bp.route("/actions/<int:action_id>/milestones", methods=["POST"])
@signed_in
@once
def add_milestone(action_id: int):
    """Add a milestone; from then on the progress is the share of milestones done (owner, chairs, admins)."""
    action = _action_or_404(action_id)
    _require_update(action)
    form = MilestoneForm()
    if form.validate_on_submit() and run_or_error(form, lambda: ops.add_milestone(
            action, by=current_user, title=form.title.data, due_date=form.due_date.data)):
        flash(_("The milestone is added."), "success")
        return redirect(url_for(".show", action_id=action.id, _anchor="milestones-heading"))
    return _action_page(action, milestone_form=form, status=422)


@bp.route("/actions/<int:action_id>/shown-as", methods=["POST"])
@signed_in
def owner_shown_as(action_id: int):
    """Choose how the responsible person appears on the public pages: by organisation or by name."""
    action = _action_or_404(action_id)
    form = ToggleForm()
    if form.validate_on_submit() and run_or_flash(lambda: ops.set_owner_public_as(
            action, by=current_user, value=request.form.get("shown_as", ""))):
        flash(_("Your choice is saved."), "success")
    return redirect(url_for(".show", action_id=action.id, _anchor="facts-heading"))


@bp.route("/milestones/<int:milestone_id>/toggle", methods=["POST"])
@signed_in
def toggle_milestone(milestone_id: int):
    """Tick a milestone off, or on again (owner, chairs, admins)."""
    milestone = db.get_or_404(Milestone, milestone_id)
    action = _action_or_404(milestone.action_id)
    _require_update(action)
    form = ToggleForm()
    if form.validate_on_submit():
        done = form.done.data != "0"
        if run_or_flash(lambda: ops.set_milestone_done(milestone, by=current_user, done=done)):
            flash(_("“%(title)s” is done.", title=milestone.title) if done
                  else _("“%(title)s” is no longer done.", title=milestone.title), "success")
    return redirect(url_for(".show", action_id=action.id, _anchor=f"milestone-{milestone.id}"))


# --- lists --------------------------------------------------------------------------------------------------

def _counts(actions: list[ActionItem], today: date) -> dict[str, int]:
    return {"overdue": sum(1 for action in actions if action.is_overdue(today)),
            "due_soon": sum(1 for action in actions if action.is_due_soon(today, ops.DUE_SOON_DAYS))}


@bp.route("/actions/mine")
@login_required
def mine():
    """List the action items you own, overdue first, with their due dates."""
    today = date.today()
    actions = ops.my_actions(current_user, today=today)
    return render_template("actions/mine.html", actions=actions, counts=_counts(actions, today), today=today,
                           statuses=ops.STATUS_LABELS)


@bp.route("/thinktanks/<slug>/actions")
def dashboard(slug: str):
    """List a think tank's action items, overdue first, then due soon, by status; chairs manage them here."""
    thinktank = or_404(get_thinktank(slug))
    filters = {"status": request.args.get("status", ""), "overdue": request.args.get("overdue") == "1"}
    today = date.today()
    try:
        actions = ops.list_actions(viewer=current_user, thinktank=thinktank, status=filters["status"] or None,
                                   overdue=True if filters["overdue"] else None, today=today)
        error, status = None, 200
    except DomainError as exc:
        # A bad status in the address: show the page with what went wrong, so the filter can be fixed.
        actions, error, status = [], exc.message, exc.status
    return render_template("actions/dashboard.html", thinktank=thinktank, actions=actions, filters=filters,
                           error=error, counts=_counts(actions, today), today=today,
                           statuses=ops.STATUS_LABELS, status_choices=ACTION_STATUSES,
                           manage=ops.can_manage(thinktank, current_user)), status


# --- indicators ---------------------------------------------------------------------------------------------

@bp.route("/indicators")
def indicators():
    """List the indicators with their baseline, latest value and target."""
    may_define = current_user.is_authenticated and (chairs_whole_plan(current_user) or bool(_managed_thinktanks()))
    return render_template("actions/indicators.html", indicators=ops.list_indicators(), may_define=may_define)


@bp.route("/indicators/new", methods=["GET", "POST"])
@login_required
def new_indicator():
    """Define an indicator: for the whole plan (admins) or one think tank (its chairs and admins)."""
    scopes: list[ThinkTank | None] = ([None] if chairs_whole_plan(current_user) else []) + _managed_thinktanks()
    chosen = request.args.get("thinktank", "")
    if chosen:
        _require_manage(or_404(get_thinktank(chosen)))
    if not scopes:
        raise Forbidden(_l("Only administrators and chairs can define indicators."))
    lines = list_lines() if None in scopes else []
    form = IndicatorForm(scopes=scopes, lines=lines, data={"scope": chosen} if chosen else None)
    if form.validate_on_submit():
        thinktank = next((t for t in scopes if t is not None and t.slug == form.scope.data), None)
        line = next((line for line in lines if f"line:{line.slug}" == form.scope.data), None)
        if done := run_or_error(form, lambda: ops.create_indicator(by=current_user, thinktank=thinktank,
                                                                   line=line, **form.values())):
            flash(_("The indicator is created."), "success")
            return redirect(url_for(".indicator", indicator_id=done.value.id))
    return render_template("actions/indicator_form.html", form=form), form_status(form)


def _indicator_page(indicator: Indicator, form: MeasurementForm | None = None,
                    status: int = 200) -> tuple[str, int]:
    served = list(db.session.scalars(
        select(ActionItem).join(action_indicators, action_indicators.c.action_id == ActionItem.id)
        .where(action_indicators.c.indicator_id == indicator.id,
               ops._visible_to(current_user, public_only=False))
        .order_by(ActionItem.title, ActionItem.id)))
    may_measure = ops.can_measure(indicator, current_user)
    return render_template("actions/indicator.html", indicator=indicator, served=served,
                           may_measure=may_measure, statuses=ops.STATUS_LABELS, kinds=KIND_LABELS,
                           field_labels=INDICATOR_FIELD_LABELS,
                           history=corrections.history(indicator),
                           form=form or MeasurementForm(formdata=None)), status


@bp.route("/indicators/<int:indicator_id>")
def indicator(indicator_id: int):
    """Show an indicator: what it measures, its baseline and target, and every measurement."""
    return _indicator_page(db.get_or_404(Indicator, indicator_id, *INDICATOR_PAGE))


@bp.route("/indicators/<int:indicator_id>/measurements", methods=["POST"])
@signed_in
@once
def add_measurement(indicator_id: int):
    """Record a measured value (admins; chairs for their think tank's indicators)."""
    indicator = db.get_or_404(Indicator, indicator_id, *INDICATOR_PAGE)
    ops.require_measurer(indicator, current_user)  # before the form
    form = MeasurementForm()
    if form.validate_on_submit() and run_or_error(form, lambda: ops.record_measurement(
            indicator, by=current_user, date=form.date.data, value=form.value.data, note=form.note.data)):
        flash(_("The measurement is saved."), "success")
        return redirect(url_for(".indicator", indicator_id=indicator.id, _anchor="measurements-heading"))
    return _indicator_page(indicator, form, status=422)


# --- corrections (docs/indicators.md: who may record may correct; the history is the audit log) -------------

def _number_text(value: float | None) -> str:
    """Return a stored number as the forms read it back in any language: a decimal comma, no thousands points."""
    return "" if value is None else f"{value:.6f}".rstrip("0").rstrip(".").replace(".", ",")


def _indicator_for_measurer(indicator_id: int) -> Indicator:
    indicator = db.get_or_404(Indicator, indicator_id, *INDICATOR_PAGE)
    ops.require_measurer(indicator, current_user)
    return indicator


@bp.route("/indicators/<int:indicator_id>/edit", methods=["GET", "POST"])
@login_required
def edit_indicator(indicator_id: int):
    """Correct an indicator's definition (who may record its measurements); the old values stay in its history."""
    indicator = _indicator_for_measurer(indicator_id)
    form = IndicatorEditForm(obj=indicator if request.method == "GET" else None)
    if request.method == "GET":
        for name in ("baseline_value", "target_value", "scale_min", "scale_max"):
            value = getattr(indicator, name)
            getattr(form, name).data = _number_text(value)
        for name in ("baseline_date", "target_date"):
            value = getattr(indicator, name)
            getattr(form, name).data = value.isoformat() if value else ""
    if form.validate_on_submit() and run_or_error(
            form, lambda: corrections.update_indicator(indicator, by=current_user, **form.values())):
        flash(_("The indicator is corrected."), "success")
        return redirect(url_for(".indicator", indicator_id=indicator.id))
    return render_template("actions/indicator_form.html", form=form, indicator=indicator), form_status(form)


@bp.post("/indicators/<int:indicator_id>/delete")
@signed_in
def delete_indicator(indicator_id: int):
    """Delete an indicator with its measurements (the audit log keeps that it was)."""
    indicator = _indicator_for_measurer(indicator_id)
    if ToggleForm().validate_on_submit() and run_or_flash(
            lambda: corrections.delete_indicator(indicator, by=current_user)):
        flash(_("The indicator is deleted."), "success")
        return redirect(url_for(".indicators"))
    return redirect(url_for(".indicator", indicator_id=indicator_id))


def _measurement(indicator: Indicator, measurement_id: int) -> Measurement:
    return or_404(next((item for item in indicator.measurements if item.id == measurement_id), None))


@bp.route("/indicators/<int:indicator_id>/measurements/<int:measurement_id>/edit", methods=["GET", "POST"])
@login_required
def edit_measurement(indicator_id: int, measurement_id: int):
    """Correct a measurement: its date, value or note; the old values stay in the indicator's history."""
    indicator = _indicator_for_measurer(indicator_id)
    measurement = _measurement(indicator, measurement_id)
    form = MeasurementForm(data={"date": measurement.date.isoformat(), "note": measurement.note,
                                 "value": _number_text(measurement.value)}
                           if request.method == "GET" else None)
    if form.validate_on_submit() and run_or_error(form, lambda: corrections.update_measurement(
            measurement, by=current_user, date=form.date.data, value=form.value.data, note=form.note.data)):
        flash(_("The measurement is corrected."), "success")
        return redirect(url_for(".indicator", indicator_id=indicator.id, _anchor="measurements-heading"))
    return render_template("actions/measurement_form.html", form=form, indicator=indicator,
                           measurement=measurement), form_status(form)


@bp.post("/indicators/<int:indicator_id>/measurements/<int:measurement_id>/delete")
@signed_in
def delete_measurement(indicator_id: int, measurement_id: int):
    """Delete a measurement recorded by mistake (its values stay in the indicator's history)."""
    indicator = _indicator_for_measurer(indicator_id)
    measurement = _measurement(indicator, measurement_id)
    if ToggleForm().validate_on_submit() and run_or_flash(
            lambda: corrections.delete_measurement(measurement, by=current_user)):
        flash(_("The measurement is deleted."), "success")
    return redirect(url_for(".indicator", indicator_id=indicator_id, _anchor="measurements-heading"))
