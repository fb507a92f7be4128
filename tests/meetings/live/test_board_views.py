"""The live board's pages: who may open which view, what each shows, and a constant number of queries."""
from __future__ import annotations

import json
import re
from typing import Any

import pytest
from samen.meetings import live
from samen.meetings.models import Meeting
from tests.meetings.live.conftest import make_meeting, opened

VIEWS = ("live", "projector", "console", "minutes")
EVERYONE = ("chair", "admin", "member", "registered", "other", "anonymous")

# What each role gets: a public meeting, and a members-only one. 302: to the sign-in page.
PUBLIC = {"live": dict.fromkeys(EVERYONE, 200), "projector": dict.fromkeys(EVERYONE, 200),
          "console": {"chair": 200, "admin": 200, "member": 403, "registered": 403, "other": 403, "anonymous": 302}}
PUBLIC["minutes"] = PUBLIC["console"]
# A members-only meeting does not exist for outsiders: 404, as for an unknown number.
MEMBERS_ONLY = {view: {**codes, "other": 404, "anonymous": 404} for view, codes in PUBLIC.items()}


def sign_in(auth: Any, who: Any) -> None:
    if who is not None:
        response = auth.login(who)
        assert response.status_code == 302, "sign-in failed"


def board_data(html: str) -> dict[str, Any]:
    """Return the JSON the page gives its script."""
    match = re.search(r'<script type="application/json" id="board-data">(.*?)</script>', html, re.S)
    assert match, "no board data on the page"
    return json.loads(match.group(1))


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("role", EVERYONE)
@pytest.mark.parametrize("public", [True, False], ids=["public", "members-only"])
def test_who_may_open_each_view(client: Any, auth: Any, db: Any, meeting: Meeting, people: dict[str, Any],
                                view: str, role: str, public: bool) -> None:
    meeting.public = public
    db.session.commit()
    sign_in(auth, people[role])
    response = client.get(f"/meetings/{meeting.id}/{view}")
    expected = (PUBLIC if public else MEMBERS_ONLY)[view][role]
    assert response.status_code == expected, response.get_data(as_text=True)[:300]
    if expected == 302:
        assert "/login?next=" in response.headers["Location"]


@pytest.mark.parametrize("view", VIEWS)
def test_an_unknown_meeting_is_404(client: Any, auth: Any, admin: Any, view: str) -> None:
    sign_in(auth, admin)
    assert client.get(f"/meetings/999999/{view}").status_code == 404


def test_the_chair_of_another_think_tank_cannot_run_the_console(client: Any, auth: Any, db: Any, meeting: Meeting,
                                                                create_thinktank: Any, create_user: Any) -> None:
    from samen.thinktanks import operations as tt_ops
    other_chair = create_user(display_name="Voorzitter elders")
    tt_ops.appoint_chair(create_thinktank(slug="elders", name="Elders"), other_chair)
    db.session.commit()
    sign_in(auth, other_chair)
    assert client.get(f"/meetings/{meeting.id}/console").status_code == 403


def test_a_plenary_is_chaired_by_its_organiser_not_by_any_chair(client: Any, auth: Any, db: Any, chair: Any,
                                                                  create_user: Any) -> None:
    organiser = create_user()
    plenary = make_meeting(db, None, title="Plenaire avond", created_by_id=organiser.id)
    db.session.commit()
    sign_in(auth, chair)
    assert client.get(f"/meetings/{plenary.id}/console").status_code == 403
    auth.logout()
    sign_in(auth, organiser)
    assert client.get(f"/meetings/{plenary.id}/console").status_code == 200


# --- what the pages show -------------------------------------------------------------------------------------

def test_the_participant_view_renders_the_board_before_any_script(client: Any, auth: Any, db: Any,
                                                                   meeting: Meeting, people: dict[str, Any],
                                                                   idea: Any) -> None:
    chair, member = people["chair"], people["member"]
    opened(db, meeting, chair)
    live.open_round(meeting, chair)
    live.submit_idea(meeting, member, "Een jongerenraad", "")
    live.open_ballot(meeting, chair, question="Gaan we dit doen?")
    live.record_decision(meeting, chair, "We beginnen in januari.")
    live.start_timer(meeting, chair, 300)
    db.session.commit()
    sign_in(auth, member)
    html = client.get(f"/meetings/{meeting.id}/live?lang=en").get_data(as_text=True)
    assert "Punt 1" in html and "Wat <strong>doen</strong> we?" in html
    assert f'href="/ideas/{idea.id}"' in html  # the idea linked to the agenda item
    assert "Gaan we dit doen?" in html
    assert 'name="choice" value="yes"' in html and 'data-event="ballot:vote"' in html
    assert "Een jongerenraad" in html and "We beginnen in januari." in html
    assert 'data-event="idea:submit"' in html and 'data-event="hand:raise"' in html
    assert 'role="timer"' in html and re.search(r'id="board-timer-clock">[45]:\d\d<', html)
    # Results are hidden from participants until the chair shows them.
    assert "board-tally__hidden" in html and "board-tally__row--yes" not in html
    data = board_data(html)
    # The script gets where the page stands and the person's own state, no board to rebuild markup from.
    assert data["view"] == "live" and "role-participant" in data["flags"] and "can-participate" in data["flags"]
    assert set(data) == {"meeting_id", "view", "version", "flags", "seq", "hand_raised", "user_id", "strings"}


