"""From an idea to a result, in a real browser: post, support, decide, notify; action item, update, progress.

Each person has a browser context of their own (own cookies), signed in once per session.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (ACTION, ADOPTED_IDEA, AUTHOR, CHAIR, FOCUS_STYLE, MEMBER, MEMBER_NAME,
                                    MEMBER_ORGANISATION, READY_ANSWER, READY_IDEA, THINKTANK, LiveServer,
                                    focus_is_visible)

pytestmark = pytest.mark.browser

SUPPORTERS = ("%(num)d member supports this idea.", "%(num)d members support this idea.")
MAX_TABS = 60  # more stops than these pages have before the link looked for


def _as(new_page: Callable[..., Any], signed_in_state: Callable[[str], Any], email: str) -> Any:
    return new_page(storage_state=signed_in_state(email))


def _fan_out_and_read(live_server: LiveServer, reader: str | None) -> None:
    """Run the follows' fan-out; then mark everything of `reader` (an e-mail address) read."""
    from sqlalchemy import select

    from samen.accounts.models import User
    from samen.core.database import db
    from samen.follows.cli import run_fan_out
    from samen.notifications.operations import mark_read

    with live_server.app.app_context():
        run_fan_out()
        if reader is not None:
            mark_read(db.session.scalar(select(User).where(User.email == reader)))
            db.session.commit()


def test_member_posts_idea_another_supports_chair_adopts_author_is_told(
        new_page: Callable[..., Any], signed_in_state: Callable[[str], Any], live_server: LiveServer) -> None:
    t, tn = live_server.t, live_server.tn
    title = "Sportavonden in de wijk"
    answer = "Aangenomen: de gemeente zoekt een sporthal voor de vrijdagavond."
    author, supporter, chair = (_as(new_page, signed_in_state, who) for who in (AUTHOR, MEMBER, CHAIR))

    # The author posts the idea through the form.
    author.goto(f"/thinktanks/{THINKTANK}/ideas")
    author.get_by_role("link", name=t("Post an idea"), exact=True).click()
    author.get_by_label(t("Title"), exact=True).fill(title)
    author.get_by_label(t("Your idea"), exact=True).fill("Wie *sport*, heeft minder tijd voor drugs.")
    author.get_by_role("button", name=t("Post idea"), exact=True).click()
    expect(author.locator(".flashes")).to_contain_text(t("Your idea is posted."))
    expect(author.get_by_role("heading", level=1)).to_have_text(title)
    idea_path = re.sub(r"^https?://[^/]+", "", author.url)
    assert re.fullmatch(r"/ideas/\d+", idea_path), author.url

    # A second member supports it, in place (static/js/ideas.js): the count goes up, the page stays.
    supporter.goto(idea_path)
    supporter.evaluate("window.samenSamePage = true")
    support = supporter.locator("section[aria-labelledby=support-heading]")
    expect(support).to_contain_text(tn(*SUPPORTERS, 0))
    support.get_by_role("button", name=t("Support")).click()
    expect(supporter.locator("#support-status")).to_have_text(t("You support “%(title)s”.", title=title))
    expect(support).to_contain_text(tn(*SUPPORTERS, 1))
    expect(support).to_contain_text(t("You support this idea"))
    assert supporter.evaluate("window.samenSamePage") is True  # no page load
    expect(support.get_by_role("button", name=t("Withdraw support"), exact=False)).to_be_focused()

    # What the seed and the other tests left for the author is told and read first (samen/follows' fan-out runs
    # outside the request), so that the header counts only what this decision tells.
    _fan_out_and_read(live_server, AUTHOR)

    # The chair records the decision with a written answer.
    chair.goto(idea_path)
    decide = chair.locator("section[aria-labelledby=decide-heading]")
    decide.get_by_text(t("Set the status and write the answer")).click()
    decide.get_by_label(t("Status"), exact=True).select_option("adopted")
    decide.get_by_label(t("Answer"), exact=True).fill(answer)
    decide.get_by_role("button", name=t("Save decision")).click()
    expect(chair.locator(".flashes")).to_contain_text(
        t("The decision is saved: %(status)s. The author and the supporters are told.", status=t("Adopted")))
    expect(chair.locator("section[aria-labelledby=answer-heading]")).to_contain_text(answer)

    # The author sees the unread count in the header, the status change in the list, and the answer — once the
    # fan-out has run, as the mail timer runs it every minute (samen/follows, docs/notifications.md).
    _fan_out_and_read(live_server, None)
    author.reload()
    nav = author.get_by_role("navigation", name=t("Main"))
    notifications = nav.get_by_role("link", name=re.compile("^" + re.escape(t("Notifications"))))
    expect(notifications).to_have_text(f"{t('Notifications')} (1 {t('unread')})")
    notifications.click()
    expect(author.get_by_role("heading", level=1)).to_have_text(t("Notifications"))
    expect(author.locator("main")).to_contain_text(
        tn("You have %(num)d unread notification.", "You have %(num)d unread notifications.", 1))
    author.get_by_role("button", name=t("“%(title)s” was adopted.", title=title)).click()
    author.wait_for_url(f"**{idea_path}")
    answered = author.locator("section[aria-labelledby=answer-heading]")
    expect(answered).to_contain_text(answer)
    expect(answered).to_contain_text(f"{t('Decision:')} {t('Adopted')}")
    expect(notifications).to_have_text(t("Notifications"))  # read now: no count any more


