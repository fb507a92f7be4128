"""`flask bench seed`: a large, realistic data set for the benchmarks in bench/, written with bulk inserts.

Think tanks, members, ideas with Dutch-sounding titles and bodies (so that search has something to find),
supports skewed so that a few ideas are popular, and comments, with created_at spread over a year and a share
in the last weeks (for 'rising'). Rows get their ids here, so that one pass links them without reading back;
the counters are computed from the generated rows, so `support_count` and `comment_count` agree with them.

The bench rows are marked by their keys (think tanks `bench-…`, e-mail addresses `…@bench.samen.invalid`)
and can be replaced with --replace. Seed a database of its own: the benchmarks assume nothing else is in it.
"""
from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate, islice
from operator import itemgetter
from typing import Any, ClassVar

import click
from flask.cli import AppGroup
from sqlalchemy import Table, delete, func, select, text

from samen.accounts.models import User
from samen.actions.models import (ActionItem, Indicator, Measurement, Milestone, ProgressUpdate, action_ideas,
                                  action_indicators)
from samen.accounts.operations import TERMS_VERSION, hash_password
from samen.core.database import db, utcnow
from samen.core.markdown import markdown_to_text
from samen.ideas.models import EXCERPT_LENGTH, Comment, Idea, Support, Tag, idea_tags
from samen.thinktanks.models import Membership, ThinkTank

bench_cli = AppGroup("bench", help="Benchmark data.")

BENCH_PASSWORD = "samen-bench-2026"  # every bench member's password, for benchmarks that sign in
EMAIL_DOMAIN = "bench.samen.invalid"
SLUG_PREFIX = "bench-"
INDICATOR_PREFIX = "Bench: "  # the bench indicators' names start with this
BATCH = 5_000  # rows per executemany: large enough to be fast, small enough to keep memory flat

THINKTANK_THEMES = [
    ("preventie", "Preventie", "Voorkomen dat jongeren beginnen"),
    ("nazorg", "Nazorg", "Steun na behandeling en terugval"),
    ("behandeling", "Behandeling", "Hulp die aansluit bij jongeren"),
    ("aanbod", "Aanbod en handel", "Minder aanbod, minder dealers"),
    ("ouders", "Ouders en opvoeding", "Ouders sterker maken"),
    ("uitgaan", "Uitgaan en nachtleven", "Veilig uitgaan"),
    ("school", "School en onderwijs", "Voorlichting en signalering op school"),
    ("wijk", "Wijk en buurt", "Samen in de wijk"),
]
TAGS = ["ouders", "school", "sport", "uitgaan", "wijk", "online", "jongerenwerk", "politie", "zorg",
        "vrijwilligers", "cultuur", "werk"]

FIRST_NAMES = ["Anouk", "Bram", "Daan", "Emma", "Fleur", "Sem", "Julia", "Lucas", "Sanne", "Thijs", "Noor",
               "Jesse", "Lotte", "Ruben", "Eva", "Milan", "Iris", "Levi", "Femke", "Youssef", "Fatima",
               "Mohamed", "Sara", "Chloë", "Joël", "Zoë", "Noël", "Inge", "Kees", "Marieke", "Pieter",
               "Wouter", "Ayşe", "Mehmet"]
LAST_INITIALS = "ABCDEFGHIJKLMNOPRSTVWZ"
ORGANISATIONS = ["Jongerenwerk", "Politie", "Tactus", "GGD", "Gemeente", "Voortgezet onderwijs",
                 "Sportbedrijf"]

PLACES = ["het jongerencentrum", "de sporthal", "het park", "de bibliotheek", "het station", "de brugklas",
          "het buurthuis", "de skatebaan", "het winkelcentrum", "de voetbalclub", "het café", "de moskee",
          "de kerk", "de huisartsenpraktijk", "het zwembad", "de markt", "de haven", "het plein"]
GROUPS = ["jongeren", "ouders", "buurtbewoners", "leerlingen", "docenten", "jongerenwerkers", "sportcoaches",
          "ervaringsdeskundigen", "oud-gebruikers", "wijkagenten", "huisartsen", "vrijwilligers", "cliënten",
          "geïnteresseerde ouders", "jonge moeders", "studenten", "ondernemers", "portiers"]
