"""The meetings an idea went through: on the agenda, brought in live, voted on, decided — for its page.

One query finds the meetings and how the idea came up at each (a UNION over the agenda, the ideas brought in at
the meeting, the ballots and the decisions about the idea); the meetings' own rule
(operations.may_view, with the viewer's memberships and registrations for those meetings: two more queries for
a signed-in viewer, none for a visitor) leaves out the ones the viewer may not see. Cancelled meetings are left out.
"""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import literal, select, union_all

from samen.core.database import db
from samen.ideas.models import Idea
from samen.meetings import operations as ops
from samen.meetings.models import (AgendaItem, Ballot, Decision, Meeting, MeetingIdea, agenda_item_ideas,
                                   ballot_options, decision_ideas)

# How an idea came up at a meeting, in the order the page names them.
ROLES = {"agenda": _l("on the agenda"), "brought_in": _l("brought in during the meeting"),
         "voted": _l("voted on"), "decided": _l("decided")}


def meetings_for_idea(idea: Idea, user: Any) -> list[tuple[Meeting, list[Any]]]:
    """Return the meetings the viewer may see where the idea came up, soonest first, each with how (ROLES)."""
    links = union_all(
        select(AgendaItem.meeting_id.label("meeting_id"), literal("agenda").label("role"))
        .join(agenda_item_ideas, agenda_item_ideas.c.agenda_item_id == AgendaItem.id)
        .where(agenda_item_ideas.c.idea_id == idea.id),
        select(MeetingIdea.meeting_id, literal("brought_in")).where(MeetingIdea.idea_id == idea.id),
        select(Ballot.meeting_id, literal("voted")).join(ballot_options, ballot_options.c.ballot_id == Ballot.id)
        .where(ballot_options.c.idea_id == idea.id),
        select(Decision.meeting_id, literal("decided"))
        .join(decision_ideas, decision_ideas.c.decision_id == Decision.id)
        .where(decision_ideas.c.idea_id == idea.id),
    ).subquery("links")
    rows = db.session.execute(
        select(Meeting, links.c.role).join(links, links.c.meeting_id == Meeting.id)
        .where(Meeting.state != "cancelled").order_by(Meeting.starts_at, Meeting.id)).all()
    if not rows:
        return []
    roles: dict[int, set[str]] = {}
    meetings: dict[int, Meeting] = {}
    for meeting, role in rows:
        meetings.setdefault(meeting.id, meeting)
        roles.setdefault(meeting.id, set()).add(role)
    viewer = ops.viewer_of(user, list(meetings))
    return [(meeting, [label for role, label in ROLES.items() if role in roles[meeting.id]])
            for meeting in meetings.values() if ops.may_view(meeting, viewer)]
