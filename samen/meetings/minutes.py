"""The minutes of a live meeting: drafted in Markdown when it closes (attendance, and per agenda item the ideas,
the ballots in their own words, the decisions and action items), then edited and published by a chair."""
from __future__ import annotations

from typing import Any

from flask_babel import format_date, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from samen.core import inputs, names
from samen.core.database import db, utcnow
from samen.core.errors import DomainError
from samen.ideas.models import Idea
from samen.ideas.operations import author_name, listed_ideas
from samen.meetings import access
from samen.meetings.operations import tell_followers
from samen.meetings.guests import guest_count
from samen.meetings.models import (Attendance, Ballot, Decision, Meeting,
                                   MeetingCommand, MeetingIdea)
from samen.meetings.state import Result, agenda_of, append_command, tally_of

MINUTES_MAX = 100_000


# --- minutes -------------------------------------------------------------------------------------------------

def _md(text: str) -> str:
    """Escape what would change the Markdown's structure in a one-line user text."""
    return " ".join(str(text).split()).replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_") \
        .replace("[", "\\[").replace("]", "\\]").replace("#", "\\#").replace("<", "&lt;")


def _votes(count: int) -> str:
    return str(ngettext("%(num)d vote", "%(num)d votes", count))


def _ballot_line(ballot: Ballot) -> str:
    """A ballot's results in the words the ballot itself used (Yes, No, Abstain), with proper plurals."""
    votes, tally = tally_of(ballot)
    if ballot.kind == "question":
        answers = ", ".join(f"{label} {tally[key]}" for key, label in (("yes", _l("Yes")), ("no", _l("No")),
                                                                       ("abstain", _l("Abstain"))))
        return str(_l("%(question)s — %(answers)s (%(votes)s)", question=_md(ballot.question or ""),
                      answers=answers, votes=_votes(votes)))
    results = "; ".join(f"{_md(idea.title)}: {tally.get(str(idea.id), 0)}"
                        for idea in sorted(ballot.options, key=lambda idea: -tally.get(str(idea.id), 0)))
    return str(_l("Dot voting, %(dots)s each (%(votes)s) — %(results)s",
                  dots=ngettext("%(num)d dot", "%(num)d dots", ballot.dots or 0), votes=_votes(votes),
                  results=results))


def reached_items(meeting: Meeting) -> set[int]:
    """Return the positions of the agenda items the board went to (the first when it opened, then every goto)."""
    gone = db.session.scalars(select(MeetingCommand.payload).where(MeetingCommand.meeting_id == meeting.id,
                                                                   MeetingCommand.kind == "agenda:goto"))
    reached = {payload.get("index") for payload in gone if isinstance(payload, dict)}
    if meeting.opened_at is not None:
        reached.add(0)
    return reached