THINGS = ["voorlichting", "een inloopavond", "een vertrouwenspersoon", "een app", "een spreekuur",
          "een buddyproject", "weerbaarheidstraining", "een sportavond", "een muziekstudio", "een moestuin",
          "een informatiemarkt", "een podcast", "een reünie", "een coördinator", "een wijkteam",
          "geïndiceerde preventie", "een ouderavond", "straatcoaches", "een meldpunt",
          "een financiële regeling",
          "een oudercafé", "een lespakket", "een werkervaringsplek", "een chatdienst"]
TOPICS = ["drugs", "alcohol", "lachgas", "cannabis", "gokken", "groepsdruk", "schulden", "eenzaamheid",
          "verslaving", "vapen", "uitgaan", "social media", "criminaliteit", "ondermijning",
          "mentale gezondheid",
          "terugval", "ideeën van jongeren", "privé-problemen"]
VERBS = ["organiseren", "starten", "uitbreiden", "verbeteren", "betalen", "opzetten", "bekendmaken",
         "evalueren", "samen ontwikkelen", "laten meepraten", "ondersteunen", "versterken"]
ADJECTIVES = ["gratis", "vaste", "laagdrempelige", "betere", "snellere", "anonieme", "vaker", "meer",
              "wekelijkse", "geëvalueerde", "veilige", "eerlijke"]
REASONS = ["want nu weten {g} niet waar ze terecht kunnen", "zodat {g} elkaar beter leren kennen",
           "omdat {t} steeds vaker voorkomt", "zodat signalen over {t} eerder opvallen",
           "want de wachttijd is nu veel te lang", "omdat {g} zich nu niet gehoord voelen",
           "zodat het geld naar de juiste plek gaat", "want in België werkt dit al goed",
           "zodat niemand er alleen voor staat", "omdat preventie goedkoper is dan behandeling"]
TITLE_TEMPLATES = [
    "{A} {thing} voor {g}", "{Thing} bij {p}", "{G} betrekken bij {t}", "Meer aandacht voor {t} bij {g}",
    "{Thing} over {t} {v}", "Samen met {g} {thing} {v}", "{A} {thing} in {p}", "Praat mee over {t}",
    "{Thing} voor {g} rond {t}", "Stop met {t}: {thing} bij {p}",
]
SENTENCE_TEMPLATES = [
    "Ik stel voor om {thing} te {v} bij {p}, {reason}.", "{G} hebben behoefte aan {thing}.",
    "Bij {p} zien we dat {t} een probleem is voor {g}.", "Laten we {g} vragen wat zij nodig hebben.",
    "Dit kan samen met {g2} en {g}.", "In de buurt van {p} is {thing} makkelijk te bereiken.",
    "De kosten zijn laag als vrijwilligers meehelpen.",
    "Het eerste jaar kunnen we het geëvalueerd uitproberen.",
    "{G} kunnen dan anoniem een vraag stellen over {t}.", "Een coördinator houdt het overzicht.",
    "Zo bereiken we ook {g} die nu buiten beeld blijven.", "Het idee komt van een reünie van oud-leerlingen.",
]
ANSWERS = {
    "adopted": "De denktank neemt dit idee over in het actieplan.",
    "rejected": "Dit past nu niet binnen het budget; we komen er volgend jaar op terug.",
    "existing": "Dit gebeurt al: kijk op de website van de gemeente.",
    "merged": "Samengevoegd met een vergelijkbaar idee.",
    "discussion": "We bespreken dit in de volgende bijeenkomst.",
}
COMMENTS = ["Goed idee, ik help graag mee.", "Hoe wordt dit betaald?", "Bij ons in de wijk werkt dit al.",
            "Wie neemt het initiatief?", "Als ouder herken ik dit helemaal.",
            "Kunnen jongeren zelf meedenken?",
            "Ik mis de rol van de school hierin.", "Dit zou ik ook in het café bespreken.",
            "Eens, maar begin klein.", "Heeft iemand ervaring met zoiets?", "Ideeën genoeg, nu doen!"]


