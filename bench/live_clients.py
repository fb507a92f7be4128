"""The live benchmark's clients: many Socket.IO clients on WebSocket in one asyncio loop, in a worker process.

A python-socketio `Client` runs two threads per connection; 300 of them in one process spent more CPU than the
server they measured, on the same two cores. Here one asyncio loop drives every connection of a worker, with
wsproto (the WebSocket protocol library simple-websocket uses) and just enough Engine.IO 4 / Socket.IO 5 to
connect to a namespace with `auth`, answer pings, send events with acknowledgements and receive broadcasts.

Times are `time.monotonic()` (CLOCK_MONOTONIC on Linux): one clock for every process on the machine, so the
parent (the chair) and the workers (the participants) compare their instants directly.

A worker is driven over stdin/stdout, one JSON object per line (see `Worker.handle`):

    python -m bench.live_clients        # reads {"urls", "tokens", "meeting_id"}, then commands
"""
from __future__ import annotations

import asyncio
import json
import os
import random
import sys
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from wsproto import ConnectionType, WSConnection
from wsproto.events import (AcceptConnection, CloseConnection, Message, Ping, RejectConnection, Request,
                            TextMessage)

NS = "/live"
PATH = "/socket.io/?EIO=4&transport=websocket"


class LiveClient(asyncio.Protocol):
    """One Socket.IO connection to /live. Records every broadcast as (event, key, arrival), where key is a
    tally's `seq` and every other event's `version`."""

    def __init__(self, token: str | None, on_event: Callable[[LiveClient, str, int, float], None] | None = None
                 ) -> None:
        self.token = token
        self.on_event = on_event
        self.ws = WSConnection(ConnectionType.CLIENT)
        self.transport: asyncio.Transport | None = None
        self.received: list[tuple[str, int, float]] = []
        self.latest: dict[str, int] = {}
        self._text: list[str] = []
        self._acks: dict[int, asyncio.Future[Any]] = {}
        self._next_ack = 0
        self._accepted: asyncio.Future[None] | None = None
        self._joined_ns: asyncio.Future[None] | None = None
        self.closed = False

    # --- connecting ------------------------------------------------------------------------------------------

    async def connect(self, url: str, timeout: float = 60) -> None:
        parts = urlsplit(url)
        loop = asyncio.get_running_loop()
        self._accepted, self._joined_ns = loop.create_future(), loop.create_future()
        await loop.create_connection(lambda: self, parts.hostname, parts.port)
        self._send_bytes(self.ws.send(Request(host=parts.netloc, target=PATH)))
        await asyncio.wait_for(self._accepted, timeout)
        await asyncio.wait_for(self._joined_ns, timeout)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        for future in (self._accepted, self._joined_ns, *self._acks.values()):
            if future is not None and not future.done():
                future.set_exception(ConnectionError("connection lost"))

    def _send_bytes(self, data: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)

    def _send_text(self, text: str) -> None:
        self._send_bytes(self.ws.send(Message(data=text)))

    # --- receiving -------------------------------------------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        at = time.monotonic()
        self.ws.receive_data(data)
        for event in self.ws.events():
            if isinstance(event, TextMessage):
                self._text.append(event.data)
                if event.message_finished:
                    text, self._text = "".join(self._text), []
                    self._engineio(text, at)
            elif isinstance(event, AcceptConnection):
                self._accepted.set_result(None)
            elif isinstance(event, RejectConnection):
                self._accepted.set_exception(ConnectionError("WebSocket refused"))
            elif isinstance(event, Ping):
                self._send_bytes(self.ws.send(event.response()))
            elif isinstance(event, CloseConnection):
                self._send_bytes(self.ws.send(event.response()))
                self.transport.close()

    def _engineio(self, text: str, at: float) -> None:
        kind, body = text[:1], text[1:]
        if kind == "4":
            self._socketio(body, at)
        elif kind == "2":
            self._send_text("3" + body)  # pong
        elif kind == "0":
            self._send_text("40" + NS + "," + json.dumps({"token": self.token} if self.token else {}))

    def _socketio(self, packet: str, at: float) -> None:
        kind, rest = packet[:1], packet[1:]
        if rest.startswith(NS):
            rest = rest[len(NS):].lstrip(",")
        if kind == "2":  # an event (a broadcast)
            name, data = json.loads(rest)[:2]
            if name == "board" and isinstance(data, dict):  # a page's rendered regions: named by what changed
                name = str(data.get("kind"))
            key = data.get("seq" if name == "tally" else "version", 0) if isinstance(data, dict) else 0
            self.received.append((name, key, at))
            if key > self.latest.get(name, 0):
                self.latest[name] = key
            if self.on_event is not None:
                self.on_event(self, name, key, at)
        elif kind == "3":  # an acknowledgement: digits, then the JSON arguments
            digits = len(rest) - len(rest.lstrip("0123456789"))
            future = self._acks.pop(int(rest[:digits]), None)
            if future is not None and not future.done():
                args = json.loads(rest[digits:])
                future.set_result(args[0] if args else None)
        elif kind == "0":
            self._joined_ns.set_result(None)
        elif kind == "4":
            self._joined_ns.set_exception(ConnectionError(f"refused: {rest}"))

    # --- sending ---------------------------------------------------------------------------------------------

    def send(self, event: str, data: Any = None) -> asyncio.Future[Any]:
        """Send an event; return a future for its acknowledgement."""
        self._next_ack += 1
        future = asyncio.get_running_loop().create_future()
        self._acks[self._next_ack] = future
        args = [event] if data is None else [event, data]
        self._send_text(f"42{NS},{self._next_ack}{json.dumps(args, separators=(',', ':'))}")
        return future

    async def call(self, event: str, data: Any = None, timeout: float = 60) -> Any:
        return await asyncio.wait_for(self.send(event, data), timeout)

    def close(self) -> None:
        if self.transport is not None and not self.closed:
            try:
                self._send_text("41" + NS + ",")
                self._send_bytes(self.ws.send(CloseConnection(code=1000)))
            except Exception:  # noqa: BLE001 - closing at the end of a run
                pass
            self.transport.close()


