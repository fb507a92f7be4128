"""One policy decides a person's role in a meeting (samen/meetings/access.py): the rule in Python (role_in), its
SQL form for one person (meeting_with_role, what every live command reads) and for many (participant_ids, for
attendance) agree for every kind of meeting and every kind of person."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from samen.meetings import access
from samen.meetings.models import Registration
from samen.thinktanks import operations as tt_ops

pytestmark = pytest.mark.database  # the SQL forms: run on SQLite and PostgreSQL


@pytest.mark.parametrize("public", [True, False])
@pytest.mark.parametrize("plenary", [True, False])
def test_the_rule_and_its_sql_forms_agree_for_everyone(db, create_meeting, thinktank, chair, member, user, admin,
                                                       create_thinktank, create_user, public, plenary):
    elsewhere = create_thinktank()
    organiser, other_member, other_chair, registered, waiting, cancelled, pending, registered_member = (
        create_user() for _ in range(8))
    tt_ops.appoint_chair(elsewhere, organiser)  # may plan a plenary
    meeting = create_meeting(None if plenary else thinktank, by=organiser if plenary else chair, public=public)
    tt_ops.join_thinktank(elsewhere, other_member)
    tt_ops.appoint_chair(elsewhere, other_chair)
    tt_ops.join_thinktank(create_thinktank(join_policy="approval"), pending)
    tt_ops.join_thinktank(thinktank, registered_member)
    for person, status in ((registered, "registered"), (waiting, "waiting"), (cancelled, "cancelled"),
                           (registered_member, "registered")):
        db.session.add(Registration(meeting_id=meeting.id, user_id=person.id, status=status))
    db.session.commit()
    people = {"anonymous": None, "outsider": user, "member": member, "chair": chair, "admin": admin,
              "organiser": organiser, "other_member": other_member, "other_chair": other_chair,
              "registered": registered, "waiting": waiting, "cancelled": cancelled, "pending": pending,
              "registered_member": registered_member}
    signed_in = [person.id for person in people.values() if person is not None]
    participants = set(db.session.scalars(access.participant_ids(meeting, signed_in)))
    seen = set()
    for name, person in people.items():
        role = access.role_in(meeting, person)
        loaded, read = access.meeting_with_role(meeting.id, person)
        assert loaded.id == meeting.id and read == role, (name, read, role)
        if person is not None:
            assert (person.id in participants) == access.outranks(role, access.PARTICIPANT), name
        seen.add(role)
    # Every role turns up somewhere (and "no access" for members-only meetings).
    assert {access.CHAIR, access.PARTICIPANT} <= seen
    assert (access.OBSERVER in seen) == public and (None in seen) == (not public)


def test_commands_take_the_role_they_are_given(db, create_meeting, thinktank, chair, member):
    """The role a caller read is the role a command checks: the rule is not asked a second time."""
    from samen.core.errors import Forbidden
    from samen.meetings import live

    meeting = create_meeting(thinktank)
    with pytest.raises(Forbidden):
        live.open_meeting(meeting, chair, role=access.PARTICIPANT)  # as read: not a chair (any more)
    assert live.open_meeting(meeting, member, role=access.CHAIR).ack["state"] == "live"
    assert db.session.scalar(select(type(meeting).state).where(type(meeting).id == meeting.id)) == "live"
