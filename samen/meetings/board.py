"""The live board's pages: the chair's console, the participant's view, the projector, and the minutes editor.

Every page renders the board snapshot (samen.meetings.live.board_snapshot) on the server, so it is complete before
— and without — JavaScript; static/js/live-board.js then joins the Socket.IO namespace /live and keeps it current.
Every control is a plain form posting to `/meetings/<id>/command` with the socket event's name; the script sends
the same event over the socket instead. Either way the command goes through the same operation in live.py.
"""
from __future__ import annotations

from typing import Any

import segno
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_translations
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from samen.core import inputs, ratelimit
from samen.core.database import db
from samen.core.errors import DomainError, Forbidden
from samen.core.hosts import base_url, external_url
from samen.core.forms import Form
from samen.core.views import form_next, run_or_error, sign_in_or_403
from samen.meetings import access, guests, live, regions, runner
from samen.meetings.models import Meeting

bp = Blueprint("meetings_board", __name__, url_prefix="/meetings")

MINUTES_MAX = 100_000


# --- loading and checking -----------------------------------------------------------------------------------

def _person(meeting: Meeting) -> Any:
    """Who is asking: the signed-in user; else the meeting's guest this device's cookie names (as stored now);
    else the anonymous visitor."""
    if current_user.is_authenticated:
        return current_user
    guest = guests.guest_of(meeting.id, request.cookies.get(guests.cookie_name(meeting.id)),
                            current_app.secret_key)
    return guest if guest is not None else current_user


def _require(meeting: Meeting, needed: str) -> str:
    """Return the user's role at the meeting: 404 for a meeting the user may not follow (an outsider may not know
    it exists); to someone who may follow it but needs a higher role, sign in first or 403."""
    role = access.role_in(meeting, _person(meeting))
    if role is not None and access.outranks(role, needed):
        return role
    if role is None:
        abort(404)
    sign_in_or_403(_l("Only the chairs of this meeting can open this page."))


def _meeting_page(meeting: Meeting) -> str | None:
    """Return the meeting's own page (samen/meetings/blueprint.py), when the app has one."""
    if "meetings.show" in current_app.view_functions:
        return url_for("meetings.show", meeting_id=meeting.id)
    return None


def _snapshot(meeting: Meeting, role: str) -> dict[str, Any]:
    return live.board_snapshot(meeting, _person(meeting), base_url=base_url(), role=role)


def board_flags(snapshot: dict[str, Any]) -> set[str]:
    """Return the state words that decide which controls show (data-when in the templates and the script)."""
    ballot = snapshot.get("ballot") or {}
    round_ = snapshot.get("round") or {}
    timer = snapshot.get("timer") or {}
    you = snapshot.get("you") or {}
    flags = {f"state-{snapshot['meeting']['state']}",
             "round-open" if round_.get("open") else "round-none",
             "ballot-open" if ballot.get("open") else "ballot-none",
             "ballot-shown" if ballot else "ballot-hidden",
             "results-shown" if snapshot.get("results_visible") else "results-hidden",
             "timer-running" if timer.get("running") else "timer-stopped",
             "hand-up" if you.get("hand_raised") else "hand-down",
             f"role-{you.get('role')}"}
    # Set: running, or paused part-way. A timer reset to its full length counts as not set (start it afresh).
    paused = not timer.get("running") and bool(timer.get("remaining")) and timer.get("remaining") != timer.get(
        "duration")
    flags.add("timer-set" if timer.get("running") or paused else "timer-unset")
    if paused:
        flags.add("timer-paused")
    if you.get("role") in (access.PARTICIPANT, access.CHAIR):
        flags.add("can-participate")
    if snapshot.get("current") is not None:
        flags.add("item-current")
    return flags


def dot_candidates(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the ideas a chair can put to a dot vote or merge: the current item's linked ideas, then the round's."""
    found: dict[int, dict[str, Any]] = {}
    current = snapshot.get("current")
    if current is not None:
        for idea in snapshot["agenda"][current]["ideas"]:
            found.setdefault(idea["id"], {"id": idea["id"], "title": idea["title"]})
    for idea in (snapshot.get("round") or {}).get("ideas", []):
        found.setdefault(idea["id"], {"id": idea["id"], "title": idea["title"]})
    return list(found.values())


def qr_svg(url: str, label: str) -> Markup:
    """Return the link as a QR code: an inline SVG (no style attributes, so the CSP holds) named for screen readers."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=1, dark="#000", light="#fff", omitsize=True, svgclass="board-qr__code",
                          title=label)
    return Markup(svg.replace("<svg ", '<svg role="img" focusable="false" ', 1))


def _owner_choices(meeting: Meeting) -> list[tuple[int, str]]:
    """Return the people a decision's action item may be given to (live.owner_choices decides)."""
    return [(user.id, user.display_name) for user in live.owner_choices(meeting)]


