"""The help directory and the questions and answers: read them, and let administrators keep them.

Reading is public. Writing is for site administrators: the views that call these operations are behind the
admin area's check, and every change is written to the audit log with the administrator who made it.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, select
from sqlalchemy.orm import joinedload, selectinload

from samen.audit import operations as audit
from samen.core import inputs
from samen.core.database import db
from samen.help import search
from samen.help.models import ENTRY_KINDS, QUESTION_CATEGORIES, HelpEntry, HelpQuestion, question_entries
from samen.thinktanks.models import ThinkTank

# The column lengths, checked here so that every caller gets a message rather than a database error.
NAME_MAX, TOPICS_MAX, HOURS_MAX, LANGUAGES_MAX = 150, 2000, 300, 200
QUESTION_MAX, ANSWER_MAX = 300, 20000
POSITION_MAX = 10_000
MAX_LINKED_ENTRIES = 20
ENTRY_FIELDS = ("kind", "name_nl", "name_en", "topics_nl", "topics_en", "phone", "email", "website", "hours_nl",
                "hours_en", "languages", "thinktank_id", "position")
QUESTION_FIELDS = ("category", "question_nl", "question_en", "answer_nl", "answer_en", "position", "entry_ids")


# --- reading ------------------------------------------------------------------------------------------------

def _emergency_first() -> Any:
    return case((HelpEntry.kind == "emergency", 0), else_=1)


def directory() -> list[HelpEntry]:
    """Return the directory: emergency entries first, then the rest, each in their order, with their think
    tanks — one query."""
    return list(db.session.scalars(
        select(HelpEntry).options(joinedload(HelpEntry.thinktank))
        .order_by(_emergency_first(), HelpEntry.position, HelpEntry.id)))


def organisations() -> list[HelpEntry]:
    """Return the directory's organisations (not the emergency numbers), in their order — one query."""
    return list(db.session.scalars(select(HelpEntry).where(HelpEntry.kind == "organisation")
                                   .order_by(HelpEntry.position, HelpEntry.id)))


def entries_by_id(ids: Any) -> dict[int, HelpEntry]:
    """Return the entries with these ids by id (those that still exist) — one query, none for no ids."""
    wanted = {int(entry_id) for entry_id in ids}
    if not wanted:
        return {}
    return {entry.id: entry for entry in db.session.scalars(select(HelpEntry).where(HelpEntry.id.in_(wanted)))}


def _category_order() -> Any:
    return case({category: number for number, category in enumerate(QUESTION_CATEGORIES)},
                value=HelpQuestion.category)


def questions(query: str = "", language: str = "nl", category: str | None = None) -> list[HelpQuestion]:
    """Return the questions, by category and in their order; with a query, those whose question or answer in
    this language holds every word of it — one query, whatever their number."""
    stmt = select(HelpQuestion).order_by(_category_order(), HelpQuestion.position, HelpQuestion.id)
    condition = search.matches(query, language)
    if condition is not None:
        stmt = stmt.where(condition)
    if category is not None:
        stmt = stmt.where(HelpQuestion.category == category)
    return list(db.session.scalars(stmt))


def get_question(question_id: Any) -> HelpQuestion | None:
    """Return a question with the directory entries its answer points to, or None."""
    if not inputs.is_id(question_id):
        return None
    return db.session.scalar(select(HelpQuestion).where(HelpQuestion.id == int(question_id))
                             .options(selectinload(HelpQuestion.entries).joinedload(HelpEntry.thinktank)))


def get_entry(entry_id: Any) -> HelpEntry | None:
    """Return a directory entry, or None."""
    return db.session.get(HelpEntry, int(entry_id)) if inputs.is_id(entry_id) else None


