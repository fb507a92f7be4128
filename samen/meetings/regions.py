"""The live board's regions, rendered on the server from the same Jinja macros as the pages.

A page of the board (console, participant view, projector) is rendered complete from the board snapshot; after
that, every change reaches the browser as the *rendered* regions it touched — the ballot, the tally, the round,
the timer, the decisions, the hands, the presence — which static/js/live-board.js swaps in. So the markup exists
once, in templates/meetings/board/_macros.html, for the first page, the page without JavaScript and live updates.

Who sees a region differently is an *audience*: the view (live, console, projector), the role (observer,
participant, chair), whether the person may read the think tank's ideas, and the language. A browser joins the
room of its audience (`join` with `view`), and its connection row records the audience, so a broadcast renders
each region once per audience present in the meeting — on any server process — never once per client. API
clients join without a view and get the JSON events of docs/live-protocol.md only.

What is one person's own — their vote, their raised hand — is not in a broadcast: the acknowledgement of their
command carries it (`personal`), and a region marked `data-keep` is left in place by the script while its key is
unchanged (the vote form of the same open ballot keeps a half-made choice).
"""
from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from types import SimpleNamespace
from functools import lru_cache
from typing import Any

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from samen.core.database import db
from samen.meetings import access, live
from samen.meetings.models import LiveConnection, Meeting

VIEWS = ("live", "console", "projector")
LANGUAGES = ("nl", "en")
EVENT = "board"  # the one event that carries rendered regions
SEPARATOR = "\x1e"  # between the regions of one rendering (never in HTML that Jinja escapes)

# What each broadcast of docs/live-protocol.md changes on the page.
REGIONS_OF = {
    "agenda": ("state", "item", "agenda", "round", "candidates", "timer", "ballot"),
    "round": ("round", "candidates"),
    "idea": ("round", "candidates"),
    "ballot": ("ballot",),
    "tally": ("tally",),
    "timer": ("timer",),
    "decision": ("decisions",),
    "presence": ("presence",),
    "hands": ("hands",),
    "closed": ("state", "round", "ballot", "timer", "hands", "inbox"),
    "inbox": ("round", "inbox"),  # the round's "no ideas yet" counts the inbox's too
}
# Regions that only one view shows.
ONLY_IN = {"agenda": ("console",), "candidates": ("console",), "hands": ("console",), "vote": ("live",)}


@dataclass(frozen=True)
class Audience:
    """Everyone who sees the board's regions alike."""

    view: str
    role: str
    ideas: bool
    lang: str

    @property
    def key(self) -> str:
        return f"{self.view}:{self.role}:{int(self.ideas)}:{self.lang}"

    @classmethod
    def parse(cls, key: str | None) -> Audience | None:
        try:
            view, role, ideas, lang = str(key).split(":")
        except ValueError:
            return None
        if view not in VIEWS or role not in access.ROLES or lang not in LANGUAGES or ideas not in ("0", "1"):
            return None
        return cls(view, role, ideas == "1", lang)


def audience_of(view: Any, role: str, reads_ideas: bool, lang: str) -> Audience | None:
    """Return the audience of a person with this role in this view, or None for an unknown view. The projector
    is the room's screen: it shows what observers see, whoever drives it; the console is for chairs."""
    if view not in VIEWS or (view == "console" and role != access.CHAIR):
        return None
    return Audience(view, access.OBSERVER if view == "projector" else role, reads_ideas,
                    lang if lang in LANGUAGES else LANGUAGES[0])


def room(meeting_id: int, audience: Audience) -> str:
    return f"meeting:{meeting_id}:view:{audience.key}"


def audiences_present(meeting_id: int) -> list[Audience]:
    """Return the audiences with a connection in the meeting, on any server process (one query)."""
    keys = db.session.scalars(select(LiveConnection.audience).where(LiveConnection.meeting_id == meeting_id,
                                                                    LiveConnection.audience.is_not(None))
                              .distinct())
    return sorted({found for found in map(Audience.parse, keys) if found is not None}, key=lambda a: a.key)


def audience_board(state: dict[str, Any], audience: Audience) -> dict[str, Any]:
    """Return the board as an audience sees it, from live.board_state (as a chair sees it): tallies while hidden,
    names and hands for chairs only (never on the projector); without the ideas for those who may not read them.
    `you` holds the role only: what is one person's own comes with their acknowledgements."""
    board = dict(state)
    chair = audience.role == access.CHAIR and audience.view != "projector"
    if not chair:
        if board.get("ballot") and not board.get("results_visible"):
            board["ballot"] = {**board["ballot"], "tally": None}
        if "presence" in board:
            board["presence"] = {"count": board["presence"]["count"]}
        board.pop("hands", None)
        board["inbox"] = _without_targets(board.get("inbox"))
    board["you"] = {"user_id": None, "role": audience.role, "vote": None, "hand_raised": False}
    if not audience.ideas:
        board = live.without_ideas(board)
        if board.get("agenda"):
            board["agenda"] = [{**entry, "ideas": []} for entry in board["agenda"]]
    return board


