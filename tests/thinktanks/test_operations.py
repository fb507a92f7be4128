"""The think-tank operations, without a request: validation, joining rules, the plan."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from samen.core.database import db
from samen.core.errors import Conflict, DomainError
from samen.thinktanks import operations as tt_ops
from samen.thinktanks.models import Membership, Plan, ThinkTank

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_get_plan_does_not_store_a_default_plan(db):
    plan = tt_ops.get_plan()
    assert plan.title == "Samen"
    db.session.flush()
    assert _count(Plan) == 0


def test_update_plan_stores_the_plan_once(db):
    tt_ops.update_plan(tt_ops.get_plan(), title=" Samen sterk ", municipality="Nijkerk", introduction="Intro")
    db.session.commit()
    tt_ops.update_plan(tt_ops.get_plan(), title="Samen sterker", municipality="Nijkerk", introduction="")
    db.session.commit()
    assert _count(Plan) == 1
    assert tt_ops.get_plan().title == "Samen sterker"


def test_update_plan_needs_a_title(db):
    with pytest.raises(DomainError) as caught:
        tt_ops.update_plan(tt_ops.get_plan(), title="  ", municipality="", introduction="")
    assert caught.value.field == "title"


@pytest.mark.parametrize("data, field", [
    ({"slug": "ok"}, "name"),
    ({"name": "   ", "slug": "ok"}, "name"),
    ({"name": "x" * 121, "slug": "ok"}, "name"),
    ({"name": "Naam"}, "slug"),
    ({"name": "Naam", "slug": "Met Hoofdletters"}, "slug"),
    ({"name": "Naam", "slug": "-begint-met-streep"}, "slug"),
    ({"name": "Naam", "slug": "a" * 81}, "slug"),
    ({"name": "Naam", "slug": "ok", "join_policy": "secret"}, "join_policy"),
    ({"name": "Naam", "slug": "ok", "summary": "x" * 301}, "summary"),
    ({"name": "Naam", "slug": "ok", "position": "eerste"}, "position"),
])
def test_create_thinktank_refuses_bad_fields(db, data, field):
    with pytest.raises(DomainError) as caught:
        tt_ops.create_thinktank(data)
    assert caught.value.field == field
    assert _count(ThinkTank) == 0


def test_create_thinktank_refuses_a_taken_slug(db, thinktank):
    with pytest.raises(Conflict) as caught:
        tt_ops.create_thinktank({"name": "Nog een", "slug": thinktank.slug})
    assert caught.value.code == "slug_taken"


def test_update_thinktank_may_keep_its_own_slug_but_not_take_another(db, thinktank, create_thinktank):
    other = create_thinktank(slug="nazorg", name="Nazorg")
    tt_ops.update_thinktank(thinktank, {"name": "Preventie!", "slug": thinktank.slug})
    assert thinktank.name == "Preventie!"
    with pytest.raises(Conflict):
        tt_ops.update_thinktank(thinktank, {"slug": other.slug})


def test_join_survives_a_double_click(db, user, thinktank, monkeypatch):
    """Two joins at once: the unique constraint keeps one membership and the second join returns it."""
    tt_ops.join_thinktank(thinktank, user)
    real = tt_ops.membership_of
    looks = []

    def racing_membership_of(tt, u):
        looks.append(u)
        return None if len(looks) == 1 else real(tt, u)  # the first look missed the other request's insert

    monkeypatch.setattr(tt_ops, "membership_of", racing_membership_of)
    membership = tt_ops.join_thinktank(thinktank, user)
    assert len(looks) == 2  # the insert failed on the constraint, and the join looked again
    assert membership.is_active
    assert _count(Membership) == 1


def test_appoint_chair_twice_is_harmless(db, user, thinktank):
    tt_ops.appoint_chair(thinktank, user)
    tt_ops.appoint_chair(thinktank, user)
    assert tt_ops.chair_count(thinktank) == 1
    assert tt_ops.member_count(thinktank) == 1


def test_dismissed_chair_stays_a_member(db, user, thinktank):
    tt_ops.appoint_chair(thinktank, user)
    tt_ops.dismiss_chair(thinktank, user)
    membership = tt_ops.membership_of(thinktank, user)
    assert (membership.role, membership.status) == ("member", "active")


def test_restore_makes_an_archived_think_tank_joinable(db, user, thinktank):
    tt_ops.archive_thinktank(thinktank)
    with pytest.raises(DomainError):
        tt_ops.join_thinktank(thinktank, user)
    tt_ops.archive_thinktank(thinktank, archived=False)
    assert tt_ops.join_thinktank(thinktank, user).is_active
