"""Registration, sign-in and password reset tell nobody whether an address has an account: the answers — status,
headers, cookies and page, but for the CSRF token — are the same, and the e-mail leaves after the response.
(How long each answer takes is measured, not tested: docs/security.md.)"""
from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

import pytest

from samen.accounts import operations as ops
from samen.core import mail, timing
from tests.conftest import read_csrf_token

STRONG = "tulp-molen-kaas-42"
ADDRESS = "misschien@example.org"
# Headers that differ between any two responses, whatever they answer.
VARYING = {"date", "x-request-id"}


def _cookie_shape(header: str) -> tuple[str, str]:
    """A Set-Cookie header without its value: its name and attributes."""
    name_value, _sep, attributes = header.partition(";")
    attributes = re.sub(r"(?i)expires=[^;]+", "expires=…", attributes)
    return name_value.split("=", 1)[0], attributes.strip()


def _shape(response: Any) -> dict[str, Any]:
    """What an observer sees of a response, but for what differs on every request."""
    body = re.sub(r'(name="csrf_token"[^>]*value=")[^"]+', r"\1…", response.get_data(as_text=True))
    headers = sorted((name.lower(), value) for name, value in response.headers.items()
                     if name.lower() not in VARYING | {"set-cookie"})
    cookies = sorted(_cookie_shape(value) for value in response.headers.getlist("Set-Cookie"))
    return {"status": response.status_code, "headers": headers, "cookies": cookies, "body": body}


def _post(client: Any, path: str, data: dict[str, str]) -> list[dict[str, Any]]:
    """Post the form as a fresh browser would, then follow the redirect; return both answers' shapes."""
    token = read_csrf_token(client, path)
    first = client.post(path, data={"csrf_token": token, **data})
    answers = [_shape(first)]
    if first.status_code in (302, 303):
        answers.append(_shape(client.get(first.headers["Location"])))
    return answers


FORMS: dict[str, tuple[str, dict[str, str]]] = {
    "register": ("/register", {"email": ADDRESS, "display_name": "Merel", "kind": "resident", "password": STRONG,
                               "confirm": STRONG, "accept_terms": "y"}),
    "sign in with a wrong password": ("/login", {"email": ADDRESS, "password": "niet-het-wachtwoord-9"}),
    "ask for a password reset": ("/password/forgot", {"email": ADDRESS}),
}


@pytest.mark.parametrize("form", FORMS)
def test_an_address_with_an_account_gets_the_same_answer_as_one_without(new_client, create_user, db, mailbox,
                                                                        form):
    path, data = FORMS[form]
    unknown = _post(new_client(), path, data)  # registering makes the account here; the others make none
    if ops.find_user_by_email(ADDRESS) is None:
        create_user(email=ADDRESS, display_name="Merel")
    known = _post(new_client(), path, data)
    assert known == unknown
    assert unknown[0]["status"] in (302, 422)


@pytest.fixture
def held_mail(app: Any, monkeypatch: pytest.MonkeyPatch) -> Callable[[], list[Any]]:
    """Hold every delivery until the returned function is called; it releases them and returns the outbox."""
    release = threading.Event()
    deliver = mail.deliver

    def held(message: Any) -> None:
        assert release.wait(30), "the test never released the mail"
        deliver(message)

    monkeypatch.setattr(mail, "deliver", held)
    with app.app_context():
        mail.outbox().messages.clear()

    def let_go() -> list[Any]:
        release.set()
        assert mail.wait_for_mail(app)
        return mail.outbox().messages
    return let_go


@pytest.mark.parametrize("form", ["register", "ask for a password reset"])
def test_the_mail_leaves_after_the_response(app, new_client, create_user, db, held_mail, form):
    path, data = FORMS[form]
    create_user(email=ADDRESS, display_name="Merel")
    client = new_client()
    response = client.post(path, data={"csrf_token": read_csrf_token(client, path), **data})
    assert response.status_code == 302  # answered while the mail server has not been reached
    assert mail.outbox().messages == []
    (message,) = held_mail()
    assert message["To"] == ADDRESS


def test_a_mail_that_cannot_be_delivered_is_logged_and_the_worker_goes_on(app, db, monkeypatch, caplog):
    calls: list[str] = []

    def failing(message: Any) -> None:
        calls.append(message["To"])
        if len(calls) == 1:
            raise OSError("the mail server is down")

    monkeypatch.setattr(mail, "deliver", failing)
    with app.test_request_context():
        mail.send_after_response("een@example.org", "Een", "Tekst")
        mail.send_after_response("twee@example.org", "Twee", "Tekst")
    assert mail.wait_for_mail(app)
    assert calls == ["een@example.org", "twee@example.org"]
    assert "Could not send the e-mail 'Een' to een@example.org" in caplog.text


@pytest.mark.parametrize("path, data", [*FORMS.values(), ("/api/v1/tokens", None)], ids=[*FORMS, "api token"])
def test_the_forms_answer_no_sooner_than_the_floor(app, new_client, create_user, db, mailbox, monkeypatch, path,
                                                   data):
    """Whatever the way through takes, the answer waits until ACCOUNT_FORM_MIN_SECONDS have passed (the clock's
    sleep is recorded, not slept)."""
    monkeypatch.setitem(app.config, "ACCOUNT_FORM_MIN_SECONDS", 30.0)
    slept: list[float] = []
    monkeypatch.setattr(timing, "sleep", slept.append)
    create_user(email=ADDRESS, display_name="Merel")
    client = new_client()
    if data is None:
        client.post(path, json={"email": ADDRESS, "password": "niet-het-wachtwoord-9"})
        client.post(path, json={"email": "niemand@example.org", "password": "niet-het-wachtwoord-9"})
    else:
        client.get(path)
        assert slept == []  # a page that is only shown waits for nothing
        token = read_csrf_token(client, path)
        client.post(path, data={"csrf_token": token, **data})
        client.post(path, data={"csrf_token": token, **data, "email": "niemand@example.org"})
    assert len(slept) == 2 and all(25 < seconds <= 30 for seconds in slept), slept
