"""The evaluation's pages: /evaluatie (the list), /evaluatie/<period> (a published one for everyone, a draft for the
coordinator and chairs), its open data (.json, .csv), the forms, and the partner pulse (/partnerpeiling/<token>)."""
from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from flask import Blueprint, Response, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from samen.actions.cli import absolute_url, add_mail_job, mail_locale
from samen.actions.models import ActionItem
from samen.actions.operations import STATUS_LABELS
from samen.core.database import db, utcnow
from samen.core.errors import DomainError
from samen.core.mail import send_after_response, send_mail
from samen.core.views import form_status, or_404, run_or_error, run_or_flash, sign_in_or_403
from samen.evaluation import assembly, sections
from samen.evaluation import operations as ops
from samen.evaluation import privacy  # noqa: F401  (registers the export and erasure of pulse answers)
from samen.evaluation.forms import ConfirmForm, NoteForm, OpenForm, PulseForm
from samen.evaluation.models import Evaluation, PulseInvitation
from samen.helpdesk.forms import ABOUT_LABELS
from samen.notifications.blueprint import describe_with
from samen.notifications.operations import notify
from samen.programme.models import Line
from samen.thinktanks.models import ThinkTank
from samen.partners.operations import KIND_LABELS

bp = Blueprint("evaluation", __name__)

ACTION_FIGURES = {
    "total": _l("Action items in the period"), "started": _l("Started"), "done": _l("Done"),
    "late": _l("Late"), "stopped": _l("Stopped"), "moved": _l("Due date moved"),
    "moves": _l("Times a due date moved"), "days_moved": _l("Days moved in all"),
}
PARTICIPATION_FIGURES = {
    "members": _l("Members"), "new_members": _l("New members"), "ideas": _l("Ideas"), "supports": _l("Supports"),
    "comments": _l("Comments"), "meetings": _l("Meetings"), "attendance": _l("Attendance at meetings"),
}
PEOPLE_FIGURES = {
    "participants": _l("People who took part"), "new_participants": _l("New"),
    "returning_participants": _l("Returning"),
}
QUESTION_LABELS = {
    "works": _l("What works?"), "does_not_work": _l("What does not work?"),
    "obstacles": _l("Waiting lists and other obstacles"),
}
NOTE_TITLES = {
    ("conclusion", "line"): _l("Conclusion on the line %(name)s"),
    ("conclusion", "thinktank"): _l("Conclusion on the think tank %(name)s"),
    ("decision", "thinktank"): _l("Decision on the think tank %(name)s"),
    ("decision", "action"): _l("Decision on the action item %(name)s"),
}


def _threshold() -> int:
    return int(current_app.config.get("HELP_COUNT_THRESHOLD", 5))


@bp.app_context_processor
def _template_helpers() -> dict[str, Any]:
    return {"evaluation_decisions": ops.DECISION_LABELS}


def _evaluation_or_404(period: str, access: ops.Access) -> Evaluation:
    """Load an evaluation the visitor may see: a draft is a 404 to anyone but the coordinator and chairs."""
    evaluation = or_404(ops.get_evaluation(period), _("There is no evaluation for this period."))
    if not ops.may_see(evaluation, access):
        or_404(None, _("There is no evaluation for this period."))
    return evaluation


def _published_or_404(period: str) -> Evaluation:
    evaluation = ops.get_evaluation(period)
    return or_404(evaluation if evaluation is not None and evaluation.is_published else None,
                  _("There is no published evaluation for this period."))


# --- the list and opening one --------------------------------------------------------------------------------

@bp.route("/evaluatie")
def index():
    """List the published evaluations (and, for the coordinator and chairs, the drafts)."""
    access = ops.access_of(current_user)
    return render_template("evaluation/index.html", evaluations=ops.list_evaluations(drafts=access.is_insider),
                           access=access, invitations=ops.open_invitations(current_user))


@bp.route("/evaluatie/nieuw", methods=["GET", "POST"])
@login_required
def open_evaluation():
    """Open the evaluation of a period (the coordinator and administrators)."""
    ops.require_coordinator(current_user)
    last_year = date.today().year - 1 if date.today().month < 7 else date.today().year
    form = OpenForm(data=None if request.method == "POST" else {
        "period": str(last_year), "title": _("Evaluation %(year)s", year=last_year),
        "start_date": f"{last_year}-01-01", "end_date": f"{last_year}-12-31"})
    if form.validate_on_submit() and (done := run_or_error(form, lambda: ops.open_evaluation(
            by=current_user, period=form.period.data, title=form.title.data, start_date=form.start_date.data,
            end_date=form.end_date.data))):
        flash(_("The evaluation is open. The figures below are assembled as they are now."), "success")
        return redirect(url_for(".show", period=done.value.period))
    return render_template("evaluation/open.html", form=form), form_status(form)


