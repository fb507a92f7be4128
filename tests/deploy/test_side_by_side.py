"""bench/side_by_side.py (issue #19): its quick mode end to end — the bench data at 1,000 ideas, Samen in gunicorn
as in production and the Flask hello, wrk on every public page, a stand-in peer measured in the same run, the
table and the results file — and, without servers, the order of the runs, the ratios and the options."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bench import side_by_side
from samen import ROOT
from samen.demo.bench import Sizes
from tests.conftest import skip_or_fail


class _Peer(BaseHTTPRequestHandler):
    """A stand-in for a peer's server (an adhocracy+ is not available here): a small page, kept alive."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        body = b"<html><body>peer</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def peer() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Peer)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.integration
def test_quick_run_measures_every_page_beside_the_hello_and_a_peer(tmp_path: Path, peer: str) -> None:
    if side_by_side.find_wrk() is None:
        skip_or_fail("wrk is not installed (Debian: apt-get install wrk; .ci/run installs it)")
    results = tmp_path / "side-by-side.json"
    finished = subprocess.run(
        [sys.executable, "-m", "bench.side_by_side", "--quick", "--seconds", "1",
         "--database", f"sqlite:///{tmp_path / 'bench.db'}", "--results", str(results),
         "--peer", peer, "--peer-page", "home=/"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]
    table = finished.stdout[re.search(r"^page +conns", finished.stdout, re.MULTILINE).start():]
    lines = {line.split("  ")[0].strip(): line for line in table.splitlines()}
    assert "hello (ceiling)" in lines
    assert "peer: home" in lines

    data = json.loads(results.read_text())
    rows = {(row["target"], row["page"]): row for row in data["rows"]}
    assert set(data["pages"]) == set(side_by_side.PAGES)
    for page in side_by_side.PAGES:
        row = rows["samen", page]
        assert row["per_second"] > 0 and row["errors"] == 0, row
        assert 0 < row["to_hello"] < 1.5 and row["cpu_ms_per_request"] > 0, row
        assert page in lines and lines[page].split()[1] == "1", lines  # one connection in quick mode
    hello = rows["hello", "hello"]
    assert hello["per_second"] > 0 and hello["runs"] == 2  # before the first page and after the last
    assert rows["peer", "home"]["per_second"] > 0
    assert rows["samen", "home"]["to_peer"] == pytest.approx(
        rows["samen", "home"]["per_second"] / rows["peer", "home"]["per_second"], rel=0.01)
    assert "Samen ÷ peer" in table and "load at start" in finished.stdout
    assert len(data["load_start"]) == 3 and len(data["load_end"]) == 3


def test_sizes_scale_from_the_default_data_set() -> None:
    assert side_by_side.sizes_for(20_000) == Sizes()
    small = side_by_side.sizes_for(1000)
    assert (small.ideas, small.supports, small.comments, small.members, small.actions) == (1000, 10_000, 2500, 200,
                                                                                            100)
    large = side_by_side.sizes_for(100_000)
    assert (large.supports, large.comments, large.actions) == (1_000_000, 250_000, 2000)  # the 2,000 actions


def test_the_hello_runs_between_the_pages_and_the_peer_right_after_samen() -> None:
    order = side_by_side.schedule(["home", "idea"], {"idea": "http://peer/idea"})
    assert order == [("hello", "hello"), ("samen", "home"), ("hello", "hello"), ("samen", "idea"), ("peer", "idea"),
                     ("hello", "hello")]
    quick = side_by_side.schedule(["home", "idea", "search"], {}, hello_each=False)
    assert quick == [("hello", "hello"), ("samen", "home"), ("samen", "idea"), ("samen", "search"), ("hello", "hello")]


def _run(target: str, page: str, per_second: float, connections: int = 1, cpu: float | None = 1.0,
         errors: int = 0) -> dict[str, Any]:
    return {"target": target, "page": page, "connections": connections, "per_second": per_second, "p50_ms": 1.0,
            "p95_ms": 2.0, "cpu_ms_per_request": cpu, "socket_errors": 0, "status_errors": errors}


def test_a_page_is_divided_by_the_hello_runs_around_it_and_by_the_peer() -> None:
    sequence = [_run("hello", "hello", 1000), _run("samen", "idea", 100), _run("peer", "idea", 10, cpu=None),
                _run("hello", "hello", 3000), _run("samen", "search", 60), _run("hello", "hello", 1000)]
    side_by_side.set_ratios(sequence)
    assert sequence[1]["to_hello"] == 0.05  # 100 / mean(1000, 3000)
    assert sequence[2]["to_hello"] == 0.005
    assert sequence[4]["to_hello"] == 0.03  # 60 / mean(3000, 1000)
    second = [_run("hello", "hello", 2000), _run("samen", "idea", 300), _run("peer", "idea", 30, cpu=None),
              _run("hello", "hello", 2000)]
    side_by_side.set_ratios(second)
    rows = {(row["target"], row["page"]): row for row in side_by_side.summarise(sequence + second)}
    idea = rows["samen", "idea"]
    assert idea["runs"] == 2 and idea["per_second"] == 200 and idea["per_second_range"] == [100, 300]
    assert idea["to_hello"] == pytest.approx((0.05 + 0.15) / 2)
    assert idea["to_peer"] == 10  # 200 / 20
    assert rows["peer", "idea"]["cpu_ms_per_request"] is None and rows["peer", "idea"]["to_peer"] is None
    assert rows["hello", "hello"]["runs"] == 5 and rows["hello", "hello"]["to_hello"] is None
    table = side_by_side.table(list(rows.values()))
    assert "hello (ceiling)" in table and "peer: idea" in table and "10.00×" in table and "15.0%" not in table
    assert "10.0%" in table  # idea: (5 % + 15 %) / 2


def test_peer_pages_from_paths_urls_and_a_file(tmp_path: Path) -> None:
    parser = side_by_side.argparse.ArgumentParser()

    def pages(*argv: str) -> dict[str, str]:
        args = side_by_side.argparse.Namespace(peer=None, peer_page=[], peer_pages=None)
        for option, value in zip(argv[::2], argv[1::2], strict=True):
            if option == "--peer-page":
                args.peer_page.append(value)
            else:
                setattr(args, option.lstrip("-").replace("-", "_"), value)
        return side_by_side.read_peer_pages(args, parser)

    assert pages("--peer", "http://127.0.0.1:8004/", "--peer-page", "idea=/org/ideas/2026-00001/") == {
        "idea": "http://127.0.0.1:8004/org/ideas/2026-00001/"}
    assert pages("--peer", "http://127.0.0.1:8004") == {"home": "http://127.0.0.1:8004/"}
    peer_file = tmp_path / "peer.json"
    peer_file.write_text(json.dumps({"ideas": "http://peer/org/projects/p/"}))
    assert pages("--peer-pages", str(peer_file), "--peer-page", "search=http://peer/s?search=x") == {
        "ideas": "http://peer/org/projects/p/", "search": "http://peer/s?search=x"}
    for wrong in (("--peer-page", "idea=/no/base"), ("--peer-page", "nothing"),
                  ("--peer-page", "frontpage=http://peer/")):
        with pytest.raises(SystemExit):
            pages(*wrong)