@dataclass
class Sizes:
    """How much to generate."""

    ideas: int = 20_000
    supports: int = 200_000
    comments: int = 50_000
    thinktanks: int = 4
    members: int = 2_000
    actions: int = 2_000
    measurements: int = 500
    indicators: int = 10


@dataclass
class SeedReport:
    """What a seed wrote, and how long it took."""

    rows: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def __str__(self) -> str:
        rows = ", ".join(f"{n} {table}" for table, n in self.rows.items())
        return f"Seeded {rows} in {self.seconds:.1f} s."


class _Words(dict):
    """The words of one sentence, each drawn when a template first asks for it ('G' capitalises 'g')."""

    LISTS: ClassVar[dict[str, list[str]]] = {"g": GROUPS, "g2": GROUPS, "p": PLACES, "t": TOPICS, "thing": THINGS,
                                             "v": VERBS, "a": ADJECTIVES}

    def __init__(self, rng: random.Random) -> None:
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str) -> str:
        if key == "reason":
            value = self.rng.choice(REASONS).format_map(self)
        elif key in self.LISTS:
            value = self.rng.choice(self.LISTS[key])
        else:
            lower = self[key.lower()]
            value = lower[:1].upper() + lower[1:]
        self[key] = value
        return value


class TextMaker:
    """Dutch-sounding titles, bodies and comments from word lists: varied, searchable, reproducible."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def title(self) -> str:
        title = self.rng.choice(TITLE_TEMPLATES).format_map(_Words(self.rng))
        return title[:1].upper() + title[1:]

    def body(self) -> str:
        sentences = [self.rng.choice(SENTENCE_TEMPLATES).format_map(_Words(self.rng))
                     for _ in range(self.rng.randint(2, 6))]
        return "\n\n".join(p for p in (" ".join(sentences[:2]), " ".join(sentences[2:])) if p)

    def comment(self) -> str:
        if self.rng.random() < 0.6:
            return self.rng.choice(COMMENTS)
        return self.rng.choice(SENTENCE_TEMPLATES).format_map(_Words(self.rng))


def _batches(rows: Iterable[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _insert(table: Table, rows: Iterable[dict[str, Any]], report: SeedReport) -> None:
    """Insert rows in batches straight through the driver: COPY on PostgreSQL, executemany on SQLite.

    SQLAlchemy's per-row parameter handling would cost more than the database's work; the columns' own bind
    processors still convert the values (SQLite stores datetimes as SQLAlchemy's strings)."""
    connection = db.session.connection()
    dialect = connection.dialect
    raw = connection.connection.driver_connection
    columns: list[str] = []
    for batch in _batches(rows):
        if not columns:
            columns = list(batch[0])
        names = ", ".join(f'"{name}"' for name in columns)
        values = itemgetter(*columns)
        if dialect.name == "postgresql":
            with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
                for row in batch:
                    copy.write_row(values(row))
        else:
            processors = [(index, table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
                          for index, name in enumerate(columns)]
            processors = [(index, process) for index, process in processors if process is not None]
            converted = []
            for row in batch:
                converted.append(row_values := list(values(row)))
                for index, process in processors:
                    if row_values[index] is not None:
                        row_values[index] = process(row_values[index])
            raw.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join("?" * len(columns))})',
                            converted)
        report.rows[table.name] += len(batch)


def _next_id(model: Any) -> int:
    return (db.session.scalar(select(func.max(model.id))) or 0) + 1


def _when(rng: random.Random, now: datetime, *, after: datetime | None = None, days: int = 365) -> datetime:
    """A moment in the last `days` (after `after`, if given), to the second."""
    start = after or now - timedelta(days=days)
    return start + timedelta(seconds=int(rng.random() * max(0.0, (now - start).total_seconds())))


def _soon_after(rng: random.Random, start: datetime, now: datetime, *, mean_days: float = 30) -> datetime:
    """A moment after `start`, usually in its first weeks (as supports and comments follow a new idea)."""
    moment = start + timedelta(seconds=int(rng.expovariate(1 / (mean_days * 86400))))
    return moment if moment <= now else _when(rng, now, after=start)


