"""The demo's programme: three lines (Preventie, Hulpverlening, Repressie) with the four think tanks in them, a
programme coordinator (regisseur@samen.local, the demo password), two plan-wide action items and a plan-wide
indicator, and a kick-off plenary held before the think tanks began, whose ideas were routed to them.

Everything is made once, in a load that creates people, when the coordinator's account does not exist yet: a
second load adds nothing (and asks nothing), and what an administrator changed or removed afterwards is not put
back (as the help desk's demo does). The report counts it under keys of its own ("plan-wide action items", …).
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from samen.accounts import operations as account_ops
from samen.accounts.models import User
from samen.actions import operations as action_ops
from samen.core.database import db
from samen.demo.data import DEMO_PASSWORD, EMAIL_DOMAIN
from samen.meetings import operations as meeting_ops
from samen.meetings.models import Registration
from samen.programme import inbox
from samen.partners.models import Organisation, OrganisationContact
from samen.programme.models import InboxIdea, Line, PlanRole

COORDINATOR = f"regisseur@{EMAIL_DOMAIN}"
INDICATOR = "Inwoners die het drugsbeleid kennen"
LINES = (  # slug, name, description, think tanks
    ("preventie", "Preventie",
     "Voorkomen dat jongeren beginnen: voorlichting, weerbaarheid en een sterke omgeving.", ("preventie",)),
    ("hulpverlening", "Hulpverlening",
     "Hulp voor wie gebruikt en voor de mensen om hen heen: behandeling, nazorg en steun aan families.",
     ("behandeling", "nazorg")),
    ("repressie", "Repressie",
     "Het aanbod verkleinen: handhaving, meldingen en samenwerking met politie, horeca en woningcorporaties.",
     ("aanbod",)),
)
KICKOFF_DAYS_AGO = 120
# The ideas of the kick-off evening, by the participant who wrote them down, and the think tank they went to.
KICKOFF_IDEAS = (
    ("moeder-van-twee-pubers", "Een avond voor ouders over de eerste signalen",
     "Veel ouders weten niet waar ze op moeten letten. Een avond met een ervaringsdeskundige.", "preventie"),
    ("oud-gebruiker-tim", "Een inloop waar je zonder afspraak terecht kunt",
     "Drempels zijn hoog. Een vaste avond in de week waar je gewoon binnen kunt lopen.", "behandeling"),
    ("oma-paasbos", "Steun voor grootouders die voor kleinkinderen zorgen", "", "nazorg"),
    ("henk-van-dijk", "Meer toezicht bij het station in de avond",
     "Vooral op vrijdag en zaterdag is het daar onrustig.", "aanbod"),
    ("jasper-17", "Sport in de avond als alternatief voor hangen", "", "preventie"),
)


def load_programme(state: Any) -> None:
    """Make the demo's programme the first time: lines, coordinator, plan-wide work and the kick-off."""
    if not state.new_users or db.session.scalar(select(User.id).where(User.email == COORDINATOR)) is not None:
        return
    # The demo password's hash, as the other demo people have it (scrypt is slow on purpose: hashed once a load).
    known = next(iter(state.users.values()), None)
    coordinator = account_ops.create_user(
        email=COORDINATOR, display_name="Programmaregisseur gemeente", organisation="Gemeente Nijkerk",
        kind="professional", locale="nl", email_confirmed=True, terms_version=account_ops.TERMS_VERSION,
        password_hash=known.password_hash if known is not None else account_ops.hash_password(DEMO_PASSWORD))
    db.session.add(PlanRole(user_id=coordinator.id, role="coordinator"))
    municipality = _partner("Gemeente Nijkerk")
    if municipality is not None:  # a contact of the municipality in the partners' register (samen/partners)
        db.session.add(OrganisationContact(organisation_id=municipality.id, user_id=coordinator.id, status="active"))
    db.session.flush()
    state.report.created["programme coordinators"] += 1
    lines = _lines(state)
    _plan_wide(state, coordinator, lines)
    _kickoff(state, coordinator)


def _partner(name: str) -> Organisation | None:
    """The register's entry of that name, when the partners' demo made it (samen/demo/partners_data.py)."""
    return db.session.scalar(select(Organisation).where(Organisation.name == name))


def _lines(state: Any) -> dict[str, Line]:
    existing = {line.slug: line for line in db.session.scalars(select(Line))}
    lines: dict[str, Line] = {}
    for position, (slug, name, description, tanks) in enumerate(LINES, start=1):
        line = existing.get(slug)
        if line is None:
            line = Line(slug=slug, name=name, description=description, position=position)
            db.session.add(line)
            db.session.flush()
            state.report.created["lines"] += 1
        for tank_slug in tanks:
            tank = state.thinktanks.get(tank_slug)
            if tank is not None and tank.line_id is None:
                tank.line_id = line.id
        lines[slug] = line
    return lines