def test_an_observer_follows_read_only(client: Any, auth: Any, db: Any, meeting: Meeting,
                                       people: dict[str, Any]) -> None:
    opened(db, meeting, people["chair"])
    live.open_round(meeting, people["chair"])
    live.open_ballot(meeting, people["chair"], question="Gaan we dit doen?")
    db.session.commit()
    for who in ("other", "anonymous"):
        sign_in(auth, people[who])
        html = client.get(f"/meetings/{meeting.id}/live?lang=en").get_data(as_text=True)
        assert "You follow this meeting read-only." in html
        assert 'data-event="ballot:vote"' not in html and 'data-event="idea:submit"' not in html
        assert 'data-event="hand:raise"' not in html
        assert "Gaan we dit doen?" in html
        if who == "anonymous":
            assert f'/login?next=/meetings/{meeting.id}/live' in html
        auth.logout()


def test_the_vote_form_remembers_your_vote(client: Any, auth: Any, db: Any, meeting: Meeting,
                                           people: dict[str, Any]) -> None:
    opened(db, meeting, people["chair"])
    live.open_ballot(meeting, people["chair"], question="Gaan we dit doen?")
    live.cast_vote(meeting, people["member"], live.open_ballot_of(meeting).id, choice="abstain")
    db.session.commit()
    sign_in(auth, people["member"])
    html = client.get(f"/meetings/{meeting.id}/live?lang=en").get_data(as_text=True)
    # One tap votes: each answer is a button; the chosen one is pressed (and a tap on another changes the vote).
    assert re.search(r'value="abstain"[^>]*aria-pressed="true"', html)
    assert re.search(r'value="yes"[^>]*aria-pressed="false"', html)
    assert "Your vote: Abstain" in html and "Cast my vote" not in html


def test_dot_voting_renders_a_number_per_idea(client: Any, auth: Any, db: Any, meeting: Meeting,
                                              people: dict[str, Any], idea: Any) -> None:
    opened(db, meeting, people["chair"])
    live.open_ballot(meeting, people["chair"], idea_ids=[idea.id], dots=3)
    db.session.commit()
    sign_in(auth, people["member"])
    html = client.get(f"/meetings/{meeting.id}/live?lang=en").get_data(as_text=True)
    assert f'name="dots-{idea.id}"' in html and 'max="3"' in html
    assert "Dot voting: spread up to 3 dots over the ideas." in html


def test_the_console_shows_every_control_and_the_full_tally(client: Any, auth: Any, db: Any, meeting: Meeting,
                                                            people: dict[str, Any], idea: Any) -> None:
    chair = people["chair"]
    opened(db, meeting, chair)
    live.open_ballot(meeting, chair, question="Gaan we dit doen?")
    live.cast_vote(meeting, people["member"], live.open_ballot_of(meeting).id, choice="yes")
    live.raise_hand(meeting, people["member"])
    db.session.commit()
    sign_in(auth, chair)
    html = client.get(f"/meetings/{meeting.id}/console?lang=en").get_data(as_text=True)
    for event in ("agenda:goto", "round:open", "ballot:close", "results:show", "results:hide", "timer:start",
                  "timer:pause", "timer:reset", "decision:record", "idea:merge", "meeting:close", "hand:lower"):
        assert f'data-event="{event}"' in html, event
    assert "only you see these: the results are hidden" in html
    assert re.search(r'board-tally__row--yes">\s*<th scope="row">Yes</th>\s*<td class="board-tally__count">1<', html)
    assert people["member"].display_name in html.split('id="board-hands"')[1].split("</ol>")[0]
    # The action item's owner is picked from the think tank's members.
    owners = html.split('id="decision-owner"')[1].split("</select>")[0]
    assert people["member"].display_name in owners and people["other"].display_name not in owners
    # The controls that don't fit the state are there, hidden (the script shows them when the state changes).
    assert re.search(r'data-event="meeting:open" data-when="state-scheduled" hidden', html)
    assert re.search(r'data-event="ballot:close" data-when="state-live ballot-open">', html)
    data = board_data(html)
    assert "role-chair" in data["flags"] and data["version"] == live.version_of(meeting)


