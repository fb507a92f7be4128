"""Start `deploy/serve-prod` (nginx in front of gunicorn processes) and talk to it as clients at different
addresses would: nginx's ip_hash keys on the first three parts of an IPv4 address, and every 127.x.y.z is this
machine, so a client bound to 127.0.N.1 is a different visitor for nginx."""
from __future__ import annotations

import http.client
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SERVE_PROD = ROOT / "deploy" / "serve-prod"
NS = "/live"
WAIT = 10  # seconds for one message


def find_nginx() -> str | None:
    """Return the nginx binary deploy/serve-prod would use, or None."""
    for candidate in (os.environ.get("NGINX"), shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def free_ports(count: int) -> list[int]:
    """Return `count` distinct ports free right now."""
    probes = []
    try:
        for _ in range(count):
            probe = socket.socket()
            probe.bind(("127.0.0.1", 0))
            probes.append(probe)
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


@dataclass
class ServeProd:
    """A running deploy/serve-prod: its URL, state file (workers, logs) and output."""

    process: subprocess.Popen[str]
    port: int
    instance: Path
    output: list[str] = field(default_factory=list)

    @property
    def state(self) -> dict[str, Any]:
        return json.loads((self.instance / "serve-prod.json").read_text())

    def logs(self) -> list[dict[str, Any]]:
        """Return every JSON line the worker processes wrote, with the worker's name under 'worker'."""
        entries = []
        for worker in self.state["workers"]:
            for line in Path(worker["log"]).read_text(errors="replace").splitlines():
                if line.startswith("{"):
                    entries.append({**json.loads(line), "worker": worker["name"]})
        return entries

    def nginx_access_log(self) -> str:
        return Path(self.state["nginx"]["access_log"]).read_text(errors="replace")

    def stop(self) -> int | None:
        """Stop serve-prod as Ctrl-C would; kill its process group if it does not stop."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        return self.process.returncode


def start(instance: Path, env: dict[str, str], *, workers: int = 2, timeout: float = 90,
          extra: tuple[str, ...] = ()) -> ServeProd:
    """Start deploy/serve-prod on free ports and wait until it says it is ready (nginx answers /readyz)."""
    port, *worker_ports = free_ports(workers + 1)
    process = subprocess.Popen(
        [sys.executable, str(SERVE_PROD), "--port", str(port), "--workers", str(workers),
         "--worker-ports", ",".join(map(str, worker_ports)), "--instance", str(instance), *extra],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    served = ServeProd(process, port, instance)
    ready = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            served.output.append(line.rstrip("\n"))
            if "ready on" in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + timeout
    while not ready.wait(0.2):
        if process.poll() is not None or time.monotonic() > deadline:
            served.stop()
            raise AssertionError("deploy/serve-prod did not start:\n" + "\n".join(served.output[-40:]))
    return served


# --- HTTP from a chosen address --------------------------------------------------------------------------

class Browser:
    """A visitor at `address` with cookies, over plain http.client (cheap: no requests, no threads)."""

    def __init__(self, port: int, address: str = "127.0.0.1") -> None:
        self.port = port
        self.address = address
        self.cookies: dict[str, str] = {}
        self.set_cookie_headers: list[str] = []

    def request(self, method: str, path: str, form: dict[str, str] | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30,
                                                source_address=(self.address, 0))
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            from urllib.parse import urlencode
            body = urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                self.set_cookie_headers.append(header)
                name, _, rest = header.partition("=")
                value = rest.split(";", 1)[0]
                if value and "max-age=0" not in header.lower() and "expires=thu, 01 jan 1970" not in header.lower():
                    self.cookies[name.strip()] = value
                else:
                    self.cookies.pop(name.strip(), None)
            return response.status, {key.lower(): value for key, value in response.getheaders()}, text
        finally:
            connection.close()

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        return self.request("GET", path)

    def csrf_token(self, path: str) -> str:
        status, _, html = self.get(path)
        assert status == 200, f"GET {path}: {status}"
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
            r'value="([^"]+)"[^>]*name="csrf_token"', html)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def post(self, path: str, form: dict[str, str], token_from: str | None = None
             ) -> tuple[int, dict[str, str], str]:
        """POST a form with the CSRF token of the page `token_from` (default: the same path)."""
        return self.request("POST", path, {"csrf_token": self.csrf_token(token_from or path), **form})

    def sign_in(self, email: str, password: str) -> int:
        status, _, _ = self.post("/login", {"email": email, "password": password})
        return status


# --- Socket.IO from a chosen address ---------------------------------------------------------------------

class LiveClient:
    """A python-socketio client on /live, connected through nginx from `address`, that keeps every broadcast.

    With WebSocket only, the connection is one TCP socket: we open it ourselves, from `address`, and hand it to
    websocket-client. With `transports=None` it starts with long-polling and upgrades, as a browser does (from
    127.0.0.1: requests cannot choose its address)."""

    def __init__(self, port: int, token: str | None, address: str = "127.0.0.1",
                 transports: list[str] | None = None) -> None:
        import socketio

        self.address = address
        self.events: dict[str, queue.Queue[Any]] = {}
        self._lock = threading.Lock()
        options: dict[str, Any] = {}
        if transports == ["websocket"]:
            sock = socket.create_connection(("127.0.0.1", port), timeout=WAIT, source_address=(address, 0))
            options["websocket_extra_options"] = {"socket": sock}
        self.sio = socketio.Client(reconnection=False, handle_sigint=False, **options)
        self.sio.on("*", self._receive, namespace=NS)
        self.sio.connect(f"http://127.0.0.1:{port}", namespaces=[NS], transports=transports,
                         auth={"token": token} if token else None, wait_timeout=WAIT)

    @property
    def sid(self) -> str:
        return self.sio.get_sid(NS)

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
                raise AssertionError(f"no {event} arrived at the client from {self.address}")
            try:
                data = self._queue(event).get(timeout=remaining)
            except queue.Empty as error:
                raise AssertionError(f"no {event} arrived at the client from {self.address}") from error
            if where(data):
                return data

    def close(self) -> None:
        with suppress(Exception):  # closing after a test, whatever state it is in
            self.sio.disconnect()
