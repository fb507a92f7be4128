"""Every public route runs the same number of SQL queries whatever the amount of data."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from samen.actions import operations as ops
from samen.ideas import operations as idea_ops

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both

ROUTES = ["/progress", "/progress/actions/{action}", "/progress/report", "/progress/thinktanks/{slug}",
          "/progress/thinktanks/{slug}?page=1", "/progress/feed.atom",
          "/progress/actions.csv", "/progress/actions.json", "/progress/indicators.csv",
          "/progress/indicators.json"]


def _grow(db: Any, thinktank: Any, chair: Any, member: Any, admin: Any, shared: Any, start: int,
          stop: int) -> Any:
    """Add adopted ideas, each with an action, a milestone, an update, an indicator and measurements."""
    first = None
    for i in range(start, stop):
        idea = idea_ops.create_idea(thinktank, author=member, title=f"Idee {i}", body="")
        idea_ops.decide(idea, by=chair, status="adopted", answer=f"Antwoord {i}")
        own = ops.create_indicator(by=admin, thinktank=thinktank, name=f"Indicator {i}", baseline_value=i,
                                   target_value=2 * i + 1, target_date="2027-01-01")
        ops.record_measurement(own, by=admin, date=date(2025, 1, 1), value=i + 0.5)
        action = ops.create_action(thinktank, by=chair, title=f"Actie {i}", ideas=[idea],
                                   indicators=[shared, own], organisation=f"Organisatie {i}",
                                   due_date=date.today() + timedelta(days=i - 5))
        ops.add_milestone(action, by=chair, title=f"Stap {i}")
        ops.post_update(action, by=chair, body=f"Update {i}")
        ops.record_measurement(shared, by=admin, date=date(2024, 1, 1) + timedelta(days=i), value=i)
        first = first or action
    db.session.commit()
    return first


def _count(client: Any, count_queries: Any, path: str) -> int:
    with count_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements)


def test_the_number_of_queries_does_not_grow_with_the_data(client, db, thinktank, chair, member, admin,
                                                           count_queries):
    shared = ops.create_indicator(by=admin, name="Jongeren die wekelijks drinken", baseline_value=20)
    action = _grow(db, thinktank, chair, member, admin, shared, 0, 2)
    paths = [route.format(action=action.id, slug=thinktank.slug) for route in ROUTES]
    for path in paths:
        client.get(path)  # the first visit sets up the session; count from the second on
    small = {path: _count(client, count_queries, path) for path in paths}
    _grow(db, thinktank, chair, member, admin, shared, 2, 20)
    large = {path: _count(client, count_queries, path) for path in paths}
    assert large == small
    assert max(small.values()) <= 26, small  # /progress: summary, samples, overview, meetings, minutes, indicators…


# Every page an anonymous visitor can reach without a search (issue #19), not only /progress.
ANONYMOUS_PAGES = ["/", "/thinktanks/", "/thinktanks/{slug}", "/thinktanks/{slug}/ideas", "/ideas/{idea}",
                   "/progress/actions/{action}", "/progress", "/progress/indicators/{indicator}",
                   "/progress/thinktanks/{slug}", "/meetings/", "/meetings/{meeting}", "/partners",
                   "/partners/{organisation}"]


def _grow_everything(db: Any, thinktank: Any, chair: Any, member: Any, admin: Any, shared: Any, start: int,
                     stop: int) -> Any:
    """_grow, and per step a public meeting of the think tank, a partner organisation and more ideas."""
    from datetime import datetime

    from samen.meetings import operations as meeting_ops
    from samen.partners import operations as partner_ops

    first = _grow(db, thinktank, chair, member, admin, shared, start, stop)
    for i in range(start, stop):
        starts = datetime.combine(date.today() + timedelta(days=7 + i), datetime.min.time()).replace(hour=19)
        meeting_ops.create_meeting(thinktank, by=chair, title=f"Avond {i}", starts_at=starts,
                                   ends_at=starts + timedelta(hours=2), location="Het Grote Huis")
        partner_ops.create_organisation(by=admin, name=f"Partner {i}")
        for j in range(3):
            idea = idea_ops.create_idea(thinktank, author=member, title=f"Los idee {i}-{j}", body="Tekst")
            idea_ops.support_idea(idea, chair)
    db.session.commit()
    return first


def test_every_anonymous_public_page_runs_a_fixed_number_of_queries(client, db, thinktank, chair, member, admin,
                                                                      count_queries):
    from sqlalchemy import select

    from samen.meetings.models import Meeting
    from samen.partners.models import Organisation

    shared = ops.create_indicator(by=admin, name="Jongeren die wekelijks drinken", baseline_value=20)
    action = _grow_everything(db, thinktank, chair, member, admin, shared, 0, 2)
    meeting = db.session.scalars(select(Meeting).order_by(Meeting.id)).first()
    organisation = db.session.scalars(select(Organisation).order_by(Organisation.id)).first()
    idea = action.ideas[0]
    paths = [page.format(slug=thinktank.slug, idea=idea.id, action=action.id, indicator=shared.id,
                         meeting=meeting.id, organisation=organisation.slug) for page in ANONYMOUS_PAGES]
    for path in paths:
        client.get(path)  # the first visit sets up the session; count from the second on
    small = {path: _count(client, count_queries, path) for path in paths}
    _grow_everything(db, thinktank, chair, member, admin, shared, 2, 14)
    large = {path: _count(client, count_queries, path) for path in paths}
    assert large == small
