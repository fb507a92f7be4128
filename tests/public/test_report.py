"""The printable report for the council: the whole plan, absolute links, a page per think tank."""
from __future__ import annotations

import re
from pathlib import Path

from tests.public.helpers import assert_nothing_secret

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "samen.css"


def test_the_report_holds_the_whole_plan(client, plan):
    response = client.get("/progress/report?lang=en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    main = html[html.index('<main id="content"'):html.index("</main>")]
    assert "<h1>Progress report: Samen</h1>" in main
    assert "0 of 4 action items are done (0%)." in main and "1 action item is past its due date." in main
    # A section per think tank (the print stylesheet starts each on a new page), then the indicators.
    sections = re.findall(r'<section aria-labelledby="report-thinktank-\d+" class="report__thinktank">', main)
    assert len(sections) == 2
    assert main.index("Think tank: Preventie") < main.index('class="report__indicators"')
    # Each action with its ideas, milestones and latest update; links absolute, so paper shows where they go.
    action = main[main.index(f'id="report-action-{plan.action.id}"'):]
    action = action[:action.index("</article>")]
    assert f'<a href="http://localhost/progress/actions/{plan.action.id}">' in action
    assert f'<a href="http://localhost/ideas/{plan.idea.id}">Voorlichting door ervaringsdeskundigen' in action
    assert "1 of 2 milestones reached." in action and "Drie scholen bezocht, zeven te gaan." in action
    assert "Adopted ideas without a public action item yet" in main and "Een vrijplaats voor jongeren" in main
    # Charts with their tables shown (not folded into <details>, which paper cannot open).
    assert f'<title id="report-chart-{plan.indicator.id}-title">' in main
    assert "<details" not in main
    assert "<caption>Figures for Jongeren die wekelijks alcohol drinken</caption>" in main
    assert "progress-live.js" not in html  # paper does not update itself
    assert_nothing_secret(html)


def test_the_print_stylesheet_drops_navigation_breaks_pages_and_prints_addresses():
    css = CSS.read_text(encoding="utf-8")
    ours = css[css.index("/* public progress */"):]
    prints = ours[ours.index("@media print"):]
    assert re.search(r"\.report__thinktank,\s*\.report__indicators\s*\{\s*break-before: page;", prints)
    assert 'content: " (" attr(href) ")";' in prints
    base_print = css[css.index("/* ---------------------------------------------------------------- print"):]
    for hidden in (".site-nav", ".lang-switch", "form", "button", ".button"):
        hiding = base_print[:base_print.index("display: none")]
        assert re.search(rf"^\s*{re.escape(hidden)}(,| {{)$", hiding, re.M), hidden
