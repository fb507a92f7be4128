"""The account operations on their own, without a request: the rules hold for every caller (web, API, CLI)."""
from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from samen.accounts import operations as ops
from samen.accounts.models import User, UserSession
from samen.core.errors import Conflict, DomainError

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both


def test_a_professional_needs_an_organisation(db):
    with pytest.raises(DomainError) as raised:
        ops.create_user(email="pro@example.org", display_name="Pro", password_hash="x", kind="professional",
                        organisation="  ")
    assert raised.value.field == "organisation"
    assert ops.find_user_by_email("pro@example.org") is None


def test_an_unknown_kind_is_refused(db):
    with pytest.raises(DomainError):
        ops.create_user(email="raar@example.org", display_name="Raar", password_hash="x", kind="admin")


def test_a_taken_address_lost_in_a_race_is_a_conflict_not_a_crash(db, create_user, monkeypatch):
    create_user(email="race@example.org")
    before = db.session.scalar(select(func.count()).select_from(User))
    monkeypatch.setattr(ops, "find_user_by_email", lambda email: None)  # both checks ran before either insert
    with pytest.raises(Conflict):
        ops.create_user(email="Race@Example.org", display_name="Tweede", password_hash="x")
    monkeypatch.undo()
    db.session.commit()  # the session is still usable
    assert db.session.scalar(select(func.count()).select_from(User)) == before


def test_update_profile_keeps_the_rules(db, user):
    with pytest.raises(DomainError):
        ops.update_profile(user, display_name="Nieuw", kind="professional", organisation=None, locale="en")
    assert (user.display_name, user.kind, user.locale) == ("Ouder uit Nijkerk", "resident", None)
    ops.update_profile(user, display_name=" Nieuw ", kind="professional", organisation=" GGD ", locale="en")
    assert (user.display_name, user.kind, user.organisation, user.locale) == (
        "Nieuw", "professional", "GGD", "en")


@pytest.mark.parametrize("password, problem", [
    ("kort", "at least 10"),
    ("password123", "too common"),
    ("jan@example.org", "too common"),
    ("x" * 201, "at most 200"),
    ("tulp-molen-kaas-42", None),
])
def test_password_problem(app, password, problem):
    found = ops.password_problem(password, min_length=10, user_inputs=["jan@example.org", "Jan"])
    if problem is None:
        assert found is None
    else:
        with app.app_context(), force_locale("en"):
            assert problem in str(found)


def test_change_password_ends_every_session_but_the_current_one(db, user):
    current = ops.start_session(user)
    ops.start_session(user)
    ops.start_session(user)
    user.session_key = current
    ops.change_password(user, "een-nieuw-wachtwoord-5")
    db.session.commit()
    assert db.session.scalar(select(func.count()).where(UserSession.user_id == user.id)) == 1
    assert ops.load_session(current).id == user.id
    assert ops.verify_password(user, "een-nieuw-wachtwoord-5")


def test_an_ended_session_loads_no_one(db, user):
    key = ops.start_session(user)
    db.session.commit()
    assert ops.load_session(key).id == user.id
    ops.end_session(key)
    db.session.commit()
    assert ops.load_session(key) is None
    assert ops.load_session("a-key-that-never-was") is None
