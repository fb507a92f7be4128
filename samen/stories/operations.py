"""Stories' rules and changes: who reads them, recording, the analysis team's work, consent, directions.

Two rules decide everything here:
* who reads a story: `may_read_story` (the analysis team reads every story, a field worker their own; nobody
  else — not administrators as such, not think-tank members, not the public);
* what may be quoted: `may_quote` (consent "quote" or "publish"; never "analysis"). Every output that shows or
  exports a story's words — a direction put to a think tank, the CSV export — asks it.

Every read and every change is recorded in the audit log (subject type `story`, `direction`), never the content.
Operations import nothing from Flask; the caller commits.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import defer, selectinload

from samen.accounts.models import User
from samen.audit import operations as audit
from samen.core import inputs
from samen.core.database import db, utcnow
from samen.core.errors import DomainError, Forbidden
from samen.ideas import operations as idea_ops
from samen.ideas.models import Idea, IdeaVersion
from samen.privacy import builtin as _builtin  # noqa: F401  (the account's own sections come first in a download)
from samen.privacy.registry import register, retention_cutoff
from samen.programme.models import PlanRole
from samen.programme.roles import has_plan_role, is_coordinator
from samen.stories.crypto import rotate_table
from samen.stories.models import (CONSENTS, TELLERS, Direction, KnowledgeSource, Story, StoryTheme,
                                  direction_stories, story_sources, story_theme_links)
from samen.thinktanks.models import ThinkTank

TEXT_MAX = 5000
NEIGHBOURHOOD_MAX = 120
ACTION_MAX = 1000
THEME_MAX = 80
SOURCE_TITLE_MAX = 200
PUBLISHER_MAX = 120
SOURCE_NOTE_MAX = 1000
DIRECTION_TITLE_MAX = 200
DIRECTION_BODY_MAX = 10_000
QUOTE_MAX = 600  # characters of a story quoted in an idea
COUNT_THRESHOLD = 5  # theme counts below this are never given out
SUBJECT = "story"
NOT_YOURS = _l("Only field workers and the analysis team read stories.")


# --- who ------------------------------------------------------------------------------------------------------

def is_field_worker(user: Any) -> bool:
    return has_plan_role(user, "field_worker")


def is_analyst(user: Any) -> bool:
    """Whether the user is on the analysis team (reads every story, bundles them into directions)."""
    return has_plan_role(user, "analyst")


def may_use_stories(user: Any) -> bool:
    """Whether the user sees the stories pages at all: field workers and the analysis team."""
    return is_field_worker(user) or is_analyst(user)


def may_read_story(user: Any, story: Story) -> bool:
    """The one rule for reading a story: the analysis team reads every story, a field worker their own."""
    if is_analyst(user):
        return True
    return is_field_worker(user) and story.author_id is not None and story.author_id == user.id


def may_edit_story(user: Any, story: Story) -> bool:
    """A field worker changes their own stories (the analysis team tags them, see analyse_story)."""
    return is_field_worker(user) and story.author_id == getattr(user, "id", None)


def may_delete_story(user: Any, story: Story) -> bool:
    return may_edit_story(user, story) or is_analyst(user)


def may_manage_themes(user: Any) -> bool:
    """Administrators and the coordinator keep the list of themes."""
    return is_coordinator(user)


def may_grant_field_workers(user: Any) -> bool:
    """Administrators and the coordinator make people field workers."""
    return is_coordinator(user)


def _require(allowed: bool, message: Any = None) -> None:
    if not allowed:
        raise Forbidden(message or NOT_YOURS, code="not_stories_team")


# --- consent: the one function --------------------------------------------------------------------------------

QUOTABLE_CONSENTS = ("quote", "publish")


def may_quote(story: Story) -> bool:
    """Whether a story's words may leave the analysis: quoted (consent "quote", without anything that identifies
    anyone) or published ("publish"). A story "for analysis only" is never quoted or exported anywhere."""
    return story.consent in QUOTABLE_CONSENTS


def quotable(stories: Iterable[Story]) -> list[Story]:
    """Return the stories whose words may be quoted, in their order."""
    return [story for story in stories if may_quote(story)]


# --- themes ---------------------------------------------------------------------------------------------------

def list_themes(*, archived: bool = False) -> list[StoryTheme]:
    """Return the themes of the list (with `archived`, the archived ones too), by name."""
    stmt = select(StoryTheme)
    if not archived:
        stmt = stmt.where(StoryTheme.archived.is_(False))
    return list(db.session.scalars(stmt.order_by(StoryTheme.name)))


def add_theme(name: Any, *, by: Any) -> StoryTheme:
    """Add a theme to the list (administrators and the coordinator)."""
    _require(may_manage_themes(by), _l("Only administrators and the coordinator keep the list of themes."))
    text = inputs.line(name, field="name", maximum=THEME_MAX, required=True, label=_l("Theme"))
    if db.session.scalar(select(StoryTheme.id).where(func.lower(StoryTheme.name) == text.lower())):
        raise DomainError(_l("This theme is on the list already."), field="name")
    theme = StoryTheme(name=text)
    db.session.add(theme)
    db.session.flush()
    audit.record(by, "story_theme.added", "story_theme", theme.id, name=text)
    return theme


def set_theme_archived(theme: StoryTheme, archived: bool, *, by: Any) -> None:
    """Take a theme off the list for new stories (or put it back); stories keep it."""
    _require(may_manage_themes(by), _l("Only administrators and the coordinator keep the list of themes."))
    theme.archived = bool(archived)
    audit.record(by, "story_theme.archived" if archived else "story_theme.restored", "story_theme", theme.id)


def _themes(values: Iterable[Any] | None) -> list[StoryTheme]:
    ids = {inputs.ident(value, field="themes") for value in values or ()}
    if not ids:
        return []
    found = list(db.session.scalars(select(StoryTheme).where(StoryTheme.id.in_(ids))))
    if len(found) != len(ids):
        raise DomainError(_l("Choose themes from the list."), field="themes")
    return sorted(found, key=lambda theme: theme.name)


# --- recording ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StoryData:
    """What a field worker writes down (checked by `checked`)."""

    text: str
    teller: str
    neighbourhood: str
    told_on: date
    action_needed: bool
    action_taken: str | None
    consent: str


def checked(*, text: Any, teller: Any, neighbourhood: Any, told_on: Any, action_needed: Any = False,
            action_taken: Any = None, consent: Any, today: date) -> StoryData:
    """Return the story's fields checked, or refuse the first that is wrong (naming its field)."""
    body = inputs.body(text, field="text", maximum=TEXT_MAX, required=True, label=_l("The story"))
    if teller not in TELLERS:
        raise DomainError(_l("Choose who told the story."), field="teller")
    place = inputs.line(neighbourhood, field="neighbourhood", maximum=NEIGHBOURHOOD_MAX, required=True,
                        label=_l("Neighbourhood"))
    day = inputs.day(told_on, field="told_on")
    if day is None:
        raise DomainError(_l("Enter the day the story was told."), field="told_on")
    if day > today:
        raise DomainError(_l("The day the story was told cannot be in the future."), field="told_on")
    if consent not in CONSENTS:
        raise DomainError(_l("Choose the consent the teller gave."), field="consent")
    needed = bool(action_needed)
    done = inputs.body(action_taken, field="action_taken", maximum=ACTION_MAX) or None
    if needed and not done:
        raise DomainError(_l("Say what was done, since immediate action was needed."), field="action_taken")
    return StoryData(text=body, teller=teller, neighbourhood=place, told_on=day, action_needed=needed,
                     action_taken=done, consent=consent)


