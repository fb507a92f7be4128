"""The production files in deploy/ are what docs/deployment.md says: the nginx site works (TLS, HSTS, the redirect,
the proxy headers, the WebSocket upgrade), the systemd units are valid and run commands that exist, and
env.example names real settings."""
from __future__ import annotations

import configparser
import getpass
import http.client
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from flask import Flask

from samen import config
from tests.conftest import skip_or_fail
from tests.deploy.serveprod import ROOT, free_ports

pytestmark = pytest.mark.integration  # real servers, threads or whole databases: make test-fast leaves it out

DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
APP_HSTS = "max-age=60"  # what the stub app sends: nginx must hide it and send its own


# --- nginx: the production site, with a self-signed certificate and a stub app ---------------------------------

class _Echo(BaseHTTPRequestHandler):
    """Answer every request with the headers it arrived with, as JSON, and an HSTS header of its own."""

    hosts: ClassVar[list[str]] = []  # the Host of every request that reached the app

    def do_GET(self) -> None:  # the http.server API
        self.hosts.append(self.headers.get("Host", ""))
        body = json.dumps({key.lower(): value for key, value in self.headers.items()}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Strict-Transport-Security", APP_HSTS)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def production_nginx(nginx: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, int]]:
    """Run deploy/nginx/samen.conf as it is, but for the addresses, ports and paths of this machine."""
    if not shutil.which("openssl"):
        skip_or_fail("openssl is not installed (needed for a test certificate)")
    folder = tmp_path_factory.mktemp("nginx-production")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "1", "-subj", "/CN=samen.example.nl", "-keyout", str(folder / "privkey.pem"),
                    "-out", str(folder / "fullchain.pem")], check=True, capture_output=True)
    app = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    http_port, https_port = free_ports(2)
    site = (DEPLOY / "nginx" / "samen.conf").read_text()
    replacements = [
        ("listen 80 default_server;", f"listen 127.0.0.1:{http_port} default_server;"),
        ("listen [::]:80 default_server;", ""),
        ("listen 443 ssl default_server;", f"listen 127.0.0.1:{https_port} ssl default_server;"),
        ("listen [::]:443 ssl default_server;", ""),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen [::]:80;", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("listen [::]:443 ssl http2;", ""),
        ("/etc/letsencrypt/live/samen.example.nl/", f"{folder}/"),
        ("/var/log/nginx/", f"{folder}/"),
        ("root /var/www/html;", f"root {folder};"),
        ("root /srv/samen/app;", f"root {ROOT};"),
        ("include snippets/samen-proxy.conf;", f"include {DEPLOY / 'nginx' / 'samen-proxy.conf'};"),
        ("server 127.0.0.1:8001 ", f"server 127.0.0.1:{app.server_port} "),
        ("server 127.0.0.1:8002 ", f"server 127.0.0.1:{app.server_port} "),
    ]
    for old, new in replacements:
        assert old in site, f"deploy/nginx/samen.conf no longer has {old!r}: update this test"
        site = site.replace(old, new)
    (folder / "samen.conf").write_text(site)
    temp = "\n".join(f"    {kind}_temp_path {folder}/{kind};" for kind in ("client_body", "proxy", "fastcgi",
                                                                             "uwsgi", "scgi"))
    mime = "include /etc/nginx/mime.types;" if Path("/etc/nginx/mime.types").exists() else ""
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""  # as deploy/serve-prod does
    (folder / "nginx.conf").write_text(f"""
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
{user}
events {{ worker_connections 64; }}
http {{
    {mime}
{temp}
    include {folder}/samen.conf;
}}
""")
    command = [nginx, "-p", f"{folder}/", "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen([*command, "-g", "daemon off;"])
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                http.client.HTTPConnection("127.0.0.1", http_port, timeout=1).connect()
                break
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None, \
                    (folder / "error.log").read_text()
                time.sleep(0.1)
        yield {"http": http_port, "https": https_port}
    finally:
        process.terminate()
        process.wait(timeout=10)
        app.shutdown()
        app.server_close()


def _https(port: int, path: str, headers: dict[str, str] | None = None,
           name: str = "samen.example.nl") -> http.client.HTTPResponse:
    """GET `path` over TLS from nginx on this machine, naming `name` in the handshake (SNI) as a browser does."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    sent = {"Host": "samen.example.nl", "Connection": "close", **(headers or {})}
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw, \
            context.wrap_socket(raw, server_hostname=name) as tls:
        head = [f"GET {path} HTTP/1.1", *(f"{key}: {value}" for key, value in sent.items())]
        tls.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        response = http.client.HTTPResponse(tls)
        response.begin()
        response.read_body = response.read()  # type: ignore[attr-defined]
    return response


@pytest.mark.nginx
def test_plain_http_is_sent_to_https(production_nginx: dict[str, int]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", production_nginx["http"], timeout=10)
    connection.request("GET", "/thinktanks/?page=2", headers={"Host": "samen.example.nl"})
    response = connection.getresponse()
    assert response.status == 301
    assert response.getheader("Location") == "https://samen.example.nl/thinktanks/?page=2"


@pytest.mark.nginx
def test_the_app_gets_the_proxy_headers_over_tls(production_nginx: dict[str, int]) -> None:
    response = _https(production_nginx["https"], "/thinktanks/", headers={
        "X-Forwarded-For": "198.51.100.7", "X-Forwarded-Proto": "http", "X-Forwarded-Host": "evil.example",
        "X-Request-ID": "chosen-by-the-client"})
    seen = json.loads(response.read_body)  # type: ignore[attr-defined]
    assert response.status == 200
    # The site's name as nginx matched it; the port because this test's is not 443 (a browser's Origin has it).
    assert seen["host"] == seen["x-forwarded-host"] == f"samen.example.nl:{production_nginx['https']}"
    assert seen["x-forwarded-proto"] == "https"
    # nginx appends the address it saw; the app (TRUSTED_PROXIES=1) takes that last one.
    assert seen["x-forwarded-for"] == "198.51.100.7, 127.0.0.1"
    assert re.fullmatch(r"[0-9a-f]{32}", seen["x-request-id"])
    # One HSTS header, nginx's.
    assert response.headers.get_all("Strict-Transport-Security") == ["max-age=31536000; includeSubDomains"]


@pytest.mark.nginx
@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1", "samen.example.nl.evil.example", "example.nl"])
def test_another_host_gets_nothing(production_nginx: dict[str, int], host: str) -> None:
    """The default server answers every name but the site's with nothing: the app never sees them."""
    reached = len(_Echo.hosts)
    connection = http.client.HTTPConnection("127.0.0.1", production_nginx["http"], timeout=10)
    connection.request("GET", "/", headers={"Host": host})
    with pytest.raises(http.client.RemoteDisconnected):  # 444: closed without an answer
        connection.getresponse()
    connection.close()
    with pytest.raises(ssl.SSLError):  # TLS for another name: the handshake is refused
        _https(production_nginx["https"], "/", name=host)
    with pytest.raises(http.client.RemoteDisconnected):  # TLS for the site's name, then another Host
        _https(production_nginx["https"], "/progress", headers={"Host": host})
    with pytest.raises(http.client.RemoteDisconnected):  # a port in the Host does not help
        _https(production_nginx["https"], "/", headers={"Host": f"{host}:{production_nginx['https']}"})
    assert len(_Echo.hosts) == reached
    # The site's own name goes through, whatever its case.
    assert _https(production_nginx["https"], "/", headers={"Host": "Samen.Example.NL"}).status == 200


@pytest.mark.nginx
def test_the_websocket_upgrade_is_passed_on(production_nginx: dict[str, int]) -> None:
    response = _https(production_nginx["https"], "/socket.io/?EIO=4&transport=polling")
    seen = json.loads(response.read_body)  # type: ignore[attr-defined]
    assert "upgrade" not in seen and seen["connection"] == "close"
    # A real upgrade would switch protocols; the stub answers it with the headers it got, which is the point.
    response = _https(production_nginx["https"], "/socket.io/?EIO=4&transport=websocket",
                      headers={"Upgrade": "websocket", "Connection": "Upgrade"})
    seen = json.loads(response.read_body)  # type: ignore[attr-defined]
    assert seen["upgrade"] == "websocket" and seen["connection"] == "upgrade"


@pytest.mark.nginx
def test_static_files_over_tls_carry_hsts(production_nginx: dict[str, int]) -> None:
    response = _https(production_nginx["https"], "/static/css/samen.css")
    assert response.status == 200
    assert response.read_body == (ROOT / "static" / "css" / "samen.css").read_bytes()  # type: ignore[attr-defined]
    assert response.getheader("Cache-Control") == "no-cache"
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains"


# --- systemd ---------------------------------------------------------------------------------------------

def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((UNITS / name).read_text().replace("\\\n", " "))
    return parser


def test_the_systemd_units_are_valid(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    venv_bin = Path(ROOT / ".venv" / "bin").resolve()
    for unit in UNITS.iterdir():
        # The units as they are, with this checkout's virtualenv for /srv/samen/venv (verify wants the binary).
        (tmp_path / unit.name).write_text(unit.read_text().replace("/srv/samen/venv/bin/", f"{venv_bin}/"))
    (tmp_path / "samen@1.service").symlink_to(tmp_path / "samen@.service")
    names = sorted(str(path) for path in tmp_path.iterdir() if path.name != "samen@.service")
    result = subprocess.run([analyze, "verify", "--man=no", *names], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_each_web_process_is_one_upstream_server_with_its_own_id() -> None:
    service = _unit("samen@.service")["Service"]
    assert "--bind 127.0.0.1:800%i" in service["ExecStart"] and "--worker-class gthread" in service["ExecStart"]
    assert "--workers 1 " in service["ExecStart"]
    assert service["Environment"] == "LIVE_SERVER_ID=samen-%i"
    assert service["EnvironmentFile"] == "/etc/samen/samen.env"
    upstream = re.findall(r"server 127\.0\.0\.1:(\d+)", (DEPLOY / "nginx" / "samen.conf").read_text())
    assert upstream == ["8001", "8002"]


@pytest.mark.parametrize("task, command", [("backup", "backup create"), ("retention", "retention apply"),
                                           ("purge", "users purge"), ("reminders", "reminders send"),
                                           ("mail", "mail run")])
def test_each_timer_runs_a_command_that_exists(app: Flask, task: str, command: str) -> None:
    service = _unit(f"samen-{task}.service")["Service"]
    assert service["Type"] == "oneshot" and service["User"] == "samen"
    assert service["ExecStart"] == f"/srv/samen/venv/bin/flask {command}"
    group, name = command.split()
    assert name in app.cli.commands[group].commands  # type: ignore[attr-defined]
    timer = _unit(f"samen-{task}.timer")
    assert timer["Timer"]["OnCalendar"].startswith("*-*-* ") and timer["Timer"]["Persistent"] == "true"
    assert timer["Install"]["WantedBy"] == "timers.target"


# --- the environment file ------------------------------------------------------------------------------

def _env_example() -> dict[str, str]:
    settings = {}
    for line in (DEPLOY / "env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, separator, value = line.partition("=")
            assert separator and key == key.strip() and re.fullmatch(r"[A-Z_]+", key), line
            if value.startswith('"'):  # systemd removes the quotes, as a shell would
                assert value.endswith('"') and '"' not in value[1:-1] and "$" not in value, line
                value = value[1:-1]
            else:
                assert not re.search(r"""[\s'"$`\\]""", value), f"quote this value: {line}"
            settings[key] = value
    return settings


def test_env_example_names_only_real_settings() -> None:
    settings = _env_example()
    read = set(re.findall(r'environ\.get\("([A-Z_]+)"|_(?:int|bool|days|duration)\("([A-Z_]+)"',
                          Path(config.__file__).read_text()))
    read = {name for pair in read for name in pair if name}
    assert {"DATABASE_URL", "TIMEZONE", "SAMEN_ENV", "LOG_FORMAT"} <= read  # the search finds the settings
    assert set(settings) - read == {"FLASK_APP"}  # flask's own
    assert settings["SAMEN_ENV"] == "production" and settings["TRUSTED_PROXIES"] == "1"
    assert settings["SOCKETIO_MESSAGE_QUEUE"].startswith("redis://")
    assert settings["RATELIMIT_STORAGE_URI"].startswith("redis://")
    assert settings["DATABASE_URL"].startswith("postgresql://")


def test_env_example_makes_a_production_app(tmp_path: Path) -> None:
    """The file's settings, with a database and the secrets filled in, start the app as production."""
    import sys

    env = {**os.environ, **_env_example(), "SECRET_KEY": "a-long-random-value-0123456789-abcdefghij",
           "HELP_ENCRYPTION_KEY": "jYGm4Bq3Hq9Fv0iSOnaYyP2Wc9ZVmJt5q7yXl3u8xRc=",
           "STORIES_ENCRYPTION_KEY": "Xw0n6b3y6Lq9c2VtR1mP8sK4dF7gH0jZ5aQ2eT9uY1o=",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'env.db'}"}
    code = ("import json, wsgi; c = wsgi.app.config; print(json.dumps({k: c[k] for k in ['PRODUCTION', "
            "'SESSION_COOKIE_SECURE', 'LOG_FORMAT', 'ACCESS_LOG', 'TRUSTED_PROXIES', 'SOCKETIO_CHANNEL', "
            "'RATELIMIT_KEY_PREFIX']}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "PRODUCTION": True, "SESSION_COOKIE_SECURE": True, "LOG_FORMAT": "json", "ACCESS_LOG": True,
        "TRUSTED_PROXIES": 1, "SOCKETIO_CHANNEL": "samen", "RATELIMIT_KEY_PREFIX": "samen"}


def test_the_samen_command_runs_flask_as_the_units_do() -> None:
    """deploy/samen (installed as /usr/local/bin/samen) uses the units' user, directory and environment."""
    script = (DEPLOY / "samen").read_text()
    assert subprocess.run(["sh", "-n", str(DEPLOY / "samen")]).returncode == 0
    assert os.access(DEPLOY / "samen", os.X_OK) and os.access(DEPLOY / "serve-prod", os.X_OK)
    service = _unit("samen@.service")["Service"]
    assert f"--uid={service['User']} --gid={service['Group']}" in script
    assert f"--working-directory={service['WorkingDirectory']}" in script
    assert f"--property=EnvironmentFile={service['EnvironmentFile']}" in script
    assert f"{service['ExecStart'].split()[0].rsplit('/', 1)[0]}/flask \"$@\"" in script
