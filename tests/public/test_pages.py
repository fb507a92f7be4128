"""The public progress page: the plan's state in words and numbers, per think tank, indicators."""
from __future__ import annotations

import re
from datetime import date, timedelta

from samen.actions import operations as ops
from samen.public import queries
from tests.public.helpers import assert_nothing_secret


def _page(client, path: str = "/progress") -> str:
    response = client.get(path)
    assert response.status_code == 200
    assert response.content_type == "text/html; charset=utf-8"
    return response.get_data(as_text=True)


def _main(html: str) -> str:
    return html[html.index('<main id="content"'):html.index("</main>")]


def test_anonymous_visitors_see_where_the_plan_stands(client, plan):
    html = _page(client, "/progress?lang=en")
    assert '<html lang="en">' in html
    main = _main(html)
    # The share done in words and numbers, and every status with its count, in a table with a caption.
    assert "0 of 4 action items are done (0%)." in main
    assert "<caption>Action items per status</caption>" in main
    assert re.search(r'<th scope="row">Planned</th><td>3</td><td>75%</td>', main)
    assert re.search(r'<th scope="row">In progress</th><td>1</td><td>25%</td>', main)
    # Overdue: counted and named, in words.
    assert "1 action item is past its due date." in main
    assert f'href="/progress/actions/{plan.overdue.id}">Ouderavond in elke wijk</a>' in main
    assert "Latest updates" in main and "Drie scholen bezocht, zeven te gaan." in main


def test_each_think_tank_shows_its_adopted_ideas_and_their_action_items(client, plan):
    main = _main(_page(client, "/progress?lang=en"))
    section = main[main.index(f'id="thinktank-{plan.thinktank.id}"'):]
    section = section[:section.index("</section>")]
    idea_at = section.index(f'href="/ideas/{plan.idea.id}">Voorlichting door ervaringsdeskundigen</a>')
    action_at = section.index(f'href="/progress/actions/{plan.action.id}">Voorlichting op alle')
    assert idea_at < action_at  # the action under the idea it carries out
    card = section[action_at:section.index("</article>", action_at)]
    assert "GGD Gelderland-Midden" in card  # the owning organisation, never a person
    assert "Progress: <strong>50%</strong>" in card  # the percentage as text ...
    assert '<progress class="progress-meter__bar" max="100" value="50" aria-hidden="true">' in card  # and bar
    assert "In progress</span>" in card and "Status: </span>" in card  # the status in words
    assert f'<time datetime="{plan.action.due_date.isoformat()}">' in card
    # An adopted idea without an action says so; an overdue action says so in words.
    assert "Een vrijplaats voor jongeren" in section and "Adopted; no public action item yet." in section
    overdue = section[section.index(f'id="action-{plan.overdue.id}"'):]
    assert "Overdue: the due date has passed" in overdue[:overdue.index("</article>")]


def test_nothing_internal_hidden_withdrawn_or_members_only_shows(client, plan):
    for lang in ("nl", "en"):
        html = _page(client, f"/progress?lang={lang}")
        assert_nothing_secret(html)
        assert "Nazorgtraject na behandeling" in html  # a public action of a closed think tank shows
    assert "based on ideas that are not public" in html  # ... and says that its ideas are not public


def test_indicators_are_cards_linking_to_their_own_page(client, plan):
    main = _main(_page(client, "/progress?lang=en"))
    block = main[main.index(f'id="indicator-{plan.indicator.id}"'):]
    block = block[:block.index("</article>")]
    # The state in words, a small line that only draws it, no full chart or table on the progress page.
    assert "So far 50% of the way from the baseline to the target." in block and "Lower is better." in block
    svg = block[block.index("<svg"):block.index("</svg>")]
    assert 'aria-hidden="true"' in svg and 'role="img"' not in svg
    assert "<table" not in block and "<desc" not in block
    assert f'href="/progress/indicators/{plan.indicator.id}"' in block


def test_an_indicators_page_has_an_accessible_chart_and_a_table(client, plan):
    main = _main(_page(client, f"/progress/indicators/{plan.indicator.id}?lang=en"))
    assert '<h1 id="indicator-' in main and "Jongeren die wekelijks alcohol drinken</h1>" in main
    svg = main[main.index("<svg"):main.index("</svg>")]
    assert 'role="img"' in svg
    assert f'aria-labelledby="chart-{plan.indicator.id}-title"' in svg
    title = f'<title id="chart-{plan.indicator.id}-title">Chart: Jongeren die wekelijks alcohol drinken'
    assert title in svg
    # The text alternative is the summary on the page, said once: the chart refers to it.
    summary_id = f"chart-{plan.indicator.id}-summary"
    assert f'aria-describedby="{summary_id}"' in svg and "<desc" not in svg
    summary = main[main.index(f'id="{summary_id}"'):]
    assert "Lower is better." in summary[:summary.index("</p>")]
    table = main[main.index("<table"):main.index("</table>")]
    assert "<caption>Figures for Jongeren die wekelijks alcohol drinken</caption>" in table
    assert table.count('<th scope="row">') == 4  # baseline, two measurements, target
    assert "19.5" in table and "Target" in table and "Baseline" in table
    assert f'href="/progress/actions/{plan.action.id}"' in main  # the public action that serves it
    assert client.get("/progress/indicators/999999").status_code == 404


