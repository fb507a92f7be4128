"""The live board against running servers, with real python-socketio clients over WebSocket: one threaded
server in this process, and two gunicorn processes that share Redis (the scale-out set-up)."""
from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import socketio as socketio_client
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from samen.accounts import operations as account_ops
from samen.core.database import db, utcnow
from samen.meetings.models import AgendaItem, Meeting
from samen.thinktanks import operations as tt_ops
from tests.conftest import skip_or_fail

pytestmark = pytest.mark.integration  # real servers, threads or whole databases: make test-fast leaves it out

ROOT = Path(__file__).resolve().parents[2]
NS = "/live"
WAIT = 10  # seconds for one message


class Client:
    """A python-socketio client on /live that keeps every broadcast it receives, by event."""

    def __init__(self, url: str, token: str | None = None) -> None:
        self.sio = socketio_client.Client(reconnection=False)
        self.events: dict[str, queue.Queue[Any]] = {}
        self._lock = threading.Lock()
        self.sio.on("*", self._receive, namespace=NS)
        self.sio.connect(url, namespaces=[NS], transports=["websocket"],
                         auth={"token": token} if token else None, wait_timeout=WAIT)

    def _queue(self, event: str) -> queue.Queue[Any]:
        with self._lock:
            return self.events.setdefault(event, queue.Queue())

    def _receive(self, event: str, data: Any) -> None:
        self._queue(event).put(data)

    def call(self, event: str, data: Any = None) -> Any:
        return self.sio.call(event, data, namespace=NS, timeout=WAIT)

    def next(self, event: str, where: Any = lambda data: True) -> Any:
        """Return the first `event` received that matches `where`, waiting for it."""
        deadline = time.monotonic() + WAIT
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {event} arrived")
            try:
                data = self._queue(event).get(timeout=remaining)
            except queue.Empty as error:
                raise AssertionError(f"no {event} arrived") from error
            if where(data):
                return data

    def close(self) -> None:
        self.sio.disconnect()


def close_all(*clients: Client) -> None:
    """Disconnect the clients at once: each waits up to 3 s for the threaded test server's answer to its
    WebSocket close frame, which Werkzeug's development server never sends."""
    with ThreadPoolExecutor(len(clients)) as pool:
        list(pool.map(Client.close, clients))


def _seed(app: Flask) -> dict[str, Any]:
    """Create a chair, a member and a public meeting with one agenda item; return their tokens and ids."""
    with app.app_context():
        thinktank = tt_ops.create_thinktank({"slug": f"preventie-{uuid.uuid4().hex[:6]}", "name": "Preventie"})
        chair = account_ops.create_user(email=f"chair-{uuid.uuid4().hex[:6]}@example.org", display_name="Voorzitter",
                                        password_hash="!unusable")
        member = account_ops.create_user(email=f"lid-{uuid.uuid4().hex[:6]}@example.org", display_name="Lid",
                                         password_hash="!unusable")
        tt_ops.appoint_chair(thinktank, chair)
        tt_ops.join_thinktank(thinktank, member)
        start = utcnow() + timedelta(hours=1)
        meeting = Meeting(thinktank_id=thinktank.id, title="Denktankavond", starts_at=start,
                          ends_at=start + timedelta(hours=2))
        db.session.add(meeting)
        db.session.flush()
        db.session.add(AgendaItem(meeting_id=meeting.id, position=0, title="Stemmen"))
        tokens = {"chair": account_ops.create_api_token(chair), "member": account_ops.create_api_token(member)}
        db.session.commit()
        return {"meeting_id": meeting.id, **tokens}


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


