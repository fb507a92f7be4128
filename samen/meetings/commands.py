"""The live board's commands: the chair's and the participants'. Each takes the meeting, the acting user and the
user's role as the caller read it (access.require checks it; looked up when not given), validates, changes the
stored state, appends a MeetingCommand (whose id is the board's new version) and returns a `Result`: what to
broadcast, to whom. It adds to the session and flushes; the caller (samen/meetings/runner.py) commits once and only
then broadcasts, so nothing reaches a client that is not stored. Nothing here imports Flask."""
from __future__ import annotations

from functools import cache
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm.attributes import set_committed_value

from samen.accounts.operations import require_confirmed
from samen.core import inputs
from samen.core.database import db, upsert, utcnow
from samen.core.errors import DomainError, Forbidden
from samen.ideas.models import Idea
from samen.ideas.operations import listed_ideas
from samen.meetings import access
from samen.meetings.guests import is_guest
from samen.meetings.models import (Ballot, Decision, IdeaRound, LiveConnection, Meeting, MeetingGuest,
                                   MeetingIdea, RaisedHand, Vote, VoteDot, ballot_options)
from samen.meetings.minutes import draft_minutes
from samen.meetings.presence import record_present_attendance
from samen.meetings.state import (VOTE, Emit, Result, agenda_of, append_command, ballot_view, current_item,
                                  decision_view, hands_of, idea_view, inbox_entry_view, lock_board, log_command,
                                  open_ballot_of, open_round_of, require_live, round_view, shown_ballot, shown_round,
                                  tally_of, timer_of)


@cache
def _raise_vote_seq() -> Any:
    # A vote leaves `updated_at` alone: it changes the ballot's votes, not the meeting.
    return (update(Meeting.__table__).where(Meeting.id == bindparam("meeting"))
            .values(vote_seq=Meeting.vote_seq + 1, updated_at=Meeting.updated_at)
            .returning(Meeting.vote_seq, Meeting.board_version))


@cache
def _store_vote(dialect: str, voter: str = "user_id") -> Any:
    return upsert(Vote.__table__, {}, conflict=["ballot_id", voter], update=["choice", "updated_at"],
                  dialect=dialect)



# --- validation ------------------------------------------------------------------------------------------------

TEXT_MAX = 5_000  # a decision
QUESTION_MAX = 500
TIMER_MAX = 24 * 60 * 60
DOTS_MAX = 20
OPTIONS_MAX = 50


def _int(value: Any, *, field: str, minimum: int, maximum: int, message: Any) -> int:
    """Return a whole number within bounds (JSON numbers only: no strings, no booleans, no fractions)."""
    return inputs.whole(value, field=field, minimum=minimum, maximum=maximum, message=message, text=False)


def _id(value: Any, *, field: str) -> int:
    return inputs.ident(value, field=field)


def _string(value: Any, *, field: str, maximum: int, required: bool = True, label: Any = None,
            multiline: bool = False) -> str:
    check = inputs.body if multiline else inputs.line
    return check(value, field=field, maximum=maximum, required=required, label=label or field)


def _chair(meeting: Meeting, user: Any, role: Any, *, live: bool = True) -> None:
    access.require(meeting, user, access.CHAIR, role=role)
    if live:
        require_live(meeting)


def _participant(meeting: Meeting, user: Any, role: Any) -> None:
    require_confirmed(user)
    access.require(meeting, user, access.PARTICIPANT, role=role)
    require_live(meeting)


def _room_ballot(meeting: Meeting, ballot: Ballot | None, version: int, **extra: Any) -> list[Emit]:
    """The 'ballot' broadcast: the room sees the tally only when results are shown; chairs always do."""
    emits = [Emit("ballot", {"version": version, "ballot": ballot_view(ballot, tally_visible=meeting.results_visible),
                             "results_visible": meeting.results_visible, **extra})]
    if ballot is not None and not meeting.results_visible:
        emits.append(Emit("ballot", {"version": version, "ballot": ballot_view(ballot, tally_visible=True),
                                     "results_visible": False, "chairs": True, **extra}, chairs_only=True))
    return emits


def tally_emits(ballot: Ballot) -> list[Emit]:
    """The 'tally' broadcast: votes and (when shown; always for chairs) the tally, with the vote counter `seq`.
    It carries the board's version unchanged. Two queries: the meeting's counters, then the tally."""
    # The counters first, then the tally: a vote committed in between is counted but not yet in `seq`, never the
    # other way round — so a tally with seq n includes every vote up to n.
    version, seq, visible = db.session.execute(select(Meeting.board_version, Meeting.vote_seq, Meeting.results_visible)
                                               .where(Meeting.id == ballot.meeting_id)).one()
    votes, tally = tally_of(ballot)
    data = {"version": version, "seq": seq, "ballot_id": ballot.id, "votes": votes}
    extra = {"ballot": {"id": ballot.id, "kind": ballot.kind, "question": ballot.question, "dots": ballot.dots,
                        "open": ballot.closed_at is None, "results_visible": visible,
                        "options": ([{"id": idea.id, "title": idea.title} for idea in ballot.options]
                                    if ballot.kind == "dots" else [])}}
    if visible:
        return [Emit("tally", {**data, "tally": tally}, extra=extra)]
    return [Emit("tally", {**data, "tally": None}, extra=extra),
            Emit("tally", {**data, "tally": tally, "chairs": True}, chairs_only=True)]


