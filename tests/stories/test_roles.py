"""Who sees stories: field workers their own, the analysis team all, nobody else; every read is audited."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select, text

from samen.audit.models import AuditEntry
from samen.core.errors import DomainError, Forbidden
from samen.privacy.registry import features
from samen.stories import operations as ops
from samen.stories.models import Story, StoryTheme
from tests.stories.conftest import ANALYSIS_ONLY, QUOTABLE

pytestmark = pytest.mark.database


@pytest.mark.parametrize("role, status", [("anonymous", 302), ("member", 403), ("chair", 403), ("admin", 403),
                                          ("coordinator", 403), ("other_worker", 404), ("author", 200),
                                          ("analyst", 200)])
def test_who_reads_a_story(client, auth, role, status, member, chair, admin, coordinator, other_worker,
                           field_worker, analyst, make_story):
    story = make_story(ANALYSIS_ONLY, consent="analysis")
    people = {"member": member, "chair": chair, "admin": admin, "coordinator": coordinator,
              "other_worker": other_worker, "author": field_worker, "analyst": analyst}
    if role != "anonymous":
        auth.login(people[role])
    response = client.get(f"/verhalen/{story.id}")
    assert response.status_code == status
    assert (ANALYSIS_ONLY in response.get_data(as_text=True)) == (status == 200)


def test_a_field_worker_lists_their_own_and_the_analyst_all(client, auth, field_worker, other_worker, analyst,
                                                            make_story):
    mine = make_story(QUOTABLE)
    theirs = make_story("Verhaal van Joost over de sporthal", by=other_worker)
    assert [story.id for story in ops.list_stories(field_worker)] == [theirs.id, mine.id][1:]
    assert {story.id for story in ops.list_stories(analyst)} == {mine.id, theirs.id}


def test_reads_and_changes_are_audited_without_content(db, field_worker, analyst, make_story, themes):
    story = make_story(QUOTABLE)
    ops.read_story(story.id, by=analyst)
    ops.analyse_story(story, by=analyst, themes=[themes[1].id], sources=[])
    ops.update_story(story, by=field_worker, text=QUOTABLE + " Nog meer.", teller="parent", neighbourhood="Oost",
                     told_on="2026-11-02", consent="analysis", today=date(2026, 12, 7))
    db.session.commit()
    entries = list(db.session.scalars(select(AuditEntry).where(AuditEntry.subject_type == "story",
                                                               AuditEntry.subject_id == story.id)
                                      .order_by(AuditEntry.id)))
    assert [entry.action for entry in entries] == ["story.created", "story.read", "story.analysed", "story.updated"]
    assert entries[-1].data["consent"] == ["quote", "analysis"]
    assert all("ijsvogel" not in str(entry.data) for entry in entries)


def test_only_field_workers_record_and_only_authors_change(db, analyst, other_worker, make_story, member):
    with pytest.raises(Forbidden):
        ops.record_story(by=analyst, text="x", teller="parent", neighbourhood="Oost", told_on="2026-11-02",
                         consent="quote")
    story = make_story()
    with pytest.raises(Forbidden):
        ops.update_story(story, by=other_worker, text="x", teller="parent", neighbourhood="Oost",
                         told_on="2026-11-02", consent="quote")
    with pytest.raises(Forbidden):
        ops.list_stories(member)


@pytest.mark.parametrize("fields, field", [
    ({"told_on": "2027-01-01"}, "told_on"), ({"teller": "mayor"}, "teller"), ({"consent": "all"}, "consent"),
    ({"action_needed": True, "action_taken": ""}, "action_taken"), ({"text": ""}, "text"),
    ({"neighbourhood": ""}, "neighbourhood")])
def test_bad_input_names_its_field(field_worker, fields, field):
    values = {"text": "Een verhaal", "teller": "parent", "neighbourhood": "Oost", "told_on": "2026-11-02",
              "consent": "quote", **fields}
    with pytest.raises(DomainError) as caught:
        ops.record_story(by=field_worker, today=date(2026, 12, 7), **values)
    assert caught.value.field == field


def test_a_story_from_notes_is_marked(make_story):
    assert make_story(told_on=date(2026, 10, 1)).from_notes
    assert not make_story(told_on=date(2026, 12, 7)).from_notes


def test_the_text_is_encrypted_at_rest(db, make_story):
    story = make_story(ANALYSIS_ONLY)
    raw = db.session.execute(text("SELECT text, neighbourhood FROM stories WHERE id = :id"), {"id": story.id}).one()
    assert "kikvors" not in raw[0] and "Baarn" not in raw[1]
    db.session.expire_all()
    assert db.session.get(Story, story.id).text == ANALYSIS_ONLY


def test_theme_counts_never_give_out_fewer_than_five(db, make_story, themes):
    for _ in range(5):
        make_story(themes=[themes[0].id, themes[1].id])
    for _ in range(4):
        make_story(themes=[themes[2].id])
    make_story(themes=[themes[1].id], told_on=date(2025, 6, 1))
    assert ops.theme_counts(date(2026, 1, 1), date(2026, 12, 31)) == [("Normalisering", 5),
                                                                     ("Schulden bij dealers", 5)]
    assert ops.theme_counts(date(2025, 1, 1), date(2025, 12, 31)) == []


def test_retention_deletes_old_stories(db, make_story):
    old = make_story(told_on=date(2020, 1, 1))
    new = make_story()
    rule = next(feature for feature in features() if feature.name == "stories")
    assert rule.retain(now=datetime(2026, 12, 7), settings={"STORIES_RETENTION_DAYS": 0}, dry_run=False) == {}
    assert db.session.get(Story, old.id) is not None  # 0 keeps them
    result = rule.retain(now=datetime(2026, 12, 7), settings={"STORIES_RETENTION_DAYS": 365}, dry_run=False)
    assert result == {"stories": 1}
    assert db.session.get(Story, old.id) is None and db.session.get(Story, new.id) is not None


def test_the_coordinator_names_field_workers(client, auth, coordinator, member, db):
    auth.login(coordinator)
    assert auth.post("/verhalen/veldwerkers", {"email": member.email}).status_code == 302
    assert ops.is_field_worker(member) or db.session.scalar(
        text("SELECT count(*) FROM plan_roles WHERE user_id = :id AND role = 'field_worker'"), {"id": member.id})
    assert auth.post(f"/verhalen/veldwerkers/{member.id}/verwijderen").status_code == 302
    assert not db.session.scalar(
        text("SELECT count(*) FROM plan_roles WHERE user_id = :id AND role = 'field_worker'"), {"id": member.id})


def test_members_may_not_name_field_workers(client, auth, member):
    auth.login(member)
    assert client.get("/verhalen/veldwerkers").status_code == 403
    assert client.get("/verhalen/themas").status_code == 403


@pytest.mark.parametrize("role, allowed", [("admin", True), ("coordinator", True), ("member", False),
                                           ("chair", False), ("field_worker", False), ("analyst", False)])
def test_who_keeps_the_themes_and_names_field_workers(client, auth, db, admin, coordinator, member, chair,
                                                      field_worker, analyst, create_user, role, allowed):
    """Administrators and the coordinator keep the list of themes and make people field workers of the plan;
    nobody else, not even the stories' own team."""
    person = {"admin": admin, "coordinator": coordinator, "member": member, "chair": chair,
              "field_worker": field_worker, "analyst": analyst}[role]
    newcomer = create_user(display_name="Nieuwe veldwerker")
    auth.login(person)
    added = auth.post("/verhalen/themas", {"name": "Wachtlijsten"})
    named = auth.post("/verhalen/veldwerkers", {"email": newcomer.email})
    assert (added.status_code, named.status_code) == ((302, 302) if allowed else (403, 403))
    theme = db.session.scalar(select(StoryTheme).where(StoryTheme.name == "Wachtlijsten"))
    assert (theme is not None) == allowed
    assert bool(db.session.scalar(text("SELECT count(*) FROM plan_roles WHERE user_id = :id AND role = "
                                       "'field_worker'"), {"id": newcomer.id})) == allowed
    if allowed:
        assert auth.post(f"/verhalen/themas/{theme.id}/archiveren").status_code == 302
        db.session.expire_all()
        assert db.session.get(StoryTheme, theme.id).archived
        assert "Wachtlijsten" not in [item.name for item in ops.list_themes()]  # not offered for new stories
