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


# --- ideas -----------------------------------------------------------------------------------------------------
# What the think tanks came up with, from Nijkerk's plan and what Ommen, Velsen and Baarn learned. Times are days
# before the day the demo is loaded, so the demo looks alive whenever it is loaded.

@dataclass(frozen=True)
class DemoComment:
    author: str  # handle
    body: str
    replies: tuple[DemoComment, ...] = ()


@dataclass(frozen=True)
class DemoDecision:
    chair: str  # handle of a chair of the idea's think tank
    status: str  # adopted, rejected, existing or discussion
    answer: str
    days_ago: int


@dataclass(frozen=True)
class DemoModeration:
    reporter: str  # handle of a member who reports the idea
    reason: str
    chair: str  # handle of the chair who hides it
    note: str  # the reason shown in the idea's place


@dataclass(frozen=True)
class DemoIdea:
    key: str  # stable name for the actions below; in the database an idea is found by its think tank and title
    thinktank: str
    author: str
    title: str
    body: str
    days_ago: int
    tags: tuple[str, ...] = ()
    anonymous: bool = False
    supporters: tuple[str, ...] = ()
    comments: tuple[DemoComment, ...] = ()
    decision: DemoDecision | None = None
    moderation: DemoModeration | None = None


def comment(author: str, body: str, *replies: DemoComment) -> DemoComment:
    """Return a comment with its replies."""
    return DemoComment(author, body, replies)


# The tags each think tank offers, by name (the slug is derived from it).
TAGS: dict[str, tuple[str, ...]] = {
    "preventie": ("jongeren", "ouders", "school", "voorlichting", "vrije tijd", "hulp"),
    "nazorg": ("ouders", "familie", "jongeren", "hulp", "nazorg"),
    "behandeling": ("hulp", "jongeren", "samenwerking", "politie"),
    "aanbod": ("politie", "buurt", "horeca", "jongeren", "school"),
}

