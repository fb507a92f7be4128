"""The demo's help desk: an intake team with a member, requests in every state (encrypted), a fed indicator."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from samen.accounts import operations as account_ops
from samen.actions.models import Indicator
from samen.demo.helpdesk import INDICATOR, REQUESTS
from samen.demo.loader import load_demo
from samen.helpdesk import operations as ops
from samen.helpdesk.models import HelpRequest, HelpRequestStat
from tests.demo.conftest import demo, demo_loaded  # noqa: F401  (the demo plan, loaded once for the module)

pytestmark = pytest.mark.shared_database


def test_the_demo_has_an_intake_team_and_requests_in_every_state(db, demo):  # noqa: F811
    miriam = account_ops.find_user_by_email("gebiedsteam-miriam@samen.local")
    assert [user.id for user in ops.team()] == [miriam.id]
    assert not ops.may_read_requests(account_ops.find_user_by_email("admin@samen.local"))
    requests = list(db.session.scalars(select(HelpRequest).order_by(HelpRequest.created_at)))
    assert [r.status for r in requests] == ["closed", "referred", "in_progress", "new"]
    assert requests[-1].urgent and requests[1].mail_replies
    assert requests[1].text == REQUESTS[1][3]
    raw = db.session.execute(text("SELECT text FROM help_requests")).scalars().all()
    assert all(value.startswith("gAAAAA") and "schulden" not in value for value in raw)
    assert demo.created["help requests"] == len(REQUESTS)


def test_the_demo_feeds_an_indicator_with_the_counts(db, demo):  # noqa: F811
    indicator = db.session.scalar(select(Indicator).where(Indicator.name == INDICATOR))
    assert indicator.help_feed == "total" and indicator.measurements
    assert all(m.suppressed and m.note == "< 5" for m in indicator.measurements)  # a handful: all below 5


def test_a_second_load_sends_no_more_requests(db, demo):  # noqa: F811
    before = db.session.scalar(select(func.count()).select_from(HelpRequestStat))
    report = load_demo()
    assert "help requests" not in report.created
    assert db.session.scalar(select(func.count()).select_from(HelpRequestStat)) == before
