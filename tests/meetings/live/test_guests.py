"""Guests of a live meeting (samen/meetings/guests.py): someone who scans the QR code takes part without an
account — votes, adds ideas, raises a hand — in a public meeting whose chair allows guests, and nowhere else. Every
route and socket event reads the signed cookie and the guest's row again: a forged, another meeting's or a removed
guest's cookie names nobody."""
from __future__ import annotations

import re
from typing import Any

import pytest
from itsdangerous import URLSafeSerializer
from sqlalchemy import func, select

from samen.accounts.models import User
from samen.ideas.models import Idea
from samen.meetings import guests, live
from samen.meetings.models import LiveConnection, Meeting, MeetingCommand, MeetingGuest, Vote
from tests.meetings.live.conftest import make_meeting, opened

pytestmark = pytest.mark.database


@pytest.fixture
def guest_meeting(db: Any, thinktank: Any, idea: Any, chair: Any) -> Meeting:
    """A public meeting that allows guests, opened, with an idea round and a yes/no question open."""
    meeting = make_meeting(db, thinktank, ideas=[idea], allow_guests=True)
    opened(db, meeting, chair)
    live.open_round(meeting, chair)
    live.open_ballot(meeting, chair, question="Beginnen we in januari?")
    db.session.commit()
    return meeting


def become_guest(auth: Any, meeting: Meeting, name: str | None = "Anna") -> Any:
    """Tap "Take part as guest" (the form on the live page) with this name."""
    return auth.post(f"/meetings/{meeting.id}/guest", {} if name is None else {"name": name})


def guest_socket(connect: Any, client: Any, meeting: Meeting) -> Any:
    """The guest's phone's live connection: the page's cookies go with the handshake."""
    phone = connect(None, flask_client=client)
    answer = phone.emit("join", {"meeting_id": meeting.id, "view": "live"})
    assert answer.get("ok"), answer
    phone.received()
    return phone


def ballot_of(meeting: Meeting) -> int:
    return live.open_ballot_of(meeting).id


def test_the_qr_page_offers_to_take_part_as_guest_and_one_tap_makes_a_participant(
        client: Any, auth: Any, db: Any, guest_meeting: Meeting) -> None:
    page = client.get(f"/meetings/{guest_meeting.id}/live").get_data(as_text=True)
    assert "Doe mee als gast" in page and 'value="Gast"' in page  # Dutch by default, the name prefilled
    assert 'data-event="ballot:vote"' not in page  # an anonymous visitor only follows
    users = db.session.scalar(select(func.count()).select_from(User))

    response = become_guest(auth, guest_meeting)
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/meetings/{guest_meeting.id}/live")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(guests.cookie_name(guest_meeting.id) + "=") and "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie

    page = client.get(f"/meetings/{guest_meeting.id}/live").get_data(as_text=True)
    assert 'data-event="ballot:vote"' in page and 'name="choice" value="yes"' in page
    assert "Je doet mee als gast “Anna”." in page and "Doe mee als gast" not in page
    # The vote comes before the item's description: on the first screen of a phone.
    assert page.index('id="board-ballot"') < page.index('id="board-item"')
    # No account: a guest row with the name and nothing else about the person.
    assert db.session.scalar(select(func.count()).select_from(User)) == users
    [guest] = db.session.scalars(select(MeetingGuest)).all()
    assert (guest.meeting_id, guest.name, guest.removed_at, guest.hand_raised_at) == (guest_meeting.id, "Anna",
                                                                                      None, None)
    # One participant per device: tapping again makes no second guest.
    assert become_guest(auth, guest_meeting, "Bob").status_code == 303
    assert db.session.scalar(select(func.count()).select_from(MeetingGuest)) == 1


def test_an_empty_name_is_gast_and_a_bad_name_is_refused_as_any_name(client: Any, auth: Any, db: Any,
                                                                     guest_meeting: Meeting) -> None:
    become_guest(auth, guest_meeting, "   ")
    assert db.session.scalar(select(MeetingGuest.name)) == "Gast"
    other = client.application.test_client()
    other_auth = type(auth)(other, auth.read_token)
    become_guest(other_auth, guest_meeting, "Anna\u0000")  # a control character: inputs.line refuses it
    become_guest(other_auth, guest_meeting, "x" * 81)
    assert db.session.scalar(select(func.count()).select_from(MeetingGuest)) == 1
    assert other.get_cookie(guests.cookie_name(guest_meeting.id)) is None


