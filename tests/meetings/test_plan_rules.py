"""The planning pages and the live board apply the same access rules: operations.Viewer (for lists, from two
queries) agrees with samen/meetings/access.py (per meeting) for every role and kind of meeting."""
from __future__ import annotations

import pytest

from samen.meetings import access
from samen.meetings import operations as ops
from samen.meetings.models import Registration
from samen.thinktanks import operations as tt_ops

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both


@pytest.mark.parametrize("public", [True, False])
@pytest.mark.parametrize("plenary", [True, False])
def test_the_viewer_agrees_with_the_live_boards_rules(db, create_meeting, thinktank, chair, member, user, admin,
                                                      create_thinktank, create_user, public, plenary):
    meeting = create_meeting(None if plenary else thinktank, by=admin, public=public)
    elsewhere = create_thinktank()
    other_member, other_chair, registered, waiting, pending = (create_user() for _ in range(5))
    tt_ops.join_thinktank(elsewhere, other_member)
    tt_ops.appoint_chair(elsewhere, other_chair)
    pending_tank = create_thinktank(join_policy="approval")
    tt_ops.join_thinktank(pending_tank, pending)
    meeting.capacity = 1
    ops.register(meeting, admin)  # the one place
    db.session.add(Registration(meeting_id=meeting.id, user_id=registered.id, status="registered"))
    db.session.add(Registration(meeting_id=meeting.id, user_id=waiting.id, status="waiting"))
    db.session.commit()
    people = {"anonymous": None, "outsider": user, "member": member, "chair": chair, "admin": admin,
              "other_member": other_member, "other_chair": other_chair, "registered": registered,
              "waiting": waiting, "pending": pending}
    for name, person in people.items():
        viewer = ops.viewer_of(person)
        assert ops.may_view(meeting, viewer) == access.can_observe(meeting, person), name
        assert ops.may_chair(meeting, viewer) == access.can_chair(meeting, person), name
        listed = meeting.id in {m.id for m in ops.list_meetings(viewer)}
        assert listed == access.can_observe(meeting, person), name
