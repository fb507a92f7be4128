"""The live board in Chromium: a chair runs a meeting from the console while a participant on a phone and the
projector follow over Socket.IO; axe-core finds nothing on any of the board's pages, in Dutch and English."""
from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import timedelta
from itertools import count
from typing import Any

import pytest
from sqlalchemy import select

from samen.accounts import operations as account_ops
from samen.accounts.models import User
from samen.core.database import db, utcnow
from samen.ideas import operations as idea_ops
from samen.meetings import live
from samen.meetings.models import AgendaItem, Meeting
from samen.thinktanks import operations as tt_ops
from tests.browser.conftest import CHAIR, THINKTANK, LiveServer
from tests.browser.test_accessibility import violations
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PARTICIPANT = "deelnemer@example.org"
PHONE = {"width": 375, "height": 740}
PROJECTOR = {"width": 1920, "height": 1080}
SHOTS = os.environ.get("SAMEN_BOARD_SHOTS")  # a folder: save screenshots there to look at them
_meetings = count(1)


def expect(locator: Any) -> Any:
    """Playwright's retrying assertions (imported here: without playwright the browser tests skip)."""
    from playwright.sync_api import expect as playwright_expect
    return playwright_expect(locator)


def shot(page: Any, name: str) -> None:
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


@pytest.fixture(scope="session")
def participant(live_server: LiveServer) -> str:
    """A member of the think tank (the seeded resident is not one): returns the e-mail to sign in with. Made once
    per session, whichever module asks first (tests/browser/test_guests_and_projector.py uses it too)."""
    with live_server.app.app_context():
        if db.session.scalar(select(User).where(User.email == PARTICIPANT)) is None:
            user = account_ops.create_user(email=PARTICIPANT, display_name="Deelnemer op de telefoon",
                                           password_hash=account_ops.hash_password(PASSWORD))
            tt_ops.join_thinktank(tt_ops.get_thinktank(THINKTANK), user)
            db.session.commit()
        db.session.remove()
    return PARTICIPANT


@pytest.fixture
def make_meeting(live_server: LiveServer, participant: str) -> Callable[..., int]:
    """Return a factory for a public meeting of the think tank with three agenda items, brought to a state by the
    same operations the console uses ("scheduled", "live", "ballot" with an open question and a vote, "closed")."""
    def make(state: str = "scheduled", public: bool = True) -> int:
        with live_server.app.app_context():
            thinktank = tt_ops.get_thinktank(THINKTANK)
            chair = db.session.scalar(select(User).where(User.email == CHAIR))
            member = db.session.scalar(select(User).where(User.email == participant))
            idea = idea_ops.create_idea(thinktank, author=member, title="Een vrijplaats voor jongeren",
                                        body="Met jongerenwerkers in de buurt.")
            start = (utcnow() + timedelta(hours=1)).replace(microsecond=0)
            meeting = Meeting(thinktank_id=thinktank.id, title=f"Denktankavond {next(_meetings)}", public=public,
                              starts_at=start, ends_at=start + timedelta(hours=2), location="De Schakel")
            db.session.add(meeting)
            db.session.flush()
            for position, title in enumerate(["Welkom en voorstellen", "De vrijplaats", "Rondvraag"]):
                db.session.add(AgendaItem(meeting_id=meeting.id, position=position, title=title,
                                          description="Wat **doen** we?", planned_minutes=10,
                                          ideas=[idea] if position == 1 else []))
            db.session.flush()
            if state != "scheduled":
                live.open_meeting(meeting, chair)
                live.goto_agenda(meeting, chair, 1)
                live.open_round(meeting, chair)
                live.submit_idea(meeting, member, "Voorlichting door ervaringsdeskundigen", "")
                live.start_timer(meeting, chair, 300)
            if state in ("ballot", "closed"):
                live.open_ballot(meeting, chair, question="Beginnen we in januari met de vrijplaats?")
                live.cast_vote(meeting, member, live.open_ballot_of(meeting).id, choice="yes")
                live.record_decision(meeting, chair, "We beginnen in januari.")
            if state == "closed":
                live.close_meeting(meeting, chair)
            db.session.commit()
            return meeting.id
    return make


def connected(page: Any) -> None:
    page.wait_for_selector("#board-connection[data-state=connected]")