async def connect_all(urls: list[str], tokens: list[str], *, offset: int = 0, parallel: int = 20
                      ) -> list[LiveClient]:
    """Connect a client per token; token i goes to urls[(offset + i) % len(urls)]."""
    gate = asyncio.Semaphore(parallel)
    clients = [LiveClient(token) for token in tokens]

    async def one(index: int, client: LiveClient) -> None:
        async with gate:
            await client.connect(urls[(offset + index) % len(urls)])

    await asyncio.gather(*(one(index, client) for index, client in enumerate(clients)))
    return clients


async def wait_for(clients: list[LiveClient], event: str, key: int, timeout: float) -> bool:
    """Wait until every client has seen `event` with at least `key`; return whether they all did."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(client.latest.get(event, 0) >= key for client in clients):
            return True
        await asyncio.sleep(0.02)
    return False


class Worker:
    """A worker process's clients, driven by the parent one command at a time."""

    def __init__(self, setup: dict[str, Any]) -> None:
        self.setup = setup
        self.clients: list[LiveClient] = []

    async def handle(self, command: dict[str, Any]) -> dict[str, Any]:
        action = command["do"]
        if action == "connect":  # connect and join; answer with the versions the snapshots had
            self.clients = await connect_all(self.setup["urls"], self.setup["tokens"],
                                             offset=self.setup.get("offset", 0))
            # BENCH_LIVE_VIEW=live: the clients join as the participant's page does, and get rendered regions.
            hello = {"meeting_id": self.setup["meeting_id"]}
            if os.environ.get("BENCH_LIVE_VIEW"):
                hello["view"] = os.environ["BENCH_LIVE_VIEW"]
            answers = await asyncio.gather(*(client.call("join", hello) for client in self.clients))
            refused = [answer for answer in answers if not answer.get("ok")]
            return {"ok": not refused, "versions": [a.get("board", a)["version"] for a in answers if a.get("ok")],
                    "refused": refused[:1]}
        if action == "wait":  # until every client has `event` at `key` or later
            ok = await wait_for(self.clients, command["event"], command["key"], command.get("timeout", 30))
            return {"ok": ok}
        if action == "vote":  # each client votes at start + its delay; answer with (sent, seq, ok)
            return {"ok": True, "votes": await self._vote(command)}
        if action == "records":  # everything received, per client
            return {"ok": True, "received": [client.received for client in self.clients],
                    "cpu": time.process_time()}
        if action == "cpu":
            return {"ok": True, "cpu": time.process_time()}
        if action == "close":
            for client in self.clients:
                client.close()
            await asyncio.sleep(0.2)
            return {"ok": True}
        return {"ok": False, "error": f"unknown command {action}"}

    async def _vote(self, command: dict[str, Any]) -> list[tuple[float, int, bool]]:
        rng = random.Random(command.get("seed", 7))
        start, delays = command["start"], command["delays"]

        async def one(client: LiveClient, delay: float) -> tuple[float, int, bool]:
            await asyncio.sleep(max(0.0, start + delay - time.monotonic()))
            sent = time.monotonic()
            answer = await client.call("ballot:vote", {"ballot_id": command["ballot_id"],
                                                       "choice": rng.choice(["yes", "no", "abstain"])})
            return sent, int(answer.get("seq", 0)), bool(answer.get("ok"))

        return list(await asyncio.gather(*(one(c, d) for c, d in zip(self.clients, delays, strict=True))))


async def _serve() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=2**26)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    worker = Worker(json.loads(await reader.readline()))
    while line := await reader.readline():
        command = json.loads(line)
        try:
            answer = await worker.handle(command)
        except Exception as problem:  # noqa: BLE001 - reported to the parent
            answer = {"ok": False, "error": repr(problem)}
        sys.stdout.write(json.dumps(answer, separators=(",", ":")) + "\n")
        sys.stdout.flush()
        if command["do"] == "close":
            break


if __name__ == "__main__":
    asyncio.run(_serve())
