"""Pages that send e-mail or check a password are rate-limited: no flooded inboxes, no guessing."""
from __future__ import annotations

from tests.conftest import PASSWORD


def _ask_reset(client, token: str, email: str, address: str = "127.0.0.1"):
    return client.post("/password/forgot", data={"email": email, "csrf_token": token},
                       environ_overrides={"REMOTE_ADDR": address})


def test_password_reset_requests_are_limited_per_client_address(client, csrf_token, user, mailbox, rate_limited):
    rate_limited(PASSWORD_RESET_RATE_LIMIT="2 per hour")
    token = csrf_token(client, "/password/forgot")
    statuses = [_ask_reset(client, token, f"iemand{n}@example.org").status_code for n in range(3)]
    assert statuses == [302, 302, 429]
    assert _ask_reset(client, token, user.email, address="10.0.0.9").status_code == 302  # another address


def test_one_account_gets_few_reset_mails_and_the_page_does_not_say_so(client, csrf_token, user, mailbox,
                                                                       rate_limited):
    rate_limited(PASSWORD_RESET_RATE_LIMIT="2 per hour")
    token = csrf_token(client, "/password/forgot")
    answers = [_ask_reset(client, token, user.email, address=f"10.0.0.{n}") for n in range(1, 5)]
    assert {answer.status_code for answer in answers} == {302}
    assert len(mailbox) == 2


def test_e_mail_change_requests_are_limited_per_user(client, auth, user, mailbox, rate_limited):
    rate_limited(EMAIL_CHANGE_RATE_LIMIT="1 per hour")
    auth.login(user)
    first = auth.post("/account/email", {"email": "een@example.org", "password": PASSWORD})
    assert first.status_code == 302
    again = auth.post("/account/email?lang=en", {"email": "twee@example.org", "password": PASSWORD})
    assert again.status_code == 429
    assert "Too many requests" in again.get_data(as_text=True)
    assert [message["To"] for message in mailbox].count("twee@example.org") == 0


def test_guessing_the_current_password_while_signed_in_is_limited(client, auth, user, rate_limited):
    rate_limited(LOGIN_RATE_LIMIT="2 per minute")
    auth.login(user)
    tries = [auth.post("/account/password", {"current": f"gok-{n}", "password": "regen-paraplu-fiets-8",
                                             "confirm": "regen-paraplu-fiets-8"}).status_code for n in range(3)]
    assert tries == [422, 422, 429]
