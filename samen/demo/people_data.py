"""The demo's "who takes part": which groups the demo people said they belong to (so the progress page shows
participation per group), and two invitations the chair of Preventie sent that wait for an answer."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from samen.accounts import groups as group_ops
from samen.accounts.groups import ParticipantGroup
from samen.core.database import db
from samen.people import operations as invitation_ops

# By handle (the part of the demo address before the @); everyone else who is no professional is a resident, and
# a few said nothing at all (saying it is optional).
GROUPS: dict[str, tuple[str, ...]] = {
    "moeder-hoevelaken": ("parent", "resident"), "bezorgde-vader": ("parent",),
    "vader-nijkerkerveen": ("parent", "resident"), "ervaringsdeskundige-moeder": ("parent", "expert_by_experience"),
    "oud-gebruiker-tim": ("expert_by_experience",), "ouder-brugklasser": ("parent",),
    "moeder-van-twee-pubers": ("parent",), "herstellend-verslaafde": ("expert_by_experience",),
    "ouder-hoevelaken-2": ("parent", "resident"), "jasper-17": ("young_person",), "lotte-19": ("young_person",),
    "youssef-b": ("young_person",), "student-milan": ("young_person",), "horeca-erik": ("entrepreneur",),
    "zus-van-k": ("expert_by_experience",),
}
SAID_NOTHING = ("anonieme-ouder", "kim-van-hal", "sjoerd-brink")
# Addresses of the reserved example.org (samen.local is no address an invitation accepts: .local is not on the web).
INVITED = (("Ilse Koster", "ilse.koster@example.org"), ("Mo Haddou", "mo.haddou@example.org"))


def load_people_groups(state: Any) -> None:
    """Say the groups of the people this run created, and send the chair's two invitations the first time."""
    new = [handle for handle in state.new_users if handle not in SAID_NOTHING]
    if not new:
        return  # loading again: nothing to do, and no query for it
    keys = {group.key: group.id for group in state_groups()}
    for handle in sorted(new):
        user = state.users[handle]
        chosen = GROUPS.get(handle) or (("professional",) if user.is_professional else ("resident",))
        group_ops.set_groups(user, [keys[key] for key in chosen if key in keys])
    state.report.created["participant groups said"] += len(new)
    chair, tank = state.users.get("voorzitter"), state.thinktanks.get("preventie")
    if "voorzitter" in state.new_users and chair is not None and tank is not None:
        rows = [invitation_ops.Row(line=n, text=email, name=name, email=email) for n, (name, email) in
                enumerate(INVITED, 1)]
        sent = invitation_ops.invite_people(chair, rows, thinktank=tank, lifetime=timedelta(days=14)).sent
        state.report.created["invitations"] += len(sent)


def state_groups() -> list[ParticipantGroup]:
    """Return every group (the migration made the six the demo uses)."""
    return list(db.session.scalars(select(ParticipantGroup)))
