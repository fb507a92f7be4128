"""The live meeting board under load: N participants on WebSocket in one meeting, the chair opens a ballot and
everyone votes.

Servers are gunicorn processes (gthread, one worker, as in docs/deployment.md) on the benchmark's database; with
two processes they share Redis (SOCKETIO_MESSAGE_QUEUE). The clients are python-socketio clients in this process,
spread over the servers. Measured:

- chair command → every client: from the chair sending a command to each client receiving its broadcast;
- vote → tally at every client: from a participant sending a vote to each client receiving a tally whose version
  includes that vote (votes are spread over VOTE_WINDOW seconds, as people in a hall vote; a burst, everyone in
  the same instant, is reported too);
- lost: a client missing a version of the board (every command's broadcast reaches the whole room);
- the server processes' resident memory (RSS) after the run.

    python -m bench live --backend sqlite          # through the bench runner (adds and removes its data)
    python -m bench.live --clients 300             # standalone, on a temporary SQLite database
"""
from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
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

from flask import Flask
from sqlalchemy import delete, select

from bench.stats import Result
from samen.accounts import operations as account_ops
from samen.accounts.models import User
from samen.core.database import db, utcnow
from samen.meetings.models import AgendaItem, Meeting
from samen.thinktanks import operations as tt_ops
from samen.thinktanks.models import ThinkTank

ROOT = Path(__file__).resolve().parent.parent
NS = "/live"
TARGET_P95_MS = 250
VOTE_WINDOW = 10.0  # seconds over which the participants vote
COMMANDS = 5  # chair commands measured per run
WAIT = 30  # seconds to wait for the last broadcast


# --- data ----------------------------------------------------------------------------------------------------

def seed(app: Flask, participants: int) -> dict[str, Any]:
    """Add a think tank with a chair and `participants` members, their API tokens, and a meeting."""
    tag = uuid.uuid4().hex[:8]
    with app.app_context():
        thinktank = tt_ops.create_thinktank({"slug": f"live-bench-{tag}", "name": f"Live bench {tag}"})
        users = [account_ops.create_user(email=f"live-bench-{tag}-{n}@example.org", display_name=f"Deelnemer {n}",
                                         password_hash="!unusable") for n in range(participants + 1)]
        chair, *members = users
        tt_ops.appoint_chair(thinktank, chair)
        for user in members:
            tt_ops.join_thinktank(thinktank, user)
        start = utcnow()
        meeting = Meeting(thinktank_id=thinktank.id, title="Live benchmark", starts_at=start,
                          ends_at=start + timedelta(hours=2))
        db.session.add(meeting)
        db.session.flush()
        db.session.add(AgendaItem(meeting_id=meeting.id, position=0, title="Stemmen"))
        tokens = [account_ops.create_api_token(user, name="bench") for user in users]
        db.session.commit()
        return {"tag": tag, "thinktank_id": thinktank.id, "meeting_id": meeting.id, "chair": tokens[0],
                "members": tokens[1:]}


def unseed(app: Flask, data: dict[str, Any]) -> None:
    """Remove what seed() added (users, think tank and meeting, with everything hanging off them)."""
    with app.app_context():
        db.session.execute(delete(Meeting).where(Meeting.id == data["meeting_id"]))
        db.session.execute(delete(User).where(User.email.like(f"live-bench-{data['tag']}-%")))
        db.session.execute(delete(ThinkTank).where(ThinkTank.id == data["thinktank_id"]))
        db.session.commit()


# --- servers -------------------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def servers(database_url: str, count: int, *, message_queue: str | None, threads: int = 100
            ) -> Iterator[list[tuple[str, subprocess.Popen[Any]]]]:
    """Start `count` gunicorn processes (gthread, one worker with `threads` threads) on one database."""
    env = {**os.environ, "DATABASE_URL": database_url, "SAMEN_ENV": "development", "RATELIMIT_ENABLED": "0",
           "SECRET_KEY": "live-bench-secret", "LOG_LEVEL": "WARNING",
           "SOCKETIO_CHANNEL": f"samen-bench-{uuid.uuid4().hex}"}
    env.pop("SOCKETIO_MESSAGE_QUEUE", None)
    if message_queue:
        env["SOCKETIO_MESSAGE_QUEUE"] = message_queue
    started: list[tuple[str, subprocess.Popen[Any]]] = []
    try:
        for n in range(count):
            port = _free_port()
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-k", "gthread", "-w", "1", "--threads", str(threads),
                 "-b", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
                cwd=ROOT, env={**env, "LIVE_SERVER_ID": f"bench-{n}"}, stdout=subprocess.DEVNULL)
            started.append((f"http://127.0.0.1:{port}", process))
        for url, process in started:
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"the server at {url} exited with {process.returncode}")
                try:
                    urllib.request.urlopen(f"{url}/socket.io/?EIO=4&transport=polling", timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"the server at {url} did not start") from None
                    time.sleep(0.2)
        yield started
    finally:
        for _, process in started:
            process.terminate()
        for _, process in started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def rss_mb(process: subprocess.Popen[Any]) -> float:
    """Return the resident memory of a gunicorn master and its workers, in MB."""
    pids = [process.pid]
    try:
        pids += [int(pid) for pid in subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True,
                                                    text=True).stdout.split()]
    except OSError:
        pass
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as status:
                total += next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
        except (OSError, StopIteration):
            pass
    return total / 1024


