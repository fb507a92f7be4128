"""The public Partners pages, the register's pages and who may open them, in both languages."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from xml.etree import ElementTree

import pytest
from flask import Flask

from samen.actions import operations as action_ops
from samen.ideas import operations as idea_ops
from samen.partners import operations as ops
from samen.partners.models import Organisation
from samen.public import blueprint as public_blueprint
from samen.public import queries as public_queries
from tests.conftest import speak

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both

TODAY = date.today()
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def _like_production(like_production: None) -> None:
    """Every request starts with nothing loaded, as in production."""


@pytest.fixture
def carried(police, halt, partner_action, chair, admin, db) -> Any:
    """Return an overdue public action led by the police with Halt, with an update and an indicator."""
    indicator = action_ops.create_indicator(by=admin, name="Meldingen van overlast", baseline_value=40)
    action = partner_action(title="Toezicht bij evenementen", lead=police, co=[halt], start_date=None,
                            due_date=TODAY - timedelta(days=3), indicators=[indicator])
    action_ops.post_update(action, by=chair, body="Eerste evenement bezocht.", progress=30,
                           status="in_progress")
    partner_action(title="Intern overleg", lead=police, public=False)
    db.session.commit()
    return action


@pytest.mark.parametrize("lang, words", [("nl", ("Partners", "1 te laat", "Leidt 1 actiepunt")),
                                         ("en", ("Partners", "1 overdue", "Leads 1 action item"))])
def test_the_partners_page_in_both_languages(client, carried, police, halt, lang, words):
    speak(client, lang)
    html = client.get("/partners").get_data(as_text=True)
    assert all(word in html for word in words), html
    assert "Politie Nijkerk" in html and 'href="/partners/halt"' in html


@pytest.mark.parametrize("lang, overdue", [("nl", "Te laat: de einddatum is voorbij"),
                                           ("en", "Overdue: the due date has passed")])
def test_an_organisation_page(client, carried, police, lang, overdue):
    speak(client, lang)
    response = client.get("/partners/politie-nijkerk")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Toezicht bij evenementen" in html and "Intern overleg" not in html  # public actions only
    assert overdue in html  # in words, not by colour alone
    assert "Meldingen van overlast" in html  # its indicators, via its actions
    assert "30%" in html and 'href="https://www.politie.nl"' in html
    assert 'type="application/atom+xml"' in html


def test_the_public_action_page_says_who_carries_it(client, carried):
    html = client.get(f"/progress/actions/{carried.id}").get_data(as_text=True)
    assert "Politie Nijkerk (lead), Halt" in html or "Politie Nijkerk (trekker), Halt" in html
    assert "not assigned yet" not in html and "nog niet toegewezen" not in html


def test_the_feed_of_an_organisation(client, carried, halt):
    response = client.get("/partners/halt/feed.atom?lang=en")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(response.data)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert titles == ["Toezicht bij evenementen: In progress, 30%"]


def test_unknown_and_merged_organisations(client, create_organisation, police, admin, db):
    assert client.get("/partners/bestaat-niet").status_code == 404
    assert client.get("/partners/%00").status_code == 404
    old = create_organisation("Politie")
    ops.merge_organisations(old, police, by=admin)
    db.session.commit()
    response = client.get("/partners/politie")
    assert response.status_code == 301 and response.location.endswith("/partners/politie-nijkerk")
    assert "Politie</a>" not in client.get("/partners").get_data(as_text=True)


def _count(client: Any, count_queries: Any, path: str) -> int:
    with count_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)


def _grow(db: Any, thinktank: Any, chair: Any, admin: Any, organisations: list[Organisation], start: int,
          stop: int) -> None:
    for i in range(start, stop):
        idea = idea_ops.create_idea(thinktank, author=chair, title=f"Idee {i}", body="")
        idea_ops.decide(idea, by=chair, status="adopted", answer=f"Antwoord {i}")
        indicator = action_ops.create_indicator(by=admin, thinktank=thinktank, name=f"Indicator {i}")
        action_ops.record_measurement(indicator, by=admin, date=date(2025, 1, 1), value=i)
        action = action_ops.create_action(thinktank, by=chair, title=f"Actie {i}", ideas=[idea],
                                          indicators=[indicator], lead=organisations[0], co=organisations[1:],
                                          owner=chair, due_date=TODAY + timedelta(days=i - 5))
        action_ops.post_update(action, by=chair, body=f"Update {i}")
    db.session.commit()


def test_the_number_of_queries_does_not_grow_with_the_data(client, db, thinktank, chair, admin, police, halt,
                                                           create_organisation, count_queries):
    paths = ["/partners", "/partners/politie-nijkerk", "/partners/halt/feed.atom", "/progress",
             "/progress/report"]
    _grow(db, thinktank, chair, admin, [police, halt], 0, 2)
    for path in paths:
        client.get(path)
    small = {path: _count(client, count_queries, path) for path in paths}
    _grow(db, thinktank, chair, admin, [police, halt, create_organisation("Tactus")], 2, 15)
    for n in range(5):
        create_organisation(f"Vereniging {n}")
    large = {path: _count(client, count_queries, path) for path in paths}
    assert large == small
    assert small["/partners"] <= 8 and small["/partners/politie-nijkerk"] <= 14, small


def test_the_pages_are_cached_and_a_change_shows(app: Flask, client, carried, police, admin, db,
                                                 count_queries):
    saved = app.config["PUBLIC_STATE_TTL"], app.config["PUBLIC_PAGE_CACHE_SIZE"]
    app.config.update(PUBLIC_STATE_TTL=60, PUBLIC_PAGE_CACHE_SIZE=8)
    public_queries.forget_state()
    public_blueprint.page_cache(app).clear()
    try:
        first = client.get("/partners/politie-nijkerk")
        assert first.headers["Cache-Control"].endswith("max-age=60") and first.headers.get("ETag")
        assert client.get("/partners/politie-nijkerk", headers={"If-None-Match": first.headers["ETag"]}
                          ).status_code == 304
        with count_queries() as statements:
            client.get("/partners/politie-nijkerk")
        assert len(statements) <= 2, statements  # the fingerprint (cached) and the session's user at most
        ops.update_organisation(police, by=admin, description="Nu met een nieuwe beschrijving.")
        db.session.commit()
        assert "Nu met een nieuwe beschrijving." in client.get("/partners/politie-nijkerk").get_data(as_text=True)
    finally:
        app.config["PUBLIC_STATE_TTL"], app.config["PUBLIC_PAGE_CACHE_SIZE"] = saved
        public_queries.forget_state()
        public_blueprint.page_cache(app).clear()


# --- the register ---------------------------------------------------------------------------------------------

KEEPER_PAGES = ["/partners/register", "/partners/register/new", "/partners/register/duplicates",
                "/partners/politie-nijkerk/edit"]


@pytest.mark.parametrize("path", KEEPER_PAGES)
def test_the_register_is_for_administrators(client, auth, police, user, admin, path):
    assert client.get(path).status_code == 302  # sign in first
    auth.login(user)
    assert client.get(path).status_code == 403
    auth.logout()
    auth.login(admin)
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_an_administrator_adds_and_merges_entries(client, auth, admin, police, lang, db):
    auth.login(admin)
    speak(client, lang)
    bad = auth.post("/partners/register/new", {"name": "", "kind": "other"})
    assert bad.status_code == 422
    response = auth.post("/partners/register/new", {"name": "Politie", "kind": "police",
                                                    "website": "https://politie.nl"})
    assert response.status_code == 302
    assert "Politie" in client.get("/partners/register/duplicates").get_data(as_text=True)
    response = auth.post("/partners/politie/merge", {"target": str(police.id)})
    assert response.status_code == 302 and response.location.endswith("/partners/politie-nijkerk/edit")
    assert ops.get_organisation("politie").merged_into_id == police.id


def test_a_person_asks_and_a_contact_approves_on_the_web(client, auth, police, contact_of, create_user, db):
    colleague = contact_of(police)
    newcomer = create_user(display_name="Nieuwe agent")
    auth.login(newcomer)
    response = auth.post("/partners/mine", {"organisation": str(police.id)})
    assert response.status_code == 302
    speak(client, "en")
    assert "Waiting for approval" in client.get("/partners/mine").get_data(as_text=True)
    assert client.get("/partners/politie-nijkerk/contacts").status_code == 403
    auth.logout()
    auth.login(colleague)
    contact = next(c for c in ops.contacts_of(police) if c.user_id == newcomer.id)
    response = auth.post(f"/partners/politie-nijkerk/contacts/{contact.id}/approve")
    assert response.status_code == 302
    db.session.refresh(contact)
    assert contact.is_active


def test_an_outsider_cannot_approve_or_post(client, auth, police, halt, contact_of, create_user, partner_action,
                                            db):
    action = partner_action(co=[halt])
    outsider = create_user(display_name="Buitenstaander")
    contact = ops.request_contact(police, user=create_user(display_name="Aanvrager"))
    db.session.commit()
    auth.login(outsider)
    assert auth.post(f"/partners/politie-nijkerk/contacts/{contact.id}/approve").status_code == 403
    assert auth.post(f"/actions/{action.id}/updates", {"body": "Hallo"}).status_code == 403
    auth.logout()
    auth.login(contact_of(halt))
    response = auth.post(f"/actions/{action.id}/updates", {"body": "Eerste avond gehouden.", "progress": "20"})
    assert response.status_code == 302
    db.session.refresh(action)
    assert action.progress == 20


def test_organisations_in_the_open_data_and_the_report(client, carried, police, halt):
    data = client.get("/progress/organisations.json").get_json()
    assert [o["slug"] for o in data["organisations"]] == ["halt", "politie-nijkerk"]
    assert data["organisations"][1]["actions"] == {"lead": 1, "co": 0, "done": 0, "overdue": 1}
    assert "contacts" not in data["organisations"][0]  # no personal data
    csv = client.get("/progress/organisations.csv").get_data(as_text=True)
    assert csv.splitlines()[0].startswith("id,slug,name,kind") and "politie-nijkerk" in csv
    [action] = client.get("/progress/actions.json").get_json()["actions"]
    assert action["organisation"] == "Politie Nijkerk"
    assert [(o["slug"], o["role"]) for o in action["organisations"]] == [("politie-nijkerk", "lead"), ("halt", "co")]
    assert "Politie Nijkerk (lead);Halt (co)" in client.get("/progress/actions.csv").get_data(as_text=True)
    speak(client, "en")
    report = client.get("/progress/report").get_data(as_text=True)
    partners = report.split('id="report-partners-heading"')[1].split('id="report-indicators-heading"')[0]
    assert "Politie Nijkerk" in partners and "Halt" in partners and "co-executing" in partners


def test_the_responsible_person_chooses_how_they_appear(client, auth, partner_action, create_user, db):
    owner = create_user(display_name="Marieke, ervaringsdeskundige")
    action = partner_action(title="Lotgenotengroep", owner=owner)
    assert "Marieke" not in client.get(f"/progress/actions/{action.id}").get_data(as_text=True)
    outsider = create_user(display_name="Buitenstaander")
    auth.login(outsider)
    assert auth.post(f"/actions/{action.id}/shown-as", {"shown_as": "name"}).status_code == 403
    auth.logout()
    auth.login(owner)
    assert auth.post(f"/actions/{action.id}/shown-as", {"shown_as": "name"}).status_code == 302
    auth.logout()
    db.session.refresh(action)
    assert action.owner_public_as == "name"
    assert "Marieke, ervaringsdeskundige" in client.get(f"/progress/actions/{action.id}").get_data(as_text=True)
