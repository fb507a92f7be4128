"""Load on the production set-up: residents browse, post ideas and support while a 300-participant meeting votes.

The servers are `deploy/serve-prod` — nginx (ip_hash, the WebSocket upgrade) in front of two gunicorn processes
(gthread, one worker each, `--threads 400` as in deploy/systemd/samen@.service) sharing Redis as the Socket.IO
message queue and the rate-limit store, SAMEN_ENV=production with its rate limits on — on the benchmark's
database. The clients run in this process and are kept cheap, because they share the machine's cores with the
servers:

- participants: python-socketio clients over WebSocket only (one socket, two threads each, every message handled
  on the reading thread rather than a new thread per message as python-engineio does), connected through
  nginx from 64 different loopback networks (127.0.N.x: ip_hash keys on the first three parts of the address) so
  they spread over both processes. They keep only the tallies of the open ballot. One thread sends every vote at
  its moment (spread over VOTE_WINDOW seconds, as a hall votes) and the acknowledgements come back on the
  clients' own threads.
- residents: threads with a kept-alive `http.client` connection each (no requests, no HTML parsing beyond the
  CSRF token), from addresses of their own, signed in through the login form (a quarter browse anonymously),
  with a think time between requests: think tank pages, idea lists (every sort, first pages), idea pages,
  search, the progress pages; posting an idea and supporting one, within the production rate limits.

Measured: requests per second, p50/p95 and errors per kind of request (an error: a connection failure, a 5xx, or
any status other than the one a browser expects — a 429 included); for every ballot the votes sent, acknowledged
and stored (`ballot_votes`), vote → acknowledgement (the vote is stored; its tally is on its way), how long
after the last vote every client had the final count, the CPU time of the servers, nginx and the clients, and
PostgreSQL's sessions opened and time spent executing statements.

    python -m bench load --backend postgresql      # the bench database (its think tanks to browse), cleaned up
    python -m bench.load --database postgresql://postgres@127.0.0.1:5432/samen_load   # standalone (+ demo plan)
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Flask
from sqlalchemy import delete, func, select

from bench.stats import Result
from samen.accounts import operations as account_ops
from samen.accounts.models import User
from samen.core.database import db, utcnow
from samen.ideas import operations as idea_ops
from samen.ideas.models import Idea, Support
from samen.meetings.models import AgendaItem, LiveConnection, Meeting, Vote
from samen.thinktanks import operations as tt_ops
from samen.thinktanks.models import ThinkTank

ROOT = Path(__file__).resolve().parent.parent
NS = "/live"
PASSWORD = "load-bench-wachtwoord-7"
VOTE_WINDOW = 15.0  # seconds over which the participants vote
WAIT = 60  # seconds to wait for acknowledgements and the final tallies
THREADS = 400  # per gunicorn process, as in deploy/systemd/samen@.service


# --- data ----------------------------------------------------------------------------------------------------

def seed(app: Flask, participants: int, residents: int, ideas: int = 100) -> dict[str, Any]:
    """Add a think tank with a chair, participants, residents, ideas and a meeting; return what the clients need,
    and what there is to browse in the rest of the database."""
    tag = uuid.uuid4().hex[:8]
    password_hash = account_ops.hash_password(PASSWORD)  # once: hashing is slow on purpose
    with app.app_context():
        browse = [slug for slug, in db.session.execute(
            select(ThinkTank.slug).where(ThinkTank.join_policy == "open", ThinkTank.archived_at.is_(None)))]
        thinktank = tt_ops.create_thinktank({"slug": f"load-{tag}", "name": f"Belasting {tag}"})
        chair = account_ops.create_user(email=f"load-bench-{tag}-chair@example.org", display_name="Voorzitter",
                                        password_hash="!unusable")
        tt_ops.appoint_chair(thinktank, chair)
        members = [account_ops.create_user(email=f"load-bench-{tag}-p{n}@example.org", display_name=f"Deelnemer {n}",
                                           password_hash="!unusable") for n in range(participants)]
        people = [account_ops.create_user(email=f"load-bench-{tag}-r{n}@example.org", display_name=f"Bewoner {n}",
                                          password_hash=password_hash) for n in range(residents)]
        for user in members + people:
            tt_ops.join_thinktank(thinktank, user)
        for n in range(ideas):
            idea_ops.create_idea(thinktank, author=people[n % len(people)] if people else chair,
                                 title=f"Idee {n}: een plek voor jongeren na schooltijd",
                                 body="Een ruimte met jongerenwerkers in de buurt, open tot tien uur 's avonds.")
        start = utcnow()
        meeting = Meeting(thinktank_id=thinktank.id, title="Plenaire avond", starts_at=start,
                          ends_at=start + timedelta(hours=2))
        db.session.add(meeting)
        db.session.flush()
        db.session.add(AgendaItem(meeting_id=meeting.id, position=0, title="Stemmen over het plan"))
        chair_token = account_ops.create_api_token(chair, name="load")
        tokens = [account_ops.create_api_token(user, name="load") for user in members]
        db.session.commit()
        visible = (Idea.hidden_at.is_(None), Idea.withdrawn_at.is_(None))
        browse_ids = list(db.session.scalars(
            select(Idea.id).join(ThinkTank).where(ThinkTank.slug.in_(browse), *visible)
            .order_by(func.random()).limit(500)))
        own_ids = list(db.session.scalars(select(Idea.id).where(Idea.thinktank_id == thinktank.id)))
        return {"tag": tag, "thinktank_id": thinktank.id, "slug": thinktank.slug, "meeting_id": meeting.id,
                "chair": chair_token, "participants": tokens, "browse": browse or [thinktank.slug],
                "browse_ids": browse_ids or own_ids, "own_ids": own_ids,
                "residents": [user.email for user in people], "resident_ids": [user.id for user in people]}


def vacuum(app: Flask) -> None:
    """VACUUM ANALYZE a PostgreSQL database, so that runs start equal: the rows earlier runs deleted would
    otherwise linger where autovacuum is off (as on the development machine) and slow the next run down."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE")


