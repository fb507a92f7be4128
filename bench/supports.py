"""Supporting under load: threads that each support different ideas as different members, and nothing lost.

Every support is one request's work: a fresh app context and session, the idea (with its think tank, as the
support route loads it) and the member loaded, ops.support_idea, one commit. Afterwards the rows and the counters
are counted; then the benchmark's supports are removed again, so that the data set stays the same from run to run.
"""
from __future__ import annotations

import os
import random
import threading
import time
from contextlib import ExitStack

from flask import Flask
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import joinedload

from bench.stats import Result
from samen.accounts.models import User
from samen.core.database import db, utcnow

from samen.demo.bench import SLUG_PREFIX
from samen.ideas import operations as ops
from samen.ideas.models import OPEN_STATUSES, Idea, Support
from samen.thinktanks.models import Membership, ThinkTank

SUPPORTS_PER_SECOND = 300


def _pairs(app: Flask, rng: random.Random, total: int) -> list[tuple[int, int]]:
    """Return `total` (idea, member) pairs: each a different open idea, and a member not supporting it yet."""
    with app.app_context():
        tanks = select(ThinkTank.id).where(ThinkTank.slug.startswith(SLUG_PREFIX))
        ideas = list(db.session.execute(
            select(Idea.id, Idea.thinktank_id).where(Idea.thinktank_id.in_(tanks), Idea.hidden_at.is_(None),
                                                     Idea.withdrawn_at.is_(None),
                                                     Idea.status.in_(OPEN_STATUSES))))
        chosen = rng.sample(ideas, min(total, len(ideas)))
        members: dict[int, list[int]] = {}
        memberships = (select(Membership.thinktank_id, Membership.user_id)
                       .where(Membership.thinktank_id.in_(tanks)))
        for tank_id, user_id in db.session.execute(memberships):
            members.setdefault(tank_id, []).append(user_id)
        supported = {tuple(row) for row in db.session.execute(select(Support.idea_id, Support.user_id).where(
            Support.idea_id.in_([idea_id for idea_id, _ in chosen])))}
    pairs = []
    for idea_id, tank_id in chosen:
        for _ in range(100):
            user_id = rng.choice(members[tank_id])
            if (idea_id, user_id) not in supported:
                pairs.append((idea_id, user_id))
                break
    return pairs


def _totals(app: Flask) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Support)) or 0,
                db.session.scalar(select(func.sum(Idea.support_count))) or 0)


def bench_support(app: Flask, backend: str, *, total: int = 3000, threads: int = 8, seed: int = 3,
                  max_seconds: float = 120) -> Result:
    """Supports per second with `threads` threads; then count rows and counters: none may be lost."""
    result = Result(f"support ({threads} threads)", backend)
    pairs = _pairs(app, random.Random(seed), total)
    rows_before, counters_before = _totals(app)
    with app.app_context():
        last_id = db.session.scalar(select(func.max(Support.id))) or 0
    chunks = [pairs[n::threads] for n in range(threads)]
    latencies: list[list[float]] = [[] for _ in range(threads)]
    cpu: list[list[float]] = [[] for _ in range(threads)]
    errors: list[BaseException] = []
    added = [0] * threads
    barrier = threading.Barrier(threads + 1)
    deadline = time.perf_counter() + max_seconds

    def work(index: int) -> None:
        barrier.wait()
        for idea_id, user_id in chunks[index]:
            if time.perf_counter() > deadline:
                break
            started, cpu_started = time.perf_counter(), time.thread_time()
            try:
                with app.app_context():
                    # As the support route loads it: the idea with its think tank, in one query.
                    idea = db.session.get(Idea, idea_id, options=[joinedload(Idea.thinktank)])
                    user = db.session.get(User, user_id)
                    added[index] += ops.support_idea(idea, user)
                    db.session.commit()
            except Exception as error:  # noqa: BLE001 - counted and reported: the benchmark fails on any
                errors.append(error)
            latencies[index].append((time.perf_counter() - started) * 1000)
            cpu[index].append((time.thread_time() - cpu_started) * 1000)

    workers = [threading.Thread(target=work, args=(n,), daemon=True) for n in range(threads)]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join(timeout=max_seconds + 60)
    result.seconds = time.perf_counter() - started
    result.latencies_ms = [ms for thread_latencies in latencies for ms in thread_latencies]
    result.cpu_ms = [ms for thread_cpu in cpu for ms in thread_cpu]
    result.count = sum(added)

    rows_after, counters_after = _totals(app)
    attempted = len(result.latencies_ms)
    lost = {"attempted": attempted, "added": sum(added), "errors": len(errors),
            "new rows": rows_after - rows_before, "counter increase": counters_after - counters_before}
    result.notes.append(", ".join(f"{key} {value}" for key, value in lost.items()))
    if errors:
        result.notes.append(f"first error: {errors[0]!r}")
    consistent = attempted == sum(added) == rows_after - rows_before == counters_after - counters_before
    result.check(per_second=SUPPORTS_PER_SECOND)
    result.intact = consistent and not errors
    if not result.intact:
        result.notes.append("DATA LOST OR ERRORS: the rows and counters do not match the supports made")

    _restore(app, [idea_id for idea_id, _ in pairs], last_id)
    assert _totals(app) == (rows_before, counters_before), "could not restore the data set"
    return result


