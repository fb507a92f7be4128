"""After a Redis outage a process is back in step within two seconds (samen/core/live_queue.py): what another
process broadcasts reaches its clients again, and they are told to fetch their state, since what was broadcast
meanwhile did not reach them. A real gunicorn process, a real Socket.IO client, a Redis of the test's own; the
"other process" is python-socketio's write-only manager, as an outside process emits."""
from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import socketio

pytestmark = [pytest.mark.redis, pytest.mark.integration]

ROOT = Path(__file__).resolve().parents[2]


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _within(seconds: float, check: Callable[[], bool]) -> float | None:
    """How long until `check` held, or None when it did not within `seconds`."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if check():
            return time.monotonic() - started
        time.sleep(0.05)
    return None


def test_a_process_hears_the_others_again_within_two_seconds_of_redis_coming_back(
        tmp_path: Path, redis_server: Any) -> None:
    channel, port = f"samen-test-{uuid.uuid4().hex}", _port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'samen.db'}", "SAMEN_ENV": "development",
           "SECRET_KEY": "live-queue-test-secret", "LOG_LEVEL": "WARNING", "RATELIMIT_ENABLED": "0",
           "SOCKETIO_MESSAGE_QUEUE": redis_server.url, "SOCKETIO_CHANNEL": channel}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-k", "gthread", "-w", "1", "--threads", "8", "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    received: queue.Queue[tuple[str, Any]] = queue.Queue()
    client = socketio.Client(reconnection=False)
    client.on("progress", lambda data: received.put(("progress", data)), namespace="/public")
    client.on("resync", lambda data=None: received.put(("resync", data)), namespace="/public")
    other = socketio.RedisManager(redis_server.url, channel=channel, write_only=True)
    seen: list[tuple[str, Any]] = []

    def got(name: str, data: Any = None) -> bool:
        while not received.empty():
            seen.append(received.get())
        return any(event == name and (data is None or payload == data) for event, payload in seen)

    def hears(n: int) -> Callable[[], bool]:
        def check() -> bool:
            other.emit("progress", {"n": n}, namespace="/public", room="progress")
            return got("progress", {"n": n})
        return check

    try:
        assert _within(30, lambda: process.poll() is None and _connects(client, port)), "gunicorn did not start"
        assert _within(10, hears(1)) is not None
        assert not got("resync")
        redis_server.stop()
        time.sleep(3)  # the listener has noticed and keeps trying
        redis_server.start()
        back = _within(10, hears(2))
        assert back is not None and back < 2, back
        assert _within(2, lambda: got("resync")) is not None
    finally:
        client.disconnect()
        process.terminate()
        process.wait(timeout=10)


def _connects(client: socketio.Client, port: int) -> bool:
    try:
        client.connect(f"http://127.0.0.1:{port}", namespaces=["/public"], auth={"rooms": ["progress"]},
                       transports=["websocket"], wait_timeout=2)
        return True
    except socketio.exceptions.ConnectionError:
        return False
