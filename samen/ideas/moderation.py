"""Chairs' work on ideas: decisions, reports, the moderation queue, tags; how ideas' notifications read."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from samen.accounts.models import User
from samen.audit.models import AuditEntry
from samen.core import ratelimit
from samen.core.database import db
from samen.core.errors import Forbidden
from samen.core.notices import notice_at
from samen.core.views import form_status, or_404, run_or_error, run_or_flash, signed_in_then
from samen.ideas import operations as ops
from samen.ideas import review
from samen.ideas.moderation_forms import (DecideForm, MoveForm, PremoderationForm, ReportForm, ResolveForm, ReviewForm,
                                         TagForm)
from samen.ideas.models import Comment, Idea, Report
from samen.notifications.blueprint import describe_with
from samen.thinktanks.models import ThinkTank
from samen.thinktanks.operations import get_thinktank

bp = Blueprint("moderation", __name__)

CHAIRS_ONLY = _l("Only the chairs of this think tank and administrators can do this.")
MEMBERS_ONLY = _l("Only members of this think tank can report. Join the think tank first.")
RESOLVED_SHOWN = 10
LOG_SHOWN = 30
ID = "int(max=2147483647)"  # ids fit an INTEGER column: a larger number is a 404, not a database error


# --- loading and checking -----------------------------------------------------------------------------------

def _require_moderator(thinktank: ThinkTank) -> None:
    if not ops.can_moderate(thinktank, current_user):
        raise Forbidden(CHAIRS_ONLY)


def _shown_or_404(subject: Any) -> Any:
    """Answer 404 for an idea or comment the visitor may not know exists: of a closed think tank they are not in,
    or waiting for approval and not theirs (nor theirs to judge)."""
    idea = subject.idea if isinstance(subject, Comment) else subject
    if not ops.may_see_idea(idea, current_user) or not ops.is_shown_to(subject, current_user):
        abort(404)
    return subject


def _came_from() -> str | None:
    """Return the page of the form that was sent (its GET counterpart), if we know one."""
    values = request.view_args or {}
    if "idea_id" in values:
        return url_for("ideas.show", idea_id=values["idea_id"])
    return None


def _flash_form_errors(form: FlaskForm) -> None:
    """Say each mistake of a form in a flash, with its field, for pages that cannot show the form again."""
    for name, errors in form.errors.items():
        label = form[name].label.text if name in form else None
        for error in errors:
            flash(f"{label}: {error}" if label else str(error), "error")


# --- decisions ----------------------------------------------------------------------------------------------

@bp.route(f"/ideas/<{ID}:idea_id>/decide", methods=["POST"])
@signed_in_then(_came_from)
def decide(idea_id: int):
    """Set an idea's status with a written answer (chairs and admins); mistakes are said on the idea page."""
    idea = db.get_or_404(Idea, idea_id, selectinload(Idea.thinktank))
    or_404(idea if ops.may_see_idea(idea, current_user) else None)  # an outsider may not know it exists
    _require_moderator(idea.thinktank)
    form = DecideForm()
    back = url_for("ideas.show", idea_id=idea.id, _anchor="decide-heading")
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return redirect(back)
    target_id = form.merged_into_id
    merged_into = db.session.get(Idea, target_id) if target_id is not None else None
    if not run_or_flash(lambda: ops.decide(idea, by=current_user, status=form.status.data,
                                           answer=form.answer.data, merged_into=merged_into)):
        return redirect(back)
    flash(_("The decision is saved: %(status)s. The author and the supporters are told.",
            status=ops.STATUS_LABELS[form.status.data]), "success")
    return redirect(url_for("ideas.show", idea_id=idea.id, _anchor="answer-heading"))


@bp.route(f"/ideas/<{ID}:idea_id>/move", methods=["POST"])
@signed_in_then(_came_from)
def move(idea_id: int):
    """Move an idea to another think tank (chairs and admins); mistakes are said on the idea page."""
    idea = db.get_or_404(Idea, idea_id, selectinload(Idea.thinktank))
    or_404(idea if ops.may_see_idea(idea, current_user) else None)
    _require_moderator(idea.thinktank)
    form = MoveForm().offer([])
    back = url_for("ideas.show", idea_id=idea.id, _anchor="move-heading")
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return redirect(back)
    target = get_thinktank(form.thinktank.data)
    if not run_or_flash(lambda: ops.move_idea(idea, target, by=current_user, reason=form.reason.data)):
        return redirect(back)
    flash(_("The idea is moved to %(name)s. Its author and followers are told.", name=target.name), "success")
    return redirect(url_for("ideas.show", idea_id=idea.id))


# --- reports ------------------------------------------------------------------------------------------------

