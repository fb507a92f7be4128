"""A public action's whole trail: its ideas, the decision, owner, dates, milestones, updates, indicators."""
from __future__ import annotations

import re

from samen.actions import operations as ops
from tests.public.helpers import assert_nothing_secret


def _main(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return html[html.index('<main id="content"'):html.index("</main>")]


def test_the_trail_from_idea_to_result(client, plan):
    main = _main(client, f"/progress/actions/{plan.action.id}?lang=en")
    assert "<h1>Voorlichting op alle middelbare scholen</h1>" in main
    # The idea it came from: title with a link, support count, status.
    start = main.index('id="origin-heading"')
    origin = main[start:main.index("</section>", start)]
    assert f'<a href="/ideas/{plan.idea.id}">Voorlichting door ervaringsdeskundigen</a>' in origin
    assert "1 supporter" in origin and "Adopted</span>" in origin
    assert "It is also based on 1 idea that is not public." in origin  # the hidden one, unnamed
    # The decision, rendered from Markdown.
    assert "De GGD organiseert <strong>voorlichting</strong>." in origin
    # Owner organisation, dates, status and progress.
    assert "<dd>GGD Gelderland-Midden</dd>" in main
    assert f'<time datetime="{plan.action.start_date.isoformat()}">' in main
    assert f'<time datetime="{plan.action.due_date.isoformat()}">' in main
    assert "In progress</span>" in main and "Progress: <strong>50%</strong>" in main
    # Milestones, reached or not, in words.
    assert "1 of 2 milestones reached." in main
    assert re.search(r"Reached</span>\s*<span>Lesmateriaal klaar</span>", main)
    assert re.search(r"Not reached yet</span>\s*<span>Alle scholen bezocht</span>", main)
    # The updates as a timeline, newest first, each with an anchor the feed links to.
    second, first = (main.index(f'id="update-{update.id}"') for update in reversed(plan.updates))
    assert second < first
    assert "Drie scholen bezocht, <em>zeven</em> te gaan." in main
    # The indicator it serves, with its chart and table.
    assert f'<title id="chart-{plan.indicator.id}-title">' in main
    assert "<caption>Figures for Jongeren die wekelijks alcohol drinken</caption>" in main


def test_no_person_is_named(client, plan, chair, member):
    main = _main(client, f"/progress/actions/{plan.action.id}?lang=en")
    for person in (chair, member):
        assert person.display_name not in main and person.email not in main


def test_internal_actions_are_not_found(client, plan, auth, chair):
    assert client.get(f"/progress/actions/{plan.internal.id}").status_code == 404
    auth.login(chair)  # even for the chair who may see it on the members' pages
    assert client.get(f"/progress/actions/{plan.internal.id}").status_code == 404
    assert client.get("/progress/actions/999999").status_code == 404


def test_an_action_that_becomes_internal_disappears(client, plan, chair, db):
    assert client.get(f"/progress/actions/{plan.overdue.id}").status_code == 200
    ops.update_action(plan.overdue, by=chair, public=False)
    db.session.commit()
    assert client.get(f"/progress/actions/{plan.overdue.id}").status_code == 404
    assert "Ouderavond in elke wijk" not in client.get("/progress").get_data(as_text=True)


def test_hidden_and_withdrawn_ideas_do_not_appear_on_the_action_page(client, plan):
    for action in (plan.action, plan.from_withdrawn, plan.closed_action):
        main = _main(client, f"/progress/actions/{action.id}?lang=en")
        assert_nothing_secret(main)
    main = _main(client, f"/progress/actions/{plan.from_withdrawn.id}?lang=en")
    assert "It is based on 1 idea that is not public." in main


def test_an_action_set_up_directly_says_so(client, plan):
    main = _main(client, f"/progress/actions/{plan.overdue.id}?lang=en")
    assert "The think tank set up this action item directly, not from one idea." in main
    assert "No progress updates yet." in main
    assert "overdue</strong>" in main


def test_the_page_listens_to_its_own_rooms(client, plan):
    html = client.get(f"/progress/actions/{plan.action.id}").get_data(as_text=True)
    assert f'data-rooms="action:{plan.action.id} indicator:{plan.indicator.id}"' in html
