"""Events × who is told × channel (docs/notifications.md has the same table).

Each row makes one change through its operation, runs the fan-out, and checks who got a notification, and who
an immediate mail (the personal events); everyone else hears in their digest (the notification waits, unmailed).
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from samen.actions import operations as action_ops
from samen.follows import operations as follow_ops
from samen.follows.models import FollowEvent
from samen.ideas import operations as idea_ops
from samen.meetings import live
from samen.meetings import operations as meeting_ops
from samen.thinktanks import operations as tt_ops

pytestmark = pytest.mark.database

MEMBERS = {"author", "supporter", "owner"}  # they follow the think tank: they joined it
IDEA = {"author", "supporter", "watcher"}


def _action(world: Any, **fields: Any) -> Any:
    fields.setdefault("due_date", date.today() + timedelta(days=30))
    return action_ops.create_action(world.thinktank, by=world.chair, title="Voorlichting", owner=world.owner,
                                    **fields)


def decide_discussion(world, db):
    idea_ops.decide(world.idea, by=world.chair, status="discussion", answer="We bespreken het.")


def decide_adopted(world, db):
    idea_ops.decide(world.idea, by=world.chair, status="adopted", answer="We doen het.")


def convert(world, db):
    world.idea.status = "adopted"
    action_ops.convert_ideas([world.idea], by=world.chair, owner=world.chair,  # no assignment: the chair owns
                             due_date=(date.today() + timedelta(days=30)).isoformat())


def post_update(world, db):
    action = _action(world)
    db.session.commit()
    _forget(db)
    action_ops.post_update(action, by=world.owner, body="Eerste school bezocht.", progress=20)


def milestone(world, db):
    action = _action(world)
    stone = action_ops.add_milestone(action, by=world.chair, title="Draaiboek klaar")
    db.session.commit()
    _forget(db)
    action_ops.set_milestone_done(stone, by=world.owner, done=True)


def done(world, db):
    action = _action(world)
    db.session.commit()
    _forget(db)
    action_ops.post_update(action, by=world.owner, body="Klaar.", status="done", progress=100)


def stopped(world, db):
    action = _action(world)
    db.session.commit()
    _forget(db)
    action_ops.update_action(action, by=world.chair, status="stopped", stop_reason="Geen budget meer.")


def overdue(world, db):
    _action(world, start_date=date.today() - timedelta(days=30), due_date=date.today() - timedelta(days=1))
    db.session.commit()
    _forget(db)
    action_ops.send_reminders(date.today(), lambda action, kind, recipients: None)


def assigned(world, db):
    _action(world)


def meeting_planned(world, db):
    meeting_ops.create_meeting(world.thinktank, by=world.chair, title="Denktankavond",
                               starts_at="2027-01-12T19:30", ends_at="2027-01-12T21:30", location="Het Huis")


def minutes(world, db):
    meeting = meeting_ops.create_meeting(world.thinktank, by=world.chair, title="Denktankavond",
                                         starts_at="2027-01-12T19:30", ends_at="2027-01-12T21:30",
                                         location="Het Huis")
    meeting.state = "closed"
    db.session.commit()
    _forget(db)
    live.publish_minutes(meeting, world.chair, "# Verslag\n\nWe spraken over groepsdruk.")


def approved(world, db):
    world.thinktank.join_policy = "approval"
    tt_ops.join_thinktank(world.thinktank, world.outsider)
    db.session.flush()
    tt_ops.decide_membership(tt_ops.membership_of(world.thinktank, world.outsider), approve=True)


def declined(world, db):
    world.thinktank.join_policy = "approval"
    tt_ops.join_thinktank(world.thinktank, world.outsider)
    db.session.flush()
    tt_ops.decide_membership(tt_ops.membership_of(world.thinktank, world.outsider), approve=False)


def moved(world, db):
    elsewhere = tt_ops.create_thinktank({"slug": "nazorg", "name": "Nazorg"})
    db.session.commit()
    idea_ops.move_idea(world.idea, elsewhere, by=world.chair, reason="Hoort bij nazorg.")


def _forget(db):
    """Leave only the events of the step under test waiting (earlier steps are told and dropped)."""
    db.session.query(FollowEvent).delete()


EVENTS = [
    # (what happens, the event's kind, who is told in the app, who gets an immediate mail)
    (decide_discussion, "idea.status", IDEA, set()),
    (decide_adopted, "idea.adopted", IDEA | MEMBERS | {"thinktank_fan", "plan_fan"}, {"author"}),
    (convert, "idea.action", IDEA | MEMBERS | {"thinktank_fan"}, set()),
    (post_update, "action.update", {"author", "supporter", "thinktank_fan", "plan_fan"}, set()),
    (milestone, "action.milestone", {"author", "supporter", "thinktank_fan", "plan_fan"}, set()),
    (done, "action.done", {"author", "supporter", "thinktank_fan", "plan_fan"}, set()),
    (stopped, "action.stopped", MEMBERS | {"thinktank_fan", "plan_fan"}, set()),
    (overdue, "action.overdue", MEMBERS | {"thinktank_fan", "plan_fan"}, set()),
    (assigned, "action.assigned", {"owner"}, {"owner"}),
    (meeting_planned, "meeting.planned", MEMBERS | {"thinktank_fan", "plan_fan"}, set()),
    (minutes, "minutes.published", MEMBERS | {"thinktank_fan", "plan_fan"}, set()),
    (moved, "idea.moved", IDEA, set()),
    (approved, "membership.approved", {"outsider"}, {"outsider"}),
    (declined, "membership.declined", {"outsider"}, {"outsider"}),
]


@pytest.mark.parametrize("happen, kind, told_in_app, mailed_at_once", EVENTS,
                         ids=[row[1] for row in EVENTS])
def test_who_is_told_and_how(world, db, told, mailed, happen, kind, told_in_app, mailed_at_once):
    happen(world, db)
    notifications = told(kind)
    assert world.names(set(notifications)) == told_in_app
    assert "chair" not in world.names(set(notifications))  # who did it is not told of it
    at_once = {uid for uid, n in notifications.items() if n.emailed_at is not None}
    assert world.names(at_once) == mailed_at_once  # the others wait for their digest
    emails = {getattr(world, role).email: role for role in mailed_at_once}
    assert {mail.to for mail in mailed()} == set(emails)
    for mail in mailed():
        assert mail.unsubscribe_url.startswith("http://localhost/unsubscribe/")
        assert "/account/following" in mail.body


def test_an_update_records_one_row_whatever_the_number_of_followers(world, db, create_user, count_queries):
    action = _action(world)
    db.session.commit()
    for _ in range(30):
        follow_ops.follow(create_user(), "action", action.id)
    db.session.commit()

    def statements(n: int) -> int:
        with count_queries() as queries:
            action_ops.post_update(action, by=world.owner, body=f"Update {n}", progress=n)
            db.session.flush()
        return len(queries)

    statements(0)  # loads what the action's first update loads once (its milestones)
    few = statements(1)
    for _ in range(30):
        follow_ops.follow(create_user(), "action", action.id)
    db.session.commit()
    assert statements(2) == few


def test_an_unfollow_stands_and_supporting_again_does_not_undo_it(world, db, told):
    follow_ops.unfollow(world.supporter, "idea", world.idea.id)
    idea_ops.withdraw_support(world.idea, world.supporter)
    idea_ops.support_idea(world.idea, world.supporter)
    idea_ops.decide(world.idea, by=world.chair, status="discussion", answer="We bespreken het.")
    assert "supporter" not in world.names(set(told("idea.status")))


def test_personal_mails_respect_never_and_under_16(world, db, told, mailed):
    world.owner.digest = "never"
    _action(world)
    assert world.names(set(told("action.assigned"))) == {"owner"}
    assert mailed() == []


def test_each_event_is_told_once(world, db, told):
    decide_discussion(world, db)
    assert len(told("idea.status")) == 3
    assert len(told("idea.status")) == 3
    assert db.session.scalar(select(FollowEvent).where(FollowEvent.kind == "idea.status")).told == 3


def test_a_moved_idea_is_news_in_the_think_tank_it_comes_to_for_who_may_see_it(world, db, told, make_member,
                                                                               create_user):
    closed = tt_ops.create_thinktank({"slug": "aanbod", "name": "Aanbod", "join_policy": "approval"})
    db.session.commit()
    newcomer = make_member(closed, display_name="Nieuw", locale="en")  # waits for approval: not a reader yet
    reader = make_member(closed, display_name="Lezer", locale="en")
    for person in (world.author, reader, world.chair):  # the chair may move it only where they may read
        tt_ops.decide_membership(tt_ops.membership_of(closed, person) or tt_ops.join_thinktank(closed, person),
                                 approve=True)
    follow_ops.follow(newcomer, "thinktank", closed.id)
    follow_ops.follow(reader, "thinktank", closed.id)
    db.session.commit()
    idea_ops.move_idea(world.idea, closed, by=world.chair)
    notifications = told("idea.moved")
    # The idea's author (a member there now) hears of it; its supporter and watcher, who cannot read the closed
    # think tank, do not; of its followers only who may read it.
    assert world.names(set(notifications)) == {"author"}
    assert reader.id in notifications and newcomer.id not in notifications
    text = notifications[world.author.id]
    assert text.data["to_name"] == "Aanbod"
