"""`make serve-prod` — the production set-up of docs/deployment.md — works: nginx in front of two gunicorn
processes sharing Redis, on the suite's database backend. Real clients go through nginx: pages, sign-in, static
files, and one live meeting whose participants are spread over both processes."""
from __future__ import annotations

import http.client
import json
import re
import time
import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from samen import create_app
from samen.accounts import operations as account_ops
from samen.core.database import db, utcnow
from samen.meetings.models import AgendaItem, Meeting
from samen.thinktanks import operations as tt_ops
from tests.conftest import make_config
from tests.deploy.serveprod import Browser, LiveClient, ServeProd

pytestmark = [pytest.mark.nginx, pytest.mark.redis, pytest.mark.integration]

DEMO_PASSWORD = "samen-demo-2026"
MEMBERS = 8


def _eventually(read: Any, seconds: float = 5) -> Any:
    """Return read()'s first true value, trying for a few seconds: a log line is written after the response."""
    deadline = time.monotonic() + seconds
    while True:
        value = read()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def _entries(served: ServeProd, request_id: str) -> list[dict[str, Any]]:
    """Return the processes' JSON log lines of one request."""
    return _eventually(lambda: [entry for entry in served.logs() if entry.get("request_id") == request_id])


def test_ready_through_nginx_with_the_database_and_redis(serve_prod: ServeProd) -> None:
    status, headers, body = Browser(serve_prod.port).get("/readyz")
    assert status == 200, body
    assert json.loads(body) == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}
    assert headers["server"].startswith("nginx")
    status, _, body = Browser(serve_prod.port).get("/healthz")
    assert (status, json.loads(body)) == (200, {"status": "ok"})


def test_nginx_request_id_is_in_the_json_access_log(serve_prod: ServeProd) -> None:
    status, headers, _ = Browser(serve_prod.port, "127.0.3.7").get("/thinktanks/")
    assert status == 200
    request_id = headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)  # nginx's $request_id
    assert _eventually(lambda: f"request_id={request_id}" in serve_prod.nginx_access_log())  # nginx's own log
    access = [entry for entry in _entries(serve_prod, request_id) if entry["logger"] == "samen.access"]
    assert len(access) == 1, access
    assert access[0]["path"] == "/thinktanks/" and access[0]["status"] == 200 and access[0]["level"] == "info"
    # TRUSTED_PROXIES=1: the visitor's address from nginx's X-Forwarded-For, not nginx's own.
    assert access[0]["remote_addr"] == "127.0.3.7"


def test_a_client_cannot_choose_its_request_id(serve_prod: ServeProd) -> None:
    _, headers, _ = Browser(serve_prod.port).request("GET", "/healthz", headers={"X-Request-ID": "chosen-by-me-1"})
    assert headers["x-request-id"] != "chosen-by-me-1"


def test_demo_sign_in_over_plain_http(serve_prod: ServeProd) -> None:
    """SESSION_COOKIE_SECURE is off on this machine's plain http, so the session cookie comes back."""
    visitor = Browser(serve_prod.port, "127.0.4.1")
    assert visitor.sign_in("bewoner@samen.local", DEMO_PASSWORD) == 302
    assert not any("secure" in header.lower().split(";")[1:] for header in visitor.set_cookie_headers)
    status, headers, html = visitor.get("/thinktanks/preventie")
    assert status == 200 and "Preventie" in html  # the demo plan
    assert 'action="/logout"' in html  # signed in
    assert headers["cache-control"] == "no-store"


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "localhost:{port}", "127.0.0.2"])
def test_another_host_gets_nothing_through_nginx(serve_prod: ServeProd, host: str) -> None:
    """nginx answers BASE_URL's host name only (127.0.0.1 here); any other gets the connection closed."""
    with pytest.raises(http.client.RemoteDisconnected):
        Browser(serve_prod.port).request("GET", "/progress/report", headers={"Host": host.format(port=serve_prod.port)})


def test_a_forwarded_host_does_not_reach_the_pages(serve_prod: ServeProd) -> None:
    """nginx replaces X-Forwarded-Host with the site's name; absolute links come from BASE_URL."""
    for path in ("/progress/report", "/progress/feed.atom", "/progress/actions.json"):
        status, _, body = Browser(serve_prod.port, "127.0.5.1").request(
            "GET", path, headers={"X-Forwarded-Host": "evil.example", "Forwarded": "host=evil.example"})
        assert status == 200 and "evil.example" not in body, path
        assert f"http://127.0.0.1:{serve_prod.port}/" in body, path


def test_static_files_come_from_nginx(serve_prod: ServeProd) -> None:
    status, headers, body = Browser(serve_prod.port).get("/static/css/samen.css")
    assert status == 200 and body
    assert "x-request-id" not in headers  # served from disk, the app never saw it
    assert headers["cache-control"] == "no-cache" and "etag" in headers


