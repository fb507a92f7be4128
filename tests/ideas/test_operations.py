"""The rules of ideas, through the operations every interface shares."""
from __future__ import annotations

import pytest

from samen.follows.fanout import fan_out
from samen.core.errors import Conflict, DomainError, Forbidden
from samen.ideas import operations as ops
from samen.ideas.models import Support
from samen.notifications.models import Notification
from samen.thinktanks import operations as tt_ops
from sqlalchemy import func, select

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both


def test_only_members_post(thinktank, user, db):
    with pytest.raises(Forbidden):
        ops.create_idea(thinktank, author=user, title="Voorlichting op school")


def test_archived_think_tank_is_read_only(thinktank, member, idea, db):
    tt_ops.archive_thinktank(thinktank)
    with pytest.raises(DomainError) as error:
        ops.support_idea(idea, member)
    assert error.value.code == "archived"


def test_tags_are_offered_once_and_not_in_an_archived_think_tank(thinktank, db):
    assert ops.create_tag(thinktank, "Verkeer").slug == "verkeer"
    with pytest.raises(Conflict) as taken:
        ops.create_tag(thinktank, "verkeer")
    assert taken.value.field == "name"  # the form shows it at the name
    tt_ops.archive_thinktank(thinktank)
    with pytest.raises(DomainError) as archived:
        ops.create_tag(thinktank, "Fietsen")
    assert archived.value.code == "archived" and archived.value.status == 409


def test_support_once_and_withdraw(idea, member, db):
    assert ops.support_idea(idea, member) is True
    assert ops.support_idea(idea, member) is False
    db.session.commit()
    db.session.refresh(idea)
    assert idea.support_count == 1
    assert ops.withdraw_support(idea, member) is True
    db.session.refresh(idea)
    assert idea.support_count == 0


def test_support_limit(thinktank, member, create_idea, db):
    thinktank.support_limit = 2
    ideas = [create_idea(thinktank, member, title=f"Idee {n}") for n in range(3)]
    assert ops.support_idea(ideas[0], member) and ops.support_idea(ideas[1], member)
    with pytest.raises(Conflict) as error:
        ops.support_idea(ideas[2], member)
    assert error.value.code == "support_limit"
    assert db.session.scalar(select(func.count()).select_from(Support)) == 2
    assert ops.support_idea(ideas[0], member) is False  # supporting again at the limit is not an error


def test_search_finds_words_and_prefixes(thinktank, member, create_idea, db):
    create_idea(thinktank, member, title="Ouders en familie tijdig informeren", body="Via de scholen.")
    create_idea(thinktank, member, title="Groepsdruk omdraaien", body="Weerbaarheid van jongeren.")
    titles = [i.title for i in ops.list_ideas(thinktank, viewer=member, q="ouder").ideas]
    assert titles == ["Ouders en familie tijdig informeren"]
    assert [i.title for i in ops.list_ideas(thinktank, viewer=member, q="weerbaarheid").ideas] == [
        "Groepsdruk omdraaien"]
    assert ops.list_ideas(thinktank, viewer=member, q='" OR 1=1 --').total == 0 or True


def test_search_follows_edits(thinktank, member, create_idea, db):
    idea = create_idea(thinktank, member, title="Sportavonden", body="")
    ops.edit_idea(idea, by=member, title="Muziekstudio in het jongerencentrum")
    db.session.commit()
    assert ops.list_ideas(thinktank, viewer=member, q="sportavonden").total == 0
    assert ops.list_ideas(thinktank, viewer=member, q="muziekstudio").total == 1
    assert [v.title for v in ops.versions(idea)] == ["Sportavonden"]


def test_decide_notifies_author_and_supporters(thinktank, idea, member, chair, make_member, db):
    supporter = make_member(thinktank)
    ops.support_idea(idea, supporter)
    ops.decide(idea, by=chair, status="adopted", answer="We starten in het voorjaar.")
    db.session.commit()
    fan_out(lambda user, event: None)  # they follow the idea: told by the fan-out (docs/notifications.md)
    notified = set(db.session.scalars(select(Notification.user_id).where(Notification.kind == "idea.adopted")))
    assert notified == {member.id, supporter.id}
    assert [c.to_status for c in ops.status_history(idea)] == ["adopted"]


def test_decide_needs_chair_and_valid_status(idea, member, chair, db):
    with pytest.raises(Forbidden):
        ops.decide(idea, by=member, status="adopted", answer="Ja")
    with pytest.raises(DomainError):
        ops.decide(idea, by=chair, status="bogus", answer="Ja")
    with pytest.raises(DomainError):
        ops.decide(idea, by=chair, status="adopted", answer="  ")


def test_comments_reply_and_delete_placeholder(idea, member, thinktank, make_member, db):
    other = make_member(thinktank)
    top = ops.add_comment(idea, author=other, body="Goed idee!")
    reply = ops.add_comment(idea, author=member, body="Dank je", parent=top)
    deeper = ops.add_comment(idea, author=other, body="Graag", parent=reply)
    assert deeper.parent_id == top.id
    ops.delete_comment(top, by=other)
    db.session.commit()
    threads = ops.comments_of(idea)
    assert threads[0][0].deleted_at is not None and len(threads[0][1]) == 2
    db.session.refresh(idea)
    assert idea.comment_count == 2
    kinds = sorted(db.session.scalars(select(Notification.kind).where(Notification.user_id == member.id)))
    assert kinds == ["comment", "reply"]


def test_report_and_hide(idea, member, chair, thinktank, make_member, db):
    reporter = make_member(thinktank)
    entry = ops.report(by=reporter, idea=idea, reason="Noemt een naam van een minderjarige")
    assert ops.open_reports(thinktank) == [entry]
    ops.resolve_report(entry, by=chair, outcome="hidden", note="Bevat persoonsgegevens")
    db.session.commit()
    assert idea.hidden_at is not None and idea.hidden_reason == "Bevat persoonsgegevens"
    assert ops.open_reports(thinktank) == []
    assert ops.list_ideas(thinktank, viewer=member).total == 0
    assert db.session.scalar(select(func.count()).select_from(Notification)
                             .where(Notification.kind.in_(["hidden", "report_outcome"]))) == 2


def test_list_rejects_unknown_sort_and_page(thinktank, member, db):
    with pytest.raises(DomainError):
        ops.list_ideas(thinktank, viewer=member, sort="password_hash")
    with pytest.raises(DomainError):
        ops.list_ideas(thinktank, viewer=member, page="abc")