@contextmanager
def _threaded_server(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_real_clients_over_websocket(live_app: Flask) -> None:
    seed = _seed(live_app)
    dropped: threading.Thread | None = None
    with _threaded_server(live_app) as url:
        chair, member, projector = Client(url, seed["chair"]), Client(url, seed["member"]), Client(url)
        try:
            for client in (chair, member, projector):
                assert client.call("join", {"meeting_id": seed["meeting_id"]})["ok"]
            assert chair.call("meeting:open")["ok"]
            ballot = chair.call("ballot:open", {"question": "Doen we mee?"})["ballot"]
            assert member.next("ballot")["ballot"]["id"] == ballot["id"]
            vote = member.call("ballot:vote", {"ballot_id": ballot["id"], "choice": "yes"})
            assert vote["ok"]
            assert chair.next("tally", lambda d: d.get("chairs"))["tally"] == {"yes": 1, "no": 0, "abstain": 0}
            assert projector.next("tally")["tally"] is None  # hidden from the room until shown
            chair.call("results:show")
            assert projector.next("ballot", lambda d: d["results_visible"])["ballot"]["tally"]["yes"] == 1
            # A phone that drops off and comes back gets the board as it is. The old connection closes beside
            # the new one: its close waits 3 s for a frame the server never sends (see close_all).
            dropped = threading.Thread(target=member.close)
            dropped.start()
            member = Client(url, seed["member"])
            board = member.call("join", {"meeting_id": seed["meeting_id"]})["board"]
            assert board["you"]["vote"] == {"choice": "yes"} and board["results_visible"] is True
        finally:
            close_all(chair, member, projector)
            if dropped is not None:
                dropped.join()


# --- two processes sharing Redis -------------------------------------------------------------------------------

def _redis_url() -> str:
    import redis
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        skip_or_fail(f"Redis is not reachable at {url} ({error}); set TEST_REDIS_URL")
    return url


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve_processes(database_url: str, count: int, *, message_queue: str | None, channel: str,
                    threads: int = 50) -> Iterator[list[str]]:
    """Start `count` gunicorn processes (gthread, one worker each) on one database and message queue."""
    env = {**os.environ, "DATABASE_URL": database_url, "SOCKETIO_CHANNEL": channel, "SAMEN_ENV": "development",
           "SECRET_KEY": "live-scaleout-test-secret", "RATELIMIT_ENABLED": "0", "LOG_LEVEL": "WARNING"}
    if message_queue:
        env["SOCKETIO_MESSAGE_QUEUE"] = message_queue
    else:
        env.pop("SOCKETIO_MESSAGE_QUEUE", None)
    processes, urls = [], []
    try:
        for n in range(count):
            port = _free_port()
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-k", "gthread", "-w", "1", "--threads", str(threads),
                 "-b", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
                cwd=ROOT, env={**env, "LIVE_SERVER_ID": f"test-{n}"}, stdout=subprocess.DEVNULL))
            urls.append(f"http://127.0.0.1:{port}")
        for url, process in zip(urls, processes, strict=True):
            _wait_until_up(url, process)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_until_up(url: str, process: subprocess.Popen[Any]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server at {url} exited with {process.returncode}")
        try:
            urllib.request.urlopen(f"{url}/socket.io/?EIO=4&transport=polling", timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the server at {url} did not start")


@pytest.mark.redis
def test_a_broadcast_reaches_clients_on_both_processes(live_app: Flask) -> None:
    redis_url = _redis_url()
    seed = _seed(live_app)
    channel = f"samen-test-{uuid.uuid4().hex}"
    with serve_processes(live_app.config["DATABASE_URL"], 2, message_queue=redis_url, channel=channel) as urls:
        first, second = urls
        chair, projector_one = Client(first, seed["chair"]), Client(first)
        member, projector_two = Client(second, seed["member"]), Client(second)
        clients = (chair, projector_one, member, projector_two)
        try:
            for client in clients:
                assert client.call("join", {"meeting_id": seed["meeting_id"]})["ok"]
            assert chair.call("meeting:open")["ok"]  # on the first process
            for client in clients:
                assert client.next("agenda")["state"] == "live"
            ballot = chair.call("ballot:open", {"question": "Doen we mee?"})["ballot"]
            for client in clients:
                assert client.next("ballot")["ballot"]["id"] == ballot["id"]
            vote = member.call("ballot:vote", {"ballot_id": ballot["id"], "choice": "no"})  # on the second
            assert vote["ok"]
            for client in clients:
                assert client.next("tally")["votes"] == 1
            assert chair.next("tally", lambda d: d.get("chairs"))["tally"]["no"] == 1
            # Presence counts connections on both processes (stored in the database, not in one process).
            board = projector_two.call("join", {"meeting_id": seed["meeting_id"]})["board"]
            assert board["presence"]["count"] == 4
        finally:
            close_all(*clients)


@pytest.mark.redis
def test_revoking_a_token_on_one_process_closes_its_connection_on_the_other(live_app: Flask) -> None:
    redis_url = _redis_url()
    seed = _seed(live_app)
    with live_app.app_context():
        member = account_ops.find_api_token(seed["member"])[1]
        manager, _manager_row = account_ops.issue_api_token(member, name="beheer")
        revoked_id = account_ops.find_api_token(seed["member"])[0].id
        db.session.commit()
    channel = f"samen-test-{uuid.uuid4().hex}"
    with serve_processes(live_app.config["DATABASE_URL"], 2, message_queue=redis_url, channel=channel) as urls:
        first, second = urls
        connection = Client(second, seed["member"])
        closed = threading.Event()
        connection.sio.on("disconnect", lambda *_reason: closed.set(), namespace=NS)
        try:
            assert connection.call("join", {"meeting_id": seed["meeting_id"]})["ok"]
            request = urllib.request.Request(f"{first}/api/v1/tokens/{revoked_id}", method="DELETE",
                                             headers={"Authorization": f"Bearer {manager}"})
            with urllib.request.urlopen(request, timeout=WAIT) as answer:
                assert answer.status == 204
            assert closed.wait(WAIT), "the connection on the other process stayed open"
        finally:
            close_all(connection)
