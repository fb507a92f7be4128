"""The administrators' pages for the help directory and the questions and answers, at /admin/hulp.

A blueprint nested in the admin area's (samen/admin/blueprint.py registers it), so the admin area's one check —
signed in, and a site administrator — guards every route here too.
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from samen.core.forms import Form

from samen.core.database import db
from samen.core.views import form_status, or_404, run_or_error
from samen.help import operations as ops
from samen.help.forms import EntryForm, QuestionForm
from samen.thinktanks import operations as tt_ops

bp = Blueprint("help", __name__, url_prefix="/hulp")


def _thinktanks() -> list[Any]:
    return [thinktank for thinktank, _count in tt_ops.thinktanks_with_counts(include_archived=True)]


def _entry_data(form: EntryForm) -> dict[str, Any]:
    return {name: form[name].data for name in ops.ENTRY_FIELDS}


def _question_data(form: QuestionForm) -> dict[str, Any]:
    return {name: form[name].data for name in ops.QUESTION_FIELDS}


@bp.route("/")
def index():
    """List the directory entries and the questions, with links to edit, move and remove them."""
    return render_template("help/admin/index.html", entries=ops.directory(), questions=ops.questions())


@bp.route("/entries/new", methods=["GET", "POST"])
def new_entry():
    """Add a directory entry."""
    form = EntryForm(thinktanks=_thinktanks())
    if form.validate_on_submit() and run_or_error(
            form, lambda: ops.create_entry(_entry_data(form), by=current_user)):
        flash(_("The entry is added to the help directory."), "success")
        return redirect(url_for(".index"))
    return render_template("help/admin/entry_form.html", form=form, entry=None), form_status(form)


@bp.route("/entries/<int:entry_id>", methods=["GET", "POST"])
def edit_entry(entry_id: int):
    """Change a directory entry."""
    entry = or_404(ops.get_entry(entry_id))
    form = EntryForm(obj=entry, thinktanks=_thinktanks())
    if form.validate_on_submit() and run_or_error(
            form, lambda: ops.update_entry(entry, _entry_data(form), by=current_user)):
        flash(_("The entry is saved."), "success")
        return redirect(url_for(".index"))
    return render_template("help/admin/entry_form.html", form=form, entry=entry), form_status(form)


@bp.route("/entries/<int:entry_id>/delete", methods=["POST"])
def delete_entry(entry_id: int):
    """Remove a directory entry."""
    entry = or_404(ops.get_entry(entry_id))
    if Form().validate_on_submit():
        ops.delete_entry(entry, by=current_user)
        db.session.commit()
        flash(_("The entry is removed from the help directory."), "success")
    return redirect(url_for(".index"))


@bp.route("/entries/<int:entry_id>/<any(up, down):direction>", methods=["POST"])
def move_entry(entry_id: int, direction: str):
    """Move a directory entry one place up or down among the entries of its kind."""
    entry = or_404(ops.get_entry(entry_id))
    if Form().validate_on_submit() and ops.move_entry(entry, direction, by=current_user):
        db.session.commit()
    return redirect(url_for(".index", _anchor=f"entry-{entry.id}"))


@bp.route("/questions/new", methods=["GET", "POST"])
def new_question():
    """Add a question and its answer."""
    form = QuestionForm(entries=ops.directory())
    if form.validate_on_submit() and run_or_error(
            form, lambda: ops.create_question(_question_data(form), by=current_user)):
        flash(_("The question is added."), "success")
        return redirect(url_for(".index"))
    return render_template("help/admin/question_form.html", form=form, question=None), form_status(form)


@bp.route("/questions/<int:question_id>", methods=["GET", "POST"])
def edit_question(question_id: int):
    """Change a question, its answer and the entries it points to."""
    question = or_404(ops.get_question(question_id))
    form = QuestionForm(obj=question, entries=ops.directory(),
                        entry_ids=[str(entry.id) for entry in question.entries])
    if form.validate_on_submit() and run_or_error(
            form, lambda: ops.update_question(question, _question_data(form), by=current_user)):
        flash(_("The question is saved."), "success")
        return redirect(url_for(".index"))
    return render_template("help/admin/question_form.html", form=form, question=question), form_status(form)


@bp.route("/questions/<int:question_id>/delete", methods=["POST"])
def delete_question(question_id: int):
    """Remove a question and its answer."""
    question = or_404(ops.get_question(question_id))
    if Form().validate_on_submit():
        ops.delete_question(question, by=current_user)
        db.session.commit()
        flash(_("The question is removed."), "success")
    return redirect(url_for(".index"))


@bp.route("/questions/<int:question_id>/<any(up, down):direction>", methods=["POST"])
def move_question(question_id: int, direction: str):
    """Move a question one place up or down within its category."""
    question = or_404(ops.get_question(question_id))
    if Form().validate_on_submit() and ops.move_question(question, direction, by=current_user):
        db.session.commit()
    return redirect(url_for(".index", _anchor=f"question-{question.id}"))
