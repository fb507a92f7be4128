"""The demo's stories: a field worker (Samira Bouali, veldwerk-samira@samen.local) and an analyst (Pieter de Wit,
analyse-pieter@samen.local), both with the demo password; ten stories with the three consents, the list of
themes, two knowledge sources (Trimbos, CCV), and a direction that became an idea in the think tank Preventie.

Everything goes through the stories' own operations, so the stories are encrypted like real ones. It is made
only in a load that creates demo people (the first) and when the analyst's account is new: a second load runs
no query here and changes nothing.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from samen.accounts import operations as account_ops
from samen.accounts.models import User
from samen.core.database import db
from samen.demo.data import DEMO_PASSWORD
from samen.programme.models import PlanRole
from samen.programme.roles import forget_plan_roles
from samen.stories import operations as ops
from samen.stories.models import StoryTheme
from samen.thinktanks import operations as tt_ops

FIELD_WORKER = ("veldwerk-samira@samen.local", "Samira Bouali", "Jongerenwerk")
ANALYST = ("analyse-pieter@samen.local", "Pieter de Wit", "Gemeente, beleid")
THINKTANK = "preventie"
THEMES = ("Normalisering", "Schulden bij dealers", "Druk op school", "Niets te doen voor jongeren",
          "Drugs in de horeca", "Gebruik op feesten")
SOURCES = (
    ("Preventie van middelengebruik in het uitgaansleven", "Trimbos-instituut", "https://www.trimbos.nl",
     "Voorlichting werkt het best als ze samengaat met afspraken in de horeca en met ouders: alleen informatie "
     "geven verandert weinig."),
    ("Aanpak drugs in de horeca", "CCV (Centrum voor Criminaliteitspreventie en Veiligheid)", "https://hetccv.nl",
     "Een gezamenlijke aanpak van gemeente, politie en horeca, met duidelijke huisregels en een vast "
     "aanspreekpunt, maakt dealen in zaken zichtbaar minder."),
)
# (days ago told, teller, neighbourhood, consent, themes, action taken or None, text)
STORIES: tuple[tuple[int, str, str, str, tuple[str, ...], str | None, str], ...] = (
    (70, "parent", "Centrum", "analysis", ("Schulden bij dealers",),
     "Doorverwezen naar het gebiedsteam, met toestemming van de moeder.",
     "Ik heb mijn zoon naar zijn dealer gereden om zijn schuld af te betalen. Ze stonden bij ons voor de deur. "
     "Ik wist niet wat ik anders moest doen, en ik heb het aan niemand verteld."),
    (64, "entrepreneur", "Centrum", "quote", ("Drugs in de horeca",), None,
     "In mijn zaak zie ik op zaterdag dat er op de wc's wordt gedeald. Als ik er iets van zeg, komen ze de week "
     "erna gewoon terug. Ik sta er alleen voor."),
    (58, "young_person", "Paasbos", "publish", ("Normalisering", "Gebruik op feesten"), None,
     "Op feestjes is coke gewoon. Niemand vindt het raar meer. Als je nee zegt, ben je de saaie."),
    (51, "parent", "Corlaer", "quote", ("Normalisering",), None,
     "Op verjaardagen in de familie ligt het soms op tafel. Mijn kinderen zien dat. Ik durf er niets van te "
     "zeggen, want dan ben ik de zeur."),
    (45, "professional", "Nijkerkerveen", "analysis", ("Druk op school", "Normalisering"), None,
     "Een leerling vertelde me dat hij voor een oudere jongen pakketjes rondbrengt. Hij verdient er meer mee "
     "dan zijn vader. Ik heb het met de zorgcoördinator besproken."),
    (38, "young_person", "Holk", "quote", ("Niets te doen voor jongeren",), None,
     "Er is hier niks voor ons. De jeugdsoos is dicht, dus hangen we bij de sporthal. Daar komen ze dan ook."),
    (30, "resident", "Paasbos", "publish", ("Niets te doen voor jongeren", "Normalisering"), None,
     "Vroeger had je hier een voetbalkooi en een buurthuis. Nu zie ik 's avonds auto's met draaiende motor "
     "die even stoppen en weer wegrijden."),
    (21, "professional", "Centrum", "quote", ("Gebruik op feesten", "Normalisering"), None,
     "Bij de EHBO op het dorpsfeest zagen we dit jaar meer jongeren die iets hadden gebruikt dan ooit. Ze waren "
     "jonger dan vroeger, een paar van veertien."),
    (12, "parent", "Corlaer", "analysis", ("Schulden bij dealers", "Druk op school"),
     "Direct contact gelegd met de wijkagent en het Samen Doen-team.",
     "Mijn dochter wordt op school benaderd door jongens die zeggen dat ze geld van haar broer krijgen. Ze durft "
     "niet meer alleen naar huis te fietsen."),
    (4, "young_person", "Nijkerkerveen", "quote", ("Druk op school", "Gebruik op feesten"), None,
     "In de klasgroep gaat rond wie wat heeft gebruikt in het weekend. Als je niet meedoet, hoor je er niet bij."),
)
DIRECTION_TITLE = "Normalisering doorbreken: praten over gebruik op feesten en in de familie"
DIRECTION_BODY = """\
Uit de verhalen blijkt dat gebruik op feesten en in de familie **gewoon** is gaan voelen, ook voor kinderen
die het zien. Ouders durven er niets van te zeggen.

