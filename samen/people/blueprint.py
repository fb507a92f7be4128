"""Inviting people by e-mail (chairs, the coordinator), accepting an invitation, and the participant groups that
administrators keep (docs/people.md)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from samen.accounts import groups as group_ops
from samen.accounts.blueprint import sign_in
from samen.audit.operations import record
from samen.core import ratelimit
from samen.core.database import db, utcnow
from samen.core.errors import DomainError
from samen.core.security import no_store
from samen.core.views import form_status, or_404, run_or_error, run_or_flash
from samen.people import mails
from samen.people import operations as ops
from samen.people import privacy as _privacy  # noqa: F401  (registers the privacy hooks)
from samen.people.forms import AcceptForm, GroupForm, InviteForm
from samen.people.models import Invitation
from samen.thinktanks.permissions import is_admin

bp = Blueprint("people", __name__)


@bp.after_request
def _never_stored(response: Any) -> Any:
    """The pages hold addresses, links and passwords: never cache."""
    return no_store(response)


# --- inviting ------------------------------------------------------------------------------------------------

def _rows(form: InviteForm) -> list[ops.Row]:
    """Return the people the form names: the single person first, then the list and the file."""
    rows: list[ops.Row] = []
    if form.email.data:
        organisation = next((slug for value, slug in form.organisation_slugs if value == form.organisation.data), "")
        rows.append(ops.Row(line=0, text=form.email.data, name=form.name.data or "", email=form.email.data,
                            organisation=organisation))
    text = form.people.data or ""
    if form.file.data:
        try:
            text += "\n" + form.file.data.read(ops.MAX_LIST_CHARS * 4 + 1).decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DomainError(_("The file is not a CSV file in UTF-8. Save it as “CSV UTF-8” and try again."),
                              field="file") from None
    return rows + ops.parse_people(text)


@bp.route("/invitations", methods=["GET", "POST"])
@login_required
def invite():
    """Invite people by e-mail — one, a pasted list or a CSV file — optionally straight into a think tank; bad
    rows come back with their error, the good ones are sent."""
    if not ops.may_invite(current_user):
        abort(403)
    tanks = ops.invitable_thinktanks(current_user)
    register = ops.organisations()
    form = InviteForm(thinktanks=tanks, organisations=register,
                      without_thinktank=ops.may_invite_without_thinktank(current_user),
                      data={"thinktank": request.args.get("thinktank", "")})
    form.organisation_slugs = [(str(o.id), o.slug) for o in register]
    outcome = None
    if form.validate_on_submit():
        try:
            rows = _rows(form)
        except DomainError as error:
            rows = []
            form[error.field or "people"].errors.append(error.message)
        if rows and not ratelimit.hit(f"invite:{current_user.id}", current_app.config["INVITATION_RATE_LIMIT"],
                                      cost=len(rows)):
            form.form_errors.append(_("You have invited many people in a short time. Please try again tomorrow, "
                                      "or ask the coordinator."))
            rows = []
        for row in rows:
            if row.error is None and row.email and "@" in row.email and not mails.mail_allowed(row.email):
                row.error = _("This address got several invitations recently. Try again tomorrow.")
        tank = next((t for t in tanks if t.slug == form.thinktank.data), None)
        if rows and (done := run_or_error(form, lambda: ops.invite_people(
                current_user, rows, thinktank=tank, lifetime=current_app.config["INVITATION_TOKEN_LIFETIME"]))):
            outcome = done.value
            for sent in outcome.sent:
                mails.send_invitation(sent, inviter_name=current_user.display_name, locale=str(get_locale()))
            # The form again, holding only the rows to fix, so the good ones are not sent twice.
            form.email.data = form.name.data = ""
            form.organisation.data = ""
            form.people.data = "\n".join(row.text for row in outcome.refused if row.line)
    status = 422 if form.errors or (outcome is not None and not outcome.sent) else 200
    return render_template("people/invite.html", form=form, outcome=outcome, tanks=tanks,
                           invitations=ops.invitations_by(current_user), now=utcnow()), status


@bp.route("/invitations/<int:invitation_id>/revoke", methods=["POST"])
@login_required
def revoke(invitation_id: int):
    """Revoke a pending invitation: its link stops working (who sent it, its think tank's chairs, the
    coordinator)."""
    invitation = db.session.get(Invitation, invitation_id)
    or_404(invitation if invitation is not None and ops.may_see_invitation(current_user, invitation) else None)
    if FlaskForm().validate_on_submit() and run_or_flash(lambda: ops.revoke_invitation(invitation, by=current_user)):
        flash(_("The invitation to %(email)s is revoked: its link no longer works.", email=invitation.email),
              "success")
    return redirect(url_for(".invite"))


# --- accepting ----------------------------------------------------------------------------------------------

def _link_gone() -> tuple[str, int]:
    return render_template("accounts/link_gone.html"), 404


@bp.route("/invitations/<secret>", methods=["GET", "POST"])
@ratelimit.per_address("REGISTER_RATE_LIMIT", methods=["POST"], scope="invitation")
def accept(secret: str):
    """Open an invitation: a new person sets a password (and a display name, the terms, the age question), the
    owner of an existing account signs in; either way they land in the think tank as a member."""
    invitation = ops.find_invitation(secret)
    if invitation is None:
        return _link_gone()
    account = ops.account_for(invitation)
    signed_in_here = current_user.is_authenticated
    if signed_in_here and (account is None or current_user.id != account.id):
        return render_template("people/accept.html", invitation=invitation, state="other_account"), 403
    if account is not None:
        if not signed_in_here:
            return render_template("people/accept.html", invitation=invitation, state="sign_in")
        form = FlaskForm()
        if form.validate_on_submit() and (done := run_or_flash(
                lambda: ops.accept_signed_in(secret, current_user._get_current_object()))):
            return _landed(done.value)
        return render_template("people/accept.html", invitation=invitation, state="confirm", form=form)
    form = AcceptForm(email=invitation.email, data={"display_name": invitation.name})
    if form.validate_on_submit() and (done := run_or_error(form, lambda: ops.accept_new(
            secret, display_name=form.display_name.data, password=form.password.data,
            under_16=bool(form.under_16.data), accepted_terms=bool(form.accept_terms.data),
            locale=session.get("lang")))):
        landed, user = done.value
        sign_in(user)
        return _landed(landed)
    return render_template("people/accept.html", invitation=invitation, state="new", form=form), form_status(form)


def _landed(invitation: Any) -> Any:
    tank = invitation.thinktank
    if tank is not None and not tank.is_archived:
        flash(_("Welcome! You are now a member of %(name)s.", name=tank.name), "success")
        return redirect(url_for("thinktanks.show", slug=tank.slug))
    flash(_("Welcome! Your account is ready."), "success")
    return redirect(url_for("thinktanks.index"))


# --- the groups administrators keep -----------------------------------------------------------------------------

def _admins_only() -> None:
    if not is_admin(current_user):
        abort(403)


@bp.route("/admin/groups", methods=["GET", "POST"])
@login_required
def groups():
    """List the participant groups and add one (administrators)."""
    _admins_only()
    form = GroupForm(prefix="new")
    if form.validate_on_submit() and (done := run_or_error(form, lambda: group_ops.add_group(
            name_nl=form.name_nl.data, name_en=form.name_en.data))):
        record(current_user, "participant_group.add", "participant_group", done.value.id, key=done.value.key)
        db.session.commit()
        flash(_("The group %(name)s is added.", name=done.value.name(get_locale())), "success")
        return redirect(url_for(".groups"))
    return _groups_page(form)


def _groups_page(form: GroupForm, editing: Any = None, edit_form: GroupForm | None = None) -> Any:
    rows = group_ops.all_groups()
    forms = {group.id: (edit_form if editing is not None and group.id == editing.id else
                        GroupForm(prefix=f"g{group.id}", formdata=None,
                                  data={"name_nl": group.name_nl, "name_en": group.name_en})) for group in rows}
    return render_template("people/groups.html", form=form, groups=rows, forms=forms), \
        form_status(form, *(f for f in forms.values()))


@bp.route("/admin/groups/<int:group_id>", methods=["POST"])
@login_required
def rename_group(group_id: int):
    """Rename a group in both languages (administrators)."""
    _admins_only()
    group = or_404(db.session.get(group_ops.ParticipantGroup, group_id))
    form = GroupForm(prefix=f"g{group.id}")
    if form.validate_on_submit() and (done := run_or_error(form, lambda: group_ops.rename_group(
            group, name_nl=form.name_nl.data, name_en=form.name_en.data))):
        if done.value:
            record(current_user, "participant_group.rename", "participant_group", group.id, changes=done.value)
            db.session.commit()
        flash(_("The group is saved."), "success")
        return redirect(url_for(".groups"))
    return _groups_page(GroupForm(prefix="new", formdata=None), editing=group, edit_form=form)


@bp.route("/admin/groups/<int:group_id>/<any(retire, restore):what>", methods=["POST"])
@login_required
def retire_group(group_id: int, what: str):
    """Retire a group (no longer offered; its counts stay) or offer it again (administrators)."""
    _admins_only()
    group = or_404(db.session.get(group_ops.ParticipantGroup, group_id))
    if FlaskForm().validate_on_submit() and group_ops.retire_group(group, retired=what == "retire"):
        record(current_user, f"participant_group.{what}", "participant_group", group.id, key=group.key)
        db.session.commit()
        flash(_("The group %(name)s is no longer offered.", name=group.name(get_locale())) if what == "retire"
              else _("The group %(name)s is offered again.", name=group.name(get_locale())), "success")
    return redirect(url_for(".groups"))
