"""Ideas in a think tank: list, search, post, edit, withdraw, support, comment."""
from __future__ import annotations

from typing import Any

from flask import (Blueprint, abort, current_app, flash, get_template_attribute, jsonify, redirect, render_template,
                   request, url_for)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from samen.core import ratelimit
from samen.core.database import db
from samen.core.errors import DomainError, Forbidden
from samen.core.markdown import markdown_to_text
from samen.core.once import once
from samen.core.security import is_safe_next
from samen.core.notices import notice_at
from samen.core.views import (flash_error, form_next, form_status, or_404, run_or_error, run_or_flash,
                              sign_in_or_403, signed_in)
from samen.ideas import operations as ops
from samen.ideas.forms import CommentForm, EditCommentForm, IdeaForm
from samen.ideas.models import IDEA_STATUSES, Comment, Idea, visible_ideas
from samen.thinktanks.models import ThinkTank
from samen.thinktanks.operations import get_thinktank, membership_of

bp = Blueprint("ideas", __name__)

ARCHIVED = _l("This think tank is archived and can no longer be changed.")


# --- template helpers ---------------------------------------------------------------------------------------

def endpoint_exists(name: str) -> bool:
    """Return whether a route is registered, so pages can offer forms of features that may not exist yet."""
    return name in current_app.view_functions


def idea_count(thinktank: ThinkTank) -> int | None:
    """Return how many ideas the think tank's idea list shows, or None when the viewer may not see them."""
    if not ops.can_view(thinktank, current_user):
        return None
    # One COUNT with the list's own rule (Idea.is_visible), for the link on the think tank's page.
    return db.session.scalar(select(func.count()).select_from(Idea).where(
        Idea.thinktank_id == thinktank.id, visible_ideas())) or 0


@bp.app_context_processor
def _template_helpers() -> dict[str, Any]:
    return {"endpoint_exists": endpoint_exists, "idea_count": idea_count}


@bp.app_template_filter("excerpt")
def _excerpt(text: str | None, limit: int = 200) -> str:
    return markdown_to_text(text, limit)


# --- loading and checking -----------------------------------------------------------------------------------

# What the idea's pages show with it.
IDEA_PAGE = (selectinload(Idea.tags), selectinload(Idea.author), selectinload(Idea.thinktank))
# Only the idea and its think tank, in one query: what supporting needs (it is done often).
IDEA_ALONE = (joinedload(Idea.thinktank),)
COMMENT_PAGE = (selectinload(Comment.idea).selectinload(Idea.thinktank),)


def _require_view(thinktank: ThinkTank) -> None:
    """Let visitors who may read the think tank's ideas through; ask others to sign in, or refuse them."""
    if not ops.can_view(thinktank, current_user):
        sign_in_or_403(_l("Only members of this think tank can see its ideas."))


def _load(model: type[Idea] | type[Comment], key: int, *options: Any) -> Any:
    """Load an idea or comment the visitor may know exists, or answer 404 as for one that does not exist: an idea
    of a closed think tank for an outsider (signing in is not offered: that would tell it exists), or one that
    waits for a chair's approval (or was refused) and is not theirs (ops.may_see_idea, ops.is_shown_to)."""
    subject = db.get_or_404(model, key, *options)
    idea = subject.idea if isinstance(subject, Comment) else subject
    if not ops.may_see_idea(idea, current_user) or not ops.is_shown_to(subject, current_user):
        abort(404)
    return subject


def _author_name(idea_or_comment: Any, *, moderator: bool = False) -> str | None:
    """Return the author's name as the visitor may see it (ops.author_name for the signed-in user)."""
    return ops.author_name(idea_or_comment, current_user, moderator=moderator)


def _back(default: str) -> str:
    """Return the local page named by the form's `next`, or the default."""
    return form_next() or default


def _blocked(thinktank: ThinkTank, message: Any, status: int) -> tuple[str, int]:
    """Explain why this cannot be done here, with the way back to the think tank."""
    return render_template("ideas/blocked.html", thinktank=thinktank, message=message), status


# --- the list -----------------------------------------------------------------------------------------------

@bp.route("/thinktanks/<slug>/ideas")
def index(slug: str):
    """List the think tank's ideas: sorted, filtered by status and tag, searched, one page at a time."""
    thinktank = or_404(get_thinktank(slug))
    _require_view(thinktank)
    filters = {name: request.args.get(name, "") for name in ("sort", "status", "tag", "q")}
    filters["sort"] = filters["sort"] or "support"
    try:
        page = ops.list_ideas(thinktank, viewer=current_user, page=request.args.get("page"), **filters)
        error, status = None, 200
    except DomainError as exc:
        # A bad sort, status or page: show the list page with what went wrong, so the filters can be fixed.
        page, error, status = None, exc.message, exc.status
    membership = ops.active_membership(thinktank, current_user)
    used = ops.supports_used(thinktank, current_user) if membership and thinktank.support_limit else None
    return render_template("ideas/index.html", thinktank=thinktank, page=page, error=error, filters=filters,
                           tags=ops.tags_for(thinktank), member=membership is not None, supports_used=used,
                           sorts=ops.SORT_LABELS,
                           statuses={key: str(label) for key, label in ops.STATUS_LABELS.items()},
                           author_name=_author_name), status


