"""Fixtures for the live board's tests: a meeting with an agenda, people in every role, and Socket.IO test
clients on /live (the tests in this folder)."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest

from samen.accounts import operations as account_ops
from samen.core.database import utcnow
from samen.extensions import socketio_for
from samen.meetings.models import AgendaItem, Meeting, Registration
from samen.thinktanks import operations as tt_ops

NS = "/live"


def make_meeting(db: Any, thinktank: Any = None, *, public: bool = True, ideas: list[Any] = (),
                 items: int = 3, **fields: Any) -> Meeting:
    """Create a meeting of the think tank (a plenary without one) with `items` agenda items; the first
    discusses `ideas`."""
    start = (utcnow() + timedelta(days=1)).replace(microsecond=0)
    meeting = Meeting(thinktank_id=thinktank.id if thinktank else None, title=fields.pop("title", "Denktankavond"),
                      starts_at=start, ends_at=start + timedelta(hours=2), public=public,
                      location="De Schakel, Nijkerk", **fields)
    db.session.add(meeting)
    db.session.flush()
    for position in range(items):
        db.session.add(AgendaItem(meeting_id=meeting.id, position=position, title=f"Punt {position + 1}",
                                  description="Wat **doen** we?", planned_minutes=15,
                                  ideas=list(ideas) if position == 0 else []))
    db.session.commit()
    return meeting


def register(db: Any, meeting: Meeting, user: Any, status: str = "registered") -> Registration:
    registration = Registration(meeting_id=meeting.id, user_id=user.id, status=status)
    db.session.add(registration)
    db.session.commit()
    return registration


@pytest.fixture
def meeting(db: Any, thinktank: Any, idea: Any) -> Meeting:
    """Return a public, scheduled meeting of the think tank; its first agenda item discusses `idea`."""
    return make_meeting(db, thinktank, ideas=[idea])


@pytest.fixture
def people(db: Any, create_user: Callable[..., Any], create_thinktank: Callable[..., Any], thinktank: Any,
           chair: Any, member: Any, admin: Any, meeting: Meeting) -> dict[str, Any]:
    """Return a person for every role: chair, admin, member, registered (not a member), other (a member of
    another think tank) and anonymous (None)."""
    registered = create_user(display_name="Aangemelde bewoner")
    register(db, meeting, registered)
    other = create_user(display_name="Lid van een andere denktank")
    tt_ops.join_thinktank(create_thinktank(slug="nazorg", name="Nazorg"), other)
    db.session.commit()
    return {"chair": chair, "admin": admin, "member": member, "registered": registered, "other": other,
            "anonymous": None}


class Live:
    """A Socket.IO test client on /live, with acknowledgements returned and broadcasts read by name."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def emit(self, event: str, data: Any = None, *extra: Any) -> Any:
        args = () if data is None else (data, *extra)
        return self.client.emit(event, *args, namespace=NS, callback=True)

    def join(self, meeting: Meeting | int) -> Any:
        return self.emit("join", {"meeting_id": meeting if isinstance(meeting, int) else meeting.id})

    def received(self, name: str | None = None) -> list[Any]:
        messages = self.client.get_received(NS)
        return [message["args"][0] for message in messages if name is None or message["name"] == name]

    @property
    def connected(self) -> bool:
        return self.client.is_connected(NS)


@pytest.fixture
def token_for(db: Any) -> Callable[[Any], str]:
    """Return a function that issues an API token for a user."""
    def issue(user: Any) -> str:
        token = account_ops.create_api_token(user, name="live")
        db.session.commit()
        return token
    return issue


@pytest.fixture
def connect(app: Any, db: Any, token_for: Callable[[Any], str]) -> Iterator[Callable[..., Live]]:
    """Return a function that connects a user (by API token; None: anonymously) to /live, joined to `join`."""
    clients: list[Live] = []

    def open_(user: Any = None, *, join: Meeting | None = None, flask_client: Any = None, **kwargs: Any) -> Live:
        auth = {"token": token_for(user)} if user is not None else None
        server = socketio_for(app)
        live = Live(server.test_client(app, namespace=NS, auth=auth, flask_test_client=flask_client, **kwargs))
        clients.append(live)
        if join is not None:
            answer = live.join(join)
            assert answer.get("ok"), answer
            live.received()
        return live
    yield open_
    for live in clients:
        if live.connected:
            live.client.disconnect(NS)


def opened(db: Any, meeting: Meeting, chair: Any) -> Meeting:
    """Open the meeting as the chair (stored)."""
    from samen.meetings import live
    live.open_meeting(meeting, chair)
    db.session.commit()
    return meeting