def _stop_timer(meeting: Meeting) -> None:
    meeting.timer_duration = meeting.timer_remaining = meeting.timer_started_at = None


def _close_open(meeting: Meeting) -> tuple[IdeaRound | None, Ballot | None]:
    now = utcnow()
    round_, ballot = open_round_of(meeting), open_ballot_of(meeting)
    if round_ is not None:
        round_.closed_at = now
    if ballot is not None:
        ballot.closed_at = now
    db.session.flush()
    return round_, ballot


# --- the chair's commands --------------------------------------------------------------------------------------

def open_meeting(meeting: Meeting, user: Any, *, role: Any = access.ASK) -> Result:
    """Open the meeting (scheduled → live), on the first agenda item."""
    _chair(meeting, user, role, live=False)
    if meeting.state == "closed":
        raise DomainError(_l("This meeting is closed."), code="closed")
    if meeting.state == "cancelled":
        raise DomainError(_l("This meeting is cancelled."), code="closed")
    if meeting.state == "live":
        raise DomainError(_l("The meeting is already open."), code="conflict")
    meeting.state, meeting.opened_at = "live", utcnow()
    agenda = agenda_of(meeting)
    if meeting.current_position is None and agenda:
        meeting.current_position = 0
    record_present_attendance(meeting)
    version = append_command(meeting, user, "meeting:open")
    return Result(version, {"state": "live"}, [Emit("agenda", {"version": version, "state": "live",
                                                               "current": meeting.current_position})])


def goto_agenda(meeting: Meeting, user: Any, index: Any, *, role: Any = access.ASK) -> Result:
    """Move the board to agenda item `index` (from 0); the timer stops and results are hidden again."""
    _chair(meeting, user, role)
    agenda = agenda_of(meeting)
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(agenda):
        raise DomainError(_l("There is no agenda item with this number."), field="index")
    meeting.current_position = index
    _stop_timer(meeting)
    meeting.results_visible = False
    db.session.flush()
    version = append_command(meeting, user, "agenda:goto", {"index": index})
    item = agenda[index]
    ballot = shown_ballot(meeting, item)
    emits = [Emit("agenda", {"version": version, "state": meeting.state, "current": index,
                             "round": round_view(shown_round(meeting, item)), "timer": timer_of(meeting),
                             "results_visible": False})]
    emits += _room_ballot(meeting, ballot, version)
    return Result(version, {"current": index}, emits)


def open_round(meeting: Meeting, user: Any, *, role: Any = access.ASK) -> Result:
    """Open an idea round on the current agenda item."""
    _chair(meeting, user, role)
    if open_round_of(meeting) is not None:
        raise DomainError(_l("An idea round is already open."), code="conflict")
    item = current_item(meeting)
    round_ = IdeaRound(meeting_id=meeting.id, agenda_item_id=item.id if item else None)
    db.session.add(round_)
    db.session.flush()
    version = append_command(meeting, user, "round:open", {"round_id": round_.id})
    view = round_view(round_)
    return Result(version, {"round": view}, [Emit("round", {"version": version, "round": view})])


def close_round(meeting: Meeting, user: Any, *, role: Any = access.ASK) -> Result:
    """Close the open idea round."""
    _chair(meeting, user, role)
    round_ = open_round_of(meeting)
    if round_ is None:
        raise DomainError(_l("No idea round is open."), code="conflict")
    round_.closed_at = utcnow()
    db.session.flush()
    version = append_command(meeting, user, "round:close", {"round_id": round_.id})
    view = round_view(round_)
    return Result(version, {"round": view}, [Emit("round", {"version": version, "round": view})])


def _ballot_options(meeting: Meeting, idea_ids: Any) -> list[Idea]:
    if not isinstance(idea_ids, list) or not 1 <= len(idea_ids) <= OPTIONS_MAX:
        raise DomainError(_l("Choose between 1 and %(max)d ideas to vote on.", max=OPTIONS_MAX), field="idea_ids")
    ids = [_id(value, field="idea_ids") for value in idea_ids]
    if len(set(ids)) != len(ids):
        raise DomainError(_l("Each idea can be chosen once."), field="idea_ids")
    ideas = list(db.session.scalars(select(Idea).where(Idea.id.in_(ids)).order_by(Idea.id)))
    usable = [idea for idea in ideas if idea.is_visible and idea.status != "merged"
              and (meeting.thinktank_id is None or idea.thinktank_id == meeting.thinktank_id)]
    if len(usable) != len(ids):
        raise DomainError(_l("Choose ideas of this think tank that can still be voted on."), field="idea_ids")
    return usable


