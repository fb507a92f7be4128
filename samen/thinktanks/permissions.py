"""Who may do what in a think tank.

The chair rule is written once, here: the think tank's active chairs, and whoever chairs the whole plan — site
admins and the programme coordinator (samen/programme/roles.is_coordinator). Actions, ideas and meetings ask
can_chair or chairs_whole_plan; the SQL forms of the rule (meetings/access.py) use plan_chair_clause.
"""
from __future__ import annotations

from typing import Any

from samen.programme.roles import coordinator_clause, is_coordinator
from samen.thinktanks.models import Membership


def is_admin(user: Any) -> bool:
    """Return whether the user is a signed-in site admin."""
    return bool(getattr(user, "is_authenticated", False) and user.is_admin)


def chairs_whole_plan(user: Any) -> bool:
    """Admins and the programme coordinator may do in every think tank (and for the plan) what chairs do."""
    return is_coordinator(user)


def plan_chair_clause(user_id: Any) -> Any:
    """Return chairs_whole_plan as an SQL condition on a user id column or value."""
    return coordinator_clause(user_id)


def can_chair(user: Any, membership: Membership | None) -> bool:
    """Chairs of the think tank, admins and the programme coordinator run it."""
    return chairs_whole_plan(user) or bool(membership and membership.is_chair)


def can_see_members(user: Any, membership: Membership | None) -> bool:
    """Active members, chairs, admins and the coordinator see the member list."""
    return chairs_whole_plan(user) or bool(membership and membership.is_active)
