"""Who holds a plan-wide role: the one place that answers "is this person the coordinator, a field worker, on the
analysis team?" for every feature (the programme, stories, the evaluation, invitations)."""
from __future__ import annotations

from typing import Any

from flask import g
from sqlalchemy import select

from samen.core.database import db
from samen.programme.models import PLAN_ROLES, PlanRole


def plan_roles(user: Any) -> frozenset[str]:
    """Return the plan-wide roles of a signed-in user (an empty set for anyone else); one query per request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cache: dict[int, frozenset[str]] = g.setdefault("samen_plan_roles", {})
    if user.id not in cache:
        cache[user.id] = frozenset(db.session.scalars(select(PlanRole.role).where(PlanRole.user_id == user.id)))
    return cache[user.id]


def has_plan_role(user: Any, role: str) -> bool:
    """Return whether the user holds `role` (one of PLAN_ROLES) for the plan."""
    assert role in PLAN_ROLES, role
    return role in plan_roles(user)


def is_coordinator(user: Any) -> bool:
    """The programme coordinator may do for the whole plan what chairs do for a think tank; admins may too."""
    return bool(getattr(user, "is_authenticated", False) and (user.is_admin or has_plan_role(user, "coordinator")))


def forget_plan_roles() -> None:
    """Drop this request's cached roles (after granting or taking one away)."""
    g.pop("samen_plan_roles", None)