def public_board(snapshot: dict[str, Any]) -> dict[str, Any]:
    """Return the board as the room sees it: a chair's laptop driving the projector must not show hidden results,
    names of the people present, or the queue of hands."""
    board = dict(snapshot)
    if board.get("ballot") and not board.get("results_visible"):
        board["ballot"] = {**board["ballot"], "tally": None}
    board["presence"] = {"count": board["presence"]["count"]}
    board.pop("hands", None)
    board["inbox"] = _without_targets(board.get("inbox"))
    return board


def _without_targets(inbox: dict[str, Any] | None) -> dict[str, Any] | None:
    """The plan's inbox without the think tanks to assign to: those are the chairs' controls."""
    return None if inbox is None else {"ideas": inbox["ideas"]}


def flags_of(board: dict[str, Any]) -> list[str]:
    """The state words of data-when (samen/meetings/board.py: board_flags) that are the audience's, not a
    person's own (their hand)."""
    from samen.meetings.board import board_flags
    return sorted(flag for flag in board_flags(board) if not flag.startswith("hand-"))


def render(meeting: Meeting, board: dict[str, Any], view: str, names: tuple[str, ...] | list[str]) -> dict[str, str]:
    """Render the named regions of the board for one view, in the current language. A control's form carries no
    CSRF token (the script puts the page's own in) and returns to the view's page."""
    from samen.meetings.board import board_flags, dot_candidates

    names = [name for name in names if view in ONLY_IN.get(name, VIEWS)]
    if not names:
        return {}
    context: dict[str, Any] = {"meeting": meeting, "board": board, "flags": board_flags(board), "view": view,
                               "candidates": dot_candidates(board) if "candidates" in names else [],
                               "regions": names, "separator": SEPARATOR}
    endpoint = {"live": "live_view", "console": "console", "projector": "projector"}[view]
    context["csrf_token"] = lambda: ""
    context["next_path"] = url_for(f"meetings_board.{endpoint}", meeting_id=meeting.id)
    html = current_app.jinja_env.get_template("meetings/board/_regions.html").render(context)
    return dict(zip(names, html.split(SEPARATOR), strict=True))


def announcement(event: str, data: dict[str, Any], board: dict[str, Any]) -> str:
    """What a screen reader hears when this broadcast arrives (in the current language), or ''."""
    if event == "agenda":
        current = board.get("current")
        if current is not None and board.get("agenda"):
            return _("Now on the agenda: %(title)s", title=board["agenda"][current]["title"])
        return _("Live now")
    if event == "ballot" and (data.get("ballot") or {}).get("open") and board.get("ballot"):
        return _("A vote is open.")
    if event == "ballot" and data.get("ballot") and not data["ballot"].get("open"):
        return _("Voting is closed")
    if event == "decision" and data.get("decision"):
        return _("Decision recorded: %(text)s", text=data["decision"]["text"])
    if event == "closed":
        return _("The meeting is closed.")
    if event == "inbox" and (data.get("entry") or {}).get("thinktank"):
        return _("“%(title)s” goes to %(thinktank)s.", title=data["entry"]["title"],
                 thinktank=data["entry"]["thinktank"])
    if event == "round" and data.get("round") and "merged" not in data:
        return _("Idea round open: add your ideas") if data["round"]["open"] else _("The idea round is closed")
    return ""


def _request_context() -> Any:
    """url_for needs a request: a broadcast from a background task (a coalesced tally) makes one."""
    return nullcontext() if has_request_context() else current_app.test_request_context("/")