# --- an evaluation ----------------------------------------------------------------------------------------------

def _page_data(evaluation: Evaluation) -> dict[str, Any]:
    """Load what the evaluation's page (and its open data) shows: the figures, notes, the previous one."""
    figures, previous, deltas = ops.compared(evaluation, threshold=_threshold())
    notes = ops.notes_of(evaluation)
    # What has a conclusion or decision: a published evaluation leaves out the lines and think tanks without one
    # (a draft shows every one, with its writing links); a think tank counts when one of its items has a decision.
    noted = {(subject_type, subject_id) for _kind, subject_type, subject_id in notes}
    noted |= {("thinktank", item["thinktank_id"]) for item in figures["actions"]["items"]
              if ("action", item["id"]) in noted and item.get("thinktank_id") is not None}
    return {"evaluation": evaluation, "figures": figures, "notes": notes, "noted": noted,
            "previous": previous, "deltas": deltas}


@bp.route("/evaluatie/<period>")
def show(period: str):
    """Show an evaluation: frozen once published, assembled now while a draft."""
    access = ops.access_of(current_user)
    evaluation = _evaluation_or_404(period, access)
    return render_template("evaluation/show.html", access=access, confirm=ConfirmForm(),
                           section_title=sections.section_title, kind_labels=KIND_LABELS,
                           action_figures=ACTION_FIGURES, participation_figures=PARTICIPATION_FIGURES,
                           people_figures=PEOPLE_FIGURES, status_labels=STATUS_LABELS, about_labels=ABOUT_LABELS,
                           **_page_data(evaluation))


@bp.route("/evaluatie/<period>.json")
def show_json(period: str):
    """A published evaluation as JSON (open data)."""
    response = jsonify(ops.open_data(_published_or_404(period), threshold=_threshold()))
    response.headers["Access-Control-Allow-Origin"] = "*"  # open data: read from any site
    return response


def csv_rows(figures: dict[str, Any]) -> list[list[Any]]:
    """Return the figures as rows (section, group, id, name, figure, value) for the CSV."""
    rows: list[list[Any]] = []
    actions = figures.get("actions", {})
    rows += [["actions", "plan", "", "", key, value] for key, value in actions.get("totals", {}).items()]
    for group, kind in (("thinktanks", "thinktank"), ("lines", "line"), ("organisations", "organisation")):
        for row in actions.get(group, []):
            rows += [["actions", kind, row["id"], row["name"], key, row.get(key)] for key in assembly.ACTION_COUNTS]
    participation = figures.get("participation", {})
    rows += [["participation", "plan", "", "", key, value] for key, value in participation.get("totals", {}).items()]
    for row in participation.get("thinktanks", []):
        rows += [["participation", "thinktank", row["id"], row["name"], key, row.get(key)]
                 for key in assembly.PARTICIPATION_COUNTS]
    for row in figures.get("indicators", []):
        for key in ("baseline", "target", "start", "end", "previous_start", "previous_end"):
            point = row.get(key)
            rows.append(["indicators", "indicator", row["id"], row["name"], key,
                         "" if not point or point.get("value") is None else point["value"]])
    helpdesk = figures.get("helpdesk", {})
    rows += [["helpdesk", "plan", "", "", key, helpdesk.get(key)] for key in ("total", "urgent", "referrals")]
    rows += [["helpdesk", "about", "", about, "requests", value]
             for about, value in helpdesk.get("about", {}).items()]
    pulse = figures.get("pulse", {})
    rows += [["pulse", "plan", "", "", key, pulse.get(key)] for key in ("invited", "answered", "average")]
    rows += [["pulse", "kind", "", row["kind"], "average", row["average"]] for row in pulse.get("kinds", [])]
    for key, section_rows in figures.get("sections", {}).items():
        rows += [[key, "", "", row["label"], "count", row["value"]] for row in section_rows]
    return rows