def _strings() -> dict[str, str]:
    """The few words the script says itself, in the page's language (everything else comes rendered)."""
    waiting = (get_translations().ungettext("%(num)d command waiting to be sent",
                                            "%(num)d commands waiting to be sent", n) for n in (1, 2))
    return {
        "waiting_one": next(waiting), "waiting_many": next(waiting),
        "confirmed": _("Everything that waited has been sent and confirmed."),
        "connected": _("Live: connected"),
        "connecting": _("Connecting…"),
        "disconnected": _("Connection lost — reconnecting…"),
        "sending": _("Sending…"),
        "queued": _("Not sent yet: the connection is lost. It is sent as soon as the connection is back."),
        "timeout": _("No answer from the server. Please try again."),
        "error": _("That did not work: %(message)s"),
        "idea_sent": _("Your idea was added."),
        "vote_saved": _("Your vote was saved. You can change it while voting is open."),
        "time_up": _("Time is up."),
        "timer_up": _("(time is up)"),
        "too_many_dots": _("You can give at most %(max)s dots."),
    }


def _page(template: str, meeting: Meeting, role: str, view: str, **extra: Any) -> str:
    snapshot = _snapshot(meeting, role)
    if view == "projector":
        snapshot = regions.public_board(snapshot)
    return render_template(template, meeting=meeting, board=snapshot, flags=board_flags(snapshot), view=view,
                           candidates=dot_candidates(snapshot), strings=_strings(),
                           meeting_page=_meeting_page(meeting), **extra)


# --- the three views ------------------------------------------------------------------------------------------

@bp.get("/<int:meeting_id>/live")
def live_view(meeting_id: int):
    """Follow the meeting and take part from a phone: the current item, ideas, votes, a raised hand."""
    meeting = db.get_or_404(Meeting, meeting_id)
    role = _require(meeting, access.OBSERVER)
    person = _person(meeting)
    guest_form = (GuestForm(name=_("Guest")) if role == access.OBSERVER and not current_user.is_authenticated
                  and guests.allows_guests(meeting) else None)
    return _page("meetings/board/live.html", meeting, role, "live", joinable=_joinable(meeting, role),
                 guest_form=guest_form, guest=person if guests.is_guest(person) else None)


class GuestForm(Form):
    """Take part in the meeting as a guest, with a name of one's choice (optional)."""

    name = StringField(_l("Your name (shown with what you write)"), validators=[Length(max=guests.NAME_MAX)])
    submit = SubmitField(_l("Take part as guest"))


