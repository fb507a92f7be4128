"""The e-mail digest preference on the profile: never, daily or weekly; stored now, sent later."""
from __future__ import annotations

import re

import pytest

from samen.accounts import operations as account_ops
from samen.accounts.models import User
from samen.core.database import db
from samen.core.errors import DomainError
from tests.thinktanks.support import assert_accessible_outline

PROFILE = {"display_name": "Buurvrouw", "kind": "resident", "organisation": "", "locale": "en"}


def _digest(user: User) -> str:
    db.session.expire_all()
    return db.session.get(User, user.id).digest


def test_the_profile_offers_the_digest_as_a_group_of_choices(client, auth, user):
    auth.login(user)
    html = client.get("/account").get_data(as_text=True)
    assert "<legend>E-mail about your notifications</legend>" in html
    for value in ("never", "daily", "weekly"):
        assert f'value="{value}"' in html
    assert re.search(r'<input checked[^>]*value="weekly"', html)  # the default for new accounts (December 2026)
    assert_accessible_outline(html)


@pytest.mark.parametrize("choice", ["daily", "weekly", "never"])
def test_the_choice_is_saved(client, auth, user, choice):
    user.digest = "daily" if choice == "never" else "never"
    db.session.commit()
    auth.login(user)
    response = auth.post("/account", PROFILE | {"digest": choice})
    assert response.status_code == 302
    assert _digest(user) == choice
    assert re.search(rf'<input checked[^>]*value="{choice}"', client.get("/account").get_data(as_text=True))


@pytest.mark.parametrize("value", ["hourly", "", "NEVER"])
def test_an_unknown_choice_is_a_form_error_and_stores_nothing(client, auth, user, value):
    user.digest = "weekly"
    db.session.commit()
    auth.login(user)
    response = auth.post("/account", PROFILE | {"digest": value, "display_name": "Ander"})
    assert response.status_code == 422
    assert "Choose never, daily or weekly." in response.get_data(as_text=True)
    assert _digest(user) == "weekly"
    assert db.session.get(User, user.id).display_name != "Ander"


def test_a_form_without_the_field_keeps_the_choice(client, auth, user):
    user.digest = "weekly"
    db.session.commit()
    auth.login(user)
    assert auth.post("/account", PROFILE).status_code == 302
    assert _digest(user) == "weekly"


def test_the_operation_refuses_an_unknown_choice(db, user):
    with pytest.raises(DomainError) as error:
        account_ops.update_profile(user, display_name="X Y", kind="resident", organisation=None, locale=None,
                                   digest="monthly")
    assert error.value.field == "digest"