@bp.route("/evaluatie/<period>.csv")
def show_csv(period: str):
    """A published evaluation's figures as CSV (open data)."""
    evaluation = _published_or_404(period)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "group", "id", "name", "figure", "value"])
    for row in csv_rows(evaluation.figures or {}):
        # A name that starts like a formula is quoted so that a spreadsheet shows it as text.
        writer.writerow(["'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v for v in row])
    return Response(out.getvalue(), content_type="text/csv; charset=utf-8; header=present",
                    headers={"Content-Disposition": f'attachment; filename="evaluatie-{evaluation.period}.csv"',
                             "Access-Control-Allow-Origin": "*"})


@bp.route("/evaluatie/<period>/publiceren", methods=["POST"])
@login_required
def publish(period: str):
    """Freeze the figures and publish the evaluation (the coordinator)."""
    access = ops.access_of(current_user)
    evaluation = _evaluation_or_404(period, access)
    form = ConfirmForm()
    if form.validate_on_submit() and run_or_flash(lambda: ops.publish(evaluation, by=current_user,
                                                                      threshold=_threshold())):
        flash(_("The evaluation is published. Its figures no longer change."), "success")
    return redirect(url_for(".show", period=evaluation.period))


# --- conclusions and decisions ----------------------------------------------------------------------------------

def _subject_name(subject_type: str, subject_id: int) -> str | None:
    model = {"line": Line, "thinktank": ThinkTank, "action": ActionItem}[subject_type]
    subject = db.session.get(model, subject_id)
    if subject is None:
        return None
    return getattr(subject, "name", None) or getattr(subject, "title", "")


@bp.route("/evaluatie/<period>/<any(conclusion, decision):kind>/<any(line, thinktank, action):subject_type>/"
          "<int:subject_id>", methods=["GET", "POST"])
@login_required
def note(period: str, kind: str, subject_type: str, subject_id: int):
    """Write a conclusion (line, think tank) or a decision with its reason (think tank, action)."""
    access = ops.access_of(current_user)
    evaluation = _evaluation_or_404(period, access)
    title = NOTE_TITLES.get((kind, subject_type))
    name = _subject_name(subject_type, subject_id) if title is not None else None
    or_404(name)
    existing = ops.notes_of(evaluation).get((kind, subject_type, subject_id))
    if evaluation.is_published:
        raise DomainError(ops.FROZEN, code="published", status=409)
    if not access.may_write(subject_type, subject_id, thinktank_id=(
            db.session.get(ActionItem, subject_id).thinktank_id if subject_type == "action" else None)):
        sign_in_or_403(_l("Only the coordinator, and the chairs for their own think tank, write this."))
    form = NoteForm(data=None if request.method == "POST" else {
        "text": existing.text if existing else "", "decision": existing.decision if existing else None})
    if form.validate_on_submit() and run_or_error(form, lambda: ops.write_note(
            evaluation, by=current_user, kind=kind, subject_type=subject_type, subject_id=subject_id,
            text=form.text.data, decision=form.decision.data if kind == "decision" else None)):
        flash(_("Saved."), "success")
        return redirect(url_for(".show", period=evaluation.period) + f"#{subject_type}-{subject_id}")
    return render_template("evaluation/note.html", evaluation=evaluation, form=form, kind=kind,
                           heading=title % {"name": name}), form_status(form)


# --- the partner pulse --------------------------------------------------------------------------------------------

def _pulse_link(token: str) -> str:
    # A path, not url_for: the reminders go out from a command, which has no request.
    return absolute_url(f"/partnerpeiling/{token}") or ""


def mail_pulse(sent: ops.Sent, evaluation: Evaluation, *, reminder: bool, later: bool) -> None:
    """Mail a contact the personal link to the pulse, in their language."""
    user = sent.invitation.user
    if user is None:
        return
    with force_locale(mail_locale(user)):
        subject = (_("Reminder: how does the collaboration work? (%(title)s)", title=evaluation.title) if reminder
                   else _("How does the collaboration work? (%(title)s)", title=evaluation.title))
        body = render_template("mail/evaluation_pulse.txt", user=user, evaluation=evaluation, reminder=reminder,
                               organisation=sent.invitation.organisation, link=_pulse_link(sent.token))
    (send_after_response if later else send_mail)(user.email, subject, body)


@describe_with("evaluation.pulse")
def _describe_pulse(data: dict[str, Any]) -> str:
    return _("Please answer the partner pulse of %(title)s: how does the collaboration work?",
             title=data.get("title", ""))


@bp.route("/evaluatie/<period>/peiling/versturen", methods=["POST"])
@login_required
def send_pulse(period: str):
    """Send the pulse to every partner's active contacts, by e-mail and in the app (the coordinator)."""
    access = ops.access_of(current_user)
    evaluation = _evaluation_or_404(period, access)
    form = ConfirmForm()
    if form.validate_on_submit() and (done := run_or_flash(lambda: send_and_mail(evaluation, by=current_user))):
        flash(_("The pulse is sent to %(num)d contact people.", num=done.value), "success")
    return redirect(url_for(".show", period=evaluation.period))


def send_and_mail(evaluation: Evaluation, *, by: Any) -> int:
    """Send the pulse (the coordinator): a notification in the app and a mail with a personal link to every new
    invitation; return how many (the page and the API)."""
    sent = ops.send_pulse(evaluation, by=by)
    notify([item.invitation.user_id for item in sent], "evaluation.pulse",
           url=url_for("evaluation.pulse_in_app", period=evaluation.period), title=evaluation.title)
    db.session.flush()
    for item in sent:
        db.session.refresh(item.invitation, ["user", "organisation"])
        mail_pulse(item, evaluation, reminder=False, later=True)
    return len(sent)


def send_pulse_reminders(today: date, now: Any) -> tuple[str, int]:
    """The daily mail job (`flask reminders send`, `flask evaluation remind`): remind who has not answered, with a
    new personal link; a mail that fails leaves the old link working and is tried again at the next run."""
    failed = sent = 0
    for invitation in ops.due_reminders(now=now):
        renewal = ops.renew(invitation, now=now)
        try:
            mail_pulse(renewal, invitation.evaluation, reminder=True, later=False)
        except Exception:  # a refused address: the next contact still hears
            current_app.logger.exception("Could not send the pulse reminder %s", invitation.id)
            db.session.rollback()  # undo the renewal: the old link keeps working (earlier ones are committed)
            failed += 1
        else:
            db.session.commit()
            sent += 1
    return f"Partner pulse reminders: {sent} sent, {failed} failed.", failed


@bp.record_once
def _register_mail_job(state: Any) -> None:
    add_mail_job(state.app, send_pulse_reminders)


@bp.cli.command("remind")
def remind_command() -> None:
    """Remind the partners' contacts who have not answered the pulse for a week (twice at most)."""
    import click

    line, failed = send_pulse_reminders(date.today(), utcnow())
    click.echo(line)
    if failed:
        raise click.exceptions.Exit(1)


def _pulse_page(invitation: PulseInvitation, evaluation: Evaluation, form: PulseForm) -> tuple[str, int]:
    return render_template("evaluation/pulse_form.html", evaluation=evaluation, invitation=invitation,
                           form=form), form_status(form)


def _take_answer(invitation: PulseInvitation, form: PulseForm) -> bool:
    return bool(run_or_error(form, lambda: ops.answer_pulse(
        invitation, score=form.score.data, works=form.works.data, does_not_work=form.does_not_work.data,
        obstacles=form.obstacles.data)))


@bp.route("/partnerpeiling/<token>", methods=["GET", "POST"])
def pulse_by_token(token: str):
    """Answer the pulse with the personal link from the e-mail (no sign-in; the link takes one answer)."""
    state, invitation = ops.link_state(token)
    if state == "answered":  # sent again after a lost answer, or opened again: the first answer stands
        return render_template("evaluation/pulse_thanks.html", already=True)
    invitation = or_404(invitation)
    evaluation = db.session.get(Evaluation, invitation.evaluation_id)
    form = PulseForm()
    if form.validate_on_submit() and _take_answer(invitation, form):
        return redirect(url_for(".pulse_thanks"))
    page, status = _pulse_page(invitation, evaluation, form)
    response = Response(page, status=status)
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the address
    return response


@bp.route("/partnerpeiling/bedankt")
def pulse_thanks():
    """Thank a partner for answering."""
    return render_template("evaluation/pulse_thanks.html")


@bp.route("/evaluatie/<period>/peiling/invullen", methods=["GET", "POST"])
@login_required
def pulse_in_app(period: str):
    """Answer the pulse in the app (a contact of a partner organisation, signed in)."""
    evaluation = or_404(ops.get_evaluation(period))
    invitation = next((item for item in ops.open_invitations(current_user)
                       if item.evaluation_id == evaluation.id), None)
    if invitation is None:
        flash(_("There is no questionnaire waiting for you here."), "info")
        return redirect(url_for(".index"))
    form = PulseForm()
    if form.validate_on_submit() and _take_answer(invitation, form):
        return redirect(url_for(".pulse_thanks"))
    return _pulse_page(invitation, evaluation, form)


@bp.route("/evaluatie/<period>/peiling")
@login_required
def pulse_answers(period: str):
    """The pulse's answers, one by one and grouped per question and kind of organisation (chairs and the
    coordinator only; each read is in the audit log)."""
    access = ops.access_of(current_user)
    evaluation = _evaluation_or_404(period, access)
    if not access.is_insider:
        sign_in_or_403(_l("Only the chairs and the coordinator see the answers."))
    summary = ops.pulse_answers(evaluation, by=current_user)
    db.session.commit()  # the audit entry of this read
    average = (round(sum(answer.score for answer in summary.answers) / len(summary.answers), 1)
               if summary.answers else None)
    return render_template("evaluation/pulse_answers.html", evaluation=evaluation, summary=summary,
                           average=average, kind_labels=KIND_LABELS, question_labels=QUESTION_LABELS)