def _weighted_counts(rng: random.Random, weights: list[float], total: int, caps: list[int]) -> list[int]:
    """Spread `total` over the items by weight (skewed, like popularity), never above an item's cap."""
    counts = [0] * len(weights)
    remaining = min(total, sum(caps))
    while remaining:
        open_items = [i for i, n in enumerate(counts) if n < caps[i]]
        cumulative = list(accumulate(weights[i] for i in open_items))
        for pick, n in Counter(rng.choices(open_items, cum_weights=cumulative, k=remaining)).items():
            counts[pick] += n
        overflow = sum(max(0, n - caps[i]) for i, n in enumerate(counts))
        counts = [min(n, caps[i]) for i, n in enumerate(counts)]
        remaining = overflow
    return counts


def delete_bench_data() -> None:
    """Delete the bench think tanks (with their ideas, supports and comments) and the bench users."""
    tanks = select(ThinkTank.id).where(ThinkTank.slug.startswith(SLUG_PREFIX))
    idea_ids = select(Idea.id).where(Idea.thinktank_id.in_(tanks))
    # Children first: cascading over 200,000 rows through the foreign keys is slower than these DELETEs. (Ideas
    # still take long: ideas.merged_into_id has no index, so each deleted idea makes the database scan ideas.)
    action_ids = select(ActionItem.id).where(ActionItem.thinktank_id.in_(tanks))
    indicator_ids = select(Indicator.id).where(Indicator.name.startswith(INDICATOR_PREFIX))
    for table in (action_ideas, action_indicators):
        db.session.execute(delete(table).where(table.c.action_id.in_(action_ids)))
    for model in (ProgressUpdate, Milestone):
        db.session.execute(delete(model).where(model.action_id.in_(action_ids)))
    db.session.execute(delete(ActionItem).where(ActionItem.thinktank_id.in_(tanks)))
    db.session.execute(delete(Measurement).where(Measurement.indicator_id.in_(indicator_ids)))
    db.session.execute(delete(Indicator).where(Indicator.name.startswith(INDICATOR_PREFIX)))
    for model in (Comment, Support):
        db.session.execute(delete(model).where(model.idea_id.in_(idea_ids)))
    db.session.execute(delete(idea_tags).where(idea_tags.c.idea_id.in_(idea_ids)))
    db.session.execute(delete(Idea).where(Idea.thinktank_id.in_(tanks)))
    db.session.execute(delete(ThinkTank).where(ThinkTank.slug.startswith(SLUG_PREFIX)))
    db.session.execute(delete(User).where(User.email.endswith("@" + EMAIL_DOMAIN)))


def bench_thinktank_slugs() -> list[str]:
    """Return the slugs of the seeded think tanks."""
    return list(db.session.scalars(select(ThinkTank.slug).where(ThinkTank.slug.startswith(SLUG_PREFIX))
                                   .order_by(ThinkTank.id)))