def _report(thinktank: ThinkTank, anchor: str, idea_id: int, **subject: Any) -> Any:
    """Report, then back to the idea page at what was reported (`anchor`), where the thanks appear."""
    if ops.active_membership(thinktank, current_user) is None:
        raise Forbidden(MEMBERS_ONLY)
    form = ReportForm()
    back = url_for("ideas.show", idea_id=idea_id, _anchor=anchor)
    if not form.validate_on_submit():
        _flash_form_errors(form)
        return redirect(back)
    if run_or_flash(lambda: ops.report(by=current_user, reason=form.reason.data, **subject)):
        # Next to the comment (or idea) reported, not at the top of a long page: notices.notice_at.
        back = url_for("ideas.show", idea_id=idea_id,
                       _anchor=notice_at(anchor, _("Thank you, the chairs will look at it.")))
    return redirect(back)


@bp.route(f"/ideas/<{ID}:idea_id>/report", methods=["POST"])
@signed_in_then(_came_from)
@ratelimit.per_user("REPORT_RATE_LIMIT", scope="report")
def report_idea(idea_id: int):
    """Report an idea to the chairs (members), then go back to it."""
    idea = _shown_or_404(db.get_or_404(Idea, idea_id, selectinload(Idea.thinktank)))
    return _report(idea.thinktank, "report-idea", idea.id, idea=idea)


@bp.route(f"/comments/<{ID}:comment_id>/report", methods=["POST"])
@signed_in_then(_came_from)
@ratelimit.per_user("REPORT_RATE_LIMIT", scope="report")
def report_comment(comment_id: int):
    """Report a comment to the chairs (members), then go back to it."""
    comment = _shown_or_404(db.get_or_404(Comment, comment_id,
                                          selectinload(Comment.idea).selectinload(Idea.thinktank)))
    return _report(comment.idea.thinktank, f"comment-{comment.id}", comment.idea_id, comment=comment)


# --- the moderation queue -----------------------------------------------------------------------------------

def open_report_count(thinktank: ThinkTank) -> int:
    """Return how many reports wait for the think tank's chairs (their link to the queue shows it)."""
    return db.session.scalar(select(func.count()).select_from(Report).where(
        Report.thinktank_id == thinktank.id, Report.resolved_at.is_(None))) or 0


@bp.app_context_processor
def _template_helpers() -> dict[str, Any]:
    return {"open_report_count": open_report_count, "waiting_count": review.waiting_count}


def recently_resolved(thinktank: ThinkTank, *,
                      limit: int = RESOLVED_SHOWN) -> list[tuple[Report, User | None]]:
    """Return the latest handled reports, each with who handled it, in a fixed number of queries."""
    resolver = aliased(User)
    return [(entry, by) for entry, by in db.session.execute(
        select(Report, resolver).outerjoin(resolver, resolver.id == Report.resolved_by_id)
        .where(Report.thinktank_id == thinktank.id, Report.resolved_at.is_not(None))
        .options(selectinload(Report.idea), selectinload(Report.comment).selectinload(Comment.idea),
                 selectinload(Report.reporter))
        .order_by(Report.resolved_at.desc(), Report.id.desc()).limit(limit))]


@dataclass
class LogLine:
    """An audit entry with the idea it concerns, for the moderation page."""

    entry: AuditEntry
    idea_id: int | None
    idea_title: str | None


def audit_log(thinktank: ThinkTank, *, limit: int = LOG_SHOWN) -> list[LogLine]:
    """Return the think tank's latest decisions and moderation, newest first, in a fixed number of queries."""
    ideas = select(Idea.id).where(Idea.thinktank_id == thinktank.id)
    comments = (select(Comment.id).join(Idea, Idea.id == Comment.idea_id)
                .where(Idea.thinktank_id == thinktank.id))
    reports = select(Report.id).where(Report.thinktank_id == thinktank.id)
    entries = list(db.session.scalars(
        select(AuditEntry).where(or_(
            and_(AuditEntry.subject_type == "idea", AuditEntry.subject_id.in_(ideas)),
            and_(AuditEntry.subject_type == "comment", AuditEntry.subject_id.in_(comments)),
            and_(AuditEntry.subject_type == "report", AuditEntry.subject_id.in_(reports)),
            and_(AuditEntry.subject_type == "thinktank", AuditEntry.subject_id == thinktank.id)))
        .options(selectinload(AuditEntry.actor))
        .order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc()).limit(limit)))

    def comment_of(entry: AuditEntry) -> int | None:
        if entry.subject_type == "comment":
            return entry.subject_id
        return (entry.data or {}).get("comment_id") if entry.subject_type == "report" else None

    comment_ids = {cid for cid in map(comment_of, entries) if isinstance(cid, int)}
    comment_ideas: dict[int, int] = {}
    if comment_ids:
        comment_ideas = dict(db.session.execute(
            select(Comment.id, Comment.idea_id).where(Comment.id.in_(comment_ids))).all())

    def idea_of(entry: AuditEntry) -> int | None:
        if entry.subject_type == "idea":
            return entry.subject_id
        idea_id = (entry.data or {}).get("idea_id") if entry.subject_type == "report" else None
        return idea_id if isinstance(idea_id, int) else comment_ideas.get(comment_of(entry))

    idea_ids = {idea_id for idea_id in map(idea_of, entries) if idea_id is not None}
    titles: dict[int, str] = {}
    if idea_ids:
        titles = dict(db.session.execute(select(Idea.id, Idea.title).where(Idea.id.in_(idea_ids))).all())
    return [LogLine(entry, idea_of(entry), titles.get(idea_of(entry))) for entry in entries]