def unseed(app: Flask, data: dict[str, Any]) -> None:
    """Remove what seed() and the run added: the meeting, the users, the think tank with its ideas and supports."""
    with app.app_context():
        db.session.execute(delete(Meeting).where(Meeting.id == data["meeting_id"]))
        db.session.execute(delete(User).where(User.email.like(f"load-bench-{data['tag']}-%")))
        db.session.execute(delete(ThinkTank).where(ThinkTank.id == data["thinktank_id"]))
        db.session.commit()


# --- the servers: deploy/serve-prod --------------------------------------------------------------------------

def free_ports(count: int) -> list[int]:
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


@contextmanager
def serve_prod(database_url: str, redis_url: str, folder: Path, *, demo: bool,
               restart: bool = False) -> Iterator[dict[str, Any]]:
    """Run deploy/serve-prod with two processes on free ports (`restart`: started again when one exits); yield
    its state (URL, workers' pids and logs: folder/serve-prod.json has them as they are now)."""
    port, *workers = free_ports(3)
    tag = f"samen-load-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": database_url, "SOCKETIO_MESSAGE_QUEUE": redis_url,
           "RATELIMIT_STORAGE_URI": redis_url, "SOCKETIO_CHANNEL": tag, "RATELIMIT_KEY_PREFIX": tag}
    env.pop("SECRET_KEY", None)
    command = [sys.executable, str(ROOT / "deploy" / "serve-prod"), "--port", str(port), "--threads", str(THREADS),
               "--worker-ports", ",".join(map(str, workers)), "--instance", str(folder)]
    command += ([] if demo else ["--no-demo"]) + (["--restart"] if restart else [])
    process = subprocess.Popen(command, cwd=ROOT, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    output: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line.rstrip())
            if "ready on" in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        deadline = time.monotonic() + 120
        while not ready.wait(0.2):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("deploy/serve-prod did not start:\n" + "\n".join(output[-30:]))
        yield {**json.loads((folder / "serve-prod.json").read_text()), "port": port}
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        import redis
        connection = redis.Redis.from_url(redis_url)
        keys = connection.keys(f"*{tag}*")
        if keys:
            connection.delete(*keys)


