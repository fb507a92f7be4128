"""The demo data hangs together: every reference resolves, every think tank has two chairs."""
from __future__ import annotations

import re
from collections import Counter

from samen.actions.models import ACTION_STATUSES, OPEN_ACTION_STATUSES
from samen.demo.data import ACTIONS, IDEAS, INDICATORS, PEOPLE, PLAN, TAGS, THINKTANKS
from samen.thinktanks.operations import SLUG_RE

HANDLES = {person.handle for person in PEOPLE}
SLUGS = {demo.slug for demo in THINKTANKS}
CHAIRS = {(demo.slug, handle) for demo in THINKTANKS for handle in demo.chairs}
MEMBERS = {(slug, person.handle) for person in PEOPLE for slug in person.thinktanks} | CHAIRS
IDEAS_BY_KEY = {idea.key: idea for idea in IDEAS}


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


def tag_slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def final_status(action) -> str:
    return next((u.status for u in reversed(action.updates) if u.status), "planned")


def test_five_to_eight_ideas_per_think_tank_with_unique_keys_and_titles():
    assert len({idea.key for idea in IDEAS}) == len(IDEAS)
    per_thinktank = Counter(idea.thinktank for idea in IDEAS)
    assert set(per_thinktank) == SLUGS
    assert all(5 <= n <= 8 for n in per_thinktank.values()), per_thinktank
    assert len({(idea.thinktank, idea.title) for idea in IDEAS}) == len(IDEAS)
    assert all(len(idea.title) <= 200 for idea in IDEAS)


def test_ideas_come_from_members_and_are_answered_by_chairs():
    for idea in IDEAS:
        people = [idea.author, *idea.supporters]
        people += [c.author for c in idea.comments] + [r.author for c in idea.comments for r in c.replies]
        if idea.moderation:
            people.append(idea.moderation.reporter)
            assert (idea.thinktank, idea.moderation.chair) in CHAIRS, idea.key
        assert all((idea.thinktank, handle) in MEMBERS for handle in people), idea.key
        assert idea.author not in idea.supporters and len(set(idea.supporters)) == len(idea.supporters)
        if idea.decision:
            assert (idea.thinktank, idea.decision.chair) in CHAIRS, idea.key
            assert 0 < idea.decision.days_ago < idea.days_ago, idea.key
        assert set(idea.tags) <= {tag_slug(name) for name in TAGS[idea.thinktank]}, idea.key


def test_the_ideas_show_every_kind_of_answer_an_anonymous_parent_and_moderation():
    statuses = Counter(idea.decision.status for idea in IDEAS if idea.decision)
    assert statuses["adopted"] >= 8 and statuses["rejected"] >= 2 and statuses["existing"] >= 2
    assert statuses["discussion"] >= 1 and any(idea.decision is None for idea in IDEAS)
    assert {idea.author for idea in IDEAS if idea.anonymous} >= {"moeder-hoevelaken"}
    moderated = [idea for idea in IDEAS if idea.moderation]
    assert len(moderated) == 1 and moderated[0].decision is None and moderated[0].moderation.note
    assert any(comment.replies for idea in IDEAS for comment in idea.comments)
    for title in ("Vrijplaats waar jongeren open met elkaar kunnen praten", "Ouders en familie tijdig informeren",
                  "Groepsdruk omdraaien", "Hulp via internet in kaart brengen", "Meldingsbereidheid vergroten",
                  "Voorlichting op scholen samen met het Trimbos-instituut", "Outreachend werken in de wijken",
                  "Terugval voorkomen na behandeling", "Vrijetijdsbesteding voor jongeren in het dorp"):
        assert title in {idea.title for idea in IDEAS}


def test_actions_come_from_adopted_ideas_and_are_owned_by_members():
    used = [key for action in ACTIONS for key in action.ideas]
    assert len(used) == len(set(used))
    for action in ACTIONS:
        ideas = [IDEAS_BY_KEY[key] for key in action.ideas]
        thinktank = ideas[0].thinktank
        assert all(idea.thinktank == thinktank and idea.decision.status == "adopted" for idea in ideas)
        assert (thinktank, action.by) in CHAIRS and (thinktank, action.owner) in MEMBERS, action.title
        assert action.start <= action.due
        assert all(max(idea.decision.days_ago for idea in ideas) > update.days_ago > 0 for update in action.updates)
        assert [u.days_ago for u in action.updates] == sorted((u.days_ago for u in action.updates), reverse=True)
        assert all(u.author in (action.owner, action.by) for u in action.updates), action.title
        assert all(not m.done or m.due <= 0 for m in action.milestones), action.title
        assert all(u.status in (None, *ACTION_STATUSES) for u in action.updates)
        assert set(action.indicators) <= {indicator.name for indicator in INDICATORS}


def test_the_actions_are_a_realistic_mix():
    statuses = Counter(final_status(action) for action in ACTIONS)
    assert statuses["done"] >= 2 and statuses["in_progress"] >= 3 and statuses["planned"] >= 2
    assert statuses["delayed"] >= 1
    overdue = [a for a in ACTIONS if final_status(a) in OPEN_ACTION_STATUSES and a.due < 0]
    assert len(overdue) >= 1
    assert all(a.due < 0 for a in ACTIONS if final_status(a) == "done")
    assert any(a.milestones and final_status(a) == "in_progress" for a in ACTIONS)
    assert [a.public for a in ACTIONS].count(False) == 1
    organisations = {action.organisation for action in ACTIONS}
    assert {"Tactus", "Jongerenwerk", "Gemeente Nijkerk", "Politie", "Voortgezet onderwijs"} <= organisations
    people = {person.handle: person for person in PEOPLE}
    for action in ACTIONS:  # owners work for the owning organisation (the gebiedsteams are the municipality's)
        expected = {"Gebiedsteam": "Gemeente Nijkerk"}.get(people[action.owner].organisation,
                                                          people[action.owner].organisation)
        assert action.organisation == expected, action.title


def test_the_indicators_follow_the_articles():
    by_name = {indicator.name: indicator for indicator in INDICATORS}
    helped = by_name["Inwoners geholpen door de gebiedsteams"]
    assert helped.baseline == (150, "2018-12-31") and helped.target[0] > 150 and helped.direction == "up"
    assert helped.source == "Gebiedsteams Nijkerk" and helped.thinktank is None
    arrests = by_name["Aanhoudingen voor drugshandel"]
    assert arrests.baseline == (20, "2016-12-31") and arrests.source == "Politie Midden-Nederland"
    assert [(day, value) for day, value, _note in arrests.measurements] == [("2017-12-31", 42), ("2018-12-31", 45)]
    reached = by_name["Jongeren bereikt met voorlichting"]
    assert reached.per_school_year and reached.thinktank == "preventie"
    assert (reached.thinktank, reached.by) in CHAIRS
    assert all(by_name[name] for action in ACTIONS for name in action.indicators)
    assert {name for action in ACTIONS for name in action.indicators} == set(by_name)