def open_ballot(meeting: Meeting, user: Any, *, question: Any = None, idea_ids: Any = None,
                dots: Any = None, role: Any = access.ASK) -> Result:
    """Open a ballot: a yes/no/abstain `question`, or dot voting with `dots` dots over `idea_ids`.
    Results are hidden when a ballot opens."""
    _chair(meeting, user, role)
    item = current_item(meeting)
    if question is not None and idea_ids is None and dots is None:
        ballot = Ballot(meeting_id=meeting.id, agenda_item_id=item.id if item else None, kind="question",
                        question=_string(question, field="question", maximum=QUESTION_MAX, label=_l("Question")))
    elif question is None and idea_ids is not None:
        count = _int(dots, field="dots", minimum=1, maximum=DOTS_MAX,
                     message=_l("Give each participant between 1 and %(max)d dots.", max=DOTS_MAX))
        ballot = Ballot(meeting_id=meeting.id, agenda_item_id=item.id if item else None, kind="dots", dots=count,
                        options=_ballot_options(meeting, idea_ids))
    else:
        raise DomainError(_l("Ask a question, or choose ideas and a number of dots."), field="question")
    # Checked after the input, so a bad question or number is `invalid` whatever the state.
    if open_ballot_of(meeting) is not None:
        raise DomainError(_l("A ballot is already open. Close it first."), code="conflict")
    db.session.add(ballot)
    meeting.results_visible = False
    db.session.flush()
    version = append_command(meeting, user, "ballot:open", {"ballot_id": ballot.id, "kind": ballot.kind})
    return Result(version, {"ballot": ballot_view(ballot, tally_visible=True)}, _room_ballot(meeting, ballot, version))


def close_ballot(meeting: Meeting, user: Any, *, role: Any = access.ASK) -> Result:
    """Close the open ballot: no more votes or changes."""
    _chair(meeting, user, role)
    ballot = open_ballot_of(meeting)
    if ballot is None:
        raise DomainError(_l("No ballot is open."), code="conflict")
    ballot.closed_at = utcnow()
    db.session.flush()
    version = append_command(meeting, user, "ballot:close", {"ballot_id": ballot.id})
    return Result(version, {"ballot": ballot_view(ballot, tally_visible=True)}, _room_ballot(meeting, ballot, version))


def set_results_visible(meeting: Meeting, user: Any, visible: bool, *, role: Any = access.ASK) -> Result:
    """Show the current ballot's results to everyone, or hide them again (chairs always see them)."""
    _chair(meeting, user, role)
    meeting.results_visible = bool(visible)
    db.session.flush()
    version = append_command(meeting, user, "results:show" if visible else "results:hide")
    ballot = shown_ballot(meeting, current_item(meeting))
    return Result(version, {"results_visible": meeting.results_visible}, _room_ballot(meeting, ballot, version))


def show_results(meeting: Meeting, user: Any, *, role: Any = access.ASK) -> Result:
    return set_results_visible(meeting, user, True, role=role)


def hide_results(meeting: Meeting, user: Any, *, role: Any = access.ASK) -> Result:
    return set_results_visible(meeting, user, False, role=role)


def _timer_result(meeting: Meeting, user: Any, kind: str, payload: dict[str, Any] | None = None) -> Result:
    db.session.flush()
    version = append_command(meeting, user, kind, payload)
    timer = timer_of(meeting)
    return Result(version, {"timer": timer}, [Emit("timer", {"version": version, "timer": timer})])


def start_timer(meeting: Meeting, user: Any, seconds: Any = None, *, role: Any = access.ASK) -> Result:
    """Start the timer for `seconds` (1 second to 24 hours); without seconds, resume a paused timer."""
    _chair(meeting, user, role)
    if seconds is None:
        if meeting.timer_duration is None or not meeting.timer_remaining:
            raise DomainError(_l("Give the timer a number of seconds."), field="seconds")
        if meeting.timer_started_at is not None:
            raise DomainError(_l("The timer is already running."), code="conflict")
        meeting.timer_started_at = utcnow()
        return _timer_result(meeting, user, "timer:start", {"resume": True})
    count = _int(seconds, field="seconds", minimum=1, maximum=TIMER_MAX,
                 message=_l("The timer needs between 1 second and 24 hours."))
    meeting.timer_duration = meeting.timer_remaining = count
    meeting.timer_started_at = utcnow()
    return _timer_result(meeting, user, "timer:start", {"seconds": count})


def pause_timer(meeting: Meeting, user: Any, *, role: Any = access.ASK) -> Result:
    """Pause the running timer, keeping the time left."""
    _chair(meeting, user, role)
    if meeting.timer_started_at is None:
        raise DomainError(_l("The timer is not running."), code="conflict")
    meeting.timer_remaining = timer_of(meeting)["remaining"]
    meeting.timer_started_at = None
    return _timer_result(meeting, user, "timer:pause")


