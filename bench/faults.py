"""`python -m bench.faults`: the production set-up under faults (issue #17, "keep working when a part fails").

deploy/serve-prod (nginx, two gunicorn processes; started through bench.load.serve_prod) runs on a PostgreSQL
cluster and a redis-server of its own (initdb into a temporary folder, spare ports), so that stopping or freezing
them harms nothing else. API residents post ideas and comments with an Idempotency-Key, retry a timeout, a 5xx,
a 409 or a 429 with the same key, and record every acknowledged write. Each fault is injected in turn, for
--fault-seconds, with the workload running before, during and after it; then the database is counted.

    python -m bench.faults --short                 # a few faults, well under 30 s
    python -m bench.faults --residents 8 --fault-seconds 5
    python -m bench.faults --faults redis-freeze,postgres-stop

Reported per fault (printed, and written to bench/results/faults-*.json): writes acknowledged and stored, lost
(acknowledged, not stored), duplicates (more than one row per title or comment body), answers by status,
the longest request, and the recovery time (from the end of the fault to the first acknowledged write begun
after it).

The app processes are supervised as systemd does in production (serve-prod --restart): a process stopped
(SIGTERM) or killed (SIGKILL) is started again, and nginx sends its clients to the other meanwhile. Not injected
yet: the live meeting's voters.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from glob import glob
from pathlib import Path
from typing import Any

from bench.load import free_ports, serve_prod
from samen import ROOT

RESULTS = ROOT / "bench" / "results"
FAULTS = ["redis-stop", "redis-freeze", "postgres-stop", "postgres-freeze", "worker-kill", "process-term",
          "process-kill", "rolling-restart", "restore-damaged"]
SHORT = ["redis-freeze", "postgres-freeze", "worker-kill", "process-kill"]
RESTART_TIMEOUT = 90  # seconds for serve-prod to start a stopped process again and for it to answer
NGINX_FAIL_TIMEOUT = 2  # deploy/nginx/samen.conf: a process that failed is skipped for this long
STUCK = "\0stuck"  # count()'s entry: Idempotency-Keys left "still being handled"
RETRIED = {409, 429, 500, 502, 503, 504}
# The app's bounded waits (docs/deployment.md), short here so a frozen database answers 503 soon.
SETTINGS = {"DATABASE_CONNECT_TIMEOUT": "2", "DATABASE_POOL_TIMEOUT": "2", "DATABASE_STATEMENT_TIMEOUT": "3",
            "DATABASE_LOCK_TIMEOUT": "2", "POST_RATE_LIMIT": "100000 per minute", "LOG_LEVEL": "WARNING"}


def _postgres_bin() -> Path | None:
    found = sorted(glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def missing() -> str | None:
    """Return what this machine lacks to run the faults, or None."""
    if _postgres_bin() is None:
        return "PostgreSQL's server binaries are not installed (/usr/lib/postgresql/*/bin/initdb)"
    if shutil.which("redis-server") is None:
        return "redis-server is not installed"
    if not any(os.access(c, os.X_OK) for c in (os.environ.get("NGINX") or "", shutil.which("nginx") or "",
                                                "/usr/sbin/nginx")):
        return "nginx is not installed"
    return None


class Postgres:
    """A PostgreSQL cluster of our own in `folder`, on a spare port."""

    def __init__(self, folder: Path) -> None:
        self.bin = _postgres_bin()
        assert self.bin is not None
        self.data = folder / "pgdata"
        self.port = free_ports(1)[0]
        self.log = folder / "postgres.log"
        # PostgreSQL refuses to run as root: then as the postgres user, who owns the data folder.
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            self.as_user = ["runuser", "-u", "postgres", "--"]
            folder.chmod(0o711)
            self.data.mkdir(mode=0o700)
            self.log.touch()
            shutil.chown(self.data, "postgres", "postgres")
            shutil.chown(self.log, "postgres", "postgres")
        subprocess.run([*self.as_user, self.bin / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust",
                        "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/samen_faults"

    def start(self) -> None:
        subprocess.run([*self.as_user, self.bin / "pg_ctl", "-D", self.data, "-l", self.log, "-w", "start", "-o",
                        f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off "
                        "-c max_connections=200"], check=True, capture_output=True)

    def stop(self) -> None:
        subprocess.run([*self.as_user, self.bin / "pg_ctl", "-D", self.data, "-w", "-m", "fast", "stop"],
                       capture_output=True)

    def pids(self) -> list[int]:
        """The postmaster and every backend."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        return [postmaster, *_children(postmaster)]