def test_adopted_idea_becomes_action_item_with_update_that_visitors_follow(
        new_page: Callable[..., Any], signed_in_state: Callable[[str], Any], live_server: LiveServer) -> None:
    t, ids = live_server.t, live_server.ids
    due = date.today() + timedelta(days=120)
    update = "Het jongerencentrum doet mee; de eerste avond is gepland."
    chair, owner = _as(new_page, signed_in_state, CHAIR), _as(new_page, signed_in_state, MEMBER)

    # The chair turns the adopted idea into an action item: the form comes filled in from the idea.
    chair.goto(f"/ideas/{ids['ready_idea']}")
    chair.get_by_role("link", name=t("Turn into action item")).click()
    chair.wait_for_url(re.compile(r"/actions/new\?"))
    expect(chair.get_by_label(t("Title"), exact=True)).to_have_value(READY_IDEA)
    expect(chair.locator(f"#ideas-{ids['ready_idea']}")).to_be_checked()
    expect(chair.get_by_label(t("The decision"), exact=True)).to_have_value(READY_ANSWER)
    chair.get_by_label(t("Responsible person"), exact=True).select_option(
        label=f"{MEMBER_NAME} ({MEMBER_ORGANISATION})")
    chair.get_by_label(t("Due date"), exact=True).fill(due.isoformat())
    chair.get_by_role("button", name=t("Create action item")).click()
    expect(chair.locator(".flashes")).to_contain_text(t("The action item is created."))
    match = re.search(r"/actions/(\d+)$", chair.url)
    assert match, chair.url
    action_id = int(match.group(1))
    facts = chair.locator("aside[aria-labelledby=facts-heading]")
    expect(facts).to_contain_text(MEMBER_NAME)
    expect(facts.locator(f"time[datetime='{due.isoformat()}']")).to_have_count(1)

    # The owner posts a progress update with a new percentage and status.
    owner.goto(f"/actions/{action_id}")
    updates = owner.locator("section[aria-labelledby=updates-heading]")
    updates.get_by_text(t("Post a progress update")).click()
    updates.get_by_label(t("What happened"), exact=True).fill(update)
    updates.get_by_label(t("New percentage done"), exact=True).fill("60")
    updates.get_by_label(t("New status"), exact=True).select_option("in_progress")
    updates.get_by_role("button", name=t("Post update")).click()
    expect(owner.locator(".flashes")).to_contain_text(t("Your update is posted."))
    expect(owner.locator(".meter--large .meter__text")).to_have_text(t("%(num)d%% done", num=60))
    expect(updates.locator(".timeline")).to_contain_text(update)

    # A visitor sees it on /progress, under the idea, with its status and progress in words.
    visitor = new_page()
    visitor.goto("/progress")
    idea_block = visitor.locator(".public-idea", has=visitor.get_by_role("link", name=READY_IDEA, exact=True))
    item = idea_block.locator(f"#action-{action_id}")
    expect(item).to_contain_text(t("In progress"))
    expect(item.locator(".progress-meter__text")).to_have_text(f"{t('Progress')}: 60%")
    expect(item).to_contain_text(MEMBER_ORGANISATION)  # carried out by: the owner's organisation
    item.get_by_role("link", name=READY_IDEA).click()

    # …and on the action's public page the trail: the idea, the decision, the update.
    visitor.wait_for_url(f"**/progress/actions/{action_id}")
    origin = visitor.locator("section[aria-labelledby=origin-heading]")
    idea_link = origin.get_by_role("link", name=READY_IDEA)
    expect(idea_link).to_have_attribute("href", f"/ideas/{ids['ready_idea']}")
    expect(origin).to_contain_text(READY_ANSWER)
    trail = visitor.locator("section[aria-labelledby=updates-heading]")
    expect(trail).to_contain_text(update)
    expect(trail).to_contain_text(f"{t('Status:')} {t('In progress')} · {t('progress %(n)d%%', n=60)}")
    text = visitor.locator("main").inner_text()
    assert text.index(READY_IDEA, text.index(t("Where it came from"))) < text.index(READY_ANSWER) \
        < text.index(update), "the trail reads idea → decision → update"


def _tab_to(page: Any, wanted: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
    """Press Tab until the focused element is the one wanted; every stop on the way shows its focus."""
    stops = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        style = page.evaluate(FOCUS_STYLE)
        stops.append(style)
        assert focus_is_visible(style) and style["on_screen"], (page.url, style)
        if wanted(style):
            return stops
    raise AssertionError(f"{page.url}: Tab never reached it; the stops: {[s['text'] for s in stops]}")


def test_keyboard_reaches_an_action_and_its_idea_on_the_progress_pages(
        page: Any, live_server: LiveServer) -> None:
    ids = live_server.ids
    action, idea = f"/progress/actions/{ids['action']}", f"/ideas/{ids['adopted_idea']}"
    page.goto("/progress")
    stops = _tab_to(page, lambda style: style["href"] == action)
    assert stops[-1]["tag"] == "A" and stops[-1]["text"] == ACTION
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{action}")
    stops = _tab_to(page, lambda style: style["href"] == idea)
    assert stops[-1]["text"] == ADOPTED_IDEA
    assert stops[0]["text"] == live_server.t("Skip to content")  # the trail page starts at the top again
