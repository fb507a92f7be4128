"""Live updates over Socket.IO: the read-only namespace /public hears of stored public changes only."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from samen.actions import operations as ops
from samen.actions.models import ActionItem, ProgressUpdate
from samen.extensions import socketio_for
from samen.public import live

NS = "/public"


@pytest.fixture
def listen(app: Any, db: Any) -> Iterator[Callable[..., Any]]:
    """Return a function that connects a Socket.IO test client to /public (rooms optional)."""
    clients = []

    def connect(*rooms: str) -> Any:
        client = socketio_for(app).test_client(app, namespace=NS, auth={"rooms": list(rooms)} if rooms else None)
        assert client.is_connected(NS)
        client.get_received(NS)  # nothing is said on connecting
        clients.append(client)
        return client
    yield connect
    for client in clients:
        if client.is_connected(NS):
            client.disconnect(NS)


def _events(client: Any) -> list[dict[str, Any]]:
    return [message["args"][0] for message in client.get_received(NS) if message["name"] == "progress"]


@pytest.fixture
def action(thinktank: Any, chair: Any, db: Any) -> ActionItem:
    """Return a public action item."""
    item = ops.create_action(thinktank, by=chair, title="Voorlichting op scholen", organisation="GGD")
    db.session.commit()
    return item


def test_a_committed_update_is_announced(listen, action, chair, db):
    everything, this_one, another = listen(), listen(f"action:{action.id}"), listen("action:999")
    update = ops.post_update(action, by=chair, body="Eerste school bezocht.", progress=10)
    db.session.flush()
    assert _events(everything) == []  # flushed is not stored: nothing yet
    db.session.commit()
    expected = [{"kind": "action", "id": action.id, "action_id": action.id},
                {"kind": "update", "id": update.id, "action_id": action.id}]
    assert sorted(_events(everything), key=str) == sorted(expected, key=str)
    assert sorted(_events(this_one), key=str) == sorted(expected, key=str)
    assert _events(another) == []


def test_a_rollback_announces_nothing(listen, action, chair, db):
    client = listen()
    ops.post_update(action, by=chair, body="Wordt teruggedraaid.")
    db.session.flush()
    db.session.rollback()
    db.session.commit()  # a later commit of nothing must not send what was rolled back
    assert _events(client) == []


def test_a_rolled_back_savepoint_takes_only_its_own_changes(listen, action, chair, db):
    client = listen()
    kept = ops.post_update(action, by=chair, body="Blijft staan.")
    with db.session.begin_nested() as savepoint:
        dropped = ops.post_update(action, by=chair, body="Wordt teruggedraaid.")
        db.session.flush()
        dropped_id = dropped.id
        savepoint.rollback()
    db.session.commit()
    updates = [event["id"] for event in _events(client) if event["kind"] == "update"]
    assert updates == [kept.id] and dropped_id not in updates


def test_measurements_and_indicators_are_announced_to_their_rooms(listen, admin, db):
    indicator = ops.create_indicator(by=admin, name="Meldingen van overlast")
    db.session.commit()
    room, other = listen(f"indicator:{indicator.id}"), listen(f"indicator:{indicator.id + 1}")
    measurement = ops.record_measurement(indicator, by=admin, date="2025-01-01", value=12)
    db.session.commit()
    assert _events(room) == [{"kind": "measurement", "id": measurement.id, "indicator_id": indicator.id}]
    assert _events(other) == []


def test_internal_actions_are_never_announced(listen, thinktank, chair, db):
    client = listen()
    internal = ops.create_action(thinktank, by=chair, title="Vertrouwelijk", public=False)
    db.session.commit()
    ops.post_update(internal, by=chair, body="Geheim.")
    db.session.commit()
    assert _events(client) == []
    ops.update_action(internal, by=chair, public=True)  # made public: now the pages must show it
    db.session.commit()
    assert _events(client) == [{"kind": "action", "id": internal.id, "action_id": internal.id}]
    ops.update_action(internal, by=chair, public=False)  # and internal again: the pages must drop it
    db.session.commit()
    assert _events(client) == [{"kind": "action", "id": internal.id, "action_id": internal.id}]


def test_a_bulk_change_is_one_event(listen, admin, db):
    indicator = ops.create_indicator(by=admin, name="Meldingen van overlast")
    db.session.commit()
    client = listen()
    for day in range(1, live.MAX_EVENTS + 2):
        ops.record_measurement(indicator, by=admin, date=f"2025-01-{day:02d}", value=day)
    db.session.commit()
    assert _events(client) == [{"kind": "many", "id": None, "count": live.MAX_EVENTS + 1}]


def test_clients_cannot_change_anything(listen, action, db):
    client = listen(f"action:{action.id}")
    before = db.session.scalar(select(func.count()).select_from(ProgressUpdate))
    for event, payload in (("post_update", {"action_id": action.id, "body": "Hack", "progress": 100}),
                           ("progress", {"kind": "action", "id": action.id}),
                           ("join", {"room": "admin"}), ("connect", {})):
        answer = client.emit(event, payload, namespace=NS, callback=True)
        assert answer == {"error": "read_only"}, event
    assert _events(client) == []  # nothing was broadcast on a client's word
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(ProgressUpdate)) == before
    assert db.session.get(ActionItem, action.id).progress == 0


@pytest.mark.parametrize("auth, rooms", [
    (None, ["progress"]),
    ({"rooms": ["action:12", "indicator:3"]}, ["action:12", "indicator:3"]),
    ({"rooms": ["admin", "meeting:1", "action:0", "action:1 ", 7, "progress"]}, ["progress"]),
    ({"rooms": "progress"}, ["progress"]),
    ({"rooms": [f"action:{n}" for n in range(1, 100)]},
     [f"action:{n}" for n in range(1, live.MAX_ROOMS + 1)]),
])
def test_clients_can_only_join_read_only_rooms(auth, rooms):
    assert live.requested_rooms(auth) == rooms