def test_chair_opens_a_ballot_the_participant_votes_and_the_chair_sees_the_tally(
        new_page: Callable[..., Any], signed_in_state: Callable[[str], Any], live_server: LiveServer,
        make_meeting: Callable[..., int], participant: str) -> None:
    t = live_server.t
    meeting_id = make_meeting("scheduled")
    chair = new_page(storage_state=signed_in_state(CHAIR))
    phone = new_page(storage_state=signed_in_state(participant), viewport=PHONE, has_touch=True, is_mobile=True)
    chair.goto(f"/meetings/{meeting_id}/console")
    phone.goto(f"/meetings/{meeting_id}/live")
    connected(chair)
    connected(phone)
    assert phone.locator("#board-state").inner_text().endswith(t("Not started yet"))

    chair.get_by_role("button", name=t("Open the meeting")).click()
    phone.wait_for_selector(f"#board-state:has-text('{t('Live now')}')")
    chair.get_by_role("button", name=f"{t('Go to')} De vrijplaats").click()
    phone.wait_for_selector("#board-item-title:has-text('De vrijplaats')")

    chair.get_by_label(t("Ask a yes/no question")).fill("Beginnen we in januari?")
    chair.get_by_role("button", name=t("Open the vote"), exact=True).click()
    phone.wait_for_selector("#board-ballot-question:has-text('Beginnen we in januari?')")
    shot(phone, "phone-ballot-open")

    phone.get_by_role("button", name=t("Yes"), exact=True).click()  # one tap votes
    phone.wait_for_selector(f"#board-your-vote:has-text('{t('Your vote: %(choice)s', choice=t('Yes'))}')")
    expect(phone.get_by_role("button", name=t("Yes"), exact=True)).to_have_attribute("aria-pressed", "true")

    yes = chair.locator("#board-tally .board-tally__row--yes .board-tally__count")
    chair.wait_for_function("() => document.querySelector('#board-tally .board-tally__row--yes "
                            ".board-tally__count')?.textContent === '1'")
    assert yes.inner_text() == "1"
    assert chair.locator("#board-votes").inner_text() == t("%(num)d vote", num=1)
    shot(chair, "console-tally")

    # The participant changes the vote: still one vote, now a no.
    phone.get_by_role("button", name=t("No"), exact=True).click()
    chair.wait_for_function("() => document.querySelector('#board-tally .board-tally__row--no "
                            ".board-tally__count')?.textContent === '1'")
    assert yes.inner_text() == "0"
    assert chair.locator("#board-votes").inner_text() == t("%(num)d vote", num=1)

    # The results stay hidden from the phone until the chair shows them.
    assert phone.locator("#board-tally .board-tally__hidden").is_visible()
    chair.get_by_role("button", name=t("Show the results to everyone")).click()
    phone.wait_for_selector("#board-tally .board-tally__row--no")
    chair.get_by_role("button", name=t("Close the vote")).click()
    phone.wait_for_selector(f".board-ballot__state:has-text('{t('Voting is closed')}')")
    assert phone.locator("form.board-vote").count() == 0


def test_an_idea_from_a_phone_appears_on_the_projector(
        new_page: Callable[..., Any], signed_in_state: Callable[[str], Any], live_server: LiveServer,
        make_meeting: Callable[..., int], participant: str) -> None:
    t = live_server.t
    meeting_id = make_meeting("live")
    projector = new_page(viewport=PROJECTOR)
    phone = new_page(storage_state=signed_in_state(participant), viewport=PHONE, has_touch=True, is_mobile=True)
    projector.goto(f"/meetings/{meeting_id}/projector")
    phone.goto(f"/meetings/{meeting_id}/live")
    connected(projector)
    connected(phone)
    assert projector.locator(".board-qr svg[role=img] title").count() == 1
    assert f"/meetings/{meeting_id}/live" in projector.locator(".board-qr__url").inner_text()

    phone.get_by_label(t("Your idea")).fill("Een jongerenraad die meebeslist")
    phone.get_by_role("button", name=t("Add my idea")).click()
    projector.wait_for_selector("#board-ideas li:has-text('Een jongerenraad die meebeslist')")
    # The broadcast may reach the projector before the phone has its answer: wait for it.
    expect(phone.locator(".board-idea-form .board-control__status")).to_have_text(t("Your idea was added."))
    expect(phone.get_by_label(t("Your idea"))).to_have_value("")
    # The phone: the projector is the room's screen, not a person present.
    expect(projector.locator("#board-presence-text")).to_have_text(re.compile(r"^1 "))
    shot(projector, "projector-idea")
    shot(phone, "phone-idea")