def record_story(*, by: Any, themes: Iterable[Any] = (), today: date | None = None, **fields: Any) -> Story:
    """Record a story told to a field worker (told today, or earlier: written up later from notes)."""
    _require(is_field_worker(by), _l("Only field workers record stories."))
    today = today or utcnow().date()
    data = checked(today=today, **fields)
    now = utcnow()
    story = Story(author_id=by.id, text=data.text, teller=data.teller, neighbourhood=data.neighbourhood,
                  told_on=data.told_on, from_notes=data.told_on < today, action_needed=data.action_needed,
                  action_taken=data.action_taken, consent=data.consent, themes=_themes(themes),
                  created_at=now, updated_at=now)
    db.session.add(story)
    db.session.flush()
    audit.record(by, "story.created", SUBJECT, story.id, consent=story.consent)
    return story


def update_story(story: Story, *, by: Any, themes: Iterable[Any] | None = None, today: date | None = None,
                 **fields: Any) -> Story:
    """Change your own story (the consent too: a teller may change their mind)."""
    _require(may_edit_story(by, story), _l("Only the field worker who recorded a story changes it."))
    data = checked(today=today or utcnow().date(), **fields)
    changed = [name for name in ("text", "teller", "neighbourhood", "told_on", "action_needed", "action_taken",
                                 "consent") if getattr(story, name) != getattr(data, name)]
    old_consent, old_text = story.consent, story.text
    for name in changed:
        setattr(story, name, getattr(data, name))
    if themes is not None:
        story.themes = _themes(themes)
    story.updated_at = utcnow()
    details: dict[str, Any] = {"fields": changed}
    if "consent" in changed:
        details["consent"] = [old_consent, story.consent]
    audit.record(by, "story.updated", SUBJECT, story.id, **details)
    if old_consent in QUOTABLE_CONSENTS and not may_quote(story):
        withdraw_quotes(story, old_text, by=by)
    return story


