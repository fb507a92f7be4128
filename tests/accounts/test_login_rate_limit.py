"""Sign-in and registration attempts are rate-limited; the refusal is a clear page, not a crash."""
from __future__ import annotations

import re

from samen.accounts import operations as ops
from samen.core.database import db
from tests.conftest import PASSWORD, make_config


def _token(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_too_many_login_attempts_get_a_429_page(make_app, database_url):
    app = make_app(make_config(database_url, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute"))
    with app.app_context():
        ops.create_user(email="geduld@example.org", display_name="Geduld", password=PASSWORD)
        db.session.commit()
    client = app.test_client()
    token = _token(client, "/login")

    def attempt(password: str):
        return client.post("/login?lang=en", data={"email": "geduld@example.org", "password": password,
                                                   "csrf_token": token})

    assert [attempt(f"guess-{n}").status_code for n in range(3)] == [422, 422, 422]
    refused = attempt(PASSWORD)  # even the right password waits now
    assert refused.status_code == 429
    assert refused.mimetype == "text/html"
    html = refused.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Too many requests" in html and "Please wait a moment and try again." in html
    assert int(refused.headers["Retry-After"]) > 0
    assert client.get("/account").status_code == 302  # not signed in
    assert client.get("/login").status_code == 200  # reading the page is not limited


def test_too_many_registrations_get_a_429_page(make_app, database_url):
    app = make_app(make_config(database_url, RATELIMIT_ENABLED=True, REGISTER_RATE_LIMIT="2 per minute"))
    client = app.test_client()
    token = _token(client, "/register")
    attempts = [client.post("/register", data={"email": "x", "csrf_token": token}) for _ in range(3)]
    assert [response.status_code for response in attempts] == [422, 422, 429]


def test_the_suites_app_is_not_rate_limited_afterwards(client, csrf_token):
    """The limiter is shared by every app; the extra apps above must not have switched it on for this one."""
    assert ops.find_user_by_email("geduld@example.org") is None  # and what they stored was rolled back
    token = csrf_token(client, "/login")
    statuses = {client.post("/login", data={"email": "", "csrf_token": token}).status_code for _ in range(12)}
    assert statuses == {422}