def _queue_page(thinktank: ThinkTank, *, failed: tuple[int, ResolveForm] | None = None,
                failed_review: tuple[str, ReviewForm] | None = None) -> tuple[str, int]:
    """Render the moderation page; `failed` is a report's form that came back with mistakes, `failed_review` the
    form (with 'idea-12' or 'comment-7') of an approval that did."""
    return render_template("moderation/queue.html", thinktank=thinktank, reports=ops.open_reports(thinktank),
                           resolved=recently_resolved(thinktank), log=audit_log(thinktank),
                           statuses=ops.STATUS_LABELS, failed_id=failed[0] if failed else None,
                           failed_form=failed[1] if failed else None, waiting=review.waiting(thinktank),
                           failed_review_id=failed_review[0] if failed_review else None,
                           failed_review_form=failed_review[1] if failed_review else None,
                           writable=not thinktank.is_archived), 422 if failed or failed_review else 200


@bp.route("/thinktanks/<slug>/moderation")
@login_required
def queue(slug: str):
    """Show the reports waiting for the chairs, oldest first, the ones handled lately and the audit log."""
    thinktank = or_404(get_thinktank(slug))
    _require_moderator(thinktank)
    return _queue_page(thinktank)


@bp.route(f"/reports/<{ID}:report_id>/resolve", methods=["POST"])
@signed_in_then(_came_from)
def resolve(report_id: int):
    """Hide the reported content (with a reason told to its author) or dismiss the report; never delete."""
    entry = db.get_or_404(Report, report_id)
    thinktank = db.session.get(ThinkTank, entry.thinktank_id)
    or_404(thinktank if ops.can_view(thinktank, current_user) else None)  # as its idea: unknown to outsiders
    _require_moderator(thinktank)
    back = url_for(".queue", slug=thinktank.slug)
    if entry.resolved_at is not None:  # a second chair, or a second click
        flash(_("This report was already handled."), "info")
        return redirect(back)
    form = ResolveForm()
    if not form.validate_on_submit():
        return _queue_page(thinktank, failed=(entry.id, form))
    if not run_or_flash(lambda: ops.resolve_report(entry, by=current_user, outcome=form.outcome.data,
                                                   note=form.note.data)):
        return redirect(back)
    if form.outcome.data == "hidden":
        flash(_("The content is hidden. Its author and the member who reported it are told."), "success")
    else:
        flash(_("The report is dismissed. The member who reported it is told."), "success")
    return redirect(back)


# --- pre-moderation -----------------------------------------------------------------------------------------

@bp.route("/thinktanks/<slug>/premoderation", methods=["POST"])
@signed_in_then(lambda: url_for(".queue", slug=(request.view_args or {}).get("slug")))
def premoderation(slug: str):
    """Switch pre-moderation on or off (chairs and admins); what waits keeps waiting."""
    thinktank = or_404(get_thinktank(slug))
    _require_moderator(thinktank)
    form = PremoderationForm()
    if not form.validate_on_submit():
        _flash_form_errors(form)
    elif run_or_flash(lambda: review.set_premoderation(thinktank, by=current_user, on=form.on.data == "on")):
        flash(_("Pre-moderation is on: the chairs approve new ideas and comments before others see them.")
              if thinktank.premoderation else
              _("Pre-moderation is off. What still waits for approval keeps waiting until a chair decides."),
              "success")
    return redirect(url_for(".queue", slug=thinktank.slug, _anchor="premoderation-heading"))


