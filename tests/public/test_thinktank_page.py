"""A think tank's progress page, the bounded overview on /progress, and the caches that keep both fast."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from samen.actions import operations as ops
from samen.public import blueprint, queries
from tests.public.helpers import assert_nothing_secret


def _main(html: str) -> str:
    return html[html.index('<main id="content"'):html.index("</main>")]


def _action_links(html: str) -> list[str]:
    return re.findall(r'<h4 class="public-action__title" id="action-\d+-title"><a href="(/progress/actions/\d+)"',
                      html)


@pytest.fixture
def many(plan, make_action, db):
    """Add enough public actions to the plan's think tank to need a sample on /progress and pages here."""
    extra = [make_action(plan.thinktank, title=f"Extra actie {i:03d}", organisation="Gemeente",
                         due_date=date.today() + timedelta(days=10 + i))
             for i in range(blueprint.PER_PAGE + 5)]
    db.session.commit()
    return extra


def test_the_think_tank_page_shows_its_ideas_and_actions(client, plan):
    response = client.get(f"/progress/thinktanks/{plan.thinktank.slug}?lang=en")
    assert response.status_code == 200
    main = _main(response.get_data(as_text=True))
    assert f"Progress of {plan.thinktank.name}" in main
    idea_at = main.index(f'href="/ideas/{plan.idea.id}">Voorlichting door ervaringsdeskundigen</a>')
    assert idea_at < main.index(f'href="/progress/actions/{plan.action.id}">Voorlichting op alle')
    assert "Een vrijplaats voor jongeren" in main and "Adopted; no public action item yet." in main
    assert "Overdue: the due date has passed" in main
    assert_nothing_secret(main)


def test_the_think_tank_page_is_dutch_by_default(client, plan):
    main = _main(client.get(f"/progress/thinktanks/{plan.thinktank.slug}").get_data(as_text=True))
    assert f"Voortgang van {plan.thinktank.name}" in main


def test_the_overview_shows_a_sample_per_think_tank_and_links_to_all(client, plan, many):
    main = _main(client.get("/progress?lang=en").get_data(as_text=True))
    section = main[main.index(f'id="thinktank-{plan.thinktank.id}"'):]
    section = section[:section.index("</section>")]
    shown = _action_links(section)
    assert len(shown) == blueprint.SAMPLE_ACTIONS
    assert shown[0] == f"/progress/actions/{plan.overdue.id}"  # overdue first
    total = len(many) + 3  # and the plan's public actions of this think tank (see conftest)
    assert f"({blueprint.SAMPLE_ACTIONS} of {total} action items shown here)" in section
    assert f'href="/progress/thinktanks/{plan.thinktank.slug}"' in section
    # The counts are of every public action, in words.
    assert f"{total} public action items" in section
    assert re.search(r"Planned: \d+", section) and "1 overdue" in section


def test_the_think_tank_page_pages_through_every_action(client, plan, many):
    slug = plan.thinktank.slug
    first = client.get(f"/progress/thinktanks/{slug}?lang=en").get_data(as_text=True)
    second = client.get(f"/progress/thinktanks/{slug}?page=2&lang=en").get_data(as_text=True)
    one, two = _action_links(_main(first)), _action_links(_main(second))
    assert len(one) == blueprint.PER_PAGE and two
    assert not set(one) & set(two)
    assert "Page 1 of 2" in first and 'rel="next"' in first and 'rel="prev"' in second
    everything = set(one) | set(two)
    assert {f"/progress/actions/{action.id}" for action in many} <= everything
    # Ideas that wait for an action show on the first page only.
    assert "Een vrijplaats voor jongeren" in first and "Een vrijplaats voor jongeren" not in second


@pytest.mark.parametrize("query, status", [("?page=abc", 400), ("?page=0", 404), ("?page=99", 404),
                                           ("?page=-1", 404)])
def test_a_bad_page_number_is_refused_clearly(client, plan, query, status):
    response = client.get(f"/progress/thinktanks/{plan.thinktank.slug}{query}")
    assert response.status_code == status


def test_an_unknown_think_tank_is_404(client, plan):
    assert client.get("/progress/thinktanks/bestaat-niet").status_code == 404


def test_the_think_tank_page_has_validators(client, plan):
    path = f"/progress/thinktanks/{plan.thinktank.slug}"
    client.get(path)
    etag = client.get(path).headers["ETag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304


# --- the caches -----------------------------------------------------------------------------------------------

def test_a_cached_page_costs_no_query_of_its_content(client, plan, caching, count_queries):
    client.get("/progress"), client.get("/progress")  # the session, then the cache
    with count_queries() as statements:
        assert client.get("/progress").status_code == 200
    with count_queries() as uncached:
        blueprint.page_cache(client.application).clear()
        queries.forget_state()
        assert client.get("/progress").status_code == 200
    assert len(statements) < len(uncached)
    assert not any("FROM actions" in statement for statement in statements)


def test_a_write_in_this_process_shows_at_once(client, plan, chair, db, caching):
    assert "Nieuwe actie na de cache" not in client.get("/progress?lang=en").get_data(as_text=True)
    ops.create_action(plan.thinktank, by=chair, title="Nieuwe actie na de cache", organisation="GGD",
                      due_date=date.today() + timedelta(days=3))
    db.session.commit()
    assert "Nieuwe actie na de cache" in client.get("/progress?lang=en").get_data(as_text=True)


def test_each_language_has_its_own_cached_content(client, plan, caching):
    assert "Where the plan stands" in client.get("/progress?lang=en").get_data(as_text=True)
    assert "Waar het plan staat" in client.get("/progress?lang=nl").get_data(as_text=True)
    assert "Where the plan stands" in client.get("/progress?lang=en").get_data(as_text=True)


def test_the_state_is_kept_for_its_ttl_unless_this_process_writes(app, plan, db, caching, count_queries):
    with app.test_request_context():
        queries.current_state("k", 60)
        with count_queries() as statements:
            kept = queries.current_state("k", 60)
        assert statements == []
        queries.forget_state()
        with count_queries() as statements:
            fresh = queries.current_state("k", 60)
        assert len(statements) == 1 and fresh == kept
        with count_queries() as statements:
            queries.current_state("k", 0)  # no TTL: always asked
        assert len(statements) == 1


def test_the_content_cache_keeps_a_bounded_number_of_pages(client, plan, app, caching):
    app.config["PUBLIC_PAGE_CACHE_SIZE"] = 2
    for path in ("/progress", "/progress/report", f"/progress/thinktanks/{plan.thinktank.slug}",
                 "/progress?lang=en"):
        assert client.get(path).status_code == 200
    assert len(blueprint.page_cache(app)) == 2


def test_writes_to_other_tables_keep_the_cached_state(app, plan, db, member, caching, count_queries):
    from datetime import datetime

    from sqlalchemy import update

    from samen.accounts.models import UserSession
    from samen.notifications.models import Notification
    with app.test_request_context():
        queries.current_state("k", 60)
        db.session.add(Notification(user_id=member.id, kind="test", data={}))
        db.session.execute(update(UserSession).where(UserSession.user_id == member.id)
                           .values(last_seen_at=datetime(2026, 1, 1)))
        db.session.commit()
        with count_queries() as statements:
            queries.current_state("k", 60)
        assert statements == []  # kept
        from samen.ideas.models import Idea
        db.session.execute(update(Idea).where(Idea.id == plan.idea.id).values(support_count=Idea.support_count + 1))
        db.session.commit()
        with count_queries() as statements:
            queries.current_state("k", 60)
        assert len(statements) == 1  # a public table changed: asked again