# --- one live meeting on two processes ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def meeting(serve_prod: ServeProd) -> dict[str, Any]:
    """Create a chair, members and a public meeting in serve-prod's database; return their tokens and ids."""
    app = create_app(make_config(serve_prod.state["database"]))
    tag = uuid.uuid4().hex[:6]
    with app.app_context():
        thinktank = tt_ops.create_thinktank({"slug": f"live-{tag}", "name": "Live over twee processen"})
        chair = account_ops.create_user(email=f"chair-{tag}@example.org", display_name="Voorzitter",
                                        password_hash="!unusable")
        tt_ops.appoint_chair(thinktank, chair)
        members = []
        for n in range(MEMBERS):
            member = account_ops.create_user(email=f"lid-{tag}-{n}@example.org", display_name=f"Lid {n}",
                                             password_hash="!unusable")
            tt_ops.join_thinktank(thinktank, member)
            members.append(member)
        start = utcnow() + timedelta(hours=1)
        planned = Meeting(thinktank_id=thinktank.id, title="Denktankavond", starts_at=start,
                          ends_at=start + timedelta(hours=2))
        db.session.add(planned)
        db.session.flush()
        db.session.add(AgendaItem(meeting_id=planned.id, position=0, title="Stemmen"))
        seed = {"meeting_id": planned.id, "chair": account_ops.create_api_token(chair),
                "members": [account_ops.create_api_token(member) for member in members]}
        db.session.commit()
    app.extensions["samen_db"]["engine"].dispose()
    return seed


def _servers(database_url: str) -> dict[str, str]:
    """Return which process holds each live connection (live_connections.server, by sid)."""
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            return dict(connection.execute(text("SELECT sid, server FROM live_connections")).all())
    finally:
        engine.dispose()


def _count_votes(database_url: str, ballot_id: int) -> int:
    engine = create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM ballot_votes WHERE ballot_id = :id"),
                                      {"id": ballot_id}).scalar_one()
    finally:
        engine.dispose()


def test_two_processes_behind_nginx_serve_one_live_meeting(serve_prod: ServeProd,
                                                           meeting: dict[str, Any]) -> None:
    port, database = serve_prod.port, serve_prod.state["database"]
    joined: list[LiveClient] = []

    def join(client: LiveClient) -> str:
        """Join the meeting; return the process that holds the connection."""
        joined.append(client)
        assert client.call("join", {"meeting_id": meeting["meeting_id"]})["ok"]
        assert client.sio.transport() == "websocket"
        return _servers(database)[client.sid]

    try:
        chair = LiveClient(port, meeting["chair"], "127.0.1.1", transports=["websocket"])
        home = join(chair)
        # Sticky: another connection from the same address reaches the same process.
        near = LiveClient(port, meeting["members"][0], "127.0.1.1", transports=["websocket"])
        assert join(near) == home
        # Clients from other addresses until one lands on the other process.
        far = None
        for n, token in enumerate(meeting["members"][1:], start=2):
            client = LiveClient(port, token, f"127.0.{n}.1", transports=["websocket"])
            if join(client) != home:
                far = client
                break
        assert far is not None, "every address went to the same process: is ip_hash spreading them?"
        assert set(_servers(database).values()) == {"samen-1", "samen-2"}  # LIVE_SERVER_ID per process
        # A browser-like client: long-polling first, then the upgrade, all on one process thanks to ip_hash.
        projector = LiveClient(port, None)
        join(projector)

        assert chair.call("meeting:open")["ok"]
        for client in joined:
            assert client.next("agenda")["state"] == "live"
        ballot = chair.call("ballot:open", {"question": "Doen we mee?"})["ballot"]
        for client in joined:
            assert client.next("ballot")["ballot"]["id"] == ballot["id"]

        # A vote on the other process reaches the chair's process through Redis, and the other way round.
        assert far.call("ballot:vote", {"ballot_id": ballot["id"], "choice": "yes"})["ok"]
        assert chair.next("tally", lambda d: d.get("chairs") and d["votes"] == 1)["tally"]["yes"] == 1
        assert near.next("tally", lambda d: d["votes"] == 1)["tally"] is None  # hidden from the room
        assert near.call("ballot:vote", {"ballot_id": ballot["id"], "choice": "no"})["ok"]
        for client in joined:
            assert client.next("tally", lambda d: d["votes"] == 2)
        assert chair.next("tally", lambda d: d.get("chairs") and d["votes"] == 2)["tally"] == {
            "yes": 1, "no": 1, "abstain": 0}
        assert _count_votes(database, ballot["id"]) == 2
        # Presence counts the connections of both processes (kept in the database).
        board = far.call("join", {"meeting_id": meeting["meeting_id"]})["board"]
        assert board["presence"]["count"] == len(joined)
    finally:
        for client in joined:
            client.close()
    # nginx passed the WebSocket upgrade on (101) to both processes (logged when a connection closes).
    pattern = r'"GET /socket\.io/\?[^"]*transport=websocket[^"]*" 101 .* upstream=(\S+)'
    upgrades = _eventually(lambda: len(set(re.findall(pattern, serve_prod.nginx_access_log()))) == 2)
    assert upgrades, serve_prod.nginx_access_log()