def test_a_typed_idea_survives_a_reload(new_page: Callable[..., Any], signed_in_state: Callable[[str], Any],
                                        live_server: LiveServer, make_meeting: Callable[..., int],
                                        participant: str) -> None:
    t = live_server.t
    meeting_id = make_meeting("live")
    phone = new_page(storage_state=signed_in_state(participant), viewport=PHONE)
    phone.goto(f"/meetings/{meeting_id}/live")
    connected(phone)
    phone.get_by_label(t("Your idea")).type("Half getypt idee")
    phone.reload()
    connected(phone)
    assert phone.get_by_label(t("Your idea")).input_value() == "Half getypt idee"


def test_the_timer_counts_down_in_the_browser(new_page: Callable[..., Any], make_meeting: Callable[..., int]) -> None:
    meeting_id = make_meeting("live")
    projector = new_page(viewport=PROJECTOR)
    projector.goto(f"/meetings/{meeting_id}/projector")
    connected(projector)
    first = projector.locator("#board-timer-clock").inner_text()
    projector.wait_for_function(f"() => document.querySelector('#board-timer-clock').textContent !== '{first}'",
                                timeout=4000)
    assert projector.locator("#board-timer-clock").inner_text() < first


def test_without_javascript_a_participant_still_votes_with_the_form(
        browser: Any, live_server: LiveServer, signed_in_state: Callable[[str], Any],
        make_meeting: Callable[..., int], participant: str) -> None:
    t = live_server.t
    meeting_id = make_meeting("ballot")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False,
                                  storage_state=signed_in_state(participant))
    try:
        page = context.new_page()
        page.goto(f"/meetings/{meeting_id}/live")
        page.get_by_role("button", name=t("Abstain"), exact=True).click()
        assert page.url.endswith(f"/meetings/{meeting_id}/live")
        assert t("Your vote: %(choice)s", choice=t("Abstain")) in page.locator("#board-your-vote").inner_text()
    finally:
        context.close()


# --- accessibility ----------------------------------------------------------------------------------------------

# (name, view, who, the meeting's state, viewport)
VIEWS = [
    ("console", "console", CHAIR, "ballot", None),
    ("console before the meeting", "console", CHAIR, "scheduled", None),
    ("console on a phone", "console", CHAIR, "live", PHONE),
    ("participant", "live", PARTICIPANT, "ballot", PHONE),
    ("participant, anonymous", "live", None, "live", PHONE),
    ("projector", "projector", None, "ballot", PROJECTOR),
    ("minutes", "minutes", CHAIR, "closed", None),
]


@pytest.mark.parametrize("name, view, who, state, viewport", VIEWS, ids=[v[0] for v in VIEWS])
def test_board_pages_have_no_axe_violations_in_dutch_and_english(
        new_page: Callable[..., Any], signed_in_state: Callable[[str], Any], make_meeting: Callable[..., int],
        participant: str, name: str, view: str, who: str | None, state: str, viewport: dict[str, int] | None) -> None:
    meeting_id = make_meeting(state)
    options: dict[str, Any] = {"viewport": viewport} if viewport else {}
    if who:
        options["storage_state"] = signed_in_state(who)
    page = new_page(**options)
    found = []
    for lang in ("nl", "en"):
        path = f"/meetings/{meeting_id}/{view}" + ("" if lang == "nl" else "?lang=en")
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        if view != "minutes":
            connected(page)
        assert page.locator("html").get_attribute("lang") == lang
        found.append(violations(page))
        shot(page, f"{view}-{state}-{lang}-{(viewport or {}).get('width', 1280)}")
    assert not any(found), "\n\n".join(found)


