"""Read queries the API needs that samen/thinktanks/operations.py does not offer yet.

They belong in thinktanks/operations.py (the web pages will want them too); until they move, they live here.
Each runs one query, whatever the number of think tanks, so the API's lists stay at a fixed number of queries.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from samen.accounts.models import User
from samen.core.database import db
from samen.core.names import CHAIR, shown_name
from samen.thinktanks.models import Membership, ThinkTank


def memberships_of_user(user: User) -> list[Membership]:
    """Return the user's memberships, active and pending, with their think tanks, in the plan's order."""
    return list(db.session.scalars(
        select(Membership).join(Membership.thinktank).options(contains_eager(Membership.thinktank))
        .where(Membership.user_id == user.id)
        .order_by(ThinkTank.position, ThinkTank.name, ThinkTank.id)))


def chair_names(thinktank_ids: Iterable[int], viewer: Any) -> dict[int, list[str]]:
    """Return the names of the active chairs of these think tanks, by think tank id, as the viewer may see them
    (core/names.py: display names for a token's holder, else organisations or "a chair")."""
    ids = list(thinktank_ids)
    names: dict[int, list[str]] = {thinktank_id: [] for thinktank_id in ids}
    if not ids:
        return names
    rows = db.session.execute(
        select(Membership.thinktank_id, User.display_name, User.organisation).join(User, User.id == Membership.user_id)
        .where(Membership.thinktank_id.in_(ids), Membership.role == "chair", Membership.status == "active")
        .order_by(func.lower(User.display_name), User.id))
    for row in rows:
        names[row.thinktank_id].append(shown_name(row, viewer, role=CHAIR))
    return names