def delete_story(story: Story, *, by: Any) -> None:
    """Delete a story: its field worker or the analysis team."""
    _require(may_delete_story(by, story), _l("Only the field worker who recorded a story or the analysis team "
                                             "delete it."))
    audit.record(by, "story.deleted", SUBJECT, story.id)
    db.session.delete(story)


# --- reading --------------------------------------------------------------------------------------------------

def _story_options() -> list[Any]:
    return [selectinload(Story.themes), selectinload(Story.sources), selectinload(Story.author)]


def list_stories(user: Any, *, theme_id: int | None = None, consent: str | None = None,
                 with_text: bool = False) -> list[Story]:
    """Return the stories the user reads (the analysis team: all; a field worker: their own), newest told
    first, in a fixed number of queries; the read is recorded. Without `with_text` the texts are not loaded
    (nor decrypted): the list shows none."""
    _require(may_use_stories(user))
    stmt = select(Story).options(*_story_options())
    if not with_text:
        stmt = stmt.options(defer(Story.text, raiseload=True), defer(Story.action_taken, raiseload=True))
    if not is_analyst(user):
        stmt = stmt.where(Story.author_id == user.id)
    if theme_id is not None:
        stmt = stmt.where(Story.id.in_(select(story_theme_links.c.story_id)
                                       .where(story_theme_links.c.theme_id == theme_id)))
    if consent in CONSENTS:
        stmt = stmt.where(Story.consent == consent)
    stories = list(db.session.scalars(stmt.order_by(Story.told_on.desc(), Story.id.desc())))
    audit.record(user, "story.listed", SUBJECT, 0, count=len(stories))
    return stories


def read_story(story_id: int, *, by: Any) -> Story | None:
    """Return a story the user may read, and record the read; None when there is none or it is not theirs
    (a field worker learns nothing of another's stories, not even that they exist)."""
    _require(may_use_stories(by))
    story = db.session.scalar(select(Story).where(Story.id == story_id).options(*_story_options()))
    if story is None or not may_read_story(by, story):
        return None
    audit.record(by, "story.read", SUBJECT, story.id)
    return story


# --- the analysis team ----------------------------------------------------------------------------------------

