"""The meeting pages in Chromium: axe-core finds nothing on the list, a meeting's page, the planning form (with
its errors) and the agenda editor, in Dutch and English; a resident registers with a click."""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from samen.accounts.models import User
from samen.core.database import db, utcnow
from samen.ideas import operations as idea_ops
from samen.meetings import operations as ops
from samen.thinktanks import operations as tt_ops
from tests.browser.conftest import CHAIR, RESIDENT, THINKTANK, LiveServer
from tests.browser.test_accessibility import submit_empty, violations

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def planned(live_server: LiveServer) -> int:
    """Plan a public meeting of the think tank with an agenda on an idea; return its id."""
    with live_server.app.app_context():
        thinktank = tt_ops.get_thinktank(THINKTANK)
        chair = db.session.scalar(select(User).where(User.email == CHAIR))
        idea = idea_ops.create_idea(thinktank, author=chair, title="Een plek voor jongeren in Nijkerkerveen",
                                    body="Met het jongerenwerk.")
        start = (utcnow() + timedelta(days=6)).replace(hour=18, minute=30, second=0, microsecond=0)
        meeting = ops.create_meeting(
            thinktank, by=chair, title="Denktankavond over vrije tijd", description="Neem je **telefoon** mee.",
            starts_at=start, ends_at=start + timedelta(hours=2), location="Het Grote Huis", capacity=30,
            agenda=[{"title": "Welkom", "planned_minutes": 10},
                    {"title": "Vrije tijd", "planned_minutes": 40, "ideas": [idea.id]}])
        db.session.commit()
        return meeting.id


BOTH = ("nl", "en")


@pytest.mark.parametrize("name, path, who, action, languages", [
    ("meeting list", "/meetings/", None, None, BOTH),
    ("meeting page", "/meetings/{id}", None, None, BOTH),
    ("meeting page, as chair", "/meetings/{id}", CHAIR, None, ("nl",)),
    ("plan a meeting, with errors", f"/meetings/new?thinktank={THINKTANK}", CHAIR, "submit", BOTH),
    ("agenda editor", "/meetings/{id}/agenda", CHAIR, None, BOTH),
], ids=lambda value: value if isinstance(value, str) and " " in value else None)
def test_meeting_pages_have_no_axe_violations(new_page: Callable[..., Any], signed_in_state: Callable[[str], Any],
                                              planned: int, name: str, path: str, who: str | None,
                                              action: str | None, languages: tuple[str, ...]) -> None:
    page = new_page(**({"storage_state": signed_in_state(who)} if who else {}))
    found = []
    for lang in languages:
        url = path.format(id=planned)
        url = url if lang == "nl" else f"{url}{'&' if '?' in url else '?'}lang={lang}"
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        if action == "submit":
            page.fill("#title", "")
            submit_empty(page)
        found.append(violations(page))
    assert not any(found), "\n\n".join(found)


def test_a_resident_registers_and_cancels(new_page: Callable[..., Any], signed_in_state: Callable[[str], Any],
                                          planned: int, live_server: LiveServer) -> None:
    page = new_page(storage_state=signed_in_state(RESIDENT))
    page.goto(f"/meetings/{planned}")
    page.get_by_role("button", name=live_server.t("Register")).click()
    page.wait_for_load_state()
    assert live_server.t("You are registered.") in page.locator("main").inner_text()
    page.get_by_role("button", name=live_server.t("Cancel my registration")).click()
    page.wait_for_load_state()
    assert live_server.t("Your registration is cancelled.") in page.locator("main").inner_text()
