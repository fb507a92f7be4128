"""The per-think-tank support limit (admins set it with the think tank): a whole number from 1 to 50, or empty
for no limit."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask, request_started
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from samen.accounts.models import User
from samen.core.database import db as _db
from samen.core.errors import DomainError
from samen.thinktanks import operations as tt_ops
from samen.thinktanks.models import ThinkTank
from tests.conftest import PASSWORD

QUICK_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
FORM = {"name": "Preventie", "slug": "preventie", "theme": "", "summary": "", "description": "",
        "join_policy": "open", "position": "0"}


# These two fixtures belong in tests/ideas/conftest.py; each web module repeats them until they move there.
@pytest.fixture(autouse=True)
def _like_production(app: Flask, client: FlaskClient) -> Iterator[None]:
    """Start each request with nothing cached in the session, as in production; show pages in English."""
    def forget(_sender: Flask, **_extra: Any) -> None:
        _db.session.expire_all()

    with client.session_transaction() as session:
        session["lang"] = "en"
    request_started.connect(forget, app)
    try:
        yield
    finally:
        request_started.disconnect(forget, app)


@pytest.fixture
def create_user(create_user: Callable[..., User]) -> Callable[..., User]:
    """Return the user factory, with a password hash that is quick to check: these tests sign in often."""
    def make(**fields: Any) -> User:
        user = create_user(**fields)
        user.password_hash = QUICK_HASH
        _db.session.commit()
        return user
    return make


def _limit(thinktank: ThinkTank) -> int | None:
    _db.session.expire_all()
    return _db.session.get(ThinkTank, thinktank.id).support_limit


def test_an_admin_sets_and_clears_the_support_limit(client, auth, thinktank, admin):
    auth.login(admin)
    html = client.get(f"/admin/thinktanks/{thinktank.slug}").get_data(as_text=True)
    assert '<label for="support_limit">Supports per member</label>' in html
    assert "Leave it empty for no limit." in html
    path = f"/admin/thinktanks/{thinktank.slug}"
    assert auth.post(path, FORM | {"support_limit": " 5 "}).status_code == 302
    assert _limit(thinktank) == 5
    assert 'value="5"' in client.get(path).get_data(as_text=True)
    for bound in ("1", "50"):
        auth.post(path, FORM | {"support_limit": bound})
        assert _limit(thinktank) == int(bound)
    auth.post(path, FORM | {"support_limit": ""})
    assert _limit(thinktank) is None


def test_a_new_think_tank_can_start_with_a_limit(client, auth, admin):
    auth.login(admin)
    auth.post("/admin/thinktanks/new", FORM | {"slug": "nazorg", "name": "Nazorg", "support_limit": "3"})
    assert tt_ops.get_thinktank("nazorg").support_limit == 3


@pytest.mark.parametrize("value, message", [
    ("0", "Enter a whole number from 1 to 50, or leave it empty."),
    ("51", "Enter a whole number from 1 to 50, or leave it empty."),
    ("-1", "Enter a whole number from 1 to 50, or leave it empty."),
    ("abc", "Not a valid integer value."),
    ("2.5", "Not a valid integer value."),
])
def test_a_bad_limit_is_a_form_error_and_stores_nothing(client, auth, thinktank, admin, value, message):
    thinktank.support_limit = 7
    _db.session.commit()
    auth.login(admin)
    response = auth.post(f"/admin/thinktanks/{thinktank.slug}",
                         FORM | {"support_limit": value, "name": "Nieuw"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="support_limit-error"' in html and message in html
    assert _limit(thinktank) == 7
    assert _db.session.get(ThinkTank, thinktank.id).name == "Preventie"


@pytest.mark.parametrize("value", [0, 51, "5", True, 2.0])
def test_the_operation_refuses_a_bad_limit_without_a_form(db, thinktank, value):
    with pytest.raises(DomainError) as error:
        tt_ops.update_thinktank(thinktank, {"support_limit": value})
    assert error.value.field == "support_limit"


def test_the_operation_leaves_the_limit_alone_when_not_given(db, thinktank):
    tt_ops.update_thinktank(thinktank, {"support_limit": 4})
    tt_ops.update_thinktank(thinktank, {"name": "Preventie!"})
    assert thinktank.support_limit == 4
    tt_ops.update_thinktank(thinktank, {"support_limit": None})
    assert thinktank.support_limit is None


def test_members_see_the_limit_at_work(client, auth, thinktank, admin, member):
    auth.login(admin)
    auth.post(f"/admin/thinktanks/{thinktank.slug}", FORM | {"support_limit": "2"})
    auth.logout()
    auth.login(member)
    html = client.get(f"/thinktanks/{thinktank.slug}/ideas").get_data(as_text=True)
    assert "You have used 0 of 2 supports in this think tank." in html
