"""Follow and unfollow buttons, following by e-mail (double opt-in), unsubscribe links and the preferences page.

Every route checks on the server that the person may see what they follow; an e-mail follower (no account) may
follow only what is public. See docs/notifications.md.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin, current_user, login_required
from sqlalchemy import select

from samen.accounts.operations import normalize_email
from samen.actions import operations as action_ops
from samen.actions.models import ActionItem
from samen.core import ratelimit
from samen.core.database import db
from samen.core.views import form_next, form_status, run_or_error, signed_in
from samen.extensions import csrf
from samen.follows import operations as ops
from samen.follows import privacy as _privacy  # noqa: F401 - registers what following keeps (docs/privacy.md)
from samen.follows.forms import EmailFollowForm, FollowForm, PreferencesForm
from samen.follows.mails import PREFERENCES, queue_confirmation
from samen.follows.models import FOLLOW_KINDS, Follow
from samen.follows.tokens import read_unsubscribe_token
from samen.ideas import operations as idea_ops
from samen.ideas.models import Idea
from samen.notifications.blueprint import describe_with
from samen.thinktanks.models import Plan, ThinkTank

bp = Blueprint("follows", __name__)
ID = "int(max=2147483647)"


@dataclass
class Target:
    """Something followable, as its pages name it."""

    kind: str
    id: int
    title: str
    url: str
    public: bool  # may be followed without an account (by e-mail)


def load_target(kind: str, target_id: int, user: Any) -> Target | None:
    """Return the target if it exists and the user may see it, else None (a 404: nothing tells it exists)."""
    if kind == "plan":
        plan = db.session.get(Plan, target_id)
        return Target(kind, plan.id, plan.title, url_for("thinktanks.index"), True) if plan else None
    if kind == "thinktank":
        thinktank = db.session.get(ThinkTank, target_id)
        return Target(kind, thinktank.id, thinktank.name, url_for("thinktanks.show", slug=thinktank.slug),
                      True) if thinktank else None
    if kind == "idea":
        idea = db.session.get(Idea, target_id)
        if idea is None or not idea_ops.may_see_idea(idea, user):
            return None
        return Target(kind, idea.id, idea.title, f"/ideas/{idea.id}", idea.thinktank.is_open and idea.is_visible)
    if kind == "action":
        action = db.session.get(ActionItem, target_id)
        if action is None or not action_ops.can_view(action, user):
            return None
        return Target(kind, action.id, action.title, f"/actions/{action.id}", action.public)
    return None


def _target_or_404(kind: str, target_id: int, user: Any) -> Target:
    target = load_target(kind, target_id, user) if kind in FOLLOW_KINDS else None
    if target is None:
        abort(404)
    return target


@bp.app_context_processor
def _following() -> dict[str, Any]:
    def following(kind: str, target_id: int) -> bool:
        return ops.is_following(current_user, kind, target_id)
    return {"following": following}


@bp.route(f"/follow/<kind>/<{ID}:target_id>", methods=["POST"])
@signed_in
def toggle(kind: str, target_id: int):
    """Follow or unfollow something you may see; back to the page the button was on."""
    target = _target_or_404(kind, target_id, current_user)
    form = FollowForm()
    back = form_next() or target.url
    if form.validate_on_submit():
        if form.follow.data == "0":
            ops.unfollow(current_user, kind, target.id)
            flash(_("You no longer follow “%(title)s”.", title=target.title), "success")
        else:
            ops.follow(current_user, kind, target.id)
            flash(_("You follow “%(title)s”. You hear what happens in your notifications.", title=target.title),
                  "success")
        db.session.commit()
    return redirect(back)


def _address_allowed(email: str) -> bool:
    key = "follow-email:" + hashlib.sha256(normalize_email(email).encode()).hexdigest()
    return ratelimit.hit(key, current_app.config["FOLLOW_EMAIL_ADDRESS_LIMIT"])


@bp.route(f"/follow/<kind>/<{ID}:target_id>/email", methods=["POST"])
@ratelimit.per_address("FOLLOW_EMAIL_RATE_LIMIT", methods=["POST"])
def by_email(kind: str, target_id: int):
    """Follow something public by e-mail, without an account: a link to confirm goes to the address.

    The answer is the same whatever the address (followed already, has an account, or not), and the mail
    leaves from the outbox, so neither the page nor its timing tells anything about the address."""
    target = _target_or_404(kind, target_id, AnonymousUserMixin())
    if not target.public:
        abort(404)
    form = EmailFollowForm()
    if form.validate_on_submit():
        locale = str(get_locale() or "") or None

        def start() -> ops.EmailFollowRequest | None:
            if not _address_allowed(form.email.data):
                return None  # the same answer: the address's owner is not flooded, the asker learns nothing
            started = ops.request_email_follow(form.email.data, kind, target.id, locale=locale)
            queue_confirmation(started, target.title)
            return started

        if run_or_error(form, start) is not None:
            flash(_("Almost done: if this address can receive e-mail, a link to confirm is on its way. Open it "
                    "within 7 days."), "success")
            return redirect(form_next() or target.url)
    return render_template("follows/email.html", form=form, target=target), form_status(form)


@bp.route("/follow/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """Confirm an e-mail follow: a GET shows a button (mail scanners open links), the POST confirms."""
    form = FollowForm()
    if request.method == "POST" and form.validate_on_submit():
        found = ops.confirm_email_follow(token[:100])
        db.session.commit()
        if found is None:
            return render_template("follows/confirmed.html", ok=False), 404
        return render_template("follows/confirmed.html", ok=True)
    return render_template("follows/confirm.html", form=form, token=token[:100])


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    """One-click unsubscribe (RFC 8058): a mail program POSTs `List-Unsubscribe=One-Click` here without a
    session, so the signed token is the only key; a GET shows the button."""
    found = read_unsubscribe_token(token[:300])
    if found is None:
        return render_template("follows/unsubscribed.html", ok=False), 404
    if request.method == "POST":
        kind, ident = found
        if kind == "user":
            ops.unsubscribe_user(ident)
        else:
            ops.unsubscribe_follower(ident)
        db.session.commit()
        return render_template("follows/unsubscribed.html", ok=True, kind=kind)
    return render_template("follows/unsubscribe.html", token=token[:300], kind=found[0])


def _titles(follows: list[Follow]) -> list[tuple[Follow, str, str]]:
    """Name and link each follow, one query per kind (constant, whatever the number followed)."""
    ids: dict[str, list[int]] = {}
    for item in follows:
        ids.setdefault(item.target_kind, []).append(item.target_id)
    names: dict[tuple[str, int], tuple[str, str]] = {}
    if ids.get("plan"):
        for plan in db.session.scalars(select(Plan).where(Plan.id.in_(ids["plan"]))):
            names["plan", plan.id] = (plan.title, url_for("thinktanks.index"))
    if ids.get("thinktank"):
        for thinktank in db.session.scalars(select(ThinkTank).where(ThinkTank.id.in_(ids["thinktank"]))):
            names["thinktank", thinktank.id] = (thinktank.name, url_for("thinktanks.show", slug=thinktank.slug))
    if ids.get("idea"):
        for row in db.session.execute(select(Idea.id, Idea.title).join(ThinkTank).where(
                Idea.id.in_(ids["idea"]), idea_ops.readable_ideas_clause(current_user))):
            names["idea", row.id] = (row.title, f"/ideas/{row.id}")
    if ids.get("action"):
        for row in db.session.execute(select(ActionItem.id, ActionItem.title).where(
                ActionItem.id.in_(ids["action"]), action_ops.readable_actions_clause(current_user))):
            names["action", row.id] = (row.title, f"/actions/{row.id}")
    return [(item, *names[item.target_kind, item.target_id]) for item in follows
            if (item.target_kind, item.target_id) in names]


@bp.route(PREFERENCES, methods=["GET", "POST"])
@login_required
def preferences():
    """Choose how often notifications come by e-mail, and see (and unfollow) what you follow."""
    form = PreferencesForm(digest=current_user.digest)
    if current_user.under_16:
        del form.digest  # no e-mail under 16 (docs/privacy.md)
    elif form.validate_on_submit() and run_or_error(form, lambda: ops.set_digest(current_user, form.digest.data)):
        flash(_("Your e-mail preference is saved."), "success")
        return redirect(url_for(".preferences"))
    return render_template("follows/preferences.html", form=form, follows=_titles(ops.follows_of(current_user)),
                           kind_labels=kind_labels()), form_status(form)


def kind_labels() -> dict[str, str]:
    """Return what each kind of followable thing is called, in the current language."""
    return {"plan": _("The plan"), "thinktank": _("Think tank"), "idea": _("Idea"), "action": _("Action item")}


# --- how the events read ---------------------------------------------------------------------------------------

def _day(value: Any) -> str:
    try:
        return format_date(date.fromisoformat(str(value)[:10]), "long")
    except ValueError:
        return ""


@describe_with("idea.status")
def _idea_status(data: dict[str, Any]) -> str:
    label = idea_ops.STATUS_LABELS.get(data.get("status", ""), data.get("status", ""))
    return _("“%(title)s” was answered: %(status)s.", title=data.get("idea_title", ""), status=label)


@describe_with("idea.adopted")
def _idea_adopted(data: dict[str, Any]) -> str:
    return _("“%(title)s” was adopted.", title=data.get("idea_title", ""))


@describe_with("idea.action")
def _idea_action(data: dict[str, Any]) -> str:
    text = _("“%(idea)s” became the action item “%(action)s”.", idea=data.get("idea_title", ""),
             action=data.get("action_title", ""))
    if data.get("owner"):
        text += " " + _("Owner: %(owner)s.", owner=data["owner"])
    if data.get("due_date"):
        text += " " + _("Due: %(date)s.", date=_day(data["due_date"]))
    return text


@describe_with("idea.moved")
def _idea_moved(data: dict[str, Any]) -> str:
    text = _("“%(title)s” was moved from %(old)s to the think tank %(new)s.", title=data.get("idea_title", ""),
             old=data.get("from_name", ""), new=data.get("to_name", ""))
    if data.get("reason"):
        text += " " + _("Why: %(reason)s", reason=data["reason"])
    return text


@describe_with("action.update")
def _action_update(data: dict[str, Any]) -> str:
    return _("New progress on “%(title)s”: %(progress)s %%.", title=data.get("action_title", ""),
             progress=data.get("progress", 0))


@describe_with("action.milestone")
def _action_milestone(data: dict[str, Any]) -> str:
    return _("“%(title)s” reached a milestone: %(milestone)s.", title=data.get("action_title", ""),
             milestone=data.get("milestone", ""))


@describe_with("action.done")
def _action_done(data: dict[str, Any]) -> str:
    return _("“%(title)s” is done.", title=data.get("action_title", ""))


@describe_with("action.stopped")
def _action_stopped(data: dict[str, Any]) -> str:
    return _("“%(title)s” was stopped. Reason: %(reason)s", title=data.get("action_title", ""),
             reason=data.get("reason", ""))


@describe_with("action.overdue")
def _action_overdue(data: dict[str, Any]) -> str:
    return _("“%(title)s” missed its due date (%(date)s).", title=data.get("action_title", ""),
             date=_day(data.get("due_date")))


@describe_with("action.assigned")
def _action_assigned(data: dict[str, Any]) -> str:
    text = _("You are now the owner of the action item “%(title)s”.", title=data.get("action_title", ""))
    if data.get("due_date"):
        text += " " + _("Due: %(date)s.", date=_day(data["due_date"]))
    return text


@describe_with("meeting.planned")
def _meeting_planned(data: dict[str, Any]) -> str:
    return _("A meeting is planned: “%(title)s” on %(date)s.", title=data.get("title", ""),
             date=_day(data.get("starts_at")))


@describe_with("minutes.published")
def _minutes_published(data: dict[str, Any]) -> str:
    return _("The minutes of “%(title)s” are published.", title=data.get("title", ""))


@describe_with("membership.approved")
def _membership_approved(data: dict[str, Any]) -> str:
    return _("Your request to join %(name)s was approved: you are a member now.", name=data.get("thinktank_name", ""))


@describe_with("membership.declined")
def _membership_declined(data: dict[str, Any]) -> str:
    return _("Your request to join %(name)s was declined.", name=data.get("thinktank_name", ""))