IDEAS: tuple[DemoIdea, ...] = (
    # --- Preventie ---
    DemoIdea(
        key="vrije-tijd", thinktank="preventie", author="lotte-19", days_ago=150,
        title="Vrijetijdsbesteding voor jongeren in het dorp", tags=("jongeren", "vrije-tijd"),
        body="""\
In Nijkerkerveen en Hoevelaken is er voor jongeren van 15 tot 20 bijna niets te doen. Na de sportclub hang je
bij de supermarkt of het station, en daar wordt ook gedeald.

Geef ons een eigen plek op vrijdag- en zaterdagavond, met muziek, een pooltafel en jongerenwerkers die je kent.
Wij willen zelf meehelpen om het te organiseren.""",
        supporters=("jasper-17", "youssef-b", "mehmet-yilmaz", "bewoner", "thijs-van-essen", "jongerenwerk-kevin",
                    "jongerenwerk-esra", "sportvereniging-frank", "moeder-van-twee-pubers", "saskia-van-beek",
                    "koen-dekker", "noor-hamdi"),
        comments=(
            comment("jongerenwerk-kevin", "Goed plan. In het dorpshuis van Nijkerkerveen staat de bovenzaal op "
                    "vrijdagavond leeg; ik ga vragen of we die kunnen gebruiken.",
                    comment("lotte-19", "Top! Ik ken een paar jongeren die de muziek willen doen.")),
            comment("vader-nijkerkerveen", "Wie let erop dat er geen alcohol en drugs mee naar binnen gaan?",
                    comment("jongerenwerk-esra", "Er zijn altijd twee jongerenwerkers bij, en de huisregels maken "
                            "we samen met de jongeren. Dat werkt beter dan een portier.")),
        ),
        decision=DemoDecision("voorzitter", "adopted", days_ago=120, answer="""\
Aangenomen. Jongeren hebben een plek nodig in hun eigen dorp, en ze willen zelf meebouwen. Het jongerenwerk
begint met een proef in Nijkerkerveen; de gemeente zoekt mee naar een vaste ruimte."""),
    ),
    DemoIdea(
        key="voorlichting", thinktank="preventie", author="school-annelies", days_ago=170,
        title="Voorlichting op scholen samen met het Trimbos-instituut", tags=("school", "voorlichting"),
        body="""\
Voorlichting werkt alleen als die klopt en niet belerend is. Laten we in de tweede en derde klassen de lessen
gebruiken die het Trimbos-instituut heeft ontwikkeld, gegeven door een preventiewerker van Tactus samen met de
mentor. Zo krijgt elke leerling in Nijkerk en Hoevelaken dezelfde, eerlijke informatie.""",
        supporters=("school-wouter", "school-hanneke", "school-jan-willem", "tactus-femke", "ggd-sophie",
                    "ouder-brugklasser", "moeder-van-twee-pubers", "ingeborg-de-wit", "anouk-van-den-berg",
                    "fatima-el-amrani", "ouder-hoevelaken-2", "bewoner", "marloes-jansen"),
        comments=(
            comment("ggd-sophie", "De GGD kan de lessen koppelen aan de uitkomsten van de Jeugdmonitor. Dan weten "
                    "we ook of het iets uitmaakt."),
            comment("oud-gebruiker-tim", "Neem ook een ervaringsdeskundige mee de klas in. Van mij nemen ze meer "
                    "aan dan van een folder.",
                    comment("school-annelies", "Goed punt, dat nemen we mee in het tweede blok.")),
        ),
        decision=DemoDecision("marloes-jansen", "adopted", days_ago=140, answer="""\
Aangenomen. De scholen hebben een convenant gesloten met Tactus en de kerngroep ‘Stop Drugs Nijkerk’; de lessen
beginnen dit schooljaar in alle tweede klassen."""),
    ),
    DemoIdea(
        key="ouderavonden", thinktank="preventie", author="ouder-brugklasser", days_ago=110,
        title="Ouderavonden: ‘Mijn kind doet dat niet’", tags=("ouders", "school"),
        body="""\
Bijna alle ouders van kinderen die in de problemen kwamen, dachten: *mijn kind doet dat niet.* Ik dacht het zelf
ook.

Organiseer via de scholen ouderavonden over hoe je drugsgebruik herkent en hoe je er thuis over begint, zonder dat
het meteen ruzie wordt. Liefst al in de brugklas, als het nog ver weg lijkt.""",
        supporters=("moeder-van-twee-pubers", "ouder-hoevelaken-2", "fatima-el-amrani", "vader-nijkerkerveen",
                    "ingeborg-de-wit", "saskia-van-beek", "school-hanneke", "tactus-femke", "anouk-van-den-berg"),
        comments=(
            comment("moeder-van-twee-pubers", "Graag op een avond dat werkende ouders kunnen, en niet alleen in de "
                    "aula. In een kleine groep praat je makkelijker.",
                    comment("tactus-femke", "We denken aan kleine groepen per klas, met een preventiewerker en de "
                            "mentor erbij.")),
            comment("fatima-el-amrani", "Kunnen er ook ouders bij zijn die het zelf hebben meegemaakt? Dat maakt "
                    "het echt."),
        ),
        decision=DemoDecision("voorzitter", "adopted", days_ago=90, answer="""\
Aangenomen. Tactus en de scholen organiseren de avonden samen; we beginnen met de brugklassen."""),
    ),
    DemoIdea(
        key="outreachend", thinktank="preventie", author="jongerenwerk-rob", days_ago=160,
        title="Outreachend werken in de wijken", tags=("jongeren", "hulp"),
        body="""\
Jongeren die het moeilijk hebben, komen niet naar een spreekuur. Wij moeten naar hen toe: jongerenwerkers op
vaste avonden op straat in Corlaer, het Paasbos en bij het station, die de jongeren kennen en hen doorverwijzen
naar het gebiedsteam of Tactus als dat nodig is.""",
        supporters=("jongerenwerk-kevin", "jongerenwerk-esra", "gebiedsteam-joost", "politie-karin", "halt-nadia",
                    "bewoner", "koen-dekker", "sjoerd-brink", "gemeente-lisa", "oud-gebruiker-tim"),
        comments=(
            comment("politie-karin", "De wijkagenten delen graag wat ze zien, dan weten jullie waar je moet zijn.",
                    comment("jongerenwerk-rob", "Graag. Laten we elke maand kort afstemmen.")),
        ),
        decision=DemoDecision("voorzitter", "adopted", days_ago=130, answer="""\
Aangenomen. Het jongerenwerk gaat op vaste avonden de wijken in; jongerenwerk, politie en gebiedsteam spreken af
hoe ze signalen delen."""),
    ),
    DemoIdea(
        key="ervaringsdeskundigen-in-de-klas", thinktank="preventie", author="oud-gebruiker-tim", days_ago=60,
        title="Jongeren vertellen jongeren: ervaringsdeskundigen in de klas", tags=("jongeren", "voorlichting"),
        body="""\
Ik was zestien toen ik begon. Als er toen iemand in de klas had gestaan die het zelf had meegemaakt, had ik beter
geluisterd dan naar een folder. Laat jongeren en ervaringsdeskundigen samen een les maken en geven.""",
        supporters=("jasper-17", "lotte-19", "youssef-b", "thijs-van-essen", "noor-hamdi", "tactus-femke",
                    "jongerenwerk-esra", "fatima-el-amrani"),
        comments=(
            comment("school-wouter", "Mooi idee. Hoe zorgen we dat het niet spannend of stoer gaat klinken?",
                    comment("oud-gebruiker-tim", "Door eerlijk te zijn over wat het kost: school, vrienden, het "
                            "vertrouwen van je ouders. Daar is niets stoers aan.")),
        ),
        decision=DemoDecision("marloes-jansen", "discussion", days_ago=40, answer="""\
We bespreken dit op de volgende bijeenkomst met de scholen en Tactus: hoe begeleiden we de ervaringsdeskundigen
goed, voor en na een les?"""),
    ),
    DemoIdea(
        key="sportclubs", thinktank="preventie", author="trainer-voetbal", days_ago=80,
        title="Sportclubs als plek waar je geen drugs tegenkomt", tags=("vrije-tijd",),
        body="""\
Bij de voetbal zie ik na de wedstrijd soms wat er in de kantine en op de parkeerplaats gebeurt. Trainers weten
niet altijd wat ze moeten doen als ze iets zien. Geef verenigingen duidelijke afspraken en een training voor
trainers en kantinevrijwilligers.""",
        supporters=("sportvereniging-frank", "koen-dekker", "mehmet-yilmaz", "thijs-van-essen", "ggd-sophie"),
        decision=DemoDecision("voorzitter", "existing", days_ago=55, answer="""\
Dit gebeurt al: de GGD en Tactus geven verenigingen een training voor trainers en kantinevrijwilligers, en helpen
bij afspraken over alcohol en drugs in de kantine. Verenigingen kunnen zich aanmelden bij de GGD; we zetten de
contactgegevens op deze site."""),
    ),
    DemoIdea(
        key="drugstesten", thinktank="preventie", author="vader-nijkerkerveen", days_ago=95,
        title="Drugstesten op school invoeren", tags=("school",),
        body="Laat scholen leerlingen steekproefsgewijs testen. Dan weet je tenminste wie er gebruikt en kun je "
             "ingrijpen.",
        supporters=("ingeborg-de-wit",),
        comments=(
            comment("school-hanneke", "Dat mag een school niet zomaar. En ik ben bang dat leerlingen ons dan juist "
                    "niets meer vertellen."),
            comment("jasper-17", "Dan gebruikt iedereen gewoon in het weekend en zegt niemand meer iets tegen de "
                    "mentor."),
        ),
        decision=DemoDecision("marloes-jansen", "rejected", days_ago=70, answer="""\
Dank je wel voor het meedenken; we begrijpen de zorg erachter goed. Toch nemen we dit idee niet over. Scholen
mogen leerlingen niet zomaar testen, en het kost het vertrouwen dat we juist nodig hebben om op tijd te horen dat
het niet goed gaat.

We zetten in op voorlichting, ouderavonden en mentoren die weten waar ze met zorgen terechtkunnen. Maak je je
zorgen over een leerling of over je eigen kind? Het gebiedsteam denkt graag met je mee."""),
    ),
    DemoIdea(
        key="anoniem-vragen", thinktank="preventie", author="jasper-17", days_ago=6,
        title="Anoniem een vraag stellen aan een jongerenwerker", tags=("jongeren", "hulp"),
        body="Niet iedereen durft met een vraag over drugs naar een volwassene te stappen. Een manier om anoniem "
             "een vraag te stellen, via een app of Instagram, zou veel schelen.",
        supporters=("lotte-19", "youssef-b", "thijs-van-essen", "noor-hamdi", "jongerenwerk-esra"),
        comments=(
            comment("jongerenwerk-esra", "Via de Instagram van het jongerenwerk kan het eigenlijk al, maar dat weet "
                    "bijna niemand. Zullen we het beter bekendmaken?"),
        ),
    ),

    # --- Nazorg / familie en vrienden ---
    DemoIdea(
        key="ouders-informeren", thinktank="nazorg", author="moeder-hoevelaken", anonymous=True, days_ago=140,
        title="Ouders en familie tijdig informeren", tags=("ouders", "familie"),
        body="""\
Toen ik ontdekte dat mijn zoon gebruikte, wist ik niet waar ik moest beginnen. Ik schaamde me en heb maanden
gewacht.

Zorg dat ouders, opa's en oma's, broers en zussen op tijd weten wat de signalen zijn en waar ze terechtkunnen,
zonder dat ze zich eerst hoeven te schamen.""",
        supporters=("anonieme-ouder", "oma-paasbos", "linda-de-groot", "wendy-kok", "annemiek-brouwer",
                    "yvonne-smit", "carla-pieters", "moeder-van-twee-pubers", "gebiedsteam-miriam", "tactus-hugo",
                    "kerk-gerda", "fatima-el-amrani"),
        comments=(
            comment("gebiedsteam-miriam", "Herkenbaar. Ouders kunnen bij het gebiedsteam terecht, ook met alleen "
                    "een vraag. Maar dat weten te weinig mensen.",
                    comment("annemiek-brouwer", "Een vast spreekuur op een vaste plek zou helpen. Bellen is voor "
                            "veel ouders een te grote stap.")),
            comment("oma-paasbos", "En vergeet de grootouders niet. Wij zien de kleinkinderen soms vaker dan de "
                    "ouders."),
        ),
        decision=DemoDecision("ervaringsdeskundige-moeder", "adopted", days_ago=110, answer="""\
Aangenomen. Het gebiedsteam en Tactus maken samen met ouders een informatiepakket voor ouders en familie, en
beginnen een vast ouderspreekuur."""),
    ),
    DemoIdea(
        key="vrijplaats", thinktank="nazorg", author="oud-gebruiker-tim", days_ago=150,
        title="Vrijplaats waar jongeren open met elkaar kunnen praten", tags=("jongeren",),
        body="""\
Een plek waar jongeren die gebruiken of gebruikt hebben open met elkaar kunnen praten en elkaar advies kunnen
geven, zonder oordeel en zonder dat het meteen in een dossier komt. Met een jongerenwerker of ervaringsdeskundige
in de buurt, niet aan het hoofd van de tafel.""",
        supporters=("herstellend-verslaafde", "jongerenwerk-rob", "fatima-el-amrani", "petra-schouten", "wendy-kok",
                    "tactus-maarten", "moeder-van-twee-pubers", "linda-de-groot"),
        comments=(
            comment("herstellend-verslaafde", "Dit had mij geholpen. De eerste stap is zo groot als je denkt dat je "
                    "de enige bent."),
            comment("jeugdbescherming-tom", "Belangrijk dat duidelijk is wat er gebeurt met wat je vertelt: "
                    "vertrouwelijk, tenzij iemand in gevaar is.",
                    comment("jongerenwerk-rob", "Precies. Dat zetten we op de deur en zeggen we aan het begin van "
                            "elke avond.")),
        ),
        decision=DemoDecision("voorzitter", "adopted", days_ago=125, answer="""\
Aangenomen. Het jongerenwerk zet een wekelijkse inloop op, met een ervaringsdeskundige erbij."""),
    ),
    DemoIdea(
        key="terugval", thinktank="nazorg", author="herstellend-verslaafde", days_ago=130,
        title="Terugval voorkomen na behandeling", tags=("nazorg", "hulp"),
        body="""\
Na mijn behandeling kwam ik terug in hetzelfde dorp, met dezelfde vrienden en dezelfde verveling. Daar ging het
mis. Zorg dat er na een behandeling iemand is die je blijft zien: een nazorggroep, een maatje, hulp bij werk of
school.""",
        supporters=("oud-gebruiker-tim", "petra-schouten", "tactus-maarten", "tactus-hugo",
                    "ervaringsdeskundige-moeder", "linda-de-groot", "carla-pieters", "gebiedsteam-miriam"),
        comments=(
            comment("tactus-hugo", "Tactus wil een nazorggroep in Nijkerk zelf beginnen, zodat niemand naar "
                    "Amersfoort hoeft. We zoeken nog een ruimte.",
                    comment("kerk-gerda", "Onze kerk heeft doordeweeks zalen vrij. Ik vraag het na.")),
        ),
        decision=DemoDecision("ervaringsdeskundige-moeder", "adopted", days_ago=100, answer="""\
Aangenomen. Tactus begint een nazorggroep in Nijkerk; het gebiedsteam helpt met werk, school en schulden."""),
    ),
    DemoIdea(
        key="hulp-via-internet", thinktank="nazorg", author="linda-de-groot", days_ago=165,
        title="Hulp via internet in kaart brengen", tags=("hulp", "ouders"),
        body="Er is veel hulp online: chats, zelftests, forums voor ouders. Maar wat is betrouwbaar? Zet op een rij "
             "welke hulp via internet goed is, en maak die bekend in Nijkerk.",
        supporters=("wendy-kok", "yvonne-smit", "annemiek-brouwer", "tactus-maarten", "anonieme-ouder"),
        comments=(
            comment("tactus-maarten", "Goed idee. Denk aan de Drugs Infolijn van het Trimbos-instituut en de "
                    "anonieme chat van Tactus."),
        ),
        decision=DemoDecision("voorzitter", "adopted", days_ago=150, answer="""\
Aangenomen. Tactus zet een overzicht van betrouwbare hulp via internet op deze site."""),
    ),
    DemoIdea(
        key="oudergroep", thinktank="nazorg", author="anonieme-ouder", anonymous=True, days_ago=100,
        title="Een groep voor ouders die hetzelfde meemaken", tags=("ouders",),
        body="Ik wil praten met andere ouders die weten hoe het is, zonder dat het hele dorp het weet.",
        supporters=("moeder-hoevelaken", "wendy-kok", "carla-pieters", "yvonne-smit", "oma-paasbos"),
        decision=DemoDecision("ervaringsdeskundige-moeder", "existing", days_ago=85, answer="""\
Dit bestaat al, en dat hadden we beter bekend moeten maken. Elke eerste dinsdag van de maand komt in Nijkerk een
oudergroep van Tactus bij elkaar, met ouders die hetzelfde meemaken. Aanmelden kan vertrouwelijk bij het
gebiedsteam; je naam noem je pas als je dat wilt."""),
    ),
    DemoIdea(
        key="drugsschulden", thinktank="nazorg", author="wendy-kok", days_ago=12,
        title="Schulden bij dealers: waar kun je terecht?", tags=("hulp", "ouders"),
        body="In Baarn vertelde een moeder dat ze met haar zoon langs dealers reed om zijn schulden af te betalen, "
             "omdat niemand haar hielp. Waar kun je in Nijkerk terecht als je kind bedreigd wordt om een "
             "drugsschuld?",
        supporters=("annemiek-brouwer", "carla-pieters", "moeder-van-twee-pubers", "linda-de-groot"),
        comments=(
            comment("jeugdbescherming-tom", "Bij bedreiging altijd de politie bellen. Het gebiedsteam helpt daarna "
                    "met de schuld en met de veiligheid thuis.",
                    comment("wendy-kok", "Dank je. Dat zou ik graag ergens op papier zien, voor ouders.")),
        ),
    ),

    # --- Behandeling ---
    DemoIdea(
        key="eerste-gesprek", thinktank="behandeling", author="petra-schouten", days_ago=145,
        title="Binnen twee weken een eerste gesprek", tags=("hulp",),
        body="Als je eindelijk de stap zet om hulp te vragen en dan hoort dat er een wachtlijst van drie maanden "
             "is, haak je af. Zorg dat iedereen met een vraag over drugs of alcohol binnen twee weken een eerste "
             "gesprek heeft, bij het gebiedsteam of bij Tactus.",
        supporters=("herstellend-verslaafde", "rik-van-leeuwen", "kim-van-hal", "noor-hamdi", "student-milan",
                    "huisarts-marieke", "ervaringsdeskundige-moeder", "gemeente-arjen", "ggd-bram"),
        comments=(
            comment("huisarts-marieke", "Vanuit de huisartsenpraktijk: als ik doorverwijs, wil ik weten dat er "
                    "snel iemand belt.",
                    comment("gebiedsteam-ruud", "Afgesproken: na een verwijzing van de huisarts bellen we binnen "
                            "drie werkdagen.")),
        ),
        decision=DemoDecision("tactus-ingrid", "adopted", days_ago=120, answer="""\
Aangenomen. Het gebiedsteam en Tactus spreken af dat iedereen binnen twee weken een eerste gesprek heeft, en
houden bij hoe vaak dat lukt."""),
    ),
    DemoIdea(
        key="totale-mens", thinktank="behandeling", author="ervaringsdeskundige-moeder", days_ago=90,
        title="Kijk naar de totale mens, niet alleen naar het gebruik", tags=("hulp", "samenwerking"),
        body="Achter het gebruik zit vaak iets anders: eenzaamheid, schulden, geen huis, problemen thuis. Als je "
             "alleen het gebruik behandelt, komt het terug. Laat de hulpverleners samen één plan maken, met de "
             "jongere en het gezin.",
        supporters=("petra-schouten", "rik-van-leeuwen", "jeugdbescherming-tom", "gebiedsteam-miriam",
                    "noor-hamdi"),
        comments=(
            comment("reclassering-ilse", "Eens. Eén plan en één regisseur. Nu zitten er soms vijf hulpverleners "
                    "aan tafel die elkaar niet kennen."),
        ),
        decision=DemoDecision("gebiedsteam-ruud", "discussion", days_ago=60, answer="""\
We werken dit uit op de volgende bijeenkomst: wie is de regisseur, en hoe maken we één plan met het gezin?"""),
    ),
    DemoIdea(
        key="casusoverleg", thinktank="behandeling", author="huisarts-marieke", days_ago=135,
        title="Vast casusoverleg over jongeren die in beeld zijn", tags=("samenwerking",),
        body="Politie, Tactus, het gebiedsteam, jeugdbescherming en de huisarts zien vaak dezelfde jongeren, maar "
             "ieder een stukje. Een vast overleg, binnen de regels voor privacy, brengt de echte problemen boven "
             "tafel.",
        supporters=("gebiedsteam-miriam", "jeugdbescherming-tom", "reclassering-ilse", "tactus-maarten",
                    "ggd-bram", "gemeente-arjen"),
        comments=(
            comment("gemeente-arjen", "De gemeente regelt een privacyconvenant, zodat iedereen weet wat hij mag "
                    "delen."),
        ),
        decision=DemoDecision("gebiedsteam-ruud", "adopted", days_ago=115, answer="""\
Aangenomen. We beginnen een maandelijks casusoverleg; wat daar besproken wordt, blijft vertrouwelijk."""),
    ),
    DemoIdea(
        key="hulp-na-aanhouding", thinktank="behandeling", author="reclassering-ilse", days_ago=75,
        title="Na een aanhouding ook hulp aanbieden", tags=("hulp", "politie"),
        body="Wie wordt aangehouden voor drugs, staat op dat moment vaak wél open voor hulp. Zorg dat er dan "
             "meteen iemand van Tactus of het gebiedsteam contact zoekt. Soms helpt drang of dwang om door te "
             "zetten.",
        supporters=("tactus-maarten", "jeugdbescherming-tom", "gemeente-arjen", "herstellend-verslaafde",
                    "kim-van-hal"),
        comments=(
            comment("herstellend-verslaafde", "Bij mij was de aanhouding het begin van mijn herstel. Maar het "
                    "duurde weken voordat iemand belde."),
        ),
        decision=DemoDecision("tactus-ingrid", "adopted", days_ago=50, answer="""\
Aangenomen. Politie, reclassering en Tactus spreken af dat iemand binnen een week na een aanhouding hulp krijgt
aangeboden."""),
    ),
    DemoIdea(
        key="chat", thinktank="behandeling", author="student-milan", days_ago=40,
        title="Een chat voor jongeren, ook ’s avonds", tags=("hulp", "jongeren"),
        body="Veel jongeren durven niet te bellen. Een chat waar je ’s avonds terechtkunt, neemt een drempel weg.",
        supporters=("noor-hamdi", "kim-van-hal", "rik-van-leeuwen"),
        decision=DemoDecision("tactus-ingrid", "existing", days_ago=30, answer="""\
Goed dat je dit vraagt: dit bestaat al. Tactus heeft een anonieme chat, en de Drugs Infolijn van het
Trimbos-instituut is ook via chat bereikbaar. We maken ze beter bekend, op deze site en via het jongerenwerk."""),
    ),

    # --- Aanbod ---
    DemoIdea(
        key="meldingsbereidheid", thinktank="aanbod", author="henk-van-dijk", days_ago=155,
        title="Meldingsbereidheid vergroten", tags=("politie", "buurt"),
        body="""\
Veel mensen zien dingen in de buurt, maar melden niets: ze weten niet waar, zijn bang dat uitkomt wie het meldde,
of denken dat er toch niets gebeurt. Maak duidelijk waar je kunt melden, ook anoniem, en laat zien wat er met
meldingen gebeurt.""",
        supporters=("bewoner", "jeroen-hendriks", "gerrit-van-de-kamp", "buurman-hoevelaken", "gert-jan-boer",
                    "dirk-jan-mol", "politie-karin", "politie-stefan", "woningcorporatie-ellen", "gemeente-lisa",
                    "bas-vermeulen", "sjoerd-brink"),
        comments=(
            comment("politie-stefan", "Anoniem melden kan altijd bij Meld Misdaad Anoniem: 0800-7000. Dat nummer "
                    "mag veel vaker genoemd worden.",
                    comment("henk-van-dijk", "Dan wil ik het op een sticker in elke portiek."),
                    comment("woningcorporatie-ellen", "Dat regelt de woningcorporatie in onze flats.")),
        ),
        decision=DemoDecision("wijkagent-dennis", "adopted", days_ago=135, answer="""\
Aangenomen. Politie, gemeente en woningcorporatie beginnen een campagne over melden, en we laten elk kwartaal
zien wat de meldingen hebben opgeleverd."""),
    ),
    DemoIdea(
        key="groepsdruk", thinktank="aanbod", author="jongerenwerk-kevin", days_ago=100,
        title="Groepsdruk omdraaien", tags=("jongeren", "school"),
        body="""\
Jongeren gebruiken vaak omdat hun vrienden het doen. Laten we dat omdraaien: jongeren die stevig in hun schoenen
staan, in een groep waarin ‘nee’ gewoon is. Met weerbaarheidstrainingen op school en in het jongerenwerk, samen
met jongeren die de groep kennen.""",
        supporters=("lotte-19", "mehmet-yilmaz", "halt-nadia", "halt-pieter", "school-jan-willem", "koen-dekker",
                    "sjoerd-brink"),
        comments=(
            comment("halt-nadia", "Halt heeft een weerbaarheidstraining die we hier kunnen geven."),
            comment("lotte-19", "Als het maar geen les wordt waar iedereen om lacht. Laat jongeren meedenken.",
                    comment("jongerenwerk-kevin", "Zeker. Denk je mee, Lotte?")),
        ),
        decision=DemoDecision("horeca-erik", "adopted", days_ago=80, answer="""\
Aangenomen. Halt en het jongerenwerk maken de training samen met jongeren; de scholen maken ruimte in het
lesrooster."""),
    ),
    DemoIdea(
        key="horeca", thinktank="aanbod", author="gert-jan-boer", days_ago=175,
        title="Afspraken met de horeca over drugs in de zaak", tags=("horeca",),
        body="In sommige kroegen gaan drugs van hand tot hand op de wc. Maak met de horeca afspraken: wat doet het "
             "personeel als het iets ziet, en hoe helpen politie en gemeente daarbij?",
        supporters=("bewoner", "jeroen-hendriks", "politie-stefan", "gemeente-lisa", "dirk-jan-mol"),
        comments=(
            comment("horeca-erik", "Als café-eigenaar: wij willen dit ook, maar we willen niet meteen onze "
                    "vergunning kwijt als we zelf iets melden.",
                    comment("gemeente-lisa", "Dat nemen we op in het convenant: wie zelf meldt en meewerkt, wordt "
                            "daar niet op afgerekend.")),
        ),
        decision=DemoDecision("wijkagent-dennis", "adopted", days_ago=160, answer="""\
Aangenomen. Gemeente, politie en horeca sluiten een convenant Veilig Uitgaan."""),
    ),
    DemoIdea(
        key="namen-noemen", thinktank="aanbod", author="bas-vermeulen", days_ago=45,
        title="Iedereen weet wie er bij het station dealt", tags=("buurt",),
        body="Die jongen met de zwarte scooter, van de hoek bij de snackbar. Zet zijn naam en adres hier neer, dan "
             "weet iedereen het en is het snel afgelopen.",
        comments=(
            comment("jeroen-hendriks", "Dit lijkt me geen goed idee. Je weet niet eens zeker of het klopt."),
        ),
        moderation=DemoModeration(
            reporter="jeroen-hendriks", reason="Hier wordt iemand met naam en adres aan de schandpaal genageld.",
            chair="wijkagent-dennis",
            note="Verborgen omdat het bericht naar een herkenbaar persoon verwijst. Wie iets ziet, kan het melden "
                 "bij de wijkagent of anoniem bij Meld Misdaad Anoniem (0800-7000)."),
    ),
    DemoIdea(
        key="hennepteelt", thinktank="aanbod", author="woningcorporatie-ellen", days_ago=70,
        title="Hennepkwekerijen in huurwoningen herkennen", tags=("buurt", "politie"),
        body="In deze regio worden steeds meer hennepkwekerijen en drugslaboratoria gevonden, ook in gewone "
             "huurwoningen. Buren en huismeesters kunnen de signalen leren herkennen: een vreemde lucht, altijd "
             "dichte gordijnen, warmte, veel stroom.",
        supporters=("politie-stefan", "henk-van-dijk", "buurman-hoevelaken", "gerrit-van-de-kamp"),
        decision=DemoDecision("wijkagent-dennis", "existing", days_ago=50, answer="""\
Dit gebeurt al: politie, netbeheerder en woningcorporaties werken samen tegen hennepteelt, en huismeesters krijgen
een training. We zetten de signalen op deze site."""),
    ),
    DemoIdea(
        key="politie-bij-station", thinktank="aanbod", author="dirk-jan-mol", days_ago=65,
        title="Elke avond politie bij het station", tags=("politie",),
        body="Zet elke avond agenten bij het station. Dan is het snel afgelopen met het dealen.",
        supporters=("buurman-hoevelaken", "gerrit-van-de-kamp"),
        comments=(
            comment("politie-karin", "We begrijpen de vraag. We lopen er vaker langs, maar elke avond lukt niet."),
        ),
        decision=DemoDecision("wijkagent-dennis", "rejected", days_ago=40, answer="""\
Dank voor je idee; we begrijpen dat je je zorgen maakt over de buurt van het station. Elke avond agenten bij het
station kan de politie niet volhouden, en dealers wijken dan uit naar een andere plek. De komende jaren richt de
politie zich op de zwaardere drugscriminaliteit; de wijkagent loopt wel vaker langs.

Wat je ziet, helpt ons gericht op te treden: meld het bij de wijkagent of anoniem via 0800-7000."""),
    ),
    DemoIdea(
        key="buurtapps", thinktank="aanbod", author="buurman-hoevelaken", days_ago=4,
        title="Buurtapps koppelen aan de wijkagent", tags=("buurt", "politie"),
        body="In Hoevelaken hebben we een buurtpreventiegroep in de app. Het zou helpen als de wijkagent weet welke "
             "groepen er zijn, en af en toe laat weten wat er met onze tips is gedaan.",
        supporters=("henk-van-dijk", "gerrit-van-de-kamp", "bewoner"),
    ),
)