def broadcast(meeting_id: int, emits: list[live.Emit], emit: Any) -> None:
    """Send the regions that these JSON broadcasts changed to every audience present, rendered once per audience;
    `emit(event, data, room)` sends. Tallies and presence carry the board's version unchanged."""
    events = [item for item in emits if not item.chairs_only]
    if not events:
        return
    # The chairs' copy of the first broadcast is the fullest: the tally while hidden, the names present.
    first = events[0]
    full = next((item.data for item in emits if item.chairs_only and item.event == first.event), first.data)
    audiences = audiences_present(meeting_id)
    if not audiences:
        return
    names = tuple(dict.fromkeys(name for item in events for name in REGIONS_OF.get(item.event, ())))
    if not names:
        return
    if first.event == "tally" and first.extra.get("ballot"):
        # Everything is in the broadcast already: no query more per tally.
        meeting: Any = SimpleNamespace(id=meeting_id)
        ballot = first.extra["ballot"]
        state = {**_EMPTY, "results_visible": ballot["results_visible"],
                 "ballot": {**ballot, "seq": full["seq"], "votes": full["votes"], "tally": full.get("tally")}}
    elif first.event == "presence":
        meeting = SimpleNamespace(id=meeting_id)
        state = {**_EMPTY, "presence": {"count": full["count"], "people": full.get("people") or [],
                                         "guests": full.get("guests") or []}}
    else:
        meeting = db.session.get(Meeting, meeting_id)
        if meeting is None:
            return
        state = (_tally_state(meeting, full) if first.event == "tally"
                 else live.board_state(meeting, broadcast=True))
    state["version"] = first.data.get("version", state.get("version"))
    done: dict[tuple[Any, ...], dict[str, str]] = {}
    with _request_context():
        for audience in audiences:
            board = audience_board(state, audience)
            with force_locale(audience.lang):
                # Audiences that see a region alike share one rendering (the tally of a hidden ballot, say).
                same = (audience.view, audience.lang, audience.ideas,
                        audience.role if audience.view != "projector" else "")
                regions = done.get(same)
                if regions is None:
                    regions = done[same] = render(meeting, board, audience.view, names)
                data: dict[str, Any] = {"version": state["version"], "kind": first.event, "regions": regions}
                if first.event == "tally":
                    data["seq"] = first.data.get("seq")
                elif first.event != "presence":
                    data["flags"] = flags_of(board)
                    data["current"] = board.get("current")
                    data["announce"] = announcement(first.event, first.data, board)
                emit(EVENT, data, room(meeting_id, audience))


# A board with nothing in it, for the regions of a tally or the presence (which need only their part).
_EMPTY: dict[str, Any] = {"meeting": {"state": "live"}, "ballot": None, "results_visible": False, "round": None,
                          "timer": {"duration": None, "remaining": 0, "running": False, "ends_at": None},
                          "current": None, "agenda": [], "presence": {"count": 0}, "hands": []}


def _partial_state(meeting: Meeting, **parts: Any) -> dict[str, Any]:
    """A board with only some parts filled in: enough for the regions of a tally or the presence."""
    state: dict[str, Any] = {"meeting": {"id": meeting.id, "state": meeting.state}, "ballot": None,
                             "results_visible": meeting.results_visible, "round": None,
                             "timer": live.timer_of(meeting), "current": None, "agenda": [],
                             "presence": {"count": 0}, "hands": []}
    state.update(parts)
    return state


def _tally_state(meeting: Meeting, data: dict[str, Any]) -> dict[str, Any]:
    """The board as far as a tally needs it: the ballot with the counts the JSON tally carries (no query more)."""
    from samen.meetings.models import Ballot

    ballot = db.session.get(Ballot, data["ballot_id"])
    if ballot is None:
        return _partial_state(meeting)
    return _partial_state(meeting, ballot={
        "id": ballot.id, "kind": ballot.kind, "question": ballot.question, "dots": ballot.dots, "seq": data["seq"],
        # A question has no options: not loading them saves a query per tally.
        "options": [{"id": idea.id, "title": idea.title} for idea in ballot.options] if ballot.kind == "dots" else [],
        "open": ballot.closed_at is None, "votes": data["votes"], "tally": data.get("tally")})


def for_person(meeting: Meeting, snapshot: dict[str, Any], view: str, names: tuple[str, ...]) -> dict[str, str]:
    """Render regions for one person from their own snapshot (a join after a gap)."""
    with _request_context():
        return render(meeting, snapshot, view, names)


def after_vote(ballot_id: int, vote: dict[str, Any]) -> dict[str, str]:
    """Render what the voter's page changes after their vote: the vote button ("Change my vote") and the "your
    vote" line. Small on purpose: 300 people vote within a second, and the form they filled in stays."""
    from samen.meetings.models import Ballot

    ballot = db.session.get(Ballot, ballot_id)  # loaded by the vote, in this session
    choice = vote.get("choice") or tuple(sorted((vote.get("dots") or {}).items()))
    return {"vote": _vote_html(ballot_id, ballot.kind, ballot.dots, choice, str(get_locale()))}


@lru_cache(maxsize=256)
def _vote_html(ballot_id: int, kind: str, dots: int | None, choice: Any, language: str) -> str:
    """The same few answers come back hundreds of times a minute (yes, no, abstain): rendered once each."""
    vote = {"choice": choice} if kind == "question" else {"dots": dict(choice)}
    board = {"ballot": {"id": ballot_id, "kind": kind, "dots": dots},
             "you": {"user_id": None, "role": access.PARTICIPANT, "vote": vote, "hand_raised": False}}
    return current_app.jinja_env.get_template("meetings/board/_regions.html").render(
        board=board, regions=["vote"], separator=SEPARATOR, view="live", flags=set())


ALL = ("state", "item", "agenda", "round", "candidates", "timer", "ballot", "decisions", "hands", "presence",
       "inbox")
