"""Fixtures for the programme: a coordinator, lines, and the four roles the chair rule is tested over."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from samen.programme.models import Line, PlanRole


@pytest.fixture
def coordinator(create_user: Callable[..., Any], db: Any) -> Any:
    """Return the programme coordinator (a plan role, not an admin, member of no think tank)."""
    user = create_user(display_name="Regisseur", email="regisseur@example.org")
    db.session.add(PlanRole(user_id=user.id, role="coordinator"))
    db.session.commit()
    return user


@pytest.fixture
def create_line(db: Any) -> Callable[..., Line]:
    """Return a factory for lines."""
    def make(name: str, **fields: Any) -> Line:
        fields.setdefault("slug", name.lower())
        line = Line(name=name, **fields)
        db.session.add(line)
        db.session.commit()
        return line
    return make


@pytest.fixture
def people(create_user: Callable[..., Any], thinktank: Any, chair: Any, member: Any, coordinator: Any,
           db: Any) -> dict[str, Any]:
    """Return one person per role: coordinator, chair, member (of the think tank), outsider (of none)."""
    outsider = create_user(display_name="Buitenstaander", email="buiten@example.org")
    return {"coordinator": coordinator, "chair": chair, "member": member, "outsider": outsider}


@pytest.fixture
def create_meeting(db: Any, chair: Any) -> Callable[..., Any]:
    """Return a factory for meetings a week from now, planned by the chair (thinktank=None, by=…: a plenary)."""
    from datetime import timedelta

    from samen.core.database import utcnow
    from samen.meetings import operations as meeting_ops

    def make(thinktank: Any, **fields: Any) -> Any:
        starts = (utcnow() + timedelta(days=7)).replace(hour=18, minute=0, second=0, microsecond=0)
        fields.setdefault("title", "Denktankavond")
        fields.setdefault("starts_at", starts)
        fields.setdefault("ends_at", starts + timedelta(hours=2))
        fields.setdefault("location", "Het Grote Huis, Nijkerk")
        meeting = meeting_ops.create_meeting(thinktank, by=fields.pop("by", chair), **fields)
        db.session.commit()
        return meeting
    return make


@pytest.fixture
def create_token(db: Any) -> Callable[[Any], str]:
    """Return a factory for personal API tokens."""
    from samen.accounts import operations as account_ops

    def make(owner: Any) -> str:
        token = account_ops.create_api_token(owner)
        db.session.commit()
        return token
    return make
