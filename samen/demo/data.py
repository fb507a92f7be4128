"""The demo plan as data: a Nijkerk-like 'Samen sterk tegen drugs', in Dutch.

The texts follow what Nijkerk published about its plan (the meeting of 2 July, the four think tanks and their
points) and what Ommen, Velsen and Baarn learned. The people are invented; a few use a pseudonym, as residents
may. Loading lives in loader.py; to extend the demo (ideas, actions, meetings), add their data here, keyed by
something stable (a slug, a handle), and a step in loader.py.
"""
from __future__ import annotations

from dataclasses import dataclass

DEMO_PASSWORD = "samen-demo-2026"
EMAIL_DOMAIN = "samen.local"


@dataclass(frozen=True)
class DemoPlan:
    title: str
    municipality: str
    introduction: str


@dataclass(frozen=True)
class DemoThinkTank:
    slug: str
    name: str
    theme: str
    summary: str
    description: str
    chairs: tuple[str, ...]  # handles of the people who chair it
    join_policy: str = "open"
    pending: tuple[str, ...] = ()  # handles of people who asked to join and wait for a chair


@dataclass(frozen=True)
class DemoPerson:
    handle: str  # the part of the e-mail address before the @; stable, so loading again finds the person
    display_name: str
    thinktanks: tuple[str, ...] = ()  # slugs of the think tanks the person is an active member of
    organisation: str | None = None  # professionals only
    is_admin: bool = False

    @property
    def email(self) -> str:
        return f"{self.handle}@{EMAIL_DOMAIN}"

    @property
    def kind(self) -> str:
        return "professional" if self.organisation else "resident"


def resident(handle: str, display_name: str, *thinktanks: str) -> DemoPerson:
    """Return a resident: a parent, a young person, a former user, a neighbour."""
    return DemoPerson(handle, display_name, thinktanks)


def professional(handle: str, display_name: str, organisation: str, *thinktanks: str) -> DemoPerson:
    """Return a professional of an organisation."""
    return DemoPerson(handle, display_name, thinktanks, organisation=organisation)


PLAN = DemoPlan(
    title="Samen sterk tegen drugs",
    municipality="Nijkerk",
    introduction="""\
> “Het gemeentelijk drugsbeleid is een zaak van alle Nijkerkers.”

Om het drugsgebruik onder jongeren te beperken is een plan van aanpak nodig. Zo'n plan maakt de gemeente
niet alleen: daarvoor zijn alle betrokkenen nodig. Jongeren en (voormalige) gebruikers, ouders, familie en
vrienden, professionals van politie, jongerenwerk, verslavingszorg en scholen, verenigingen en iedereen die
verder betrokken is bij jongeren in Nijkerk.

Op **2 juli** kwamen ruim vijfenzeventig mensen uit Nijkerk, Nijkerkerveen en Hoevelaken bij elkaar. Vanuit
die bijeenkomst zijn vier denktanks gevormd:

- **Preventie**: voorkomen dat jongeren aan de drugs raken, met voorlichting, vrijetijdsbesteding en
  begeleiding dichtbij.
- **Nazorg / familie en vrienden**: ouders, familie en vrienden steunen en terugval voorkomen.
- **Behandeling**: hulp vroeg en dichtbij, voor de hele mens.
- **Aanbod**: het aanbod van en de vraag naar drugs verkleinen.

Op deze site werken de denktanks hun plannen uit, tussen de bijeenkomsten door. Terwijl de plannen verder
worden uitgewerkt, pakken leden al op wat meteen kan. Iedereen kan meelezen. Wie mee wil denken, sluit zich
aan bij een denktank; een schuilnaam is prima.

## Hulp nodig?

Maak je je zorgen over drugs of alcohol, bij jezelf of bij iemand om je heen? Het gebiedsteam van de gemeente
denkt mee en helpt je verder. Ook als je alleen een vraag hebt.
""",
)