def test_a_guest_votes_raises_a_hand_and_adds_an_idea_over_the_socket(
        client: Any, auth: Any, db: Any, connect: Any, guest_meeting: Meeting, chair: Any) -> None:
    become_guest(auth, guest_meeting)
    phone = guest_socket(connect, client, guest_meeting)
    console = connect(chair)
    assert console.emit("join", {"meeting_id": guest_meeting.id, "view": "console"})["ok"]
    console.received()

    answer = phone.emit("ballot:vote", {"ballot_id": ballot_of(guest_meeting), "choice": "yes", "id": "v-1"})
    assert answer["ok"] and answer["vote"] == {"choice": "yes"}
    again = phone.emit("ballot:vote", {"ballot_id": ballot_of(guest_meeting), "choice": "yes", "id": "v-1"})
    assert again.get("repeated") is True  # exactly once, as for anyone
    assert phone.emit("ballot:vote", {"ballot_id": ballot_of(guest_meeting), "choice": "no"})["ok"]
    [vote] = db.session.scalars(select(Vote)).all()
    assert vote.user_id is None and vote.guest_id is not None and vote.choice == "no"

    assert phone.emit("hand:raise")["ok"]
    hands = live.hands_of(guest_meeting)
    assert [(hand["name"], hand.get("guest")) for hand in hands] == [("Anna", True)]

    answer = phone.emit("idea:submit", {"title": "Een buurtbus op zondag", "body": ""})
    assert answer["ok"] and answer["idea"]["author"] == "Anna"
    idea = db.session.get(Idea, answer["idea"]["id"])
    assert idea.author_id is None and idea.guest_name == "Anna"
    # The idea is an idea of the think tank like any, shown under the name the guest chose.
    shown = client.get(f"/ideas/{idea.id}")
    assert shown.status_code == 200 and "Anna" in shown.get_data(as_text=True)
    assert client.get(f"/thinktanks/{guest_meeting.thinktank.slug}").status_code == 200
    assert db.session.scalar(select(func.count()).select_from(MeetingCommand).where(
        MeetingCommand.guest_id == vote.guest_id)) >= 3

    # The chair sees the guest marked as such, among those present and in the queue of hands.
    page = auth.client.application.test_client()
    from tests.conftest import Auth
    chair_auth = Auth(page, auth.read_token)
    chair_auth.login(chair)
    html = page.get(f"/meetings/{guest_meeting.id}/console").get_data(as_text=True)
    assert 'data-guest="' in html and "gast" in html
    assert f'name="guest_id" value="{vote.guest_id}"' in html and 'data-event="guest:remove"' in html
    assert "Een buurtbus op zondag" in html and "door Anna" in html


def test_a_guest_votes_without_javascript_too(client: Any, auth: Any, db: Any, guest_meeting: Meeting) -> None:
    become_guest(auth, guest_meeting)
    response = auth.post(f"/meetings/{guest_meeting.id}/command",
                         {"event": "ballot:vote", "ballot_id": ballot_of(guest_meeting), "choice": "abstain",
                          "next": f"/meetings/{guest_meeting.id}/live"})
    assert response.status_code == 303
    assert db.session.scalar(select(Vote.choice)) == "abstain"


def test_a_guest_cannot_chair(client: Any, auth: Any, db: Any, connect: Any, guest_meeting: Meeting,
                              member: Any) -> None:
    become_guest(auth, guest_meeting)
    phone = guest_socket(connect, client, guest_meeting)
    for event, payload in (("ballot:close", {}), ("timer:start", {"seconds": 60}),
                           ("hand:lower", {"user_id": member.id}), ("guest:remove", {"guest_id": 1}),
                           ("decision:record", {"text": "Zo doen we het"})):
        assert phone.emit(event, payload)["error"]["code"] == "forbidden", event
    response = auth.post(f"/meetings/{guest_meeting.id}/command",
                         {"event": "ballot:close", "next": f"/meetings/{guest_meeting.id}/live"})
    assert response.status_code in (302, 303, 403)
    assert live.open_ballot_of(guest_meeting) is not None
    assert client.get(f"/meetings/{guest_meeting.id}/console").status_code in (302, 403)