class Redis:
    """A redis-server of our own on a spare port, without persistence."""

    def __init__(self, folder: Path) -> None:
        self.port = free_ports(1)[0]
        self.folder = folder
        self.process: subprocess.Popen[bytes] | None = None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                         "--save", "", "--appendonly", "no", "--dir", str(self.folder)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@dataclass
class Tally:
    """What the clients saw in one phase."""

    acknowledged: dict[str, str] = field(default_factory=dict)  # title or comment body -> kind
    statuses: Counter[str] = field(default_factory=Counter)
    longest: float = 0.0
    successes: list[tuple[float, float]] = field(default_factory=list)  # (began, ended)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status: str, began: float, ended: float) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.longest = max(self.longest, ended - began)
            if status.startswith("2"):
                self.successes.append((began, ended))


class Resident(threading.Thread):
    """Posts ideas (and a comment on each) through nginx with an Idempotency-Key; retries with the same key."""

    def __init__(self, port: int, token: str, slug: str, prefix: str, tally: Tally, stop: threading.Event,
                 bound: float, patience: float) -> None:
        super().__init__(daemon=True)
        self.patience = patience
        self.port, self.token, self.slug, self.prefix = port, token, slug, prefix
        self.tally, self.stop_event, self.bound = tally, stop, bound

    def _send(self, path: str, body: dict[str, Any], key: str) -> tuple[int, dict[str, Any]]:
        """Send until acknowledged (with the same key); give up only when the phase is over and then some."""
        give_up = None
        while True:
            began = time.monotonic()
            status, answer = "timeout", {}
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.bound)
                connection.request("POST", path, json.dumps(body), {
                    "Authorization": f"Bearer {self.token}", "Content-Type": "application/json",
                    "Idempotency-Key": key})
                response = connection.getresponse()
                data = response.read()
                status = str(response.status)
                if response.status < 300:
                    answer = json.loads(data)
                connection.close()
            except (OSError, http.client.HTTPException) as error:
                status = "timeout" if isinstance(error, TimeoutError) else "connection"
            self.tally.add(status, began, time.monotonic())
            if status.startswith("2"):
                return int(status), answer
            if status not in ("timeout", "connection") and int(status) not in RETRIED:
                return int(status), {}
            if self.stop_event.is_set():
                give_up = give_up or time.monotonic() + self.patience
                if time.monotonic() > give_up:
                    self.tally.add("gave up", time.monotonic(), time.monotonic())
                    return 0, {}
            time.sleep(0.2)

    def run(self) -> None:
        n = 0
        while not self.stop_event.is_set():
            n += 1
            title = f"{self.prefix}-{n}"
            status, idea = self._send(f"/api/v1/thinktanks/{self.slug}/ideas",
                                      {"title": title, "body": "Een bank bij de speeltuin."}, uuid.uuid4().hex)
            if status != 201:
                continue
            self.tally.acknowledged[title] = "idea"
            text = f"{title}: eens"
            status, _ = self._send(f"/api/v1/ideas/{idea['id']}/comments", {"body": text}, uuid.uuid4().hex)
            if status == 201:
                self.tally.acknowledged[text] = "comment"