# --- clients -------------------------------------------------------------------------------------------------

class Participant:
    """A python-socketio client that records when each broadcast arrived, by event and version."""

    def __init__(self, url: str, token: str) -> None:
        import socketio
        self.received: list[tuple[str, int, float]] = []  # (event, version, perf_counter)
        self.latest: dict[str, int] = {}  # the highest version seen per event, for cheap waiting
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("*", self._on, namespace=NS)
        self.sio.connect(url, namespaces=[NS], transports=["websocket"], auth={"token": token}, wait_timeout=30)

    def _on(self, event: str, data: Any) -> None:
        at = time.perf_counter()
        # Tallies are ordered by their vote counter `seq`; everything else by the board's version.
        key = "seq" if event == "tally" else "version"
        version = data.get(key, 0) if isinstance(data, dict) else 0
        self.received.append((event, version, at))
        if version > self.latest.get(event, 0):
            self.latest[event] = version

    def call(self, event: str, data: Any = None) -> Any:
        return self.sio.call(event, data, namespace=NS, timeout=WAIT)

    def first(self, event: str, version: int) -> float | None:
        """When the first `event` with at least this version arrived."""
        return next((at for name, seen, at in self.received if name == event and seen >= version), None)

    def versions(self) -> set[int]:
        return {version for name, version, _ in self.received if name not in ("presence", "tally")}

    def arrivals(self, event: str, versions: list[int]) -> list[float | None]:
        """For each version (ascending), when the first `event` with at least that version arrived."""
        found: list[float | None] = [None] * len(versions)
        pending = 0
        for name, version, at in self.received:  # in the order they arrived
            if name != event:
                continue
            while pending < len(versions) and versions[pending] <= version:
                found[pending] = at
                pending += 1
        return found


def _wait_for(clients: list[Participant], event: str, version: int) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if all(client.latest.get(event, 0) >= version for client in clients):
            return
        time.sleep(0.05)