def test_a_meeting_without_guests_takes_none(client: Any, auth: Any, db: Any, connect: Any, thinktank: Any,
                                             chair: Any) -> None:
    meeting = make_meeting(db, thinktank)  # public, guests not allowed
    opened(db, meeting, chair)
    live.open_ballot(meeting, chair, question="Beginnen we?")
    db.session.commit()
    assert "Doe mee als gast" not in client.get(f"/meetings/{meeting.id}/live").get_data(as_text=True)
    response = become_guest(auth, meeting)
    assert response.status_code == 303
    assert not any(value.startswith(guests.cookie_name(meeting.id)) for value in response.headers.getlist("Set-Cookie"))
    assert db.session.scalar(select(func.count()).select_from(MeetingGuest)) == 0


def test_a_guest_is_refused_once_the_chair_no_longer_allows_guests(client: Any, auth: Any, db: Any, connect: Any,
                                                                    guest_meeting: Meeting) -> None:
    become_guest(auth, guest_meeting)
    phone = guest_socket(connect, client, guest_meeting)
    guest_meeting.allow_guests = False
    db.session.commit()
    answer = phone.emit("ballot:vote", {"ballot_id": ballot_of(guest_meeting), "choice": "yes"})
    assert answer["error"]["code"] == "forbidden"
    assert phone.emit("hand:raise")["error"]["code"] == "forbidden"
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 0


def test_a_members_only_meeting_takes_no_guests(db: Any, thinktank: Any, chair: Any) -> None:
    from samen.core.errors import DomainError
    from samen.meetings import access, operations

    meeting = make_meeting(db, thinktank, public=False)
    with pytest.raises(DomainError) as refused:
        operations.update_meeting(meeting, by=chair, allow_guests=True)
    assert refused.value.field == "allow_guests"
    db.session.rollback()
    # Even stored by hand, the rule holds: a guest is no one in a members-only meeting.
    meeting.allow_guests = True
    guest = MeetingGuest(meeting_id=meeting.id, name="Anna")
    db.session.add(guest)
    db.session.flush()
    assert access.role_in(meeting, guests.Guest(guest.id, meeting.id, "Anna")) is None
    with pytest.raises(DomainError):
        guests.add_guest(meeting, "Bob")


def test_a_forged_cookie_names_nobody(app: Any, client: Any, db: Any, connect: Any, guest_meeting: Meeting) -> None:
    guest = guests.add_guest(guest_meeting, "Anna")
    db.session.commit()
    name = guests.cookie_name(guest_meeting.id)
    forged = [URLSafeSerializer("another-key", salt="samen.meetings.guest").dumps([guest_meeting.id, guest.id]),
              guests.sign(app.secret_key, guest) + "x", "[1, 1]", ""]
    for value in forged:
        client.set_cookie(name, value)
        assert "Doe mee als gast" in client.get(f"/meetings/{guest_meeting.id}/live").get_data(as_text=True)
        phone = connect(None, flask_client=client)
        assert phone.emit("join", {"meeting_id": guest_meeting.id, "view": "live"})["ok"]
        answer = phone.emit("ballot:vote", {"ballot_id": ballot_of(guest_meeting), "choice": "yes"})
        assert answer["error"]["code"] == "forbidden", value
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 0