def _cpu_by_pid(pids: list[int]) -> dict[int, float]:
    """Return the CPU time (user + system, seconds) each process and each of its children has used so far."""
    every = set(pids)
    for pid in pids:
        with suppress(OSError):
            every |= {int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    used = {}
    for pid in every:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            used[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return used


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024
    except (OSError, StopIteration):
        return 0.0


def _cpu_since(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two readings (a process started in between counts from its start)."""
    return sum(value - before.get(pid, 0.0) for pid, value in after.items())


def _postgres_activity(app: Flask) -> tuple[int, float]:
    """Return PostgreSQL's count of sessions opened on this database so far and the seconds its backends spent
    executing statements (pg_stat_database; closed backends included), or (0, 0) for SQLite."""
    from sqlalchemy import text

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return 0, 0.0
        sessions, active = db.session.execute(text(
            "SELECT sessions, active_time FROM pg_stat_database WHERE datname = current_database()")).one()
        db.session.commit()
        return int(sessions), float(active) / 1000


# --- participants --------------------------------------------------------------------------------------------

class Participant:
    """A Socket.IO client on /live through nginx from `address`, keeping the tallies of the open ballot only."""

    def __init__(self, port: int, token: str, address: str) -> None:
        import socketio

        sock = socket.create_connection(("127.0.0.1", port), timeout=30, source_address=(address, 0))
        self.sio = socketio.Client(reconnection=False, handle_sigint=False,
                                   websocket_extra_options={"socket": sock})
        _in_order(self.sio)
        self.ballot_id: int | None = None
        self.tallies: list[tuple[int, int, float]] = []  # (seq, votes, arrived) of the open ballot
        self.sent: float | None = None
        self.acked: float | None = None
        self.answer: dict[str, Any] | None = None
        self.sio.on("tally", self._tally, namespace=NS)
        self.sio.connect(f"http://127.0.0.1:{port}", namespaces=[NS], transports=["websocket"],
                         auth={"token": token}, wait_timeout=30)

    def _tally(self, data: dict[str, Any]) -> None:
        if data.get("ballot_id") == self.ballot_id:
            self.tallies.append((data["seq"], data["votes"], time.perf_counter()))

    def _ack(self, answer: dict[str, Any]) -> None:
        self.acked = time.perf_counter()
        self.answer = answer

    def start_ballot(self, ballot_id: int) -> None:
        self.ballot_id, self.tallies, self.sent, self.acked, self.answer = ballot_id, [], None, None, None

    def vote(self, choice: str) -> None:
        self.sent = time.perf_counter()
        self.sio.emit("ballot:vote", {"ballot_id": self.ballot_id, "choice": choice}, namespace=NS,
                      callback=self._ack)

    def call(self, event: str, data: Any = None) -> Any:
        return self.sio.call(event, data, namespace=NS, timeout=WAIT)

    @property
    def seen_votes(self) -> int:
        return max((votes for _, votes, _ in self.tallies), default=0)



def _in_order(sio: Any) -> None:
    """Handle each message on the client's reading thread, in order, instead of python-engineio's default of a
    new thread per message: 300 clients × ~150 tallies a ballot would be 45,000 threads, and an acknowledgement
    could wait behind them — the clients' own CPU would be measured, not the server's."""
    eio = sio.eio
    trigger = eio._trigger_event

    def in_order(event: str, *args: Any, **kwargs: Any) -> Any:
        kwargs.pop("run_async", None)
        return trigger(event, *args, **kwargs)

    eio._trigger_event = in_order


def _address(n: int) -> str:
    """A loopback address in one of 64 networks: nginx's ip_hash spreads them over the processes."""
    return f"127.0.{n % 64 + 1}.{n // 64 + 2}"


# --- residents -----------------------------------------------------------------------------------------------

@dataclass
class Record:
    """What the residents' requests gave, per kind."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    supported: set[tuple[int, int]] = field(default_factory=set)  # (resident id, idea id) answered with success
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, ms: float, error: str | None = None) -> None:
        with self.lock:
            self.latencies[kind].append(ms)
            if error:
                self.errors[kind].append(error)


class Resident(threading.Thread):
    """One resident in a browser: signs in, then browses, posts and supports with a think time in between."""

    def __init__(self, n: int, port: int, data: dict[str, Any], record: Record, stop: threading.Event,
                 go: threading.Event, think: float, signed_in: bool) -> None:
        super().__init__(daemon=True, name=f"resident-{n}")
        self.port, self.data, self.record, self.stop_event, self.think = port, data, record, stop, think
        self.go, self.ready = go, threading.Event()
        self.address = f"127.{n // 200 + 1}.{n % 200 + 1}.9"
        self.signed_in = signed_in
        index = n - n // 4  # every fourth visitor is anonymous: the others are the seeded residents in turn
        self.email = data["residents"][index] if signed_in else None
        self.user_id = data["resident_ids"][index] if signed_in else None
        self.rng = random.Random(n)
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.connection: http.client.HTTPConnection | None = None
        self.n = n

    # one request, kept-alive connection, cookies by hand
    def request(self, kind: str, method: str, path: str, form: dict[str, str] | None = None,
                expect: int = 200) -> str:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        error = None
        text = ""
        for attempt in (1, 2):
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60,
                                                                 source_address=(self.address, 0))
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                for header in response.headers.get_all("Set-Cookie") or []:
                    name, _, rest = header.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
                if response.status != expect:
                    error = f"{method} {path}: {response.status}"
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as failure:
                self.connection = None  # a kept-alive connection nginx closed: once more on a new one
                if attempt == 2:
                    error = f"{method} {path}: {failure!r}"
            except OSError as failure:
                self.connection = None
                error = f"{method} {path}: {failure!r}"
                break
        self.record.add(kind, (time.perf_counter() - started) * 1000, error)
        return text if error is None else ""

    def sign_in(self) -> None:
        page = self.request("sign in", "GET", "/login")
        token = _csrf(page)
        self.request("sign in", "POST", "/login", {"csrf_token": token, "email": self.email or "",
                                                   "password": PASSWORD}, expect=302)
        self.token = _csrf(self.request("page: home", "GET", "/"))

    def step(self) -> None:
        rng, data = self.rng, self.data
        choice = rng.random()
        if self.signed_in and choice < 0.04:
            n = rng.randrange(10**6)
            self.request("post idea", "POST", f"/thinktanks/{data['slug']}/ideas/new", {
                "csrf_token": self.token, "title": f"Idee van bewoner {self.n}-{n}: langer open buurthuis",
                "body": "Het buurthuis zou op vrijdag tot middernacht open kunnen zijn, met jongerenwerk erbij."},
                expect=302)
        elif self.signed_in and choice < 0.14:
            idea = rng.choice(data["own_ids"])
            self.request("page: idea", "GET", f"/ideas/{idea}")
            before = len(self.record.errors["support"])
            self.request("support", "POST", f"/ideas/{idea}/support", {"csrf_token": self.token}, expect=302)
            if len(self.record.errors["support"]) == before:
                with self.record.lock:
                    self.record.supported.add((self.user_id, idea))
        elif choice < 0.26:
            self.request("page: think tank", "GET", f"/thinktanks/{rng.choice(data['browse'])}")
        elif choice < 0.56:
            sort = rng.choice(["support", "new", "discussed", "rising"])
            page = rng.choice([1, 1, 1, 2, 2, 3])
            self.request("page: idea list", "GET",
                         f"/thinktanks/{rng.choice(data['browse'])}/ideas?sort={sort}&page={page}")
        elif choice < 0.61:
            query = rng.choice(["jongeren", "school", "ouders", "preventie", "alcohol", "buurt"])
            self.request("page: search", "GET", f"/thinktanks/{rng.choice(data['browse'])}/ideas?q={query}")
        elif choice < 0.86:
            self.request("page: idea", "GET", f"/ideas/{rng.choice(data['browse_ids'])}")
        else:
            path = rng.choice(["/progress", f"/progress/thinktanks/{rng.choice(data['browse'])}"])
            self.request("page: progress", "GET", path)

    def run(self) -> None:
        if self.signed_in:
            self.sign_in()
        self.ready.set()
        self.go.wait()
        self.stop_event.wait(self.rng.uniform(0, self.think))  # not all at the same moment
        while not self.stop_event.is_set():
            self.step()
            self.stop_event.wait(self.rng.uniform(0.5, 1.5) * self.think)
        if self.connection is not None:
            self.connection.close()


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    return match.group(1) if match else ""


# --- the run -------------------------------------------------------------------------------------------------

@dataclass
class BallotOutcome:
    ballot_id: int
    sent: int = 0
    acked_ok: int = 0
    refused: int = 0
    unanswered: int = 0
    stored: int = 0
    clients_with_final: int = 0
    clients: int = 0
    ack_ms: list[float] = field(default_factory=list)
    settle_s: float = 0.0  # from the last vote sent until every client had the final count
    tallies_per_client: float = 0.0  # tally broadcasts a client received during the ballot, on average


def run_ballot(app: Flask, chair: Participant, participants: list[Participant], rng: random.Random,
               number: int) -> BallotOutcome:
    """Open a ballot, let every participant vote at a random moment within VOTE_WINDOW, wait for the final
    tallies, close the ballot and show the results; return what happened."""
    everyone = [chair, *participants]
    answer = chair.call("ballot:open", {"question": f"Stelling {number}: gaan we dit doen?"})
    assert answer.get("ok"), answer
    ballot_id = answer["ballot"]["id"]
    for client in everyone:
        client.start_ballot(ballot_id)
    outcome = BallotOutcome(ballot_id, clients=len(everyone))
    schedule = sorted((rng.uniform(0, VOTE_WINDOW), index) for index in range(len(participants)))
    started = time.perf_counter()
    for moment, index in schedule:
        delay = started + moment - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        participants[index].vote(rng.choice(["yes", "yes", "no", "abstain"]))
    last_sent = time.perf_counter()
    if not participants:
        time.sleep(VOTE_WINDOW)  # the ballot stays open as long without voters
    outcome.sent = len(schedule)
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline and any(p.answer is None for p in participants):
        time.sleep(0.05)
    for p in participants:
        if p.answer is None:
            outcome.unanswered += 1
        elif p.answer.get("ok"):
            outcome.acked_ok += 1
            outcome.ack_ms.append((p.acked - p.sent) * 1000)  # type: ignore[operator]
        else:
            outcome.refused += 1
    while time.monotonic() < deadline and any(c.seen_votes < outcome.acked_ok for c in everyone):
        time.sleep(0.05)
    outcome.settle_s = time.perf_counter() - last_sent
    outcome.clients_with_final = sum(c.seen_votes == outcome.acked_ok for c in everyone)
    outcome.tallies_per_client = sum(len(c.tallies) for c in everyone) / len(everyone)
    assert chair.call("ballot:close").get("ok")
    assert chair.call("results:show").get("ok")
    with app.app_context():
        outcome.stored = db.session.scalar(select(func.count()).select_from(Vote).where(Vote.ballot_id == ballot_id))
    return outcome


def bench_load(app: Flask, backend: str, url: str, *, participants: int = 300, residents: int = 24,
               ballots: int = 3, think: float = 1.0, redis_url: str | None = None, demo: bool = False
               ) -> list[Result]:
    """Run the scenario on serve-prod over `url`; return one Result per kind of request and per ballot set."""
    redis_url = redis_url or os.environ.get("BENCH_REDIS_URL") or os.environ.get("TEST_REDIS_URL") \
        or "redis://127.0.0.1:6379/0"
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder, serve_prod(url, redis_url, Path(folder), demo=demo) as state:
        vacuum(app)
        data = seed(app, participants, residents)
        port = state["port"]
        record, stop = Record(), threading.Event()
        clients: list[Participant] = []
        try:
            connect_started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=8) as pool:
                clients = list(pool.map(lambda item: Participant(port, item[1], _address(item[0])),
                                        enumerate(data["participants"])))
                chair = Participant(port, data["chair"], "127.0.1.1")
                joined = list(pool.map(lambda c: c.call("join", {"meeting_id": data["meeting_id"]}),
                                       [chair, *clients]))
            connect_s = time.perf_counter() - connect_started
            assert all(answer.get("ok") for answer in joined), next(a for a in joined if not a.get("ok"))
            with app.app_context():
                spread = dict(db.session.execute(select(LiveConnection.server, func.count()).where(
                    LiveConnection.meeting_id == data["meeting_id"]).group_by(LiveConnection.server)).all())
            worker_pids = [worker["pid"] for worker in state["workers"]]
            # Residents sign in first (hashing a password is slow on purpose: 24 at once would be a burst no
            # evening sees); their sign-ins are reported, the measured window starts after them.
            go = threading.Event()
            people = [Resident(n, port, data, record, stop, go, think, signed_in=n % 4 != 3)
                      for n in range(residents + residents // 3)]
            for person in people:
                person.start()
            for person in people:
                person.ready.wait(timeout=120)
            signed_in = {kind: list(values) for kind, values in record.latencies.items()}
            record.latencies.clear()
            cpu_before = (_cpu_by_pid(worker_pids), _cpu_by_pid([state["nginx"]["pid"]]),
                          _postgres_activity(app), time.process_time())
            load_before = os.getloadavg()[0]
            started = time.perf_counter()
            go.set()
            time.sleep(5)  # the residents get going before the meeting starts
            assert chair.call("meeting:open").get("ok")
            outcomes = []
            for number in range(1, ballots + 1):
                outcomes.append(run_ballot(app, chair, clients, rng, number))
                time.sleep(3)
            stop.set()
            for person in people:
                person.join(timeout=60)
            seconds = time.perf_counter() - started
            cpu = (_cpu_since(cpu_before[0], _cpu_by_pid(worker_pids)),
                   _cpu_since(cpu_before[1], _cpu_by_pid([state["nginx"]["pid"]])),
                   [after - before for before, after in zip(cpu_before[2], _postgres_activity(app), strict=True)],
                   time.process_time() - cpu_before[3])
            memory = sum(_rss_mb(pid) for pid in _cpu_by_pid(worker_pids))
            with app.app_context():
                stored_supports = db.session.scalar(select(func.count()).select_from(Support).where(
                    Support.user_id.in_(data["resident_ids"]), Support.idea_id.in_(data["own_ids"])))
                posted = db.session.scalar(select(func.count()).select_from(Idea).where(
                    Idea.thinktank_id == data["thinktank_id"], Idea.id.not_in(data["own_ids"])))
        finally:
            stop.set()
            for client in clients:
                with suppress(Exception):  # closing at the end of a benchmark
                    client.sio.disconnect()
            unseed(app, data)
            vacuum(app)

    results = _http_results(record, backend, seconds)
    if signed_in.get("sign in"):
        first = Result("load: sign in (before)", backend, count=len(signed_in["sign in"]) // 2,
                       seconds=sum(signed_in["sign in"]) / 1000,
                       latencies_ms=[a + b for a, b in zip(signed_in["sign in"][::2], signed_in["sign in"][1::2],
                                                           strict=False)])
        first.notes.append("the login page and the form, per resident, all at once before the measured window")
        results.append(first)
    total_requests = sum(len(values) for values in record.latencies.values())
    total_errors = sum(len(values) for values in record.errors.values())
    supports_ok = len(record.supported)
    posts_ok = len(record.latencies["post idea"]) - len(record.errors["post idea"])
    overall = Result("load: all requests", backend, count=total_requests, seconds=seconds,
                     latencies_ms=[ms for values in record.latencies.values() for ms in values])
    overall.intact = total_errors == 0 and stored_supports == supports_ok and posted == posts_ok
    overall.notes += [
        f"{len(people)} residents ({sum(p.signed_in for p in people)} signed in), think time ~{think:g} s; "
        f"errors: {total_errors}; ideas posted {posts_ok} (stored {posted}), supports {supports_ok} "
        f"(stored {stored_supports})",
        f"meeting: {participants} participants + chair connected in {connect_s:.1f} s; per process: "
        + ", ".join(f"{server} {count}" for server, count in sorted(spread.items())),
        f"CPU over {seconds:.0f} s: gunicorn processes {cpu[0]:.1f} s, nginx {cpu[1]:.1f} s, the clients (this "
        f"process) {cpu[3]:.1f} s; PostgreSQL: {cpu[2][0]:.0f} sessions opened, statements active "
        f"{cpu[2][1]:.1f} s; load average "
        f"{load_before:.1f} → {os.getloadavg()[0]:.1f}; the processes' memory (RSS) at the end: {memory:.0f} MB",
    ]
    results.insert(0, overall)
    votes = Result(f"load: vote → ack ({participants})", backend,
                   count=sum(o.sent for o in outcomes), seconds=sum(VOTE_WINDOW for _ in outcomes),
                   latencies_ms=[ms for o in outcomes for ms in o.ack_ms])
    lost = sum(o.sent - o.stored for o in outcomes) + sum(o.acked_ok - o.stored for o in outcomes)
    missing = sum(o.clients - o.clients_with_final for o in outcomes)
    votes.intact = lost == 0 and missing == 0 and not any(o.refused or o.unanswered for o in outcomes)
    for o in outcomes:
        votes.notes.append(
            f"ballot {o.ballot_id}: sent {o.sent}, acknowledged {o.acked_ok}, refused {o.refused}, unanswered "
            f"{o.unanswered}, stored {o.stored}; final count at {o.clients_with_final}/{o.clients} clients "
            f"{o.settle_s:.1f} s after the last vote; {o.tallies_per_client:.0f} tallies per client")
    return [*results, votes]


def _http_results(record: Record, backend: str, seconds: float) -> list[Result]:
    results = []
    for kind in sorted(record.latencies):
        result = Result(f"load: {kind}", backend, count=len(record.latencies[kind]), seconds=seconds,
                        latencies_ms=record.latencies[kind])
        errors = record.errors.get(kind, [])
        result.intact = not errors
        if errors:
            result.notes.append(f"{len(errors)} errors, e.g. {errors[:3]}")
        results.append(result)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="DATABASE_URL (default: a temporary SQLite file with the demo plan)")
    parser.add_argument("--redis", help="Redis URL (default: BENCH_REDIS_URL, TEST_REDIS_URL, or db 0 locally)")
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--residents", type=int, default=24, help="signed-in residents (a third more browse "
                                                                  "anonymously)")
    parser.add_argument("--ballots", type=int, default=3)
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between a resident's requests")
    args = parser.parse_args(argv)
    from bench.databases import bench_config
    from samen import create_app

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite:///{folder}/load.db"
        app = create_app(bench_config(url))
        backend = "postgresql" if url.startswith("postgres") else "sqlite"
        results = bench_load(app, backend, url, participants=args.participants, residents=args.residents,
                             ballots=args.ballots, think=args.think, redis_url=args.redis, demo=True)
        app.extensions["samen_db"]["engine"].dispose()
    for result in results:
        print(result.line())
        for note in result.notes:
            print(f"{'':<33} {note}")
    return 1 if any(not result.intact for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