def _restore(app: Flask, touched: list[int], last_id: int) -> None:
    """Put the data set back as it was: remove the benchmark's supports and count the ideas' supports again."""
    with app.app_context():
        db.session.execute(delete(Support).where(Support.id > last_id))
        rows = select(func.count()).select_from(Support).where(Support.idea_id == Idea.id).scalar_subquery()
        for start in range(0, len(touched), 500):
            db.session.execute(update(Idea).where(Idea.id.in_(touched[start:start + 500]))
                               .values(support_count=rows))
        db.session.commit()
        if db.dialect == "postgresql":  # the updates left dead rows behind: clean them up as autovacuum would
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE ideas, supports"))


def bench_support_http(app: Flask, backend: str, url: str, *, total: int = 3000, clients: int = 8,
                       workers: int = 1, client: str = "python", minimal: bool = False, seed: int = 5,
                       max_seconds: float = 120) -> Result:
    """Supports per second through the API (`PUT /api/v1/ideas/<id>/support`) on gunicorn, from `clients`
    keep-alive connections, each request as a different member with a personal token; then rows and counters
    are counted as above, and the supports and tokens removed again.

    `workers`: gunicorn servers of one process (8 threads) each, on ports of their own, as in deploy/ (where
    nginx spreads the requests); the connections are spread evenly over them. (One gunicorn with two workers
    on one port does not spread a few kept-alive connections: often one worker accepts them all.)

    `client`: "python" — `clients` threads with http.client, in this process, on the same cores as the server;
    "wrk" — wrk (Debian's package) with `clients` connections on two threads, which costs the machine far less
    CPU per request. `minimal`: send `Prefer: return=minimal`, which the API answers with 204 and no body."""
    from bench.pages import _cpu_seconds, server
    from samen.accounts import operations as account_ops
    from samen.accounts.models import ApiToken

    processes = "1 process" if workers == 1 else f"{workers} processes"
    answer = ", 204" if minimal else ""
    result = Result(f"support (http api, {processes}, {client} {clients}{answer})", backend)
    pairs = _pairs(app, random.Random(seed), total)
    rows_before, counters_before = _totals(app)
    with app.app_context():
        last_id = db.session.scalar(select(func.max(Support.id))) or 0
        last_token = db.session.scalar(select(func.max(ApiToken.id))) or 0
        tokens = {user_id: account_ops.create_api_token(db.session.get(User, user_id), name="bench")
                  for user_id in sorted({user_id for _, user_id in pairs})}
        # As tokens in use: a token's first request of the hour also records when it was used (one UPDATE and
        # commit more), which every new token here would otherwise pay in the measured window.
        db.session.execute(update(ApiToken).where(ApiToken.id > last_token).values(last_used_at=utcnow()))
        db.session.commit()
    requests = [(idea_id, tokens[user_id]) for idea_id, user_id in pairs]
    failures: list[str] = []
    try:
        with ExitStack() as servers:
            served = [servers.enter_context(server(url)) for _ in range(workers)]
            ports, processes_ = [port for port, _ in served], tuple(pid for _, pid in served)
            drive = _drive_wrk if client == "wrk" else _drive_python
            cpu_before = _cpu_seconds(processes_)
            added, attempted = drive(app, result, ports, requests, clients=clients, minimal=minimal,
                                     last_id=last_id, failures=failures, max_seconds=max_seconds)
            result.count = added
            if attempted:
                result.server_cpu_ms = (_cpu_seconds(processes_) - cpu_before) * 1000 / attempted
        rows_after, counters_after = _totals(app)
        result.notes.append(f"attempted {attempted}, added {added}, failed {len(failures)}, "
                            f"new rows {rows_after - rows_before}, counter increase {counters_after - counters_before}")
        if failures:
            result.notes.append(f"first failure: {failures[0]}")
        result.check(per_second=SUPPORTS_PER_SECOND)
        result.intact = not failures and attempted == added == rows_after - rows_before == (
            counters_after - counters_before)
        if not result.intact:
            result.notes.append("DATA LOST OR ERRORS: the rows and counters do not match the supports made")
    finally:
        with app.app_context():
            db.session.execute(delete(ApiToken).where(ApiToken.id > last_token))
            db.session.commit()
        _restore(app, [idea_id for idea_id, _ in pairs], last_id)
    assert _totals(app) == (rows_before, counters_before), "could not restore the data set"
    return result


