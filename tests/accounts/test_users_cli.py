"""`flask users create` and `flask users token`: the same rules as the registration form."""
from __future__ import annotations

import pytest

from samen.accounts import operations as ops
from tests.conftest import Auth

PASSWORD = "lantaarn-brug-vijver-3"


@pytest.fixture
def cli(app, db):
    """Return a function that runs `flask …` on the rolled-back database."""
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


def test_create_a_resident_who_can_sign_in(cli, client, csrf_token):
    result = cli("users", "create", "Jan@Example.org", "--name", "Jan", "--password", PASSWORD)
    assert result.exit_code == 0, result.output
    assert "Created user" in result.output and "<jan@example.org>" in result.output
    user = ops.find_user_by_email("jan@example.org")
    assert (user.display_name, user.kind, user.organisation, user.is_admin) == (
        "Jan", "resident", None, False)
    assert user.password_hash.startswith("scrypt:")
    assert Auth(client, csrf_token).login("jan@example.org", PASSWORD).status_code == 302


def test_create_an_admin(cli):
    result = cli("users", "create", "beheer@example.org", "--name", "Beheer", "--password", PASSWORD,
                 "--admin")
    assert result.exit_code == 0, result.output
    assert "(admin)" in result.output
    assert ops.find_user_by_email("beheer@example.org").is_admin


def test_create_a_professional_with_organisation(cli):
    result = cli("users", "create", "ingrid@example.org", "--name", "Ingrid", "--password", PASSWORD,
                 "--professional", "--organisation", "Tactus")
    assert result.exit_code == 0, result.output
    user = ops.find_user_by_email("ingrid@example.org")
    assert (user.kind, user.organisation) == ("professional", "Tactus")


REFUSED = [
    # (case, changed arguments, extra options, what the error says)
    ("professional without organisation", {}, ["--professional"], "--organisation"),
    ("organisation without professional", {}, ["--organisation", "Tactus"], "--professional"),
    ("short password", {"password": "kort-1"}, [], "at least 10 characters"),
    ("common password", {"password": "password123"}, [], "too common"),
    ("invalid e-mail", {"email": "not-an-address"}, [], "EMAIL"),
    ("over-long name", {"name": "N" * 81}, [], "2 to 80 characters"),
    ("no name", {"name": " "}, [], "2 to 80 characters"),
]


@pytest.mark.parametrize("changed, options, message", [case[1:] for case in REFUSED],
                         ids=[case[0] for case in REFUSED])
def test_create_refuses_what_registration_refuses(cli, changed, options, message):
    arguments = {"email": "kees@example.org", "name": "Kees", "password": PASSWORD, **changed}
    before = ops.count_users()
    result = cli("users", "create", arguments["email"], "--name", arguments["name"],
                 "--password", arguments["password"], *options)
    assert result.exit_code != 0
    assert message in result.output
    assert ops.count_users() == before


def test_create_refuses_a_taken_address_in_any_case(cli, create_user):
    create_user(email="bezet@example.org")
    result = cli("users", "create", "Bezet@Example.ORG", "--name", "Bezet", "--password", PASSWORD)
    assert result.exit_code == 1
    assert "already exists" in result.output


def test_token_prints_a_token_that_works(cli, user):
    result = cli("users", "token", user.email.upper(), "--name", "dashboard")
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert token.startswith(ops.TOKEN_PREFIX)
    assert ops.user_for_token(token).id == user.id
    assert ops.user_for_token(token + "x") is None


def test_token_for_an_unknown_address_fails(cli):
    result = cli("users", "token", "niemand@example.org")
    assert result.exit_code == 1
    assert "No user with e-mail address" in result.output


def test_a_user_made_by_the_command_is_confirmed(cli):
    cli("users", "create", "jan@example.org", "--name", "Jan", "--password", PASSWORD)
    assert ops.find_user_by_email("jan@example.org").email_confirmed_at is not None


def test_confirm_an_address_without_the_link(cli, create_user, db):
    user = create_user(email="nieuw@example.org", email_confirmed=False)
    result = cli("users", "confirm", "Nieuw@example.org")
    assert result.exit_code == 0 and "nieuw@example.org is confirmed." in result.output
    db.session.expire_all()
    assert db.session.get(type(user), user.id).email_confirmed_at is not None
    assert "was confirmed already" in cli("users", "confirm", "nieuw@example.org").output
    assert cli("users", "confirm", "niemand@example.org").exit_code != 0