def linked_entry_ids() -> dict[int, list[int]]:
    """Return, per question id, the ids of the entries its answer points to (for the API's list)."""
    links: dict[int, list[int]] = {}
    rows = db.session.execute(select(question_entries.c.question_id, question_entries.c.entry_id)
                              .join(HelpEntry, HelpEntry.id == question_entries.c.entry_id)
                              .order_by(HelpEntry.position, HelpEntry.id))
    for question_id, entry_id in rows:
        links.setdefault(question_id, []).append(entry_id)
    return links


# --- checking -----------------------------------------------------------------------------------------------

def _choice(value: Any, choices: tuple[str, ...], *, field: str) -> str:
    if value not in choices:
        raise inputs.InvalidInput(_l("Choose one of: %(choices)s.", choices=", ".join(choices)), field=field)
    return str(value)


def _position(value: Any) -> int:
    if value in (None, ""):
        return 0
    return inputs.whole(value, field="position", minimum=0, maximum=POSITION_MAX,
                        message=_l("Enter a whole number from 0 to %(n)d.", n=POSITION_MAX))


def _thinktank_id(value: Any) -> int | None:
    thinktank_id = inputs.optional_ident(value, field="thinktank_id")
    if thinktank_id is not None and db.session.get(ThinkTank, thinktank_id) is None:
        raise inputs.InvalidInput(_l("There is no such think tank."), field="thinktank_id")
    return thinktank_id


def entry_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """Return a directory entry's fields, checked, or raise InvalidInput naming the first field at fault."""
    return {
        "kind": _choice(data.get("kind"), ENTRY_KINDS, field="kind"),
        "name_nl": inputs.line(data.get("name_nl"), field="name_nl", maximum=NAME_MAX, required=True,
                               label=_l("Name (Dutch)")),
        "name_en": inputs.line(data.get("name_en"), field="name_en", maximum=NAME_MAX),
        "topics_nl": inputs.body(data.get("topics_nl"), field="topics_nl", maximum=TOPICS_MAX),
        "topics_en": inputs.body(data.get("topics_en"), field="topics_en", maximum=TOPICS_MAX),
        "phone": inputs.phone_number(data.get("phone"), field="phone"),
        "email": inputs.email_address(data.get("email"), field="email"),
        "website": inputs.web_address(data.get("website"), field="website"),
        "hours_nl": inputs.line(data.get("hours_nl"), field="hours_nl", maximum=HOURS_MAX),
        "hours_en": inputs.line(data.get("hours_en"), field="hours_en", maximum=HOURS_MAX),
        "languages": inputs.line(data.get("languages"), field="languages", maximum=LANGUAGES_MAX),
        "thinktank_id": _thinktank_id(data.get("thinktank_id")),
        "position": _position(data.get("position")),
    }


def _entries(value: Any) -> list[HelpEntry]:
    ids = sorted({inputs.ident(one, field="entry_ids") for one in (value or [])})
    if len(ids) > MAX_LINKED_ENTRIES:
        raise inputs.InvalidInput(_l("Link at most %(n)d entries.", n=MAX_LINKED_ENTRIES), field="entry_ids")
    found = list(db.session.scalars(select(HelpEntry).where(HelpEntry.id.in_(ids)))) if ids else []
    if len(found) != len(ids):
        raise inputs.InvalidInput(_l("There is no such directory entry."), field="entry_ids")
    return found


def question_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """Return a question's fields, checked, or raise InvalidInput naming the first field at fault."""
    return {
        "category": _choice(data.get("category"), QUESTION_CATEGORIES, field="category"),
        "question_nl": inputs.line(data.get("question_nl"), field="question_nl", maximum=QUESTION_MAX,
                                   required=True, label=_l("Question (Dutch)")),
        "question_en": inputs.line(data.get("question_en"), field="question_en", maximum=QUESTION_MAX),
        "answer_nl": inputs.body(data.get("answer_nl"), field="answer_nl", maximum=ANSWER_MAX, required=True,
                                 label=_l("Answer (Dutch)")),
        "answer_en": inputs.body(data.get("answer_en"), field="answer_en", maximum=ANSWER_MAX),
        "position": _position(data.get("position")),
        "entries": _entries(data.get("entry_ids")),
    }


