"""Pages over HTTP: the app in a real server (gunicorn, one process, gthread) on 127.0.0.1, driven by a
bounded client of a few threads with keep-alive connections. Loopback only; every run is bounded in count
and in time.
"""
from __future__ import annotations

import http.client
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from flask import Flask

from bench.queries import LIST_P95_MS, SEARCH_P95_MS, SEARCHES
from bench.stats import Result
from samen import ROOT
from samen.demo.bench import bench_thinktank_slugs
from samen.ideas import operations as ops

HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]

LOG = ROOT / "bench" / "results" / "gunicorn.log"


@contextmanager
def server(url: str, *, threads: int = 8, startup_seconds: float = 60) -> Iterator[tuple[int, int]]:
    """Serve wsgi:app on the database at url with gunicorn (1 worker, `threads` threads); yield its port and
    the worker's process id."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "RATELIMIT_ENABLED": "0", "LOG_LEVEL": "WARNING",
           "SECRET_KEY": "bench-secret-not-for-production", "SAMEN_ENV": "development",
           "PYTHONFAULTHANDLER": "1"}  # a crash of the worker leaves its Python stack in the log
    command = [sys.executable, "-m", "gunicorn", "-k", "gthread", "-w", "1", "--threads", str(threads),
               "-b", f"{HOST}:{port}", "--log-level", "warning", "--timeout", "120", "wsgi:app"]
    LOG.parent.mkdir(parents=True, exist_ok=True)
    log = LOG.open("ab")
    log.write(f"== {time.strftime('%Y-%m-%d %H:%M:%S')} {url.split('@')[-1]}\n".encode())
    log.flush()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.monotonic() + startup_seconds
        while True:
            if process.poll() is not None:
                time.sleep(0.5)
                raise RuntimeError(f"gunicorn exited: {LOG.read_text()[-2000:]}")
            try:
                socket.create_connection((HOST, port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start in time") from None
                time.sleep(0.2)
        yield port, _worker(process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _worker(master: int) -> int:
    """Return the process id of gunicorn's (one) worker, which serves the requests."""
    children = Path(f"/proc/{master}/task/{master}/children")
    for _ in range(100):
        pids = children.read_text().split() if children.exists() else []
        if pids:
            return int(pids[0])
        time.sleep(0.1)
    return master


def _cpu_seconds(pid: int | tuple[int, ...]) -> float:
    """Return the CPU time (user + system) a process (or several, together) has used so far."""
    if isinstance(pid, tuple):
        return sum(_cpu_seconds(one) for one in pid)
    if not Path(f"/proc/{pid}").exists():
        raise RuntimeError(f"the gunicorn worker {pid} is gone; its log: {LOG}\n{LOG.read_text()[-3000:]}")
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def get(port: int, path: str) -> int:
    """GET a path once on a new connection; return the status."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def drive(result: Result, server_: tuple[int, int], paths: list[str], *, clients: int = 4,
          max_seconds: float = 60, warmup: int = 10) -> Result:
    """Request the paths with `clients` threads (keep-alive), at most max_seconds; record the latencies and
    the server's CPU time per request."""
    port, worker_pid = server_
    for path in paths[:warmup]:
        get(port, path)
    cpu_before = _cpu_seconds(worker_pid)
    chunks = [paths[n::clients] for n in range(clients)]
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures: list[str] = []
    deadline = time.perf_counter() + max_seconds

    def run(index: int) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        try:
            for path in chunks[index]:
                if time.perf_counter() > deadline:
                    break
                started = time.perf_counter()
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                latencies[index].append((time.perf_counter() - started) * 1000)
                if response.status != 200:
                    failures.append(f"{response.status} {path}")
                if response.will_close:
                    connection.close()
                    connection = http.client.HTTPConnection(HOST, port, timeout=30)
        finally:
            connection.close()

    workers = [threading.Thread(target=run, args=(n,), daemon=True) for n in range(clients)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=max_seconds + 60)
    result.seconds = time.perf_counter() - started
    result.latencies_ms = [ms for client in latencies for ms in client]
    result.count = len(result.latencies_ms)
    if result.count:
        result.server_cpu_ms = (_cpu_seconds(worker_pid) - cpu_before) * 1000 / result.count
    if failures:
        result.notes.append(f"{len(failures)} failed requests, e.g. {failures[0]}")
    return result


def bench_pages(app: Flask, backend: str, url: str, *, n: int = 300, clients: int = 4,
                seed: int = 4) -> list[Result]:
    """The think tank page, the idea list and the search page over HTTP: latency with one client (the
    targets), then throughput with `clients` clients at once; then the API's idea list with one client."""
    rng = random.Random(seed)
    with app.app_context():
        slugs = bench_thinktank_slugs()

    def list_paths() -> list[str]:
        return [f"/thinktanks/{rng.choice(slugs)}/ideas?sort={rng.choice(ops.SORTS)}"
                f"&page={rng.choice([1, 1, 1, 1, 2, 2, 3, 5, 10, 50])}" for _ in range(n)]

    def search_paths() -> list[str]:
        return [f"/thinktanks/{rng.choice(slugs)}/ideas?q={quote(rng.choice(SEARCHES))}"
                f"&sort={rng.choice(ops.SORTS)}" for _ in range(n)]

    def api_paths() -> list[str]:
        return [f"/api/v1/thinktanks/{rng.choice(slugs)}/ideas?sort={rng.choice(ops.SORTS)}"
                f"&page={rng.choice([1, 1, 1, 1, 2, 2, 3, 5, 10, 50])}" for _ in range(n)]

    results = []
    with server(url) as served:
        results.append(drive(Result("thinktank page (http)", backend), served,
                             [f"/thinktanks/{rng.choice(slugs)}" for _ in range(n // 2)], clients=1))
        if get(served[0], f"/thinktanks/{slugs[0]}/ideas") == 404:
            reason = "GET /thinktanks/<slug>/ideas does not exist yet (the ideas web views)"
            return [*results, Result("list (http)", backend, skipped=reason),
                    Result("search (http)", backend, skipped=reason)]
        pages = (("list", list_paths, LIST_P95_MS), ("search", search_paths, SEARCH_P95_MS))
        for name, paths, target in pages:
            latency = drive(Result(f"{name} (http)", backend), served, paths(), clients=1)
            latency.check(p95_ms=target)
            throughput = drive(Result(f"{name} (http, {clients} clients)", backend), served, paths(),
                               clients=clients)
            results += [latency, throughput]
        # The API's list: the same pages as JSON, each idea with its body rendered (body_html).
        api = drive(Result("api list (http)", backend), served, api_paths(), clients=1)
        api.check(p95_ms=LIST_P95_MS)
        results.append(api)
    return results
