"""Stories' pages (/verhalen/…): recording a story (phone first), the stories a person may read, the analysis
team's tags, knowledge sources and directions, the list of themes and naming field workers.

Every page is for field workers and the analysis team only (samen.stories.operations.may_read_story): anyone
else signed in gets 403, a visitor the sign-in page, and a story that is not theirs answers 404. The pages are
never cached and send no Referer.
"""
from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from flask import Blueprint, Response, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from samen.accounts.models import User
from samen.accounts.operations import find_user_by_email
from samen.core import inputs
from samen.core.database import db, utcnow
from samen.core.forms import Form
from samen.core.security import no_store
from samen.ideas.models import Idea
from samen.core.views import Done, form_status, or_404, run_or_error, run_or_flash, sign_in_or_403
from samen.core.once import once
from samen.programme.roles import forget_plan_roles
from samen.stories import operations as ops
from samen.stories.forms import (CONSENT_LABELS, CONSENT_SHORT, TELLER_LABELS, AnalysisForm, DirectionForm,
                                 FieldWorkerForm, PutForm, SourceForm, StoryForm, ThemeForm)
from samen.stories.models import Direction, Story, StoryTheme
from samen.thinktanks.models import Membership, ThinkTank

bp = Blueprint("stories", __name__, url_prefix="/verhalen")


@bp.app_context_processor
def _context() -> dict[str, Any]:
    return {"story_teller_labels": TELLER_LABELS, "story_consent_labels": CONSENT_SHORT,
            "uses_stories": lambda: ops.may_use_stories(current_user),
            "keeps_story_themes": lambda: ops.may_manage_themes(current_user), "idea_bases": ops.bases_of}


# --- plumbing -------------------------------------------------------------------------------------------------

def _page(template: str, status: int = 200, **context: Any) -> Response:
    """Render a stories page that no cache keeps and that sends no Referer."""
    response = make_response(render_template(template, **context), status)
    response.headers["Referrer-Policy"] = "no-referrer"
    return no_store(response)


def _only(allowed: bool, message: Any = None) -> None:
    if not allowed:
        sign_in_or_403(message or ops.NOT_YOURS)


def _story(story_id: int) -> Story:
    _only(ops.may_use_stories(current_user))
    return or_404(ops.read_story(story_id, by=current_user))


def _theme_choices(form_field: Any, *, keep: list[StoryTheme] = ()) -> None:
    themes = ops.list_themes()
    for theme in keep:
        if theme not in themes:
            themes.append(theme)
    form_field.choices = [SelectChoice(str(theme.id), theme.name) for theme in themes]


def _story_fields(form: StoryForm) -> dict[str, Any]:
    return {"text": form.text.data, "teller": form.teller.data, "neighbourhood": form.neighbourhood.data,
            "told_on": form.told_on.data, "action_needed": form.action_needed.data,
            "action_taken": form.action_taken.data, "consent": form.consent.data, "themes": form.themes.data or []}


# --- stories --------------------------------------------------------------------------------------------------

@bp.route("")
def index():
    """List the stories the user reads: the analysis team all of them, a field worker their own."""
    _only(ops.may_use_stories(current_user))
    theme = request.args.get("thema", "")
    theme_id = int(theme) if inputs.is_id(theme) else None
    consent = request.args.get("toestemming")
    stories = ops.list_stories(current_user, theme_id=theme_id, consent=consent)
    db.session.commit()  # the read is recorded
    return _page("stories/index.html", stories=stories, themes=ops.list_themes(archived=True),
                 theme_id=theme_id, consent=consent if consent in CONSENT_LABELS else None,
                 story_title=_("Story %(id)d"),  # translated once, formatted per story (the list may be long)
                 analyst=ops.is_analyst(current_user), field_worker=ops.is_field_worker(current_user))


@bp.route("/nieuw", methods=["GET", "POST"])
@once
def new():
    """Record a story (a field worker), told today or written up later from notes."""
    _only(ops.is_field_worker(current_user), _l("Only field workers record stories."))
    form = StoryForm()
    _theme_choices(form.themes)
    if request.method == "GET":
        form.told_on.data = utcnow().date().isoformat()
    if form.validate_on_submit():
        done = run_or_error(form, lambda: ops.record_story(by=current_user, **_story_fields(form)))
        if done:
            flash(_("The story is saved."), "success")
            return redirect(url_for(".show", story_id=done.value.id))
    return _page("stories/form.html", form_status(form), form=form, story=None)


@bp.route("/<int:story_id>")
def show(story_id: int):
    """Show a story (its field worker, the analysis team); the read is recorded."""
    story = _story(story_id)
    analysis = None
    if ops.is_analyst(current_user):
        analysis = AnalysisForm(data={"themes": [str(theme.id) for theme in story.themes],
                                      "sources": [str(source.id) for source in story.sources]})
        _theme_choices(analysis.themes, keep=story.themes)
        analysis.sources.choices = [SelectChoice(str(source.id), source.title) for source in ops.list_sources()]
    db.session.commit()
    return _page("stories/show.html", story=story, analysis=analysis,
                 may_edit=ops.may_edit_story(current_user, story),
                 may_delete=ops.may_delete_story(current_user, story), quotable=ops.may_quote(story))