# --- actions ---------------------------------------------------------------------------------------------------
# What the chairs made of the adopted ideas. Dates are days from the day the demo is loaded (negative: before), so
# the mix of done, running, planned, delayed and overdue work stays the same whenever it is loaded.

@dataclass(frozen=True)
class DemoMilestone:
    title: str
    due: int  # days from the day of loading
    done: bool = False


@dataclass(frozen=True)
class DemoUpdate:
    author: str  # handle of the owner or a chair
    days_ago: int
    body: str
    progress: int | None = None  # ignored where the action has milestones (they set its progress)
    status: str | None = None  # None: unchanged


@dataclass(frozen=True)
class DemoAction:
    ideas: tuple[str, ...]  # keys of adopted ideas of one think tank
    by: str  # the chair who creates it
    owner: str
    organisation: str
    start: int  # days from the day of loading
    due: int
    title: str
    description: str = ""
    public: bool = True
    indicators: tuple[str, ...] = ()  # names of DemoIndicators
    milestones: tuple[DemoMilestone, ...] = ()
    updates: tuple[DemoUpdate, ...] = ()  # oldest first; the last status given is the action's status


HELPED = "Inwoners geholpen door de gebiedsteams"
ARRESTS = "Aanhoudingen voor drugshandel"
REACHED = "Jongeren bereikt met voorlichting"

