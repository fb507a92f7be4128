"""core/hosts.py: the site answers to its own host names only, and absolute URLs come from BASE_URL alone."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from samen import create_app
from samen.core.hosts import origin_of, trusted_hosts
from tests.conftest import make_config

ROOT = Path(__file__).resolve().parents[2]
FOREIGN = "http://evil.example"


def test_the_trusted_hosts_are_base_urls_the_machines_and_the_settings():
    assert trusted_hosts("https://samen.nijkerk.nl/") == ["samen.nijkerk.nl", "127.0.0.1", "localhost"]
    assert trusted_hosts("https://Samen.Nijkerk.nl:8443", ["www.samen.nijkerk.nl", " .nijkerk.nl "]) == [
        "samen.nijkerk.nl", "127.0.0.1", "localhost", "www.samen.nijkerk.nl", ".nijkerk.nl"]
    assert trusted_hosts("http://127.0.0.1:5000") == ["127.0.0.1", "localhost"]


@pytest.mark.parametrize("base", ["", "samen.nijkerk.nl", "/progress", "https://"])
def test_a_base_url_without_a_host_stops_the_start(database_url, base):
    with pytest.raises(RuntimeError, match="BASE_URL"):
        create_app(make_config(database_url, BASE_URL=base))


def test_flask_checks_the_same_list(app):
    assert app.config["TRUSTED_HOSTS"] == ["localhost", "127.0.0.1"]


@pytest.mark.parametrize("method, path", [
    ("GET", "/"), ("GET", "/progress"), ("GET", "/progress/feed.atom"), ("GET", "/login"),
    ("POST", "/login"), ("POST", "/password/forgot"), ("GET", "/static/css/samen.css"), ("GET", "/healthz"),
    ("GET", "/no-such-page"), ("GET", "/socket.io/?EIO=4&transport=polling"),
])
def test_an_unknown_host_gets_a_clear_400_page(client, method, path):
    response = client.open(path, method=method, base_url=FOREIGN)
    assert response.status_code == 400 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<h1>Onbekend adres (400)</h1>' in html and '<section lang="en">' in html
    assert 'This site does not answer to this address.' in html and 'niet bereikbaar op dit adres' in html
    assert '<a href="http://localhost/">http://localhost</a>' in html  # the way to the real site
    assert "evil.example" not in html
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path, headers, language", [
    ("/api/v1/thinktanks", {}, "nl"),
    ("/api/v1/thinktanks", {"Accept-Language": "en"}, "en"),
    ("/progress", {"Accept": "application/json"}, "nl"),
])
def test_an_unknown_host_gets_problem_json_from_the_api(client, path, headers, language):
    response = client.get(path, base_url=FOREIGN, headers=headers)
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    problem = json.loads(response.data)
    assert problem["status"] == 400 and problem["code"] == "unknown_host"
    assert problem["title"] == {"nl": "Onbekend adres", "en": "Unknown address"}[language]


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "localhost:5000", "127.0.0.1:8001"])
def test_the_machines_own_names_are_answered(client, host):
    assert client.get("/healthz", base_url=f"http://{host}").status_code == 200


def test_the_setting_adds_names(database_url):
    app = create_app(make_config(database_url, BASE_URL="https://samen.nijkerk.nl",
                                 TRUSTED_HOSTS=["www.samen.nijkerk.nl", ".gemeente.example"]))
    client = app.test_client()
    for host in ("samen.nijkerk.nl", "www.samen.nijkerk.nl", "samen.gemeente.example", "127.0.0.1"):
        assert client.get("/healthz", base_url=f"https://{host}").status_code == 200, host
    for host in ("evil.example", "samen.nijkerk.nl.evil.example", "gemeente.example.evil", "nijkerk.nl"):
        assert client.get("/healthz", base_url=f"https://{host}").status_code == 400, host


def test_behind_the_proxy_the_forwarded_host_is_checked(database_url):
    """With TRUSTED_PROXIES the Host comes from nginx's X-Forwarded-Host: that one is checked."""
    app = create_app(make_config(database_url, BASE_URL="https://samen.nijkerk.nl", TRUSTED_PROXIES=1))
    client = app.test_client()
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}
    assert client.get("/healthz", headers={**forwarded, "X-Forwarded-Host": "samen.nijkerk.nl"}).status_code == 200
    assert client.get("/healthz", headers={**forwarded, "X-Forwarded-Host": "evil.example"}).status_code == 400


def test_a_socketio_handshake_for_an_unknown_host_is_refused(client):
    assert client.get("/socket.io/?EIO=4&transport=polling").status_code == 200
    assert client.get("/socket.io/?EIO=4&transport=polling", base_url=FOREIGN).status_code == 400


# Ways to build an absolute URL from the request: none may be used, absolute URLs come from BASE_URL
# (samen.core.hosts.external_url).
FROM_THE_REQUEST = re.compile(r"_external\s*=|\bhost_url\b|\burl_root\b|\broot_url\b|request\.host\b|"
                              r"request\.base_url|request\.url\b|HTTP_HOST|X-Forwarded-Host")


def test_no_code_or_template_builds_a_url_from_the_request():
    found = []
    for folder, pattern in (("samen", "*.py"), ("templates", "*.html")):
        for path in sorted((ROOT / folder).rglob(pattern)):
            if path.name == "hosts.py":
                continue  # the check itself reads the Host
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if FROM_THE_REQUEST.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []


def test_origins():
    assert origin_of("https://Samen.Nijkerk.nl/progress?x=1") == "https://samen.nijkerk.nl"
    assert origin_of("http://127.0.0.1:5000") == "http://127.0.0.1:5000"
    assert origin_of("https://user:secret@samen.example") == "https://samen.example"
    assert origin_of("*") is None and origin_of("javascript:alert(1)") is None
