"""The demo plan's meetings: an upcoming one per think tank and a plenary, with agendas linked to demo ideas and
registrations, and one past meeting with published minutes; the pages show them."""
from __future__ import annotations

from sqlalchemy import select

from samen.demo.data import IDEAS, MEETINGS, PEOPLE, THINKTANKS
from samen.demo.loader import load_demo
from samen.meetings import operations as ops
from samen.meetings.models import Meeting


def test_the_meeting_data_refers_to_known_people_ideas_and_think_tanks():
    handles, keys = {p.handle for p in PEOPLE}, {idea.key: idea for idea in IDEAS}
    slugs = {t.slug for t in THINKTANKS}
    for demo in MEETINGS:
        assert demo.by in handles and set(demo.registrations) <= handles
        assert demo.thinktank is None or demo.thinktank in slugs
        for item in demo.agenda:
            assert set(item.ideas) <= set(keys), item
            assert demo.thinktank is None or all(keys[key].thinktank == demo.thinktank for key in item.ideas)
    upcoming = [demo for demo in MEETINGS if demo.days > 0]
    assert {demo.thinktank for demo in upcoming} == slugs | {None}  # one per think tank, and a plenary
    assert [demo for demo in MEETINGS if demo.days < 0 and demo.minutes]


def test_the_demo_has_meetings_with_agendas_registrations_and_minutes(db, client):
    report = load_demo()
    db.session.commit()
    assert report.created["meetings"] == len(MEETINGS)
    assert report.created["registrations"] == sum(len(demo.registrations) for demo in MEETINGS)
    meetings = {m.title: m for m in db.session.scalars(select(Meeting))}
    live_able = meetings["Denktankavond Preventie: van idee naar actie"]
    assert live_able.state == "scheduled" and not ops.is_over(live_able)
    assert len(live_able.agenda) == 4 and len(live_able.agenda[2].ideas) == 3
    assert ops.registered_count(live_able) == 8
    plenary = meetings["Plenaire bijeenkomst Samen sterk tegen drugs"]
    assert plenary.plenary and {idea.thinktank_id for idea in plenary.agenda[2].ideas} == {
        tank.id for tank in {m.thinktank for m in meetings.values() if m.thinktank}}
    past = meetings["Denktankavond Preventie: de eerste keuzes"]
    assert past.state == "closed" and past.minutes_published_at and "Aanwezig" in past.minutes
    assert not meetings["Ouderavond Nazorg"].public
    page = client.get("/meetings/?lang=nl").get_data(as_text=True)
    assert "Plenaire bijeenkomst" in page and "Ouderavond Nazorg" not in page and "de eerste keuzes" in page
    assert "Aanwezig:" in client.get(f"/meetings/{past.id}").get_data(as_text=True)
    assert "Denktankavond Preventie: van idee naar actie" in client.get("/progress").get_data(as_text=True)
    again = load_demo()
    assert not again.created["meetings"]