@bp.post("/<int:meeting_id>/guest")
@ratelimit.per_address("LIVE_GUEST_RATE_LIMIT", scope="meeting-guest")
def take_part_as_guest(meeting_id: int):
    """Become a guest of the meeting on this device (a signed cookie), then go to the board to take part."""
    meeting = db.get_or_404(Meeting, meeting_id)
    board_url = url_for("meetings_board.live_view", meeting_id=meeting.id)
    _require(meeting, access.OBSERVER)  # first: who may not know the meeting gets the 404 of an unknown one
    if current_user.is_authenticated or isinstance(_person(meeting), guests.Guest):
        return redirect(board_url, code=303)  # signed in, or a guest here already: one participant per device
    form = GuestForm()
    if not form.validate_on_submit():
        flash(" ".join(str(message) for messages in form.errors.values() for message in messages), "error")
        return redirect(board_url, code=303)
    try:
        guest = guests.add_guest(meeting, form.name.data)
    except DomainError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return redirect(board_url, code=303)
    db.session.commit()
    response = redirect(board_url, code=303)
    response.set_cookie(guests.cookie_name(meeting.id), guests.sign(current_app.secret_key, guest),
                        max_age=guests.COOKIE_MAX_AGE, httponly=True, samesite="Lax",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
    return response


def _joinable(meeting: Meeting, role: str) -> Any:
    """Return the meeting's think tank when a signed-in observer may join it here in one tap (it is open and not
    archived), else None."""
    tank = meeting.thinktank if role == access.OBSERVER and current_user.is_authenticated else None
    return tank if tank is not None and tank.is_open and not tank.is_archived else None


@bp.get("/<int:meeting_id>/projector")
def projector(meeting_id: int):
    """Show the board on the wall: large type, the join link as a QR code, counts, results and the timer."""
    meeting = db.get_or_404(Meeting, meeting_id)
    role = _require(meeting, access.OBSERVER)
    join_url = external_url("meetings_board.live_view", meeting_id=meeting.id)
    return _page("meetings/board/projector.html", meeting, role, "projector", join_url=join_url,
                 qr=qr_svg(join_url, _("QR code: the link to take part in this meeting")))


@bp.get("/<int:meeting_id>/console")
def console(meeting_id: int):
    """Run the meeting: every chair control, who is present, raised hands in order."""
    meeting = db.get_or_404(Meeting, meeting_id)
    role = _require(meeting, access.CHAIR)
    return _page("meetings/board/console.html", meeting, role, "console", owners=_owner_choices(meeting))


# --- commands without JavaScript ----------------------------------------------------------------------------

def _int(value: Any, field: str) -> int:
    # Any whole number, as typed (inputs.whole): the command checks its range, as it does for the script's.
    return inputs.whole(value, field=field, minimum=-10**40, maximum=10**40,
                        message=_l("Please enter a whole number."))


def _text(form: Any, name: str) -> str:
    return (form.get(name) or "").strip()


def _payload(event: str, form: Any) -> dict[str, Any]:
    """Turn a posted control into the socket event's payload — the same one the script sends."""
    if event == "agenda:goto":
        return {"index": _int(form.get("index"), "index")}
    if event == "ballot:open":
        if form.get("kind") == "dots":
            return {"idea_ids": [_int(value, "idea_ids") for value in form.getlist("idea_ids")],
                    "dots": _int(form.get("dots"), "dots")}
        return {"question": _text(form, "question")}
    if event == "timer:start":
        if not _text(form, "minutes"):
            return {}
        return {"seconds": _int(form.get("minutes"), "minutes") * 60}
    if event == "decision:record":
        payload: dict[str, Any] = {"text": _text(form, "text")}
        if _text(form, "action_title"):
            payload["action"] = {"title": _text(form, "action_title"),
                                 "owner_id": _int(form.get("owner_id"), "owner_id") if form.get("owner_id") else None,
                                 "due_date": _text(form, "due_date") or None}
        return payload
    if event == "idea:submit":
        return {"title": _text(form, "title"), "body": _text(form, "body")}
    if event == "idea:merge":
        return {"idea_id": _int(form.get("idea_id"), "idea_id"), "into_id": _int(form.get("into_id"), "into_id")}
    if event == "inbox:assign":
        return {"inbox_id": _int(form.get("inbox_id"), "inbox_id"), "thinktank": _text(form, "thinktank")}
    if event == "ballot:vote":
        payload = {"ballot_id": _int(form.get("ballot_id"), "ballot_id")}
        if "choice" in form:
            payload["choice"] = form.get("choice")
        else:
            payload["dots"] = {key[len("dots-"):]: _int(value, key) for key, value in form.items()
                               if key.startswith("dots-") and str(value).strip() not in ("", "0")}
        return payload
    if event == "meeting:close" and form.get("confirm") != "yes":
        raise DomainError(_l("Tick the box to confirm that the meeting should close."), field="confirm")
    if event == "hand:lower" and form.get("user_id"):
        return {"user_id": _int(form.get("user_id"), "user_id")}
    if event == "hand:lower" and form.get("guest_id"):
        return {"guest_id": _int(form.get("guest_id"), "guest_id")}
    if event == "guest:remove":
        return {"guest_id": _int(form.get("guest_id"), "guest_id")}
    return {}


@bp.post("/<int:meeting_id>/command")
def command(meeting_id: int):
    """Carry out one board control sent as a plain form (the page without JavaScript), then go back to the view."""
    meeting = db.get_or_404(Meeting, meeting_id)
    _require(meeting, access.OBSERVER)
    back = form_next() or url_for("meetings_board.live_view", meeting_id=meeting.id)
    event = request.form.get("event", "")
    try:
        payload = _payload(event, request.form)
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(back, code=303)
    ack = runner.execute(meeting.id, _person(meeting), event, payload)
    if "error" in ack:
        if ack["error"]["code"] == "forbidden":
            if not current_user.is_authenticated:
                return redirect(url_for("accounts.login", next=back), code=303)
            raise Forbidden(ack["error"]["message"], code=ack["error"].get("reason") or "forbidden")
        flash(str(ack["error"]["message"]), "error")
    else:
        flash(_("Done."), "success")
    return redirect(back, code=303)


# --- minutes --------------------------------------------------------------------------------------------------

class MinutesForm(Form):
    """The minutes as Markdown; preview, save or publish."""

    text = TextAreaField(_l("Minutes"), validators=[InputRequired(), Length(max=MINUTES_MAX)],
                         description=_l("Markdown: # for a heading, - for a list item, **bold**."))
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save draft"))
    publish = SubmitField(_l("Publish"))


@bp.route("/<int:meeting_id>/minutes", methods=["GET", "POST"])
def minutes(meeting_id: int):
    """Edit the minutes drafted when the meeting closed, preview them, and publish them."""
    meeting = db.get_or_404(Meeting, meeting_id)
    _require(meeting, access.CHAIR)
    form = MinutesForm()
    if meeting.state != "closed":
        return render_template("meetings/board/minutes.html", meeting=meeting, form=None, preview=None,
                               meeting_page=_meeting_page(meeting))
    if request.method == "GET":
        form.text.data = meeting.minutes if meeting.minutes is not None else live.draft_minutes(meeting)
    preview = None
    status = 200
    if form.validate_on_submit():
        if form.preview.data:
            preview = form.text.data
        else:
            store = live.publish_minutes if form.publish.data else live.save_minutes
            # Every mistake concerns the text: the operation calls it minutes, or names nothing.
            if run_or_error(form, lambda: store(meeting, current_user, form.text.data),
                            fields={"minutes": "text", None: "text"}):
                flash(_("The minutes are published.") if form.publish.data else _("The draft is saved."),
                      "success")
                return redirect(url_for("meetings_board.minutes", meeting_id=meeting.id), code=303)
    if form.errors:
        status = 422
    return render_template("meetings/board/minutes.html", meeting=meeting, form=form, preview=preview,
                           meeting_page=_meeting_page(meeting)), status
