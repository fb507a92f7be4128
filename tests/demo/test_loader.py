"""The demo loader: the plan, people and think tanks it creates, and that loading again changes nothing."""
from __future__ import annotations

import pytest

from samen.accounts import operations as account_ops
from samen.demo import loader
from samen.demo.data import DEMO_PASSWORD, PEOPLE, THINKTANKS
from samen.demo.loader import load_demo
from samen.thinktanks import operations as tt_ops

# database: what can differ between SQLite and PostgreSQL (runs on both); shared_database: one demo per module
pytestmark = [pytest.mark.database, pytest.mark.shared_database]

DEMO_LOGINS = ("admin@samen.local", "voorzitter@samen.local", "bewoner@samen.local")


def test_loading_twice_changes_nothing(db, demo, snapshot):
    first = snapshot()
    again = load_demo()
    db.session.commit()
    assert not again.changed
    assert str(again) == "Demo plan already loaded: nothing to add."
    assert snapshot() == first
    assert first["plans"] == 1
    assert first["demo thinktanks"] == len(THINKTANKS) == 4
    assert first["demo users"] == len(PEOPLE)


def test_the_first_load_reports_what_it_created(demo):
    assert demo.created["think tanks"] == 4
    assert demo.created["people"] == len(PEOPLE)
    assert demo.created["memberships"] > len(PEOPLE)
    assert "created 4 think tanks" in str(demo)


def test_loading_again_is_fast_no_hashing_and_a_few_queries(db, demo, count_queries, monkeypatch):
    def no_hashing(_password: str) -> str:
        raise AssertionError("the password is hashed only when a demo user is missing")
    monkeypatch.setattr(account_ops, "hash_password", no_hashing)
    with count_queries() as statements:
        load_demo()
    # One query each for the plan, think tanks, people, tags, ideas, indicators, meetings, the help pages and the
    # evaluations; none for the actions.
    assert len(statements) <= 9, statements


def test_the_plan_is_nijkerks(db, demo):
    plan = tt_ops.get_plan()
    assert (plan.title, plan.municipality) == ("Samen sterk tegen drugs", "Nijkerk")
    assert "Het gemeentelijk drugsbeleid is een zaak van alle Nijkerkers" in plan.introduction


@pytest.mark.parametrize("email", DEMO_LOGINS)
def test_the_demo_logins_work(db, demo, email):
    assert account_ops.authenticate(email, DEMO_PASSWORD) is not None
    assert account_ops.authenticate(email, "wrong-password-123") is None


def test_the_demo_logins_sign_in_through_the_form(demo, auth):
    response = auth.login("voorzitter@samen.local", DEMO_PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_the_demo_roles(db, demo):
    admin = account_ops.find_user_by_email("admin@samen.local")
    chair = account_ops.find_user_by_email("voorzitter@samen.local")
    resident = account_ops.find_user_by_email("bewoner@samen.local")
    assert admin.is_admin and not chair.is_admin and not resident.is_admin
    assert resident.kind == "resident" and chair.kind == "professional" and chair.organisation
    preventie = tt_ops.get_thinktank("preventie")
    assert chair in tt_ops.chairs(preventie)
    assert tt_ops.membership_of(preventie, resident).is_active
    # The resident is not in the approval think tank, so the demo can show asking to join.
    assert tt_ops.membership_of(tt_ops.get_thinktank("nazorg"), resident) is None


def test_four_think_tanks_each_with_two_chairs(db, demo):
    thinktanks = [tt for tt, _count in tt_ops.thinktanks_with_counts()]
    assert [tt.name for tt in thinktanks] == [demo_tt.name for demo_tt in THINKTANKS]
    for thinktank in thinktanks:
        assert thinktank.slug and thinktank.theme and thinktank.summary and thinktank.description
        assert len(tt_ops.chairs(thinktank)) == 2, thinktank.slug
        assert tt_ops.member_count(thinktank) >= 10, thinktank.slug


def test_nazorg_joins_by_approval_with_requests_waiting(db, demo):
    nazorg = tt_ops.get_thinktank("nazorg")
    assert not nazorg.is_open
    pending = tt_ops.memberships(nazorg, status="pending")
    assert len(pending) == 3
    assert "Bezorgde vader" in {m.user.display_name for m in pending}
    assert all(tt_ops.get_thinktank(slug).is_open for slug in ("preventie", "behandeling", "aanbod"))


def test_the_demo_pages_render(client, demo):
    home = client.get("/")
    assert home.status_code == 200
    html = home.get_data(as_text=True)
    assert "Samen sterk tegen drugs" in html and "<blockquote>" in html
    for demo_tt in THINKTANKS:
        page = client.get(f"/thinktanks/{demo_tt.slug}")
        assert page.status_code == 200
        assert "<li>" in page.get_data(as_text=True)  # the bullet points are rendered as a list


def test_edits_are_not_overwritten_and_blanks_are_filled(db, demo):
    preventie = tt_ops.get_thinktank("preventie")
    tt_ops.update_thinktank(preventie, {"description": "Onze eigen tekst.", "summary": ""})
    db.session.commit()
    report = load_demo()
    assert report.filled["think tanks"] == 1
    assert preventie.description == "Onze eigen tekst."
    assert preventie.summary == THINKTANKS[0].summary


def test_who_left_a_think_tank_is_not_put_back(db, demo, snapshot):
    resident = account_ops.find_user_by_email("bewoner@samen.local")
    aanbod = tt_ops.get_thinktank("aanbod")
    tt_ops.leave_thinktank(aanbod, resident)
    nazorg = tt_ops.get_thinktank("nazorg")
    request = tt_ops.memberships(nazorg, status="pending")[0]
    tt_ops.decide_membership(request, approve=False)
    db.session.commit()
    before = snapshot()
    assert not load_demo().changed
    assert snapshot() == before
    assert tt_ops.membership_of(aanbod, resident) is None


def test_a_new_think_tank_in_the_data_gets_its_members(db, demo, monkeypatch):
    extra = loader.DemoThinkTank(slug="sport", name="Sport", theme="", summary="", description="",
                                 chairs=("tactus-ingrid", "bewoner"))
    monkeypatch.setattr(loader, "THINKTANKS", (*THINKTANKS, extra))
    report = load_demo()
    assert report.created == {"think tanks": 1, "memberships": 2}
    assert len(tt_ops.chairs(tt_ops.get_thinktank("sport"))) == 2


def test_the_demo_people_said_their_groups_and_the_chair_invited_two(db, demo):
    """The demo's "who takes part" (samen/demo/people_data.py): groups said, and two invitations that wait."""
    from sqlalchemy import func, select

    from samen.accounts.groups import UserGroup
    from samen.people.models import Invitation
    from samen.people.participation import participation

    assert db.session.scalar(select(func.count()).select_from(UserGroup)) > 50
    assert sorted(db.session.scalars(select(Invitation.email))) == ["ilse.koster@example.org",
                                                                    "mo.haddou@example.org"]
    rows = {row.key: row for row in participation()}
    assert rows["parent"].members.value and rows["professional"].members.value