def seed(sizes: Sizes, *, random_seed: int = 2026, replace: bool = False) -> SeedReport:
    """Generate the data set into the current app's database and commit it; refuse to add to an earlier one
    unless `replace` (which deletes the earlier bench rows first)."""
    started = time.perf_counter()
    if bench_thinktank_slugs():
        if not replace:
            raise click.ClickException(
                "This database holds bench data already: use --replace, or a fresh one.")
        delete_bench_data()
        db.session.commit()
    rng = random.Random(random_seed)
    words = TextMaker(rng)
    report = SeedReport()
    now = utcnow()
    dialect = db.session.get_bind().dialect.name

    # Think tanks, members (users), memberships and tags.
    tank_ids = list(range(_next_id(ThinkTank), _next_id(ThinkTank) + sizes.thinktanks))
    themes = [THINKTANK_THEMES[n % len(THINKTANK_THEMES)] for n in range(sizes.thinktanks)]
    _insert(ThinkTank.__table__, (
        {"id": tank_id, "slug": f"{SLUG_PREFIX}{n + 1}-{slug}", "name": f"{name} (bench {n + 1})",
         "theme": theme, "summary": theme, "description": f"Benchmarkgegevens: {theme.lower()}.",
         "join_policy": "open", "position": 100 + n, "support_limit": None, "archived_at": None,
         "created_at": now - timedelta(days=400)}
        for n, (tank_id, (slug, name, theme)) in enumerate(zip(tank_ids, themes, strict=True))), report)

    password_hash = hash_password(BENCH_PASSWORD)  # hashing is slow on purpose: once for everyone
    first_user = _next_id(User)
    user_ids = list(range(first_user, first_user + sizes.members))
    _insert(User.__table__, (
        {"id": user_id, "email": f"lid{n + 1}@{EMAIL_DOMAIN}",
         "display_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_INITIALS)}.",
         "password_hash": password_hash, "kind": "professional" if n % 10 == 0 else "resident",
         "organisation": rng.choice(ORGANISATIONS) if n % 10 == 0 else None, "is_admin": False,
         "locale": None, "digest": "never", "created_at": (joined := _when(rng, now, days=400)),
         "email_confirmed_at": joined, "terms_accepted_at": joined, "terms_version": TERMS_VERSION}
        for n, user_id in enumerate(user_ids)), report)

    members: dict[int, list[int]] = {tank_id: [] for tank_id in tank_ids}
    for n, user_id in enumerate(user_ids):
        joined = {tank_ids[n % len(tank_ids)]}  # everyone in one think tank, many in two or three
        while rng.random() < 0.45 and len(joined) < len(tank_ids):
            joined.add(rng.choice(tank_ids))
        for tank_id in joined:
            members[tank_id].append(user_id)
    next_membership = _next_id(Membership)
    membership_rows = []
    for tank_id, tank_members in members.items():
        for position, user_id in enumerate(tank_members):
            membership_rows.append({"id": next_membership, "thinktank_id": tank_id, "user_id": user_id,
                                    "role": "chair" if position < 2 else "member", "status": "active",
                                    "created_at": _when(rng, now, days=380)})
            next_membership += 1
    _insert(Membership.__table__, membership_rows, report)

    next_tag = _next_id(Tag)
    tags: dict[int, list[int]] = {}
    tag_rows = []
    for tank_id in tank_ids:
        for name in rng.sample(TAGS, 8):
            tag_rows.append({"id": next_tag, "thinktank_id": tank_id, "slug": name,
                             "name": name.capitalize()})
            tags.setdefault(tank_id, []).append(next_tag)
            next_tag += 1
    _insert(Tag.__table__, tag_rows, report)

    # Ideas: most spread over the year, one in twelve in the last two weeks; popularity is heavy-tailed, and
    # new ideas draw more (they are on top of 'new' and 'rising').
    first_idea = _next_id(Idea)
    ideas: list[dict[str, Any]] = []
    for n in range(sizes.ideas):
        tank_id = tank_ids[n % len(tank_ids)]
        created = _when(rng, now, days=14 if rng.random() < 0.08 else 365)
        ideas.append({"id": first_idea + n, "thinktank_id": tank_id,
                      "author_id": rng.choice(members[tank_id]),
                      "title": words.title(), "body": words.body(), "anonymous": rng.random() < 0.1,
                      "status": "new", "answer": None, "answered_at": None, "merged_into_id": None,
                      "support_count": 0, "comment_count": 0, "withdrawn_at": None, "hidden_at": None,
                      "hidden_reason": None, "created_at": created, "updated_at": created})
        # Written straight to the table: make the excerpt that the model derives from the body.
        ideas[-1]["excerpt"] = markdown_to_text(ideas[-1]["body"], EXCERPT_LENGTH)
    popularity = [rng.paretovariate(1.3) * (2.0 if now - idea["created_at"] < timedelta(days=14) else 1.0)
                  for idea in ideas]

    caps = [len(members[idea["thinktank_id"]]) for idea in ideas]
    support_counts = _weighted_counts(rng, popularity, sizes.supports, caps)
    comment_counts = _weighted_counts(rng, [p ** 0.7 for p in popularity], sizes.comments,
                                      [10**9] * len(ideas))

    for idea, supports in zip(ideas, support_counts, strict=True):
        if idea["created_at"] < now - timedelta(days=30):
            roll = rng.random()
            status = ("discussion" if roll < 0.15 else "adopted" if roll < 0.22 + supports / 2000 else
                      "rejected" if roll < 0.27 else "existing" if roll < 0.30 else "new")
            if status != "new":
                idea["status"], idea["answer"] = status, ANSWERS[status]
                idea["answered_at"] = _when(rng, now, after=idea["created_at"])
        if rng.random() < 0.015:
            idea["withdrawn_at"] = _when(rng, now, after=idea["created_at"])
        elif rng.random() < 0.01:
            idea["hidden_at"] = _when(rng, now, after=idea["created_at"])
            idea["hidden_reason"] = "Niet volgens de huisregels."
    # A few merged ideas, each into an earlier idea of its think tank.
    for idea in rng.sample(ideas, len(ideas) // 100):
        earlier = idea["id"] - len(tank_ids) * rng.randint(1, 50)
        if earlier >= first_idea and idea["status"] == "new":
            idea["status"], idea["answer"], idea["merged_into_id"] = "merged", ANSWERS["merged"], earlier
            idea["answered_at"] = _when(rng, now, after=idea["created_at"])

    for idea, k in zip(ideas, support_counts, strict=True):
        idea["support_count"] = k

    # Supports: a sample of the think tank's members per idea, each after the idea was posted.
    def support_rows() -> Iterator[dict[str, Any]]:
        next_support = _next_id(Support)
        for idea, k in zip(ideas, support_counts, strict=True):
            for user_id in rng.sample(members[idea["thinktank_id"]], k):
                yield {"id": next_support, "idea_id": idea["id"], "user_id": user_id,
                       "thinktank_id": idea["thinktank_id"],
                       "created_at": _soon_after(rng, idea["created_at"], now)}
                next_support += 1

    # Comments: some replies (one level), a few deleted or hidden, which the counter leaves out.
    comments: list[dict[str, Any]] = []
    next_comment = _next_id(Comment)
    for idea, k in zip(ideas, comment_counts, strict=True):
        top_level: list[int] = []
        for created in sorted(_soon_after(rng, idea["created_at"], now, mean_days=10) for _ in range(k)):
            parent = rng.choice(top_level) if top_level and rng.random() < 0.25 else None
            deleted = rng.random() < 0.02
            hidden = not deleted and rng.random() < 0.005
            idea["comment_count"] += not (deleted or hidden)
            comments.append({"id": next_comment, "idea_id": idea["id"],
                             "author_id": rng.choice(members[idea["thinktank_id"]]), "parent_id": parent,
                             "body": "" if deleted else words.comment(), "created_at": created,
                             "edited_at": None, "deleted_at": created if deleted else None,
                             "hidden_at": created if hidden else None,
                             "hidden_reason": "Niet volgens de huisregels." if hidden else None})
            if parent is None:
                top_level.append(next_comment)
            next_comment += 1

    _insert(Idea.__table__, ideas, report)
    _insert(idea_tags, ({"idea_id": idea["id"], "tag_id": tag_id} for idea in ideas
                        for tag_id in rng.sample(tags[idea["thinktank_id"]], rng.choice((0, 1, 1, 2, 3)))),
            report)
    _insert(Support.__table__, support_rows(), report)
    _insert(Comment.__table__, comments, report)
    _seed_actions(rng, words, sizes, now, tank_ids, members, ideas, report)

    if dialect == "postgresql":
        for model in (ThinkTank, User, Membership, Tag, Idea, Support, Comment, ActionItem, Milestone,
                      ProgressUpdate, Indicator, Measurement):
            table = model.__tablename__
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                    f"(SELECT max(id) FROM {table}))"))
    db.session.commit()
    # Fresh statistics, as a database that has grown to this size would have (autovacuum; PRAGMA optimize).
    if dialect == "postgresql":
        # And the visibility map that autovacuum keeps on a live database: without it, every index-only scan (the
        # idea list's count) reads the table too, 0.4 → 13 ms, which a freshly COPY'd table would show for a while.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    report.seconds = time.perf_counter() - started
    return report