def reset_timer(meeting: Meeting, user: Any, *, role: Any = access.ASK) -> Result:
    """Stop the timer and set it back to its full duration."""
    _chair(meeting, user, role)
    meeting.timer_remaining = meeting.timer_duration
    meeting.timer_started_at = None
    return _timer_result(meeting, user, "timer:reset")


def thinktank_for_new_things(meeting: Meeting, *, or_plan: bool = False) -> Any:
    """The think tank that gets the meeting's new ideas and action items: the meeting's own; in a plenary, the
    think tank of the current agenda item's first linked idea. When there is none: None with `or_plan` (the
    idea goes to the plan's inbox, the action item is plan-wide: samen/programme), else refuse."""
    if meeting.thinktank is not None:
        return meeting.thinktank
    item = current_item(meeting)
    if item is not None and item.ideas:
        return item.ideas[0].thinktank
    if or_plan:
        return None
    raise DomainError(_l("In a plenary meeting, ideas and action items go to the think tank of the current agenda "
                         "item's first linked idea; this agenda item has no linked idea."), code="invalid")


def decision_candidates(meeting: Meeting, item: Any) -> list[Idea]:
    """Return the ideas a decision on this agenda item is about: the item's own and those of its ballots (of the
    meeting's ballots without an item when there is none), still listed and not merged, by id."""
    ballots = (select(ballot_options.c.idea_id).join(Ballot, Ballot.id == ballot_options.c.ballot_id)
               .where(Ballot.meeting_id == meeting.id,
                      Ballot.agenda_item_id == item.id if item is not None else Ballot.agenda_item_id.is_(None)))
    found = {idea.id: idea for idea in db.session.scalars(select(Idea).where(Idea.id.in_(ballots)))}
    found.update({idea.id: idea for idea in (item.ideas if item is not None else ())})
    return [found[key] for key in sorted(found) if found[key].is_visible and found[key].status != "merged"]


def _decision_ideas(meeting: Meeting, item: Any, idea_ids: Any) -> list[Idea]:
    """The ideas the decision keeps: every candidate, or the chair's choice among them (`idea_ids`)."""
    candidates = decision_candidates(meeting, item)
    if idea_ids is None:
        return candidates
    if not isinstance(idea_ids, list) or len(idea_ids) > OPTIONS_MAX:
        raise DomainError(_l("Choose between 0 and %(max)d ideas.", max=OPTIONS_MAX), field="idea_ids")
    wanted = {_id(value, field="idea_ids") for value in idea_ids}
    chosen = [idea for idea in candidates if idea.id in wanted]
    if len(chosen) != len(wanted):
        raise DomainError(_l("Choose ideas of this agenda item or of its ballots."), field="idea_ids")
    return chosen


def _carried(ideas: list[Idea], thinktank: Any, user: Any, answer: str) -> list[Idea]:
    """The decision's ideas its action item carries: of the action's think tank (any, for a plan-wide one) and
    not turned down; the open ones are adopted with the decision as the answer (their author and followers are
    told), where the
    chair may decide on them (ideas.operations.decide); those of think tanks the chair does not chair stay with
    the decision only."""
    from samen.ideas import operations as idea_ops

    carried = []
    for idea in ideas:
        if thinktank is not None and idea.thinktank_id != thinktank.id:
            continue
        if idea.status in ("new", "discussion") and idea_ops.can_moderate(idea.thinktank, user):
            idea_ops.decide(idea, by=user, status="adopted", answer=answer)
        if idea.status == "adopted":
            carried.append(idea)
    return carried


def record_decision(meeting: Meeting, user: Any, text: Any, action: Any = None, idea_ids: Any = None, *,
                    role: Any = access.ASK) -> Result:
    """Record a decision on the current agenda item, about its ideas and its ballots' ideas (or the chair's
    choice of them: `idea_ids`), with an action item (title, owner_id, due_date) if given, which carries them."""
    from samen.actions import operations as action_ops

    _chair(meeting, user, role)
    body = _string(text, field="text", maximum=TEXT_MAX, label=_l("Decision"), multiline=True)
    item = current_item(meeting)
    ideas = _decision_ideas(meeting, item, idea_ids)
    action_item = None
    if action is not None:
        if not isinstance(action, dict) or set(action) - {"title", "owner_id", "due_date"}:
            raise DomainError(_l("An action item has a title, and optionally an owner and a due date."),
                              field="action")
        thinktank = thinktank_for_new_things(meeting, or_plan=True)
        action_item = action_ops.create_action(
            thinktank, by=user, title=action.get("title"), owner=action.get("owner_id"),
            due_date=action.get("due_date"), decision=body, ideas=_carried(ideas, thinktank, user, body))
    decision = Decision(meeting_id=meeting.id, agenda_item_id=item.id if item else None, text=body,
                        action_id=action_item.id if action_item else None, created_by_id=user.id, ideas=ideas)
    db.session.add(decision)
    db.session.flush()
    version = append_command(meeting, user, "decision:record",
                             {"decision_id": decision.id, "action_id": decision.action_id})
    agenda_ids = {entry.id: index for index, entry in enumerate(agenda_of(meeting))}
    # The room hears of the ideas anyone there may see listed: a plenary's from every think tank (those of a
    # closed one left out); a think tank's meeting's are left out for outsiders (state.without_ideas).
    shown = ({idea.id for idea in listed_ideas(ideas, None)} if meeting.thinktank_id is None else None)
    view = decision_view(decision, agenda_ids, shown)
    return Result(version, {"decision": view}, [Emit("decision", {"version": version, "decision": view})])