@bp.route("/<int:story_id>/bewerken", methods=["GET", "POST"])
def edit(story_id: int):
    """Change your own story."""
    story = _story(story_id)
    _only(ops.may_edit_story(current_user, story), _l("Only the field worker who recorded a story changes it."))
    form = StoryForm(obj=None if request.method == "POST" else story)
    if request.method == "GET":
        form.told_on.data = story.told_on.isoformat()
        form.themes.data = [str(theme.id) for theme in story.themes]
        form.action_taken.data = story.action_taken or ""
    _theme_choices(form.themes, keep=story.themes)
    if form.validate_on_submit():
        if run_or_error(form, lambda: ops.update_story(story, by=current_user, **_story_fields(form))):
            flash(_("The story is saved."), "success")
            return redirect(url_for(".show", story_id=story.id))
    else:
        db.session.commit()  # the read
    return _page("stories/form.html", form_status(form), form=form, story=story)


@bp.post("/<int:story_id>/analyse")
def analyse(story_id: int):
    """Tag a story with themes and link it to knowledge sources (the analysis team)."""
    story = _story(story_id)
    _only(ops.is_analyst(current_user), _l("Only the analysis team tags stories."))
    form = AnalysisForm()
    if form.validate_on_submit() and run_or_flash(lambda: ops.analyse_story(
            story, by=current_user, themes=form.themes.data or [], sources=form.sources.data or [])):
        flash(_("The themes and sources are saved."), "success")
    return redirect(url_for(".show", story_id=story_id))


@bp.post("/<int:story_id>/verwijderen")
def delete(story_id: int):
    """Delete a story (its field worker or the analysis team)."""
    story = _story(story_id)
    if Form().validate_on_submit() and run_or_flash(lambda: ops.delete_story(story, by=current_user)):
        flash(_("The story is deleted."), "success")
        return redirect(url_for(".index"))
    return redirect(url_for(".show", story_id=story_id))


@bp.route("/export.csv")
def export():
    """Download the stories that may be quoted (the analysis team); stories for analysis only are left out."""
    _only(ops.is_analyst(current_user), _l("Only the analysis team exports stories."))
    rows = ops.export_rows(current_user)
    db.session.commit()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ops.EXPORT_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _csv_safe(value) for key, value in row.items()})
    response = make_response(out.getvalue())
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f"attachment; filename=verhalen-{date.today().isoformat()}.csv"
    return no_store(response)


