"""Every page is compressed by the production set-up (issue #19): nginx gzips HTML, CSS, JS, JSON, feeds and
SVG, in the site's server block that production (deploy/nginx/samen.conf) and deploy/serve-prod share through
deploy/nginx/samen-proxy.conf."""
from __future__ import annotations

import gzip
import http.client
import importlib.machinery
import importlib.util
import re
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail
from tests.deploy.serveprod import ROOT, find_nginx, free_ports

DEPLOY = ROOT / "deploy"
TYPES = {"text/css", "application/javascript", "application/json", "image/svg+xml", "application/atom+xml"}


def _directives(text: str) -> dict[str, str]:
    """Return the gzip directives of an nginx file (comments dropped, continued lines joined)."""
    text = re.sub(r"#[^\n]*", "", text)
    return {name: " ".join(value.split()) for name, value in re.findall(r"\b(gzip\w*)\s+([^;]+);", text)}


def test_the_shared_snippet_compresses_every_text_type() -> None:
    found = _directives((DEPLOY / "nginx" / "samen-proxy.conf").read_text())
    assert found["gzip"] == "on" and found["gzip_vary"] == "on" and found["gzip_proxied"] == "any"
    assert set(found["gzip_types"].split()) >= TYPES  # text/html: always, once gzip is on
    assert 1 <= int(found["gzip_comp_level"]) <= 6


def test_production_and_serve_prod_read_the_snippet_in_the_sites_server_block() -> None:
    site = (DEPLOY / "nginx" / "samen.conf").read_text()
    tls_server = site[site.index("listen 443 ssl http2;"):]
    assert "include snippets/samen-proxy.conf;" in tls_server
    assert "gzip off" not in site
    config = _serve_prod().nginx_config(Path("/tmp/x"), "127.0.0.1", 8080, [8001], "localhost")
    assert f'include {DEPLOY / "nginx" / "samen-proxy.conf"};' in config and "gzip off" not in config


def _serve_prod():
    loader = importlib.machinery.SourceFileLoader("serve_prod", str(DEPLOY / "serve-prod"))
    spec = importlib.util.spec_from_loader("serve_prod", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@pytest.mark.integration
def test_nginx_as_serve_prod_writes_it_sends_compressed_files(tmp_path: Path) -> None:
    """Start nginx with serve-prod's configuration (no app behind it: static files only) and ask for them."""
    nginx = find_nginx()
    if nginx is None:
        skip_or_fail("nginx is not installed")
    serve_prod = _serve_prod()
    port, dead = free_ports(2)
    (tmp_path / "tmp").mkdir()
    (tmp_path / "nginx.conf").write_text(serve_prod.nginx_config(tmp_path, "127.0.0.1", port, [dead], "localhost"))
    process = subprocess.Popen(serve_prod.nginx_command(nginx, tmp_path, "-g", "daemon off;"),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for path, kind in (("/static/css/samen.css", "text/css"), ("/static/js/menu.js", "javascript"),
                           ("/static/favicon.svg", "image/svg+xml")):
            status, headers, body = _get(port, path)
            assert status == 200 and kind in headers["content-type"], (path, headers)
            if len((ROOT / path.lstrip("/")).read_bytes()) >= 1024:
                assert headers.get("content-encoding") == "gzip", (path, headers)
                assert gzip.decompress(body) == (ROOT / path.lstrip("/")).read_bytes()
                assert "Accept-Encoding" in headers.get("vary", "")
    finally:
        process.terminate()
        process.wait(timeout=15)


def _get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    deadline = time.monotonic() + 10
    while True:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path, headers={"Host": "localhost", "Accept-Encoding": "gzip"})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
