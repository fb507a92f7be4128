"""Who may do what in a think tank."""
from __future__ import annotations

from typing import Any

from samen.thinktanks.models import Membership


def is_admin(user: Any) -> bool:
    """Return whether the user is a signed-in site admin."""
    return bool(getattr(user, "is_authenticated", False) and user.is_admin)


def can_chair(user: Any, membership: Membership | None) -> bool:
    """Chairs of the think tank, and admins, run it."""
    return is_admin(user) or bool(membership and membership.is_chair)


def can_see_members(user: Any, membership: Membership | None) -> bool:
    """Active members, chairs and admins see the member list."""
    return is_admin(user) or bool(membership and membership.is_active)