def _csv_safe(value: Any) -> Any:
    """Keep a spreadsheet from reading a text as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


# --- the analysis team: sources and directions ----------------------------------------------------------------

@bp.route("/bronnen", methods=["GET", "POST"])
def sources():
    """List the knowledge sources and add one (the analysis team)."""
    _only(ops.is_analyst(current_user), _l("Only the analysis team adds knowledge sources."))
    form = SourceForm()
    if form.validate_on_submit() and run_or_error(form, lambda: ops.create_source(
            by=current_user, title=form.title.data, publisher=form.publisher.data, url=form.url.data,
            note=form.note.data)):
        flash(_("The knowledge source is added."), "success")
        return redirect(url_for(".sources"))
    return _page("stories/sources.html", form_status(form), form=form, sources=ops.list_sources())


@bp.route("/richtingen")
def directions():
    """List the directions (the analysis team)."""
    _only(ops.is_analyst(current_user), _l("Only the analysis team works on directions."))
    directions = ops.list_directions(current_user)
    db.session.commit()
    return _page("stories/directions.html", directions=directions)


def _direction_form(direction: Direction | None) -> DirectionForm:
    form = DirectionForm(obj=direction if request.method == "GET" else None)
    stories = ops.list_stories(current_user, with_text=True)
    form.stories.choices = [SelectChoice(str(story.id), f"{story.told_on.isoformat()} · "
                                         f"{TELLER_LABELS[story.teller]} · {ops.excerpt(story)}")
                            for story in stories]
    if request.method == "GET" and direction is not None:
        form.stories.data = [str(story.id) for story in direction.stories]
    return form


@bp.route("/richtingen/nieuw", methods=["GET", "POST"])
def new_direction():
    """Bundle stories into a direction (the analysis team)."""
    _only(ops.is_analyst(current_user), _l("Only the analysis team works on directions."))
    form = _direction_form(None)
    if form.validate_on_submit():
        done: Done[Direction] | None = run_or_error(form, lambda: ops.save_direction(
            None, by=current_user, title=form.title.data, body=form.body.data, stories=form.stories.data or []))
        if done:
            flash(_("The direction is saved."), "success")
            return redirect(url_for(".direction", direction_id=done.value.id))
    else:
        db.session.commit()
    return _page("stories/direction_form.html", form_status(form), form=form, direction=None)


def _load_direction(direction_id: int) -> Direction:
    _only(ops.is_analyst(current_user), _l("Only the analysis team works on directions."))
    return or_404(ops.read_direction(direction_id, by=current_user))


@bp.route("/richtingen/<int:direction_id>")
def direction(direction_id: int):
    """Show a direction: its text, its stories (quotable or not), and where it was put forward."""
    direction = _load_direction(direction_id)
    put = None
    if direction.idea_id is None:
        put = PutForm()
        put.thinktank_id.choices = [(str(tank.id), tank.name) for tank in _member_thinktanks()]
    idea = db.session.get(Idea, direction.idea_id) if direction.idea_id is not None else None
    db.session.commit()
    return _page("stories/direction.html", direction=direction, put=put, idea=idea,
                 themes=ops.direction_themes(direction), quotable=ops.quotable(direction.stories),
                 may_quote=ops.may_quote)


def _member_thinktanks() -> list[ThinkTank]:
    return list(db.session.scalars(
        select(ThinkTank).join(Membership, Membership.thinktank_id == ThinkTank.id)
        .where(Membership.user_id == current_user.id, Membership.status == "active",
               ThinkTank.archived_at.is_(None)).order_by(ThinkTank.position, ThinkTank.name)))


@bp.route("/richtingen/<int:direction_id>/bewerken", methods=["GET", "POST"])
def edit_direction(direction_id: int):
    """Change a direction."""
    direction = _load_direction(direction_id)
    form = _direction_form(direction)
    if form.validate_on_submit():
        if run_or_error(form, lambda: ops.save_direction(direction, by=current_user, title=form.title.data,
                                                         body=form.body.data, stories=form.stories.data or [])):
            flash(_("The direction is saved."), "success")
            return redirect(url_for(".direction", direction_id=direction.id))
    else:
        db.session.commit()
    return _page("stories/direction_form.html", form_status(form), form=form, direction=direction)


@bp.post("/richtingen/<int:direction_id>/voorleggen")
def put_direction(direction_id: int):
    """Put a direction to a think tank as an idea (an analyst who is a member of it)."""
    direction = _load_direction(direction_id)
    form = PutForm()
    tank = None
    if inputs.is_id(form.thinktank_id.data or ""):
        tank = db.session.get(ThinkTank, int(form.thinktank_id.data))
    if tank is None:
        flash(_("Choose a think tank you are a member of."), "error")
        return redirect(url_for(".direction", direction_id=direction_id))
    if form.validate_on_submit() and (done := run_or_flash(
            lambda: ops.put_to_thinktank(direction, tank, by=current_user))):
        flash(_("The direction is an idea in %(name)s now.", name=tank.name), "success")
        return redirect(url_for("ideas.show", idea_id=done.value.id))
    return redirect(url_for(".direction", direction_id=direction_id))


# --- themes and field workers (administrators and the coordinator) -------------------------------------------

@bp.route("/themas", methods=["GET", "POST"])
def themes():
    """Keep the list of themes."""
    _only(ops.may_manage_themes(current_user), _l("Only administrators and the coordinator keep the list of "
                                                  "themes."))
    form = ThemeForm()
    if form.validate_on_submit() and run_or_error(form, lambda: ops.add_theme(form.name.data, by=current_user)):
        flash(_("The theme is added."), "success")
        return redirect(url_for(".themes"))
    return _page("stories/themes.html", form_status(form), form=form, themes=ops.list_themes(archived=True))


@bp.post("/themas/<int:theme_id>/archiveren")
def archive_theme(theme_id: int):
    """Take a theme off the list for new stories, or put it back."""
    _only(ops.may_manage_themes(current_user))
    theme = or_404(db.session.get(StoryTheme, theme_id))
    if Form().validate_on_submit() and run_or_flash(
            lambda: ops.set_theme_archived(theme, not theme.archived, by=current_user)):
        flash(_("The list of themes is saved."), "success")
    return redirect(url_for(".themes"))


@bp.route("/veldwerkers", methods=["GET", "POST"])
def field_workers():
    """Name the field workers (administrators and the coordinator)."""
    _only(ops.may_grant_field_workers(current_user), _l("Only administrators and the coordinator name field "
                                                        "workers."))
    form = FieldWorkerForm()
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        if user is None:
            form.email.errors = [_("There is no account with this e-mail address.")]
        elif run_or_error(form, lambda: ops.grant_field_worker(user, by=current_user)):
            forget_plan_roles()
            flash(_("%(name)s is a field worker.", name=user.display_name), "success")
            return redirect(url_for(".field_workers"))
    return _page("stories/field_workers.html", form_status(form), form=form, workers=ops.field_workers())


@bp.post("/veldwerkers/<int:user_id>/verwijderen")
def remove_field_worker(user_id: int):
    """Take the field worker role away (their stories stay)."""
    _only(ops.may_grant_field_workers(current_user))
    user = or_404(db.session.get(User, user_id))
    if Form().validate_on_submit() and run_or_flash(lambda: ops.revoke_field_worker(user, by=current_user)):
        forget_plan_roles()
        flash(_("%(name)s is no longer a field worker.", name=user.display_name), "success")
    return redirect(url_for(".field_workers"))