def close_meeting(meeting: Meeting, user: Any, *, role: Any = access.ASK) -> Result:
    """Close the meeting (live → closed): rounds and ballots close, the timer stops, hands go down, and the
    minutes are drafted for the chair to edit and publish."""
    _chair(meeting, user, role, live=False)
    if meeting.state == "closed":
        raise DomainError(_l("This meeting is closed."), code="closed")
    if meeting.state != "live":
        raise DomainError(_l("The meeting has not been opened yet."), code="conflict")
    _close_open(meeting)
    _stop_timer(meeting)
    db.session.execute(RaisedHand.__table__.delete().where(RaisedHand.meeting_id == meeting.id))
    meeting.state, meeting.closed_at = "closed", utcnow()
    db.session.flush()
    if not meeting.minutes:
        meeting.minutes = draft_minutes(meeting)
    version = append_command(meeting, user, "meeting:close")
    url = f"/meetings/{meeting.id}/minutes"
    return Result(version, {"state": "closed", "minutes_url": url},
                  [Emit("closed", {"version": version, "state": "closed", "minutes_url": url})])


def merge_idea(meeting: Meeting, user: Any, idea_id: Any, into_id: Any, *, role: Any = access.ASK) -> Result:
    """Merge a duplicate idea submitted in this meeting into another idea of the same think tank."""
    from samen.ideas import operations as idea_ops

    _chair(meeting, user, role)
    source_id, target_id = _id(idea_id, field="idea_id"), _id(into_id, field="into_id")
    link = db.session.get(MeetingIdea, source_id)
    if link is None or link.meeting_id != meeting.id:
        raise DomainError(_l("This idea was not submitted in this meeting."), field="idea_id", code="not_found")
    idea, target = link.idea, db.session.get(Idea, target_id)
    if target is None or not target.is_visible or target.status == "merged":
        raise DomainError(_l("Choose another idea of this think tank to merge into."), field="into_id",
                          code="not_found")
    if idea.status == "merged":
        raise DomainError(_l("This idea was merged already."), code="conflict")
    idea_ops.decide(idea, by=user, status="merged", merged_into=target,
                    answer=str(_l("Merged during the meeting “%(title)s”.", title=meeting.title)))
    db.session.flush()
    version = append_command(meeting, user, "idea:merge", {"idea_id": idea.id, "into_id": target.id})
    round_ = db.session.get(IdeaRound, link.round_id) if link.round_id else None
    view = round_view(round_)
    emits = [Emit("round", {"version": version, "round": view, "merged": {"idea_id": idea.id,
                                                                          "into_id": target.id}})]
    return Result(version, {"round": view}, emits)


def assign_inbox_idea(meeting: Meeting, user: Any, inbox_id: Any, thinktank: Any, *,
                      role: Any = access.ASK) -> Result:
    """Assign an idea of the plan's inbox, submitted in this plenary, to a think tank in one step during the
    meeting (the chair; samen/programme/inbox.assign checks may_route and tells the author where it went)."""
    from samen.programme import inbox
    from samen.programme.models import InboxIdea
    from samen.thinktanks.operations import get_thinktank

    _chair(meeting, user, role)
    item = db.session.get(InboxIdea, _id(inbox_id, field="inbox_id"))
    if item is None or item.meeting_id != meeting.id:
        raise DomainError(_l("This idea was not submitted in this meeting."), field="inbox_id", code="not_found")
    slug = thinktank if isinstance(thinktank, str) and 0 < len(thinktank) <= 80 else None
    target = get_thinktank(slug) if slug else None
    if target is None:
        raise DomainError(_l("Choose a think tank."), field="thinktank", code="not_found")
    (idea,) = inbox.assign([item], target, by=user)
    version = append_command(meeting, user, "inbox:assign", {"inbox_id": item.id, "thinktank": target.slug,
                                                             "idea_id": idea.id})
    view = inbox_entry_view(item, {target.id: target.name})
    return Result(version, {"entry": view}, [Emit("inbox", {"version": version, "entry": view})])


# --- the participants' commands --------------------------------------------------------------------------------