INDICATOR_NAMES = [("Jongeren die wekelijks alcohol drinken", "%", "down"),
                   ("Bereik voorlichting op scholen", "leerlingen", "up"),
                   ("Wachttijd jeugdverslavingszorg", "weken", "down"),
                   ("Meldingen lachgasoverlast", "meldingen", "down"),
                   ("Deelnemers buddyproject", "deelnemers", "up"),
                   ("Ouders bereikt met ouderavonden", "ouders", "up"),
                   ("Jongeren met een vertrouwenspersoon", "%", "up"),
                   ("Terugval binnen een jaar", "%", "down")]
UPDATE_TEXTS = ["Eerste overleg gehad met {g}.", "De planning is rond; we starten bij {p}.",
                "Vertraging: we wachten op de subsidie.", "Goede opkomst bij {p}: veel {g}.",
                "Evaluatie met {g} gepland.", "Halverwege; {thing} loopt goed.", "Afgerond en geëvalueerd."]


def _seed_actions(rng: random.Random, words: TextMaker, sizes: Sizes, now: datetime, tank_ids: list[int],
                  members: dict[int, list[int]], ideas: list[dict[str, Any]], report: SeedReport) -> None:
    """Action items (most from adopted ideas, a few from two, some created directly), with owners, mixed
    statuses and due dates, some internal; milestones and progress updates; indicators with measurements."""
    today = now.date()
    adopted: dict[int, list[int]] = {tank_id: [] for tank_id in tank_ids}
    for idea in ideas:
        if idea["status"] == "adopted":
            adopted[idea["thinktank_id"]].append(idea["id"])
    for ids in adopted.values():
        rng.shuffle(ids)
    first_action = _next_id(ActionItem)
    actions: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for n in range(sizes.actions):
        action_id = first_action + n
        tank_id = tank_ids[n % len(tank_ids)]
        owner = rng.choice(members[tank_id]) if rng.random() < 0.9 else None
        created = _when(rng, now, days=300)
        start = created.date() + timedelta(days=rng.randint(0, 30))
        due = start + timedelta(days=rng.randint(30, 360)) if rng.random() < 0.85 else None
        roll = rng.random()
        status = ("planned" if roll < 0.25 else "in_progress" if roll < 0.6 else "done" if roll < 0.8 else
                  "delayed" if roll < 0.93 else "stopped")
        progress = {"planned": 0, "done": 100}.get(status, rng.randint(5, 95))
        pool = adopted[tank_id]
        if pool and rng.random() < 0.85:  # from adopted ideas: each idea once, while there are any left
            for _ in range(2 if rng.random() < 0.1 and len(pool) > 1 else 1):
                links.append({"action_id": action_id, "idea_id": pool.pop()})
        actions.append({"id": action_id, "thinktank_id": tank_id, "title": words.title()[:200],
                        "description": words.body(), "owner_id": owner,
                        "organisation": rng.choice(ORGANISATIONS) if owner else "", "start_date": start,
                        "due_date": due, "status": status,
                        "stop_reason": "Geen budget meer." if status == "stopped" else None,
                        "progress": progress, "public": rng.random() >= 0.15,
                        "decision": "Besloten in de vergadering van de denktank.", "created_by_id":
                        members[tank_id][0], "created_at": created, "updated_at": created})

    milestones: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    next_milestone, next_update = _next_id(Milestone), _next_id(ProgressUpdate)
    for action in actions:
        for position in range(rng.choice((0, 0, 2, 3, 4))):
            done = action["status"] == "done" or rng.random() < action["progress"] / 100
            milestones.append({"id": next_milestone, "action_id": action["id"], "position": position,
                               "title": f"Stap {position + 1}: {words.title()}"[:200],
                               "due_date": action["start_date"] + timedelta(days=30 * (position + 1)),
                               "done_at": _when(rng, now, after=action["created_at"]) if done else None})
            next_milestone += 1
        moments = sorted(_when(rng, now, after=action["created_at"])
                         for _ in range(0 if action["status"] == "planned" else rng.randint(1, 5)))
        for k, moment in enumerate(moments):
            last = k == len(moments) - 1
            updates.append({"id": next_update, "action_id": action["id"],
                            "author_id": action["owner_id"] or action["created_by_id"],
                            "body": rng.choice(UPDATE_TEXTS).format_map(_Words(rng)),
                            "progress": action["progress"] if last else action["progress"] * (k + 1) // len(moments),
                            "status": action["status"] if last else "in_progress", "created_at": moment})
            next_update += 1
            action["updated_at"] = max(action["updated_at"], moment)

    first_indicator = _next_id(Indicator)
    indicators = []
    for n in range(sizes.indicators):
        name, unit, direction = INDICATOR_NAMES[n % len(INDICATOR_NAMES)]
        baseline = round(rng.uniform(10, 80), 1)
        tank = None if n % 3 == 0 else tank_ids[n % len(tank_ids)]
        indicators.append({"id": first_indicator + n, "thinktank_id": tank,
                           "name": f"{INDICATOR_PREFIX}{name} ({n + 1})", "unit": unit, "direction": direction,
                           "baseline_value": baseline, "baseline_date": today - timedelta(days=730),
                           "target_value": round(baseline * (1.3 if direction == "up" else 0.7), 1),
                           "target_date": today + timedelta(days=365), "source": "Monitor (bench)",
                           "description": "Benchmarkgegevens.", "created_at": now - timedelta(days=730)})
    measurements = []
    next_measurement = _next_id(Measurement)
    per_indicator = Counter(rng.randrange(len(indicators)) for _ in range(sizes.measurements)) if indicators else {}
    for index, k in per_indicator.items():
        indicator = indicators[index]
        for day in sorted(today - timedelta(days=rng.randint(0, 720)) for _ in range(k)):
            measurements.append({"id": next_measurement, "indicator_id": indicator["id"], "date": day,
                                 "value": round(indicator["baseline_value"] * (1 + rng.uniform(-0.2, 0.2)), 1),
                                 "note": "", "created_by_id": None,
                                 "created_at": datetime.combine(day, datetime.min.time())})
            next_measurement += 1
    served = []
    for action in actions:
        usable = [i for i in indicators if i["thinktank_id"] in (None, action["thinktank_id"])]
        for indicator in rng.sample(usable, min(len(usable), rng.choice((0, 0, 1, 1, 2)))):
            served.append({"action_id": action["id"], "indicator_id": indicator["id"]})

    _insert(ActionItem.__table__, actions, report)
    _insert(action_ideas, links, report)
    _insert(Milestone.__table__, milestones, report)
    _insert(ProgressUpdate.__table__, updates, report)
    _insert(Indicator.__table__, indicators, report)
    _insert(Measurement.__table__, measurements, report)
    _insert(action_indicators, served, report)


