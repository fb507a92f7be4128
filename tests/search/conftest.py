"""A small plan to search: an open and a closed think tank, with something of every kind in each."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from samen.actions import operations as action_ops
from samen.core.database import utcnow
from samen.meetings import operations as meeting_ops
from samen.thinktanks import operations as tt_ops


@dataclass
class World:
    open: Any
    closed: Any
    chair: Any  # chairs the open think tank
    insider: Any  # a member of the closed think tank
    outsider: Any  # signed in, member of nothing
    admin: Any
    things: dict[str, Any]


@pytest.fixture
def world(db: Any, create_user: Callable[..., Any], create_thinktank: Callable[..., Any],
          create_idea: Callable[..., Any]) -> World:
    """Return the plan, with every kind of thing mentioning 'skatebaan', in the open and the closed think tank."""
    open_tank = create_thinktank(name="Preventie", slug="preventie")
    closed = create_thinktank(name="Nazorg", slug="nazorg", join_policy="approval")
    chair = create_user(display_name="Voorzitter")
    tt_ops.appoint_chair(open_tank, chair)
    insider = create_user(display_name="Binnen")
    tt_ops.appoint_chair(closed, insider)
    outsider = create_user(display_name="Buiten")
    admin = create_user(display_name="Beheer", is_admin=True)
    db.session.commit()
    things: dict[str, Any] = {}
    things["open idea"] = create_idea(open_tank, chair, title="Een skatebaan bij het park",
                                      body="Jongeren hebben een plek nodig.")
    things["closed idea"] = create_idea(closed, insider, title="Nazorg op de skatebaan",
                                        body="Na de behandeling weer meedoen.")
    things["body idea"] = create_idea(open_tank, chair, title="Sport voor iedereen",
                                      body="Ook de **skatebaan** hoort erbij.")
    things["public action"] = action_ops.create_action(open_tank, by=chair, title="Skatebaan aanleggen",
                                                       description="Met de gemeente.")
    things["internal action"] = action_ops.create_action(open_tank, by=chair, title="Skatebaan begroten",
                                                         description="Intern.", public=False)
    things["indicator"] = action_ops.create_indicator(by=admin, name="Bezoekers skatebaan", unit="per week")
    starts = (utcnow() + timedelta(days=7)).replace(microsecond=0)
    things["public meeting"] = meeting_ops.create_meeting(
        open_tank, by=chair, title="Avond over de skatebaan", starts_at=starts, ends_at=starts + timedelta(hours=2),
        location="Het Huis")
    things["closed meeting"] = meeting_ops.create_meeting(
        closed, by=insider, title="Besloten avond skatebaan", starts_at=starts, ends_at=starts + timedelta(hours=2),
        location="Het Huis", public=False)
    minutes = meeting_ops.create_meeting(
        closed, by=insider, title="Terugblik", starts_at=starts - timedelta(days=30),
        ends_at=starts - timedelta(days=30) + timedelta(hours=2), location="Het Huis")
    minutes.state, minutes.minutes = "closed", "We spraken over de skatebaan."
    minutes.minutes_published_at = utcnow()
    things["closed minutes"] = minutes
    db.session.commit()
    return World(open_tank, closed, chair, insider, outsider, admin, things)


@pytest.fixture
def titles() -> Callable[..., set[str]]:
    """Return a function: the (kind, title) pairs a search finds for a viewer (one page of 50)."""
    from samen.search import operations as ops

    def found(q: str, viewer: Any = None, **options: Any) -> set[tuple[str, str]]:
        page = ops.search(q, viewer=viewer, per_page=50, **options)
        assert page.total == len(page.hits)
        return {(hit.kind, hit.title) for hit in page.hits}
    return found


