"""The live meeting board's operations, in one place for their callers (the Socket.IO events, the pages, the API,
the tests): the state and the snapshot (state.py), the commands (commands.py), presence and attendance
(presence.py) and the minutes (minutes.py). Who may do what is samen/meetings/access.py; the rendered regions
of the pages are regions.py; running a command and broadcasting it is runner.py; the socket is events.py."""
from __future__ import annotations

from samen.meetings.commands import (CHAIR_COMMANDS, COMMANDS, DOTS_MAX, OPTIONS_MAX, QUESTION_MAX, TEXT_MAX,
                                     TIMER_MAX, cast_vote, close_ballot, close_meeting, close_round, dispatch,
                                     fields_of, goto_agenda, hide_results, lower_hand, merge_idea, open_ballot,
                                     open_meeting, open_round, owner_choices, remove_guest, pause_timer, raise_hand, record_decision,
                                     reset_timer, set_results_visible, show_results, start_timer, submit_idea,
                                     tally_emits, thinktank_for_new_things)
from samen.meetings.minutes import (MINUTES_MAX, draft_minutes, publish_minutes, reached_items, save_minutes,
                                    unpublish_minutes)
from samen.meetings.presence import (CONNECTION_MAX_AGE, clean_connections, connect, disconnect, presence_emits,
                                     record_attendance, record_present_attendance, set_audience, touch_connections)
from samen.meetings.state import (HIDDEN_IDEA, VOTE, Emit, Result, agenda_of, append_command, ballot_view,
                                  board_snapshot, board_state, current_item, decision_view, hands_of, idea_view,
                                  lock_board, open_ballot_of, open_round_of, presence_of, reads_ideas, require_live,
                                  round_view, shown_ballot, shown_round, tally_of, timer_of, version_of, vote_of,
                                  vote_seq_of, vote_seq_of_id, without_ideas)

__all__ = [
    "CHAIR_COMMANDS", "COMMANDS", "CONNECTION_MAX_AGE", "DOTS_MAX", "HIDDEN_IDEA", "MINUTES_MAX", "OPTIONS_MAX",
    "QUESTION_MAX", "TEXT_MAX", "TIMER_MAX", "VOTE", "Emit", "Result", "agenda_of", "append_command", "ballot_view",
    "board_snapshot", "board_state", "cast_vote", "clean_connections", "close_ballot", "close_meeting",
    "close_round", "connect", "current_item", "decision_view", "disconnect", "dispatch", "draft_minutes",
    "fields_of", "goto_agenda", "hands_of", "hide_results", "idea_view", "lock_board", "lower_hand", "merge_idea",
    "open_ballot", "open_ballot_of", "open_meeting", "open_round", "open_round_of", "owner_choices", "pause_timer",
    "presence_emits", "presence_of", "publish_minutes", "raise_hand", "reached_items", "remove_guest", "reads_ideas",
    "record_attendance", "record_decision", "record_present_attendance", "require_live", "reset_timer",
    "round_view", "save_minutes", "set_audience", "set_results_visible", "show_results", "shown_ballot",
    "shown_round", "start_timer", "submit_idea", "tally_emits", "tally_of", "thinktank_for_new_things",
    "timer_of", "touch_connections", "unpublish_minutes", "version_of", "vote_of", "vote_seq_of",
    "vote_seq_of_id", "without_ideas",
]
