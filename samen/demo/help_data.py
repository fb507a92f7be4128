"""The demo's help pages: a help directory in the style of Nijkerk and Ommen, and ten questions and answers.

The emergency numbers (112, the police's 0900-8844, Meld Misdaad Anoniem's 0800-7000) come with the migration
that makes the help tables, so every site has them; the demo adds the organisations and the questions. Names and
numbers of national services are real; e-mail addresses on .example are made up.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoHelpEntry:
    key: str  # used by the questions to point to the entry
    name_nl: str
    name_en: str
    topics_nl: str
    topics_en: str
    phone: str = ""
    email: str = ""
    website: str = ""
    hours_nl: str = ""
    hours_en: str = ""
    languages: str = "Nederlands"
    thinktank: str | None = None  # slug of the think tank whose theme it belongs to


@dataclass(frozen=True)
class DemoQuestion:
    category: str
    question_nl: str
    question_en: str
    answer_nl: str
    answer_en: str
    entries: tuple[str, ...] = ()  # keys of the directory entries the answer points to


HELP_ENTRIES = (
    DemoHelpEntry(
        "gemeente", "Gemeente Nijkerk", "Municipality of Nijkerk",
        "Het algemene nummer van de gemeente. Zeg dat u een vraag hebt over drugs, zorg of schulden: u wordt "
        "doorverbonden met het gebiedsteam of met schuldhulpverlening.",
        "The municipality's general number. Say that your question is about drugs, care or debts: you will be "
        "put through to the community team or to debt counselling.",
        phone="14 033", website="https://www.nijkerk.eu",
        hours_nl="Maandag tot en met vrijdag, 8.30–17.00 uur", hours_en="Monday to Friday, 8.30am–5pm",
        languages="Nederlands, English"),
    DemoHelpEntry(
        "gebiedsteam", "Gebiedsteam Nijkerk", "Nijkerk community team",
        "Voor ouders, jongeren en volwassenen met vragen over opvoeden, drugs of alcohol, geldzorgen of problemen "
        "thuis. Gratis, zonder verwijzing. Een medewerker denkt met u mee en zoekt zo nodig samen met u verdere "
        "hulp.",
        "For parents, young people and adults with questions about parenting, drugs or alcohol, money worries or "
        "problems at home. Free, no referral needed. A worker thinks along with you and, if needed, finds further "
        "help together with you.",
        phone="14 033", email="gebiedsteam@nijkerk.example", website="https://www.nijkerk.eu",
        hours_nl="Maandag tot en met vrijdag, 8.30–17.00 uur; inloop op woensdagmiddag",
        hours_en="Monday to Friday, 8.30am–5pm; drop-in on Wednesday afternoons",
        languages="Nederlands, English, Türkçe", thinktank="nazorg"),
    DemoHelpEntry(
        "verslavingszorg", "Tactus Verslavingszorg", "Tactus addiction care",
        "Advies en behandeling bij problemen met alcohol, drugs, gokken of gamen, voor jongeren en volwassenen, en "
        "steun voor ouders en naasten. Voor een behandeling is een verwijzing van de huisarts nodig; voor advies "
        "niet.",
        "Advice and treatment for problems with alcohol, drugs, gambling or gaming, for young people and adults, "
        "and support for parents and relatives. Treatment needs a referral from your GP; advice does not.",
        website="https://www.tactus.nl", hours_nl="Maandag tot en met vrijdag, kantooruren",
        hours_en="Monday to Friday, office hours", languages="Nederlands, English", thinktank="behandeling"),
    DemoHelpEntry(
        "jongerenwerk", "Jongerenwerk Nijkerk", "Nijkerk youth work",
        "Jongerenwerkers zijn er voor jongeren van 12 tot 23 jaar: om te praten, mee te denken of gewoon langs te "
        "komen. Ze zijn ook op straat en op school te vinden. Wat je vertelt, blijft tussen jou en de "
        "jongerenwerker, tenzij er direct gevaar is.",
        "Youth workers are there for young people aged 12 to 23: to talk, to think along or just to drop by. "
        "You also find them on the street and at school. What you tell stays between you and the youth worker, "
        "unless someone is in immediate danger.",
        email="jongerenwerk@nijkerk.example",
        hours_nl="Jongerencentrum open dinsdag tot en met zaterdag, 14.00–22.00 uur",
        hours_en="Youth centre open Tuesday to Saturday, 2pm–10pm", languages="Nederlands, English",
        thinktank="preventie"),
    DemoHelpEntry(
        "ggd", "GGD – jeugdgezondheidszorg", "Municipal health service (GGD) – youth health care",
        "De jeugdarts en jeugdverpleegkundige van de GGD zien alle kinderen op school en beantwoorden vragen over "
        "opgroeien, ook over alcohol, drugs en roken. U kunt zelf een afspraak vragen, via de school of via de "
        "gemeente.",
        "The GGD's youth doctor and youth nurse see all children at school and answer questions about growing "
        "up, including alcohol, drugs and smoking. You can ask for an appointment yourself, through the school "
        "or through the municipality.",
        hours_nl="Via de school of via 14 033", hours_en="Through the school or on 14 033",
        thinktank="preventie"),
    DemoHelpEntry(
        "infolijn", "Alcohol- en Drugs Infolijn (Trimbos-instituut)",
        "Alcohol and Drugs Information Line (Trimbos Institute)",
        "Anoniem vragen stellen over drugs en alcohol: over de middelen, de risico's, en hoe u met uw kind in "
        "gesprek gaat. Op de website staan ook tips voor ouders.",
        "Ask questions about drugs and alcohol anonymously: about the substances, the risks, and how to talk to "
        "your child. The website also has tips for parents.",
        phone="0900-1995", website="https://www.drugsinfo.nl",
        hours_nl="Werkdagen, 9.00–17.00 uur (lokaal tarief)", hours_en="Weekdays, 9am–5pm (local rate)",
        thinktank="preventie"),
    DemoHelpEntry(
        "kindertelefoon", "De Kindertelefoon", "De Kindertelefoon (children's helpline)",
        "Voor kinderen en jongeren tot 18 jaar: bellen of chatten over alles wat je dwarszit. Gratis en anoniem.",
        "For children and young people up to 18: call or chat about anything that bothers you. Free and "
        "anonymous.",
        phone="0800-0432", website="https://www.kindertelefoon.nl",
        hours_nl="Elke dag, 11.00–21.00 uur", hours_en="Every day, 11am–9pm"),
)

QUESTIONS = (
    DemoQuestion(
        "parents",
        "Hoe herken ik drugsgebruik bij mijn kind?",
        "How can I tell whether my child is using drugs?",
        """Er is geen enkel teken dat zeker maakt dat uw kind drugs gebruikt: veel veranderingen horen ook bij de
