"""Cookies are HttpOnly and SameSite=Lax, Secure in production; production needs a real secret key."""
from __future__ import annotations

import re

import pytest

from samen import create_app
from samen.accounts import operations as ops
from samen.config import DEFAULT_SECRET, ProductionConfig
from samen.core.database import db
from tests.accounts.pages import cookie_header
from tests.conftest import PASSWORD


def _production(database_url: str, **overrides):
    # ProductionConfig's own cookie settings, as a deployment gets them without SESSION_COOKIE_SECURE set.
    return type("Config", (ProductionConfig,), {"DATABASE_URL": database_url, "RATELIMIT_ENABLED": False,
                                                "HELP_ENCRYPTION_KEY": "jYGm4Bq3Hq9Fv0iSOnaYyP2Wc9ZVmJt5q7yXl3u8xRc=",
                                                **overrides})


def test_session_and_remember_cookies_are_httponly_and_samesite(client, auth, user):
    response = auth.login(user, remember=True)
    for name in ("session", "remember_token"):
        header = cookie_header(response, name)
        assert header is not None, f"no {name} cookie"
        assert "HttpOnly" in header
        assert "SameSite=Lax" in header


def test_in_production_cookies_are_secure(make_app, database_url):
    app = make_app(_production(database_url, SECRET_KEY="a-long-random-production-secret-" + "x" * 32,
                               BASE_URL="https://samen.example"))
    with app.app_context():
        ops.create_user(email="prod@example.org", display_name="Productie", password=PASSWORD)
        db.session.commit()
    client = app.test_client()
    https = {"base_url": "https://samen.example", "headers": {"Referer": "https://samen.example/login"}}
    page = client.get("/login", **https)
    assert "Secure" in cookie_header(page, "session")
    html = page.get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post("/login", data={"email": "prod@example.org", "password": PASSWORD, "remember": "y",
                                           "csrf_token": token}, **https)
    assert response.status_code == 302
    for name in ("session", "remember_token"):
        header = cookie_header(response, name)
        assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


@pytest.mark.parametrize("secret", [DEFAULT_SECRET, "", None])
def test_production_refuses_to_start_without_a_real_secret_key(app, database_url, secret):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(_production(database_url, SECRET_KEY=secret))
