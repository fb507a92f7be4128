"""Loading the demo into a database without it: the password is hashed once, a named plan is kept, a database
from before the demo had ideas is completed. (Apart from test_loader.py and test_content.py, whose tests share one
loaded demo per module.)"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from samen.accounts import operations as account_ops
from samen.actions.models import Indicator
from samen.demo import loader
from samen.demo.data import ACTIONS, DEMO_PASSWORD, IDEAS, INDICATORS
from samen.demo.loader import load_demo
from samen.thinktanks import operations as tt_ops

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both


def test_who_left_is_left_out_and_the_rest_still_loads(db, monkeypatch, snapshot):
    # A database from before the demo had ideas: the people and think tanks exist, and one author has left.
    monkeypatch.setattr(loader, "IDEAS", ())
    load_demo()
    tt_ops.leave_thinktank(tt_ops.get_thinktank("preventie"), account_ops.find_user_by_email("lotte-19@samen.local"))
    db.session.commit()
    monkeypatch.undo()
    report = load_demo()
    db.session.commit()
    assert report.created["ideas"] == len(IDEAS) - 1  # hers is left out, with the action made of it
    assert report.created["actions"] == len(ACTIONS) - 1
    assert report.created["supports"] < sum(len(idea.supporters) for idea in IDEAS)
    # + the help desk's and the partner pulse's (samen/demo/evaluation_data.py)
    assert db.session.scalar(select(func.count()).select_from(Indicator)) == len(INDICATORS) + 2
    before = snapshot()
    assert not load_demo().changed
    assert snapshot() == before


def test_the_password_is_hashed_once(db, monkeypatch):
    calls: list[str] = []
    real = account_ops.hash_password

    def counting(password: str) -> str:
        calls.append(password)
        return real(password)
    monkeypatch.setattr(account_ops, "hash_password", counting)
    load_demo()
    assert calls == [DEMO_PASSWORD]


def test_a_blank_plan_is_filled_in_a_named_one_is_kept(db):
    tt_ops.update_plan(tt_ops.get_plan(), title="Nijkerk tegen drugs", municipality="", introduction="")
    db.session.commit()
    load_demo()
    plan = tt_ops.get_plan()
    assert (plan.title, plan.municipality) == ("Nijkerk tegen drugs", "Nijkerk")
    assert "2 juli" in plan.introduction
