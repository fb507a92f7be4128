"""The live meeting board under load: N participants on WebSocket in one meeting, the chair runs commands and
opens ballots, and everyone votes.

Servers are gunicorn processes (gthread, one worker, as in docs/deployment.md) on the benchmark's database; with
two processes they share Redis (SOCKETIO_MESSAGE_QUEUE). The participants are asyncio clients in separate worker
processes (bench/live_clients.py: one event loop for many connections, so the clients cost the shared cores
little), spread over the servers; the chair is a client in this process. Every instant is `time.monotonic()`,
one clock for all processes on the machine. Measured:

- chair command → every client: from the chair sending a command to each client receiving its broadcast;
- vote → tally at every client: from a participant sending a vote to each client receiving a tally whose `seq`
  includes that vote, for two patterns: *realistic* (people read the question and tap: spread over VOTE_WINDOW
  seconds, most around VOTE_PEAK) and *burst* (everyone within BURST_WINDOW seconds);
- lost: a client missing a version of the board (every command's broadcast reaches the whole room), a vote not
  acknowledged, or a client without a ballot's final tally;
- what the machine did in each phase: CPU of the server(s), of the clients and of the rest (the database, Redis,
  other work), and the load average; the server processes' memory (RSS, and its peak) after the run.

    python -m bench live --backend sqlite          # through the bench runner (adds and removes its data)
    python -m bench.live --clients 300             # standalone, on a temporary SQLite database
"""
from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import delete

from bench.live_clients import LiveClient, wait_for
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
VOTE_WINDOW = 15.0  # seconds over which the participants vote (realistic pattern)
VOTE_PEAK = 4.0  # seconds after the ballot opens when most vote (realistic pattern)
BURST_WINDOW = 1.0  # seconds within which everyone votes (burst)
COMMANDS = 5  # timer commands measured while nobody votes (ballots opened and closed are measured too)
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


# --- what the machine did ------------------------------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _family(pid: int) -> list[int]:
    """A process and its children (a gunicorn master and its worker)."""
    try:
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    except OSError:
        children = []
    return [pid, *(int(child) for child in children)]


def cpu_seconds(pids: list[int]) -> float:
    """Return the CPU time (user + system) the processes have used so far, in seconds."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return total / TICK


def machine_busy_seconds() -> float:
    """Return the CPU time all cores have spent not idle since boot, in seconds (from /proc/stat)."""
    with open("/proc/stat") as stat:
        values = [int(value) for value in stat.readline().split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / TICK  # user … steal; guest time is counted in user already


def wait_for_calm(max_busy: float, *, window: float = 3.0, timeout: float = 900) -> str:
    """Wait until the machine's cores are busy less than `max_busy` (in cores, over `window` seconds) — other work
    on a shared machine — or `timeout` passes; say how it went."""
    started = time.monotonic()
    while True:
        before = machine_busy_seconds()
        time.sleep(window)
        busy = (machine_busy_seconds() - before) / window
        waited = time.monotonic() - started
        if busy < max_busy:
            return f"calm: {busy:.2f} cores busy before the run (waited {waited:.0f} s)"
        if waited > timeout:
            return f"NOT calm: {busy:.2f} cores busy before the run after waiting {waited:.0f} s"


def memory_mb(pids: list[int], field: str = "VmRSS") -> float:
    """Return the resident memory (VmRSS), or its peak (VmHWM), of the processes together, in MB."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as status:
                total += next(int(line.split()[1]) for line in status if line.startswith(field + ":"))
        except (OSError, StopIteration):
            pass
    return total / 1024


def rss_mb(process: subprocess.Popen[Any]) -> float:
    """Return the resident memory of a gunicorn master and its workers, in MB."""
    return memory_mb(_family(process.pid))


class Meter:
    """CPU used over one phase: by the server processes, by the benchmark's clients (the worker processes and
    this one, which runs the chair), by the PostgreSQL backends serving the benchmark's database (SQLite works
    inside the server) and by the whole machine — the rest is Redis and whatever else runs on the machine."""

    def __init__(self, servers: list[int], clients: list[int],
                 database: Callable[[], list[int]] | None = None) -> None:
        self.servers, self.clients, self.database = servers, clients, database
        self.phases: list[dict[str, Any]] = []

    def _now(self) -> tuple[float, float, float, float, dict[int, float]]:
        backends = {pid: cpu_seconds([pid]) for pid in self.database()} if self.database else {}
        return (time.monotonic(), cpu_seconds(self.servers), cpu_seconds(self.clients), machine_busy_seconds(),
                backends)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        load = os.getloadavg()[0]
        before = self._now()
        yield
        after = self._now()
        wall, server, clients, machine = (b - a for a, b in zip(before[:4], after[:4], strict=True))
        database = sum(cpu - before[4].get(pid, 0.0) for pid, cpu in after[4].items())
        self.phases.append({"phase": name, "seconds": wall, "load_before": load, "load_after": os.getloadavg()[0],
                            "server_cpu": server, "client_cpu": clients, "machine_cpu": machine,
                            "database_cpu": database if self.database else None})

    @staticmethod
    def describe(phase: dict[str, Any]) -> str:
        wall = phase["seconds"] or 1
        database = phase["database_cpu"]
        other = max(0.0, phase["machine_cpu"] - phase["server_cpu"] - phase["client_cpu"] - (database or 0))
        return (f"{phase['phase']}: {wall:.1f} s; cores busy {phase['machine_cpu'] / wall:.2f} of {os.cpu_count()}"
                f" — server {phase['server_cpu'] / wall:.2f}, clients {phase['client_cpu'] / wall:.2f}, "
                + (f"PostgreSQL {database / wall:.2f}, " if database is not None else "")
                + f"rest (Redis, other work) {other / wall:.2f}; load {phase['load_before']:.1f}"
                f" → {phase['load_after']:.1f}")