@bench_cli.command("seed")
@click.option("--ideas", default=Sizes.ideas, show_default=True, type=click.IntRange(0))
@click.option("--supports", default=Sizes.supports, show_default=True, type=click.IntRange(0))
@click.option("--comments", default=Sizes.comments, show_default=True, type=click.IntRange(0))
@click.option("--thinktanks", default=Sizes.thinktanks, show_default=True, type=click.IntRange(1))
@click.option("--members", default=Sizes.members, show_default=True, type=click.IntRange(1))
@click.option("--actions", default=Sizes.actions, show_default=True, type=click.IntRange(0))
@click.option("--measurements", default=Sizes.measurements, show_default=True, type=click.IntRange(0))
@click.option("--indicators", default=Sizes.indicators, show_default=True, type=click.IntRange(0))
@click.option("--seed", "random_seed", default=2026, show_default=True, help="Same seed, same data.")
@click.option("--replace", is_flag=True,
              help="Delete earlier bench data first (slow for a large set: seed a fresh database instead).")
def seed_command(ideas: int, supports: int, comments: int, thinktanks: int, members: int, actions: int,
                 measurements: int, indicators: int, random_seed: int, replace: bool) -> None:
    """Fill the database with a large generated data set for the benchmarks (bench/)."""
    report = seed(Sizes(ideas=ideas, supports=supports, comments=comments, thinktanks=thinktanks,
                        members=members, actions=actions, measurements=measurements, indicators=indicators),
                 random_seed=random_seed, replace=replace)
    click.echo(str(report))