def submit_idea(meeting: Meeting, user: Any, title: Any, body: Any = "", *, role: Any = access.ASK) -> Result:
    """Submit an idea in the open round: it becomes an idea of the think tank, linked to the meeting, the
    agenda item and the round."""
    from samen.ideas import operations as idea_ops

    _participant(meeting, user, role)
    body = body or ""
    round_ = open_round_of(meeting)
    if round_ is None:
        raise DomainError(_l("No idea round is open."), code="conflict")
    if is_guest(user):
        return _submit_guest_idea(meeting, user, round_, title, body)
    thinktank = thinktank_for_new_things(meeting, or_plan=True)
    if thinktank is None:  # a plenary without a think tank at hand: the plan's inbox (samen/programme/inbox.py)
        from samen.programme import inbox

        entry = inbox.submit(meeting, user, title, body)
        version = append_command(meeting, user, "idea:inbox", {"inbox_id": entry.id, "round_id": round_.id})
        view = inbox_entry_view(entry, {})
        return Result(version, {"inbox": {"id": entry.id, "title": entry.title}},
                      [Emit("inbox", {"version": version, "entry": view})])
    if idea_ops.active_membership(thinktank, user) is not None:
        idea = idea_ops.create_idea(thinktank, author=user, title=title, body=body)
    else:
        # Registered for the meeting without being a member: the meeting is where they may speak up.
        idea = _meeting_idea(thinktank, title, body, author_id=user.id,
                             review=idea_ops.initial_review(thinktank, user))
    return _linked(meeting, user, round_, idea)


def _meeting_idea(thinktank: Any, title: Any, body: Any, *, author_id: int | None, review: str | None,
                  guest_name: str | None = None) -> Idea:
    """An idea brought in at the meeting by someone who is not a member (registered, or a guest): checked as
    any idea, waiting for a chair under pre-moderation."""
    from samen.ideas import operations as idea_ops

    if thinktank.is_archived:
        raise DomainError(_l("This think tank is archived and can no longer be changed."), code="conflict")
    idea = Idea(thinktank_id=thinktank.id, author_id=author_id, guest_name=guest_name, review=review,
                title=_string(title, field="title", maximum=idea_ops.TITLE_MAX, label=_l("Title")),
                body=_string(body, field="body", maximum=idea_ops.BODY_MAX, required=False, multiline=True))
    db.session.add(idea)
    db.session.flush()
    if idea.review:
        idea_ops.tell_chairs(thinktank, what="idea", idea_title=idea.title)
    return idea


def _linked(meeting: Meeting, by: Any, round_: IdeaRound, idea: Idea) -> Result:
    """Link a new idea to the meeting, its agenda item and round, and tell the room."""
    db.session.add(MeetingIdea(idea_id=idea.id, meeting_id=meeting.id, agenda_item_id=round_.agenda_item_id,
                               round_id=round_.id))
    db.session.flush()
    version = append_command(meeting, by, "idea:submit", {"idea_id": idea.id, "round_id": round_.id})
    view = idea_view(idea)
    return Result(version, {"idea": view}, [Emit("idea", {"version": version, "round_id": round_.id, "idea": view})])


def _submit_guest_idea(meeting: Meeting, guest: Any, round_: IdeaRound, title: Any, body: Any) -> Result:
    """A guest's idea: an idea of the think tank without an author account, shown under the guest's name; under
    pre-moderation it waits for a chair like anyone's."""
    thinktank = thinktank_for_new_things(meeting)  # a plenary without a think tank at hand: refused
    idea = _meeting_idea(thinktank, title, body, author_id=None, guest_name=guest.name,
                         review="waiting" if thinktank.premoderation else None)
    return _linked(meeting, guest, round_, idea)


def _vote_dots(ballot: Ballot, dots: Any) -> dict[int, int]:
    options = {idea.id for idea in ballot.options}
    if not isinstance(dots, dict) or not dots or len(dots) > len(options):
        raise DomainError(_l("Give your dots to the ideas on the ballot."), field="dots")
    given: dict[int, int] = {}
    for key, value in dots.items():
        try:
            idea_id = int(key)
        except (TypeError, ValueError):
            idea_id = 0
        if idea_id not in options or str(idea_id) != str(key):
            raise DomainError(_l("Give your dots to the ideas on the ballot."), field="dots")
        count = _int(value, field="dots", minimum=0, maximum=ballot.dots or 0,
                     message=_l("You have %(dots)d dots to give.", dots=ballot.dots or 0))
        if count:
            given[idea_id] = count
    total = sum(given.values())
    if not 1 <= total <= (ballot.dots or 0):
        raise DomainError(_l("You have %(dots)d dots to give.", dots=ballot.dots or 0), field="dots")
    return given


