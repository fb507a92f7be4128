"""`python -m bench.side_by_side`: Samen's anonymous public pages beside a Flask "hello" (the ceiling) and, when
given, a peer's comparable pages (for example an adhocracy+ started separately), measured with wrk in one run
(issue #19, docs/benchmarks.md, "Side by side").

    python -m bench.side_by_side                         # 20,000 ideas on SQLite, 1 and 16 connections, 2 rounds
    python -m bench.side_by_side --ideas 1000 --seconds 5
    python -m bench.side_by_side --ideas 100000 --backend postgresql
    python -m bench.side_by_side --quick                 # a smoke test: 1,000 ideas, 2 s runs, 1 round, 1 connection
    python -m bench.side_by_side --peer-page home=http://127.0.0.1:8001/ --peer-page ideas=http://…/ideas/
    python -m bench.side_by_side --peer-pages peer.json --peer-pid 12345    # {"home": "http://…", …}

The data: the benchmark data set of `flask bench seed` (samen/demo/bench.py) at --ideas, with supports, comments,
members and actions scaled from it (sizes_for), plus a public meeting and a partner organisation leading the
actions of "Jongerenwerk" (the seed makes neither); in a database of its own per size (instance/bench-side-N.db,
or the PostgreSQL database samen_bench_side_N), seeded once and reused (--reseed: again).

The servers: gunicorn as in production (gthread, two processes, `--config python:samen.core.serving`,
SAMEN_ENV=production with generated keys) on a free port of 127.0.0.1, without nginx (its ip_hash would send all
of wrk's connections to one process) and without rate limits (all requests come from one address); the hello
the same way. Each run is wrk for --seconds on one page, at 1 connection (one thread) or 16 (two threads), in
this order per round and connection count: hello, page (then the peer's page), hello, next page, …, hello; a
page's ratio to the ceiling divides by the mean of the hello runs on either side of it, so that a change of the
machine's load hits both. Measured per run: requests per second, p50/p95/p99 (bench/side_by_side.lua), errors
(sockets, non-2xx/3xx answers), the servers' CPU time per request (the gunicorn master and its workers, from
/proc; a peer's with --peer-pid), and the load average.
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import astuple
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from bench import databases
from bench.load import _cpu_by_pid, _cpu_since, free_ports
from samen import ROOT
from samen.demo.bench import Sizes

RESULTS = ROOT / "bench" / "results"
LUA = Path(__file__).with_name("side_by_side.lua")
HOST = "127.0.0.1"
WORKERS = 2  # gunicorn processes, as the two of docs/deployment.md (and the peer's two workers)
THREADS = 100  # per process, as deploy/serve-prod
CONNECTIONS = (1, 16)
PAGES = ("home", "thinktanks", "ideas", "idea", "action", "progress", "meeting", "organisation", "search")
SEARCH = "/search?q=jongeren"
MEETING_TITLE = "Bench: plenaire avond"
ORGANISATION_SLUG = "bench-jongerenwerk"
ORGANISATION_OF_ACTIONS = "Jongerenwerk"  # the seed's organisation name whose actions the organisation leads
START_SECONDS = 120


class Failure(Exception):
    """Something that stops the run; the message says what."""


# --- the data ------------------------------------------------------------------------------------------------

def sizes_for(ideas: int) -> Sizes:
    """The bench data set at `ideas` ideas, in the proportions of the default (20,000 ideas, 200,000 supports,
    50,000 comments, 2,000 members and 2,000 actions); actions at most 2,000 (issue #19: 100,000 ideas and 2,000
    actions), at least 100."""
    default = Sizes()
    scale = ideas / default.ideas
    return Sizes(ideas=ideas, supports=round(default.supports * scale), comments=round(default.comments * scale),
                 thinktanks=default.thinktanks, members=max(200, round(default.members * scale)),
                 actions=min(default.actions, max(100, round(default.actions * scale))),
                 measurements=default.measurements, indicators=default.indicators)


def database_url(backend: str, ideas: int) -> str:
    """A database of its own per size, so that switching sizes does not seed again."""
    if backend == "sqlite":
        return databases.sqlite_url(ROOT / "instance" / f"bench-side-{ideas}.db")
    url = databases.postgres_url()
    if not url:
        raise Failure("PostgreSQL: set BENCH_POSTGRES_URL or TEST_DATABASE_URL")
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=f"{databases.POSTGRES_DATABASE}_side_{ideas}").render_as_string(
        hide_password=False)


def prepare(url: str, sizes: Sizes, *, reseed: bool) -> Flask:
    """Seed the database (bench.databases.prepare) if it does not hold `sizes` yet, and add the meeting and the
    organisation the seed does not make."""
    if reseed and url.startswith("sqlite:///"):
        databases.drop_database(url)  # quicker than deleting the rows (and prepare drops only instance/bench.db)
    app = databases.prepare(url, sizes, reseed=reseed)
    add_meeting_and_organisation(app)
    return app


def add_meeting_and_organisation(app: Flask) -> None:
    """Add, once, a public meeting with an agenda to the first bench think tank, and a partner organisation
    leading the seeded actions of "Jongerenwerk"."""
    from samen.core.database import db, utcnow
    from samen.actions.models import ActionItem
    from samen.demo.bench import bench_thinktank_slugs
    from samen.meetings.models import AgendaItem, Meeting
    from samen.partners.models import ActionOrganisation, Organisation
    from samen.thinktanks.models import ThinkTank

    with app.app_context():
        tank = db.session.scalar(select(ThinkTank).where(ThinkTank.slug == bench_thinktank_slugs()[0]))
        if not db.session.scalar(select(Meeting.id).where(Meeting.title == MEETING_TITLE)):
            start = (utcnow() + timedelta(days=14)).replace(hour=19, minute=0, second=0, microsecond=0)
            meeting = Meeting(thinktank_id=tank.id, title=MEETING_TITLE, starts_at=start,
                              ends_at=start + timedelta(hours=2), location="Buurthuis De Schakel",
                              description="De denktank bespreekt de ideeën van deze maand.", public=True)
            db.session.add(meeting)
            db.session.flush()
            for position, title in enumerate(("Welkom", "Ideeën van jongeren", "Stemmen", "Rondvraag")):
                db.session.add(AgendaItem(meeting_id=meeting.id, position=position, title=title,
                                          planned_minutes=20))
        if not db.session.scalar(select(Organisation.id).where(Organisation.slug == ORGANISATION_SLUG)):
            organisation = Organisation(slug=ORGANISATION_SLUG, name="Jongerenwerk Bench", kind="youth_work",
                                        description="Jongerenwerk in alle wijken.")
            db.session.add(organisation)
            db.session.flush()
            led = db.session.scalars(select(ActionItem.id).where(
                ActionItem.thinktank_id.in_(select(ThinkTank.id).where(ThinkTank.slug.in_(bench_thinktank_slugs()))),
                ActionItem.organisation == ORGANISATION_OF_ACTIONS)).all()
            db.session.add_all(ActionOrganisation(action_id=action_id, organisation_id=organisation.id, role="lead")
                               for action_id in led)
        db.session.commit()


def page_paths(app: Flask) -> dict[str, str]:
    """The anonymous public pages to measure, with real ids and slugs from the database."""
    from samen.core.database import db
    from samen.actions.models import ActionItem
    from samen.demo.bench import bench_thinktank_slugs
    from samen.ideas.models import Idea
    from samen.meetings.models import Meeting
    from samen.thinktanks.models import ThinkTank

    with app.app_context():
        slug = bench_thinktank_slugs()[0]
        tank_id = db.session.scalar(select(ThinkTank.id).where(ThinkTank.slug == slug))
        # The most supported visible idea: the one a visitor is likeliest to open.
        idea_id = db.session.scalar(select(Idea.id).where(
            Idea.thinktank_id == tank_id, Idea.hidden_at.is_(None), Idea.withdrawn_at.is_(None))
            .order_by(Idea.support_count.desc(), Idea.id).limit(1))
        # A public action led by the organisation, with its updates: the trail from idea to result.
        action_id = db.session.scalar(select(ActionItem.id).where(
            ActionItem.thinktank_id == tank_id, ActionItem.public.is_(True),
            ActionItem.organisation == ORGANISATION_OF_ACTIONS).order_by(ActionItem.id).limit(1)) \
            or db.session.scalar(select(func.min(ActionItem.id)).where(ActionItem.public.is_(True)))
        meeting_id = db.session.scalar(select(Meeting.id).where(Meeting.title == MEETING_TITLE))
        db.session.remove()
    return {"home": "/", "thinktanks": "/thinktanks/", "ideas": f"/thinktanks/{slug}/ideas",
            "idea": f"/ideas/{idea_id}", "action": f"/actions/{action_id}", "progress": "/progress",
            "meeting": f"/meetings/{meeting_id}", "organisation": f"/partners/{ORGANISATION_SLUG}",
            "search": SEARCH}


# --- the servers ---------------------------------------------------------------------------------------------

def _fernet_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def samen_environment(database: str, port: int) -> dict[str, str]:
    """Production settings (deploy/serve-prod's, but no nginx in front and no rate limits: wrk is one address)."""
    env = {**os.environ, "DATABASE_URL": database, "SAMEN_ENV": "production", "FLASK_APP": "wsgi.py",
           "SECRET_KEY": secrets.token_urlsafe(48), "HELP_ENCRYPTION_KEY": _fernet_key(),
           "STORIES_ENCRYPTION_KEY": _fernet_key(), "BASE_URL": f"http://{HOST}:{port}",
           "RATELIMIT_ENABLED": "0", "SESSION_COOKIE_SECURE": "false", "MAIL_BACKEND": "file",
           "LOG_LEVEL": "INFO"}
    for name in ("SOCKETIO_MESSAGE_QUEUE", "RATELIMIT_STORAGE_URI", "TRUSTED_PROXIES", "SERVER_NAME"):
        env.pop(name, None)
    return env


class Server:
    """gunicorn (gthread, WORKERS processes, THREADS threads each) serving `app` on a free port."""

    def __init__(self, name: str, app: str, env: dict[str, str], port: int, log: Path, *,
                 config: str | None = None, ready_path: str = "/") -> None:
        self.name, self.port, self.log, self.ready_path = name, port, log, ready_path
        command = [sys.executable, "-m", "gunicorn", "--worker-class", "gthread", "--workers", str(WORKERS),
                   "--threads", str(THREADS), "--bind", f"{HOST}:{port}", "--graceful-timeout", "5",
                   "--log-level", "warning", "--no-control-socket"]
        command += (["--config", config] if config else []) + [app]
        with log.open("ab") as output:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def wait(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        last = ""
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise Failure(f"{self.name} exited with {self.process.returncode}:\n{tail(self.log)}")
            try:
                with urllib.request.urlopen(self.url + self.ready_path, timeout=5) as response:
                    if response.status == 200 and len(_children(self.process.pid)) >= WORKERS:
                        return
            except (OSError, urllib.error.HTTPError) as error:
                last = str(error)
            time.sleep(0.2)
        raise Failure(f"{self.name} did not answer within {START_SECONDS} s ({last}):\n{tail(self.log)}")

    def cpu(self) -> dict[int, float]:
        return _cpu_by_pid([self.process.pid])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@contextmanager
def servers(folder: Path) -> Iterator[dict[str, Server]]:
    """Yield a dict the caller fills with started servers, and stop them all at the end."""
    started: dict[str, Server] = {}
    try:
        yield started
    finally:
        for server in started.values():
            server.stop()


def start_hello(folder: Path) -> Server:
    """The Flask hello: the same gunicorn, the same virtualenv, no configuration of Samen's."""
    port, = free_ports(1)
    return Server("hello", "bench.hello:app", {**os.environ}, port, folder / "hello.log")


def start_samen(database: str, folder: Path) -> Server:
    """Samen with production settings and gunicorn's configuration of deploy/ (python:samen.core.serving)."""
    port, = free_ports(1)
    return Server("samen", "wsgi:app", samen_environment(database, port), port, folder / "samen.log",
                  config="python:samen.core.serving", ready_path="/healthz")


# --- wrk -----------------------------------------------------------------------------------------------------

def find_wrk() -> str | None:
    return shutil.which("wrk") or next((path for path in ("/usr/bin/wrk",) if os.access(path, os.X_OK)), None)


def check(url: str, tries: int = 4) -> tuple[int, int]:
    """GET the page a few times (on new connections, so that every process renders it once) and return the
    status and size of the last answer; redirects are not followed (wrk does not follow them either)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    status = size = 0
    for _ in range(tries):
        try:
            with opener.open(url, timeout=60) as response:
                status, size = response.status, len(response.read())
        except urllib.error.HTTPError as error:
            status, size = error.code, len(error.read())
        except OSError as error:
            raise Failure(f"{url} does not answer: {error}") from error
    return status, size


def wrk(binary: str, url: str, connections: int, seconds: int) -> dict[str, Any]:
    """Run wrk on one URL, one connection per wrk thread (bench/side_by_side.lua times each request); return
    its counts and latency percentiles (ms)."""
    command = [binary, "-t", str(connections), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
               "-s", str(LUA), url]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    line = next((line for line in finished.stdout.splitlines() if line.startswith("SAMEN_WRK ")), None)
    if finished.returncode != 0 or line is None:
        raise Failure(f"wrk failed on {url} ({finished.returncode}): {finished.stderr.strip() or finished.stdout}")
    data = json.loads(line.split(" ", 1)[1])
    elapsed = data["duration_us"] / 1e6
    return {"requests": data["requests"], "seconds": round(elapsed, 3),
            "per_second": round(data["requests"] / elapsed, 1) if elapsed else 0.0,
            "p50_ms": data["p50_ms"], "p95_ms": data["p95_ms"], "p99_ms": data["p99_ms"], "max_ms": data["max_ms"],
            "bytes": data["bytes"], "socket_errors": data["connect"] + data["read"] + data["write"] + data["timeout"],
            "status_errors": data["status"]}


class Runner:
    """Runs wrk against one target at a time and measures the serving processes' CPU meanwhile."""

    def __init__(self, binary: str, seconds: int) -> None:
        self.binary, self.seconds = binary, seconds
        self.runs: list[dict[str, Any]] = []

    def run(self, target: str, page: str, url: str, connections: int, round_: int,
            cpu: Any = None) -> dict[str, Any]:
        before = cpu() if cpu else None
        result = wrk(self.binary, url, connections, self.seconds)
        if cpu:
            used = _cpu_since(before, cpu())
            result["cpu_ms_per_request"] = round(used * 1000 / result["requests"], 3) if result["requests"] else None
        else:
            result["cpu_ms_per_request"] = None
        result.update(target=target, page=page, url=url, connections=connections, round=round_,
                      load=round(os.getloadavg()[0], 2))
        self.runs.append(result)
        errors = result["socket_errors"] + result["status_errors"]
        print(f"  {target:<5} {page:<12} c={connections:<2} {result['per_second']:9.1f}/s  "
              f"p50 {result['p50_ms']:7.2f} ms  p95 {result['p95_ms']:7.2f} ms  "
              f"cpu {_ms(result['cpu_ms_per_request'])} ms/req  load {result['load']:.2f}"
              + (f"  ERRORS {errors}" if errors else ""), flush=True)
        return result


def _ms(value: float | None) -> str:
    return f"{value:6.2f}" if value is not None else "     —"


# --- the table -----------------------------------------------------------------------------------------------

def summarise(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per target, page and connection count: means over the rounds; each page's ratio to the hello is
    the mean over its runs of req/s ÷ the mean of the hello runs on either side; Samen ÷ peer likewise."""
    rows: list[dict[str, Any]] = []
    keys = list(dict.fromkeys((run["target"], run["page"], run["connections"]) for run in runs))
    for target, page, connections in keys:
        mine = [run for run in runs if (run["target"], run["page"], run["connections"]) == (target, page, connections)]
        cpu = [run["cpu_ms_per_request"] for run in mine if run["cpu_ms_per_request"] is not None]
        row = {"target": target, "page": page, "connections": connections, "runs": len(mine),
               "per_second": round(statistics.mean(run["per_second"] for run in mine), 1),
               "per_second_range": [min(run["per_second"] for run in mine), max(run["per_second"] for run in mine)],
               "p50_ms": round(statistics.mean(run["p50_ms"] for run in mine), 2),
               "p95_ms": round(statistics.mean(run["p95_ms"] for run in mine), 2),
               "cpu_ms_per_request": round(statistics.mean(cpu), 3) if cpu else None,
               "errors": sum(run["socket_errors"] + run["status_errors"] for run in mine),
               "to_hello": None, "to_peer": None}
        ratios = [run["to_hello"] for run in mine if run.get("to_hello")]
        if ratios and target != "hello":
            row["to_hello"] = round(statistics.mean(ratios), 4)
        rows.append(row)
    for row in rows:
        if row["target"] == "samen":
            peer = next((other for other in rows if other["target"] == "peer" and other["page"] == row["page"]
                         and other["connections"] == row["connections"]), None)
            if peer and peer["per_second"]:
                row["to_peer"] = round(row["per_second"] / peer["per_second"], 2)
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    peers = any(row["target"] == "peer" for row in rows)
    header = (f"{'page':<20} {'conns':>5} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'CPU ms/req':>10} "
              f"{'÷ hello':>8}" + (f" {'Samen ÷ peer':>12}" if peers else ""))
    lines = [header, "-" * len(header)]
    for row in rows:
        name = {"samen": row["page"], "hello": "hello (ceiling)", "peer": f"peer: {row['page']}"}[row["target"]]
        ratio = f"{row['to_hello']:.1%}" if row["to_hello"] is not None else ""
        line = (f"{name:<20} {row['connections']:>5} {row['per_second']:>9.1f} {row['p50_ms']:>8.2f} "
                f"{row['p95_ms']:>8.2f} {_ms(row['cpu_ms_per_request']):>10} {ratio:>8}")
        if peers:
            to_peer = f"{row['to_peer']:.2f}×" if row["to_peer"] is not None else ""
            line += f" {to_peer:>12}"
        if row["errors"]:
            line += f"  {row['errors']} errors"
        lines.append(line)
    return "\n".join(lines)


# --- the run -------------------------------------------------------------------------------------------------

def read_peer_pages(args: argparse.Namespace, parser: argparse.ArgumentParser) -> dict[str, str]:
    pages: dict[str, str] = {}
    if args.peer_pages:
        try:
            loaded = json.loads(Path(args.peer_pages).read_text())
        except (OSError, ValueError) as error:
            parser.error(f"--peer-pages {args.peer_pages}: {error}")
        if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
            parser.error("--peer-pages: a JSON object of page names to URLs, such as {\"home\": \"http://…/\"}")
        pages.update(loaded)
    for item in args.peer_page:
        name, _, address = item.partition("=")
        if not address:
            parser.error(f"--peer-page {item!r}: write NAME=URL or NAME=/path (with --peer URL)")
        pages[name] = address
    for name, address in list(pages.items()):
        if address.startswith("/"):
            if not args.peer:
                parser.error(f"--peer-page {name}={address}: a path needs --peer URL")
            pages[name] = args.peer.rstrip("/") + address
        if name not in PAGES:
            parser.error(f"peer page {name!r}: not one of Samen's pages ({', '.join(PAGES)})")
    if args.peer and not pages:
        pages["home"] = args.peer.rstrip("/") + "/"
    return pages


def peer_cpu(pid: int) -> Any:
    return lambda: _cpu_by_pid([pid])


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind: the servers stop in `finally`
    parser = argparse.ArgumentParser(prog="python -m bench.side_by_side", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ideas", type=int, default=20_000, help="1000, 20000 (default) or 100000; supports, "
                        "comments, members and actions scaled (sizes_for)")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--database", help="a database URL to use instead (seeded if it holds no bench data)")
    parser.add_argument("--reseed", action="store_true", help="seed again even if the data set is there")
    parser.add_argument("--seconds", type=int, default=15, help="duration of each wrk run (default 15)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds over every page (default 2)")
    parser.add_argument("--connections", default=",".join(map(str, CONNECTIONS)),
                        help="wrk connection counts, comma-separated (default 1,16)")
    parser.add_argument("--pages", help=f"only these pages, comma-separated (of {', '.join(PAGES)})")
    parser.add_argument("--quick", action="store_true", help="a smoke test: 1,000 ideas, 2 s runs, one round, "
                        "1 connection, the hello only before the first page and after the last")
    parser.add_argument("--peer", metavar="URL", help="the peer's base URL (for --peer-page NAME=/path)")
    parser.add_argument("--peer-page", action="append", default=[], metavar="NAME=URL",
                        help="a peer page comparable to Samen's page NAME (repeatable)")
    parser.add_argument("--peer-pages", metavar="FILE", help="a JSON file: Samen's page names to the peer's URLs")
    parser.add_argument("--peer-pid", type=int, help="the peer's gunicorn master: its CPU per request is measured")
    parser.add_argument("--results", metavar="FILE", help="where to write the JSON (default bench/results/"
                        "side-by-side-<time>.json)")
    args = parser.parse_args(argv)
    if args.quick:
        defaults = {"ideas": 20_000, "seconds": 15, "rounds": 2, "connections": "1,16"}
        quick = {"ideas": 1000, "seconds": 2, "rounds": 1, "connections": "1"}
        for name, value in quick.items():  # what is given beside --quick wins
            if getattr(args, name) == defaults[name]:
                setattr(args, name, value)
    try:
        connections = [int(n) for n in args.connections.split(",")]
    except ValueError:
        parser.error("--connections: numbers, comma-separated")
    chosen = args.pages.split(",") if args.pages else list(PAGES)
    if set(chosen) - set(PAGES):
        parser.error(f"--pages: of {', '.join(PAGES)}")
    if args.seconds < 1 or args.rounds < 1 or args.ideas < 100:
        parser.error("--seconds and --rounds at least 1, --ideas at least 100")
    peer_pages = read_peer_pages(args, parser)
    binary = find_wrk()
    if binary is None:
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    try:
        return run(args, binary, connections, chosen, peer_pages)
    except Failure as failure:
        print(f"side_by_side: {failure}", file=sys.stderr)
        return 1


def run(args: argparse.Namespace, binary: str, connections: list[int], chosen: list[str],
        peer_pages: dict[str, str]) -> int:
    import logging

    sizes = sizes_for(args.ideas)
    url = args.database or database_url(args.backend, args.ideas)
    load_start = os.getloadavg()
    print(f"data: {sizes}\ndatabase: {url.split('@')[-1]}\nload at start: "
          + " ".join(f"{value:.2f}" for value in load_start), flush=True)
    clock = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="side-by-side-") as folder, servers(Path(folder)) as started:
        started["hello"] = hello = start_hello(Path(folder))  # starts while the data is made ready
        app = prepare(url, sizes, reseed=args.reseed)
        paths = page_paths(app)
        with app.app_context():
            have = databases.current_sizes()
        app.extensions["samen_db"]["engine"].dispose()
        logging.getLogger().setLevel(logging.WARNING)
        if astuple(have) != astuple(sizes):
            print(f"note: the database holds {have}")
        print(f"data ready in {time.monotonic() - clock:.1f} s", flush=True)
        clock = time.monotonic()
        started["samen"] = samen = start_samen(url, Path(folder))
        hello.wait()
        samen.wait()
        print(f"servers: samen {samen.url} (pid {samen.process.pid}), hello {hello.url} (gunicorn gthread, "
              f"{WORKERS} processes, {THREADS} threads each), up in {time.monotonic() - clock:.1f} s", flush=True)
        clock = time.monotonic()
        tries = 2 if args.quick else 4  # quick: each of the two processes likely renders each page once
        targets = [(page, samen.url + paths[page], tries) for page in chosen]
        targets += [(f"the peer's {page}", address, 2) for page, address in peer_pages.items()]
        with ThreadPoolExecutor(4) as pool:  # every page rendered a few times before it is measured
            answers = list(pool.map(lambda target: check(target[1], tries=target[2]), targets))
        sizes_of: dict[str, int] = {}
        for (page, address, _), (status, size) in zip(targets, answers, strict=True):
            if status != 200:
                raise Failure(f"{page} {address} answered {status}, not 200:\n{tail(Path(folder, 'samen.log'))}")
            sizes_of[page] = size
        print(f"pages checked in {time.monotonic() - clock:.1f} s", flush=True)
        runner = Runner(binary, args.seconds)
        order = schedule(chosen, peer_pages, hello_each=not args.quick)
        for round_ in range(1, args.rounds + 1):
            for count in connections:
                print(f"== round {round_}, {count} connection{'s' if count > 1 else ''}", flush=True)
                sequence = []
                for target, page in order:
                    if target == "hello":
                        url_, cpu = hello.url + "/", hello.cpu
                    elif target == "samen":
                        url_, cpu = samen.url + paths[page], samen.cpu
                    else:
                        url_, cpu = peer_pages[page], peer_cpu(args.peer_pid) if args.peer_pid else None
                    sequence.append(runner.run(target, page, url_, count, round_, cpu))
                set_ratios(sequence)
    load_end = os.getloadavg()
    rows = summarise(runner.runs)
    print()
    print(table(rows))
    print(f"\n{sizes.ideas:,} ideas, {args.backend if not args.database else url.split(':')[0]}; "
          f"{args.seconds} s per run, {args.rounds} round(s); load at start "
          + " ".join(f"{v:.2f}" for v in load_start) + ", at the end " + " ".join(f"{v:.2f}" for v in load_end)
          )
    for page in chosen:
        print(f"  {page:<12} {paths[page]}  ({sizes_of[page]:,} bytes)")
    for page, address in peer_pages.items():
        print(f"  peer {page:<7} {address}")
    path = Path(args.results) if args.results else RESULTS / f"side-by-side-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({
        "machine": _machine(), "sizes": sizes.__dict__, "database": url.split("@")[-1], "seconds": args.seconds,
        "rounds": args.rounds, "connections": connections, "workers": WORKERS, "threads": THREADS,
        "pages": {page: paths[page] for page in chosen}, "page_bytes": sizes_of, "peer_pages": peer_pages,
        "load_start": load_start, "load_end": load_end, "rows": rows, "runs": runner.runs}, indent=2,
        ensure_ascii=False))
    print(f"saved {path}")
    return 1 if any(row["errors"] for row in rows if row["target"] != "peer") else 0


def schedule(pages: list[str], peer_pages: dict[str, str], *, hello_each: bool = True) -> list[tuple[str, str]]:
    """The order of the runs in a round: hello, a page (then the peer's), hello, the next page, …, hello; without
    `hello_each` (--quick) the hello only before the first page and after the last."""
    order: list[tuple[str, str]] = []
    for index, page in enumerate(pages):
        if hello_each or index == 0:
            order.append(("hello", "hello"))
        order.append(("samen", page))
        if page in peer_pages:
            order.append(("peer", page))
    order.append(("hello", "hello"))
    return order


def set_ratios(sequence: list[dict[str, Any]]) -> None:
    """Set each page run's ratio to the ceiling: its req/s ÷ the mean of the nearest hello runs before and after
    it in the sequence."""
    hellos = [index for index, run in enumerate(sequence) if run["target"] == "hello"]
    for index, run in enumerate(sequence):
        if run["target"] == "hello":
            continue
        around = [sequence[i]["per_second"] for i in (max((i for i in hellos if i < index), default=None),
                                                      min((i for i in hellos if i > index), default=None))
                  if i is not None]
        ceiling = statistics.mean(around) if around else 0
        run["to_hello"] = round(run["per_second"] / ceiling, 4) if ceiling else None


def _machine() -> dict[str, Any]:
    from bench.__main__ import _machine as machine

    return machine()


if __name__ == "__main__":
    sys.exit(main())
