"""bench/side_by_side.py's quick mode end to end (issue #19): the bench data at 1,000 ideas, Samen in gunicorn as
in production and the Flask hello, wrk on every public page, a stand-in peer measured in the same run, the table
and the results file."""
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

import pytest

from bench import side_by_side
from samen import ROOT
from tests.conftest import skip_or_fail

pytestmark = [pytest.mark.integration]


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
