"""The demo's help desk: the intake team (Miriam Koster of the gebiedsteam, gebiedsteam-miriam@samen.local), a
few requests in every state, and an indicator the help desk feeds.

The requests go through the help desk's own operations, so they are encrypted like real ones. Team, requests and
indicator are made only when the team member's account is new in this run (the first load): a second load runs
no query here, and someone taken off the team, or a request withdrawn, is not put back.
"""
from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select

from samen.actions import operations as action_ops
from samen.actions.models import Indicator
from samen.core.database import db
from samen.helpdesk import counts
from samen.helpdesk import operations as help_ops
from samen.helpdesk.models import HelpTeamMember

TEAM = ("gebiedsteam-miriam",)
INDICATOR = "Hulpvragen bij het vertrouwelijke hulploket"

# (days ago, about, urgent, text, contact method, contact, what the team did)
REQUESTS: tuple[tuple[int, str, bool, str, str, str | None, dict[str, Any]], ...] = (
    (40, "myself", False,
     "Ik gebruik al een paar jaar elk weekend. Nu ook doordeweeks, en mijn werk lijdt eronder. Ik wil minderen "
     "maar weet niet waar ik moet beginnen. Liever niet via de huisarts.",
     "phone", "06 12345678",
     {"reply": "Goed dat u dit vraagt. We bellen u donderdag tussen 10 en 12 uur, vanaf een anoniem nummer.",
      "status": "closed", "outcome": "helped"}),
    (33, "my_child", False,
     "Mijn zoon van 19 heeft schulden bij iemand die hem drugs verkocht. Ik heb al twee keer voor hem betaald, "
     "want ze stonden bij ons voor de deur. Ik schaam me en weet niet wie ik dit kan vertellen.",
     "email", "moeder.demo@example.org",
     {"reply": "Dank voor uw vertrouwen. U staat hier niet alleen in: veel ouders maken dit mee. We verwijzen u "
               "naar de cliëntondersteuner van Tactus en, voor de schulden, naar de schuldhulp van de gemeente.",
      "status": "referred", "referral_note": "Tactus cliëntondersteuning en schuldhulpverlening"}),
    (6, "someone_close", False,
     "Mijn beste vriendin gebruikt steeds meer en is al twee keer flauwgevallen op een feest. Ze wil er niet "
     "over praten. Wat kan ik doen zonder dat ze boos op me wordt?",
     "none", None,
     {"note": "Voorstel: tips voor een eerste gesprek sturen en het aanbod van de jongerenwerker noemen.",
      "status": "in_progress"}),
    (1, "situation", True,
     "Bij het bankje achter de sporthal wordt 's avonds gedeald, ook aan kinderen van de basisschool. Ik durf "
     "het niet bij de politie te melden omdat ze weten waar ik woon.",
     "none", None, {}),
)


def load_helpdesk(state: Any) -> None:
    """Name the intake team, and send the demo's requests the first time the help desk is used."""
    new = [state.users[handle] for handle in TEAM if handle in state.new_users]
    if not new:
        return
    db.session.add_all(HelpTeamMember(user_id=user.id) for user in new)
    state.report.created["intake team members"] += len(new)
    db.session.flush()
    member = new[0]
    for days, about, urgent, text, method, contact, done in REQUESTS:
        sent = state.ago(days)
        request, _code = help_ops.submit_request(about=about, text=text, urgent=urgent, contact_method=method,
                                                 contact=contact, mail_replies=method == "email", now=sent)
        if "note" in done:
            help_ops.add_note(request, done["note"], by=member)
        if "reply" in done:
            help_ops.assign_request(request, member, by=member)
            help_ops.reply(request, done["reply"], by=member, now=state.ago(days - 1))
        if "status" in done:
            help_ops.update_status(request, done["status"], by=member, outcome=done.get("outcome"),
                                   referral_note=done.get("referral_note"))
        state.report.created["help requests"] += 1
    _fed_indicator(state)


def _fed_indicator(state: Any) -> None:
    admin = state.users.get("admin")
    if admin is None or db.session.scalar(select(Indicator).where(Indicator.name == INDICATOR)) is not None:
        return
    indicator = action_ops.create_indicator(
        by=admin, thinktank=None, name=INDICATOR, unit="hulpvragen", direction="up",
        source="Het vertrouwelijke hulploket (alleen aantallen)",
        description="Hoeveel mensen per maand vertrouwelijk om hulp vragen. Meer vragen is hier goed nieuws: "
                    "ouders en jongeren vragen eerder om hulp.")
    counts.link_indicator(indicator, "total", by=admin)
    counts.feed_indicators(threshold=current_app.config["HELP_COUNT_THRESHOLD"], now=state.now)
    state.report.created["help desk indicators"] += 1