def run(urls: list[str], data: dict[str, Any], *, label: str, backend: str, burst: bool = False
        ) -> tuple[Result, Result]:
    """Connect the participants (spread over `urls`), run chair commands and a ballot; return the results."""
    rng = random.Random(7)
    tokens = data["members"]
    with ThreadPoolExecutor(max_workers=16) as pool:
        participants = list(pool.map(lambda item: Participant(urls[item[0] % len(urls)], item[1]),
                                     enumerate(tokens)))
        chair = Participant(urls[0], data["chair"])
        everyone = [chair, *participants]
        answers = list(pool.map(lambda client: client.call("join", {"meeting_id": data["meeting_id"]}), everyone))
    assert all(answer.get("ok") for answer in answers), next(a for a in answers if not a.get("ok"))
    time.sleep(1)  # let the presence broadcasts of the joins settle
    start_version = max(answer["board"]["version"] for answer in answers)

    commands = Result(f"live command {label}", backend, target=f"p95 <= {TARGET_P95_MS} ms")
    chair.call("meeting:open")  # not measured: the meeting opens once
    for n in range(COMMANDS):
        sent = time.perf_counter()
        answer = chair.call("timer:start", {"seconds": 60 + n})
        _wait_for(everyone, "timer", answer["version"])
        commands.latencies_ms += [((client.first("timer", answer["version"]) or float("inf")) - sent) * 1000
                                  for client in everyone]
        commands.count += len(everyone)
        time.sleep(0.2)
    sent = time.perf_counter()
    ballot = chair.call("ballot:open", {"question": "Gaan we dit doen?"})
    _wait_for(everyone, "ballot", ballot["version"])
    commands.latencies_ms += [((client.first("ballot", ballot["version"]) or float("inf")) - sent) * 1000
                              for client in everyone]
    commands.count += len(everyone)

    votes = Result(f"live vote{' burst' if burst else ''} {label}", backend, target=f"p95 <= {TARGET_P95_MS} ms")
    sent_at: list[tuple[float, int]] = []
    lock = threading.Lock()

    def vote(client: Participant, delay: float) -> None:
        time.sleep(delay)
        sent = time.perf_counter()
        answer = client.call("ballot:vote", {"ballot_id": ballot["ballot"]["id"],
                                             "choice": rng.choice(["yes", "no", "abstain"])})
        assert answer.get("ok"), answer
        with lock:
            sent_at.append((sent, answer["seq"]))

    window = 0.0 if burst else VOTE_WINDOW
    delays = [rng.uniform(0, window) for _ in participants]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(participants)) as pool:
        list(pool.map(vote, participants, delays))
    last = max(version for _, version in sent_at)
    _wait_for(everyone, "tally", last)
    votes.seconds = time.perf_counter() - started
    sent_at.sort(key=lambda item: item[1])
    versions = [version for _, version in sent_at]
    for client in everyone:
        for (sent, _), arrived in zip(sent_at, client.arrivals("tally", versions), strict=True):
            votes.latencies_ms.append(((arrived or float("inf")) - sent) * 1000)
    votes.count = len(sent_at)

    # Lost: a board version a client never got, or a client without the final tally.
    expected = set(range(start_version + 1, ballot["version"] + 1))
    lost = sum(len(expected - client.versions()) for client in everyone)
    lost += sum(client.latest.get("tally", 0) < last for client in everyone)
    for result in (commands, votes):
        result.check(p95_ms=TARGET_P95_MS)
        result.intact = lost == 0
    votes.notes.append(f"{len(everyone)} clients, {votes.count} votes over {window:g} s; "
                       f"{len(everyone) * len(sent_at)} vote→client deliveries measured; lost: {lost}")
    for client in everyone:
        try:
            client.sio.disconnect()
        except Exception:  # noqa: BLE001 - closing at the end of a benchmark
            pass
    return commands, votes


def bench_live(app: Flask, backend: str, url: str, *, participants: int = 300, redis_url: str | None = None,
               burst: bool = True) -> list[Result]:
    """Run the live benchmark on one process and, with Redis, on two; return the results."""
    results: list[Result] = []
    setups = [(1, None)]
    redis_url = redis_url or os.environ.get("BENCH_REDIS_URL") or os.environ.get("TEST_REDIS_URL")
    if redis_url:
        setups.append((2, redis_url))
    for count, queue in setups:
        for spread in ([False, True] if burst else [False]):
            data = seed(app, participants)
            try:
                # Each WebSocket holds one of gunicorn's threads for as long as it is open.
                threads = max(100, participants // count + 64)
                with servers(url, count, message_queue=queue, threads=threads) as started:
                    label = f"{count}p/{participants}"
                    commands, votes = run([u for u, _ in started], data, label=label, backend=backend,
                                          burst=spread)
                    memory = sum(rss_mb(process) for _, process in started)
                    for result in (votes,) if spread else (commands, votes):
                        result.notes.append(f"server RSS after the run: {memory:.0f} MB over {count} process(es)")
                        results.append(result)
            finally:
                unseed(app, data)
    if not redis_url:
        skipped = Result("live 2 processes", backend)
        skipped.skipped = "set BENCH_REDIS_URL or TEST_REDIS_URL for the two-process run"
        results.append(skipped)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.live", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--database", help="DATABASE_URL (default: a temporary SQLite file)")
    parser.add_argument("--redis", help="Redis URL for the two-process run (default: BENCH_REDIS_URL)")
    parser.add_argument("--no-burst", action="store_true", help="skip the everyone-at-once vote")
    args = parser.parse_args(argv)
    from samen import create_app
    from samen.config import Config
    from samen.core import migrate

    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite:///{folder}/live-bench.db"
        app = create_app(type("BenchConfig", (Config,), {"DATABASE_URL": url, "RATELIMIT_ENABLED": False}))
        with app.app_context():
            migrate.upgrade()
        backend = "postgresql" if url.startswith("postgres") else "sqlite"
        results = bench_live(app, backend, url, participants=args.clients, redis_url=args.redis,
                             burst=not args.no_burst)
        app.extensions["samen_db"]["engine"].dispose()
    for result in results:
        print(result.line())
        for note in result.notes:
            print(f"{'':<33} {note}")
    return 1 if any(not result.intact for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