ACTIONS: tuple[DemoAction, ...] = (
    # Done
    DemoAction(
        ideas=("voorlichting",), by="marloes-jansen", owner="school-hanneke", organisation="Voortgezet onderwijs",
        start=-150, due=-20, indicators=(REACHED,),
        title="Voorlichting in alle tweede klassen, met de lessen van het Trimbos-instituut",
        description="Een preventiewerker van Tactus en de mentor geven samen drie lessen over alcohol en drugs in "
                    "elke tweede klas van de vier scholen voor voortgezet onderwijs.",
        updates=(
            DemoUpdate("school-hanneke", 120, "Convenant getekend met Tactus en ‘Stop Drugs Nijkerk’. Alle vier "
                       "de scholen doen mee.", progress=20, status="in_progress"),
            DemoUpdate("school-hanneke", 60, "De lessen zijn gegeven in 14 van de 22 tweede klassen. Leerlingen "
                       "vroegen vooral wat drugs met je hersenen doen.", progress=60),
            DemoUpdate("school-hanneke", 22, "Alle tweede klassen hebben de lessen gehad: 540 leerlingen. De "
                       "evaluatie met leerlingen en mentoren staat in het verslag.", progress=100, status="done"),
        ),
    ),
    DemoAction(
        ideas=("hulp-via-internet",), by="voorzitter", owner="tactus-maarten", organisation="Tactus",
        start=-140, due=-60, title="Overzicht van betrouwbare hulp via internet",
        updates=(
            DemoUpdate("tactus-maarten", 110, "Twaalf sites en chats bekeken, samen met drie ouders.", progress=50,
                       status="in_progress"),
            DemoUpdate("tactus-maarten", 65, "Het overzicht staat op de site: de Drugs Infolijn, de chat van "
                       "Tactus en twee forums voor ouders.", progress=100, status="done"),
        ),
    ),
    DemoAction(
        ideas=("horeca",), by="wijkagent-dennis", owner="gemeente-lisa", organisation="Gemeente Nijkerk",
        start=-160, due=-40, title="Convenant Veilig Uitgaan met de horeca",
        updates=(
            DemoUpdate("gemeente-lisa", 120, "Eerste overleg met acht horecaondernemers en de politie.",
                       progress=30, status="in_progress"),
            DemoUpdate("gemeente-lisa", 45, "Elf zaken hebben het convenant getekend. Het personeel krijgt een "
                       "training: drugs herkennen, en wat je dan doet.", progress=100, status="done"),
        ),
    ),

    # In progress, with milestones
    DemoAction(
        ideas=("vrije-tijd",), by="voorzitter", owner="jongerenwerk-kevin", organisation="Jongerenwerk",
        start=-100, due=80, title="Vrijdagavond voor jongeren in het dorpshuis van Nijkerkerveen",
        milestones=(
            DemoMilestone("Ruimte in het dorpshuis geregeld", -80, done=True),
            DemoMilestone("Huisregels samen met jongeren opgesteld", -60, done=True),
            DemoMilestone("Proef met tien vrijdagavonden", 20),
            DemoMilestone("Evaluatie en besluit over een vaste plek", 75),
        ),
        updates=(
            DemoUpdate("jongerenwerk-kevin", 85, "De bovenzaal van het dorpshuis is op vrijdagavond van ons. De "
                       "jongeren kiezen zelf de naam.", status="in_progress"),
            DemoUpdate("jongerenwerk-kevin", 30, "Vijfde vrijdagavond: gemiddeld 35 jongeren. Buren merken dat het "
                       "rustiger is bij de supermarkt."),
        ),
    ),
    DemoAction(
        ideas=("ouders-informeren",), by="ervaringsdeskundige-moeder", owner="gebiedsteam-miriam",
        organisation="Gemeente Nijkerk", start=-90, due=40,
        title="Informatiepakket en ouderspreekuur voor ouders en familie",
        milestones=(
            DemoMilestone("Informatiepakket geschreven, met ouders", -50, done=True),
            DemoMilestone("Pakket verspreid via huisartsen, scholen, kerken en moskeeën", -10, done=True),
            DemoMilestone("Elke week een ouderspreekuur in het gemeentehuis", 40),
        ),
        updates=(
            DemoUpdate("gebiedsteam-miriam", 50, "Het pakket is klaar; drie ouders hebben meegelezen.",
                       status="in_progress"),
            DemoUpdate("gebiedsteam-miriam", 8, "Verspreid via twaalf huisartsen, vier scholen en zes kerken en "
                       "moskeeën."),
        ),
    ),
    DemoAction(
        ideas=("terugval",), by="ervaringsdeskundige-moeder", owner="tactus-hugo", organisation="Tactus",
        start=-80, due=60, title="Nazorggroep in Nijkerk na een behandeling",
        milestones=(
            DemoMilestone("Ruimte gevonden", -55, done=True),
            DemoMilestone("Begeleiders en een ervaringsdeskundige gevonden", -20, done=True),
            DemoMilestone("Eerste bijeenkomst", 5),
            DemoMilestone("Afspraken met het gebiedsteam over werk, school en schulden", 50),
        ),
        updates=(
            DemoUpdate("tactus-hugo", 55, "Een kerk in het centrum stelt doordeweeks een zaal beschikbaar.",
                       status="in_progress"),
        ),
    ),
    DemoAction(
        ideas=("meldingsbereidheid",), by="wijkagent-dennis", owner="politie-karin", organisation="Politie",
        start=-120, due=45, indicators=(ARRESTS,), title="Campagne ‘Zie je iets? Meld het.’",
        milestones=(
            DemoMilestone("Stickers met 0800-7000 in alle portieken", -70, done=True),
            DemoMilestone("Buurtavonden in Nijkerk, Nijkerkerveen en Hoevelaken", -15, done=True),
            DemoMilestone("Eerste kwartaalbericht: wat meldingen opleverden", 10),
            DemoMilestone("Evaluatie met buurtbewoners", 45),
        ),
        updates=(
            DemoUpdate("politie-karin", 70, "Stickers hangen in 140 portieken, dankzij de woningcorporatie.",
                       status="in_progress"),
            DemoUpdate("politie-karin", 14, "Drie buurtavonden met ruim 120 bewoners. Veel vragen over anoniem "
                       "melden."),
        ),
    ),

    # In progress
    DemoAction(
        ideas=("eerste-gesprek",), by="tactus-ingrid", owner="gebiedsteam-ruud", organisation="Gemeente Nijkerk",
        start=-110, due=120, indicators=(HELPED,),
        title="Binnen twee weken een eerste gesprek bij het gebiedsteam of Tactus",
        updates=(
            DemoUpdate("gebiedsteam-ruud", 90, "Afspraak met Tactus: elke week een vast uur voor eerste gesprekken "
                       "in het gebiedsteam.", progress=25, status="in_progress"),
            DemoUpdate("gebiedsteam-ruud", 15, "Het afgelopen kwartaal had 82% binnen twee weken een eerste "
                       "gesprek.", progress=50),
        ),
    ),
    DemoAction(
        ideas=("casusoverleg",), by="gebiedsteam-ruud", owner="gemeente-arjen", organisation="Gemeente Nijkerk",
        start=-100, due=90, public=False, indicators=(HELPED,),
        title="Maandelijks casusoverleg over jongeren in beeld",
        description="Intern: in het overleg worden personen besproken. Alleen de deelnemers en de denktank zien "
                    "de voortgang.",
        updates=(
            DemoUpdate("gemeente-arjen", 70, "Privacyconvenant getekend door politie, Tactus, gebiedsteam, "
                       "jeugdbescherming en twee huisartsenpraktijken.", progress=40, status="in_progress"),
            DemoUpdate("gemeente-arjen", 20, "Derde overleg gehouden: zeven jongeren besproken, vier van hen "
                       "hebben nu hulp.", progress=60),
        ),
    ),

    # Delayed
    DemoAction(
        ideas=("vrijplaats",), by="voorzitter", owner="jongerenwerk-rob", organisation="Jongerenwerk",
        start=-100, due=30, title="Vrijplaats: een wekelijkse inloop voor jongeren",
        updates=(
            DemoUpdate("jongerenwerk-rob", 80, "Eerste gesprekken met jongeren en een ervaringsdeskundige over hoe "
                       "de inloop eruit moet zien.", progress=20, status="in_progress"),
            DemoUpdate("jongerenwerk-rob", 25, "Vertraagd: de ruimte die we op het oog hadden, valt af. We zoeken "
                       "een plek die niet bij de politie of het gemeentehuis is, want dat schrikt af.",
                       progress=30, status="delayed"),
        ),
    ),

    # Overdue
    DemoAction(
        ideas=("outreachend",), by="voorzitter", owner="voorzitter", organisation="Jongerenwerk",
        start=-120, due=-10, indicators=(HELPED,),
        title="Vaste avonden jongerenwerk op straat in Corlaer, het Paasbos en bij het station",
        updates=(
            DemoUpdate("voorzitter", 100, "Begonnen met twee avonden per week in Corlaer.", progress=30,
                       status="in_progress"),
            DemoUpdate("voorzitter", 40, "Het Paasbos is erbij. Het station volgt zodra er een derde "
                       "jongerenwerker is; de vacature staat open.", progress=55),
        ),
    ),
    DemoAction(
        ideas=("groepsdruk",), by="horeca-erik", owner="halt-nadia", organisation="Halt",
        start=-40, due=-4, title="Weerbaarheidstraining ‘Groepsdruk omdraaien’",
        updates=(
            DemoUpdate("halt-nadia", 30, "De training is klaar, samen met vijf jongeren gemaakt. We wachten op "
                       "data van de scholen."),
        ),
    ),

    # Planned
    DemoAction(
        ideas=("ouderavonden",), by="voorzitter", owner="tactus-femke", organisation="Tactus",
        start=10, due=100, title="Ouderavonden over drugs in de brugklassen",
        updates=(
            DemoUpdate("tactus-femke", 5, "De eerste avonden zijn gepland met het Arkemheen College; de "
                       "uitnodigingen gaan mee met de nieuwsbrief."),
        ),
    ),
    DemoAction(
        ideas=("hulp-na-aanhouding",), by="tactus-ingrid", owner="tactus-ingrid", organisation="Tactus",
        start=20, due=150, title="Hulpaanbod binnen een week na een aanhouding",
    ),
)