def cast_vote(meeting: Meeting, user: Any, ballot_id: Any, *, choice: Any = None, dots: Any = None,
              role: Any = access.ASK) -> Result:
    """Vote on the open ballot, or change your vote while it is open: one vote per participant (by constraint)."""
    _participant(meeting, user, role)
    ballot = db.session.get(Ballot, _id(ballot_id, field="ballot_id"))
    if ballot is None or ballot.meeting_id != meeting.id:
        raise DomainError(_l("There is no such ballot in this meeting."), field="ballot_id", code="not_found")
    if ballot.closed_at is not None:
        raise DomainError(_l("This ballot is closed."), code="closed")
    if ballot.kind == "question":
        if dots is not None or choice not in ("yes", "no", "abstain"):
            raise DomainError(_l("Choose yes, no or abstain."), field="choice")
        given: dict[int, int] = {}
    else:
        if choice is not None:
            raise DomainError(_l("Give your dots to the ideas on the ballot."), field="dots")
        given = _vote_dots(ballot, dots)
    now = utcnow()
    # One statement: the vote, or the changed vote — the unique (ballot, user) keeps one per person (and the
    # unique (ballot, guest) one per guest).
    voter = "guest_id" if is_guest(user) else "user_id"
    vote_id = db.session.execute(_store_vote(db.session.get_bind().dialect.name, voter), {
        "ballot_id": ballot.id, voter: user.guest_id if is_guest(user) else user.id, "choice": choice,
        "created_at": now, "updated_at": now}
    ).scalar_one()
    if ballot.kind == "dots":
        db.session.execute(VoteDot.__table__.delete().where(VoteDot.vote_id == vote_id))
        db.session.execute(VoteDot.__table__.insert(), [{"vote_id": vote_id, "idea_id": idea_id, "dots": count}
                                                        for idea_id, count in given.items()])
    # Stored like every command, but without the board's lock: votes leave the version alone and raise `seq`.
    log_command(meeting, user, VOTE, {"ballot_id": ballot.id}, now)
    # Last, so the meeting's row is locked (PostgreSQL) only until the commit that follows: votes get their seq in
    # the order they commit, and a tally that reads seq n has every vote up to n.
    seq, version = db.session.execute(_raise_vote_seq(), {"meeting": meeting.id}).one()
    set_committed_value(meeting, "vote_seq", seq)
    mine = {"choice": choice} if ballot.kind == "question" else {"dots": {str(k): v for k, v in given.items()}}
    return Result(version, {"vote": mine, "seq": seq}, [], tally_ballot_id=ballot.id)


def _hands_emits(meeting: Meeting, version: int) -> list[Emit]:
    hands = hands_of(meeting)
    return [Emit("hands", {"version": version, "count": len(hands)}),
            Emit("hands", {"version": version, "count": len(hands), "hands": hands, "chairs": True},
                 chairs_only=True)]


def raise_hand(meeting: Meeting, user: Any, *, role: Any = access.ASK) -> Result:
    """Raise your hand; hands are kept in the order they went up."""
    from samen.core.database import insert_ignoring_conflicts

    _participant(meeting, user, role)
    if is_guest(user):
        db.session.execute(update(MeetingGuest).where(MeetingGuest.id == user.guest_id,
                                                      MeetingGuest.hand_raised_at.is_(None))
                           .values(hand_raised_at=utcnow()).execution_options(synchronize_session=False))
    else:
        db.session.execute(insert_ignoring_conflicts(RaisedHand.__table__, {
            "meeting_id": meeting.id, "user_id": user.id, "raised_at": utcnow()},
            conflict=["meeting_id", "user_id"]))
    version = append_command(meeting, user, "hand:raise")
    return Result(version, {"hand_raised": True}, _hands_emits(meeting, version))


def _lower_guest_hand(meeting: Meeting, guest_id: int) -> None:
    db.session.execute(update(MeetingGuest).where(MeetingGuest.id == guest_id, MeetingGuest.meeting_id == meeting.id)
                       .values(hand_raised_at=None).execution_options(synchronize_session=False))


def lower_hand(meeting: Meeting, user: Any, user_id: Any = None, guest_id: Any = None, *,
               role: Any = access.ASK) -> Result:
    """Lower your hand — or, for a chair, someone else's (`user_id`) or a guest's (`guest_id`)."""
    _participant(meeting, user, role)
    if is_guest(user):
        if user_id is not None or (guest_id is not None and guest_id != user.guest_id):
            _chair(meeting, user, role)  # refused: a guest never chairs
        _lower_guest_hand(meeting, user.guest_id)
        version = append_command(meeting, user, "hand:lower", {"guest_id": user.guest_id})
        return Result(version, {"hand_raised": False}, _hands_emits(meeting, version))
    if guest_id is not None:
        _chair(meeting, user, role)
        target_guest = _id(guest_id, field="guest_id")
        _lower_guest_hand(meeting, target_guest)
        version = append_command(meeting, user, "hand:lower", {"guest_id": target_guest})
        return Result(version, {}, _hands_emits(meeting, version))
    target = user.id
    if user_id is not None and user_id != user.id:
        _chair(meeting, user, role)
        target = _id(user_id, field="user_id")
    db.session.execute(RaisedHand.__table__.delete().where(RaisedHand.meeting_id == meeting.id,
                                                           RaisedHand.user_id == target))
    version = append_command(meeting, user, "hand:lower", {"user_id": target})
    return Result(version, {"hand_raised": False} if target == user.id else {}, _hands_emits(meeting, version))


