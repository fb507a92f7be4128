"""The demo's yearly evaluation: last year's, published, next to an open draft for this year, with the partner pulse
answered by a few partners (in the app: the demo sends no mail) and conclusions and decisions on last year's.

The demo's activity (ideas, actions, meetings) is dated from the day of loading, so last year holds little of it:
last year's published figures are assembled for that year like any evaluation's, then given the modest numbers of
a plan's first year, so that this year's draft has something to compare with. They are marked as such in the
figures themselves (`figures["demo"]` is true). Partner organisations are the register's when it has
them (the partners feature's demo), else four are made here; contact people are demo professionals.

Made only when there is no evaluation at all: a second load runs one query here and changes nothing, and an
evaluation someone deleted or opened themselves is left alone.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from samen.actions.models import Measurement
from samen.core.database import db
from samen.evaluation import assembly
from samen.evaluation import operations as ops
from samen.evaluation.models import Evaluation, EvaluationNote
from samen.partners.models import Organisation, OrganisationContact

# slug, name, kind, the demo people who are its contacts
PARTNERS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("politie-nijkerk", "Politie Nijkerk", "police", ("politie-karin", "wijkagent-dennis")),
    ("tactus", "Tactus Verslavingszorg", "addiction_care", ("tactus-maarten", "tactus-ingrid")),
    ("jongerenwerk-nijkerk", "Jongerenwerk Nijkerk", "youth_work", ("jongerenwerk-kevin",)),
    ("arkemheen-college", "Arkemheen College", "school", ("school-annelies",)),
)
# handle → score, what works, what does not, waiting lists and other obstacles
ANSWERS: dict[str, tuple[int, str, str, str]] = {
    "politie-karin": (7, "De korte lijn met het jongerenwerk: we bellen elkaar voordat het escaleert.",
                      "Casusoverleg duurt lang; soms zitten we met tien mensen om één jongere.",
                      "Geen zicht op wat er na een aanhouding met een jongere gebeurt."),
    "tactus-maarten": (6, "Ouderavonden op scholen trekken meer ouders dan verwacht.",
                       "Doorverwijzingen komen soms pas als het al misgaat.",
                       "Wachtlijst voor ambulante behandeling: zes tot acht weken."),
    "jongerenwerk-kevin": (8, "De vrijplaats op vrijdagavond; jongeren nemen vrienden mee.",
                           "Te weinig uren om ook in de avond op straat te zijn.",
                           "Geen ruimte in het buurthuis na 22.00 uur."),
    "school-annelies": (7, "Voorlichting in de tweede klassen, met ervaringsdeskundigen.",
                        "We horen niet wat er met een melding gebeurt.", ""),
}
# A think tank's action items in the plan's first year: in the period, started, done, late, stopped, moved, moves.
FIRST_YEAR_ACTIONS = ((6, 4, 3, 1, 0, 2, 3), (5, 5, 1, 2, 1, 1, 1), (4, 3, 2, 1, 0, 1, 2), (3, 3, 1, 0, 1, 0, 0))
LAST_YEAR_PULSE = {"invited": 7, "answered": 5, "average": 6.2, "kinds": []}
CONCLUSIONS = {  # think tank slug → conclusion and decision on last year's evaluation
    "preventie": ("Voorlichting bereikte alle tweede klassen; ouders zijn nog moeilijk te vinden.",
                  "scale_up", "Ouderavonden op alle scholen, niet alleen op het Arkemheen."),
    "nazorg": ("Nazorg kwam laat op gang; de eerste ervaringsdeskundigen zijn nu actief.",
               "continue", "Het eerste jaar is te kort om te oordelen."),
}


def _first_year(figures: dict[str, Any]) -> dict[str, Any]:
    """Give last year's assembled figures a plan's first-year numbers (the demo's own activity is recent)."""
    for index, row in enumerate(figures["actions"]["thinktanks"]):
        row.update(zip(("total", "started", "done", "late", "stopped", "moved", "moves"),
                       FIRST_YEAR_ACTIONS[index % len(FIRST_YEAR_ACTIONS)], strict=True))
        row["days_moved"] = row["moves"] * 14
    for index, row in enumerate(figures["participation"]["thinktanks"]):
        row.update(members=8 + 3 * index, new_members=8 + 3 * index, ideas=4 + index, supports=20 + 5 * index,
                   comments=6 + index, meetings=2, attendance=14 + 2 * index)
    for line in figures["actions"]["lines"]:  # a line's think tanks' action items (a line is shown beside them)
        tanks = [row for row in figures["actions"]["thinktanks"] if row.get("line_id") == line["id"]]
        line.update({key: sum(row[key] for row in tanks) for key in assembly.ACTION_COUNTS})
    for part, counts in (("actions", assembly.ACTION_COUNTS), ("participation", assembly.PARTICIPATION_COUNTS)):
        totals = figures[part]["totals"]
        for key in counts:
            totals[key] = sum(row[key] for row in figures[part]["thinktanks"])
    people = figures["participation"]["totals"]
    people.update(participants=people["members"] + 6, new_participants=people["members"] + 6,
                  returning_participants=0)
    figures["pulse"] = dict(LAST_YEAR_PULSE)
    figures["demo"] = True
    return figures


def _partners(state: Any) -> list[Organisation]:
    """Return the register's organisations (the partners feature's demo), or make the demo's four."""
    organisations = list(db.session.scalars(select(Organisation).where(
        Organisation.archived_at.is_(None), Organisation.merged_into_id.is_(None)).order_by(Organisation.id)))
    if organisations:
        return organisations
    for slug, name, kind, _handles in PARTNERS:
        organisation = Organisation(slug=slug, name=name, kind=kind)
        db.session.add(organisation)
        organisations.append(organisation)
        state.report.created["partner organisations"] += 1
    db.session.flush()
    return organisations


def _contacts(state: Any, organisations: list[Organisation]) -> None:
    """Make the demo professionals active contacts of the organisations named for them (when they have none)."""
    by_slug = {organisation.slug: organisation for organisation in organisations}
    existing = {(org_id, user_id) for org_id, user_id in db.session.execute(
        select(OrganisationContact.organisation_id, OrganisationContact.user_id))}
    with_contacts = {org_id for org_id, _user in existing}
    for slug, _name, _kind, handles in PARTNERS:
        organisation = by_slug.get(slug)
        if organisation is None or organisation.id in with_contacts:
            continue
        for handle in handles:
            user = state.users.get(handle)
            if user is not None and (organisation.id, user.id) not in existing:
                db.session.add(OrganisationContact(organisation_id=organisation.id, user_id=user.id,
                                                   status="active"))
                state.report.created["contact people"] += 1
    db.session.flush()


def load_evaluation(state: Any) -> None:
    """Publish last year's evaluation and open this year's, with the pulse answered by a few partners."""
    if db.session.scalar(select(Evaluation.id).limit(1)) is not None:
        return
    admin = state.users.get("admin")
    if admin is None:
        return
    threshold = int(current_app.config.get("HELP_COUNT_THRESHOLD", 5))
    this_year, last_year = state.today.year, state.today.year - 1
    _contacts(state, _partners(state))

    last = Evaluation(period=str(last_year), title=f"Evaluatie {last_year}", start_date=date(last_year, 1, 1),
                      end_date=date(last_year, 12, 31), opened_by_id=admin.id)
    db.session.add(last)
    db.session.flush()
    thinktanks = {tank.slug: tank for tank in state.thinktanks.values()}
    for slug, (conclusion, decision, reason) in CONCLUSIONS.items():
        tank = thinktanks.get(slug)
        if tank is not None:
            db.session.add_all([
                EvaluationNote(evaluation_id=last.id, kind="conclusion", subject_type="thinktank",
                               subject_id=tank.id, text=conclusion, author_id=admin.id),
                EvaluationNote(evaluation_id=last.id, kind="decision", subject_type="thinktank",
                               subject_id=tank.id, decision=decision, text=reason, author_id=admin.id)])
    last.figures = _first_year(assembly.assemble(last.start_date, last.end_date, evaluation_id=last.id,
                                                 threshold=threshold, today=last.end_date))
    last.status, last.published_at, last.published_by_id = "published", state.now - timedelta(days=300), admin.id
    indicator = ops.pulse_indicator(last, by=admin)
    db.session.add(Measurement(indicator_id=indicator.id, date=last.end_date, value=LAST_YEAR_PULSE["average"],
                               note=f"Partnerpeiling {last_year}: {LAST_YEAR_PULSE['answered']} antwoorden",
                               created_by_id=admin.id))

    current = ops.open_evaluation(by=admin, period=str(this_year), title=f"Evaluatie {this_year}",
                                  start_date=date(this_year, 1, 1), end_date=date(this_year, 12, 31))
    current.pulse_indicator_id = indicator.id
    sent = ops.send_pulse(current, by=admin, now=state.now - timedelta(days=10))
    handles = {user.id: handle for handle, user in state.users.items()}
    for item in sent:
        answer = ANSWERS.get(handles.get(item.invitation.user_id, ""))
        if answer is not None:
            score, works, does_not_work, obstacles = answer
            ops.answer_pulse(item.invitation, score=score, works=works, does_not_work=does_not_work,
                             obstacles=obstacles, now=state.now - timedelta(days=5))
    state.report.created["evaluations"] += 2
    state.report.created["pulse answers"] += sum(1 for item in sent if item.invitation.score is not None)