def draft_minutes(meeting: Meeting) -> str:
    """Return draft minutes in Markdown: attendance, and per agenda item the ideas, ballot results, decisions
    and action items. Changes nothing."""
    from samen.accounts.models import User

    agenda = agenda_of(meeting)
    attended = db.session.scalar(select(func.count()).select_from(Attendance)
                                 .where(Attendance.meeting_id == meeting.id)) or 0
    ideas = db.session.execute(select(MeetingIdea.agenda_item_id, Idea).join(Idea, Idea.id == MeetingIdea.idea_id)
                               .where(MeetingIdea.meeting_id == meeting.id,
                                      Idea.review.is_(None))  # what waits for a chair is in no minutes
                               .order_by(Idea.id)
                               .options(selectinload(Idea.author), selectinload(Idea.merged_into))).all()
    ballots = list(db.session.scalars(select(Ballot).where(Ballot.meeting_id == meeting.id).order_by(Ballot.id)
                                      .options(selectinload(Ballot.options))))
    decisions = list(db.session.scalars(select(Decision).where(Decision.meeting_id == meeting.id)
                                        .order_by(Decision.id).options(selectinload(Decision.action),
                                                                       selectinload(Decision.ideas))))
    # The ideas the decisions were about, as the minutes' readers may see them listed: a think tank's minutes
    # are for its readers (may_read_minutes); a plenary's are for all, so a closed think tank's ideas stay out.
    decided = [idea for decision in decisions for idea in decision.ideas]
    named = {idea.id for idea in (listed_ideas(decided, None) if meeting.thinktank_id is None
                                  else [idea for idea in decided if idea.is_visible])}
    owners = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(
        [d.action.owner_id for d in decisions if d.action is not None and d.action.owner_id])))}

    reached = reached_items(meeting)
    lines = [f"# {_md(meeting.title)}", ""]
    when = format_date(meeting.opened_at or meeting.starts_at, format="long")  # 7 december 2026, December 7, 2026
    lines.append(str(_l("Date: %(date)s", date=when)) + "  ")
    if meeting.location:
        lines.append(str(_l("Place: %(place)s", place=_md(meeting.location))) + "  ")
    lines.append(str(ngettext("Present: %(num)d participant", "Present: %(num)d participants", attended)))
    guests = guest_count(meeting)  # guests are counted, never named
    if guests:
        lines[-1] += "  "
        lines.append(str(ngettext("Guests without an account: %(num)d", "Guests without an account: %(num)d",
                                  guests)))
    lines.append("")

    sections: list[tuple[str, int | None]] = [(entry.title, entry.id) for entry in agenda]
    positions = {entry.id: index for index, entry in enumerate(agenda)}
    known = {entry.id for entry in agenda}
    if any(i is None or i not in known for i, _ in ideas) or any(
            b.agenda_item_id not in known for b in ballots) or any(d.agenda_item_id not in known for d in decisions):
        sections.append((str(_l("Other business")), None))
    for number, (title, item_id) in enumerate(sections, start=1):
        def here(value: int | None, item_id: int | None = item_id) -> bool:
            return value == item_id if item_id is not None else value not in known
        lines += [f"## {number}. {_md(title)}", ""]
        item_ideas = [idea for agenda_item_id, idea in ideas if here(agenda_item_id)]
        item_ballots = [ballot for ballot in ballots if here(ballot.agenda_item_id)]
        item_decisions = [decision for decision in decisions if here(decision.agenda_item_id)]
        if not (item_ideas or item_ballots or item_decisions):
            lines += [str(_l("Discussed; nothing recorded.") if item_id is None or positions[item_id] in reached
                          else _l("Not reached in this meeting.")), ""]
            continue
        if item_ideas:
            lines += ["### " + str(_l("Ideas")), ""]
            for idea in item_ideas:
                entry = f"- [{_md(idea.title)}](/ideas/{idea.id})"
                name = author_name(idea)
                if name:
                    entry += " — " + _md(name)
                if idea.status == "merged" and idea.merged_into is not None:
                    entry += " " + str(_l("(merged into “%(title)s”)", title=_md(idea.merged_into.title)))
                lines.append(entry)
            lines.append("")
        if item_ballots:
            lines += ["### " + str(_l("Votes")), ""]
            lines += [f"- {_ballot_line(ballot)}" for ballot in item_ballots]
            lines.append("")
        if item_decisions:
            lines += ["### " + str(_l("Decisions")), ""]
            for decision in item_decisions:
                lines.append(f"- {_md(decision.text)}")
                about = [f"[{_md(idea.title)}](/ideas/{idea.id})" for idea in decision.ideas if idea.id in named]
                if about:
                    lines.append("  - " + str(_l("About:")) + " " + ", ".join(about))
                action = decision.action
                if action is not None:
                    extra = [f"[{_md(action.title)}](/actions/{action.id})"]
                    owner = owners.get(action.owner_id) if action.owner_id else None
                    if owner is not None:
                        # Minutes are published: people by the public form of their name (core/names.py).
                        extra.append(str(_l("owner: %(name)s", name=_md(names.public_name(owner)))))
                    if action.due_date is not None:
                        extra.append(str(_l("due: %(date)s", date=format_date(action.due_date, format="long"))))
                    lines.append("  - " + str(_l("Action item:")) + " " + ", ".join(extra))
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _require_closed_chair(meeting: Meeting, user: Any, role: Any) -> None:
    access.require(meeting, user, access.CHAIR, role=role)
    if meeting.state != "closed":
        raise DomainError(_l("Minutes can be written once the meeting is closed."), code="conflict")


def save_minutes(meeting: Meeting, user: Any, text: Any, *, role: Any = access.ASK) -> Result:
    """Store the chair's edit of the minutes (published minutes stay published, with the new text)."""
    _require_closed_chair(meeting, user, role)
    meeting.minutes = inputs.body(text, field="minutes", maximum=MINUTES_MAX, required=True, label=_l("Minutes"))
    db.session.flush()
    return Result(append_command(meeting, user, "minutes:save"), {})


def publish_minutes(meeting: Meeting, user: Any, text: Any = None, *, role: Any = access.ASK) -> Result:
    """Publish the minutes (with this text, if given): they appear on the meeting page and the public
    progress page."""
    _require_closed_chair(meeting, user, role)
    if text is not None:
        meeting.minutes = inputs.body(text, field="minutes", maximum=MINUTES_MAX, required=True, label=_l("Minutes"))
    if not (meeting.minutes or "").strip():
        raise DomainError(_l("%(label)s is required.", label=_l("Minutes")), field="minutes", code="required")
    if meeting.minutes_published_at is None:  # an edit of published minutes is no news
        tell_followers(meeting, "minutes.published", by=user)
    meeting.minutes_published_at = utcnow()
    db.session.flush()
    return Result(append_command(meeting, user, "minutes:publish"), {"published": True})


def unpublish_minutes(meeting: Meeting, user: Any, *, role: Any = access.ASK) -> Result:
    """Take published minutes off the public pages again."""
    _require_closed_chair(meeting, user, role)
    meeting.minutes_published_at = None
    db.session.flush()
    return Result(append_command(meeting, user, "minutes:unpublish"), {"published": False})