# --- posting and editing ideas ------------------------------------------------------------------------------

def _idea_form_page(thinktank: ThinkTank, form: IdeaForm, idea: Idea | None = None,
                    preview: bool = False) -> tuple[str, int]:
    return render_template("ideas/form.html", thinktank=thinktank, form=form, idea=idea,
                           preview=preview), form_status(form)


def _previewing() -> bool:
    """A preview stores nothing, so it does not count against the posting limit."""
    return "preview" in request.form


@bp.route("/thinktanks/<slug>/ideas/new", methods=["GET", "POST"])
@login_required
@ratelimit.per_user("POST_RATE_LIMIT", scope="post", methods=["POST"], exempt_when=_previewing)
@once
def new(slug: str):
    """Post an idea (members); 'Preview' shows the form again with the rendered text, storing nothing."""
    thinktank = or_404(get_thinktank(slug))
    _require_view(thinktank)
    try:
        ops.require_member(thinktank, current_user)  # posting's own rule: archived (409), not a member (403)
    except DomainError as refusal:
        return _blocked(thinktank, refusal.message, refusal.status)
    form = IdeaForm(tags=ops.tags_for(thinktank))
    if form.is_submitted() and form.wants_preview:
        form.validate()
        return _idea_form_page(thinktank, form, preview=True)
    if form.validate_on_submit():
        done = run_or_error(form, lambda: ops.create_idea(
            thinktank, author=current_user, title=form.title.data, body=form.body.data or "",
            tags=form.tags.data, anonymous=form.anonymous.data))
        if done:
            if done.value.review:
                flash(_("Your idea is waiting for approval: the chairs of this think tank look at new ideas "
                        "before others see them."), "info")
            else:
                flash(_("Your idea is posted."), "success")
            return redirect(url_for(".show", idea_id=done.value.id))
    return _idea_form_page(thinktank, form)


@bp.route("/ideas/<int:idea_id>/edit", methods=["GET", "POST"])
@login_required
def edit(idea_id: int):
    """Change your own idea; the earlier title and text stay readable as a previous version."""
    idea = _load(Idea, idea_id, *IDEA_PAGE)
    thinktank = idea.thinktank
    if idea.author_id != current_user.id:
        raise Forbidden(_l("Only the author can edit this idea."))
    if thinktank.is_archived:
        return _blocked(thinktank, ARCHIVED, 409)
    if idea.withdrawn_at is not None:
        return _blocked(thinktank, _l("This idea was withdrawn and can no longer be edited."), 409)
    form = IdeaForm(tags=ops.tags_for(thinktank), data={"title": idea.title, "body": idea.body,
                                                         "tags": [tag.slug for tag in idea.tags],
                                                         "anonymous": idea.anonymous})
    if form.is_submitted() and form.wants_preview:
        form.validate()
        return _idea_form_page(thinktank, form, idea, preview=True)
    if form.validate_on_submit() and run_or_error(form, lambda: ops.edit_idea(
            idea, by=current_user, title=form.title.data, body=form.body.data or "", tags=form.tags.data,
            anonymous=form.anonymous.data)):
        flash(_("Your changes are saved."), "success")
        return redirect(url_for(".show", idea_id=idea.id))
    return _idea_form_page(thinktank, form, idea)


@bp.route("/ideas/<int:idea_id>/withdraw", methods=["POST"])
@signed_in
def withdraw(idea_id: int):
    """Withdraw your own idea: it leaves the lists and stays readable at its address."""
    idea = _load(Idea, idea_id, *IDEA_PAGE)
    if FlaskForm().validate_on_submit() and run_or_flash(lambda: ops.withdraw_idea(idea, by=current_user)):
        flash(_("Your idea is withdrawn. It no longer appears in the list."), "success")
    return redirect(url_for(".show", idea_id=idea.id))