Wat werkt volgens het Trimbos-instituut: voorlichting samen met afspraken met ouders en in het uitgaansleven,
niet alleen informatie.

Voorstel: een campagne met ouders en jongeren zelf, en gesprekken op scholen en bij sportclubs."""


def _account(email: str, name: str, organisation: str, state: Any) -> tuple[User, bool]:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is not None:
        return user, False
    # Every demo person has the demo password: take its hash from one made in this run (scrypt is slow).
    made = next((state.users[handle] for handle in sorted(state.new_users) if handle in state.users), None)
    password_hash = made.password_hash if made is not None else account_ops.hash_password(DEMO_PASSWORD)
    user = account_ops.create_user(email=email, display_name=name, password_hash=password_hash,
                                   kind="professional", organisation=organisation, locale="nl",
                                   email_confirmed=True, terms_version=account_ops.TERMS_VERSION)
    state.report.created["field workers and analysts"] += 1
    return user, True


def load_stories(state: Any) -> None:
    """Make the field worker and the analyst, and the first time, their stories and the direction."""
    if not state.new_users:
        return
    analyst, new = _account(*ANALYST, state)
    worker, _new_worker = _account(*FIELD_WORKER, state)
    if not new:
        return
    admin = state.users.get("admin")
    db.session.add_all([PlanRole(user_id=analyst.id, role="analyst", granted_by_id=getattr(admin, "id", None))])
    db.session.flush()
    forget_plan_roles()
    if admin is not None:
        ops.grant_field_worker(worker, by=admin)
    else:
        db.session.add(PlanRole(user_id=worker.id, role="field_worker"))
    db.session.flush()
    forget_plan_roles()
    existing = {theme.name: theme for theme in db.session.scalars(select(StoryTheme))}
    for name in THEMES:
        if name not in existing:
            existing[name] = StoryTheme(name=name)
            db.session.add(existing[name])
    db.session.flush()
    sources = [ops.create_source(by=analyst, title=title, publisher=publisher, url=url, note=note)
               for title, publisher, url, note in SOURCES]
    stories = []
    for days, teller, place, consent, themes, action, text in STORIES:
        story = ops.record_story(by=worker, text=text, teller=teller, neighbourhood=place,
                                 told_on=state.day(-days), consent=consent, action_needed=action is not None,
                                 action_taken=action, themes=[existing[name].id for name in themes],
                                 today=state.today)
        if "Drugs in de horeca" in themes:
            ops.analyse_story(story, by=analyst, themes=[existing[name].id for name in themes],
                              sources=[sources[1].id])
        stories.append(story)
    state.report.created["stories"] += len(stories)
    chosen = [story for story in stories if {"Normalisering", "Gebruik op feesten"} & {t.name for t in story.themes}]
    direction = ops.save_direction(None, by=analyst, title=DIRECTION_TITLE, body=DIRECTION_BODY,
                                   stories=[story.id for story in chosen])
    thinktank = state.thinktanks.get(THINKTANK)
    if thinktank is None or thinktank.is_archived:
        return
    membership = tt_ops.join_thinktank(thinktank, analyst)
    if membership.status == "pending":
        tt_ops.decide_membership(membership, approve=True)
    ops.put_to_thinktank(direction, thinktank, by=analyst)
    state.report.created["directions put to a think tank"] += 1