def remove_guest(meeting: Meeting, user: Any, guest_id: Any, *, role: Any = access.ASK) -> Result:
    """Remove a guest from the meeting: their cookie no longer works here, their hand goes down and their live
    connections end. What they wrote and their votes stay (under their name, and counted)."""
    _chair(meeting, user, role, live=False)
    target = _id(guest_id, field="guest_id")
    guest = db.session.get(MeetingGuest, target)
    if guest is None or guest.meeting_id != meeting.id or guest.removed_at is not None:
        raise DomainError(_l("There is no such guest in this meeting."), field="guest_id", code="not_found")
    guest.removed_at, guest.hand_raised_at = utcnow(), None
    sids = list(db.session.scalars(select(LiveConnection.sid).where(LiveConnection.guest_id == guest.id)))
    db.session.execute(LiveConnection.__table__.delete().where(LiveConnection.guest_id == guest.id))
    db.session.flush()
    version = append_command(meeting, user, "guest:remove", {"guest_id": guest.id})
    from samen.meetings.presence import presence_emits

    return Result(version, {"guest_id": guest.id}, _hands_emits(meeting, version) + presence_emits(meeting),
                  close=sids)


# --- one entry point for every command -------------------------------------------------------------------------

def owner_choices(meeting: Meeting) -> list[Any]:
    """Return the people `record_decision` accepts as an action item's owner: the active members of the think
    tank that gets the action (none in a plenary whose current agenda item has no linked idea)."""
    from samen.accounts.models import User
    from samen.thinktanks.models import Membership

    try:
        thinktank = thinktank_for_new_things(meeting)
    except DomainError:
        return []
    return list(db.session.scalars(select(User).join(Membership, Membership.user_id == User.id)
                                   .where(Membership.thinktank_id == thinktank.id, Membership.status == "active")
                                   .order_by(User.display_name, User.id)))


def fields_of(data: dict[str, Any] | None, allowed: tuple[str, ...]) -> dict[str, Any]:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DomainError(_l("This message is too large or not in the expected form."))
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise DomainError(_l("Unknown field: %(name)s.", name=unknown[0]), field=unknown[0])
    return {name: data.get(name) for name in allowed}


def _call(operation: Any, *fields: str, keywords: tuple[str, ...] = ()) -> Any:
    def run(meeting: Meeting, user: Any, data: dict[str, Any] | None, role: Any) -> Result:
        values = fields_of(data, fields + keywords)
        return operation(meeting, user, *(values[name] for name in fields),
                         **{name: values[name] for name in keywords}, role=role)
    return run


COMMANDS: dict[str, Any] = {
    "meeting:open": _call(open_meeting),
    "agenda:goto": _call(goto_agenda, "index"),
    "round:open": _call(open_round),
    "round:close": _call(close_round),
    "ballot:open": _call(open_ballot, keywords=("question", "idea_ids", "dots")),
    "ballot:close": _call(close_ballot),
    "results:show": _call(show_results),
    "results:hide": _call(hide_results),
    "timer:start": _call(start_timer, "seconds"),
    "timer:pause": _call(pause_timer),
    "timer:reset": _call(reset_timer),
    "decision:record": _call(record_decision, "text", "action", keywords=("idea_ids",)),
    "idea:merge": _call(merge_idea, "idea_id", "into_id"),
    "inbox:assign": _call(assign_inbox_idea, "inbox_id", "thinktank"),
    "meeting:close": _call(close_meeting),
    "idea:submit": _call(submit_idea, "title", "body"),
    "ballot:vote": _call(cast_vote, "ballot_id", keywords=("choice", "dots")),
    "hand:raise": _call(raise_hand),
    "hand:lower": _call(lower_hand, "user_id", "guest_id"),
    "guest:remove": _call(remove_guest, "guest_id"),
}
CHAIR_COMMANDS = ("meeting:open", "agenda:goto", "round:open", "round:close", "ballot:open", "ballot:close",
                  "results:show", "results:hide", "timer:start", "timer:pause", "timer:reset", "decision:record",
                  "idea:merge", "inbox:assign", "meeting:close", "guest:remove")


def dispatch(meeting: Meeting, user: Any, event: Any, payload: Any = None, *, role: Any = access.ASK) -> Result:
    """Run the command named by a socket event with its payload (a dict, or None). Raises DomainError (an
    unknown event or field, bad input) or Forbidden; adds to the session — the caller commits, then broadcasts.

    `role`: the user's role at the meeting as the caller read it from the database in this transaction, with the
    meeting (access.meeting_with_role; None: no access) — the command checks it instead of asking again."""
    command = COMMANDS.get(event) if isinstance(event, str) else None
    if command is None:
        raise DomainError(_l("Unknown event."))
    if not getattr(user, "is_authenticated", False) and not is_guest(user):
        raise Forbidden(_l("Please sign in to take part."))
    if event != VOTE:
        lock_board(meeting)
    return command(meeting, user, payload, role)