def _drive_python(app: Flask, result: Result, ports: list[int], requests: list[tuple[int, str]], *, clients: int,
                  minimal: bool, last_id: int, failures: list[str], max_seconds: float) -> tuple[int, int]:
    """Send the requests from `clients` threads, each with a kept-alive connection (to the servers in turn);
    return (added, attempted)."""
    import http.client

    from bench.pages import HOST

    chunks = [requests[n::clients] for n in range(clients)]
    latencies: list[list[float]] = [[] for _ in range(clients)]
    added = [0] * clients
    headers = {"Prefer": "return=minimal"} if minimal else {}

    def work(index: int) -> None:
        connection = http.client.HTTPConnection(HOST, ports[index % len(ports)], timeout=30)
        try:
            for idea_id, token in chunks[index]:
                if time.perf_counter() > deadline:
                    break
                started = time.perf_counter()
                connection.request("PUT", f"/api/v1/ideas/{idea_id}/support",
                                   headers={**headers, "Authorization": f"Bearer {token}"})
                response = connection.getresponse()
                body = response.read()
                latencies[index].append((time.perf_counter() - started) * 1000)
                if (response.status == 204 if minimal else
                        response.status == 200 and b'"supported_by_me":true' in body.replace(b" ", b"")):
                    added[index] += 1
                else:
                    failures.append(f"{response.status} {body[:200]!r}")
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(n,), daemon=True) for n in range(clients)]
    deadline = time.perf_counter() + max_seconds
    started = time.perf_counter()
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=max_seconds + 60)
    result.seconds = time.perf_counter() - started
    result.latencies_ms = [ms for client in latencies for ms in client]
    return sum(added), len(result.latencies_ms)


def _drive_wrk(app: Flask, result: Result, ports: list[int], requests: list[tuple[int, str]], *, clients: int,
               minimal: bool, last_id: int, failures: list[str], max_seconds: float) -> tuple[int, int]:
    """Send the requests with wrk (bench/support.lua), one connection per wrk thread, one wrk per server with
    its share of the connections and requests; the time is from starting wrk until the last support is in the
    database (polled every 20 ms). Return (added, attempted)."""
    import shutil
    import signal
    import subprocess
    import tempfile
    from pathlib import Path

    from bench.pages import HOST

    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    with tempfile.TemporaryDirectory() as folder:
        runs = []
        for n, port in enumerate(ports):
            threads = len(range(n, clients, len(ports)))  # one connection per thread: support.lua times each
            pairs_file, result_file = Path(folder, f"pairs{n}"), Path(folder, f"result{n}")
            pairs_file.write_text("".join(f"{idea_id} {token}\n" for idea_id, token in requests[n::len(ports)]))
            env = {**os.environ, "SUPPORT_PAIRS": str(pairs_file), "SUPPORT_RESULT": str(result_file),
                   "SUPPORT_THREADS": str(threads), "SUPPORT_PREFER": "minimal" if minimal else ""}
            command = [wrk, "-t", str(threads), "-c", str(threads), "-d", f"{int(max_seconds) + 60}s",
                       "--timeout", "30s", "-s", str(Path(__file__).with_name("support.lua")),
                       f"http://{HOST}:{port}"]
            runs.append((command, env, result_file))
        started = time.perf_counter()
        processes = [subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                     for command, env, _ in runs]
        try:
            with app.app_context():
                while time.perf_counter() - started < max_seconds and all(p.poll() is None for p in processes):
                    stored = db.session.scalar(select(func.count()).where(Support.id > last_id)) or 0
                    db.session.rollback()  # a new snapshot next time
                    if stored >= len(requests):
                        break
                    time.sleep(0.02)
            result.seconds = time.perf_counter() - started
            time.sleep(0.5)  # the last answers reach wrk
        finally:
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGINT)  # wrk stops, then runs done(), which writes the result
            stderr = b"".join(process.communicate(timeout=60)[1] for process in processes)
        added = attempted = errors = 0
        for _, _, result_file in runs:
            if not result_file.exists():
                raise RuntimeError(f"wrk wrote no result: {stderr.decode()[-2000:]}")
            lines = result_file.read_text().splitlines()
            values = dict(line.split(" ", 1) for line in lines if " " in line and not line.startswith("ms "))
            result.latencies_ms += [float(line[3:]) for line in lines if line.startswith("ms ")]
            failed = int(values["failed"])
            added, attempted, errors = (added + int(values["added"]), attempted + int(values["added"]) + failed,
                                        errors + int(values["errors"]))
            failures.extend([values.get("failure", "").strip()] * failed)
    if errors:  # stopping wrk can cut a kept-alive connection; what counts is that every support is there
        result.notes.append(f"wrk: {errors} socket errors")
    return added, attempted