def _plan_wide(state: Any, coordinator: User, lines: dict[str, Line]) -> None:
    indicator = action_ops.create_indicator(
        by=coordinator, name=INDICATOR, unit="%", direction="up",
        baseline_value=31, baseline_date=state.day(-400), target_value=60, target_date=date(2028, 12, 31),
        source="Inwonerspanel gemeente Nijkerk",
        description="Het deel van het inwonerspanel dat weet waar je met zorgen over drugs terechtkunt.")
    for days, value in ((-400, 31), (-200, 38), (-20, 44)):
        action_ops.record_measurement(indicator, by=coordinator, date=state.day(days), value=value)
    campaign = action_ops.create_action(
        None, by=coordinator, title="Campagne ‘Samen sterk tegen drugs’",
        description="Eén herkenbare campagne voor het hele plan: posters, social media en een week vol "
                    "activiteiten in alle kernen.",
        lead=_partner("Gemeente Nijkerk"), start_date=state.day(-60), due_date=state.day(-5), status="in_progress",
        progress=70, indicators=[indicator], decision="Besloten op de startavond van het programma.")
    action_ops.post_update(campaign, by=coordinator,
                           body="De posters hangen en de campagneweek is gepland; de social-mediacampagne loopt "
                                "nog tot na de deadline.")
    action_ops.create_action(
        None, by=coordinator, line=lines["repressie"], title="Gezamenlijke aanpak met politie en woningcorporaties",
        description="Afspraken over melden, delen en optreden bij drugsoverlast in en rond woningen.",
        lead=_partner("Politie Nijkerk"), co=[o for o in (_partner("Woonstichting Nijkerk"),) if o is not None],
        start_date=state.day(-30), due_date=state.day(90),
        status="planned")
    state.report.created["plan-wide action items"] += 2
    state.report.created["plan-wide indicators"] += 1


def _kickoff(state: Any, coordinator: User) -> None:
    """A kick-off plenary held before the think tanks began: its ideas went through the plan's inbox."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    starts = datetime.combine(state.day(-KICKOFF_DAYS_AGO), time(19, 30))
    meeting = meeting_ops.create_meeting(
        None, by=coordinator, title="Startavond: samen sterk tegen drugs",
        description="De avond waarop 75 inwoners, ouders, jongeren en professionals de denktanks vormden.",
        starts_at=starts, ends_at=starts + timedelta(hours=2, minutes=30), location="De Schakel, Nijkerk",
        agenda=[{"title": "Wat speelt er in Nijkerk?", "planned_minutes": 45},
                {"title": "Ideeën ophalen", "planned_minutes": 60},
                {"title": "Denktanks vormen", "planned_minutes": 30}], zone=zone)
    meeting.created_at = meeting.starts_at - timedelta(days=21)
    people = [state.users[handle] for handle, *_rest in KICKOFF_IDEAS if handle in state.users]
    for number, user in enumerate(dict.fromkeys(people)):
        db.session.add(Registration(meeting_id=meeting.id, user_id=user.id, status="registered",
                                    created_at=meeting.created_at + timedelta(days=1, hours=number)))
    meeting.state, meeting.opened_at, meeting.closed_at = "closed", meeting.starts_at, meeting.ends_at
    meeting.minutes = ("De avond leverde vijf ideeën op die niet meteen bij een denktank hoorden; de "
                       "programmaregisseur heeft ze daarna aan de denktanks toegewezen.")
    meeting.minutes_published_at = meeting.updated_at = meeting.ends_at + timedelta(days=1)
    db.session.flush()
    for number, (handle, title, body, tank_slug) in enumerate(KICKOFF_IDEAS):
        author, tank = state.users.get(handle), state.thinktanks.get(tank_slug)
        if author is None or tank is None or tank.is_archived:
            continue
        item = InboxIdea(meeting_id=meeting.id, author_id=author.id, title=title, body=body,
                         created_at=meeting.starts_at + timedelta(minutes=70 + number))
        db.session.add(item)
        db.session.flush()
        idea = inbox.assign([item], tank, by=coordinator)[0]
        item.assigned_at = meeting.ends_at + timedelta(days=1)
        idea.created_at = item.assigned_at
        state.report.created["kick-off ideas"] += 1
