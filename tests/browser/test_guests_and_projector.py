"""Two taps from the QR code to a vote, as a guest on a 375 px phone; and the projector fits a 16:9 screen
(1280×720 and 1920×1080) without scrolling whatever it shows, with the QR code and the timer in view (issue #16)."""
from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta
from itertools import count
from typing import Any
from urllib.parse import urlparse

import pytest
from sqlalchemy import func, select

from samen.accounts.models import User
from samen.core.database import db, utcnow
from samen.ideas import operations as idea_ops
from samen.meetings import guests, live
from samen.meetings.models import AgendaItem, Ballot, Meeting, Vote
from samen.thinktanks import operations as tt_ops
from tests.browser.conftest import CHAIR, THINKTANK, LiveServer
from tests.browser.test_accessibility import violations
from tests.conftest import PASSWORD
from tests.browser.test_live_board import PARTICIPANT, PHONE, connected, expect, participant  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

SCREENS = {"720p": {"width": 1280, "height": 720}, "1080p": {"width": 1920, "height": 1080}}
SHOTS = os.environ.get("SAMEN_BOARD_SHOTS")
_numbers = count(1)
# Every trusted click or tap on any page of the context is counted, across page loads (an init script: not the
# page's own, so the CSP does not apply to it).
COUNT_TAPS = """
document.addEventListener("click", function (event) {
  if (event.isTrusted) {
    sessionStorage.setItem("taps", String(Number(sessionStorage.getItem("taps") || "0") + 1));
  }
}, true);
"""


def _meeting(app: Any, *, allow_guests: bool = True, title: str | None = None) -> tuple[int, Any, Any, Any]:
    thinktank = tt_ops.get_thinktank(THINKTANK)
    chair = db.session.scalar(select(User).where(User.email == CHAIR))
    member = db.session.scalar(select(User).where(User.email == PARTICIPANT))
    start = (utcnow() + timedelta(hours=1)).replace(microsecond=0)
    meeting = Meeting(thinktank_id=thinktank.id, title=title or f"Inloopavond {next(_numbers)}", public=True,
                      allow_guests=allow_guests, starts_at=start, ends_at=start + timedelta(hours=2),
                      location="De Schakel")
    db.session.add(meeting)
    db.session.flush()
    for position, item in enumerate(["Welkom", "Wat doen we met de vrijplaats voor jongeren in Nijkerk?"]):
        db.session.add(AgendaItem(meeting_id=meeting.id, position=position, title=item,
                                  description="Wat **doen** we? We kiezen samen wat eerst gebeurt.",
                                  planned_minutes=10))
    db.session.flush()
    live.open_meeting(meeting, chair)
    live.goto_agenda(meeting, chair, 1)
    return meeting.id, meeting, chair, member


def test_a_guest_votes_two_taps_after_the_qr_code(new_page: Callable[..., Any], live_server: LiveServer,
                                                 participant: str) -> None:  # noqa: F811
    t = live_server.t
    with live_server.app.app_context():
        meeting_id, meeting, chair, _ = _meeting(live_server.app)
        live.open_ballot(meeting, chair, question="Beginnen we in januari met de vrijplaats?")
        live.start_timer(meeting, chair, 300)
        db.session.commit()
    projector = new_page(viewport=SCREENS["720p"])
    projector.goto(f"/meetings/{meeting_id}/projector")
    qr_url = projector.locator(".board-qr__url").inner_text().strip()  # what the QR code encodes
    assert qr_url.endswith(f"/meetings/{meeting_id}/live")

    phone = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    phone.context.add_init_script(COUNT_TAPS)
    taps = 0
    phone.goto(urlparse(qr_url).path)  # the camera opens the link (BASE_URL's host): from here every tap counts
    take_part = phone.get_by_role("button", name=t("Take part as guest"))
    expect_in_first_screen(phone, take_part)
    expect_in_first_screen(phone, phone.get_by_label(t("Your name (shown with what you write)")))
    assert phone.get_by_label(t("Your name (shown with what you write)")).input_value() == t("Guest")
    assert not violations(phone)  # the guest page, as it is landed on
    if SHOTS:
        phone.screenshot(path=os.path.join(SHOTS, "guest-landing-375.png"))

    take_part.tap()
    taps += 1
    phone.wait_for_url(f"**/meetings/{meeting_id}/live")
    connected(phone)
    yes = phone.get_by_role("button", name=t("Yes"), exact=True)
    expect_in_first_screen(phone, yes)  # the open vote is on the first screen
    yes.tap()
    taps += 1
    phone.wait_for_selector(f"#board-your-vote:has-text('{t('Your vote: %(choice)s', choice=t('Yes'))}')")

    assert taps == 2
    assert phone.evaluate("() => Number(sessionStorage.getItem('taps'))") == 2  # the browser counted two too
    with live_server.app.app_context():
        [vote] = db.session.scalars(select(Vote).join(Ballot, Ballot.id == Vote.ballot_id).where(
            Ballot.meeting_id == meeting_id, Vote.guest_id.is_not(None))).all()
        assert vote.choice == "yes" and vote.user_id is None
        assert db.session.scalar(select(func.count()).select_from(User).where(User.display_name == t("Guest"))) == 0
    assert phone.locator("#board-guest-line").inner_text() == t("You take part as guest “%(name)s”.",
                                                                  name=t("Guest"))
    assert not violations(phone)
    if SHOTS:
        phone.screenshot(path=os.path.join(SHOTS, "guest-voted-375.png"), full_page=True)