def _freeze(pids: Callable[[], list[int]]) -> Callable[[], None]:
    frozen = pids()
    for pid in frozen:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGSTOP)

    def thaw() -> None:
        for pid in frozen:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
    return thaw


def _children(pid: int) -> list[int]:
    return [int(child) for child in subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True,
                                                   text=True).stdout.split()]


def _workers(state: dict[str, Any]) -> list[dict[str, Any]]:
    """The gunicorn processes as serve-prod's state file has them now (pids change when one is started again)."""
    return json.loads(Path(state["state_file"]).read_text())["workers"]


def _ready(url: str) -> bool:
    with suppress(OSError, http.client.HTTPException):
        connection = http.client.HTTPConnection(url.removeprefix("http://"), timeout=2)
        connection.request("GET", "/readyz")
        return connection.getresponse().status == 200
    return False


def _stop_process(state: dict[str, Any], index: int, how: signal.Signals) -> Callable[[], None]:
    """Signal the app process `index` (SIGTERM to its gunicorn master, or SIGKILL to it and its worker, as the
    OOM killer or a crash would); return what waits until serve-prod has started it again and it answers."""
    worker = _workers(state)[index]
    targets = [worker["pid"]] + (_children(worker["pid"]) if how == signal.SIGKILL else [])
    for pid in targets:
        with suppress(ProcessLookupError):
            os.kill(pid, how)

    def back() -> None:
        deadline = time.monotonic() + RESTART_TIMEOUT
        while time.monotonic() < deadline:
            now = _workers(state)[index]
            if now["starts"] > worker["starts"] and _ready(now["url"]):
                return
            time.sleep(0.1)
        raise RuntimeError(f"{worker['name']} was not started again within {RESTART_TIMEOUT} s")
    return back


def _restore_damaged(postgres: Postgres, folder: Path) -> dict[str, Any]:
    """Back the database up, cut the file in half, and restore it while the site runs, as `flask backup restore`
    does (samen/privacy/backup.restore_database): it must refuse before it changes anything (docs/backups.md)."""
    from samen import create_app
    from samen.privacy import backup
    from bench.databases import bench_config

    path = backup.create_backup(postgres.url, folder / "damaged.dump")
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])
    app = create_app(bench_config(postgres.url))
    try:
        with app.app_context():
            backup.restore_database(postgres.url, path, safety_backup=folder / "pre-restore.dump")
    except backup.BackupError as error:
        return {"restore_exit": 1, "restore_message": str(error)[-300:]}
    finally:
        app.extensions["samen_db"]["engine"].dispose()
    return {"restore_exit": 0, "restore_message": "restored: the damaged backup was not refused"}


def inject(fault: str, postgres: Postgres, redis: Redis, state: dict[str, Any]) -> Callable[[], None]:
    """Inject `fault`; return what ends it."""
    if fault == "redis-stop":
        redis.stop()
        return redis.start
    if fault == "redis-freeze":
        assert redis.process is not None
        return _freeze(lambda: [redis.process.pid])  # type: ignore[union-attr]
    if fault == "postgres-stop":
        postgres.stop()
        return postgres.start
    if fault == "postgres-freeze":
        return _freeze(postgres.pids)
    if fault == "worker-kill":
        os.kill(_children(_workers(state)[0]["pid"])[0], signal.SIGKILL)  # gunicorn's master starts another
        return lambda: None
    if fault == "process-term":
        return _stop_process(state, 0, signal.SIGTERM)
    if fault == "process-kill":
        return _stop_process(state, 0, signal.SIGKILL)
    if fault == "rolling-restart":  # docs/deployment.md: one process at a time, each back before the next
        for index in range(len(_workers(state))):
            _stop_process(state, index, signal.SIGTERM)()
            time.sleep(NGINX_FAIL_TIMEOUT + 1)  # until nginx sends to it again (the documented `sleep 3`)
        return lambda: None
    if fault == "restore-damaged":
        state["restore"] = _restore_damaged(postgres, Path(state["state_file"]).parent.parent)
        return lambda: None
    raise ValueError(f"unknown fault {fault}")