puberteit. Let vooral op **veranderingen die samen voorkomen en blijven**, zoals:

- anders slapen (overdag slapen, 's nachts weg) en minder eten, of juist veel;
- andere vrienden, of oude vrienden die niet meer langskomen;
- slechtere schoolresultaten, spijbelen, stoppen met sport of een hobby;
- geldgebrek, geld dat uit huis verdwijnt, of juist geld of dure spullen waarvan u niet weet waar ze vandaan
  komen;
- geheimzinnigheid over de telefoon, waar uw kind is en met wie;
- rode ogen, een wietlucht, zakjes, vloeitjes of andere spullen die u niet kent.

Ziet u zulke signalen, ga dan niet meteen uit van het ergste, maar **praat erover** (zie ook *Hoe begin ik het
gesprek met mijn kind over drugs?*). Twijfelt u, bel dan het gebiedsteam: u hoeft het niet alleen uit te
zoeken. Bijna alle ouders van wie een kind in de problemen kwam, dachten eerst: "mijn kind doet dat niet".""",
        """No single sign proves that your child uses drugs: many changes are also part of puberty. Look above all for
**changes that come together and last**, such as:

- sleeping differently (sleeping in the daytime, out at night) and eating less, or a lot more;
- new friends, or old friends who no longer come round;
- worse results at school, skipping school, giving up a sport or a hobby;
- short of money, money disappearing at home, or money or expensive things you cannot account for;
- secrecy about their phone, where they are and who with;
- red eyes, a smell of cannabis, small bags, rolling papers or other things you do not recognise.

If you see such signs, do not assume the worst straight away, but **talk about it** (see also *How do I start a
conversation with my child about drugs?*). If you are unsure, call the community team: you do not have to work
it out on your own. Almost every parent whose child got into trouble first thought: "my child doesn't do that".""",
        ("gebiedsteam", "infolijn", "ggd")),
    DemoQuestion(
        "parents",
        "Hoe begin ik het gesprek met mijn kind over drugs?",
        "How do I start a conversation with my child about drugs?",
        """- **Kies een rustig moment**, niet midden in een ruzie of als uw kind net thuiskomt. In de auto of tijdens
  het koken praat het vaak makkelijker dan tegenover elkaar aan tafel.
- **Begin bij uzelf**: "Ik maak me zorgen, omdat ik zie dat je slecht slaapt en weinig thuis bent." Dat werkt
  beter dan een beschuldiging.
- **Stel open vragen** en luister: "Hoe is dat bij jou in de groep?" "Wat vind jij ervan?" U hoeft niet alles
  te weten over drugs; u mag zeggen dat u het niet weet.
- **Zeg wat u verwacht** en wat uw grenzen zijn, en waarom. Kinderen van ouders met duidelijke regels gebruiken
  later en minder.
- **Blijf in gesprek**, ook als het de eerste keer niet lukt. Eén gesprek is zelden genoeg.

Wilt u het gesprek voorbereiden, bel dan anoniem de Alcohol- en Drugs Infolijn of praat met het gebiedsteam.""",
        """- **Choose a calm moment**, not in the middle of an argument or just as your child comes home. In the car or
  while cooking, talking is often easier than face to face at the table.
- **Start with yourself**: "I'm worried, because I see you sleep badly and are hardly home." That works better
  than an accusation.
- **Ask open questions** and listen: "What is it like in your group?" "What do you think of it?" You do not need
  to know everything about drugs; you may say that you don't know.
- **Say what you expect** and where your limits are, and why. Children whose parents have clear rules start
  later and use less.
- **Keep talking**, even if it does not work the first time. One conversation is rarely enough.

If you would like to prepare the conversation, call the Alcohol and Drugs Information Line anonymously or talk to
the community team.""",
        ("infolijn", "gebiedsteam")),
    DemoQuestion(
        "parents",
        "Mijn kind heeft schulden bij een dealer: wat nu?",
        "My child owes money to a dealer: what now?",
        """Dit is een zware situatie, en u staat er niet alleen voor. Schulden bij een dealer leiden vaak tot druk
en bedreiging, soms tot de eis om drugs te bewaren of te verkopen om de schuld "af te werken".

1. **Is er direct gevaar** of wordt uw kind bedreigd? Bel **112**.
2. **Ga niet zelf verhaal halen** bij de dealer en betaal niet overhaast: betalen lost het lang niet altijd op,
   en soms volgen nieuwe eisen.
3. **Bel de politie op 0900-8844** voor advies. U kunt eerst vragen wat de mogelijkheden zijn, zonder meteen
   aangifte te doen. De politie kan meedenken over de veiligheid van uw kind.
4. **Neem contact op met het gebiedsteam.** Zij helpen met een plan voor de veiligheid, met geldzaken en met hulp
   bij het gebruik van uw kind.
5. Weet u wie de dealer is en wilt u dat anoniem doorgeven? Bel **Meld Misdaad Anoniem: 0800-7000**. Uw naam
   wordt niet gevraagd en niet doorgegeven.

Praat met uw kind zonder te veroordelen: de angst om als "verklikker" gezien te worden is vaak groot. Laat weten
dat u samen een uitweg zoekt.""",
        """This is a hard situation, and you are not alone in it. Debts to a dealer often lead to pressure and threats,
sometimes to the demand to hold or sell drugs to "work off" the debt.

1. **Is there immediate danger**, or is your child being threatened? Call **112**.
2. **Do not go and confront the dealer** yourself, and do not pay in a hurry: paying often does not end it, and
   sometimes new demands follow.
3. **Call the police on 0900-8844** for advice. You can first ask what the options are without reporting a crime
   straight away. The police can help think about your child's safety.
4. **Contact the community team.** They help with a plan for safety, with money matters and with help for your
   child's drug use.
5. Do you know who the dealer is and want to pass that on anonymously? Call **Meld Misdaad Anoniem (report crime
   anonymously): 0800-7000**. Your name is not asked for or passed on.

Talk with your child without judging: the fear of being seen as a "snitch" is often great. Let them know that you
will look for a way out together.""",
        ("gebiedsteam", "gemeente")),
    DemoQuestion(
        "parents",
        "Ik vond drugs of een prijslijst op de telefoon van mijn kind. Wat moet ik doen?",
        "I found drugs, or a price list on my child's phone. What should I do?",
        """Schrik is een normale reactie. Neem even de tijd voordat u uw kind aanspreekt, zodat het gesprek rustig
kan blijven.

- **Een kleine hoeveelheid voor eigen gebruik** is een reden om met uw kind te praten over gebruik (zie *Hoe
  begin ik het gesprek?*). Gooi drugs die u vindt weg, bijvoorbeeld door de wc.
- **Een prijslijst, veel geld of veel verpakte drugs** kunnen betekenen dat uw kind betrokken is bij verkoop.
  Jongeren die dealen worden vaak door ouderen gebruikt en zitten er dieper in dan ze zelf willen. Praat erover,
  en vraag ook of uw kind bang is of onder druk wordt gezet.
- Vraag **advies aan het gebiedsteam** of aan de **politie (0900-8844)**. Advies vragen is nog geen aangifte.

U hoeft dit niet alleen op te lossen. Het gebiedsteam en het jongerenwerk hebben vaker met zulke situaties te
maken en kunnen met u en uw kind meedenken.""",
        """Being shocked is a normal reaction. Take a moment before you speak to your child, so the conversation can
stay calm.

- **A small amount for their own use** is a reason to talk to your child about using (see *How do I start a
  conversation?*). Throw away drugs you find, for example down the toilet.
- **A price list, a lot of money or many packed drugs** can mean that your child is involved in selling. Young
  people who deal are often used by older people and are in deeper than they want to be. Talk about it, and also
  ask whether your child is afraid or under pressure.
- Ask **the community team** or **the police (0900-8844)** for advice. Asking for advice is not the same as
  reporting a crime.

You do not have to solve this on your own. The community team and the youth workers meet such situations more
often and can think along with you and your child.""",
        ("gebiedsteam", "jongerenwerk")),
    DemoQuestion(
        "parents",
        "Waar kan ik als ouder terecht met mijn zorgen?",
        "Where can I go as a parent with my worries?",
        """U kunt op veel plekken terecht, ook als u nog niet zeker weet of er iets aan de hand is:

- **Het gebiedsteam** (via 14 033): gratis, zonder verwijzing, voor alle vragen over opvoeden, drugs en zorgen
  thuis.
- **De Alcohol- en Drugs Infolijn** (0900-1995): anoniem informatie en advies.
- **De huisarts**: voor een verwijzing naar verslavingszorg, en voor uw eigen zorgen en slaapgebrek.
- **De GGD-jeugdverpleegkundige of de mentor op school**: zij kennen uw kind vaak al.
- **Andere ouders**: in de denktank *Nazorg / familie en vrienden* praten ouders met elkaar en met hulpverleners.
  Veel ouders zeggen dat het helpt om te horen dat ze niet de enigen zijn.

Hebt u liever eerst schriftelijk contact, zonder uw naam? Gebruik dan het vertrouwelijke hulpformulier op de
hulppagina.""",
        """There are many places you can go, even if you are not yet sure that something is wrong:

- **The community team** (through 14 033): free, no referral needed, for any question about parenting, drugs and
  worries at home.
- **The Alcohol and Drugs Information Line** (0900-1995): information and advice, anonymously.
- **Your GP**: for a referral to addiction care, and for your own worries and lack of sleep.
- **The GGD youth nurse or the mentor at school**: they often know your child already.
- **Other parents**: in the think tank *Nazorg / familie en vrienden* (aftercare, family and friends), parents
  talk with each other and with professionals. Many parents say it helps to hear they are not the only ones.

Would you rather write first, without giving your name? Use the confidential help form on the help page.""",
        ("gebiedsteam", "infolijn", "ggd", "verslavingszorg")),
    DemoQuestion(
        "parents",
        "Wat gebeurt er als ik het gebiedsteam bel?",
        "What happens when I call the community team?",
        """U belt het algemene nummer van de gemeente, **14 033**, en zegt dat u het gebiedsteam wilt spreken. Dan:

1. **Een medewerker luistert naar uw verhaal** en vraagt wat u zich afvraagt of wat u nodig hebt. U hoeft niets
   voor te bereiden en u beslist zelf wat u vertelt.
2. Vaak volgt **een afspraak**, bij u thuis, op het gemeentehuis of ergens anders waar u zich prettig voelt.
3. Samen kijkt u **wat er nodig is**: soms is een paar gesprekken genoeg, soms zoekt de medewerker met u
   verdere hulp, zoals verslavingszorg, schuldhulp of opvoedondersteuning.

De hulp is **gratis**. Medewerkers hebben een **beroepsgeheim**: wat u vertelt, blijft bij het gebiedsteam.
Alleen als iemand ernstig in gevaar is, kunnen zij anderen inschakelen, en dan bespreken ze dat in principe eerst
met u.""",
        """You call the municipality's general number, **14 033**, and say that you would like to speak to the community
team. Then:

1. **A worker listens to your story** and asks what you are wondering about or what you need. You do not need to
   prepare anything, and you decide what you tell.
2. Often **an appointment** follows, at your home, at the town hall or somewhere else where you feel at ease.
3. Together you look at **what is needed**: sometimes a few conversations are enough, sometimes the worker finds
   further help with you, such as addiction care, debt counselling or parenting support.

The help is **free**. Workers have a **duty of confidentiality**: what you tell stays with the community team.
Only when someone is in serious danger can they involve others, and in principle they discuss that with you
first.""",
        ("gebiedsteam", "gemeente")),
    DemoQuestion(
        "young_people",
        "Ik gebruik zelf en wil minderen of stoppen. Wie helpt mij?",
        "I use drugs myself and want to cut down or stop. Who can help me?",
        """Goed dat je dit wilt. Minderen of stoppen is makkelijker met hulp, en je hoeft niet eerst "verslaafd" te
zijn om hulp te vragen.

- **Praat met iemand die je vertrouwt**: een vriend, een ouder, de jongerenwerker of je mentor.
- **De jongerenwerker** kan met je meedenken, zonder dat je ouders of school het horen als jij dat niet wilt
  (behalve als er direct gevaar is).
- **Bij Tactus** kun je advies vragen en, via de huisarts, een behandeling krijgen. Vanaf 16 jaar beslis je zelf
  over een behandeling.
- Wil je eerst anoniem iets vragen? Bel de **Alcohol- en Drugs Infolijn (0900-1995)** of, als je jonger bent dan
  18, **De Kindertelefoon (0800-0432)**.

Lukt het een keer niet? Dat hoort erbij. Probeer het opnieuw, en zeg het tegen wie je helpt.""",
        """Good that you want this. Cutting down or stopping is easier with help, and you do not need to be "addicted"
before you ask for it.

- **Talk to someone you trust**: a friend, a parent, the youth worker or your mentor.
- **The youth worker** can think along with you, without your parents or school hearing about it if you do not
  want that (unless someone is in immediate danger).
- **At Tactus** you can ask for advice and, through your GP, get treatment. From 16 you decide about treatment
  yourself.
- Would you like to ask something anonymously first? Call the **Alcohol and Drugs Information Line (0900-1995)**
  or, if you are under 18, **De Kindertelefoon (0800-0432)**.

Did it not work once? That is part of it. Try again, and tell the person who is helping you.""",
        ("jongerenwerk", "verslavingszorg", "infolijn", "kindertelefoon")),
    DemoQuestion(
        "young_people",
        "Ik word onder druk gezet om drugs te bewaren of te verkopen. Wat kan ik doen?",
        "I'm being pressured to hold or sell drugs. What can I do?",
        """Als iemand je dwingt, bedreigt of "een schuld laat afwerken", dan ben **jij degene die wordt uitgebuit**.
Dat is niet jouw schuld, en er zijn mensen die je daaruit helpen.

- **Ben je nu in gevaar?** Bel **112**.
- **Vertel het aan iemand die je vertrouwt**: een ouder, de jongerenwerker, je mentor, of bel anoniem **De
  Kindertelefoon (0800-0432)**.
- **Wil je iets melden zonder dat iemand weet dat het van jou komt?** Bel **Meld Misdaad Anoniem (0800-7000)**
  of meld het op hun website. Je naam wordt niet gevraagd en niet doorgegeven.
- Ga niet in je eentje de confrontatie aan, en bewaar berichten of namen als dat veilig kan.

Bang om als "snitch" te worden gezien? Dat is heel begrijpelijk. Juist daarom kun je anoniem melden, en denken
het jongerenwerk en het gebiedsteam met je mee over je veiligheid.""",
        """If someone forces you, threatens you or makes you "work off a debt", then **you are the one being
exploited**. That is not your fault, and there are people who will help you get out of it.

- **Are you in danger right now?** Call **112**.
- **Tell someone you trust**: a parent, the youth worker, your mentor, or call **De Kindertelefoon (0800-0432)**
  anonymously.
- **Want to report something without anyone knowing it came from you?** Call **Meld Misdaad Anoniem (report
  crime anonymously, 0800-7000)** or report it on their website. Your name is not asked for or passed on.
- Do not confront anyone on your own, and keep messages or names if it is safe to do so.

Afraid of being seen as a "snitch"? That is very understandable. That is exactly why you can report anonymously,
and the youth workers and the community team will help you think about your safety.""",
        ("jongerenwerk", "kindertelefoon", "gebiedsteam")),
    DemoQuestion(
        "young_people",
        "Een vriend is onwel na drugsgebruik. Wat moet ik doen?",
        "A friend is unwell after using drugs. What should I do?",
        """- **Bel 112** als je vriend niet goed aanspreekbaar is, bewusteloos raakt, moeilijk ademt, krampen heeft, erg
  heet of verward is. Twijfel je? Bel toch.
- **Blijf bij je vriend** en laat hem of haar niet alleen slapen.
- Is je vriend bewusteloos maar ademt hij wel? Leg hem in de **stabiele zijligging**, zodat hij niet kan
  stikken in braaksel.
- Is je vriend oververhit, breng hem naar een koele plek en geef kleine slokjes water als hij bij bewustzijn is.
- **Vertel eerlijk wat en hoeveel er is gebruikt**, en wanneer. Dan kunnen ze sneller de goede hulp geven.

De ambulance komt om te helpen, niet om je te straffen. Ambulancepersoneel heeft een beroepsgeheim en waarschuwt
niet zomaar de politie omdat er drugs zijn gebruikt.""",
        """- **Call 112** if your friend does not respond properly, loses consciousness, has trouble breathing, has
  cramps, is very hot or confused. Not sure? Call anyway.
- **Stay with your friend** and do not let them sleep it off alone.
- Is your friend unconscious but breathing? Put them in the **recovery position**, so they cannot choke on vomit.
- If your friend is overheated, take them somewhere cool and give small sips of water if they are conscious.
- **Say honestly what was used, how much** and when. Then they can give the right help faster.

The ambulance comes to help, not to punish. Ambulance staff have a duty of confidentiality and do not simply
call the police because drugs were used.""",
        ("infolijn",)),
    DemoQuestion(
        "others",
        "Ik zie dat er in mijn buurt gedeald wordt. Hoe meld ik dat veilig?",
        "I see dealing in my neighbourhood. How can I report it safely?",
        """Uw melding helpt: de politie en de gemeente zien pas wat er speelt als mensen vertellen wat ze zien.

- **Gebeurt er iets dat gevaarlijk is, of nu?** Bel **112**.
- **Geen spoed?** Bel de politie op **0900-8844**. U kunt ook vragen of de wijkagent contact met u opneemt.
- **Liever anoniem?** Bel **Meld Misdaad Anoniem: 0800-7000**, of meld online. U wordt niet naar uw naam
  gevraagd, uw telefoonnummer wordt niet getoond, en de melding gaat zonder uw gegevens naar de politie.

Schrijf op wat u ziet: wanneer, waar, hoe mensen eruitzien, kentekens. Maar ga niet zelf op onderzoek uit, maak
geen foto's als dat opvalt, en spreek niemand aan. Uw eigen veiligheid gaat voor.""",
        """Your report helps: the police and the municipality only see what is going on when people tell what they see.

- **Is something dangerous happening, or happening now?** Call **112**.
- **Not urgent?** Call the police on **0900-8844**. You can also ask for the community police officer to contact
  you.
- **Rather stay anonymous?** Call **Meld Misdaad Anoniem (report crime anonymously): 0800-7000**, or report
  online. You are not asked for your name, your number is not shown, and the report goes to the police without
  your details.

Write down what you see: when, where, what people look like, number plates. But do not investigate yourself, do
not take photos if that would be noticed, and do not confront anyone. Your own safety comes first.""",
        ("gemeente",)),
)
