"""Search across the whole site in one ranked, paginated query, respecting who may see what.

One query is a list of words (samen/ideas/search.terms: at most eight, no operators). What is searched, and who
sees it — every rule is the feature's own SQL form of its access rule, not a copy:

- idea: title and body, by the ideas' full-text index (ideas.search); shown by
  ideas.operations.listed_ideas_clause.
- action: title and description, every word in the text (LIKE); actions.operations.readable_actions_clause.
- meeting: title, description and place (LIKE); meetings.operations.visible_clause.
- indicator: name, description and unit (LIKE); everyone (indicators are public, as on the progress pages).
- minutes: the published minutes (LIKE); visible_clause and meetings.operations.readable_minutes_clause.

Ideas are the many (20,000 in the benchmark, 100,000 in the large one): they use the full-text index, where a word
matches the start of a word. Action items, meetings and indicators are a few thousand at most; their words match
anywhere in the text, whatever their case (ILIKE; lower() and LIKE on SQLite) — no index needed, no triggers to keep.

Ranking is the same on SQLite and PostgreSQL (no bm25 or ts_rank, whose numbers differ): first how many of the
words occur in the title, then the newest, then by kind and id, so a page never changes order between two runs.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, and_, case, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased, load_only

from samen.actions.models import ActionItem, Indicator
from samen.actions.operations import readable_actions_clause
from samen.core.database import db
from samen.core.errors import DomainError
from samen.ideas import search as idea_search
from samen.ideas.models import Idea
from samen.ideas.operations import MAX_PAGE, listed_ideas_clause
from samen.meetings import operations as meeting_ops
from samen.meetings.models import Meeting
from samen.thinktanks.models import ThinkTank

KINDS = ("idea", "action", "meeting", "indicator", "minutes")
KIND_LABELS = {"idea": _l("Ideas"), "action": _l("Action items"), "meeting": _l("Meetings"),
               "indicator": _l("Indicators"), "minutes": _l("Minutes")}
KIND_LABEL = {"idea": _l("Idea"), "action": _l("Action item"), "meeting": _l("Meeting"),
              "indicator": _l("Indicator"), "minutes": _l("Minutes")}
PER_PAGE = 20
MAX_PER_PAGE = 50
QUERY_MAX = 100  # characters of a search (samen/core/inputs.search_text)

# Markdown's marks that would show as noise in a snippet: emphasis, headings, quotes, code, link targets.
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"[*_`#>|~]+")


def plain(text: str | None) -> str:
    """Return Markdown as plain text, cheaply: links become their words, marks go (for snippets only: what is
    shown is escaped anyway, samen/search/highlight.py)."""
    return " ".join(_MARKS.sub(" ", _LINK.sub(r"\1", text or "")).split())


@dataclass
class Hit:
    """One thing found: what it is, its title and text (plain), where it belongs, and where it lives."""

    kind: str
    id: int
    title: str
    text: str
    thinktank: ThinkTank | None
    at: datetime | None
    status: str | None = None
    meeting_id: int | None = None  # the meeting of a minutes hit

    @property
    def kind_label(self) -> Any:
        return KIND_LABEL[self.kind]


@dataclass
class SearchPage:
    """One page of hits, with the total and the words that were looked for."""

    q: str
    words: list[str]
    kinds: tuple[str, ...]
    thinktank: ThinkTank | None
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def parse_kinds(values: Iterable[Any]) -> tuple[str, ...]:
    """Return the kinds asked for (none: every kind), or raise a clear error for an unknown one."""
    kinds: list[str] = []
    for value in values:
        if value in (None, ""):
            continue
        if value not in KINDS:
            raise DomainError(_l("Unknown kind. Choose one of: %(choices)s.", choices=", ".join(KINDS)),
                              field="kind", code="invalid_kind")
        if value not in kinds:
            kinds.append(value)
    return tuple(kinds)


def parse_thinktank(value: Any) -> ThinkTank | None:
    """Return the think tank a slug names (None for none), or raise a clear error."""
    if value in (None, ""):
        return None
    found = db.session.scalar(select(ThinkTank).where(ThinkTank.slug == str(value)[:80])) \
        if isinstance(value, str) else None
    if found is None:
        raise DomainError(_l("There is no think tank with this name."), field="thinktank",
                          code="unknown_thinktank")
    return found


def parse_per_page(value: Any) -> int:
    """Return the page size asked for (PER_PAGE by default), or raise a clear error."""
    if value in (None, ""):
        return PER_PAGE
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= MAX_PER_PAGE:
        raise DomainError(_l("per_page must be a whole number from 1 to %(n)d.", n=MAX_PER_PAGE),
                          field="per_page", code="invalid_per_page")
    return number


def parse_page(value: Any) -> int:
    """Return a page number (1 by default), or raise a clear error."""
    if value in (None, ""):
        return 1
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= MAX_PAGE:
        raise DomainError(_l("The page must be between 1 and %(n)d.", n=MAX_PAGE), field="page",
                          code="invalid_page")
    return number


# --- the query ---------------------------------------------------------------------------------------------

def _in_title(title: Any, words: Sequence[str]) -> Any:
    """The rank: how many of the words occur in the title, whatever their case (as the matching)."""
    return sum((case((title.icontains(word, autoescape=True), 1), else_=0) for word in words), start=literal(0))


def _every_word(columns: Sequence[Any], words: Sequence[str]) -> Any:
    """Every word occurs in one of the columns (as part of a word, whatever its case): ILIKE on PostgreSQL,
    lower() and LIKE on SQLite (whose lower() folds ASCII letters only: 'É' and 'é' differ there)."""
    return and_(*(or_(*(column.icontains(word, autoescape=True) for column in columns)) for word in words))


def _row(kind: str, ident: Any, title: Any, at: Any, words: Sequence[str]) -> list[Any]:
    return [literal(kind, String(10)).label("kind"), ident.label("id"), _in_title(title, words).label("rank"),
            at.label("at")]


def _branches(q: str, words: list[str], kinds: tuple[str, ...], thinktank: ThinkTank | None, user: Any) -> list[Any]:
    """Return one SELECT (kind, id, rank, at) per kind asked for, each with its access rule."""
    wanted = set(kinds or KINDS)
    tank = thinktank.id if thinktank is not None else None
    branches = []
    if "idea" in wanted:
        # The matches with what ranking and the access rule read, found once through the full-text index.
        idea = aliased(Idea, idea_search.matching(q, Idea.id, Idea.title, Idea.created_at, Idea.thinktank_id,
                                                  Idea.author_id, Idea.hidden_at, Idea.withdrawn_at, Idea.review))
        stmt = (select(*_row("idea", idea.id, idea.title, idea.created_at, words))
                .where(listed_ideas_clause(user, idea)))
        branches.append(stmt.where(idea.thinktank_id == tank) if tank is not None else stmt)
    if "action" in wanted:
        stmt = (select(*_row("action", ActionItem.id, ActionItem.title, ActionItem.updated_at, words))
                .where(_every_word([ActionItem.title, ActionItem.description], words),
                       readable_actions_clause(user)))
        branches.append(stmt.where(ActionItem.thinktank_id == tank) if tank is not None else stmt)
    if "indicator" in wanted:
        stmt = (select(*_row("indicator", Indicator.id, Indicator.name, Indicator.created_at, words))
                .where(_every_word([Indicator.name, Indicator.description, Indicator.unit], words)))
        branches.append(stmt.where(Indicator.thinktank_id == tank) if tank is not None else stmt)
    if "meeting" in wanted or "minutes" in wanted:
        viewer = meeting_ops.viewer_of(user)
        visible = meeting_ops.visible_clause(viewer)
        if "meeting" in wanted:
            stmt = (select(*_row("meeting", Meeting.id, Meeting.title, Meeting.starts_at, words))
                    .where(_every_word([Meeting.title, Meeting.description, Meeting.location], words), visible))
            branches.append(stmt.where(Meeting.thinktank_id == tank) if tank is not None else stmt)
        if "minutes" in wanted:
            stmt = (select(*_row("minutes", Meeting.id, Meeting.title, Meeting.minutes_published_at, words))
                    .where(Meeting.minutes_published_at.is_not(None), _every_word([Meeting.minutes], words),
                           visible, meeting_ops.readable_minutes_clause(viewer)))
            branches.append(stmt.where(Meeting.thinktank_id == tank) if tank is not None else stmt)
    return branches


def search(q: Any, *, viewer: Any = None, kinds: Iterable[Any] = (), thinktank: ThinkTank | None = None,
           page: Any = 1, per_page: int = PER_PAGE, thinktanks: Iterable[ThinkTank] | None = None) -> SearchPage:
    """Return one page of what the viewer may see that contains every word of `q`, best first.

    Queries: none without words; else one for the page with its total (two when the page is past the end), one
    per kind on the page to load the hits, one for the think tanks' names, and two for a signed-in viewer's
    meetings (memberships, registrations) when meetings or minutes are searched. `thinktanks`: every think tank,
    when the caller has them loaded already (one query less)."""
    q = q if isinstance(q, str) else ""
    kinds = parse_kinds(kinds)
    page = parse_page(page)
    words = [word.lower() for word in idea_search.terms(q)]
    result = SearchPage(q=q, words=words, kinds=kinds, thinktank=thinktank, page=page, per_page=per_page)
    if not words:
        return result
    found = union_all(*_branches(q, words, kinds, thinktank, viewer)).subquery("found")
    rows = db.session.execute(
        select(found.c.kind, found.c.id, func.count().over().label("total"))
        .order_by(found.c.rank.desc(), found.c.at.desc(), found.c.kind, found.c.id.desc())
        .offset((page - 1) * per_page).limit(per_page)).all()
    if rows:
        result.total = rows[0].total
    elif page > 1:
        result.total = db.session.scalar(select(func.count()).select_from(found)) or 0
    result.hits = _load([(row.kind, row.id) for row in rows], thinktanks)
    return result


# --- loading a page of hits --------------------------------------------------------------------------------

def _load(keys: list[tuple[str, int]], thinktanks: Iterable[ThinkTank] | None = None) -> list[Hit]:
    """Return the hits for (kind, id) pairs, in their order: one query per kind present, one for think tanks
    (none when they are given)."""
    if not keys:
        return []
    wanted: dict[str, list[int]] = {}
    for kind, ident in keys:
        wanted.setdefault(kind, []).append(ident)
    tanks = {tank.id: tank for tank in (db.session.scalars(select(ThinkTank)) if thinktanks is None
                                        else thinktanks)}
    hits: dict[tuple[str, int], Hit] = {}
    if "idea" in wanted:
        for idea in db.session.scalars(select(Idea).where(Idea.id.in_(wanted["idea"])).options(
                load_only(Idea.id, Idea.title, Idea.body, Idea.thinktank_id, Idea.created_at, Idea.status))):
            hits["idea", idea.id] = Hit("idea", idea.id, idea.title, plain(idea.body), tanks.get(idea.thinktank_id),
                                        idea.created_at, status=idea.status)
    if "action" in wanted:
        for action in db.session.scalars(select(ActionItem).where(ActionItem.id.in_(wanted["action"])).options(
                load_only(ActionItem.id, ActionItem.title, ActionItem.description, ActionItem.thinktank_id,
                          ActionItem.updated_at, ActionItem.status))):
            hits["action", action.id] = Hit("action", action.id, action.title, plain(action.description),
                                            tanks.get(action.thinktank_id), action.updated_at, status=action.status)
    if "indicator" in wanted:
        for indicator in db.session.scalars(select(Indicator).where(Indicator.id.in_(wanted["indicator"]))
                                            .options(load_only(Indicator.id, Indicator.name, Indicator.description,
                                                               Indicator.unit, Indicator.thinktank_id,
                                                               Indicator.created_at))):
            text = " ".join(part for part in (plain(indicator.description), f"({indicator.unit})" if indicator.unit
                                              else "") if part)
            hits["indicator", indicator.id] = Hit("indicator", indicator.id, indicator.name, text,
                                                  tanks.get(indicator.thinktank_id), indicator.created_at)
    meeting_ids = wanted.get("meeting", []) + wanted.get("minutes", [])
    if meeting_ids:
        for meeting in db.session.scalars(select(Meeting).where(Meeting.id.in_(meeting_ids)).options(
                load_only(Meeting.id, Meeting.title, Meeting.description, Meeting.location, Meeting.minutes,
                          Meeting.thinktank_id, Meeting.starts_at, Meeting.minutes_published_at, Meeting.state))):
            tank = tanks.get(meeting.thinktank_id) if meeting.thinktank_id is not None else None
            if meeting.id in wanted.get("meeting", ()):
                text = " ".join(part for part in (meeting.location, plain(meeting.description)) if part)
                hits["meeting", meeting.id] = Hit("meeting", meeting.id, meeting.title, text, tank,
                                                  meeting.starts_at, status=meeting.state, meeting_id=meeting.id)
            if meeting.id in wanted.get("minutes", ()):
                hits["minutes", meeting.id] = Hit("minutes", meeting.id, meeting.title, plain(meeting.minutes), tank,
                                                  meeting.minutes_published_at, meeting_id=meeting.id)
    return [hits[key] for key in keys if key in hits]
