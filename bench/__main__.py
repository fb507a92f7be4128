"""`python -m bench`: seed the benchmark databases if needed, run the benchmarks, print and save the results.

    python -m bench                  # everything, on SQLite (and PostgreSQL when a server is configured)
    python -m bench --list           # the benchmarks
    python -m bench list search --backend sqlite
    python -m bench --proposed-indexes   # with the indexes of bench/proposals.py, for this run only
    python -m bench --backend postgresql --ideas 2000 --supports 20000 --comments 5000   # small and quick
    python -m bench live --backend sqlite --participants 300   # the live meeting board (also: python -m bench.live)
    python -m bench load --backend postgresql    # residents and a 300-person meeting on serve-prod (bench.load)
    python -m bench.faults --short               # serve-prod with Redis, PostgreSQL, a worker failing (docs/faults.md)
    python -m bench.side_by_side                 # the public pages with wrk beside a Flask hello and a peer (#19)
    python -m bench.side_by_side --quick         # its smoke test: 1,000 ideas, 2 s runs, 1 connection

PostgreSQL: BENCH_POSTGRES_URL, or a database `samen_bench` created on TEST_DATABASE_URL's server.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import sys
import time
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

from flask import Flask

from bench import databases
from bench.proposals import proposed_indexes
from bench.stats import Result
from samen import ROOT
from samen.demo.bench import Sizes

RESULTS = ROOT / "bench" / "results"


def _list(app: Flask, backend: str, url: str, args: argparse.Namespace) -> list[Result]:
    from bench.queries import bench_list
    return [bench_list(app, backend, n=args.requests)]


def _search(app: Flask, backend: str, url: str, args: argparse.Namespace) -> list[Result]:
    from bench.queries import bench_search
    return [bench_search(app, backend, n=args.requests)]


def _breakdown(app: Flask, backend: str, url: str, args: argparse.Namespace) -> list[Result]:
    from bench.queries import breakdown
    return breakdown(app, backend)


def _http(app: Flask, backend: str, url: str, args: argparse.Namespace) -> list[Result]:
    from bench.pages import bench_pages
    return bench_pages(app, backend, url, n=args.requests, clients=args.clients)


def _support(app: Flask, backend: str, url: str, args: argparse.Namespace) -> list[Result]:
    from bench.supports import bench_support
    return [bench_support(app, backend, total=args.supports_to_add, threads=args.threads)]


def _support_http(app: Flask, backend: str, url: str, args: argparse.Namespace) -> list[Result]:
    from bench.supports import bench_support_http
    return [bench_support_http(app, backend, url, total=args.supports_to_add, clients=args.threads,
                               workers=args.workers, client=args.client, minimal=args.minimal)]


def _progress(app: Flask, backend: str, url: str, args: argparse.Namespace) -> list[Result]:
    from bench.progress import bench_progress
    return bench_progress(app, backend, url, n=args.requests, clients=args.clients)


def _live(app: Flask, backend: str, url: str, args: argparse.Namespace) -> list[Result]:
    from bench.live import bench_live
    return bench_live(app, backend, url, participants=args.participants, calm=args.calm)


def _load(app: Flask, backend: str, url: str, args: argparse.Namespace) -> list[Result]:
    from bench.load import bench_load
    return bench_load(app, backend, url, participants=args.participants, residents=args.residents,
                      ballots=args.ballots)


def _site_search(app: Flask, backend: str, url: str, args: argparse.Namespace) -> list[Result]:
    from bench.site_search import bench_site_search
    return bench_site_search(app, backend, n=args.requests)


BENCHMARKS: dict[str, tuple[Callable[..., list[Result]], str]] = {
    "list": (_list, "the idea list: ops.list_ideas, every sort, mostly first pages (target p95 <= 30 ms)"),
    "search": (_search, "search: ops.list_ideas with q: common, rare, prefixes, diacritics, operators "
                        "(target p95 <= 50 ms)"),
    "http": (_http, "the think tank page, the idea list and search pages through gunicorn on 127.0.0.1: "
                    "latency with 1 client (targets as above), throughput with 4; the API's idea list"),
    "support": (_support, "supporting from N threads, rows and counters checked after "
                          "(target >= 300/s, none lost)"),
    "support-http": (_support_http, "supporting through the API (PUT …/support) on gunicorn, one process, from N "
                                    "clients with tokens; rows and counters checked after (target >= 300/s)"),
    "progress": (_progress, "the public progress page (target p95 <= 50 ms), an action page and "
                            "GET /api/v1/progress, in-process and over HTTP; conditional requests (304)"),
    "site-search": (_site_search, "the site search (samen/search): in-process, GET /search and GET /api/v1/search, "
                                  "1 connection (target p95 <= 50 ms)"),
    "breakdown": (_breakdown, "each sort and each search query on its own, to find a slow one"),
    "live": (_live, "the live meeting board: N participants on WebSocket, chair commands and a ballot, on one "
                    "gunicorn process and on two via Redis (BENCH_REDIS_URL or TEST_REDIS_URL) "
                    "(target p95 <= 250 ms, none lost)"),
    "load": (_load, "the production set-up (deploy/serve-prod: nginx, two processes, Redis): residents browse, "
                    "post and support while N participants vote in a meeting (no errors, no vote lost)"),
}
DEFAULT = ["list", "search", "http", "support", "progress"]


def _machine() -> dict[str, Any]:
    with open("/proc/cpuinfo") as cpuinfo:
        cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")),
                   platform.processor())
    return {"cpu": cpu, "cores": os.cpu_count(), "load": os.getloadavg(), "python": platform.python_version()}


def main(argv: list[str] | None = None) -> int:
    # On SIGTERM (a timeout, a kill), unwind: the server and the temporary indexes are removed in `finally`.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("benchmarks", nargs="*", help=f"which to run (default: {' '.join(DEFAULT)})")
    parser.add_argument("--list", action="store_true", help="name the benchmarks and stop")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "all"], default="all",
                        help="all: SQLite, and PostgreSQL when a server is configured")
    defaults = Sizes()
    for size in ("ideas", "supports", "comments", "thinktanks", "members", "actions", "measurements",
                 "indicators"):
        parser.add_argument(f"--{size}", type=int, default=getattr(defaults, size))
    parser.add_argument("--reseed", action="store_true", help="seed again even if the data set is there")
    parser.add_argument("--proposed-indexes", action="store_true",
                        help="create the indexes of bench/proposals.py for this run (dropped afterwards)")
    parser.add_argument("--requests", type=int, default=300, help="requests per list/search benchmark")
    parser.add_argument("--clients", type=int, default=4, help="client threads for the HTTP throughput runs")
    parser.add_argument("--threads", type=int, default=8, help="threads for the support benchmark")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn processes of the support-http benchmark")
    parser.add_argument("--client", choices=["python", "wrk"], default="python",
                        help="support-http's client: threads with http.client, or wrk (less CPU per request)")
    parser.add_argument("--minimal", action="store_true",
                        help="support-http sends Prefer: return=minimal (answered with 204)")
    parser.add_argument("--strict", action="store_true", help="exit with 1 when a target is missed too")
    parser.add_argument("--participants", type=int, default=300, help="clients of the live and load benchmarks")
    parser.add_argument("--residents", type=int, default=24, help="signed-in residents of the load benchmark "
                                                                  "(a third more browse anonymously)")
    parser.add_argument("--ballots", type=int, default=3, help="ballots in the load benchmark's meeting")
    parser.add_argument("--calm", type=float, metavar="CORES",
                        help="live: before each run, wait until other work keeps fewer than CORES busy")
    parser.add_argument("--supports-to-add", type=int, default=3000,
                        help="how many supports the support benchmark adds (and removes again)")
    args = parser.parse_args(argv)
    if args.list:
        for name, (_, description) in BENCHMARKS.items():
            print(f"{name:<10} {description}")
        return 0
    unknown = set(args.benchmarks) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark: {', '.join(sorted(unknown))} (see --list)")
    chosen = args.benchmarks or DEFAULT

    sizes = Sizes(ideas=args.ideas, supports=args.supports, comments=args.comments,
                  thinktanks=args.thinktanks, members=args.members, actions=args.actions,
                  measurements=args.measurements, indicators=args.indicators)
    targets = []
    if args.backend in ("sqlite", "all"):
        targets.append(("sqlite", databases.sqlite_url()))
    if args.backend in ("postgresql", "all"):
        url = databases.postgres_url()
        if url:
            targets.append(("postgresql", url))
        elif args.backend == "postgresql":
            parser.error("set BENCH_POSTGRES_URL or TEST_DATABASE_URL for PostgreSQL")
        else:
            print("PostgreSQL: skipped (set BENCH_POSTGRES_URL or TEST_DATABASE_URL)")

    machine = _machine()
    print(f"machine: {machine['cpu']}, {machine['cores']} cores, load {machine['load'][0]:.2f}")
    print(f"data: {sizes}")
    results: list[Result] = []
    for backend, url in targets:
        print(f"== {backend}", flush=True)
        app = databases.prepare(url, sizes, reseed=args.reseed)
        with proposed_indexes(app) if args.proposed_indexes else nullcontext([]) as created:
            if created:
                print(f"  with the proposed indexes {', '.join(created)}")
            label = f"{backend}+ix" if args.proposed_indexes else backend
            for name in chosen:
                for result in BENCHMARKS[name][0](app, label, url, args):
                    results.append(result)
                    print(result.line(), flush=True)
                    for note in result.notes:
                        print(f"{'':<33} {note}")
        app.extensions["samen_db"]["engine"].dispose()

    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps({"machine": machine, "sizes": sizes.__dict__,
                                "results": [r.summary() for r in results]}, indent=2, ensure_ascii=False))
    print(f"saved {path.relative_to(ROOT)}")
    # Lost data always fails the run; a missed target only with --strict (timings depend on the machine).
    return 1 if any(not r.intact or (args.strict and r.ok is False) for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