@bp.route("/ideas/<int:idea_id>/versions/delete", methods=["POST"])
@bp.route("/ideas/<int:idea_id>/versions/<int:version_id>/delete", methods=["POST"])
@signed_in
def remove_versions(idea_id: int, version_id: int | None = None):
    """Remove one earlier version of your idea, or all of them, for good."""
    idea = _load(Idea, idea_id, *IDEA_PAGE)
    if idea.author_id != current_user.id:
        raise Forbidden(_l("Only the author can remove earlier versions of this idea."))
    if FlaskForm().validate_on_submit() and (done := run_or_flash(lambda: ops.remove_versions(
            idea, by=current_user, version_id=version_id))):
        flash(ngettext("%(num)d earlier version is removed.", "%(num)d earlier versions are removed.",
                       done.value), "success")
    return redirect(url_for(".show", idea_id=idea.id, _anchor="versions-heading"))


# --- the idea page ------------------------------------------------------------------------------------------

def _idea_page(idea: Idea, *, comment_form: CommentForm | None = None, status: int = 200) -> tuple[str, int]:
    """Render the idea with everything it shows, in a fixed number of queries."""
    thinktank = idea.thinktank
    membership = membership_of(thinktank, current_user)
    member = membership is not None and membership.is_active
    moderator = ops.can_moderate(thinktank, current_user, membership)
    context: dict[str, Any] = {
        "idea": idea, "thinktank": thinktank, "member": member, "moderator": moderator,
        "author": _author_name(idea), "real_author": ops.author_name(idea, moderator=moderator),
        "is_author": current_user.is_authenticated and idea.author_id == current_user.id,
        "writable": not thinktank.is_archived, "placeholder": idea.hidden_at is not None and not moderator,
        "author_name": _author_name, "statuses": ops.STATUS_LABELS, "status_choices": IDEA_STATUSES,
        "comment_form": comment_form or CommentForm(formdata=None), "blank_form": CommentForm(formdata=None),
        "failed_parent": comment_form.parent if comment_form is not None and comment_form.errors else None,
    }
    if moderator and not thinktank.is_archived:
        context["move_targets"] = ops.move_targets(idea, current_user)
    if not context["placeholder"]:
        comments = ops.comments_of(idea, current_user, moderator=moderator)
        if context["failed_parent"] not in {top.id for top, _replies in comments}:
            context["failed_parent"] = None  # no reply form there: show the mistake at the main form
        limited = member and thinktank.support_limit
        context.update(
            comments=comments, versions=ops.versions(idea, current_user, moderator=moderator),
            history=ops.status_history(idea),
            supported=idea.id in ops.supported_ids(current_user, [idea.id]),
            supports_used=ops.supports_used(thinktank, current_user) if limited else None)
    return render_template("ideas/show.html", **context), status


@bp.route("/ideas/<int:idea_id>")
def show(idea_id: int):
    """Show an idea: its status and answer, text, support, earlier versions and the discussion."""
    idea = _load(Idea, idea_id, *IDEA_PAGE)
    return _idea_page(idea)


# --- support ------------------------------------------------------------------------------------------------

@bp.route("/ideas/<int:idea_id>/support", methods=["POST"])
@signed_in
@ratelimit.per_user("SUPPORT_RATE_LIMIT", scope="support")
def support(idea_id: int):
    """Support an idea, then go back to the page the button was on (or, for static/js/ideas.js, answer with
    what changed on it)."""
    idea = _load(Idea, idea_id, *IDEA_ALONE)
    if not FlaskForm().validate_on_submit():
        return redirect(_back(url_for(".show", idea_id=idea.id)))
    try:
        added = ops.support_idea(idea, current_user)
    except DomainError as error:
        return _support_refused(idea, error)
    db.session.commit()
    if added:
        return _supported(idea, _("You support “%(title)s”.", title=idea.title), "success", counted=True)
    return _supported(idea, _("You already support “%(title)s”.", title=idea.title), "info")


@bp.route("/ideas/<int:idea_id>/unsupport", methods=["POST"])
@signed_in
@ratelimit.per_user("SUPPORT_RATE_LIMIT", scope="support")
def unsupport(idea_id: int):
    """Withdraw your support, then go back to the page the button was on (or answer the script)."""
    idea = _load(Idea, idea_id, *IDEA_ALONE)
    if not FlaskForm().validate_on_submit():
        return redirect(_back(url_for(".show", idea_id=idea.id)))
    try:
        removed = ops.withdraw_support(idea, current_user)
    except DomainError as error:
        return _support_refused(idea, error)
    db.session.commit()
    if removed:
        return _supported(idea, _("You no longer support “%(title)s”.", title=idea.title), "success", counted=True)
    return _supported(idea, _("You did not support “%(title)s”.", title=idea.title), "info")


def _wants_json() -> bool:
    """Whether the support button's script sent the form (it asks for JSON); browsers without it ask for HTML."""
    return request.accept_mimetypes.best == "application/json"


