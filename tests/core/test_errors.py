"""Error pages in both languages, problem+json for the API, and the friendly page for a crash."""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, abort
from flask.testing import FlaskClient

from samen import create_app
from samen.extensions import limiter
from tests.conftest import make_config

LANGUAGES = ["nl", "en"]


def assert_error_page(response: Any, status: int, lang: str) -> None:
    """Check the status and that the friendly page rendered in the asked language."""
    assert response.status_code == status
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    assert re.search(rf"<h1>.+\({status}\)", page), "the error page shows a title and the status"
    assert 'href="/"' in page  # a way back home
    assert "Traceback" not in page


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


@pytest.fixture(scope="module")
def crashing_app(database_url: str, app: Flask) -> Flask:
    """Create a separate app with routes that fail, on the migrated test database."""
    crashing = create_app(make_config(database_url))

    def boom() -> str:
        raise RuntimeError("the database is on fire")

    crashing.add_url_rule("/boom", "boom", boom)
    crashing.add_url_rule("/api/v1/boom", "api_boom", boom)
    for status in (400, 403, 429):
        crashing.add_url_rule(f"/abort/{status}", f"abort_{status}", lambda status=status: abort(status))
    return crashing


@pytest.fixture
def crashing_client(crashing_app: Flask) -> FlaskClient:
    return crashing_app.test_client()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_400_a_form_without_its_csrf_token(client, lang):
    response = client.post(f"/login?lang={lang}", data={"email": "x@example.org", "password": "x"})
    assert_error_page(response, 400, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_400_a_bad_request(crashing_client, lang):
    assert_error_page(crashing_client.get(f"/abort/400?lang={lang}"), 400, lang)


def test_403_a_resident_at_the_admin_pages(auth, user):
    auth.login(user)
    assert_error_page(auth.client.get("/admin/"), 403, "nl")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_403_in_both_languages(crashing_client, lang):
    # On its own app: the `db` fixture's app context is shared by a test's requests, and with it the
    # language Flask-Babel cached for the sign-in page.
    assert_error_page(crashing_client.get(f"/abort/403?lang={lang}"), 403, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_404_a_page_that_does_not_exist(client, lang):
    assert_error_page(client.get(f"/no-such-page?lang={lang}"), 404, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_405_the_wrong_method_names_the_right_ones(client, lang):
    response = client.get(f"/logout?lang={lang}")
    assert_error_page(response, 405, lang)
    assert "POST" in response.headers["Allow"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_413_a_body_larger_than_allowed(app, client, lang):
    too_large = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post(f"/login?lang={lang}", data={"email": "x@example.org", "password": too_large})
    assert_error_page(response, 413, lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_429_a_page_for_too_many_requests(crashing_client, lang):
    assert_error_page(crashing_client.get(f"/abort/429?lang={lang}"), 429, lang)


@pytest.fixture
def limited_client(database_url: str, app: Flask) -> Iterator[FlaskClient]:
    """Return a client of an app whose sign-in is limited to 2 attempts a minute.

    The limiter is one object shared by every app in the process: turn it off again afterwards, or the
    other tests' sign-ins would be counted too.
    """
    was_enabled = limiter.enabled
    limited = create_app(make_config(database_url, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute",
                                     WTF_CSRF_ENABLED=False))
    try:
        yield limited.test_client()
    finally:
        with limited.app_context():  # each app has its own storage (samen.core.limiter_storage)
            limiter.reset()
        limiter.enabled = was_enabled


@pytest.mark.parametrize("lang", LANGUAGES)
def test_429_when_the_sign_in_limit_is_reached(limited_client, lang):
    attempt = {"email": "nobody@example.org", "password": "wrong-password"}
    assert [limited_client.post("/login", data=attempt).status_code for _ in range(2)] == [422, 422]
    response = limited_client.post(f"/login?lang={lang}", data=attempt)
    assert_error_page(response, 429, lang)
    assert int(response.headers["Retry-After"]) > 0


@pytest.mark.parametrize("lang", LANGUAGES)
def test_500_is_the_friendly_page_and_is_logged(crashing_client, caplog, lang):
    response = crashing_client.get(f"/boom?lang={lang}")
    assert_error_page(response, 500, lang)
    assert "on fire" not in response.get_data(as_text=True)
    assert "the database is on fire" in caplog.text


def test_api_errors_are_problem_json(client):
    body = assert_problem(client.get("/api/v1/no-such-thing"), 404)
    assert body["type"] == "about:blank"


def test_an_api_crash_is_problem_json_without_details(crashing_client):
    body = assert_problem(crashing_client.get("/api/v1/boom"), 500)
    assert "fire" not in str(body)


def test_a_client_that_asks_for_json_gets_problem_json(client):
    assert_problem(client.get("/no-such-page", headers={"Accept": "application/json"}), 404)
