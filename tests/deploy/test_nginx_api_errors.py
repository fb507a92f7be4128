"""nginx answers the API's requests with problem+json when it cannot reach the app (every process stopped) or
refuses a request itself, and leaves the pages' errors and the app's own answers alone.

nginx runs alone here, with the configuration deploy/serve-prod writes (deploy/nginx/samen-proxy.conf's locations)
and upstream ports where no process listens: what the site looks like when all its processes are stopped.
"""
from __future__ import annotations

import http.client
import json
import subprocess
from collections.abc import Iterator
from importlib.machinery import SourceFileLoader
from importlib.util import module_from_spec, spec_from_loader
from pathlib import Path
from typing import Any

import pytest

from tests.deploy import serveprod

pytestmark = [pytest.mark.nginx, pytest.mark.integration]


def _serve_prod_module() -> Any:
    loader = SourceFileLoader("serve_prod", str(serveprod.SERVE_PROD))
    module = module_from_spec(spec_from_loader("serve_prod", loader))
    loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def stopped_site(nginx: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """Run nginx in front of two app ports where nothing listens; return nginx's port."""
    serve_prod = _serve_prod_module()
    directory = tmp_path_factory.mktemp("nginx")
    (directory / "tmp").mkdir()
    port, *workers = serveprod.free_ports(3)
    (directory / "nginx.conf").write_text(serve_prod.nginx_config(directory, "127.0.0.1", port, workers,
                                                                   server_name="127.0.0.1"))
    command = serve_prod.nginx_command(nginx, directory, "-g", "daemon off;")
    checked = subprocess.run(serve_prod.nginx_command(nginx, directory, "-t", "-q"), capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        serve_prod.wait_until_up(f"http://127.0.0.1:{port}/static/css/samen.css", process, "nginx",
                                 directory / "error.log")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=15)


def _request(port: int, method: str, path: str, body: bytes | None = None) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=body, headers={"Accept": "application/json"})
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("method, path", [("GET", "/api/v1/thinktanks"), ("POST", "/api/v1/tokens")])
def test_the_api_gets_problem_json_502_when_no_process_answers(stopped_site: int, method: str, path: str) -> None:
    status, content_type, body = _request(stopped_site, method, path, b"{}" if method == "POST" else None)
    assert status == 502
    assert content_type == "application/problem+json"
    problem = json.loads(body)
    assert problem["status"] == 502 and problem["code"] == "unavailable"
    assert len(problem["request_id"]) == 32  # nginx's $request_id, as in its access log


def test_a_too_large_api_request_gets_problem_json_413(stopped_site: int) -> None:
    status, content_type, body = _request(stopped_site, "POST", "/api/v1/tokens", b"x" * (3 * 1024 * 1024))
    assert status == 413
    assert content_type == "application/problem+json"
    assert json.loads(body)["status"] == 413


def test_pages_keep_nginxs_html_error_page(stopped_site: int) -> None:
    status, content_type, _body = _request(stopped_site, "GET", "/thinktanks/")
    assert status == 502 and content_type.startswith("text/html")


def test_the_production_site_has_the_same_api_errors() -> None:
    """samen.conf includes the same snippet that serve-prod's configuration includes."""
    production = (serveprod.ROOT / "deploy" / "nginx" / "samen.conf").read_text()
    assert "include snippets/samen-proxy.conf;" in production
    snippet = Path(serveprod.ROOT / "deploy" / "nginx" / "samen-proxy.conf").read_text()
    for status in (413, 429, 502, 503, 504):
        assert f"error_page {status} @samen_api_{status};" in snippet