def excerpt(story: Story, limit: int = 80) -> str:
    """Return the start of a story as one line, for the analysis team's lists (never shown to anyone else)."""
    text = " ".join(story.text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def analyse_story(story: Story, *, by: Any, themes: Iterable[Any], sources: Iterable[Any]) -> Story:
    """Tag a story with themes and link it to knowledge sources (the analysis team)."""
    _require(is_analyst(by), _l("Only the analysis team tags stories."))
    story.themes = _themes(themes)
    story.sources = _sources(sources)
    story.updated_at = utcnow()
    audit.record(by, "story.analysed", SUBJECT, story.id, themes=[theme.id for theme in story.themes],
                 sources=[source.id for source in story.sources])
    return story


def list_sources() -> list[KnowledgeSource]:
    return list(db.session.scalars(select(KnowledgeSource).order_by(KnowledgeSource.title, KnowledgeSource.id)))


def create_source(*, by: Any, title: Any, publisher: Any = "", url: Any = "", note: Any = "") -> KnowledgeSource:
    """Add a knowledge source: what is known to work, and who says so (the analysis team)."""
    _require(is_analyst(by), _l("Only the analysis team adds knowledge sources."))
    source = KnowledgeSource(
        title=inputs.line(title, field="title", maximum=SOURCE_TITLE_MAX, required=True, label=_l("Title")),
        publisher=inputs.line(publisher, field="publisher", maximum=PUBLISHER_MAX),
        url=inputs.web_address(url, field="url"),
        note=inputs.body(note, field="note", maximum=SOURCE_NOTE_MAX), created_by_id=by.id)
    db.session.add(source)
    db.session.flush()
    audit.record(by, "knowledge_source.created", "knowledge_source", source.id)
    return source


def _sources(values: Iterable[Any] | None) -> list[KnowledgeSource]:
    ids = {inputs.ident(value, field="sources") for value in values or ()}
    if not ids:
        return []
    found = list(db.session.scalars(select(KnowledgeSource).where(KnowledgeSource.id.in_(ids))))
    if len(found) != len(ids):
        raise DomainError(_l("Choose knowledge sources from the list."), field="sources")
    return sorted(found, key=lambda source: source.title)


# --- directions -----------------------------------------------------------------------------------------------

def _direction_stories(values: Iterable[Any] | None) -> list[Story]:
    ids = {inputs.ident(value, field="stories") for value in values or ()}
    if not ids:
        raise DomainError(_l("Choose the stories this direction is based on."), field="stories")
    found = list(db.session.scalars(select(Story).where(Story.id.in_(ids)).options(selectinload(Story.themes))))
    if len(found) != len(ids):
        raise DomainError(_l("Choose stories from the list."), field="stories")
    return sorted(found, key=lambda story: (story.told_on, story.id))


def list_directions(user: Any) -> list[Direction]:
    """Return the directions (the analysis team), newest first."""
    _require(is_analyst(user), _l("Only the analysis team works on directions."))
    directions = list(db.session.scalars(select(Direction).options(selectinload(Direction.stories))
                                         .order_by(Direction.created_at.desc(), Direction.id.desc())))
    audit.record(user, "direction.listed", "direction", 0, count=len(directions))
    return directions


def read_direction(direction_id: int, *, by: Any) -> Direction | None:
    """Return a direction with its stories (the analysis team), and record the read."""
    _require(is_analyst(by), _l("Only the analysis team works on directions."))
    direction = db.session.scalar(select(Direction).where(Direction.id == direction_id).options(
        selectinload(Direction.stories).selectinload(Story.themes),
        selectinload(Direction.stories).selectinload(Story.sources)))
    if direction is not None:
        audit.record(by, "direction.read", "direction", direction.id)
    return direction


def save_direction(direction: Direction | None, *, by: Any, title: Any, body: Any, stories: Iterable[Any]
                   ) -> Direction:
    """Create a direction (None) or change one: a title, a Markdown text and the stories it is based on."""
    _require(is_analyst(by), _l("Only the analysis team works on directions."))
    checked_title = inputs.line(title, field="title", maximum=DIRECTION_TITLE_MAX, required=True,
                                label=_l("Title"))
    checked_body = inputs.body(body, field="body", maximum=DIRECTION_BODY_MAX)
    chosen = _direction_stories(stories)
    now = utcnow()
    if direction is None:
        direction = Direction(created_by_id=by.id, created_at=now, title=checked_title, body=checked_body)
        db.session.add(direction)
        action = "direction.created"
    else:
        action = "direction.updated"
    direction.title, direction.body, direction.stories, direction.updated_at = (checked_title, checked_body,
                                                                                chosen, now)
    db.session.flush()
    audit.record(by, action, "direction", direction.id, stories=[story.id for story in chosen])
    return direction


def direction_themes(direction: Direction) -> list[str]:
    """Return the names of its stories' themes, the most frequent first."""
    counts: dict[str, int] = {}
    for story in direction.stories:
        for theme in story.themes:
            counts[theme.name] = counts.get(theme.name, 0) + 1
    return sorted(counts, key=lambda name: (-counts[name], name))


def _quote(text: str) -> str:
    short = text if len(text) <= QUOTE_MAX else text[:QUOTE_MAX].rsplit(" ", 1)[0] + " …"
    return "\n".join("> " + line if line.strip() else ">" for line in short.splitlines())


def idea_body(direction: Direction) -> str:
    """Return the Markdown an idea put forward from the direction says: its text, what it is based on, the
    themes, and quotes — only of stories whose consent allows it (may_quote)."""
    count = len(direction.stories)
    parts = [direction.body.strip()] if direction.body.strip() else []
    parts.append("**" + ngettext("Based on %(num)d story from the field.", "Based on %(num)d stories from the "
                                 "field.", count) + "**")
    themes = direction_themes(direction)
    if themes:
        parts.append(str(_l("Themes: %(themes)s.", themes=", ".join(themes))))
    for story in quotable(direction.stories):
        parts.append(_quote(story.text))
    return "\n\n".join(parts)


def put_to_thinktank(direction: Direction, thinktank: ThinkTank, *, by: Any) -> Idea:
    """Put the direction to a think tank as an idea (by an analyst who is a member there), through the ideas'
    own operation; the direction keeps the idea and what it was based on."""
    _require(is_analyst(by), _l("Only the analysis team works on directions."))
    if direction.idea_id is not None:
        raise DomainError(_l("This direction was put to a think tank already."), code="already_put")
    idea = idea_ops.create_idea(thinktank, author=by, title=direction.title, body=idea_body(direction))
    direction.idea_id = idea.id
    direction.basis = {"stories": len(direction.stories), "themes": direction_themes(direction)}
    direction.updated_at = utcnow()
    audit.record(by, "direction.put_to_thinktank", "direction", direction.id, idea=idea.id,
                 thinktank=thinktank.id)
    return idea


def _without(text: str, block: str) -> str:
    for form in ("\n\n" + block, block + "\n\n", block):
        text = text.replace(form, "")
    return text


def withdraw_quotes(story: Story, quoted_text: str, *, by: Any) -> int:
    """Take the quote of a story whose teller withdrew the consent to quote it out of every idea its directions
    became, and out of those ideas' earlier versions (the consent is enforced by the code, not left to the
    idea's author); return how many ideas changed. Each idea is an audit entry: `removed` is false when its
    author had changed the quote, so that the analysis team can ask them. Mail sent before cannot be recalled."""
    block = _quote(quoted_text)
    ideas = list(db.session.scalars(
        select(Idea).join(Direction, Direction.idea_id == Idea.id)
        .join(direction_stories, direction_stories.c.direction_id == Direction.id)
        .where(direction_stories.c.story_id == story.id).order_by(Idea.id)))
    changed_ideas = 0
    for idea in ideas:
        changed = block in idea.body
        if changed:
            idea.body = _without(idea.body, block)
        earlier = select(IdeaVersion).where(IdeaVersion.idea_id == idea.id,
                                            IdeaVersion.body.contains(block, autoescape=True))
        for version in db.session.scalars(earlier):
            version.body = _without(version.body, block)
            changed = True
        audit.record(by, "story.quote_withdrawn", SUBJECT, story.id, idea=idea.id, removed=changed)
        changed_ideas += changed
    return changed_ideas


@dataclass(frozen=True)
class Basis:
    """What an idea put forward from a direction was based on: no story, no quote, only the count and themes."""

    stories: int
    themes: list[str]


def bases_of(idea_ids: Iterable[int]) -> dict[int, Basis]:
    """Return, per idea put forward from a direction, what it was based on: one query for any number of ideas."""
    ids = [idea_id for idea_id in idea_ids if idea_id is not None]
    if not ids:
        return {}
    rows = db.session.execute(select(Direction.idea_id, Direction.basis).where(Direction.idea_id.in_(ids)))
    return {row[0]: Basis(stories=int((row[1] or {}).get("stories", 0)), themes=list((row[1] or {}).get("themes",
                                                                                                        [])))
            for row in rows}


# --- exports and counts ---------------------------------------------------------------------------------------

EXPORT_COLUMNS = ("id", "told_on", "teller", "themes", "consent", "text")


def export_rows(user: Any) -> list[dict[str, Any]]:
    """Return the stories that may be quoted, for the analysis team's CSV export: a story for analysis only is
    never exported (may_quote), not even as a row."""
    _require(is_analyst(user), _l("Only the analysis team exports stories."))
    stories = list(db.session.scalars(select(Story).options(selectinload(Story.themes))
                                      .order_by(Story.told_on, Story.id)))
    rows = [{"id": story.id, "told_on": story.told_on.isoformat(), "teller": story.teller,
             "themes": "; ".join(theme.name for theme in story.themes), "consent": story.consent,
             "text": story.text} for story in quotable(stories)]
    audit.record(user, "story.exported", SUBJECT, 0, count=len(rows))
    return rows


def theme_counts(start: date, end: date) -> list[tuple[str, int]]:
    """Return how many stories told from `start` to `end` (both included) carry each theme, the most frequent
    first; a theme with fewer than COUNT_THRESHOLD (5) stories is left out, so no count below 5 is given out.
    For the yearly evaluation: numbers only, no story."""
    rows = db.session.execute(
        select(StoryTheme.name, func.count(story_theme_links.c.story_id))
        .join(story_theme_links, story_theme_links.c.theme_id == StoryTheme.id)
        .join(Story, Story.id == story_theme_links.c.story_id)
        .where(Story.told_on >= start, Story.told_on <= end)
        .group_by(StoryTheme.name)
        .having(func.count(story_theme_links.c.story_id) >= COUNT_THRESHOLD))
    return sorted(((row[0], int(row[1])) for row in rows), key=lambda pair: (-pair[1], pair[0]))


# --- field workers --------------------------------------------------------------------------------------------

def field_workers() -> list[User]:
    """Return the field workers, by name."""
    return list(db.session.scalars(select(User).join(PlanRole, PlanRole.user_id == User.id)
                                   .where(PlanRole.role == "field_worker").order_by(User.display_name, User.id)))


def grant_field_worker(user: User, *, by: Any) -> bool:
    """Make the user a field worker (administrators and the coordinator); False if they were one already.
    (The programme's admin page grants every plan-wide role; this is the stories' own small page.)"""
    _require(may_grant_field_workers(by), _l("Only administrators and the coordinator name field workers."))
    exists = db.session.scalar(select(PlanRole.id).where(PlanRole.user_id == user.id,
                                                         PlanRole.role == "field_worker"))
    if exists is not None:
        return False
    db.session.add(PlanRole(user_id=user.id, role="field_worker", granted_by_id=by.id))
    audit.record(by, "plan_role.granted", "user", user.id, role="field_worker")
    return True


def revoke_field_worker(user: User, *, by: Any) -> bool:
    """Take the field worker role away; their stories stay (the analysis team still reads them)."""
    _require(may_grant_field_workers(by), _l("Only administrators and the coordinator name field workers."))
    removed = db.session.execute(delete(PlanRole).where(PlanRole.user_id == user.id,
                                                        PlanRole.role == "field_worker")).rowcount
    if removed:
        audit.record(by, "plan_role.revoked", "user", user.id, role="field_worker")
    return bool(removed)


# --- privacy and retention ------------------------------------------------------------------------------------

def export_person(user: Any) -> dict[str, Any]:
    """A field worker's own data: which stories they recorded and when — not what the stories say (the
    teller's words, which may be for analysis only)."""
    rows = db.session.execute(select(Story.id, Story.told_on, Story.created_at).where(Story.author_id == user.id)
                              .order_by(Story.id))
    return {"stories recorded": [{"id": row[0], "told_on": row[1].isoformat(), "recorded_at": row[2].isoformat()}
                                 for row in rows]}


def erase_person(user: Any, *, keep_contributions: bool = True) -> dict[str, int]:
    """Forget who recorded the stories: the stories are the tellers', and stay for the analysis."""
    changed = db.session.execute(update(Story).where(Story.author_id == user.id).values(author_id=None)).rowcount
    return {"stories no longer attributed": changed} if changed else {}


def retain(*, now: datetime, settings: Any, dry_run: bool) -> dict[str, int]:
    """Delete stories told more than STORIES_RETENTION_DAYS ago (what directions were based on stays as a count)."""
    cutoff = retention_cutoff(settings, "STORIES_RETENTION_DAYS", now)
    if cutoff is None:
        return {}
    ids = list(db.session.scalars(select(Story.id).where(Story.told_on < cutoff.date())))
    if ids and not dry_run:
        db.session.execute(delete(direction_stories).where(direction_stories.c.story_id.in_(ids)))
        db.session.execute(delete(story_theme_links).where(story_theme_links.c.story_id.in_(ids)))
        db.session.execute(delete(story_sources).where(story_sources.c.story_id.in_(ids)))
        db.session.execute(delete(Story).where(Story.id.in_(ids)))
        for story_id in ids:
            audit.record(None, "story.deleted_by_retention", SUBJECT, story_id)
    return {"stories": len(ids)}


register("stories", export=export_person, erase=erase_person, retain=retain)


def rotate_keys() -> int:
    """Re-encrypt every story and direction with the newest key."""
    return sum(rotate_table(db.session, model.__table__) for model in (Story, Direction))