def test_an_idea_typed_while_the_connection_is_lost_is_sent_when_it_is_back(
        new_page: Callable[..., Any], signed_in_state: Callable[[str], Any], live_server: LiveServer,
        make_meeting: Callable[..., int], participant: str) -> None:
    t = live_server.t
    meeting_id = make_meeting("live")
    phone = new_page(storage_state=signed_in_state(participant), viewport=PHONE)
    sockets: list[Any] = []
    cut = {"off": False}

    def through(ws: Any) -> None:
        if cut["off"]:
            ws.close()
            return
        ws.connect_to_server()
        sockets.append(ws)

    def polling(route: Any) -> None:
        if cut["off"]:
            route.abort()
        else:
            route.continue_()

    phone.route_web_socket("**/socket.io/**", through)
    phone.route("**/socket.io/**", polling)
    phone.goto(f"/meetings/{meeting_id}/live")
    connected(phone)

    cut["off"] = True  # the phone loses the connection: the hall's Wi-Fi drops
    for ws in sockets:
        ws.close()
    phone.wait_for_selector("#board-connection[data-state=disconnected]")
    status = phone.locator("#board-connection")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    assert t("Connection lost — reconnecting…") in status.inner_text()

    phone.get_by_label(t("Your idea")).fill("Idee zonder verbinding")
    phone.get_by_role("button", name=t("Add my idea")).click()
    assert phone.get_by_label(t("Your idea")).input_value() == "Idee zonder verbinding"
    assert phone.locator(".board-idea-form .board-control__status").inner_text() == t(
        "Not sent yet: the connection is lost. It is sent as soon as the connection is back.")
    # The board says what waits; a vote made meanwhile waits behind the idea, in order.
    expect(phone.locator("#board-queue")).to_have_text(live_server.tn(
        "%(num)d command waiting to be sent", "%(num)d commands waiting to be sent", 1))

    cut["off"] = False  # back: the client reconnects, joins again and sends the idea
    phone.wait_for_selector("#board-ideas li:has-text('Idee zonder verbinding')", timeout=15_000)
    connected(phone)
    expect(phone.get_by_label(t("Your idea"))).to_have_value("")
    expect(phone.locator("#board-queue")).to_have_text(t("Everything that waited has been sent and confirmed."))
    with live_server.app.app_context():  # sent once, with the id the page gave it
        from samen.meetings.models import MeetingCommand
        sent = db.session.scalars(select(MeetingCommand).where(MeetingCommand.meeting_id == meeting_id,
                                                               MeetingCommand.kind == "idea:submit")).all()
        assert len(sent) == 2 and sent[-1].client_id  # the one made by make_meeting, and this one


def test_the_keyboard_stays_in_the_panel_when_a_control_hides_itself(
        new_page: Callable[..., Any], signed_in_state: Callable[[str], Any], live_server: LiveServer,
        make_meeting: Callable[..., int]) -> None:
    t = live_server.t
    meeting_id = make_meeting("ballot")
    chair = new_page(storage_state=signed_in_state(CHAIR))
    chair.goto(f"/meetings/{meeting_id}/console")
    connected(chair)
    chair.get_by_role("button", name=t("Close the vote")).focus()
    chair.keyboard.press("Enter")
    chair.wait_for_selector(f".board-ballot__state:has-text('{t('Voting is closed')}')")
    chair.wait_for_function("() => document.activeElement !== document.body")
    assert chair.evaluate("() => !!document.activeElement.closest('#board-ballot')")


def test_a_version_gap_makes_the_client_join_again(new_page: Callable[..., Any], live_server: LiveServer,
                                                   make_meeting: Callable[..., int]) -> None:
    from samen.extensions import socketio_for
    from samen.meetings import regions

    meeting_id = make_meeting("live")
    projector = new_page(viewport=PROJECTOR)
    projector.goto(f"/meetings/{meeting_id}/projector")
    connected(projector)
    board = projector.locator("#board")
    version = int(board.get_attribute("data-version"))
    assert board.get_attribute("data-joins") == "1"
    # An event from three versions ahead: two were missed. The client waits a moment, then joins again.
    fake = {"version": version + 3, "kind": "decision",
            "regions": {"decisions": '<ol id="board-decisions"><li>Nooit genomen</li></ol>'}}
    projectors = regions.room(meeting_id, regions.Audience("projector", "observer", True, "nl"))
    with live_server.app.app_context():
        socketio_for(live_server.app).emit("board", fake, namespace="/live", to=projectors)
    projector.wait_for_selector("#board[data-joins='2']")
    assert board.get_attribute("data-version") == str(version)
    assert "Nooit genomen" not in projector.locator("#board-decisions").inner_text()


