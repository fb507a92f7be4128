"""Moving an idea to another think tank: what goes along, what stays, who may, and what is refused."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from samen.actions import operations as action_ops
from samen.audit.models import AuditEntry
from samen.core.errors import Conflict, DomainError, Forbidden
from samen.follows.models import FollowEvent
from samen.ideas import operations as ops
from samen.ideas.models import Idea, Report, Support
from samen.thinktanks import operations as tt_ops

pytestmark = pytest.mark.database


@pytest.fixture
def other(create_thinktank: Any) -> Any:
    """Return a second, open think tank."""
    return create_thinktank(slug="nazorg", name="Nazorg")


@pytest.fixture
def supported(db: Any, idea: Any, thinktank: Any, make_member: Any) -> Any:
    """Return the idea with a supporter, a tag, a comment and reports on both."""
    supporter = make_member(thinktank, display_name="Steun")
    ops.support_idea(idea, supporter)
    comment = ops.add_comment(idea, author=supporter, body="Goed plan.")
    ops.report(by=supporter, reason="Klopt niet.", idea=idea)
    db.session.flush()
    ops.report(by=idea.author, reason="Ongepast.", comment=comment)
    db.session.commit()
    return idea


def test_a_chair_moves_an_idea_and_everything_goes_along(db, supported, chair, thinktank, other):
    ops.move_idea(supported, other, by=chair, reason="Dit hoort bij nazorg.")
    db.session.commit()
    db.session.expire_all()
    idea = db.session.get(Idea, supported.id)
    assert idea.thinktank_id == other.id
    assert idea.status == "new"  # its status and answer stay
    assert set(db.session.scalars(select(Support.thinktank_id).where(Support.idea_id == idea.id))) == {other.id}
    reports = list(db.session.scalars(select(Report.thinktank_id)))
    assert reports and set(reports) == {other.id}  # the reports of the idea and its comment follow it
    assert idea.comment_count == 1 and idea.support_count == 1
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "idea.move"))
    assert entry.actor_id == chair.id and entry.data == {"old": "preventie", "new": "nazorg"}
    event = db.session.scalar(select(FollowEvent).where(FollowEvent.kind == "idea.moved"))
    assert (event.target_id, event.thinktank_id, event.personal_id) == (idea.id, other.id, idea.author_id)
    assert event.data["from_name"] == "Preventie" and event.data["to_name"] == "Nazorg"
    assert event.data["reason"] == "Dit hoort bij nazorg."
    # It is listed in its new think tank, not in the old one.
    assert [i.id for i in ops.list_ideas(other, viewer=chair).ideas] == [idea.id]
    assert ops.list_ideas(thinktank, viewer=chair).ideas == []


def test_its_tags_stay_behind(db, idea, chair, thinktank, other):
    tag = ops.create_tag(thinktank, "School")
    ops.edit_idea(idea, by=idea.author, title=idea.title, body=idea.body, tags=[tag.slug])
    db.session.commit()
    assert [t.slug for t in idea.tags] == [tag.slug]
    ops.move_idea(idea, other, by=chair)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).tags == []


def test_only_its_chairs_and_admins_move_it(db, idea, member, other, admin, create_user):
    chair_elsewhere = create_user()
    tt_ops.appoint_chair(other, chair_elsewhere)
    db.session.commit()
    for someone in (member, chair_elsewhere, idea.author):
        with pytest.raises(Forbidden):
            ops.move_idea(idea, other, by=someone)
    ops.move_idea(idea, other, by=admin)
    assert idea.thinktank_id == other.id


@pytest.mark.parametrize("where", ["same", "none", "archived"])
def test_a_think_tank_it_cannot_go_to_is_refused(db, idea, chair, thinktank, other, where):
    target = {"same": thinktank, "none": None, "archived": other}[where]
    if where == "archived":
        tt_ops.archive_thinktank(other)
        db.session.commit()
    with pytest.raises(DomainError) as refused:
        ops.move_idea(idea, target, by=chair)
    assert refused.value.field == "thinktank"
    db.session.rollback()
    assert db.session.get(Idea, idea.id).thinktank_id == thinktank.id


def test_a_closed_think_tank_its_author_is_not_in_is_refused(db, idea, chair, create_thinktank, admin):
    closed = create_thinktank(slug="aanbod", name="Aanbod", join_policy="approval")
    with pytest.raises(DomainError) as refused:
        ops.move_idea(idea, closed, by=admin)
    assert refused.value.code == "author_not_member"
    db.session.rollback()
    tt_ops.join_thinktank(closed, idea.author)
    membership = tt_ops.membership_of(closed, idea.author)
    tt_ops.decide_membership(membership, approve=True)
    db.session.commit()
    ops.move_idea(idea, closed, by=admin)
    assert idea.thinktank_id == closed.id


def test_a_chair_cannot_move_it_into_a_closed_think_tank_they_cannot_read(db, idea, chair, create_thinktank):
    closed = create_thinktank(slug="aanbod", name="Aanbod", join_policy="approval")
    with pytest.raises(DomainError):
        ops.move_idea(idea, closed, by=chair)
    assert closed.id not in {t.id for t in ops.move_targets(idea, chair)}


def test_an_idea_of_an_action_item_or_a_merge_stays(db, idea, chair, thinktank, other, create_idea):
    twin = create_idea(thinktank, idea.author, title="Hetzelfde idee")
    ops.decide(twin, by=chair, status="merged", answer="Samengevoegd.", merged_into=idea)
    db.session.commit()
    for merged in (twin, idea):  # the merged one and the one merged into
        with pytest.raises(Conflict):
            ops.move_idea(merged, other, by=chair)
    db.session.rollback()
    third = create_idea(thinktank, idea.author, title="Een derde")
    ops.decide(third, by=chair, status="adopted", answer="Doen we.")
    action_ops.convert_ideas([third], by=chair, owner=chair,
                             due_date=(date.today() + timedelta(days=30)).isoformat())
    db.session.commit()
    with pytest.raises(Conflict) as refused:
        ops.move_idea(third, other, by=chair)
    assert refused.value.code == "in_action"


def test_the_reason_is_checked_like_every_line(db, idea, chair, other):
    with pytest.raises(DomainError) as refused:
        ops.move_idea(idea, other, by=chair, reason="x" * (ops.REASON_MAX + 1))
    assert refused.value.field == "reason"


def test_move_targets_are_the_open_and_own_think_tanks_by_name(db, idea, chair, thinktank, create_thinktank,
                                                               admin):
    b = create_thinktank(slug="behandeling", name="Behandeling")
    a = create_thinktank(slug="aanbod", name="Aanbod")
    closed = create_thinktank(slug="gesloten", name="Gesloten", join_policy="approval")
    gone = create_thinktank(slug="oud", name="Oud")
    tt_ops.archive_thinktank(gone)
    db.session.commit()
    assert [t.slug for t in ops.move_targets(idea, chair)] == [a.slug, b.slug]
    assert [t.slug for t in ops.move_targets(idea, admin)] == [a.slug, b.slug, closed.slug]


# --- the website -----------------------------------------------------------------------------------------------

def test_the_chair_moves_it_on_the_idea_page(client, auth, db, idea, chair, other, thinktank):
    auth.login(chair)
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert 'id="move-heading"' in page and 'value="nazorg"' in page and 'value="preventie"' not in page
    response = auth.post(f"/ideas/{idea.id}/move", {"thinktank": "nazorg", "reason": "Hoort daar."})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/ideas/{idea.id}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nazorg" in page
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).thinktank_id == other.id


@pytest.mark.parametrize("sent", [{"thinktank": ""}, {"thinktank": "bestaat-niet"}, {"thinktank": "preventie"},
                                  {"thinktank": "nazorg", "reason": "x" * 1001}, {"thinktank": "\x00"}])
def test_a_bad_choice_is_said_on_the_page_and_moves_nothing(client, auth, db, idea, chair, other, thinktank, sent):
    auth.login(chair)
    response = auth.post(f"/ideas/{idea.id}/move", sent)
    assert response.status_code == 302 and response.headers["Location"].endswith("#move-heading")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'class="alert alert--error' in page or "alert--error" in page
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).thinktank_id == thinktank.id


def test_members_and_outsiders_cannot_move_it(client, auth, db, idea, member, other, thinktank, create_user):
    auth.login(member)
    assert 'id="move-heading"' not in client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert auth.post(f"/ideas/{idea.id}/move", {"thinktank": "nazorg"}).status_code == 403
    auth.logout()
    response = auth.post(f"/ideas/{idea.id}/move", {"thinktank": "nazorg"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "idea.move")) == 0


def test_without_csrf_nothing_moves(client, auth, db, idea, chair, other, thinktank):
    auth.login(chair)
    client.post(f"/ideas/{idea.id}/move", data={"thinktank": "nazorg"})
    db.session.expire_all()
    assert db.session.get(Idea, idea.id).thinktank_id == thinktank.id
