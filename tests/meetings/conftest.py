"""Fixtures for meetings: a factory for meetings and a planned meeting of the think tank."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from samen.core.database import utcnow
from samen.meetings import operations as ops
from samen.meetings.models import Meeting


def soon(days: float = 7, hour: int = 18) -> datetime:
    """Return a moment `days` from now at a whole hour (UTC, as stored)."""
    return (utcnow() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


@pytest.fixture
def create_meeting(db: Any, chair: Any) -> Callable[..., Meeting]:
    """Return a factory for meetings, planned by the chair (pass thinktank=None and by=admin for a plenary)."""
    def make(thinktank: Any, **fields: Any) -> Meeting:
        fields.setdefault("title", "Denktankavond Preventie")
        fields.setdefault("starts_at", soon())
        fields.setdefault("ends_at", fields["starts_at"] + timedelta(hours=2))
        fields.setdefault("location", "Het Grote Huis, Nijkerk")
        meeting = ops.create_meeting(thinktank, by=fields.pop("by", chair), **fields)
        db.session.commit()
        return meeting
    return make


@pytest.fixture
def meeting(create_meeting: Callable[..., Meeting], thinktank: Any) -> Meeting:
    """Return a public meeting of the think tank, a week from now, without a capacity."""
    return create_meeting(thinktank, description="We bespreken **de ideeën**.")
