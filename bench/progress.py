"""The public progress page, an action's page and GET /api/v1/progress: in-process (the Flask test client, one
request after another) and over HTTP through gunicorn on 127.0.0.1, plus conditional requests (If-None-Match
with the page's ETag, answered 304 after one query of aggregates)."""
from __future__ import annotations

import http.client
import random
import time

from flask import Flask
from sqlalchemy import select

from bench.pages import HOST, _cpu_seconds, drive, server
from bench.stats import Result, run_sequentially
from samen.actions.models import ActionItem
from samen.core.database import db
from samen.demo.bench import SLUG_PREFIX
from samen.thinktanks.models import ThinkTank

PROGRESS_P95_MS = 50


def _public_action_ids(app: Flask) -> list[int]:
    with app.app_context():
        tanks = select(ThinkTank.id).where(ThinkTank.slug.startswith(SLUG_PREFIX))
        return list(db.session.scalars(select(ActionItem.id).where(ActionItem.public.is_(True),
                                                                   ActionItem.thinktank_id.in_(tanks))))


def _paths(app: Flask, rng: random.Random, n: int) -> dict[str, list[str]]:
    ids = _public_action_ids(app)
    return {"progress page": ["/progress"] * n,
            "action page": [f"/progress/actions/{rng.choice(ids)}" for _ in range(n)],
            "api progress": ["/api/v1/progress"] * n}


SLOW_SECONDS = 20  # each run stops after this long: the progress page can take a second or more


def _in_process(app: Flask, name: str, backend: str, paths: list[str], *, etag: bool = False) -> Result:
    """One request after another through the test client: the app's whole work without a server."""
    client = app.test_client()
    headers = {}
    if etag:
        tag = client.get(paths[0]).headers["ETag"]
        headers = {"If-None-Match": tag}
    expected = 304 if etag else 200
    failures: list[str] = []

    def call(path: str):
        def run() -> None:
            status = client.get(path, headers=headers).status_code
            if status != expected:
                failures.append(f"{status} {path}")
        return run

    result = run_sequentially(Result(name, backend), [call(path) for path in paths], warmup=3,
                              max_seconds=SLOW_SECONDS)
    if failures:
        result.notes.append(f"{len(failures)} unexpected answers, e.g. {failures[0]}")
    return result


def _conditional_http(result: Result, served: tuple[int, int], path: str, n: int,
                      max_seconds: float = SLOW_SECONDS) -> Result:
    """GET path once for its ETag, then n times with If-None-Match on one keep-alive connection: 304s."""
    port, worker_pid = served
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path)
        first = connection.getresponse()
        first.read()
        tag = first.getheader("ETag")
        cpu_before = _cpu_seconds(worker_pid)
        started = time.perf_counter()
        statuses = []
        for _ in range(n):
            began = time.perf_counter()
            connection.request("GET", path, headers={"If-None-Match": tag})
            response = connection.getresponse()
            response.read()
            result.latencies_ms.append((time.perf_counter() - began) * 1000)
            statuses.append(response.status)
            if time.perf_counter() - started > max_seconds:
                result.notes.append(f"stopped after {max_seconds:g} s")
                break
        result.seconds = time.perf_counter() - started
        result.count = len(result.latencies_ms)
        result.server_cpu_ms = (_cpu_seconds(worker_pid) - cpu_before) * 1000 / max(1, result.count)
        others = [status for status in statuses if status != 304]
        if others:
            result.notes.append(f"{len(others)} answers other than 304, e.g. {others[0]}")
    finally:
        connection.close()
    return result


def bench_progress(app: Flask, backend: str, url: str, *, n: int = 300, clients: int = 4,
                   seed: int = 5) -> list[Result]:
    """The progress page (target p95 <= 50 ms), an action page and the API's summary: in-process, then over
    HTTP with one client (latency) and `clients` clients (throughput); and a conditional request (304)."""
    rng = random.Random(seed)
    paths = _paths(app, rng, n)
    results = []
    for name, some in paths.items():
        result = _in_process(app, f"{name} (app)", backend, some)
        if name == "progress page":
            result.check(p95_ms=PROGRESS_P95_MS)
        results.append(result)
    results.append(_in_process(app, "progress 304 (app)", backend, paths["progress page"], etag=True))
    with server(url) as served:
        for name, some in paths.items():
            latency = drive(Result(f"{name} (http)", backend), served, some, clients=1, warmup=3,
                            max_seconds=SLOW_SECONDS)
            if name == "progress page":
                latency.check(p95_ms=PROGRESS_P95_MS)
            throughput = drive(Result(f"{name} (http, {clients} cl.)", backend), served, some, clients=clients,
                               warmup=3, max_seconds=SLOW_SECONDS)
            results += [latency, throughput]
        results.append(_conditional_http(Result("progress 304 (http)", backend), served, "/progress", n))
    return results
