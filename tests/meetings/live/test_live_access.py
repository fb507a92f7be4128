"""Who may observe, participate in and chair a meeting (samen/meetings/access.py)."""
from __future__ import annotations

import pytest

from samen.meetings import access
from tests.meetings.live.conftest import make_meeting, register

ROLES = {
    # person: (public meeting of the think tank, members-only meeting, public plenary, members-only plenary)
    # A plenary is chaired by admins and its organiser (test below), not by every chair of some think tank.
    "chair": ("chair", "chair", "participant", "participant"),
    "admin": ("chair", "chair", "chair", "chair"),
    "member": ("participant", "participant", "participant", "participant"),
    "registered": ("participant", "participant", "observer", None),
    "other": ("observer", None, "participant", "participant"),
    "anonymous": ("observer", None, "observer", None),
}


@pytest.mark.parametrize("person", ROLES)
def test_roles(db, thinktank, people, meeting, person):
    user = people[person]
    members_only = make_meeting(db, thinktank, public=False)
    plenary = make_meeting(db, None, public=True)
    closed_plenary = make_meeting(db, None, public=False)
    if person == "registered":  # registered for the think tank's meetings, not for the plenaries
        register(db, members_only, user)
    got = tuple(access.role_in(m, user) for m in (meeting, members_only, plenary, closed_plenary))
    assert got == ROLES[person]
    # The live commands read the meeting and the role in one query: the same rule.
    assert tuple(access.meeting_with_role(m.id, user) for m in (meeting, members_only, plenary, closed_plenary)) \
        == tuple(zip((meeting, members_only, plenary, closed_plenary), ROLES[person], strict=True))
    if user is not None:  # the rule for many at once (opening a meeting records who is there)
        from sqlalchemy import select

        from samen.accounts.models import User
        candidates = select(User.id).where(User.id == user.id)
        assert tuple(bool(list(db.session.scalars(access.participant_ids(m, candidates))))
                     for m in (meeting, members_only, plenary, closed_plenary)) \
            == tuple(role in ("chair", "participant") for role in ROLES[person])
    assert access.can_observe(meeting, user) == (ROLES[person][0] is not None)
    assert access.can_participate(meeting, user) == (ROLES[person][0] in ("chair", "participant"))
    assert access.can_chair(meeting, user) == (ROLES[person][0] == "chair")


@pytest.mark.parametrize("public", [True, False])
def test_a_plenary_is_chaired_by_its_organiser(db, people, create_user, public):
    organiser = people["chair"]
    plenary = make_meeting(db, None, public=public, created_by_id=organiser.id)
    stranger = create_user()  # planned it, then is no member of anything: still its organiser
    own = make_meeting(db, None, public=False, created_by_id=stranger.id)
    assert access.role_in(plenary, organiser) == access.CHAIR
    assert access.meeting_with_role(plenary.id, organiser) == (plenary, access.CHAIR)
    assert access.role_in(own, stranger) == access.CHAIR
    assert access.role_in(own, organiser) == access.PARTICIPANT  # a chair elsewhere: a member, not its chair


@pytest.mark.parametrize("status", ["waiting", "cancelled"])
def test_the_waiting_list_and_cancelled_registrations_do_not_count(db, thinktank, create_user, status):
    private = make_meeting(db, thinktank, public=False)
    user = create_user()
    register(db, private, user, status=status)
    assert access.role_in(private, user) is None
    assert access.meeting_with_role(private.id, user) == (private, None)
    assert not access.is_registered(private, user)


def test_a_pending_membership_does_not_count(db, create_thinktank, create_user):
    from samen.thinktanks import operations as tt_ops
    closed = create_thinktank(join_policy="approval")
    user = create_user()
    tt_ops.join_thinktank(closed, user)
    db.session.commit()
    private, public = make_meeting(db, closed, public=False), make_meeting(db, closed, public=True)
    assert access.role_in(private, user) is None
    assert access.role_in(public, user) == "observer"
    assert access.meeting_with_role(private.id, user) == (private, None)
    assert access.meeting_with_role(public.id, user) == (public, "observer")


def test_meeting_with_role_of_a_meeting_that_does_not_exist(db, member):
    assert access.meeting_with_role(987654, member) == (None, None)
    assert access.meeting_with_role(987654, None) == (None, None)
