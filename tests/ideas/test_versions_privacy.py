"""Earlier versions of an anonymous idea: only its author and the chairs read them; the author removes them for good."""
from __future__ import annotations


import pytest
from sqlalchemy import select

from samen.audit.models import AuditEntry
from samen.core.errors import DomainError, Forbidden
from samen.ideas import operations as ops
from samen.ideas.models import IdeaVersion
from tests.conftest import speak

OLD = "Ik woon naast de snackbar aan de Kerkstraat"


pytestmark = pytest.mark.usefixtures("like_production")



@pytest.fixture
def edited(create_idea, thinktank, member, db):
    """Return a function making an idea of the member that was edited twice (two earlier versions)."""
    def make(*, anonymous: bool):
        idea = create_idea(thinktank, member, title="Vrijplaats", body=OLD, anonymous=anonymous)
        ops.edit_idea(idea, by=member, body="Een plek in de wijk.")
        ops.edit_idea(idea, by=member, body="Een plek zonder oordeel.")
        db.session.commit()
        return idea
    return make


def versions_in_database(db, idea) -> list[IdeaVersion]:
    return list(db.session.scalars(select(IdeaVersion).where(IdeaVersion.idea_id == idea.id)
                                   .order_by(IdeaVersion.id)))


@pytest.mark.parametrize("anonymous", [True, False], ids=["anonymous idea", "named idea"])
@pytest.mark.parametrize("viewer, moderates", [
    ("visitor", False), ("outsider", False), ("member", False), ("author", False), ("chair", True),
    ("admin", True)])
def test_who_reads_the_earlier_versions(client, auth, edited, member, chair, admin, user, make_member, thinktank,
                                        db, viewer, moderates, anonymous):
    idea = edited(anonymous=anonymous)
    people = {"outsider": user, "member": make_member(thinktank), "author": member, "chair": chair, "admin": admin}
    if viewer in people:
        auth.login(people[viewer])
    speak(client, "en")
    html = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    sees = not anonymous or viewer == "author" or moderates
    assert (OLD in html) is sees
    assert ("2 previous versions" in html) is sees
    assert ("Remove all earlier versions" in html) is (viewer == "author")
    person = people.get(viewer)
    assert len(ops.versions(idea, person, moderator=ops.can_moderate(thinktank, person))) == (2 if sees else 0)


@pytest.mark.parametrize("language, said", [("en", "1 earlier version is removed."),
                                            ("nl", "1 eerdere versie is verwijderd.")])
def test_the_author_removes_one_version_for_good_and_the_log_keeps_no_content(client, auth, edited, member, chair,
                                                                              db, language, said):
    idea = edited(anonymous=True)
    first, second = versions_in_database(db, idea)
    auth.login(member)
    speak(client, language)
    answer = auth.post(f"/ideas/{idea.id}/versions/{first.id}/delete", follow_redirects=True)
    assert said in answer.get_data(as_text=True)
    assert [version.id for version in versions_in_database(db, idea)] == [second.id]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "idea.versions_removed"))
    assert (entry.actor_id, entry.subject_type, entry.subject_id, entry.data) == (member.id, "idea", idea.id,
                                                                                  {"count": 1})
    auth.logout()
    auth.login(chair)  # the chairs cannot read it any more either
    assert OLD not in client.get(f"/ideas/{idea.id}").get_data(as_text=True)


def test_the_author_removes_all_earlier_versions(client, auth, edited, member, db):
    idea = edited(anonymous=False)
    auth.login(member)
    speak(client, "en")
    html = auth.post(f"/ideas/{idea.id}/versions/delete", follow_redirects=True).get_data(as_text=True)
    assert "2 earlier versions are removed." in html
    assert versions_in_database(db, idea) == []
    assert "previous version" not in html and "Een plek zonder oordeel." in html


@pytest.mark.parametrize("viewer, status", [("visitor", 302), ("member", 403), ("chair", 403), ("admin", 403)])
def test_no_one_else_removes_them(client, auth, edited, chair, admin, make_member, thinktank, db, viewer, status):
    idea = edited(anonymous=True)
    people = {"member": make_member(thinktank), "chair": chair, "admin": admin}
    if viewer in people:
        auth.login(people[viewer])
    first = versions_in_database(db, idea)[0]
    assert auth.post(f"/ideas/{idea.id}/versions/{first.id}/delete").status_code == status
    assert auth.post(f"/ideas/{idea.id}/versions/delete").status_code == status
    assert len(versions_in_database(db, idea)) == 2
    with pytest.raises(Forbidden):
        ops.remove_versions(idea, by=people.get(viewer, chair))


def test_a_version_of_another_idea_or_gone_is_not_removed(edited, create_idea, thinktank, member, db):
    idea = edited(anonymous=True)
    other = create_idea(thinktank, member, title="Ander idee")
    ops.edit_idea(other, by=member, body="Nieuw")
    db.session.commit()
    [theirs] = versions_in_database(db, other)
    with pytest.raises(DomainError):
        ops.remove_versions(idea, by=member, version_id=theirs.id)
    assert len(versions_in_database(db, other)) == 1
    assert ops.remove_versions(idea, by=member) == 2
    assert ops.remove_versions(idea, by=member) == 0


def test_removing_versions_works_in_an_archived_think_tank(edited, member, thinktank, db):
    from samen.core.database import utcnow
    idea = edited(anonymous=True)
    thinktank.archived_at = utcnow()
    db.session.commit()
    assert ops.remove_versions(idea, by=member) == 2