def test_a_removed_guest_s_page_turns_back_into_a_visitor_s(new_page: Callable[..., Any], live_server: LiveServer,
                                                            signed_in_state: Callable[[str], Any],
                                                            participant: str) -> None:  # noqa: F811
    from samen.meetings.models import MeetingGuest

    t = live_server.t
    with live_server.app.app_context():
        meeting_id, meeting, chair, _ = _meeting(live_server.app)
        live.open_ballot(meeting, chair, question="Beginnen we in januari?")
        db.session.commit()
    phone = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    phone.goto(f"/meetings/{meeting_id}/live")
    phone.get_by_role("button", name=t("Take part as guest")).tap()
    connected(phone)
    assert phone.get_by_role("button", name=t("Yes"), exact=True).count() == 1
    phone.get_by_role("button", name=t("Raise my hand")).tap()
    # The chair sees the guest marked as such, in the queue of hands and among those present, and removes them.
    console = new_page(storage_state=signed_in_state(CHAIR))
    console.goto(f"/meetings/{meeting_id}/console")
    connected(console)
    hand = console.locator("#board-hands .board-hand[data-guest]")
    expect(hand).to_contain_text(t("Guest"))
    expect(hand.locator(".board-guest-badge")).to_have_text(t("guest"))
    console.get_by_text(t("Who is present")).click()
    guest = console.locator("#board-people .board-people__guest")
    expect(guest).to_contain_text(t("guest"))
    assert not violations(console)
    if SHOTS:
        console.screenshot(path=os.path.join(SHOTS, "console-guest-1280.png"), full_page=True)
    guest.get_by_role("button", name=t("Remove")).click()
    expect(console.locator("#board-hands .board-hand[data-guest]")).to_have_count(0)
    with live_server.app.app_context():
        assert db.session.scalar(select(MeetingGuest.removed_at).where(
            MeetingGuest.meeting_id == meeting_id)) is not None
        db.session.remove()
    # The connection ends; the page connects again, finds it no longer takes part, and shows what is left.
    phone.get_by_role("button", name=t("Take part as guest")).wait_for()
    connected(phone)
    assert phone.get_by_role("button", name=t("Yes"), exact=True).count() == 0
    assert phone.locator("#board-guest-line").count() == 0


def test_a_meeting_without_guests_offers_sign_in_and_comes_back(new_page: Callable[..., Any],
                                                                live_server: LiveServer,
                                                                participant: str) -> None:  # noqa: F811
    t = live_server.t
    with live_server.app.app_context():
        meeting_id, *_ = _meeting(live_server.app, allow_guests=False)
        db.session.commit()
    phone = new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    phone.goto(f"/meetings/{meeting_id}/live")
    assert phone.get_by_role("button", name=t("Take part as guest")).count() == 0
    phone.get_by_role("link", name=t("Sign in to take part")).tap()
    phone.fill("#email", PARTICIPANT)
    phone.fill("#password", PASSWORD)
    phone.locator("main form button[type=submit]").tap()
    phone.wait_for_url(f"**/meetings/{meeting_id}/live")
    expect_in_first_screen(phone, phone.locator("#board-item-title"))
    assert phone.get_by_role("button", name=t("Raise my hand")).count() == 1  # a participant now


def expect_in_first_screen(page: Any, locator: Any) -> None:
    box = locator.first.bounding_box()
    assert box is not None, locator
    height = page.viewport_size["height"]
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, (box, height)


# --- the projector fits ----------------------------------------------------------------------------------------

LONG = "Een vrijplaats voor jongeren met jongerenwerkers uit de buurt, ook op zondagmiddag en in de vakanties"


def _question_with_results(app: Any) -> int:
    meeting_id, meeting, chair, member = _meeting(app, title="Denktankavond over de vrijplaats voor jongeren")
    live.open_ballot(meeting, chair, question="Beginnen we in januari met de vrijplaats voor jongeren in Nijkerk, "
                                              "samen met de jongerenwerkers van Welzijn Nijkerk?")
    live.cast_vote(meeting, member, live.open_ballot_of(meeting).id, choice="yes")
    for n in range(7):
        guest = guests.add_guest(meeting, f"Gast {n}")
        live.cast_vote(meeting, guests.Guest(guest.id, meeting.id, guest.name), live.open_ballot_of(meeting).id,
                       choice=("yes", "no", "abstain")[n % 3])
    live.show_results(meeting, chair)
    for n in range(6):
        live.record_decision(meeting, chair, f"Besluit {n + 1}: we vragen de gemeente om een ruimte en een budget "
                                             f"voor de vrijplaats.")
    live.start_timer(meeting, chair, 600)
    return meeting_id