# --- indicators ------------------------------------------------------------------------------------------------

SCHOOL_YEAR_END = (7, 15)  # month, day: measurements per school year are dated at its end
SCHOOL_YEAR_NOTE = "Schooljaar {}–{}"

@dataclass(frozen=True)
class DemoIndicator:
    name: str
    unit: str
    source: str
    description: str
    by: str  # an admin for the whole plan, a chair for a think tank
    thinktank: str | None = None  # None: the whole plan
    direction: str = "up"
    baseline: tuple[float, str] | None = None  # value, ISO date
    target: tuple[float, str] | None = None
    measurements: tuple[tuple[str, float, str], ...] = ()  # ISO date, value, note
    per_school_year: tuple[float, ...] = ()  # values of the last school years before loading, oldest first
    school_year_target: float | None = None  # target for the end of the school year after the current one


INDICATORS: tuple[DemoIndicator, ...] = (
    DemoIndicator(
        name=HELPED, unit="inwoners", source="Gebiedsteams Nijkerk", by="admin",
        description="Inwoners die in een jaar door de gebiedsteams zijn geholpen met vragen over drugs of "
                    "alcohol. In 2018 waren het er ruim 150: Nijkerkers stappen gemakkelijker naar de "
                    "gebiedsteams.",
        baseline=(150, "2018-12-31"), target=(200, "2027-12-31"),
        measurements=(("2019-12-31", 161, ""), ("2020-12-31", 158, "Minder aanmeldingen door de coronamaatregelen."),
                      ("2021-12-31", 169, ""), ("2022-12-31", 176, ""), ("2023-12-31", 184, ""),
                      ("2024-12-31", 191, "")),
    ),
    DemoIndicator(
        name=ARRESTS, unit="aanhoudingen", source="Politie Midden-Nederland", by="admin",
        description="Aanhoudingen voor drugshandel in de gemeente Nijkerk, per jaar. In 2017 en 2018 waren het er "
                    "ruim twee keer zoveel als in de jaren ervoor: de politie krijgt meer zicht op de handel, ook "
                    "doordat meer mensen melden. De komende jaren richt de politie zich op de zwaardere "
                    "drugscriminaliteit.",
        baseline=(20, "2016-12-31"),
        measurements=(("2017-12-31", 42, ""), ("2018-12-31", 45, "")),
    ),
    DemoIndicator(
        name=REACHED, unit="leerlingen", source="Voortgezet onderwijs Nijkerk en Tactus", by="voorzitter",
        thinktank="preventie",
        description="Leerlingen van het voortgezet onderwijs in Nijkerk en Hoevelaken die in een schooljaar "
                    "voorlichting over alcohol en drugs kregen.",
        per_school_year=(610, 780, 905, 1040), school_year_target=1200,
    ),
)