def postgres_backends(app: Flask) -> Callable[[], list[int]] | None:
    """For a PostgreSQL database: a function listing the backends connected to it (but this process's own)."""
    from sqlalchemy import text

    if not app.config["DATABASE_URL"].startswith("postgres"):
        return None

    def pids() -> list[int]:
        with app.app_context(), db.engine.connect() as connection:
            return list(connection.scalars(text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")))
    return pids


# --- clients -------------------------------------------------------------------------------------------------

class ClientProcess:
    """A worker process of bench/live_clients.py holding some of the participants' connections."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls, setup: dict[str, Any]) -> ClientProcess:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.live_clients", cwd=ROOT, stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, limit=2**28)
        worker = cls(process)
        await worker._write(setup)
        return worker

    async def _write(self, message: dict[str, Any]) -> None:
        self.process.stdin.write(json.dumps(message, separators=(",", ":")).encode() + b"\n")
        await self.process.stdin.drain()

    async def ask(self, command: dict[str, Any]) -> dict[str, Any]:
        await self._write(command)
        line = await self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"a client process exited ({await self.process.wait()})")
        answer = json.loads(line)
        if not answer.get("ok") and command["do"] not in ("wait", "connect"):
            raise RuntimeError(f"client process: {answer}")
        return answer

    async def stop(self) -> None:
        try:
            await asyncio.wait_for(self.ask({"do": "close"}), 10)
            await asyncio.wait_for(self.process.wait(), 10)
        except Exception:  # noqa: BLE001 - the run is over either way
            self.process.kill()


def arrivals(received: list[list[Any]], event: str, keys: list[int]) -> list[float | None]:
    """For each key (ascending), when the first `event` with at least that key arrived at one client."""
    found: list[float | None] = [None] * len(keys)
    pending = 0
    for name, key, at in received:  # in the order they arrived
        if name != event:
            continue
        while pending < len(keys) and keys[pending] <= key:
            found[pending] = at
            pending += 1
    return found


def realistic_delays(rng: random.Random, count: int) -> list[float]:
    """When each participant votes after the ballot opens: people read the question and tap — a triangular
    spread over VOTE_WINDOW seconds, most votes around VOTE_PEAK (at the peak 2 × count / VOTE_WINDOW a second)."""
    return [rng.triangular(0, VOTE_WINDOW, VOTE_PEAK) for _ in range(count)]


def burst_delays(rng: random.Random, count: int) -> list[float]:
    """Everyone votes within BURST_WINDOW seconds."""
    return [rng.uniform(0, BURST_WINDOW) for _ in range(count)]


async def _everyone(workers: list[ClientProcess], chair: LiveClient, event: str, key: int) -> bool:
    answers = await asyncio.gather(*(worker.ask({"do": "wait", "event": event, "key": key, "timeout": WAIT})
                                     for worker in workers), wait_for([chair], event, key, WAIT))
    return all(answer is True or answer.get("ok") for answer in answers)


async def _run(urls: list[str], data: dict[str, Any], meter: Meter, *, label: str, backend: str,
               client_processes: int, patterns: list[str]) -> list[Result]:
    """Connect the participants (spread over `urls`, held by `client_processes` worker processes), measure chair
    commands and one ballot per vote pattern; return the results."""
    rng = random.Random(7)
    tokens = data["members"]
    share = -(-len(tokens) // client_processes)
    workers = [await ClientProcess.start({"urls": urls, "tokens": tokens[start:start + share],
                                          "meeting_id": data["meeting_id"], "offset": start})
               for start in range(0, len(tokens), share)]
    meter.clients += [worker.process.pid for worker in workers]
    chair = LiveClient(data["chair"])
    try:
        with meter.phase("connect and join"):
            await chair.connect(urls[0])
            joined = [await chair.call("join", {"meeting_id": data["meeting_id"]}, timeout=WAIT)]
            for answer in await asyncio.gather(*(worker.ask({"do": "connect"}) for worker in workers)):
                if not answer.get("ok"):
                    raise RuntimeError(f"a client could not join: {answer}")
                joined += [{"board": {"version": version}} for version in answer["versions"]]
            await asyncio.sleep(1)  # let the presence broadcasts of the joins settle
        start_version = max(answer["board"]["version"] for answer in joined)
        clients = 1 + len(tokens)

        measured: list[tuple[str, int, float]] = []  # (event, version, sent) of every measured command

        async def command(name: str, event: str, data: Any = None) -> dict[str, Any]:
            sent = time.monotonic()
            answer = await chair.call(name, data, timeout=WAIT)
            if not answer.get("ok"):
                raise RuntimeError(f"{name}: {answer}")
            measured.append((event, answer["version"], sent))
            await _everyone(workers, chair, event, answer["version"])
            return answer

        with meter.phase("chair commands"):
            await command("meeting:open", "agenda")  # with everyone present: their attendance is recorded
            await asyncio.sleep(0.2)
            for n in range(COMMANDS):
                await command("timer:start", "timer", {"seconds": 60 + n})
                await asyncio.sleep(0.2)
        quiet_commands = len(measured)

        votes: dict[str, list[tuple[float, int, bool]]] = {}
        during: list[tuple[str, int, float]] = []
        for pattern in patterns:
            ballot = await command("ballot:open", "ballot", {"question": f"Gaan we dit doen ({pattern})?"})
            delays = (realistic_delays if pattern == "realistic" else burst_delays)(rng, len(tokens))
            start = time.monotonic() + 0.5
            with meter.phase(f"votes, {pattern}"):
                asks = [asyncio.ensure_future(worker.ask({
                    "do": "vote", "ballot_id": ballot["ballot"]["id"], "start": start, "seed": n,
                    "delays": delays[n * share:(n + 1) * share]})) for n, worker in enumerate(workers)]
                if pattern == "realistic":  # a chair command while the votes pour in, measured apart
                    await asyncio.sleep(max(0.0, start + VOTE_PEAK - time.monotonic()))
                    sent = time.monotonic()
                    answer = await chair.call("timer:start", {"seconds": 90}, timeout=WAIT)
                    during.append(("timer", answer["version"], sent))
                votes[pattern] = [vote for answer in await asyncio.gather(*asks) for vote in answer["votes"]]
                last = max(seq for _, seq, _ in votes[pattern])
                await _everyone(workers, chair, "tally", last)
            await command("ballot:close", "ballot")
        final_version = max(version for _, version, _ in measured + during)

        records = [chair.received]
        for worker in workers:
            records += (await worker.ask({"do": "records"}))["received"]
    finally:
        chair.close()
        for worker in workers:
            await worker.stop()

    # Lost: a board version a client never got, a vote not acknowledged, or a client without a ballot's last
    # tally.
    expected = set(range(start_version + 1, final_version + 1))
    lost = sum(len(expected - {key for name, key, _ in received if name not in ("presence", "tally")})
               for received in records)
    for cast in votes.values():
        lost += sum(not ok for _, _, ok in cast)
        last = max(seq for _, seq, _ in cast)
        lost += sum(max((key for name, key, _ in received if name == "tally"), default=0) < last
                    for received in records)

    def command_result(name: str, sample: list[tuple[str, int, float]], target: bool) -> Result:
        result = Result(name, backend)
        for event, version, sent in sample:
            for received in records:
                at = arrivals(received, event, [version])[0]
                result.latencies_ms.append(((at if at is not None else math.inf) - sent) * 1000)
        result.count = len(result.latencies_ms)
        if target:
            result.check(p95_ms=TARGET_P95_MS)
        result.intact = lost == 0
        return result

    commands = command_result(f"live command {label}", measured, True)
    per_command = [command_result("", [one], False) for one in measured]
    commands.notes.append("p50/max per command, ms: " + ", ".join(
        f"{event} {one.p(0.5):.0f}/{max(one.latencies_ms):.0f}"
        for (event, _, _), one in zip(measured, per_command, strict=True)))
    commands.notes.append(f"{len(measured)} commands (meeting:open and {quiet_commands - 1} timer:start while nobody "
                          f"votes, {len(measured) - quiet_commands} ballot:open/close) × {clients} clients; "
                          f"lost: {lost}")
    results = [commands]
    if during:
        busy = command_result(f"live command in votes {label}", during, False)
        busy.notes.append("timer:start sent at the realistic pattern's peak of votes (no target; for comparison)")
        results.append(busy)
    for pattern, cast in votes.items():
        result = Result(f"live vote{'' if pattern == 'realistic' else ' burst'} {label}", backend)
        cast = sorted(cast, key=lambda vote: vote[1])
        keys = [seq for _, seq, _ in cast]
        for received in records:
            for (sent, _, _), at in zip(cast, arrivals(received, "tally", keys), strict=True):
                result.latencies_ms.append(((at if at is not None else math.inf) - sent) * 1000)
        result.count = len(cast)
        result.seconds = max(sent for sent, _, _ in cast) - min(sent for sent, _, _ in cast)
        if pattern == "realistic":
            result.check(p95_ms=TARGET_P95_MS)
            spread = f"over {VOTE_WINDOW:g} s, triangular with its peak at {VOTE_PEAK:g} s"
        else:
            spread = f"within {BURST_WINDOW:g} s (no target: reported as it is)"
        result.intact = lost == 0
        tallies = [sum(name == "tally" and keys[0] <= key <= keys[-1] for name, key, _ in received)
                   for received in records]
        result.notes.append(f"{len(cast)} votes {spread}; {len(records) * len(cast)} vote→client deliveries "
                            f"measured; tallies received per client {min(tallies)}–{max(tallies)}; lost: {lost}")
        results.append(result)
    return results


def bench_live(app: Flask, backend: str, url: str, *, participants: int = 300, redis_url: str | None = None,
               burst: bool = True, processes: tuple[int, ...] = (1, 2), client_processes: int = 2,
               calm: float | None = None) -> list[Result]:
    """Run the live benchmark on one process and, with Redis, on two; return the results. `calm`: before each
    run, wait until other work keeps fewer than this many cores busy (a shared machine)."""
    results: list[Result] = []
    redis_url = redis_url or os.environ.get("BENCH_REDIS_URL") or os.environ.get("TEST_REDIS_URL")
    setups = [(count, redis_url if count > 1 else None) for count in processes if count == 1 or redis_url]
    patterns = ["realistic", "burst"] if burst else ["realistic"]
    for count, queue in setups:
        data = seed(app, participants)
        try:
            # Each WebSocket holds one of gunicorn's threads for as long as it is open.
            threads = max(100, participants // count + 64)
            with servers(url, count, message_queue=queue, threads=threads) as started:
                server_pids = [pid for _, process in started for pid in _family(process.pid)]
                meter = Meter(server_pids, [os.getpid()], postgres_backends(app))
                calmness = wait_for_calm(calm) if calm is not None else None
                label = f"{count}p/{participants}"
                found = asyncio.run(_run([u for u, _ in started], data, meter, label=label, backend=backend,
                                         client_processes=client_processes, patterns=patterns))
                memory = (f"server RSS after the run {memory_mb(server_pids):.0f} MB, peak "
                          f"{memory_mb(server_pids, 'VmHWM'):.0f} MB, over {count} process(es)")
                machine = ([calmness] if calmness else []) + [Meter.describe(phase) for phase in meter.phases]
                for result in found:
                    result.notes.insert(0, f"max {max(result.latencies_ms):.0f} ms")
                    result.notes.append(memory)
                    result.notes += machine if result is found[0] else []
                results += found
        finally:
            unseed(app, data)
    if not redis_url and 2 in processes:
        skipped = Result("live 2 processes", backend)
        skipped.skipped = "set BENCH_REDIS_URL or TEST_REDIS_URL for the two-process run"
        results.append(skipped)
    return results


def main(argv: list[str] | None = None) -> int:
    # On SIGTERM (a timeout, a kill), unwind: the servers are stopped and the data removed in `finally`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(prog="python -m bench.live", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--database", help="DATABASE_URL (default: a temporary SQLite file)")
    parser.add_argument("--redis", help="Redis URL for the two-process run (default: BENCH_REDIS_URL)")
    parser.add_argument("--no-burst", action="store_true", help="skip the everyone-at-once vote")
    parser.add_argument("--processes", default="1,2", help="server processes per run, e.g. 1 or 1,2")
    parser.add_argument("--client-processes", type=int, default=2, help="worker processes for the clients")
    parser.add_argument("--calm", type=float, metavar="CORES",
                        help="before each run, wait until the machine has fewer than CORES busy (other work)")
    parser.add_argument("--view", choices=["live", "projector"],
                        help="the participants join as this page does and get rendered regions, not JSON events")
    args = parser.parse_args(argv)
    if args.view:
        os.environ["BENCH_LIVE_VIEW"] = args.view  # read by the client processes (bench/live_clients.py)
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
                             burst=not args.no_burst, client_processes=args.client_processes,
                             processes=tuple(int(n) for n in args.processes.split(",")), calm=args.calm)
        app.extensions["samen_db"]["engine"].dispose()
    for result in results:
        print(result.line())
        for note in result.notes:
            print(f"{'':<33} {note}")
    return 1 if any(not result.intact for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