def _dot_vote_of_twelve(app: Any) -> int:
    meeting_id, meeting, chair, member = _meeting(app)
    thinktank = tt_ops.get_thinktank(THINKTANK)
    live.open_round(meeting, chair)
    ids = []
    for n in range(12):
        idea = idea_ops.create_idea(thinktank, author=member, title=f"{n + 1}. {LONG}", body="")
        ids.append(idea.id)
    live.close_round(meeting, chair)
    live.open_ballot(meeting, chair, idea_ids=ids, dots=5)
    ballot = live.open_ballot_of(meeting).id
    live.cast_vote(meeting, member, ballot, dots={str(ids[11]): 3, str(ids[4]): 2})
    guest = guests.add_guest(meeting, "Anna")
    live.cast_vote(meeting, guests.Guest(guest.id, meeting.id, "Anna"), ballot, dots={str(ids[4]): 4,
                                                                                      str(ids[0]): 1})
    live.show_results(meeting, chair)
    live.start_timer(meeting, chair, 300)
    return meeting_id


def _round_of_forty(app: Any, ideas: int = 40) -> int:
    meeting_id, meeting, chair, member = _meeting(app)
    live.open_round(meeting, chair)
    for n in range(ideas):
        live.submit_idea(meeting, member, f"Idee {n + 1}: {LONG}", "")
    live.record_decision(meeting, chair, "We zetten de ideeën op de agenda van de volgende avond.")
    live.start_timer(meeting, chair, 120)
    return meeting_id


STATES = {"question": _question_with_results, "dots12": _dot_vote_of_twelve, "round40": _round_of_forty,
          "round60": lambda app: _round_of_forty(app, 60)}


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("state", STATES)
def test_the_projector_fits_a_16_9_screen_with_the_qr_code_and_the_timer_in_view(
        new_page: Callable[..., Any], live_server: LiveServer, participant: str,  # noqa: F811
        state: str, screen: str, tmp_path: Any) -> None:
    with live_server.app.app_context():
        meeting_id = STATES[state](live_server.app)
        db.session.commit()
    page = new_page(viewport=SCREENS[screen])
    page.goto(f"/meetings/{meeting_id}/projector")
    connected(page)
    page.wait_for_timeout(300)  # the timer ticks, the fonts settle
    sizes = page.evaluate("""() => ({
        scrollHeight: document.scrollingElement.scrollHeight, scrollWidth: document.scrollingElement.scrollWidth,
        innerHeight: window.innerHeight, innerWidth: window.innerWidth})""")
    assert sizes["scrollHeight"] <= sizes["innerHeight"], sizes
    assert sizes["scrollWidth"] <= sizes["innerWidth"], sizes
    for selector in (".board-qr__code", "#board-timer-clock", ".board-qr__url"):
        box = page.locator(selector).bounding_box()
        assert box is not None and page.locator(selector).is_visible(), selector
        assert box["x"] >= 0 and box["y"] >= 0, (selector, box)
        assert box["x"] + box["width"] <= sizes["innerWidth"] and box["y"] + box["height"] <= sizes["innerHeight"], (
            selector, box, sizes)
    # Readable from the back of a hall: the item's title and the results are not shrunk to fit.
    # (A title at least 3.5 % of the screen's height, body text 2.5 %: 25 and 18 px at 720, 38 and 27 at 1080.)
    title = page.locator("#board-item-title").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert title >= SCREENS[screen]["height"] * 0.035, title
    if not state.startswith("round"):
        text = page.locator("#board-tally tbody th").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert text >= SCREENS[screen]["height"] * 0.025, text
    if not state.startswith("round"):
        rows = page.locator("#board-tally tbody tr")
        for index in range(rows.count()):
            box = rows.nth(index).bounding_box()
            assert box["y"] + box["height"] <= sizes["innerHeight"], (index, box)
    if state == "dots12":
        scores = [int(n) for n in page.locator("#board-tally .board-tally__count").all_inner_texts()]
        assert len(scores) == 12 and scores == sorted(scores, reverse=True) and scores[0] == 6
    if state.startswith("round"):
        # Every idea shown is inside the screen: all 40; of 60 the newest 42, and a line says how many came before.
        shown = 40 if state == "round40" else 42
        ideas = page.locator("#board-ideas .board-idea")
        assert ideas.count() == shown
        visible = sum(1 for index in range(shown) if _inside(ideas.nth(index).bounding_box(), sizes))
        assert visible == shown, visible
        assert ideas.last.inner_text().startswith("Idee 40:" if state == "round40" else "Idee 60:")
        more = page.locator("#board-ideas-more")
        if state == "round60":
            assert more.is_visible() and "18" in more.inner_text() and _inside(more.bounding_box(), sizes)
        else:
            assert not more.is_visible()
    folder = SHOTS or str(tmp_path)
    os.makedirs(folder, exist_ok=True)
    page.screenshot(path=os.path.join(folder, f"projector-{state}-{screen}.png"))


def _inside(box: Any, sizes: dict[str, int]) -> bool:
    return bool(box) and box["y"] >= 0 and box["y"] + box["height"] <= sizes["innerHeight"] and box["x"] >= 0 and (
        box["x"] + box["width"] <= sizes["innerWidth"])
