"""The board's pages get every change as regions rendered on the server from the pages' own macros
(samen/meetings/regions.py): the same markup as a fresh page, once per audience, never once per client; API
clients keep the JSON events."""
from __future__ import annotations

import re
from typing import Any
from unittest import mock

import pytest
from sqlalchemy import select

from samen.meetings import live, regions
from samen.meetings.models import LiveConnection
from tests.meetings.live.conftest import opened

pytestmark = pytest.mark.database


def element(html: str, element_id: str) -> str:
    """Return the element with this id (and its content) from a page or a region."""
    start = html.index(f'id="{element_id}"')
    start = html.rindex("<", 0, start)
    tag = re.match(r"<(\w+)", html[start:]).group(1)
    depth, position = 0, start
    for found in re.finditer(rf"<(/?){tag}\b[^>]*>", html[start:]):
        depth += -1 if found.group(1) else 1
        if depth == 0:
            position = start + found.end()
            break
    return html[start:position]


def without_csrf(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""', html)


def page_join(connect: Any, user: Any, meeting: Any, view: str, **extra: Any) -> Any:
    client = connect(user)
    answer = client.emit("join", {"meeting_id": meeting.id, "view": view, **extra})
    assert answer.get("ok"), answer
    client.received()
    return client, answer


def boards(client: Any, kind: str) -> list[dict[str, Any]]:
    """The rendered updates of this kind the client received (presence comes with every join)."""
    return [data for data in client.received("board") if data["kind"] == kind]


def test_a_page_gets_the_regions_a_fresh_page_has(db, client, auth, meeting, people, connect):
    chair, member = people["chair"], people["member"]
    opened(db, meeting, chair)
    phone, _ = page_join(connect, member, meeting, "live")
    console, _ = page_join(connect, chair, meeting, "console")
    assert console.emit("ballot:open", {"question": "Gaan we dit doen?"})["ok"]
    [update] = boards(phone, "ballot")
    assert update["version"] == live.version_of(meeting)
    assert "ballot-open" in update["flags"] and update["announce"] == "Er is een stemming geopend."
    assert {message["name"] for message in phone.client.get_received("/live")} <= {"board"}  # no JSON for pages
    auth.login(member)
    page = client.get(f"/meetings/{meeting.id}/live").get_data(as_text=True)
    # The same macro, the same markup: the broadcast only leaves the CSRF token to the page.
    assert without_csrf(update["regions"]["ballot"]).strip() == without_csrf(element(page, "board-ballot-body"))
    assert 'name="csrf_token" value=""' in update["regions"]["ballot"]
    assert f'name="next" value="/meetings/{meeting.id}/live"' in update["regions"]["ballot"]
    [chairs] = boards(console, "ballot")
    assert "board-tally__row--yes" in chairs["regions"]["ballot"]  # chairs see the tally while it is hidden
    assert "board-tally__hidden" in update["regions"]["ballot"]


def test_each_region_is_rendered_once_per_audience_not_per_client(db, meeting, people, connect, create_user,
                                                                   thinktank):
    from samen.thinktanks import operations as tt_ops

    chair = people["chair"]
    opened(db, meeting, chair)
    phones = []
    for n in range(6):
        user = create_user(display_name=f"Lid {n}")
        tt_ops.join_thinktank(thinktank, user)
        db.session.commit()
        phones.append(page_join(connect, user, meeting, "live")[0])
    projector, _ = page_join(connect, None, meeting, "projector")
    api = connect(people["member"], join=meeting)  # an API client: JSON only
    console, _ = page_join(connect, chair, meeting, "console")
    with mock.patch.object(regions, "render", wraps=regions.render) as render:
        assert console.emit("timer:start", {"seconds": 60})["ok"]
    # participants, the projector, the console: three audiences, three renderings, for eight clients
    assert render.call_count == 3
    for client in [*phones, projector, console]:
        [update] = boards(client, "timer")
        assert 'role="timer"' in update["regions"]["timer"] and "timer-running" in update["flags"]
    assert [event["timer"]["duration"] for event in api.received("timer")] == [60]
    assert [event for event in api.client.get_received("/live") if event["name"] == "board"] == []


def test_tallies_reach_pages_as_rendered_counts_hidden_from_all_but_chairs(db, meeting, people, connect):
    chair, member = people["chair"], people["member"]
    opened(db, meeting, chair)
    ballot_id = live.open_ballot(meeting, chair, question="Gaan we dit doen?").ack["ballot"]["id"]
    db.session.commit()
    phone, _ = page_join(connect, member, meeting, "live")
    console, _ = page_join(connect, chair, meeting, "console")
    answer = phone.emit("ballot:vote", {"ballot_id": ballot_id, "choice": "no"})
    assert answer["ok"] and answer["seq"] == 1
    # The voter's own form and line come with the answer, as a fresh page has them.
    assert "Jouw stem: Nee" in answer["regions"]["vote"]
    [tally] = boards(phone, "tally")
    assert tally["seq"] == 1 and "flags" not in tally
    assert "1 stem" in tally["regions"]["tally"] and "board-tally__hidden" in tally["regions"]["tally"]
    [chairs] = boards(console, "tally")
    assert re.search(r'board-tally__row--no">\s*<th scope="row">Nee</th>\s*<td class="board-tally__count">1<',
                     chairs["regions"]["tally"])


def test_a_page_in_step_gets_no_regions_on_join_and_one_behind_gets_them_all(db, meeting, people, connect):
    chair = people["chair"]
    opened(db, meeting, chair)
    version = live.version_of(meeting)
    _, answer = page_join(connect, people["member"], meeting, "live", version=version, seq=None)
    assert answer["version"] == version and "regions" not in answer and "role-participant" in answer["flags"]
    _, answer = page_join(connect, people["member"], meeting, "live", version=version - 1, seq=None)
    assert set(answer["regions"]) >= {"state", "item", "round", "timer", "ballot", "decisions", "presence"}


def test_views_are_checked(db, meeting, people, connect):
    client = connect(people["member"])
    assert client.emit("join", {"meeting_id": meeting.id, "view": "wall"})["error"]["code"] == "invalid"
    assert client.emit("join", {"meeting_id": meeting.id, "view": "console"})["error"]["code"] == "forbidden"
    assert client.emit("join", {"meeting_id": meeting.id, "view": ["live"]})["error"]["code"] == "invalid"


def test_the_connection_records_its_audience(db, meeting, people, connect):
    page_join(connect, None, meeting, "projector")
    page_join(connect, people["chair"], meeting, "console")
    keys = sorted(db.session.scalars(select(LiveConnection.audience)
                                     .where(LiveConnection.meeting_id == meeting.id)))
    assert keys == ["console:chair:1:nl", "projector:observer:1:nl"]


def test_events_named_connect_or_disconnect_change_nothing(db, meeting, people, connect):
    """The handlers are registered with Flask-SocketIO's public `on`; a client's event named like the connection's
    own is answered `invalid`, and the connection stays in the meeting."""
    phone, _ = page_join(connect, people["member"], meeting, "live")
    assert phone.emit("connect", {"token": "x"})["error"]["code"] == "invalid"
    assert phone.emit("disconnect", "client namespace disconnect")["error"]["code"] == "invalid"
    assert phone.connected
    assert db.session.scalar(select(LiveConnection.audience).where(LiveConnection.meeting_id == meeting.id)) \
        == "live:participant:1:nl"
