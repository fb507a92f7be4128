"""The help desk's pages: the confidential request form and its receipt (/hulp/verzoek), the sender's status page
(with the receipt code), and the intake team's queue and request pages (/hulp/team/…).

The sender's pages are never cached, send no Referer, and the receipt code in a bookmark link is kept out of the
access log (g.log_path). The team's pages answer 404 to everyone not on the team (samen.helpdesk.operations.
may_read_requests), administrators included.
"""
from __future__ import annotations

import hashlib
import hmac
from typing import Any

from flask import (Blueprint, Response, abort, current_app, flash, g, make_response, redirect, render_template,
                   request, url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.util import get_remote_address
from flask_login import current_user

from samen.accounts.models import User
from samen.accounts.operations import find_user_by_email
from samen.core import inputs
from samen.core.database import db
from samen.core.formatting import format_number
from samen.core.forms import Form
from samen.core.security import no_store
from samen.core.views import form_status, or_404, run_or_error, run_or_flash, sign_in_or_403
from samen.extensions import limiter
from samen.helpdesk import counts, mails
from samen.helpdesk import operations as ops
from samen.helpdesk.forms import (ABOUT_LABELS, CONTACT_LABELS, OUTCOME_LABELS, STATUS_LABELS,
                                  AddInformationForm, AssignForm, CodeForm, MessageForm, RequestForm, StatusForm,
                                  TeamMemberForm, WithdrawForm)
from samen.helpdesk.models import HelpRequest

bp = Blueprint("helpdesk", __name__)


def on_help_team() -> bool:
    """Whether the signed-in user is on the intake team (asked only by the pages that show a link for it)."""
    return ops.may_read_requests(current_user)


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    return {"help_about_labels": ABOUT_LABELS, "help_status_labels": STATUS_LABELS,
            "help_outcome_labels": OUTCOME_LABELS, "help_contact_labels": CONTACT_LABELS,
            "on_help_team": on_help_team}


# --- plumbing -----------------------------------------------------------------------------------------------

def hashed_address() -> str:
    """Key the sender's rate limits by a keyed hash of the address: the counters (which expire with their
    window) never hold the address itself."""
    key = current_app.config["SECRET_KEY"].encode()
    return "help:" + hmac.new(key, get_remote_address().encode(), hashlib.sha256).hexdigest()[:32]


def _limit(setting: str, scope: str) -> Any:
    return limiter.shared_limit(lambda: current_app.config[setting], scope=scope, key_func=hashed_address,
                                methods=["POST", "GET"] if scope == "help-lookup" else ["POST"])


def _private(response: Response) -> Response:
    """Keep the page out of every cache and out of the next site's Referer."""
    response.headers["Referrer-Policy"] = "no-referrer"
    return no_store(response)


def _page(template: str, status: int = 200, **context: Any) -> Response:
    return _private(make_response(render_template(template, **context), status))


def _enabled() -> None:
    if not current_app.config["HELP_REQUESTS_ENABLED"]:
        abort(404)


def _team_request(request_id: int) -> HelpRequest:
    """Return the request for a member of the intake team; 404 for everyone else (administrators too)."""
    if not current_user.is_authenticated:
        sign_in_or_403(None)
    if not ops.may_read_requests(current_user):
        abort(404)
    return or_404(ops.read_request(request_id, by=current_user))


def _team_only() -> None:
    if not current_user.is_authenticated or not ops.may_read_requests(current_user):
        sign_in_or_403(_l("Only the intake team reads help requests."))


# --- the sender ---------------------------------------------------------------------------------------------

@bp.route("/hulp/verzoek", methods=["GET", "POST"])
@_limit("HELP_REQUEST_RATE_LIMIT", "help-request")
def new_request():
    """Ask for help confidentially, without an account; show the receipt code once."""
    _enabled()
    form = RequestForm()
    if form.validate_on_submit():
        if form.website.data:
            form.form_errors.append(_("This request could not be sent. Leave the hidden field empty."))
        else:
            done = run_or_error(form, lambda: ops.submit_request(
                about=form.about.data, text=form.text.data, urgent=form.urgent.data,
                contact_method=form.contact_method.data, contact=form.contact.data,
                mail_replies=form.mail_replies.data))
            if done is not None:
                help_request, code = done.value
                mails.notify_team(help_request)
                return _page("helpdesk/receipt.html", code=code)
    return _page("helpdesk/new.html", form_status(form), form=form,
                 retention_days=current_app.config["HELP_RETENTION_DAYS"])


def _status_page(help_request: HelpRequest, code: str, status: int = 200, *,
                 info_form: AddInformationForm | None = None) -> Response:
    ops.view_as_sender(help_request)
    db.session.commit()
    return _page("helpdesk/status.html", status, help_request=help_request, code=code,
                 info_form=info_form or AddInformationForm(formdata=None, code=code),
                 withdraw_form=WithdrawForm(formdata=None, code=code))


@bp.route("/hulp/verzoek/status", methods=["GET", "POST"])
@_limit("HELP_LOOKUP_RATE_LIMIT", "help-lookup")
def status():
    """Look up your request with its receipt code."""
    _enabled()
    form = CodeForm()
    if form.validate_on_submit():
        help_request = ops.find_by_code(form.code.data)
        if help_request is not None:
            return _status_page(help_request, form.code.data.strip())
        form.code.errors = [_("There is no request with this receipt code. Check the code, or it was deleted.")]
    return _page("helpdesk/lookup.html", form_status(form), form=form)


@bp.get("/hulp/verzoek/status/<code>")
@_limit("HELP_LOOKUP_RATE_LIMIT", "help-lookup")
def status_link(code: str):
    """Open your request from the bookmarked link (the code is kept out of the logs)."""
    g.log_path = url_for(".status_link", code="-")
    _enabled()
    help_request = ops.find_by_code(code)
    if help_request is None:
        form = CodeForm(formdata=None)
        form.code.errors = [_("There is no request with this receipt code. Check the code, or it was deleted.")]
        return _page("helpdesk/lookup.html", 404, form=form)
    return _status_page(help_request, code)


def _by_posted_code(form: AddInformationForm | WithdrawForm) -> tuple[HelpRequest, str]:
    code = form.code.data if isinstance(form.code.data, str) else ""
    return or_404(ops.find_by_code(code)), code.strip()


@bp.post("/hulp/verzoek/status/aanvullen")
@_limit("HELP_LOOKUP_RATE_LIMIT", "help-lookup")
def add_information():
    """Add information to your request."""
    _enabled()
    form = AddInformationForm()
    help_request, code = _by_posted_code(form)
    if form.validate_on_submit() and run_or_error(form, lambda: ops.add_information(help_request, form.text.data),
                                                  fields={"text": "text"}):
        flash(_("Your information was added. The team reads it."), "success")
        return _status_page(help_request, code)
    return _status_page(help_request, code, 422, info_form=form)


@bp.post("/hulp/verzoek/status/intrekken")
@_limit("HELP_LOOKUP_RATE_LIMIT", "help-lookup")
def withdraw():
    """Withdraw your request: it is deleted at once."""
    _enabled()
    form = WithdrawForm()
    help_request, code = _by_posted_code(form)
    if form.validate_on_submit():
        ops.withdraw_request(help_request)
        db.session.commit()
        return _page("helpdesk/withdrawn.html")
    flash(_("Tick the box to confirm that you want to withdraw your request."), "error")
    return _status_page(help_request, code, 422)


# --- the intake team ----------------------------------------------------------------------------------------

@bp.get("/hulp/team")
def queue():
    """Show the intake team's queue: urgent first, then oldest first."""
    _team_only()
    status = request.args.get("status")
    mine = request.args.get("mine") == "1"
    listing = ops.queue(current_user, status=status if status in STATUS_LABELS else None,
                        assigned_to=current_user if mine else None)
    db.session.commit()  # the audit entry of the read
    return _page("helpdesk/queue.html", listing=listing, status=status, mine=mine)


def _show(help_request: HelpRequest, status: int = 200, **forms: Any) -> Response:
    team = ops.team()
    context = {
        "assign_form": AssignForm(formdata=None, team_choices=team,
                                  assignee=str(help_request.assignee_id or "")),
        "status_form": StatusForm(formdata=None, status=help_request.status, outcome=help_request.outcome or "",
                                  referral_entry=help_request.referral_entry_id or "",
                                  referral_note=help_request.referral_note or ""),
        "reply_form": MessageForm(formdata=None, prefix="reply"),
        "note_form": MessageForm(formdata=None, prefix="note"),
    }
    context.update(forms)
    if status != 200:
        ops.record_read(help_request, by=current_user)  # the refused change was undone, with the first record
    db.session.commit()  # the audit entry of the read
    return _page("helpdesk/show.html", status, help_request=help_request, **context)


@bp.get("/hulp/team/<int:request_id>")
def show(request_id: int):
    """Read a request with its messages and notes (recorded in the audit log)."""
    return _show(_team_request(request_id))


@bp.post("/hulp/team/<int:request_id>/toewijzen")
def assign(request_id: int):
    """Give the request to a team member."""
    help_request = _team_request(request_id)
    form = AssignForm(team_choices=ops.team())
    if form.validate_on_submit():
        assignee = db.session.get(User, int(form.assignee.data)) if form.assignee.data else None
        if run_or_error(form, lambda: ops.assign_request(help_request, assignee, by=current_user)):
            flash(_("The request is assigned."), "success")
            return redirect(url_for(".show", request_id=request_id))
    return _show(help_request, 422, assign_form=form)


@bp.post("/hulp/team/<int:request_id>/status")
def change_status(request_id: int):
    """Change the status: in progress, referred (where to), closed (with an outcome)."""
    help_request = _team_request(request_id)
    form = StatusForm()
    if form.validate_on_submit():
        def change() -> None:
            entry = inputs.optional_ident(form.referral_entry.data, field="referral_entry")
            ops.update_status(help_request, form.status.data, by=current_user, outcome=form.outcome.data or None,
                              referral_entry_id=entry, referral_note=form.referral_note.data)
        if run_or_error(form, change):
            flash(_("The status is changed."), "success")
            return redirect(url_for(".show", request_id=request_id))
    return _show(help_request, 422, status_form=form)


@bp.post("/hulp/team/<int:request_id>/notitie")
def add_note(request_id: int):
    """Add an internal note (only the team reads it)."""
    help_request = _team_request(request_id)
    form = MessageForm(prefix="note")
    if form.validate_on_submit() and run_or_error(form, lambda: ops.add_note(help_request, form.body.data,
                                                                             by=current_user)):
        flash(_("The note is added."), "success")
        return redirect(url_for(".show", request_id=request_id))
    return _show(help_request, 422, note_form=form)


@bp.post("/hulp/team/<int:request_id>/antwoord")
def reply(request_id: int):
    """Reply to the sender: they read it with their receipt code (and by e-mail, if they asked)."""
    help_request = _team_request(request_id)
    form = MessageForm(prefix="reply")
    if form.validate_on_submit():
        done = run_or_error(form, lambda: ops.reply(help_request, form.body.data, by=current_user))
        if done is not None:
            mailed = mails.mail_reply(help_request, done.value)
            flash(_("Your reply is sent; the sender also gets it by e-mail.") if mailed else
                  _("Your reply is sent; the sender reads it with their receipt code."), "success")
            return redirect(url_for(".show", request_id=request_id))
    return _show(help_request, 422, reply_form=form)


@bp.get("/hulp/team/cijfers")
def figures():
    """Show the monthly counts (no content): requests by kind, urgent ones, days to a first reply, referrals per
    directory entry; for the team and administrators, with small counts as "< 5"."""
    if not (ops.may_read_requests(current_user) or ops.may_manage_team(current_user)):
        sign_in_or_403(_l("Only the intake team and administrators see the help desk's figures."))
    return _page("helpdesk/figures.html", months=list(reversed(counts.monthly_counts())),
                 threshold=current_app.config["HELP_COUNT_THRESHOLD"], format_number=format_number)


# --- naming the team (administrators) -----------------------------------------------------------------------

def _admin_only() -> None:
    if not ops.may_manage_team(current_user):
        sign_in_or_403(_l("Only administrators name the intake team."))


@bp.route("/hulp/team/leden", methods=["GET", "POST"])
def members():
    """Name the intake team: the only people who read help requests."""
    _admin_only()
    form = TeamMemberForm()
    status = 200
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        if user is None:
            form.email.errors = [_("There is no account with this e-mail address.")]
        elif run_or_error(form, lambda: ops.add_team_member(user, by=current_user)):
            flash(_("%(name)s is on the intake team.", name=user.display_name), "success")
            return redirect(url_for(".members"))
    if form.errors:
        status = 422
    return _page("helpdesk/members.html", status, form=form, team=ops.team())


@bp.post("/hulp/team/leden/<int:user_id>/verwijderen")
def remove_member(user_id: int):
    """Take someone off the intake team."""
    _admin_only()
    user = or_404(db.session.get(User, user_id))
    if Form().validate_on_submit() and run_or_flash(
            lambda: ops.remove_team_member(user, by=current_user)):
        flash(_("%(name)s is no longer on the intake team.", name=user.display_name), "success")
    return redirect(url_for(".members"))
