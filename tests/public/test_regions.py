"""A write re-renders only the regions of the progress page it changes (issue #19): each think tank's section
and the indicators are cached on their own, keyed on what they show."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from flask import template_rendered

from samen.actions import operations as ops
from samen.ideas import operations as idea_ops

pytestmark = pytest.mark.database  # the section fingerprints are SQL aggregates: runs on both databases

TANK, CARDS, PAGE = "public/_tank_section.html", "public/_indicator_cards.html", "public/_progress_content.html"


@contextmanager
def rendered(app) -> Iterator[Counter]:
    """Count the templates rendered inside the block, by name."""
    names: Counter = Counter()

    def record(_sender, template, **_extra) -> None:
        names[template.name] += 1

    template_rendered.connect(record, app)
    try:
        yield names
    finally:
        template_rendered.disconnect(record, app)


def test_a_progress_update_re_renders_one_think_tanks_section(app, client, plan, caching, chair, db):
    with rendered(app) as first:
        client.get("/progress?lang=en")
    assert first[TANK] == 2 and first[CARDS] == 1  # both think tanks and the indicators, once each
    with rendered(app) as hit:
        client.get("/progress?lang=en")
    assert not hit[PAGE] and not hit[TANK]  # the page from the cache

    ops.post_update(plan.overdue, by=chair, body="Twee ouderavonden gehouden.", progress=40,
                    status="in_progress")
    db.session.commit()
    with rendered(app) as after:
        html = client.get("/progress?lang=en").get_data(as_text=True)
    assert after[PAGE] == 1  # the page around the regions: the summary and latest updates changed
    assert after[TANK] == 1  # only the section of the think tank whose action changed
    assert after[CARDS] == 0  # the indicators did not change
    section = html[html.index(f'id="action-{plan.overdue.id}"'):]
    assert "Progress: <strong>40%</strong>" in section[:section.index("</article>")]
    assert "Twee ouderavonden gehouden." in html
    # The other think tank's section is the cached one, and still there.
    assert "Nazorgtraject na behandeling" in html


def test_a_measurement_re_renders_the_indicators_alone(app, client, plan, caching, admin, db):
    client.get("/progress?lang=en")
    ops.record_measurement(plan.indicator, by=admin, date=date(2025, 6, 1), value=18)
    db.session.commit()
    with rendered(app) as after:
        html = client.get("/progress?lang=en").get_data(as_text=True)
    assert after[CARDS] == 1 and after[TANK] == 0
    assert "3 measurements in all" in html


def test_an_idea_decision_re_renders_its_think_tanks_section(app, client, plan, caching, chair, member, db):
    client.get("/progress?lang=en")
    idea = idea_ops.create_idea(plan.thinktank, author=member, title="Een nieuwe sportavond", body="")
    idea_ops.decide(idea, by=chair, status="adopted", answer="Ja.")
    db.session.commit()
    with rendered(app) as after:
        html = client.get("/progress?lang=en").get_data(as_text=True)
    assert after[TANK] == 1 and after[CARDS] == 0
    assert "Een nieuwe sportavond" in html


def test_without_the_page_cache_nothing_is_kept(app, client, plan):
    client.get("/progress?lang=en")
    with rendered(app) as again:
        client.get("/progress?lang=en")
    assert again[TANK] == 2 and again[CARDS] == 1  # PUBLIC_PAGE_CACHE_SIZE 0 (tests): every request renders


def test_a_page_from_the_cache_runs_no_query(client, plan, caching, count_queries):
    """Served from the cache, /progress and the report need nothing from the database: the fingerprint is kept
    for PUBLIC_STATE_TTL and the plan's title and the counts with it (blueprint._plan, _overview); an
    indicator's page reads its name."""
    for path, expected in (("/progress?lang=en", 0), ("/progress/report?lang=en", 0),
                           (f"/progress/indicators/{plan.indicator.id}", 1),
                           (f"/progress/thinktanks/{plan.thinktank.slug}", 1)):  # the think tanks, for the slug
        client.get(path)
        with count_queries() as statements:
            assert client.get(path).status_code == 200
        assert len(statements) == expected, (path, statements)