def test_dutch_is_the_default_with_dutch_dates_and_numbers(client, plan):
    html = _page(client)
    assert '<html lang="nl">' in html
    main = _main(html)
    assert "19,5" in main and "19.5" not in main
    assert re.search(r"1 jan\. 2025|1 jan 2025", main)


def test_the_main_navigation_has_a_progress_link(client, plan):
    html = _page(client, "/progress?lang=en")
    assert '<a href="/progress" aria-current="page">Progress</a>' in html
    action = _page(client, f"/progress/actions/{plan.action.id}?lang=en")
    assert '<a href="/progress" aria-current="true">Progress</a>' in action
    assert '<a href="/progress" aria-current' not in _page(client, "/thinktanks/?lang=en")


def test_an_empty_plan_says_so(client, db):
    main = _main(_page(client, "/progress?lang=en"))
    assert "There are no public action items yet." in main
    assert "No indicators have been set yet." in main
    assert "<svg" not in main


def test_meetings_stay_out_until_the_meetings_feature_provides_them(client, plan, monkeypatch):
    assert "Upcoming meetings" not in _page(client, "/progress?lang=en")
    when = date.today().replace(year=date.today().year + 1)
    from datetime import datetime, time
    meeting = queries.UpcomingMeeting(title="Denktank Preventie", location="Het Grote Huis",
                                      url="/meetings/1", starts_at=datetime.combine(when, time(19, 30)))
    monkeypatch.setattr(queries, "upcoming_meetings", lambda today, limit=5: [meeting])
    main = _main(_page(client, "/progress?lang=en"))
    assert "Upcoming meetings" in main and "Het Grote Huis" in main


def test_members_see_the_same_page(client, auth, plan, member):
    auth.login(member)
    main = _main(_page(client, "/progress?lang=en"))
    assert_nothing_secret(main)  # public means public: no internal actions, even for members
    assert "Voorlichting op alle middelbare scholen" in main


def test_the_page_works_without_script_and_loads_scripts_only_from_files(client, plan):
    html = _page(client, "/progress")
    assert re.findall(r"<script(?![^>]*\ssrc=)", html) == []  # no inline scripts (CSP)
    assert '<script src="/static/vendor/socket.io.min.js" defer></script>' in html
    assert '<script src="/static/js/progress-live.js" defer></script>' in html
    live = re.search(r'<div id="progress-live"[^>]*>', html).group(0)
    assert 'aria-live="polite"' in live and 'data-rooms="progress"' in live
    assert html.index('id="progress-live"') > html.index("</main>")  # survives the swap of <main>


def test_every_status_is_said_in_words(client, plan, chair, db):
    for status, word in (("delayed", "Delayed"), ("done", "Done"), ("stopped", "Stopped")):
        reason = "Geen geld" if status == "stopped" else None
        ops.update_action(plan.overdue, by=chair, status=status, stop_reason=reason)
        db.session.commit()
        card = _main(_page(client, "/progress?lang=en"))
        card = card[card.index(f'id="action-{plan.overdue.id}"'):]
        card = card[:card.index("</article>")]
        assert f"Status: </span>{word}</span>" in card
        assert ("Overdue" in card) is (status == "delayed")  # done and stopped are no longer overdue


def test_the_progress_page_stays_small_whatever_the_plans_size(client, db, admin, create_thinktank):
    """Many think tanks with many actions and many indicators measured monthly with gaps: under 80 KB, with
    everything one link away (issue #19)."""
    tanks = [create_thinktank(slug=f"denktank-{n}", name=f"Denktank {n}") for n in range(14)]
    for tank in tanks:
        for i in range(8):
            ops.create_action(tank, by=admin, title=f"Een actie met een lange titel, nummer {i} van {tank.name}",
                              organisation="GGD Gelderland-Midden", due_date=date.today() - timedelta(days=i))
    for n in range(16):
        indicator = ops.create_indicator(by=admin, name=f"Indicator {n} met een naam", unit="%",
                                         baseline_value=20, target_value=10, direction="down")
        for month in range(40):
            if month % 4 != 3:  # every fourth month unpublished: gaps to count
                ops.record_measurement(indicator, by=admin, date=date(2022, 1, 1) + timedelta(days=30 * month),
                                       value=20 - month / 5)
    db.session.commit()
    response = client.get("/progress?lang=en")
    html = response.get_data(as_text=True)
    assert len(response.data) < 80 * 1024, len(response.data)
    assert html.count('class="public-indicator-card"') == 12 and 'href="/indicators">All 16 indicators' in html
    assert "periods without a published value." in html and "No published value between" not in html
    for tank in tanks:  # each think tank: a section with its sample and a link to all of it
        assert f'href="/progress/thinktanks/{tank.slug}"' in html
    assert 'href="/progress/report"' in html
    assert "the whole plan in one long document: 112 action items" in html  # the report says what it is
    report = client.get("/progress/report?lang=en").get_data(as_text=True)
    assert "This report holds the whole plan and is long." in report
