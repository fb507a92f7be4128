"""The demo's partner network: ten organisations of Nijkerk's plan in the register, with the demo's professionals as
their contact people, leading and helping to carry out the demo's action items.

The demo's people typed their organisation before there was a register ("GGD" and "GGD Gelderland-Midden" for one
body). Here each such value becomes the register's name of its organisation — one GGD, not two — and what matches
none of the ten becomes an entry of its own, with a request to be its contact, as the migration does for a real
site (samen/partners/operations.register_free_text). Loading again adds only what is missing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update

from samen.accounts.models import User
from samen.actions import operations as action_ops
from samen.actions.models import ActionItem
from samen.core.database import db
from samen.partners import operations as ops
from samen.partners.models import Organisation, OrganisationContact


@dataclass(frozen=True)
class DemoPartner:
    slug: str
    name: str
    kind: str
    description: str
    website: str
    aliases: tuple[str, ...]  # what the demo's people typed for it
    contacts: tuple[str, ...]  # handles of the demo's people


PARTNERS: tuple[DemoPartner, ...] = (
    DemoPartner("politie-nijkerk", "Politie Nijkerk", "police",
                "Wijkagenten en de jeugdagent van het basisteam: toezicht, meldingen en doorverwijzen naar hulp.",
                "https://www.politie.nl", ("Politie",), ("wijkagent-dennis", "politie-karin", "politie-stefan")),
    DemoPartner("tactus", "Tactus Verslavingszorg", "addiction_care",
                "Preventie, behandeling en nazorg bij verslaving, voor jongeren, ouders en volwassenen.",
                "https://www.tactus.nl", ("Tactus",),
                ("tactus-ingrid", "tactus-maarten", "tactus-femke", "tactus-hugo")),
    DemoPartner("jongerenwerk-nijkerk", "Jongerenwerk Nijkerk", "youth_work",
                "Jongerenwerkers op straat en in de buurthuizen: contact, activiteiten en een luisterend oor.",
                "", ("Jongerenwerk",), ("jongerenwerk-kevin", "jongerenwerk-esra", "jongerenwerk-rob", "voorzitter")),
    DemoPartner("arkemheen-college", "Arkemheen College", "school",
                "School voor voortgezet onderwijs; geeft de lessen over alcohol en drugs in de tweede klassen.",
                "", ("Arkemheen College", "Voortgezet onderwijs"),
                ("school-annelies", "school-wouter", "school-hanneke")),
    DemoPartner("woonstichting-nijkerk", "Woonstichting Nijkerk", "housing",
                "Verhuurt woningen in Nijkerk en signaleert overlast en zorgen achter de voordeur.",
                "", ("Woningcorporatie",), ("woningcorporatie-ellen",)),
    DemoPartner("sportvereniging-nijkerk", "Sportvereniging Nijkerk", "sports_culture",
                "Voetbal, hockey en een open sportavond voor jongeren uit de wijk.",
                "", ("Sportvereniging",), ("sportvereniging-frank",)),
    DemoPartner("koninklijke-horeca-nijkerk", "Koninklijke Horeca Nijkerk", "hospitality",
                "De vereniging van cafés en restaurants: afspraken over veilig uitgaan en het convenant.",
                "", (), ("horeca-erik",)),
    DemoPartner("gemeente-nijkerk", "Gemeente Nijkerk", "municipality",
                "De gemeente en haar gebiedsteams: regie op het plan, toegang tot hulp en handhaving.",
                "https://www.nijkerk.eu", ("Gemeente Nijkerk", "Gebiedsteam"),
                ("admin", "gemeente-lisa", "gemeente-arjen", "gebiedsteam-ruud", "gebiedsteam-miriam",
                 "gebiedsteam-joost")),
    DemoPartner("halt", "Halt", "justice",
                "Een Halt-straf en voorlichting voor jongeren die over de grens gingen, zodat het daarbij blijft.",
                "https://www.halt.nl", ("Halt",), ("halt-nadia", "halt-pieter")),
    DemoPartner("ggd-gelderland-midden", "GGD Gelderland-Midden", "other",
                "Gezondheidsmonitor, voorlichting en de jeugdgezondheidszorg in de regio.",
                "https://www.vggm.nl", ("GGD", "GGD Gelderland-Midden"), ("ggd-sophie", "ggd-bram")),
)

# Per action item (by title): its lead organisation with that organisation's contact person, and who helps.
CARRIERS: dict[str, tuple[str, str | None, tuple[str, ...]]] = {
    "Voorlichting in alle tweede klassen, met de lessen van het Trimbos-instituut":
        ("arkemheen-college", "school-hanneke", ("tactus", "ggd-gelderland-midden")),
    "Overzicht van betrouwbare hulp via internet": ("tactus", "tactus-maarten", ("ggd-gelderland-midden",)),
    "Convenant Veilig Uitgaan met de horeca":
        ("gemeente-nijkerk", "gemeente-lisa", ("politie-nijkerk", "koninklijke-horeca-nijkerk")),
    "Vrijdagavond voor jongeren in het dorpshuis van Nijkerkerveen":
        ("jongerenwerk-nijkerk", "jongerenwerk-kevin", ("sportvereniging-nijkerk",)),
    "Informatiepakket en ouderspreekuur voor ouders en familie":
        ("gemeente-nijkerk", None, ("tactus", "ggd-gelderland-midden")),
    "Nazorggroep in Nijkerk na een behandeling": ("tactus", "tactus-hugo", ("woonstichting-nijkerk",)),
    "Campagne ‘Zie je iets? Meld het.’":
        ("politie-nijkerk", "politie-karin", ("gemeente-nijkerk", "woonstichting-nijkerk")),
    "Binnen twee weken een eerste gesprek bij het gebiedsteam of Tactus":
        ("gemeente-nijkerk", "gebiedsteam-ruud", ("tactus",)),
    "Maandelijks casusoverleg over jongeren in beeld":
        ("gemeente-nijkerk", "gemeente-arjen", ("politie-nijkerk", "halt", "jongerenwerk-nijkerk")),
    "Vrijplaats: een wekelijkse inloop voor jongeren": ("jongerenwerk-nijkerk", "jongerenwerk-rob", ()),
    "Vaste avonden jongerenwerk op straat in Corlaer, het Paasbos en bij het station":
        ("jongerenwerk-nijkerk", None, ("politie-nijkerk",)),
    "Weerbaarheidstraining ‘Groepsdruk omdraaien’":
        ("halt", "halt-nadia", ("arkemheen-college", "sportvereniging-nijkerk")),
    "Ouderavonden over drugs in de brugklassen": ("tactus", "tactus-femke", ("arkemheen-college",)),
    "Hulpaanbod binnen een week na een aanhouding": ("tactus", "tactus-ingrid", ("politie-nijkerk", "halt")),
}


def load_partners(state: Any) -> None:
    """Put the ten partners in the register with their contacts, and their part in the demo's action items."""
    admin = state.users["admin"]
    existing = {o.slug: o for o in db.session.scalars(select(Organisation).where(
        Organisation.slug.in_([partner.slug for partner in PARTNERS])))}
    if len(existing) == len(PARTNERS) and not state.new_users and not state.report.created["actions"]:
        return  # loaded before, and nothing new to connect: one query
    for partner in PARTNERS:
        organisation = existing.get(partner.slug)
        if organisation is None:
            organisation = existing[partner.slug] = ops.create_organisation(
                by=admin, name=partner.name, kind=partner.kind, description=partner.description,
                website=partner.website, slug=partner.slug)
            state.report.created["partner organisations"] += 1
        # What the demo's people typed becomes the register's name (the public name rule reads it).
        for alias in partner.aliases:
            for model in (User, ActionItem):
                db.session.execute(update(model).where(func.lower(model.organisation) == alias.lower())
                                   .values(organisation=partner.name).execution_options(synchronize_session=False))
    db.session.expire_all()
    known = set(db.session.execute(select(OrganisationContact.organisation_id, OrganisationContact.user_id)).all())
    for partner in PARTNERS:
        organisation = existing[partner.slug]
        for handle in partner.contacts:
            user = state.users.get(handle)
            if user is not None and (organisation.id, user.id) not in known:
                ops.add_contact(organisation, user, by=admin)
                state.report.created["partner contacts"] += 1
    actions = {action.title: action for action in db.session.scalars(
        select(ActionItem).where(ActionItem.title.in_(list(CARRIERS))))}
    for title, (lead, contact, helpers) in CARRIERS.items():
        action = actions.get(title)
        if action is None or action.carriers:
            continue
        carriers = action_ops.carriers_from(
            lead=existing[lead], lead_contact=state.users.get(contact) if contact else None,
            co=[existing[slug] for slug in helpers])
        updated_at = action.updated_at  # the demo dates its actions by their last update
        action_ops.set_carriers(action, carriers, by=admin)
        action.updated_at = updated_at
    ops.register_free_text()
