"""Every way a person's credentials end × every credential: the credential stops working at once.

Ways: changing the password (in another browser, which stays signed in), resetting it with an e-mailed link, the
lockout after failed sign-ins, an administrator's suspension, and deleting the account. Credentials: a session
cookie, a remember-me cookie, an API token, and live-board connections opened with a session and with a token.
Each way is done through the website, as a person does it; each credential is tried right after its answer.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from samen.accounts import operations as account_ops
from samen.core.database import utcnow
from samen.extensions import socketio_for
from samen.meetings.models import Meeting
from tests.conftest import PASSWORD, Auth

pytestmark = pytest.mark.database  # deletes that cascade, on both databases

NS = "/live"
NEW_PASSWORD = "zeven blauwe olifanten dansen samen"
WAYS = ("password_change", "password_reset", "lockout", "suspension", "deletion")
CREDENTIALS = ("session_cookie", "remember_cookie", "api_token", "live_session", "live_token")


@dataclass
class SignedIn:
    """A person signed in in every way at once."""

    user: Any
    browser: Any  # a browser with a session cookie
    remember: str  # the value of another browser's remember-me cookie
    token: str
    live_session: Any  # a live connection opened with the browser's session, in a meeting
    live_token: Any  # a live connection opened with the token, in the meeting


@pytest.fixture
def meeting(db: Any, thinktank: Any) -> Meeting:
    """Return a public meeting everyone may follow."""
    start = (utcnow() + timedelta(days=1)).replace(microsecond=0)
    meeting = Meeting(thinktank_id=thinktank.id, title="Avond", starts_at=start, ends_at=start + timedelta(hours=2),
                      public=True)
    db.session.add(meeting)
    db.session.commit()
    return meeting


@pytest.fixture
def sign_in(app: Any, db: Any, new_client: Callable[[], Any], csrf_token: Any, meeting: Meeting
            ) -> Callable[[Any], SignedIn]:
    """Return a function that signs a user in with every kind of credential."""
    opened: list[Any] = []

    def live(**kwargs: Any) -> Any:
        client = socketio_for(app).test_client(app, namespace=NS, **kwargs)
        opened.append(client)
        assert client.is_connected(NS)
        assert client.emit("join", {"meeting_id": meeting.id}, namespace=NS, callback=True).get("ok")
        return client

    def everywhere(user: Any) -> SignedIn:
        browser = new_client()
        Auth(browser, csrf_token).login(user)
        remembering = new_client()
        Auth(remembering, csrf_token).login(user, remember=True)
        token = account_ops.create_api_token(user, name="koppeling")
        db.session.commit()
        signed_in = SignedIn(user=user, browser=browser, remember=remembering.get_cookie("remember_token").value,
                             token=token, live_session=live(flask_test_client=browser),
                             live_token=live(auth={"token": token}))
        assert works(signed_in, new_client, "session_cookie") and works(signed_in, new_client, "api_token")
        return signed_in

    yield everywhere
    for client in opened:
        if client.is_connected(NS):
            client.disconnect(NS)


def works(signed_in: SignedIn, new_client: Callable[[], Any], credential: str) -> bool:
    """Tell whether the credential still works (a page, an API call, a live event)."""
    if credential == "session_cookie":
        return signed_in.browser.get("/account").status_code == 200
    if credential == "remember_cookie":
        browser = new_client()  # the browser was restarted: only the remember-me cookie is left
        browser.set_cookie("remember_token", signed_in.remember)
        return browser.get("/account").status_code == 200
    if credential == "api_token":
        return new_client().get("/api/v1/me", headers={"Authorization": f"Bearer {signed_in.token}"}) \
            .status_code == 200
    client = signed_in.live_session if credential == "live_session" else signed_in.live_token
    # Closed by the server at once: no event needed to find out.
    return client.is_connected(NS)


@pytest.fixture
def end(app: Any, db: Any, new_client: Callable[[], Any], csrf_token: Any, admin: Any, mailbox: list[Any],
        monkeypatch: pytest.MonkeyPatch) -> Callable[[str, Any], Any]:
    """Return a function that ends a user's credentials in one of the WAYS, through the website."""

    def as_(user: Any) -> Auth:
        return Auth(new_client(), csrf_token)

    def run(way: str, user: Any) -> Any:
        if way == "password_change":
            other_browser = as_(user)
            other_browser.login(user)
            response = other_browser.post("/account/password", data={
                "current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
            assert response.status_code == 302
            assert other_browser.client.get("/account").status_code == 200  # the browser that changed it stays
            return response
        if way == "password_reset":
            secret = account_ops.issue_token(user, "password_reset", lifetime=timedelta(hours=1))
            db.session.commit()
            response = as_(user).post(f"/password/reset/{secret}", data={"password": NEW_PASSWORD,
                                                                          "confirm": NEW_PASSWORD})
            assert response.status_code == 302
            return response
        if way == "lockout":
            monkeypatch.setitem(app.config, "LOGIN_LOCKOUT_THRESHOLD", 2)
            stranger = as_(user)
            responses = [stranger.login(user, password="helemaal fout") for _ in range(2)]
            assert account_ops.find_user_by_email(user.email).is_locked
            return responses[-1]
        if way == "suspension":
            administrator = as_(admin)
            administrator.login(admin)
            response = administrator.post(f"/admin/users/{user.id}/suspend", data={"reason": "Spam"})
            assert response.status_code == 302
            return response
        assert way == "deletion"
        own_browser = as_(user)
        own_browser.login(user)
        own_browser.client.post("/account/confirm", data={"csrf_token": own_browser.token(), "password": PASSWORD})
        response = own_browser.post("/account/delete", data={"contributions": "keep", "confirm": "y"})
        assert response.status_code == 302 and response.headers["Location"] == "/"
        assert own_browser.client.get("/account").status_code == 302  # signed out, no error page
        return response

    return run


@pytest.mark.parametrize("credential", CREDENTIALS)
@pytest.mark.parametrize("way", WAYS)
def test_the_credential_stops_working_at_once(way, credential, sign_in, end, new_client, create_user):
    victim = create_user(display_name="Iemand")
    signed_in = sign_in(victim)
    assert works(signed_in, new_client, credential)
    end(way, victim)
    assert not works(signed_in, new_client, credential)