THINKTANKS: tuple[DemoThinkTank, ...] = (
    DemoThinkTank(
        slug="preventie",
        name="Preventie",
        theme="Voorkomen is beter dan genezen",
        summary="Jongeren weerbaar maken en ouders bewust, voordat drugs een probleem worden.",
        description="""\
Deze denktank wil voorkomen dat jongeren in Nijkerk, Nijkerkerveen en Hoevelaken aan de drugs raken. Veel
ouders kunnen zich niet voorstellen dat hun kind erbij betrokken is: *“Mijn kind doet dat niet.”* Zeker bij
kinderen van 13 of 14 lijken alcohol en drugs nog ver weg.

## Waar we aan werken

- We willen **outreachend** werken en de begeleiding voor hulpzoekenden dichtbij organiseren.
- Betrokkenheid en bewustwording in de maatschappij.
- Een gezamenlijke aanpak: met elkaar en met alle partijen.
- **Vrijetijdsbesteding** voor jongeren: een plek en iets te doen in het dorp.
- **Voorlichting** aan jongeren en ouders, samen met het voortgezet onderwijs.

Jongeren kunnen veel voor elkaar betekenen. Daarom is er ruimte voor een aanpak van jongeren voor jongeren,
waarin ervaringsdeskundigen een grote rol krijgen.
""",
        chairs=("voorzitter", "marloes-jansen"),
    ),
    DemoThinkTank(
        slug="nazorg",
        name="Nazorg / familie en vrienden",
        theme="Niemand staat er alleen voor",
        summary="Ouders, familie en vrienden steunen, en terugval voorkomen na een behandeling.",
        description="""\
Veel ouders vragen uit schaamte pas laat om hulp. In deze denktank praten ouders, familie, vrienden en
ervaringsdeskundigen vrijuit met elkaar en met hulpverleners. Daarom beslist een voorzitter wie er meedoet.

We willen drugsproblemen verminderen en de ouders en kinderen die het betreft ondersteunen door:

- **Terugval** te voorkomen na een behandeltraject.
- De bron van de verslaving aan te pakken en naar de **totale mens** te kijken.
- Ouders, familie en vrienden **juist en tijdig te informeren** en de omgeving te mobiliseren.
- Hulp via internet in kaart te brengen en bekend te maken.
- Een sluitende aanpak, in samenwerking met familie en vrienden.
- Een **vrijplaats** waar jongeren open met elkaar kunnen praten en elkaar kunnen adviseren.
""",
        chairs=("voorzitter", "ervaringsdeskundige-moeder"),
        join_policy="approval",
        pending=("bezorgde-vader", "vader-nijkerkerveen", "zus-van-k"),
    ),
    DemoThinkTank(
        slug="behandeling",
        name="Behandeling",
        theme="Hulp, vroeg en dichtbij",
        summary="Gebruikers in beeld krijgen en zorgen dat er passende hulp is, zonder lange wachttijden.",
        description="""\
Gebruikers in beeld krijgen en zorgen dat er hulp is: dat is de belangrijkste opdracht. Nijkerkers stappen
steeds gemakkelijker naar de gebiedsteams met vragen over drugs of alcohol.

## Waar we aan werken

- **Geïndiceerde preventie**: jongeren die al gebruiken of risico lopen, vroeg en gericht helpen.
- Een persoonsgerichte aanpak, met aandacht voor wat erachter zit: eenzaamheid, schulden, geen woning.
- Korte lijnen tussen gebiedsteam, huisarts, verslavingszorg en jongerenwerk, zodat niemand op een wachtlijst
  verdwijnt.
- Waar straf nodig is, volgt ook hulp; soms helpt drang of dwang om door te zetten.
""",
        chairs=("tactus-ingrid", "gebiedsteam-ruud"),
    ),
    DemoThinkTank(
        slug="aanbod",
        name="Aanbod",
        theme="Minder drugs op straat",
        summary="Het aanbod van en de vraag naar drugs verkleinen, samen met politie, horeca en buurt.",
        description="""\
Goede samenwerking tussen alle partijen levert succes op: door waarnemingen samen te voegen komen de echte
problemen boven tafel.

## Waar we aan werken

- **Meldingsbereidheid vergroten**: wie iets ziet, weet waar het te melden, ook anoniem.
- Bewustwording creëren onder jongeren, familie en vrienden.
- Het **aanbod van drugs en de vraag naar drugs verkleinen**.
- **Groepsdruk omdraaien**: de omgeving en de weerbaarheid van jongeren versterken.
- Horeca, verenigingen en woningcorporaties betrekken bij wat er in hun zaak, kantine of portiek gebeurt.
""",
        chairs=("wijkagent-dennis", "horeca-erik"),
    ),
)

