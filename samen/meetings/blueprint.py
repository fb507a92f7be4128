"""Meeting pages: the list of upcoming and past meetings, a meeting's page with its agenda and registration,
planning forms for chairs and admins, the agenda editor, calendar files and the feed of public meetings.

The live board's views (console, participant view, projector, minutes) are in samen/meetings/board.py.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from samen.core.database import db, utcnow
from samen.core.errors import Forbidden
from samen.core.hosts import external_url
from samen.core.views import form_status, or_404, run_or_error, run_or_flash, signed_in
from samen.ideas.models import Idea
from samen.meetings import calendar, reminders
from samen.meetings import privacy as _privacy  # noqa: F401  (registers the privacy hooks)
from samen.meetings import operations as ops
from samen.meetings.idea_meetings import meetings_for_idea
from samen.meetings.forms import AgendaItemForm, MeetingForm, MoveForm
from samen.meetings.models import AgendaItem, Meeting
from samen.notifications.blueprint import describe_with
from samen.thinktanks.models import ThinkTank
from samen.thinktanks.operations import get_thinktank

bp = Blueprint("meetings", __name__, url_prefix="/meetings")
bp.record_once(lambda state: reminders.init_app(state.app))

PAST_SHOWN = 20  # past meetings on the list
IDEAS_OFFERED = 300  # ideas the agenda editor offers, most supported first
FEED_DAYS = 90  # the feed keeps meetings this many days after they ended


# --- notifications, template helpers ------------------------------------------------------------------------

@describe_with("meeting.moved_up")
def _describe_moved_up(data: dict[str, Any]) -> str:
    return _("A place came free at “%(title)s”: it is yours now.", title=data.get("title", ""))


@describe_with("meeting.cancelled")
def _describe_cancelled(data: dict[str, Any]) -> str:
    return _("The meeting “%(title)s” is cancelled.", title=data.get("title", ""))


@bp.app_context_processor
def _template_helpers() -> dict[str, Any]:
    return {"meeting_states": ops.SHOWN_STATES,
            "meetings_for_idea": lambda idea: meetings_for_idea(idea, current_user)}  # ideas/show.html


def zone() -> ZoneInfo:
    """Return the municipality's time zone: forms show and take times in it."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


# --- loading and checking -----------------------------------------------------------------------------------

def _meeting_or_404(meeting_id: int) -> tuple[Meeting, ops.Viewer]:
    """Load the meeting and the viewer: 404 if unknown, and for a members-only meeting the visitor may not see
    (as in the API: an outsider may not know it exists)."""
    meeting = or_404(ops.get_meeting(meeting_id))
    viewer = ops.viewer_of(current_user, [meeting.id])
    return or_404(meeting if ops.may_view(meeting, viewer) else None), viewer


def _chosen_thinktank() -> ThinkTank | None:
    """Return the think tank that ?thinktank=slug names (404 if none has it), or None without one."""
    slug = request.args.get("thinktank") or None
    return or_404(get_thinktank(slug) if len(slug) <= 80 else None) if slug else None


def _require_chair(meeting: Meeting, viewer: ops.Viewer) -> None:
    if not ops.may_chair(meeting, viewer):
        raise Forbidden(_l("Only the chairs can change this meeting."))


def _item_or_404(meeting: Meeting, item_id: int) -> AgendaItem:
    return or_404(next((item for item in meeting.agenda if item.id == item_id), None))


FORM_FIELDS = {"idea_ids": "ideas"}  # the operations' names for the forms' fields


def _url(meeting: Meeting) -> str:
    return external_url("meetings.show", meeting_id=meeting.id)


# --- lists --------------------------------------------------------------------------------------------------

@bp.route("/")
def index():
    """List the upcoming meetings you may see, soonest first, and the past ones with their minutes."""
    thinktank = _chosen_thinktank()
    viewer = ops.viewer_of(current_user)
    upcoming = ops.list_meetings(viewer, thinktank=thinktank, when="upcoming")
    past = ops.list_meetings(viewer, thinktank=thinktank, when="past", limit=PAST_SHOWN)
    counts = ops.registration_counts([meeting.id for meeting in upcoming])
    creatable = [] if not current_user.is_authenticated else _creatable(viewer, thinktank)
    return render_template("meetings/index.html", thinktank=thinktank, upcoming=upcoming, past=past,
                           counts=counts, viewer=viewer, creatable=creatable)


def _creatable(viewer: ops.Viewer, thinktank: ThinkTank | None) -> list[ThinkTank | None]:
    """Return where the viewer may plan a meeting from this list: this think tank, or theirs and a plenary."""
    if thinktank is not None:
        return [thinktank] if ops.may_create(thinktank, viewer) and not thinktank.is_archived else []
    if not (viewer.is_admin or viewer.chair_of):
        return []
    stmt = select(ThinkTank).where(ThinkTank.archived_at.is_(None)).order_by(ThinkTank.position, ThinkTank.name)
    if not viewer.is_admin:
        stmt = stmt.where(ThinkTank.id.in_(sorted(viewer.chair_of)))
    return [None, *db.session.scalars(stmt)]


