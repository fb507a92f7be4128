"""Stories in Chromium with axe: a field worker records a story at phone width (375 px), from the form with
its errors to the story page; the analysis team tags it, bundles it into a direction and puts it to a think
tank — every page scanned, in Dutch and English."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from samen.accounts import operations as account_ops
from samen.core.database import db
from samen.programme.models import PlanRole
from samen.stories.models import StoryTheme
from samen.thinktanks.models import Membership, ThinkTank
from tests.browser.conftest import PASSWORD, THINKTANK, LiveServer, sign_in
from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}
WORKER = "veldwerker@example.org"
ANALYST = "analist@example.org"
TEXT = "Op de verjaardag van mijn zus lag er coke op tafel, en mijn kinderen zagen het."


@pytest.fixture(scope="module")
def people(live_server: LiveServer) -> tuple[str, str]:
    """Make a field worker and an analyst (a member of the think tank) on the live server, and two themes."""
    with live_server.app.app_context():
        if account_ops.find_user_by_email(WORKER) is None:
            worker = account_ops.create_user(email=WORKER, display_name="Veldwerker Samira", password=PASSWORD,
                                             kind="professional", organisation="Jongerenwerk")
            analyst = account_ops.create_user(email=ANALYST, display_name="Analist Pieter", password=PASSWORD,
                                              kind="professional", organisation="Gemeente")
            tank = db.session.query(ThinkTank).filter_by(slug=THINKTANK).one()
            db.session.add_all([PlanRole(user_id=worker.id, role="field_worker"),
                                PlanRole(user_id=analyst.id, role="analyst"),
                                Membership(thinktank_id=tank.id, user_id=analyst.id),
                                StoryTheme(name="Normalisering"), StoryTheme(name="Gebruik op feesten")])
            db.session.commit()
    return WORKER, ANALYST


def fits(page: Any) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def scanned(page: Any, path: str) -> None:
    """Open the page in Dutch and in English: it fits the width and axe finds nothing."""
    for url in (path, f"{path}{'&' if '?' in path else '?'}lang=en"):
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        assert fits(page), url
        assert not violations(page), url


def test_a_field_worker_records_a_story_at_phone_width(new_page: Callable[..., Any], people: tuple[str, str]):
    page = new_page(**PHONE)
    sign_in(page, people[0])
    scanned(page, "/verhalen/nieuw")
    page.goto("/verhalen/nieuw")
    page.get_by_role("button", name="Verhaal opslaan").click()  # empty: the errors, scanned too
    page.wait_for_load_state()
    assert page.locator(".field--error").count() > 0 and fits(page) and not violations(page)
    page.get_by_label("Het verhaal, in de woorden van de verteller").fill(TEXT)
    page.get_by_label("Een ouder").check()
    page.get_by_label("Wijk").fill("Corlaer")
    page.get_by_label("Normalisering").check()
    page.get_by_label("Mag geciteerd worden, zonder iets waaraan iemand herkenbaar is").check()
    page.get_by_role("button", name="Verhaal opslaan").click()
    page.wait_for_load_state()
    assert page.get_by_text(TEXT).is_visible()
    story_path = page.url.split(page.url.split("/verhalen/")[0])[1]
    scanned(page, story_path)
    scanned(page, "/verhalen")
    scanned(page, f"{story_path}/bewerken")
    scanned(page, "/account")


def test_the_analysis_team_bundles_stories_into_a_direction(new_page: Callable[..., Any],
                                                             people: tuple[str, str]):
    writer = new_page(**PHONE)
    sign_in(writer, people[0])
    writer.goto("/verhalen/nieuw")
    writer.get_by_label("Het verhaal, in de woorden van de verteller").fill(TEXT + " Nog een keer.")
    writer.get_by_label("Een jongere").check()
    writer.get_by_label("Wijk").fill("Paasbos")
    writer.get_by_label("Alleen voor analyse: nooit citeren").check()
    writer.get_by_role("button", name="Verhaal opslaan").click()
    writer.wait_for_load_state()
    story_path = "/verhalen/" + writer.url.rstrip("/").rsplit("/", 1)[1]

    page = new_page(**PHONE)
    sign_in(page, people[1])
    scanned(page, "/verhalen")
    scanned(page, story_path)  # with the analysis form
    page.goto(story_path)
    page.get_by_label("Gebruik op feesten").check()
    page.get_by_role("button", name="Thema’s en bronnen opslaan").click()
    page.wait_for_load_state()
    scanned(page, "/verhalen/bronnen")
    scanned(page, "/verhalen/richtingen")
    scanned(page, "/verhalen/richtingen/nieuw")
    page.goto("/verhalen/richtingen/nieuw")
    page.get_by_label("Titel").fill("Praten over gebruik op feesten")
    page.get_by_label("Tekst").fill("Ouders durven er **niets** van te zeggen.")
    for box in page.locator("input[name=stories]").all():
        box.check()
    page.get_by_role("button", name="Richting opslaan").click()
    page.wait_for_load_state()
    direction_path = "/verhalen/richtingen/" + page.url.rstrip("/").rsplit("/", 1)[1]
    scanned(page, direction_path)
    page.goto(direction_path)
    page.get_by_role("button", name="Als idee voorleggen").click()
    page.wait_for_load_state()
    assert "/ideas/" in page.url and page.get_by_text("Gebaseerd op", exact=False).first.is_visible()
    assert TEXT in page.content() and "Nog een keer" not in page.content()  # the analysis-only one: not quoted
    assert fits(page) and not violations(page)