def seed(url: str, residents: int) -> dict[str, Any]:
    """A think tank and `residents` members with API tokens."""
    from samen import create_app
    from samen.accounts import operations as account_ops
    from samen.core.database import db
    from samen.thinktanks import operations as tt_ops
    from bench.databases import bench_config

    app = create_app(bench_config(url))
    with app.app_context():
        thinktank = tt_ops.create_thinktank({"slug": "storingen", "name": "Storingen"})
        tokens = []
        for n in range(residents):
            user = account_ops.create_user(email=f"faults-{n}@example.org", display_name=f"Bewoner {n}",
                                           password_hash="!unusable")
            tt_ops.join_thinktank(thinktank, user)
            tokens.append(account_ops.create_api_token(user, name="faults"))
        db.session.commit()
    app.extensions["samen_db"]["engine"].dispose()
    return {"slug": "storingen", "tokens": tokens}


def count(url: str, prefix: str) -> dict[str, int]:
    """Rows stored per title (ideas) and per body (comments) of this phase."""
    import psycopg

    with psycopg.connect(url, connect_timeout=10) as connection:
        rows = connection.execute("SELECT title, count(*) FROM ideas WHERE title LIKE %s GROUP BY title",
                                  (f"{prefix}-%",)).fetchall()
        rows += connection.execute("SELECT body, count(*) FROM comments WHERE body LIKE %s GROUP BY body",
                                   (f"{prefix}-%",)).fetchall()
        stuck = connection.execute("SELECT count(*) FROM idempotency_keys WHERE status IS NULL").fetchone()
    return {**dict(rows), STUCK: stuck[0] if stuck else 0}


def run_fault(fault: str, postgres: Postgres, redis: Redis, state: dict[str, Any], data: dict[str, Any],
              before: float, during: float, after: float, bound: float, patience: float) -> dict[str, Any]:
    began = time.monotonic()
    tally = Tally()
    stop = threading.Event()
    prefix = f"f{uuid.uuid4().hex[:6]}-{fault}"
    stuck_before = count(postgres.url, prefix)[STUCK]  # keys left by the faults before this one
    residents = [Resident(state["port"], token, data["slug"], f"{prefix}-{n}", tally, stop, bound, patience)
                 for n, token in enumerate(data["tokens"])]
    for resident in residents:
        resident.start()
    time.sleep(before)
    end_fault = inject(fault, postgres, redis, state)
    time.sleep(during)
    end_fault()
    ended = time.monotonic()
    time.sleep(after)
    stop.set()
    for resident in residents:
        resident.join(timeout=bound + patience + 5)
    hung = sum(resident.is_alive() for resident in residents)
    stored = count(postgres.url, prefix)
    stuck = stored.pop(STUCK) - stuck_before
    after_fault = [end for began, end in tally.successes if began >= ended]
    restore = state.pop("restore", None)
    return {**({"restore_refused": restore["restore_exit"] != 0, **restore} if restore else {}),
        "fault": fault, "acknowledged": len(tally.acknowledged),
        "stored": sum(1 for key in tally.acknowledged if stored.get(key)),
        "rows": sum(stored.values()),
        "lost": sum(1 for key in tally.acknowledged if not stored.get(key)),
        "duplicates": sum(n - 1 for n in stored.values() if n > 1),
        "stored_unacknowledged": sum(1 for key in stored if key not in tally.acknowledged),
        "keys_stuck": stuck,
        "statuses": dict(sorted(tally.statuses.items())),
        "longest_s": round(tally.longest, 2),
        "recovery_s": round(min(after_fault) - ended, 2) if after_fault else None,
        "clients_still_waiting": hung,
        "seconds": round(time.monotonic() - began, 1),
    }