# --- writing (administrators) -------------------------------------------------------------------------------

def _changed(row: Any, values: Mapping[str, Any]) -> list[str]:
    """Set the values on the row and return the names of the fields that changed."""
    changed = []
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed.append(name)
    return changed


def create_entry(data: Mapping[str, Any], *, by: Any) -> HelpEntry:
    """Add a directory entry."""
    entry = HelpEntry(**entry_values(data))
    db.session.add(entry)
    db.session.flush()
    audit.record(by, "help.entry.create", "help_entry", entry.id, name=entry.name_nl, kind=entry.kind)
    return entry


def update_entry(entry: HelpEntry, data: Mapping[str, Any], *, by: Any) -> HelpEntry:
    """Change a directory entry; the audit log names the fields that changed."""
    changed = _changed(entry, entry_values(data))
    if changed:
        db.session.flush()
        audit.record(by, "help.entry.update", "help_entry", entry.id, name=entry.name_nl, fields=changed)
    return entry


def delete_entry(entry: HelpEntry, *, by: Any) -> None:
    """Remove a directory entry; answers that pointed to it no longer do."""
    audit.record(by, "help.entry.delete", "help_entry", entry.id, name=entry.name_nl, kind=entry.kind)
    db.session.delete(entry)
    db.session.flush()


def create_question(data: Mapping[str, Any], *, by: Any) -> HelpQuestion:
    """Add a question and its answer."""
    question = HelpQuestion(**question_values(data))
    db.session.add(question)
    db.session.flush()
    audit.record(by, "help.question.create", "help_question", question.id, question=question.question_nl)
    return question


def update_question(question: HelpQuestion, data: Mapping[str, Any], *, by: Any) -> HelpQuestion:
    """Change a question, its answer or its links; the audit log names the fields that changed."""
    values = question_values(data)
    entries = values.pop("entries")
    changed = _changed(question, values)
    if {entry.id for entry in question.entries} != {entry.id for entry in entries}:
        question.entries = entries
        changed.append("entries")
    if changed:
        db.session.flush()
        audit.record(by, "help.question.update", "help_question", question.id, question=question.question_nl,
                     fields=changed)
    return question


def delete_question(question: HelpQuestion, *, by: Any) -> None:
    """Remove a question and its answer."""
    audit.record(by, "help.question.delete", "help_question", question.id, question=question.question_nl)
    db.session.delete(question)
    db.session.flush()


def _move(row: Any, siblings: list[Any], direction: str) -> bool:
    """Swap the row with its neighbour among its siblings (in their order), numbering them 1, 2, 3, …"""
    index = siblings.index(row)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        return False
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for number, sibling in enumerate(siblings, start=1):
        sibling.position = number
    return True


def move_entry(entry: HelpEntry, direction: str, *, by: Any) -> bool:
    """Move an entry one place up or down among the entries of its kind; False when it is at that end."""
    siblings = list(db.session.scalars(select(HelpEntry).where(HelpEntry.kind == entry.kind)
                                       .order_by(HelpEntry.position, HelpEntry.id)))
    moved = _move(entry, siblings, direction)
    if moved:
        audit.record(by, "help.entry.move", "help_entry", entry.id, name=entry.name_nl, direction=direction)
    return moved


def move_question(question: HelpQuestion, direction: str, *, by: Any) -> bool:
    """Move a question one place up or down within its category; False when it is at that end."""
    siblings = list(db.session.scalars(select(HelpQuestion).where(HelpQuestion.category == question.category)
                                       .order_by(HelpQuestion.position, HelpQuestion.id)))
    moved = _move(question, siblings, direction)
    if moved:
        audit.record(by, "help.question.move", "help_question", question.id, question=question.question_nl,
                     direction=direction)
    return moved