def test_a_guest_of_one_meeting_is_nobody_in_another(app: Any, client: Any, auth: Any, db: Any, connect: Any,
                                                     guest_meeting: Meeting, thinktank: Any, chair: Any) -> None:
    other = make_meeting(db, thinktank, allow_guests=True, title="Een andere avond")
    opened(db, other, chair)
    live.open_ballot(other, chair, question="Nog een vraag?")
    db.session.commit()
    become_guest(auth, guest_meeting)
    value = client.get_cookie(guests.cookie_name(guest_meeting.id)).value
    # The same value under the other meeting's name: it is signed for the first meeting only.
    client.set_cookie(guests.cookie_name(other.id), value)
    assert "Doe mee als gast" in client.get(f"/meetings/{other.id}/live").get_data(as_text=True)
    phone = connect(None, flask_client=client)
    assert phone.emit("join", {"meeting_id": other.id, "view": "live"})["ok"]
    answer = phone.emit("ballot:vote", {"ballot_id": live.open_ballot_of(other).id, "choice": "yes"})
    assert answer["error"]["code"] == "forbidden"
    # Nor can the first meeting's guest vote on the other meeting's ballot from the first meeting's room.
    first = guest_socket(connect, client, guest_meeting)
    answer = first.emit("ballot:vote", {"ballot_id": live.open_ballot_of(other).id, "choice": "yes"})
    assert answer["error"]["code"] == "not_found"
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 0


def test_a_removed_guest_is_disconnected_and_their_cookie_no_longer_works(
        client: Any, auth: Any, db: Any, connect: Any, guest_meeting: Meeting, chair: Any) -> None:
    become_guest(auth, guest_meeting)
    phone = guest_socket(connect, client, guest_meeting)
    assert phone.emit("hand:raise")["ok"]
    guest_id = db.session.scalar(select(MeetingGuest.id))
    console = connect(chair, join=guest_meeting)
    answer = console.emit("guest:remove", {"guest_id": guest_id})
    assert answer["ok"], answer
    assert not phone.connected  # their live connection ended
    assert db.session.scalar(select(func.count()).select_from(LiveConnection).where(
        LiveConnection.guest_id == guest_id)) == 0
    assert live.hands_of(guest_meeting) == []
    # The cookie no longer works: on the page, over a new connection, and without JavaScript.
    assert "Doe mee als gast" in client.get(f"/meetings/{guest_meeting.id}/live").get_data(as_text=True)
    again = connect(None, flask_client=client)
    assert again.emit("join", {"meeting_id": guest_meeting.id, "view": "live"})["ok"]
    assert again.emit("ballot:vote", {"ballot_id": ballot_of(guest_meeting),
                                      "choice": "yes"})["error"]["code"] == "forbidden"
    response = auth.post(f"/meetings/{guest_meeting.id}/command",
                         {"event": "hand:raise", "next": f"/meetings/{guest_meeting.id}/live"})
    assert response.status_code == 303 and "/login" in response.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 0
    # Removing twice, or a guest of another meeting, is refused.
    assert console.emit("guest:remove", {"guest_id": guest_id})["error"]["code"] == "not_found"


def test_a_chair_removes_a_guest_and_lowers_a_guest_s_hand_without_javascript(
        client: Any, auth: Any, db: Any, guest_meeting: Meeting, chair: Any) -> None:
    guest = guests.add_guest(guest_meeting, "Bob")
    db.session.commit()
    live.raise_hand(guest_meeting, guests.Guest(guest.id, guest_meeting.id, "Bob"))
    db.session.commit()
    auth.login(chair)
    back = f"/meetings/{guest_meeting.id}/console"
    assert auth.post(f"/meetings/{guest_meeting.id}/command",
                     {"event": "hand:lower", "guest_id": guest.id, "next": back}).status_code == 303
    assert live.hands_of(guest_meeting) == []
    assert auth.post(f"/meetings/{guest_meeting.id}/command",
                     {"event": "guest:remove", "guest_id": guest.id, "next": back}).status_code == 303
    db.session.refresh(guest)
    assert guest.removed_at is not None


def test_guests_are_rate_limited_per_connection_as_everyone(client: Any, auth: Any, db: Any, connect: Any,
                                                            guest_meeting: Meeting, rate_limited: Any) -> None:
    rate_limited(LIVE_HAND_RATE_LIMIT="2 per minute", LIVE_IDEA_RATE_LIMIT="1 per minute")
    become_guest(auth, guest_meeting)
    phone = guest_socket(connect, client, guest_meeting)
    assert phone.emit("hand:raise")["ok"] and phone.emit("hand:raise")["ok"]
    assert phone.emit("hand:raise")["error"]["code"] == "rate_limited"
    assert phone.emit("idea:submit", {"title": "Eerste idee"})["ok"]
    assert phone.emit("idea:submit", {"title": "Tweede idee"})["error"]["code"] == "rate_limited"