@bp.route("/calendar.ics")
def feed():
    """Offer the public meetings as a calendar to subscribe to: upcoming ones and those of the last 90 days."""
    since = utcnow() - timedelta(days=FEED_DAYS)
    meetings = list(db.session.scalars(
        select(Meeting).where(Meeting.public.is_(True), Meeting.ends_at >= since)
        .options(selectinload(Meeting.thinktank)).order_by(Meeting.starts_at, Meeting.id)))
    body = calendar.feed_ics(meetings, _url, name=_("Samen: public meetings"))
    return _ics(body, "samen.ics")


def _ics(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.mimetype_params["charset"] = "utf-8"
    return response


# --- a meeting ----------------------------------------------------------------------------------------------

@bp.route("/<int:meeting_id>")
def show(meeting_id: int):
    """Show a meeting: when and where, the agenda with its ideas, registration, and the minutes once published."""
    meeting, viewer = _meeting_or_404(meeting_id)
    chair = ops.may_chair(meeting, viewer)
    counts = ops.registration_counts([meeting.id])[meeting.id]
    registration = ops.registration_of(meeting, current_user) if viewer.signed_in else None
    position = ops.waiting_position(registration) if registration is not None else None
    return render_template(
        "meetings/show.html", meeting=meeting, thinktank=meeting.thinktank, chair=chair, counts=counts,
        registration=registration if registration is not None and registration.status != "cancelled" else None,
        position=position, may_register=ops.may_register(meeting, viewer), over=ops.is_over(meeting),
        registrations=ops.registrations_of(meeting) if chair else None, minutes=ops.agenda_minutes(meeting),
        agenda_ideas=ops.agenda_ideas(meeting, current_user),
        minutes_readable=ops.may_read_minutes(meeting, viewer))


@bp.route("/<int:meeting_id>.ics")
def ics(meeting_id: int):
    """Download the meeting as a calendar file."""
    meeting, _viewer = _meeting_or_404(meeting_id)
    return _ics(calendar.meeting_ics(meeting, _url(meeting)), f"meeting-{meeting.id}.ics")


@bp.route("/<int:meeting_id>/register", methods=["POST"])
@signed_in
def register(meeting_id: int):
    """Take a place at the meeting, or a place on its waiting list when it is full."""
    meeting, _viewer = _meeting_or_404(meeting_id)
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    if done := run_or_flash(lambda: ops.register(meeting, current_user)):
        registration = done.value
        if registration.status == "registered":
            flash(_("You are registered. You get a reminder by e-mail before the meeting."), "success")
        else:
            flash(_("The meeting is full: you are number %(num)d on the waiting list. When a place comes free, "
                    "it is yours and we let you know.", num=ops.waiting_position(registration) or 1), "success")
    return redirect(url_for(".show", meeting_id=meeting.id, _anchor="registration-heading"))


@bp.route("/<int:meeting_id>/unregister", methods=["POST"])
@signed_in
def unregister(meeting_id: int):
    """Give up your place (the first on the waiting list gets it) or your place on the waiting list."""
    meeting, _viewer = _meeting_or_404(meeting_id)
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    if done := run_or_flash(lambda: ops.cancel_registration(meeting, current_user)):
        reminders.mail_moved_up_all(done.value)
        flash(_("Your registration is cancelled."), "success")
    return redirect(url_for(".show", meeting_id=meeting.id, _anchor="registration-heading"))


# --- planning -----------------------------------------------------------------------------------------------

@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    """Plan a meeting of a think tank (?thinktank=slug; its chairs and admins), or a plenary (admins, chairs)."""
    thinktank = _chosen_thinktank()
    ops.require_planner(thinktank, current_user)  # before the form: planning's own rule
    form = MeetingForm()
    if form.validate_on_submit() and (done := run_or_error(form, lambda: ops.create_meeting(
            thinktank, by=current_user, zone=zone(), **form.values()), fields=FORM_FIELDS)):
        flash(_("The meeting is planned. Now set its agenda."), "success")
        return redirect(url_for(".agenda", meeting_id=done.value.id))
    return render_template("meetings/form.html", form=form, thinktank=thinktank,
                           meeting=None), form_status(form)


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@login_required
def edit(meeting_id: int):
    """Change a meeting's details (its chairs); a larger capacity gives places to the waiting list."""
    meeting, viewer = _meeting_or_404(meeting_id)
    _require_chair(meeting, viewer)
    form = MeetingForm(data=MeetingForm.data_of(meeting, zone()))
    if form.validate_on_submit() and (done := run_or_error(form, lambda: ops.update_meeting(
            meeting, by=current_user, zone=zone(), **form.values()), fields=FORM_FIELDS)):
        moved = done.value
        reminders.mail_moved_up_all(moved)
        flash(_("Your changes are saved."), "success")
        if moved:
            flash(ngettext("%(num)d person moved up from the waiting list.",
                           "%(num)d people moved up from the waiting list.", len(moved)), "success")
        return redirect(url_for(".show", meeting_id=meeting.id))
    return render_template("meetings/form.html", form=form, thinktank=meeting.thinktank,
                           meeting=meeting), form_status(form)


@bp.route("/<int:meeting_id>/cancel", methods=["POST"])
@signed_in
def cancel(meeting_id: int):
    """Call off a meeting that has not started (its chairs); the registered are notified."""
    meeting, viewer = _meeting_or_404(meeting_id)
    _require_chair(meeting, viewer)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if run_or_flash(lambda: ops.cancel_meeting(meeting, by=current_user)):
        flash(_("The meeting “%(title)s” is cancelled.", title=meeting.title), "success")
    return redirect(url_for(".show", meeting_id=meeting_id))


# --- the agenda ---------------------------------------------------------------------------------------------

def _offered_ideas(meeting: Meeting, viewer: ops.Viewer, keep: list[Idea]) -> list[Idea]:
    """Return the ideas the agenda can discuss, most supported first, and those an item discusses already."""
    ideas = list(db.session.scalars(
        select(Idea).where(ops.linkable_ideas_clause(meeting.thinktank_id, viewer))
        .order_by(Idea.support_count.desc(), Idea.id).limit(IDEAS_OFFERED)))
    known = {idea.id for idea in ideas}
    return ideas + [idea for idea in keep if idea.id not in known]


def _agenda_page(meeting: Meeting, viewer: ops.Viewer, form: AgendaItemForm, status: int = 200) -> Any:
    return render_template("meetings/agenda.html", meeting=meeting, thinktank=meeting.thinktank, form=form,
                           minutes=ops.agenda_minutes(meeting), editable=meeting.state == "scheduled"), status


@bp.route("/<int:meeting_id>/agenda", methods=["GET", "POST"])
@login_required
def agenda(meeting_id: int):
    """Edit the agenda (its chairs): add items with planned minutes and ideas, change, move or remove them."""
    meeting, viewer = _meeting_or_404(meeting_id)
    _require_chair(meeting, viewer)
    form = AgendaItemForm(ideas=_offered_ideas(meeting, viewer, []))
    if form.validate_on_submit() and run_or_error(form, lambda: ops.add_agenda_item(
            meeting, by=current_user, **form.values()), fields=FORM_FIELDS):
        flash(_("The item is added to the agenda."), "success")
        return redirect(url_for(".agenda", meeting_id=meeting.id, _anchor="agenda-heading"))
    return _agenda_page(meeting, viewer, form, form_status(form))


@bp.route("/<int:meeting_id>/agenda/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit_item(meeting_id: int, item_id: int):
    """Change an agenda item."""
    meeting, viewer = _meeting_or_404(meeting_id)
    _require_chair(meeting, viewer)
    item = _item_or_404(meeting, item_id)
    form = AgendaItemForm(ideas=_offered_ideas(meeting, viewer, list(item.ideas)),
                          data=AgendaItemForm.data_of(item))
    if form.validate_on_submit() and run_or_error(form, lambda: ops.update_agenda_item(
            item, by=current_user, **form.values()), fields=FORM_FIELDS):
        flash(_("Your changes are saved."), "success")
        return redirect(url_for(".agenda", meeting_id=meeting.id, _anchor=f"item-{item.id}"))
    return render_template("meetings/item_form.html", meeting=meeting, thinktank=meeting.thinktank, item=item,
                           form=form), form_status(form)


@bp.route("/<int:meeting_id>/agenda/<int:item_id>/delete", methods=["POST"])
@signed_in
def delete_item(meeting_id: int, item_id: int):
    """Take an item off the agenda."""
    meeting, viewer = _meeting_or_404(meeting_id)
    _require_chair(meeting, viewer)
    item = _item_or_404(meeting, item_id)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if run_or_flash(lambda: ops.remove_agenda_item(item, by=current_user)):
        flash(_("The item is taken off the agenda."), "success")
    return redirect(url_for(".agenda", meeting_id=meeting.id, _anchor="agenda-heading"))


@bp.route("/<int:meeting_id>/agenda/<int:item_id>/move", methods=["POST"])
@signed_in
def move_item(meeting_id: int, item_id: int):
    """Move an agenda item one place up or down."""
    meeting, viewer = _meeting_or_404(meeting_id)
    _require_chair(meeting, viewer)
    item = _item_or_404(meeting, item_id)
    form = MoveForm()
    if not form.validate_on_submit() or form.direction.data not in ("up", "down"):
        abort(400)
    offset = -1 if form.direction.data == "up" else 1
    run_or_flash(lambda: ops.move_agenda_item(item, by=current_user, offset=offset))
    return redirect(url_for(".agenda", meeting_id=meeting.id, _anchor=f"item-{item.id}"))
