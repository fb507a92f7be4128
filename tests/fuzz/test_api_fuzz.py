"""The API under schemathesis: requests generated from the OpenAPI document — valid, nearly valid and
nonsense, one operation after another and in chains — must never make the server fail (5xx).

schemathesis runs from a virtualenv of its own (`make fuzz-tools`, which `make test` runs: .venv-fuzz), against
the app served on a free local port over a fresh database with the demo plan, with a chair's API token (a chair
reaches the most operations). The seed is fixed, so a failure can be repeated; schemathesis prints each failing
request as a curl command.
"""
from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from samen import ROOT, create_app
from samen.accounts import operations as account_ops
from samen.accounts.models import User
from samen.core import migrate
from samen.core.database import db
from samen.demo.loader import load_demo
from tests.conftest import make_config, skip_or_fail

pytestmark = pytest.mark.fuzz

SCHEMATHESIS = Path(os.environ.get("SCHEMATHESIS", ROOT / ".venv-fuzz" / "bin" / "schemathesis"))
CHAIR = "voorzitter@samen.local"  # a chair in the demo plan


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """Serve the app over a fresh database with the demo plan; yield its address and a chair's API token."""
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}"
    app = create_app(make_config(url, RATELIMIT_ENABLED=False))
    with app.app_context():
        migrate.upgrade()
        load_demo()
        token = account_ops.create_api_token(db.session.query(User).filter_by(email=CHAIR).one(), name="fuzz")
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="samen-fuzz-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", token
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()


def test_no_request_makes_the_api_fail(served: tuple[str, str], tmp_path: Path) -> None:
    if not SCHEMATHESIS.exists():
        skip_or_fail(f"schemathesis is not installed at {SCHEMATHESIS} (make fuzz-tools)")
    base, token = served
    command = [str(SCHEMATHESIS), "run", f"{base}/api/v1/openapi.json", "--url", f"{base}/api/v1",
               "-H", f"Authorization: Bearer {token}", "--checks", "not_a_server_error",
               "--max-examples", "25", "--seed", "20261203", "--workers", "1", "--no-color"]
    # In its own folder: schemathesis (hypothesis) keeps an example database where it runs.
    finished = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    output = finished.stdout + finished.stderr
    assert finished.returncode == 0, output[-6000:]
    assert "generated" in output and " 0 passed" not in output, output[-3000:]  # it did test something
