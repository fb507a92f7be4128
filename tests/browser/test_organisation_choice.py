"""Choosing one's organisation from the register, the administrators' notes of unlisted ones, and the action
form's contact person per co-executing organisation, in Chromium at a phone's width (375 px) and at 1280 px: no
sideways scrolling, and a screenshot of each for review."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from samen.accounts import operations as account_ops
from samen.core.database import db
from samen.partners import operations as ops
from samen.partners.models import Organisation
from tests.browser.conftest import ADMIN, CHAIR

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def prepared(live_server: Any) -> None:
    """A note of an unlisted organisation, and an active contact of the 'Politie' entry (new accounts only)."""
    with live_server.app.app_context():
        person = account_ops.create_user(email="wijkagent-keuze@example.org", display_name="Wijkagent Kim",
                                         password="een-lang-wachtwoord-42")
        other = account_ops.create_user(email="jeugdzorg-keuze@example.org", display_name="Jeugdzorg Sam",
                                        password="een-lang-wachtwoord-42")
        entry = db.session.scalar(select(Organisation).where(Organisation.slug == "politie"))
        admin = account_ops.find_user_by_email(ADMIN)
        ops.add_contact(entry, person, by=admin)
        ops.note_unlisted(other, "Jeugdbescherming Gelderland met een heel lange naam die niet past")
        db.session.commit()


def _shot(page: Any, tmp_path_factory: pytest.TempPathFactory, name: str) -> None:
    shots = Path(tmp_path_factory.getbasetemp()) / "screenshots"
    shots.mkdir(exist_ok=True)
    target = shots / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("name, path, who", [
    ("register", "/register", None),
    ("unlisted-notes", "/partners/register", ADMIN),
    ("action-form", "/actions/new?thinktank=preventie", CHAIR),
])
def test_the_pages_fit_and_offer_the_register(new_page: Callable[..., Any], tmp_path_factory: Any,
                                              signed_in_state: Callable[[str], dict[str, Any]], prepared: None,
                                              name: str, path: str, who: str | None, width: int) -> None:
    options: dict[str, Any] = {"viewport": {"width": width, "height": 800}}
    if width == 375:
        options.update(is_mobile=True, has_touch=True)
    if who:
        options["storage_state"] = signed_in_state(who)
    page = new_page(**options)
    page.goto(f"{path}{'&' if '?' in path else '?'}lang=en")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, path
    main = page.locator("main")
    if name == "register":
        page.get_by_label("Organisation").select_option(label="Politie Nijkerk")
        assert main.get_by_text("My organisation is not listed").count() == 1
        assert page.get_by_label("Not listed? Its name").is_visible()
    elif name == "unlisted-notes":
        assert "Jeugdbescherming Gelderland" in main.inner_text()
        assert page.get_by_role("button", name="Set aside Jeugdbescherming").is_visible()
    else:
        contact = page.get_by_label("Contact person of Politie", exact=True)
        contact.select_option(label="Wijkagent Kim")
        box = contact.bounding_box()
        assert box is not None and box["x"] + box["width"] <= width
        shots = Path(tmp_path_factory.getbasetemp()) / "screenshots"
        shots.mkdir(exist_ok=True)
        who = main.locator("fieldset.form-group", has_text="Co-executing").first
        who.screenshot(path=str(shots / f"{name}-who-{width}.png"))
    _shot(page, tmp_path_factory, f"{name}-{width}")