def _support_refused(idea: Idea, error: DomainError) -> Any:
    """Undo the failed change and say why: in a flash, or to the script; a refusal stays a 403 page (the script
    then lets the form post, and the page shows it)."""
    if isinstance(error, Forbidden) or not _wants_json():
        flash_error(error)
        return redirect(_back(url_for(".show", idea_id=idea.id)))
    db.session.rollback()
    return _support_state(idea, str(error.message), "error", status=error.status)


def _supported(idea: Idea, message: str, category: str, *, counted: bool = False) -> Any:
    if not _wants_json():
        flash(message, category)
        return redirect(_back(url_for(".show", idea_id=idea.id)))
    return _support_state(idea, message, category, counted=counted)


def _support_state(idea: Idea, message: str, category: str, *, status: int = 200, counted: bool = False) -> Any:
    """Answer static/js/ideas.js with the idea's support as the page shows it now: the buttons, both ways of
    counting (the list's and the idea page's), the member's supports used, and what to announce."""
    if not counted:  # counters change by UPDATE statements, which the loaded idea does not see
        db.session.refresh(idea, ["support_count"])
    thinktank = idea.thinktank
    supported = idea.id in ops.supported_ids(current_user, [idea.id])
    limit = thinktank.support_limit
    controls = get_template_attribute("ideas/_macros.html", "support_controls")
    used_line = get_template_attribute("ideas/_macros.html", "supports_used_line")
    next_url = request.form.get("next")
    count = idea.support_count
    return jsonify(
        ok=category != "error", message=message, category=category, supported=supported, support_count=count,
        count_short=ngettext("%(num)d support", "%(num)d supports", count),
        count_long=ngettext("%(num)d member supports this idea.", "%(num)d members support this idea.", count),
        controls=str(controls(idea, supported, idea.is_visible and idea.is_open,
                              next=next_url if is_safe_next(next_url) else None)),
        supports_used=str(used_line(ops.supports_used(thinktank, current_user) if limit else None, limit)),
    ), status


# --- comments -----------------------------------------------------------------------------------------------

@bp.route("/ideas/<int:idea_id>/comments", methods=["POST"])
@signed_in
@ratelimit.per_user("POST_RATE_LIMIT", scope="post")
@once
def comment(idea_id: int):
    """Comment on an idea, or reply to a comment; mistakes are shown on the idea page."""
    idea = _load(Idea, idea_id, *IDEA_PAGE)
    form = CommentForm()
    if form.validate_on_submit():
        parent = db.session.get(Comment, form.parent) if form.parent is not None else None
        if form.parent is not None and parent is None:
            form.form_errors.append(_l("You can only reply to a comment on the same idea."))
        elif done := run_or_error(form, lambda: ops.add_comment(idea, author=current_user, body=form.body.data,
                                                                 parent=parent, anonymous=form.anonymous.data)):
            anchor = f"comment-{done.value.id}"  # the confirmation appears next to the comment (core/notices.py)
            if done.value.review:
                anchor = notice_at(anchor, _("Your comment is waiting for approval: the chairs of this think tank "
                                             "look at new comments before others see them."), "info")
            else:
                anchor = notice_at(anchor, _("Your reply is posted.") if parent else _("Your comment is posted."))
            return redirect(url_for(".show", idea_id=idea.id, _anchor=anchor))
    return _idea_page(idea, comment_form=form, status=422)


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@login_required
def edit_comment(comment_id: int):
    """Change your own comment."""
    comment = _load(Comment, comment_id, *COMMENT_PAGE)
    idea = comment.idea
    if comment.author_id != current_user.id or comment.deleted_at is not None:
        raise Forbidden(_l("Only the author can edit this comment."))
    if idea.thinktank.is_archived:
        return _blocked(idea.thinktank, ARCHIVED, 409)
    form = EditCommentForm(data={"body": comment.body})
    if form.validate_on_submit() and run_or_error(form, lambda: ops.edit_comment(comment, by=current_user,
                                                                                 body=form.body.data)):
        return redirect(url_for(".show", idea_id=idea.id,
                                _anchor=notice_at(f"comment-{comment.id}", _("Your comment is saved."))))
    return render_template("ideas/comment_form.html", form=form, comment=comment, idea=idea,
                           thinktank=idea.thinktank), form_status(form)


@bp.route("/comments/<int:comment_id>/delete", methods=["POST"])
@signed_in
def delete_comment(comment_id: int):
    """Delete your own comment; a placeholder keeps the replies in context."""
    comment = _load(Comment, comment_id, *COMMENT_PAGE)
    idea = comment.idea
    anchor = f"comment-{comment.id}"
    if FlaskForm().validate_on_submit() and run_or_flash(lambda: ops.delete_comment(comment,
                                                                                   by=current_user)):
        anchor = notice_at(anchor, _("Your comment is deleted."))
    return redirect(url_for(".show", idea_id=idea.id, _anchor=anchor))
