"""`Cache-Control: no-store` for everything a signed-in user gets, and for every sign-in and account page."""
from __future__ import annotations

import pytest

from tests.accounts.pages import local_path, mail_link

AUTH_PAGES = ["/login", "/register", "/password/forgot"]
SIGNED_IN_PAGES = ["/", "/account", "/account/password", "/account/email", "/thinktanks/", "/notifications",
                   "/progress", "/progress/actions.json", "/no-such-page"]


@pytest.mark.parametrize("path", AUTH_PAGES)
def test_auth_pages_are_never_stored(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_refused_sign_ins_are_never_stored(client, auth, user):
    assert auth.login(user, password="niet-het-goede").headers["Cache-Control"] == "no-store"


def test_e_mailed_link_pages_are_never_stored(client, auth, user, mailbox):
    auth.post("/password/forgot", {"email": user.email})
    path = local_path(mail_link(mailbox[0], "/password/reset/"))
    assert client.get(path).headers["Cache-Control"] == "no-store"
    assert client.get("/unlock/unknown").headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", SIGNED_IN_PAGES)
def test_every_response_for_a_signed_in_user_is_never_stored(client, auth, user, path):
    auth.login(user)
    response = client.get(path)
    assert response.status_code in (200, 404), path
    assert response.headers["Cache-Control"] == "no-store", path


def test_redirects_and_posts_for_a_signed_in_user_are_never_stored(client, auth, user):
    auth.login(user)
    response = auth.post("/language", {"lang": "en", "next": "/"})
    assert response.status_code == 302
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_keep_their_caching_for_signed_in_users(client, auth, user):
    auth.login(user)
    response = client.get("/static/css/samen.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_anonymous_public_pages_keep_their_caching(client):
    client.get("/progress"), client.get("/progress")  # the first visit sets the session cookie
    response = client.get("/progress")
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert response.headers["ETag"]


def test_api_answers_with_a_token_are_never_stored(client, user, db):
    from samen.accounts import operations as ops

    token = ops.create_api_token(user)
    db.session.commit()
    answer = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    anonymous = client.get("/api/v1/thinktanks")
    assert anonymous.status_code == 200 and "no-store" not in anonymous.headers.get("Cache-Control", "")