def test_becoming_a_guest_is_rate_limited_per_address(client: Any, auth: Any, db: Any, guest_meeting: Meeting,
                                                     rate_limited: Any) -> None:
    rate_limited(LIVE_GUEST_RATE_LIMIT="2 per minute")
    for _ in range(2):
        client.delete_cookie(guests.cookie_name(guest_meeting.id))
        assert become_guest(auth, guest_meeting).status_code == 303
    client.delete_cookie(guests.cookie_name(guest_meeting.id))
    assert become_guest(auth, guest_meeting).status_code == 429
    assert db.session.scalar(select(func.count()).select_from(MeetingGuest)) == 2


def test_the_minutes_count_guests_and_name_none(client: Any, auth: Any, db: Any, connect: Any,
                                                guest_meeting: Meeting, chair: Any) -> None:
    for name in ("Anna", "Bob"):
        guests.add_guest(guest_meeting, name)
    removed = guests.add_guest(guest_meeting, "Carla")
    db.session.commit()
    live.remove_guest(guest_meeting, chair, removed.id)
    live.close_meeting(guest_meeting, chair)
    db.session.commit()
    assert "Gasten zonder account: 2" in guest_meeting.minutes or "Guests without an account: 2" in \
        guest_meeting.minutes
    assert not any(name in guest_meeting.minutes for name in ("Anna", "Bob", "Carla"))


def test_the_guest_page_speaks_english_on_request(client: Any, db: Any, guest_meeting: Meeting) -> None:
    page = client.get(f"/meetings/{guest_meeting.id}/live?lang=en").get_data(as_text=True)
    assert "Take part as guest" in page and 'value="Guest"' in page and "Take part without an account" in page


def test_retention_forgets_the_names_of_guests_of_long_past_meetings(db: Any, thinktank: Any) -> None:
    from datetime import timedelta

    from samen.core.database import utcnow
    from samen.meetings import privacy

    past = make_meeting(db, thinktank, allow_guests=True, title="Lang geleden")
    guest = guests.add_guest(past, "Anna")
    past.starts_at, past.ends_at = utcnow() - timedelta(days=400, hours=2), utcnow() - timedelta(days=400)
    recent = make_meeting(db, thinktank, allow_guests=True)
    kept = guests.add_guest(recent, "Bob")
    db.session.commit()
    settings = {"RETENTION_REGISTRATIONS_DAYS": 180}
    assert privacy.retain(now=utcnow(), settings=settings, dry_run=True)["guest names of past meetings"] == 1
    assert privacy.retain(now=utcnow(), settings=settings, dry_run=False)["guest names of past meetings"] == 1
    db.session.refresh(guest)
    db.session.refresh(kept)
    assert (guest.name, kept.name) == ("", "Bob")


def test_a_members_only_board_offers_sign_in_and_comes_back_without_telling_it_exists(
        client: Any, auth: Any, db: Any, thinktank: Any, member: Any) -> None:
    meeting = make_meeting(db, thinktank, public=False)
    found = client.get(f"/meetings/{meeting.id}/live?lang=en")
    unknown = client.get("/meetings/999999/live?lang=en")
    assert found.status_code == unknown.status_code == 404
    link = f'/login?next=/meetings/{meeting.id}/live'
    assert link in found.get_data(as_text=True)
    def same(html: str) -> str:
        return re.sub(r"meetings(/|%2F)\d+(/|%2F)live", "meetings/N/live", html)
    assert same(found.get_data(as_text=True)) == same(unknown.get_data(as_text=True))  # as for no meeting at all
    from tests.conftest import PASSWORD

    response = auth.post(link, {"email": member.email, "password": PASSWORD})
    assert response.status_code in (302, 303) and response.headers["Location"].endswith(f"/meetings/{meeting.id}/live")
    assert client.get(f"/meetings/{meeting.id}/live").status_code == 200
