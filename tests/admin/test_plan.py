"""Admins edit the plan: its title, municipality and Markdown introduction."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from samen.core.database import db
from samen.thinktanks import operations as tt_ops
from samen.thinktanks.models import Plan


def test_edit_plan_shows_it_on_the_home_page(client, auth, admin):
    auth.login(admin)
    form = client.get("/admin/plan").get_data(as_text=True)
    assert 'value="Samen"' in form  # the default title, before anyone saved the plan
    response = auth.post("/admin/plan", {"title": "Samen sterk tegen drugs", "municipality": "Nijkerk",
                                         "introduction": "Samen **sterk**.\n\n<script>alert(1)</script>"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"
    assert db.session.scalar(select(func.count()).select_from(Plan)) == 1
    html = client.get("/").get_data(as_text=True)
    assert "Samen sterk tegen drugs" in html and "municipality of Nijkerk" in html
    assert "<strong>sterk</strong>" in html
    assert "<script>alert" not in html


def test_edit_plan_twice_keeps_one_plan(client, auth, admin):
    auth.login(admin)
    auth.post("/admin/plan", {"title": "Een", "municipality": "Nijkerk"})
    auth.post("/admin/plan", {"title": "Twee", "municipality": "Nijkerk"})
    assert db.session.scalars(select(Plan.title)).all() == ["Twee"]


@pytest.mark.parametrize("data, message", [
    ({"title": "", "municipality": "Nijkerk"}, "This field is required."),
    ({"title": "   ", "municipality": "Nijkerk"}, "A title is required."),
    ({"title": "x" * 201, "municipality": "Nijkerk"}, "Field cannot be longer than 200 characters."),
    ({"title": "Plan", "municipality": ""}, "This field is required."),
])
def test_edit_plan_with_bad_input_is_422_and_stores_nothing(client, auth, admin, data, message):
    tt_ops.update_plan(tt_ops.get_plan(), title="Oud", municipality="Nijkerk", introduction="")
    db.session.commit()
    auth.login(admin)
    response = auth.post("/admin/plan", data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalars(select(Plan.title)).all() == ["Oud"]