def test_the_projector_shows_a_qr_code_and_never_hidden_results(client: Any, auth: Any, db: Any, meeting: Meeting,
                                                                 people: dict[str, Any]) -> None:
    chair = people["chair"]
    opened(db, meeting, chair)
    live.open_ballot(meeting, chair, question="Gaan we dit doen?")
    live.cast_vote(meeting, people["member"], live.open_ballot_of(meeting).id, choice="no")
    db.session.commit()
    sign_in(auth, chair)  # the chair's laptop drives the projector
    html = client.get(f"/meetings/{meeting.id}/projector?lang=en").get_data(as_text=True)
    assert re.search(r'<svg role="img" focusable="false" viewBox="0 0 \d+ \d+" class="board-qr__code">'
                     r'<title>QR code: the link to take part in this meeting</title>', html)
    assert f"http://localhost/meetings/{meeting.id}/live" in html
    assert "board-tally__row--no" not in html and "board-tally__hidden" in html
    assert 'class="site-header"' not in html
    assert people["member"].display_name not in html  # no names present, no hands
    assert "board" not in board_data(html)
    live.show_results(meeting, chair)
    db.session.commit()
    html = client.get(f"/meetings/{meeting.id}/projector?lang=en").get_data(as_text=True)
    assert re.search(r'board-tally__row--no">\s*<th scope="row">No</th>\s*<td class="board-tally__count">1<', html)


def test_the_pages_speak_dutch_by_default_and_english_on_request(client: Any, meeting: Meeting) -> None:
    html = client.get(f"/meetings/{meeting.id}/live").get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert board_data(html)["strings"]["disconnected"] == "Verbinding verbroken — opnieuw verbinden…"
    html = client.get(f"/meetings/{meeting.id}/live?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert board_data(html)["strings"]["disconnected"] == "Connection lost — reconnecting…"


@pytest.mark.parametrize("view", ["live", "projector", "console"])
def test_no_inline_script_or_style(client: Any, auth: Any, meeting: Meeting, people: dict[str, Any],
                                   view: str) -> None:
    sign_in(auth, people["chair"])
    response = client.get(f"/meetings/{meeting.id}/{view}?lang=en")
    html = response.get_data(as_text=True)
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert " style=" not in html and "<style" not in html
    assert re.search(r'<script src="/static/js/live-board.js" defer>', html)


def test_the_state_words_hide_what_does_not_apply(client: Any, auth: Any, db: Any, meeting: Meeting,
                                                  people: dict[str, Any]) -> None:
    sign_in(auth, people["member"])
    html = client.get(f"/meetings/{meeting.id}/live?lang=en").get_data(as_text=True)
    assert re.search(r'data-when="state-scheduled">The meeting has not started yet', html)
    assert 'Not started yet' in html
    opened(db, meeting, people["chair"])
    html = client.get(f"/meetings/{meeting.id}/live?lang=en").get_data(as_text=True)
    assert re.search(r'data-when="state-scheduled" hidden>The meeting has not started yet', html)
    assert "Live now" in html


# --- the number of queries doesn't grow with the board ---------------------------------------------------------

def _fill(db: Any, meeting: Meeting, people: dict[str, Any], make_member: Any, thinktank: Any, n: int) -> None:
    """Give the board n ideas, n votes, n decisions and n raised hands."""
    chair = people["chair"]
    if meeting.state == "scheduled":
        live.open_meeting(meeting, chair)
        live.open_round(meeting, chair)
        live.open_ballot(meeting, chair, question="Gaan we dit doen?")
    ballot = live.open_ballot_of(meeting)
    for i in range(n):
        member = make_member(thinktank)
        live.submit_idea(meeting, member, f"Idee {i} {member.id}", "")
        live.cast_vote(meeting, member, ballot.id, choice="yes")
        live.raise_hand(meeting, member)
        live.record_decision(meeting, chair, f"Besluit {i} {member.id}")
    db.session.commit()


@pytest.mark.parametrize("view", ["live", "projector", "console"])
def test_queries_do_not_grow_with_the_board(client: Any, auth: Any, db: Any, meeting: Meeting,
                                            people: dict[str, Any], make_member: Any, thinktank: Any,
                                            count_queries: Any, view: str) -> None:
    # Rate limits would stop one person submitting many ideas; every idea here has its own author.
    sign_in(auth, people["chair"])
    counts = []
    for n in (2, 8):
        _fill(db, meeting, people, make_member, thinktank, n)
        client.get(f"/meetings/{meeting.id}/{view}?lang=en")  # warm up
        with count_queries() as statements:
            response = client.get(f"/meetings/{meeting.id}/{view}?lang=en")
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts



@pytest.mark.parametrize("votes, shares", [({"yes": 1, "no": 7, "abstain": 0}, ("13%", "88%", "0%")),
                                           ({"yes": 1, "no": 1, "abstain": 6}, ("13%", "13%", "75%")),
                                           ({"yes": 1, "no": 2, "abstain": 0}, ("33%", "67%", "0%"))])
def test_shares_round_halves_up_as_the_live_script_does(app: Any, votes: dict[str, int], shares: tuple) -> None:
    """The first page and a live update show the same share: 1 vote of 8 is 13 % (Math.round(12.5)), not 12 %."""
    ballot = {"kind": "question", "tally": votes, "options": []}
    with app.test_request_context("/?lang=en"):
        macros = app.jinja_env.get_template("meetings/board/_macros.html").make_module({})
        html = str(macros.tally(ballot, {"results_visible": True}))
    found = re.findall(r'board-tally__share">.*?<span>(\d+%)</span>', html, flags=re.S)
    assert tuple(found) == shares