def test_without_a_live_connection_the_chair_s_controls_post_as_forms(
        new_page: Callable[..., Any], signed_in_state: Callable[[str], Any], live_server: LiveServer,
        make_meeting: Callable[..., int]) -> None:
    t = live_server.t
    meeting_id = make_meeting("scheduled")
    chair = new_page(storage_state=signed_in_state(CHAIR))
    chair.route_web_socket("**/socket.io/**", lambda ws: ws.close())
    chair.route("**/socket.io/**", lambda route: route.abort())  # a proxy that lets no WebSocket through
    chair.goto(f"/meetings/{meeting_id}/console")
    chair.wait_for_selector("#board-connection[data-state=disconnected]")
    chair.get_by_role("button", name=t("Open the meeting")).click()
    chair.wait_for_selector(f".flashes:has-text('{t('Done.')}')")
    assert chair.locator("#board-state").inner_text().endswith(t("Live now"))


def test_an_idea_being_typed_stays_when_the_round_closes(
        new_page: Callable[..., Any], signed_in_state: Callable[[str], Any], live_server: LiveServer,
        make_meeting: Callable[..., int], participant: str) -> None:
    t = live_server.t
    meeting_id = make_meeting("live")
    chair = new_page(storage_state=signed_in_state(CHAIR))
    phone = new_page(storage_state=signed_in_state(participant), viewport=PHONE)
    chair.goto(f"/meetings/{meeting_id}/console")
    phone.goto(f"/meetings/{meeting_id}/live")
    connected(chair)
    connected(phone)
    phone.get_by_label(t("Your idea")).fill("Bijna af")
    chair.get_by_role("button", name=t("Close the idea round")).click()
    phone.wait_for_selector(f"#board-round-state:has-text('{t('The idea round is closed')}')")
    assert phone.get_by_label(t("Your idea")).is_visible()
    assert phone.get_by_label(t("Your idea")).input_value() == "Bijna af"
    phone.get_by_role("button", name=t("Add my idea")).click()
    expect(phone.locator(".board-idea-form .board-control__error")).to_be_visible()
    assert phone.get_by_label(t("Your idea")).input_value() == "Bijna af"


def test_on_a_phone_an_open_vote_is_on_the_first_screen_and_dot_results_fit(
        new_page: Callable[..., Any], signed_in_state: Callable[[str], Any], live_server: LiveServer,
        make_meeting: Callable[..., int], participant: str) -> None:
    meeting_id = make_meeting("live")
    with live_server.app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        thinktank = tt_ops.get_thinktank(THINKTANK)
        chair = db.session.scalar(select(User).where(User.email == CHAIR))
        member = db.session.scalar(select(User).where(User.email == participant))
        ideas = [idea_ops.create_idea(thinktank, author=member, body="", title=(
            f"Jongerenwerkersoverlegstructuurverbetering nummer {n} met een lange titel voor de telefoon"))
            for n in range(12)]
        ballot = live.open_ballot(meeting, chair, idea_ids=[idea.id for idea in ideas], dots=3).ack["ballot"]
        live.cast_vote(meeting, member, ballot["id"], dots={str(ideas[0].id): 2, str(ideas[5].id): 1})
        live.show_results(meeting, chair)
        db.session.commit()
    phone = new_page(storage_state=signed_in_state(participant), viewport=PHONE, has_touch=True, is_mobile=True)
    phone.goto(f"/meetings/{meeting_id}/live")
    connected(phone)
    # The vote, not the item's description, is what the phone shows first: its question and its first idea.
    question = phone.evaluate("() => document.querySelector('#board-ballot-question').getBoundingClientRect()"
                              ".bottom")
    first = phone.evaluate("() => document.querySelector('.board-dot label').getBoundingClientRect().top")
    assert question < PHONE["height"] and first < PHONE["height"], (question, first)
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    table = phone.evaluate("() => document.querySelector('#board-tally table').getBoundingClientRect().right")
    assert table <= PHONE["width"], table
    shot(phone, "phone-dot-results")
