"""The demo data hangs together: every reference resolves, every think tank has two chairs."""
from __future__ import annotations

from collections import Counter

from samen.demo.data import PEOPLE, PLAN, THINKTANKS
from samen.thinktanks.operations import SLUG_RE

HANDLES = {person.handle for person in PEOPLE}
SLUGS = {demo.slug for demo in THINKTANKS}


def test_handles_and_slugs_are_unique_and_valid():
    assert len(HANDLES) == len(PEOPLE)
    assert len(SLUGS) == len(THINKTANKS)
    assert all(SLUG_RE.match(slug) for slug in SLUGS)
    assert all(len(person.display_name) <= 80 and len(person.email) <= 254 for person in PEOPLE)


def test_every_reference_is_to_a_known_person_or_think_tank():
    for person in PEOPLE:
        assert set(person.thinktanks) <= SLUGS, person.handle
    for demo in THINKTANKS:
        assert set(demo.chairs) <= HANDLES, demo.slug
        assert set(demo.pending) <= HANDLES, demo.slug


def test_four_think_tanks_each_with_two_chairs():
    names = [demo.name for demo in THINKTANKS]
    assert names == ["Preventie", "Nazorg / familie en vrienden", "Behandeling", "Aanbod"]
    assert all(len(set(demo.chairs)) == 2 for demo in THINKTANKS)


def test_pending_requests_only_where_joining_needs_approval_and_not_from_members():
    members = {(slug, person.handle) for person in PEOPLE for slug in person.thinktanks}
    for demo in THINKTANKS:
        assert not demo.pending or demo.join_policy == "approval"
        for handle in demo.pending:
            assert (demo.slug, handle) not in members and handle not in demo.chairs
    assert [demo.slug for demo in THINKTANKS if demo.pending] == ["nazorg"]


def test_about_seventy_five_people_residents_and_professionals():
    kinds = Counter(person.kind for person in PEOPLE)
    assert 70 <= len(PEOPLE) <= 80
    assert kinds["resident"] > kinds["professional"] >= 20
    organisations = {person.organisation for person in PEOPLE}
    assert {"Tactus", "Politie", "Jongerenwerk", "Gebiedsteam", "GGD", "Halt"} <= organisations
    assert {"Moeder uit Hoevelaken", "Bezorgde vader"} <= {person.display_name for person in PEOPLE}


def test_the_introduction_tells_where_the_plan_came_from():
    for phrase in ("2 juli", "vijfenzeventig", "Nijkerkerveen", "Hoevelaken", "vier denktanks",
                   "Het gemeentelijk drugsbeleid is een zaak van alle Nijkerkers"):
        assert phrase in PLAN.introduction
