"""Stopping a web process: its live connections are ended at once (their clients reconnect elsewhere), and under
gunicorn that happens on SIGTERM, while requests in progress still finish."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from samen.core.serving import disconnect_live_clients
from samen.extensions import socketio_for

ROOT = Path(__file__).resolve().parents[2]


def test_every_live_connection_of_the_process_is_ended(app, db):
    server = socketio_for(app)
    clients = [server.test_client(app, namespace="/public", auth={"rooms": ["progress"]}) for _ in range(2)]
    assert all(client.is_connected("/public") for client in clients)
    assert disconnect_live_clients(app) == 2
    assert not any(client.is_connected("/public") for client in clients)
    assert disconnect_live_clients(app) == 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, timeout: float = 10) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode()


@pytest.mark.integration
def test_sigterm_ends_the_live_connections_at_once_under_gunicorn(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'samen.db'}", "SAMEN_ENV": "development",
           "SECRET_KEY": "serving-test-secret", "LOG_LEVEL": "WARNING"}
    env.pop("SOCKETIO_MESSAGE_QUEUE", None)
    graceful = 20  # long: the test shows the process does not wait for it
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-k", "gthread", "-w", "1", "--threads", "8", "-b", f"127.0.0.1:{port}",
         "--graceful-timeout", str(graceful), "--log-level", "warning", "--config", "python:samen.core.serving",
         "wsgi:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/socket.io/?EIO=4&transport=polling"
    try:
        deadline = time.monotonic() + 30
        while True:  # the server is starting
            try:
                handshake = _get(base, timeout=1)
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.1)
        sid = json.loads(handshake[1:])["sid"]
        session = f"{base}&sid={sid}"
        request = urllib.request.Request(session, data=b'40/public,{"rooms":["progress"]}', method="POST")
        urllib.request.urlopen(request, timeout=5).close()
        assert "40/public" in _get(session)  # connected to /public

        # The long-poll is in progress before the signal (a loaded machine may otherwise send it only after the
        # process stopped accepting): it gets the namespace's disconnect packet ("41"), and the client reconnects.
        with ThreadPoolExecutor(max_workers=1) as pool:
            poll = pool.submit(_get, session, graceful)
            time.sleep(0.5)  # the request has reached the server and waits for a packet
            started = time.monotonic()
            process.send_signal(signal.SIGTERM)
            assert "41/public" in poll.result(timeout=graceful)
        assert process.wait(timeout=graceful) == 0
        assert time.monotonic() - started < graceful / 2  # not cut off at the end of the graceful timeout
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
