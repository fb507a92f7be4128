"""Live connections end with the credential they were opened with: signing out, revoking the token, deleting
the account with the board open; and every event checks the credential again."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from samen.accounts import operations as account_ops
from samen.accounts.models import ApiToken
from samen.core.database import utcnow
from samen.extensions import socketio_for
from samen.meetings.models import LiveConnection, LiveSignIn
from tests.conftest import PASSWORD

NS = "/live"


def _in_browser(app, client):
    """Open the live board in the signed-in browser of `client` (its session cookie)."""
    return socketio_for(app).test_client(app, namespace=NS, flask_test_client=client)


def test_a_signed_in_connection_is_recorded_with_its_credential(app, db, client, auth, member, meeting, connect):
    auth.login(member)
    browser = _in_browser(app, client)
    by_token = connect(member)
    rows = db.session.scalars(select(LiveSignIn).where(LiveSignIn.user_id == member.id)).all()
    assert sorted((row.session_id is not None, row.api_token_id is not None) for row in rows) == [
        (False, True), (True, False)]
    connect(None)  # anonymous: nothing to record
    assert db.session.scalars(select(LiveSignIn)).all() == rows
    browser.disconnect(NS)
    by_token.client.disconnect(NS)
    assert db.session.scalars(select(LiveSignIn)).all() == []


def test_signing_out_closes_this_browsers_live_connection(app, db, client, auth, member, meeting, connect):
    auth.login(member)
    browser = _in_browser(app, client)
    assert browser.emit("join", {"meeting_id": meeting.id}, namespace=NS, callback=True)["ok"]
    elsewhere = connect(member, join=meeting)
    auth.logout()
    assert not browser.is_connected(NS)
    assert elsewhere.connected  # a token of the same person is another credential


def test_revoking_a_token_closes_its_connections_only(app, db, client, auth, member, meeting, connect):
    revoked = connect(member, join=meeting)
    kept = connect(member, join=meeting)
    token_id = db.session.scalars(select(ApiToken.id).where(ApiToken.user_id == member.id)
                                  .order_by(ApiToken.id)).first()
    auth.login(member)
    assert auth.post(f"/account/tokens/{token_id}/revoke").status_code == 302
    assert not revoked.connected and kept.connected


def test_every_event_checks_the_credential_again(app, db, member, meeting, connect):
    live = connect(member, join=meeting)
    # The token disappears without the connection being told (a process that was down when it was revoked).
    db.session.execute(delete(LiveSignIn))
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == member.id))
    db.session.commit()
    assert live.connected
    answer = live.emit("hand:raise")
    assert answer["error"]["code"] == "forbidden"
    assert not live.connected
    assert db.session.scalars(select(LiveConnection).where(LiveConnection.user_id == member.id)).all() == []


@pytest.mark.parametrize("column", ["suspended_at", "locked_at"])
def test_a_suspended_or_locked_persons_connection_is_refused_at_its_next_event(app, db, member, meeting, connect,
                                                                               column):
    live = connect(member, join=meeting)
    setattr(member, column, utcnow())  # without the operation, which would close the connection at once
    db.session.commit()
    answer = live.emit("hand:raise")
    assert answer["error"]["code"] == "forbidden"
    assert not live.connected


def test_a_signed_out_browsers_connection_is_refused_at_its_next_event(app, db, client, auth, member, meeting):
    auth.login(member)
    browser = _in_browser(app, client)
    assert browser.emit("join", {"meeting_id": meeting.id}, namespace=NS, callback=True)["ok"]
    db.session.execute(delete(LiveSignIn))  # so that only the check on the event can find out
    account_ops.end_all_sessions(member)
    db.session.commit()
    answer = browser.emit("hand:raise", namespace=NS, callback=True)
    assert answer["error"]["code"] == "forbidden"
    assert not browser.is_connected(NS)


def test_a_connection_with_an_ended_token_is_refused(app, db, member, token_for):
    token = token_for(member)
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == member.id))
    db.session.commit()
    live = socketio_for(app).test_client(app, namespace=NS, auth={"token": token})
    assert not live.is_connected(NS)


@pytest.mark.database  # the foreign key refuses it, on both databases
def test_a_token_that_ends_while_connecting_refuses_the_connection(app, db, member, token_for, monkeypatch):
    token = token_for(member)
    found_first = account_ops.find_api_token

    def revoked_meanwhile(secret: str):
        found = found_first(secret)
        db.session.execute(delete(ApiToken).where(ApiToken.id == found[0].id))  # after the check, before recording
        return found
    monkeypatch.setattr(account_ops, "find_api_token", revoked_meanwhile)
    live = socketio_for(app).test_client(app, namespace=NS, auth={"token": token})
    assert not live.is_connected(NS)
    assert db.session.scalars(select(LiveSignIn)).all() == []


def test_deleting_your_account_with_the_board_open_answers_normally(app, db, client, auth, member, meeting):
    auth.login(member)
    browser = _in_browser(app, client)
    assert browser.emit("join", {"meeting_id": meeting.id}, namespace=NS, callback=True)["ok"]
    client.post("/account/confirm", data={"csrf_token": auth.token(), "password": PASSWORD})
    response = auth.post("/account/delete", data={"contributions": "keep", "confirm": "y"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Je account is verwijderd." in client.get("/").get_data(as_text=True)  # no error page
    assert client.get("/account").status_code == 302  # signed out
    assert not browser.is_connected(NS)
