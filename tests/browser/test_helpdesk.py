"""The help desk in Chromium at phone width (375 px), with axe: the sender's flow (form → receipt → status page
→ add information) and the intake team's (queue → open → reply)."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from samen.accounts import operations as account_ops
from samen.core.database import db
from samen.helpdesk.models import HelpTeamMember
from tests.browser.conftest import PASSWORD, LiveServer, sign_in
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
TEAM = "intake@example.org"
TEXT = "Mijn dochter van 15 blowt elke dag en spijbelt. Ik durf het niemand te vragen."


@pytest.fixture(scope="module")
def intake_team(live_server: LiveServer) -> str:
    """Put a member on the live server's intake team; return the e-mail address to sign in with."""
    with live_server.app.app_context():
        if account_ops.find_user_by_email(TEAM) is None:
            user = account_ops.create_user(email=TEAM, display_name="Intake Gebiedsteam", password=PASSWORD,
                                           kind="professional", organisation="Gebiedsteam")
            db.session.add(HelpTeamMember(user_id=user.id))
            db.session.commit()
    return TEAM


def fits(page: Any) -> bool:
    """Whether the page fits the phone's width: no sideways scrolling."""
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def send_request(page: Any) -> str:
    """Send a request through the form without an account; return the receipt code."""
    page.goto("/hulp/verzoek")
    assert fits(page) and not violations(page)
    page.get_by_label("Over mijn kind").check()
    page.get_by_label("Wat speelt er?").fill(TEXT)
    page.get_by_label("Neem geen contact op", exact=False).check()
    page.get_by_role("button", name="Mijn hulpvraag versturen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Je hulpvraag is verstuurd").is_visible()
    assert fits(page) and not violations(page)
    return page.locator("#receipt-code").inner_text().strip()


def test_the_senders_flow_at_phone_width(new_page: Callable[..., Any], intake_team: str) -> None:
    page = new_page(**PHONE)
    code = send_request(page)
    assert len(code) >= 32
    page.get_by_role("link", name="Mijn hulpvraag").click()  # the bookmark link
    page.wait_for_load_state()
    assert page.get_by_text(TEXT).is_visible() and fits(page) and not violations(page)
    page.get_by_label("Wat wil je toevoegen?").fill("Ze is 15 en zit in de derde klas.")
    page.get_by_role("button", name="Toevoegen", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("Ze is 15 en zit in de derde klas.").is_visible()
    assert fits(page) and not violations(page)
    # Without the link: the code typed in.
    page.goto("/hulp/verzoek/status")
    page.get_by_label("Je ontvangstcode").fill(code)
    page.get_by_role("button", name="Mijn hulpvraag tonen").click()
    page.wait_for_load_state()
    assert page.get_by_text(TEXT).is_visible()


def test_the_teams_flow_at_phone_width(new_page: Callable[..., Any], intake_team: str) -> None:
    send_request(new_page(**PHONE))
    page = new_page(**PHONE)
    sign_in(page, intake_team)
    page.goto("/hulp/team")
    assert fits(page) and not violations(page)
    page.locator("main .card h2 a").first.click()
    page.wait_for_load_state()
    assert page.get_by_text(TEXT).first.is_visible() and fits(page) and not violations(page)
    page.get_by_label("Tekst").first.fill("We bellen u morgen.")
    page.get_by_role("button", name="Antwoord versturen").click()
    page.wait_for_load_state()
    assert page.get_by_text("We bellen u morgen.").is_visible(), page.locator("main").inner_text()[:1500]
    assert fits(page) and not violations(page)
    page.goto("/hulp/team/cijfers")  # the counts: a wide table scrolls in its own box
    assert fits(page) and not violations(page)