def _review(subject: Idea | Comment, key: str) -> Any:
    idea = subject.idea if isinstance(subject, Comment) else subject
    thinktank = idea.thinktank
    _require_moderator(thinktank)
    back = url_for(".queue", slug=thinktank.slug, _anchor="waiting-heading")
    if subject.review != "waiting":  # a second chair, or a second click
        flash(_("This was already approved or refused."), "info")
        return redirect(back)
    form = ReviewForm()
    if not form.validate_on_submit():
        return _queue_page(thinktank, failed_review=(key, form))
    if run_or_flash(lambda: review.review(subject, by=current_user, decision=form.decision.data,
                                          reason=form.reason.data)):
        flash(_("Approved: everyone who may read this think tank now sees it.") if form.decision.data == "approve"
              else _("Refused. The author is told your reason."), "success")
    return redirect(back)


@bp.route(f"/ideas/<{ID}:idea_id>/review", methods=["POST"])
@signed_in_then(_came_from)
def review_idea(idea_id: int):
    """Approve an idea that waits, or refuse it with a reason told to its author (chairs and admins)."""
    idea = _shown_or_404(db.get_or_404(Idea, idea_id, selectinload(Idea.thinktank)))
    return _review(idea, f"idea-{idea.id}")


@bp.route(f"/comments/<{ID}:comment_id>/review", methods=["POST"])
@signed_in_then(_came_from)
def review_comment(comment_id: int):
    """Approve a comment that waits, or refuse it with a reason told to its author (chairs and admins)."""
    comment = _shown_or_404(db.get_or_404(Comment, comment_id,
                                          selectinload(Comment.idea).selectinload(Idea.thinktank)))
    return _review(comment, f"comment-{comment.id}")


# --- tags ---------------------------------------------------------------------------------------------------

@bp.route("/thinktanks/<slug>/tags", methods=["GET", "POST"])
@login_required
def tags(slug: str):
    """Show the tags a think tank offers for its ideas, and add one (chairs and admins)."""
    thinktank = or_404(get_thinktank(slug))
    _require_moderator(thinktank)
    form = TagForm()
    if form.validate_on_submit() and (done := run_or_error(form, lambda: ops.create_tag(thinktank,
                                                                                        form.name.data))):
        flash(_("The tag “%(name)s” is added.", name=done.value.name), "success")
        return redirect(url_for(".tags", slug=thinktank.slug))
    return render_template("moderation/tags.html", thinktank=thinktank, form=form,
                           tags=ops.tags_for(thinktank)), form_status(form)


# --- how ideas' notifications read --------------------------------------------------------------------------

@describe_with("comment")
def _commented(data: dict[str, Any]) -> str:
    return _("Someone commented on your idea “%(title)s”.", title=data.get("idea_title", ""))


@describe_with("reply")
def _replied(data: dict[str, Any]) -> str:
    return _("Someone replied to your comment on “%(title)s”.", title=data.get("idea_title", ""))


@describe_with("status")
def _status_changed(data: dict[str, Any]) -> str:
    status = data.get("status", "")
    return _("The status of “%(title)s” is now: %(status)s.", title=data.get("idea_title", ""),
             status=ops.STATUS_LABELS.get(status, status))


@describe_with("report_outcome")
def _report_handled(data: dict[str, Any]) -> str:
    title = data.get("idea_title", "")
    if data.get("outcome") == "hidden":
        return _("Your report on “%(title)s” was handled: the content is hidden.", title=title)
    return _("Your report on “%(title)s” was handled: the chairs left the content visible.", title=title)


@describe_with("review_waiting")
def _waiting(data: dict[str, Any]) -> str:
    title = data.get("idea_title", "")
    if data.get("what") == "comment":
        return _("A new comment on “%(title)s” waits for your approval.", title=title)
    return _("A new idea waits for your approval: “%(title)s”.", title=title)


@describe_with("review_approved")
def _approved(data: dict[str, Any]) -> str:
    title = data.get("idea_title", "")
    if data.get("what") == "comment":
        return _("Your comment on “%(title)s” is approved: others can read it now.", title=title)
    return _("Your idea “%(title)s” is approved: others can read it now.", title=title)


@describe_with("review_rejected")
def _refused(data: dict[str, Any]) -> str:
    title, reason = data.get("idea_title", ""), data.get("reason") or _("no reason given")
    if data.get("what") == "comment":
        return _("Your comment on “%(title)s” was not approved: %(reason)s", title=title, reason=reason)
    return _("Your idea “%(title)s” was not approved: %(reason)s", title=title, reason=reason)


@describe_with("hidden")
def _hidden(data: dict[str, Any]) -> str:
    title, reason = data.get("idea_title", ""), data.get("reason") or _("no reason given")
    if data.get("what") == "comment":
        return _("Your comment on “%(title)s” was hidden by a moderator: %(reason)s", title=title,
                 reason=reason)
    return _("Your idea “%(title)s” was hidden by a moderator: %(reason)s", title=title, reason=reason)