# The three demo logins of the README come first; everyone's password is DEMO_PASSWORD.
PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson("admin", "Beheerder gemeente", organisation="Gemeente Nijkerk", is_admin=True),
    professional("voorzitter", "Sanne Bakker", "Jongerenwerk", "preventie", "nazorg"),
    resident("bewoner", "Bewoner uit Nijkerkerveen", "preventie", "aanbod"),

    # Residents: parents, grandparents, young people, former users, neighbours. Pseudonyms are fine.
    resident("moeder-hoevelaken", "Moeder uit Hoevelaken", "nazorg"),
    resident("bezorgde-vader", "Bezorgde vader"),
    resident("vader-nijkerkerveen", "Vader uit Nijkerkerveen", "preventie"),
    resident("zus-van-k", "Zus van K."),
    resident("ervaringsdeskundige-moeder", "Ervaringsdeskundige moeder", "nazorg", "behandeling"),
    resident("oud-gebruiker-tim", "Tim (ervaringsdeskundige)", "nazorg", "preventie"),
    resident("ouder-brugklasser", "Ouder van een brugklasser", "preventie"),
    resident("oma-paasbos", "Oma uit het Paasbos", "nazorg"),
    resident("marloes-jansen", "Marloes Jansen", "preventie"),
    resident("henk-van-dijk", "Henk van Dijk", "aanbod"),
    resident("fatima-el-amrani", "Fatima El Amrani", "preventie", "nazorg"),
    resident("jeroen-hendriks", "Jeroen Hendriks", "aanbod"),
    resident("linda-de-groot", "Linda de Groot", "nazorg"),
    resident("mehmet-yilmaz", "Mehmet Yılmaz", "preventie", "aanbod"),
    resident("anouk-van-den-berg", "Anouk van den Berg", "preventie"),
    resident("gerrit-van-de-kamp", "Gerrit van de Kamp", "aanbod"),
    resident("petra-schouten", "Petra Schouten", "nazorg", "behandeling"),
    resident("jasper-17", "Jasper (17)", "preventie"),
    resident("lotte-19", "Lotte (19)", "preventie", "aanbod"),
    resident("youssef-b", "Youssef B.", "preventie"),
    resident("wendy-kok", "Wendy Kok", "nazorg"),
    resident("bas-vermeulen", "Bas Vermeulen", "aanbod"),
    resident("ingeborg-de-wit", "Ingeborg de Wit", "preventie"),
    resident("rik-van-leeuwen", "Rik van Leeuwen", "behandeling"),
    resident("annemiek-brouwer", "Annemiek Brouwer", "nazorg"),
    resident("koen-dekker", "Koen Dekker", "aanbod", "preventie"),
    resident("saskia-van-beek", "Saskia van Beek", "preventie"),
    resident("dirk-jan-mol", "Dirk-Jan Mol", "aanbod"),
    resident("moeder-van-twee-pubers", "Moeder van twee pubers", "preventie", "nazorg"),
    resident("buurman-hoevelaken", "Buurman uit Hoevelaken", "aanbod"),
    resident("herstellend-verslaafde", "Herstellend, 2 jaar clean", "behandeling", "nazorg"),
    resident("yvonne-smit", "Yvonne Smit", "nazorg"),
    resident("thijs-van-essen", "Thijs van Essen", "preventie"),
    resident("noor-hamdi", "Noor Hamdi", "preventie", "behandeling"),
    resident("gert-jan-boer", "Gert-Jan de Boer", "aanbod"),
    resident("carla-pieters", "Carla Pieters", "nazorg"),
    resident("trainer-voetbal", "Jeugdtrainer voetbalvereniging", "preventie"),
    resident("horeca-erik", "Erik Visser (café-eigenaar)", "aanbod"),
    resident("kerk-gerda", "Gerda Ros", "nazorg"),
    resident("student-milan", "Milan (21)", "behandeling"),
    resident("ouder-hoevelaken-2", "Ouder uit Hoevelaken", "preventie"),
    resident("anonieme-ouder", "Anonieme ouder", "nazorg"),
    resident("kim-van-hal", "Kim van Hal", "behandeling"),
    resident("sjoerd-brink", "Sjoerd Brink", "aanbod", "preventie"),

    # Professionals, with their organisation.
    professional("tactus-ingrid", "Ingrid Mulder", "Tactus", "behandeling"),
    professional("tactus-maarten", "Maarten Kuipers", "Tactus", "behandeling", "nazorg"),
    professional("tactus-femke", "Femke Bos", "Tactus", "preventie"),
    professional("tactus-hugo", "Hugo van Rijn", "Tactus", "nazorg"),
    professional("wijkagent-dennis", "Dennis Verhoef", "Politie", "aanbod"),
    professional("politie-karin", "Karin Post", "Politie", "aanbod", "preventie"),
    professional("politie-stefan", "Stefan Wolters", "Politie", "aanbod"),
    professional("jongerenwerk-kevin", "Kevin Huisman", "Jongerenwerk", "preventie", "aanbod"),
    professional("jongerenwerk-esra", "Esra Demir", "Jongerenwerk", "preventie"),
    professional("jongerenwerk-rob", "Rob Lammers", "Jongerenwerk", "preventie", "nazorg"),
    professional("gebiedsteam-ruud", "Ruud van der Veen", "Gebiedsteam", "behandeling"),
    professional("gebiedsteam-miriam", "Miriam Koster", "Gebiedsteam", "behandeling", "nazorg"),
    professional("gebiedsteam-joost", "Joost Timmer", "Gebiedsteam", "preventie"),
    professional("school-annelies", "Annelies Prins", "Arkemheen College", "preventie"),
    professional("school-wouter", "Wouter Claassen", "Arkemheen College", "preventie"),
    professional("school-hanneke", "Hanneke Evers", "Voortgezet onderwijs", "preventie"),
    professional("school-jan-willem", "Jan-Willem Groen", "Christelijk College Hoevelaken",
                 "preventie", "aanbod"),
    professional("ggd-sophie", "Sophie Meijer", "GGD", "preventie"),
    professional("ggd-bram", "Bram Hoekstra", "GGD", "behandeling"),
    professional("halt-nadia", "Nadia Ouali", "Halt", "preventie", "aanbod"),
    professional("halt-pieter", "Pieter Vos", "Halt", "aanbod"),
    professional("huisarts-marieke", "Marieke Wijnands", "Huisartsenpraktijk", "behandeling"),
    professional("gemeente-lisa", "Lisa Jacobs", "Gemeente Nijkerk", "preventie", "aanbod"),
    professional("gemeente-arjen", "Arjen Martens", "Gemeente Nijkerk", "behandeling"),
    professional("woningcorporatie-ellen", "Ellen Smeets", "Woningcorporatie", "aanbod"),
    professional("jeugdbescherming-tom", "Tom de Lange", "Jeugdbescherming", "behandeling", "nazorg"),
    professional("reclassering-ilse", "Ilse Franken", "Reclassering", "behandeling"),
    professional("sportvereniging-frank", "Frank Willems", "Sportvereniging", "preventie"),
)