@contextmanager
def services(folder: Path) -> Iterator[tuple[Postgres, Redis]]:
    postgres, redis = Postgres(folder), Redis(folder)
    postgres.start()
    redis.start()
    try:
        yield postgres, redis
    finally:
        redis.stop()
        postgres.stop()


def run(faults: list[str], residents: int, before: float, during: float, after: float,
        bound: float, keep: Path | None = None, patience: float | None = None) -> list[dict[str, Any]]:
    """Run serve-prod on services of its own and inject each fault; `patience`: how long after the workload
    stops a client still retries an unacknowledged write (default: the bound)."""
    saved = {name: os.environ.get(name) for name in SETTINGS}
    os.environ.update(SETTINGS)
    try:
        with ExitStack() as stack:
            folder = Path(stack.enter_context(
                tempfile.TemporaryDirectory(prefix="samen-faults-") if keep is None else nullcontext(keep)))
            postgres, redis = stack.enter_context(services(folder))
            state = stack.enter_context(serve_prod(postgres.url, redis.url, folder / "instance", demo=False,
                                                   restart=True))
            state["state_file"] = str(folder / "instance" / "serve-prod.json")
            data = seed(postgres.url, residents)
            return [run_fault(fault, postgres, redis, state, data, before, during, after, bound,
                              bound if patience is None else patience)
                    for fault in faults]
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def table(results: list[dict[str, Any]]) -> str:
    lines = ["| fault | acknowledged | stored | lost | duplicates | stored, not acknowledged | keys stuck "
             "| answers | longest s | recovery s |", "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        answers = ", ".join(f"{status}: {n}" for status, n in r["statuses"].items())
        lines.append(f"| {r['fault']} | {r['acknowledged']} | {r['stored']} | {r['lost']} | {r['duplicates']} "
                     f"| {r['stored_unacknowledged']} | {r['keys_stuck']} | {answers} | {r['longest_s']} "
                     f"| {r['recovery_s']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(prog="python -m bench.faults", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--faults", help=f"comma-separated, of {', '.join(FAULTS)} (default: all)")
    parser.add_argument("--short", action="store_true", help=f"{', '.join(SHORT)}, 4 residents, 1 s each")
    parser.add_argument("--residents", type=int, default=8, help="API clients posting (default 8)")
    parser.add_argument("--fault-seconds", type=float, default=5, help="how long each fault lasts (default 5)")
    parser.add_argument("--bound", type=float, default=10,
                        help="client timeout per request, and the longest a request may take (default 10 s)")
    parser.add_argument("--keep", type=Path, metavar="FOLDER",
                        help="run in FOLDER (a new one) and keep it: the processes' logs, nginx's, PostgreSQL's")
    args = parser.parse_args(argv)
    faults = args.faults.split(",") if args.faults else (SHORT if args.short else FAULTS)
    unknown = set(faults) - set(FAULTS)
    if unknown:
        parser.error(f"unknown fault: {', '.join(sorted(unknown))}")
    reason = missing()
    if reason:
        print(f"faults: cannot run: {reason}")
        return 2
    residents, during, calm = (4, 1.0, 0.3) if args.short else (args.residents, args.fault_seconds, 2.0)
    started = time.monotonic()
    if args.keep:
        args.keep.mkdir(parents=True)
    results = run(faults, residents, calm, during, 2 * calm, args.bound, args.keep,
                  patience=1 if args.short else None)
    print(table(results))
    print(f"{residents} residents, load {os.getloadavg()[0]:.2f}, {time.monotonic() - started:.1f} s")
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"faults-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"residents": residents, "fault_seconds": during, "bound_s": args.bound,
                                "load": os.getloadavg(), "results": results}, indent=2))
    print(f"saved {path.relative_to(ROOT)}")
    bad = any(r["lost"] or r["duplicates"] or r["longest_s"] > args.bound or r["clients_still_waiting"]
              for r in results)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