# --- meetings -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DemoAgendaItem:
    title: str
    minutes: int
    description: str = ""
    ideas: tuple[str, ...] = ()  # keys of ideas of the meeting's think tank (for a plenary: of any)


@dataclass(frozen=True)
class DemoMeeting:
    title: str  # with the think tank, how loading again finds the meeting
    thinktank: str | None  # slug; None for a plenary of all think tanks
    by: str  # handle of the chair (or admin) who plans it
    days: int  # from the day of loading: positive ahead, negative in the past
    start: tuple[int, int]  # local time: hour, minute
    hours: float
    location: str
    description: str
    agenda: tuple[DemoAgendaItem, ...]
    registrations: tuple[str, ...] = ()  # handles, in the order they registered
    capacity: int | None = None
    public: bool = True
    online_url: str = ""
    minutes: str | None = None  # a past meeting's published minutes


HET_GROTE_HUIS = "Het Grote Huis, Van Reenenpark 4, Nijkerk"

MEETINGS: tuple[DemoMeeting, ...] = (
    DemoMeeting(
        title="Denktankavond Preventie: van idee naar actie", thinktank="preventie", by="voorzitter", days=5,
        start=(19, 30), hours=2, location=HET_GROTE_HUIS, capacity=40,
        description="""\
We kiezen met elkaar welke ideeën we dit voorjaar uitwerken. Neem je telefoon mee: je stemt mee en zet ter
plekke nieuwe ideeën op het bord. Koffie en thee staan vanaf 19.15 uur klaar.
""",
        agenda=(
            DemoAgendaItem("Welkom en terugblik", 10, "Wat is er sinds de vorige avond gebeurd?"),
            DemoAgendaItem("Vrije tijd voor jongeren", 35, "Welke plek, en wie doet wat?",
                           ideas=("vrije-tijd", "sportclubs")),
            DemoAgendaItem("Voorlichting op school en thuis", 35,
                           "We verdelen met stippen welke aanpak voorrang krijgt.",
                           ideas=("voorlichting", "ouderavonden", "ervaringsdeskundigen-in-de-klas")),
            DemoAgendaItem("Nieuwe ideeën en rondvraag", 20, ideas=("anoniem-vragen",)),
        ),
        registrations=("bewoner", "vader-nijkerkerveen", "oud-gebruiker-tim", "ouder-brugklasser",
                       "fatima-el-amrani", "mehmet-yilmaz", "anouk-van-den-berg", "jasper-17"),
    ),
    DemoMeeting(
        title="Ouderavond Nazorg", thinktank="nazorg", by="ervaringsdeskundige-moeder", days=9, start=(20, 0),
        hours=1.5, location="Buurthuis De Wittenburg, Hoevelaken", capacity=12, public=False,
        description="""\
Een besloten avond voor ouders, familie en vrienden. Wat hier gezegd wordt, blijft hier. Er zijn twaalf plaatsen;
is de avond vol, dan kom je op de wachtlijst.
""",
        agenda=(
            DemoAgendaItem("Voorstelronde", 15),
            DemoAgendaItem("Een oudergroep: hoe beginnen we?", 45, ideas=("oudergroep", "ouders-informeren")),
            DemoAgendaItem("Terugval voorkomen", 30, ideas=("terugval",)),
        ),
        registrations=("moeder-hoevelaken", "oma-paasbos", "linda-de-groot", "wendy-kok", "annemiek-brouwer"),
    ),
    DemoMeeting(
        title="Denktank Behandeling: korte lijnen", thinktank="behandeling", by="tactus-ingrid", days=12,
        start=(16, 0), hours=1.5, location="Gemeentehuis Nijkerk, Kolkstraat 13",
        online_url="https://meet.example.org/samen-behandeling",
        description="Huisarts, gebiedsteam, Tactus en ervaringsdeskundigen aan één tafel. Ook online te volgen.",
        agenda=(
            DemoAgendaItem("Het eerste gesprek", 30, ideas=("eerste-gesprek",)),
            DemoAgendaItem("Casusoverleg en hulp na een aanhouding", 45,
                           ideas=("casusoverleg", "hulp-na-aanhouding")),
            DemoAgendaItem("Afspraken", 15),
        ),
        registrations=("petra-schouten", "rik-van-leeuwen", "noor-hamdi", "student-milan"),
    ),
    DemoMeeting(
        title="Denktank Aanbod: melden en zien", thinktank="aanbod", by="wijkagent-dennis", days=16,
        start=(19, 30), hours=2, location="Kantine VV Nijkerk, Watergoorweg 72", capacity=30,
        description="Hoe maken we melden makkelijker, en wat doen we met wat we horen?",
        agenda=(
            DemoAgendaItem("Meldingsbereidheid", 40, ideas=("meldingsbereidheid", "buurtapps")),
            DemoAgendaItem("Horeca en het station", 40, ideas=("horeca", "politie-bij-station")),
            DemoAgendaItem("Rondvraag", 10),
        ),
        registrations=("bewoner", "henk-van-dijk", "jeroen-hendriks", "gerrit-van-de-kamp"),
    ),
    DemoMeeting(
        title="Plenaire bijeenkomst Samen sterk tegen drugs", thinktank=None, by="admin", days=21, start=(19, 30),
        hours=2.5, location=HET_GROTE_HUIS, capacity=120,
        description="""\
Alle denktanks samen, zoals op 2 juli: elke denktank laat zien wat er loopt, en we kiezen samen waar we het
komende half jaar op inzetten. Iedereen is welkom.
""",
        agenda=(
            DemoAgendaItem("Opening door de burgemeester", 10),
            DemoAgendaItem("De denktanks vertellen", 60, "Per denktank een kwartier: wat loopt er, wat is klaar?"),
            DemoAgendaItem("Samen kiezen", 50, "Stippen verdelen over de ideeën van alle denktanks.",
                           ideas=("vrije-tijd", "vrijplaats", "eerste-gesprek", "meldingsbereidheid")),
            DemoAgendaItem("Afsluiting", 10),
        ),
        registrations=("bewoner", "marloes-jansen", "moeder-hoevelaken", "petra-schouten", "henk-van-dijk",
                       "bezorgde-vader", "zus-van-k"),
    ),
    DemoMeeting(
        title="Denktankavond Preventie: de eerste keuzes", thinktank="preventie", by="voorzitter", days=-35,
        start=(19, 30), hours=2, location=HET_GROTE_HUIS, capacity=40,
        description="De eerste avond van de denktank na de startbijeenkomst van 2 juli.",
        agenda=(
            DemoAgendaItem("Kennismaken", 15),
            DemoAgendaItem("Welke ideeën werken we uit?", 60, ideas=("vrije-tijd", "voorlichting")),
            DemoAgendaItem("Rondvraag", 15),
        ),
        registrations=("bewoner", "oud-gebruiker-tim", "ouder-brugklasser", "fatima-el-amrani", "lotte-19"),
        minutes="""\
**Aanwezig:** 23 deelnemers, onder wie ouders, jongeren, het jongerenwerk en twee scholen.

## Kennismaken

Iedereen vertelde in één zin waarom hij of zij meedoet. Vaak gehoord: *“Ik wil niet wachten tot het misgaat.”*

## Welke ideeën werken we uit?

- **Een plek voor jongeren in Nijkerkerveen** kreeg de meeste stippen (31). Besluit: het jongerenwerk zoekt
  samen met de jongeren een plek; Lotte en Jasper denken mee.
- **Voorlichting op alle middelbare scholen** (24 stippen). Besluit: de denktank maakt met de scholen en Tactus
  een plan voor het komende schooljaar.

## Rondvraag

Een ouder vroeg om een avond voor ouders van brugklassers. Die komt op de agenda van de volgende avond.
""",
    ),
)
