"""The demo's programme: three lines with the four think tanks, a coordinator who can sign in, plan-wide work, and
a past kick-off whose ideas went through the plan's inbox to the think tanks."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from samen.actions.models import ActionItem, Indicator
from samen.demo import programme_data
from samen.demo.data import DEMO_PASSWORD
from samen.demo.loader import load_demo
from samen.meetings.models import Meeting
from samen.programme.models import InboxIdea, Line
from samen.programme.roles import is_coordinator
from samen.thinktanks.models import ThinkTank
from tests.conftest import pinned

pytestmark = [pytest.mark.database, pytest.mark.shared_database]


@pytest.fixture(scope="module")
def demo_loaded(app: Any, module_connection: Any) -> Any:
    """Load the demo once for the module."""
    with pinned(app, module_connection) as db:
        report = load_demo()
        db.session.commit()
    return report


def test_three_lines_with_the_four_think_tanks(db: Any, demo_loaded: Any) -> None:
    lines = list(db.session.scalars(select(Line).order_by(Line.position)))
    assert [line.name for line in lines] == ["Preventie", "Hulpverlening", "Repressie"]
    placed = {tank.slug: tank.line_id for tank in db.session.scalars(select(ThinkTank))}
    assert placed == {"preventie": lines[0].id, "behandeling": lines[1].id, "nazorg": lines[1].id,
                      "aanbod": lines[2].id}
    assert demo_loaded.created["lines"] == 3 and demo_loaded.created["programme coordinators"] == 1


def test_the_coordinator_signs_in_and_coordinates(app: Any, auth: Any, client: Any, db: Any,
                                                  demo_loaded: Any) -> None:
    assert auth.login(programme_data.COORDINATOR, DEMO_PASSWORD).status_code == 302
    assert client.get("/admin/programme/lines").status_code == 200
    assert client.get("/programme/inbox").status_code == 200


def test_plan_wide_work_and_the_kickoff(db: Any, demo_loaded: Any, client: Any) -> None:
    plan_wide = list(db.session.scalars(select(ActionItem).where(ActionItem.thinktank_id.is_(None))))
    assert len(plan_wide) == 2 and {action.line_id is None for action in plan_wide} == {True, False}
    indicator = db.session.scalar(select(Indicator).where(Indicator.name == programme_data.INDICATOR))
    assert indicator.thinktank_id is None and len(indicator.measurements) == 3
    kickoff = db.session.scalar(select(Meeting).where(Meeting.title.like("Startavond%")))
    assert kickoff.thinktank_id is None and kickoff.state == "closed"
    routed = list(db.session.scalars(select(InboxIdea).where(InboxIdea.meeting_id == kickoff.id)))
    assert len(routed) == len(programme_data.KICKOFF_IDEAS) and all(item.idea_id for item in routed)
    assert {item.thinktank_id for item in routed} == {tank.id for tank in db.session.scalars(select(ThinkTank))}
    page = client.get("/progress").get_data(as_text=True)
    assert "Lijn: Hulpverlening" in page and "Campagne ‘Samen sterk tegen drugs’" in page


def test_loading_again_adds_nothing(db: Any, demo_loaded: Any) -> None:
    assert not load_demo().changed


def test_the_coordinator_is_a_coordinator(app: Any, db: Any, demo_loaded: Any) -> None:
    from samen.accounts.operations import find_user_by_email
    with app.test_request_context():
        assert is_coordinator(find_user_by_email(programme_data.COORDINATOR))
