"""What the public pages show: the plan, the list, a think tank with its chairs, the members."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from samen.core.database import db
from samen.thinktanks import operations as tt_ops
from samen.thinktanks.models import Plan
from tests.thinktanks.support import assert_accessible_outline


def test_home_page_shows_the_plan_and_active_think_tanks(client, create_thinktank):
    plan = tt_ops.get_plan()
    tt_ops.update_plan(plan, title="Samen sterk tegen drugs", municipality="Nijkerk",
                       introduction="We **beginnen**.")
    create_thinktank(slug="preventie", name="Preventie", summary="Voorkomen is beter.")
    tt_ops.archive_thinktank(create_thinktank(slug="oud", name="Oude denktank"))
    db.session.commit()
    html = client.get("/").get_data(as_text=True)
    assert "<h1 id=\"plan-heading\">Samen sterk tegen drugs</h1>" in html
    assert "Action plan of the municipality of Nijkerk" in html
    assert "<strong>beginnen</strong>" in html
    assert "Preventie" in html and "Voorkomen is beter." in html
    assert "Oude denktank" not in html


def test_home_page_without_a_plan_stores_nothing(client):
    assert client.get("/").status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Plan)) == 0


def test_list_shows_active_then_archived_think_tanks(client, create_thinktank):
    create_thinktank(slug="preventie", name="Preventie")
    tt_ops.archive_thinktank(create_thinktank(slug="oud", name="Oude denktank"))
    db.session.commit()
    html = client.get("/thinktanks/").get_data(as_text=True)
    assert html.index("Active think tanks") < html.index("Preventie") < html.index("Archived think tanks") \
        < html.index("Oude denktank")
    assert "Archived</span>" in html  # the state is said in words, not only by colour


def test_empty_list(client):
    html = client.get("/thinktanks/").get_data(as_text=True)
    assert "There are no think tanks yet." in html
    assert "Archived think tanks" not in html


def test_think_tank_page_shows_description_chairs_and_member_count(client, create_user, create_thinktank):
    nazorg = create_thinktank(slug="nazorg", name="Nazorg", theme="Familie en vrienden",
                              summary="Steun voor wie geraakt wordt.",
                              description="## Wat we doen\n\nLuisteren.")
    tt_ops.appoint_chair(nazorg, create_user(display_name="Anja", kind="professional", organisation="Tactus"))
    tt_ops.appoint_chair(nazorg, create_user(display_name="Bert"))
    tt_ops.join_thinktank(nazorg, create_user(display_name="Carla"))
    db.session.commit()
    html = client.get("/thinktanks/nazorg").get_data(as_text=True)
    assert "<h1>Nazorg</h1>" in html
    assert "Familie en vrienden" in html and "Steun voor wie geraakt wordt." in html
    assert "<h2>Wat we doen</h2>" in html and "Luisteren." in html
    # In public a chair appears by their organisation, or as "a chair" (core/names.py); signed in, by name.
    assert "<li>Tactus</li>" in html and "a chair" in html and "Anja" not in html and "Bert" not in html
    assert "3 members" in html
    assert "Carla" not in html  # the member list is for members only
    assert "Sign in to join" in html


@pytest.mark.parametrize("description", [
    "<script>alert('xss')</script>Hallo",
    "[klik hier](javascript:alert('xss'))",
    "<a href=\"javascript:alert('xss')\">klik</a>",
    "<img src=x onerror=\"alert('xss')\">",
    "<p onclick=\"alert('xss')\">Hallo</p>",
])
def test_description_is_sanitised(client, create_thinktank, description):
    create_thinktank(slug="gevaar", name="Gevaar", description=description)
    html = client.get("/thinktanks/gevaar").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "javascript:" not in html
    assert "alert(" not in html
    assert "onerror" not in html and "onclick" not in html


@pytest.mark.parametrize("role, state, action", [
    ("resident", "You are not a member.", "Ask to join"),
    ("pending", "Your request to join is waiting for a chair.", "Withdraw request"),
    ("member", "You are a member.", "Leave this think tank"),
    ("chair", "You chair this think tank.", "Leave this think tank"),
    ("admin", "You are not a member.", "Ask to join"),
])
def test_think_tank_page_says_your_membership_in_words(client, auth, world, role, state, action):
    auth.login(world.user(role))
    html = client.get(f"/thinktanks/{world.thinktank.slug}").get_data(as_text=True)
    assert state in html
    assert action in html
    assert ("See the members" in html) is (role in ("member", "chair", "admin"))
    assert ("Edit think tank" in html) is (role == "admin")
    assert ("2 requests to join are waiting" in html) is (role in ("chair", "admin"))


def test_open_think_tank_offers_to_join(client, auth, user, thinktank):
    auth.login(user)
    assert "Join this think tank" in client.get(f"/thinktanks/{thinktank.slug}").get_data(as_text=True)


def test_members_page_lists_members_with_chairs_first(client, auth, world):
    auth.login(world.user("member"))
    html = client.get(f"/thinktanks/{world.thinktank.slug}/members").get_data(as_text=True)
    assert "Members of Nazorg" in html
    assert "2 members" in html
    assert html.index("Rol chair") < html.index("Rol member")
    assert "Rol pending" not in html and "Aanvrager" not in html  # requests are for chairs
    assert "Requests to join" not in html
    assert "(you)" in html


def test_members_page_shows_requests_to_chairs(client, auth, world):
    auth.login(world.user("chair"))
    html = client.get(f"/thinktanks/{world.thinktank.slug}/members").get_data(as_text=True)
    assert "Requests to join" in html
    assert "Rol pending" in html and "Aanvrager" in html
    assert "the request of Aanvrager" in html  # the buttons say whose request they decide


@pytest.mark.parametrize("role", ["anonymous", "member", "chair", "admin"])
def test_pages_have_a_sound_outline(client, auth, world, role, create_thinktank):
    tt_ops.archive_thinktank(create_thinktank(slug="oud", name="Oud"))
    db.session.commit()
    if role != "anonymous":
        auth.login(world.user(role))
    slug = world.thinktank.slug
    paths = ["/", "/thinktanks/", f"/thinktanks/{slug}", "/thinktanks/oud"]
    if role != "anonymous":
        paths.append(f"/thinktanks/{slug}/members")
    for path in paths:
        assert_accessible_outline(client.get(path).get_data(as_text=True))
