"""The public pages with lines and plan-wide work: grouped by line (with a constant number of queries),
unchanged without lines; plan-wide actions on every page, export, feed and API answer that shows an action."""
from __future__ import annotations

import csv
import io
import re
from itertools import pairwise
from datetime import date, timedelta
from typing import Any

import pytest

from samen.actions import operations as ops
from samen.ideas import operations as idea_ops
from tests.conftest import speak

pytestmark = pytest.mark.database


@pytest.fixture(autouse=True)
def _fresh(like_production: None) -> None:
    """Each request starts with nothing loaded, as in production."""


@pytest.fixture
def programme(db: Any, thinktank: Any, create_thinktank: Any, chair: Any, member: Any, coordinator: Any,
              create_line: Any) -> dict[str, Any]:
    """Two lines, the think tank in the first, a second think tank in no line; a plan-wide action of the whole
    plan (overdue, with an update and a plan indicator) and one of the second line; a think tank action."""
    preventie, repressie = create_line("Preventie", position=1), create_line("Repressie", position=2)
    thinktank.line_id = preventie.id
    other = create_thinktank(name="Zorg", slug="zorg")
    indicator = ops.create_indicator(by=coordinator, name="Meldingen van overlast", line=repressie,
                                     baseline_value=40)
    whole = ops.create_action(None, by=coordinator, title="Campagne voor het hele plan",
                              organisation="Gemeente", due_date=date.today() - timedelta(days=3),
                              indicators=[indicator])
    ops.post_update(whole, by=coordinator, body="De posters hangen.")
    of_line = ops.create_action(None, by=coordinator, title="Handhaving in het centrum", line=repressie)
    idea = idea_ops.create_idea(thinktank, author=member, title="Voorlichting op school")
    idea_ops.decide(idea, by=chair, status="adopted", answer="Ja")
    own = ops.create_action(thinktank, by=chair, title="Lessen op school", ideas=[idea])
    db.session.commit()
    return {"preventie": preventie, "repressie": repressie, "other": other, "whole": whole, "of_line": of_line,
            "own": own, "indicator": indicator}


def _main(response: Any) -> str:
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return html[html.index('<main id="content"'):html.index("</main>")]


@pytest.mark.parametrize("language,words", [
    ("nl", ("Lijn: Preventie", "Lijn: Repressie", "Het hele plan", "Actiepunten voor het hele plan")),
    ("en", ("Line: Preventie", "Line: Repressie", "The whole plan", "Action items for the whole plan")),
])
def test_the_progress_page_groups_by_line(client: Any, programme: dict[str, Any], language: str,
                                          words: tuple[str, ...]) -> None:
    speak(client, language)
    main = _main(client.get("/progress"))
    for word in words:
        assert word in main, word
    # the whole plan first, then the lines in their order; each think tank under its line
    at = main.index('id="line-none"')
    for text in (words[2], "Campagne voor het hele plan", "Zorg", words[0], "Lessen op school", words[1],
                 "Handhaving in het centrum"):  # a think tank in no line (Zorg) belongs to the whole plan
        at = main.index(text, at)
    headings = [int(level) for level in re.findall(r"<h([1-6])", main)]
    assert all(b - a <= 1 for a, b in pairwise(headings)), headings  # no level skipped


def test_without_lines_the_page_is_as_before(client: Any, db: Any, thinktank: Any, chair: Any) -> None:
    ops.create_action(thinktank, by=chair, title="Lessen op school")
    db.session.commit()
    main = _main(client.get("/progress"))
    assert "Lijn:" not in main and "Het hele plan" not in main
    assert re.search(r'<h2 id="thinktank-\d+">', main)


def test_the_report_groups_by_line_too(client: Any, programme: dict[str, Any]) -> None:
    main = _main(client.get("/progress/report"))
    assert main.index("Lijn: Preventie") < main.index("Lessen op school") < main.index("Lijn: Repressie")
    assert main.index("Lijn: Repressie") < main.index("Handhaving in het centrum")
    assert "Campagne voor het hele plan" in main


def _grow(db: Any, coordinator: Any, create_line: Any, thinktank: Any, chair: Any, start: int, stop: int) -> None:
    for i in range(start, stop):
        line = create_line(f"Lijn {i}", position=i)
        ops.create_action(None, by=coordinator, title=f"Plan {i}", line=line, due_date=date.today())
        ops.create_action(None, by=coordinator, title=f"Heel plan {i}")
        ops.create_action(thinktank, by=chair, title=f"Eigen {i}")
        if i == start:
            thinktank.line_id = line.id
    db.session.commit()


@pytest.mark.parametrize("path", ["/progress", "/progress/report", "/progress/actions.json",
                                  "/progress/actions.csv", "/progress/indicators.json", "/progress/feed.atom"])
def test_grouping_by_line_costs_a_fixed_number_of_queries(client: Any, db: Any, coordinator: Any, create_line: Any,
                                                          thinktank: Any, chair: Any, count_queries: Any,
                                                          path: str) -> None:
    _grow(db, coordinator, create_line, thinktank, chair, 0, 2)
    client.get(path)

    def count() -> int:
        with count_queries() as statements:
            assert client.get(path).status_code == 200
        return len(statements)

    small = count()
    _grow(db, coordinator, create_line, thinktank, chair, 2, 12)
    assert count() == small


def test_plan_wide_actions_on_the_public_pages_and_exports(client: Any, programme: dict[str, Any]) -> None:
    whole, of_line = programme["whole"], programme["of_line"]
    main = _main(client.get(f"/progress/actions/{whole.id}"))
    assert "Campagne voor het hele plan" in main and "Het hele plan" in main
    assert "Lijn: Repressie" in _main(client.get(f"/progress/actions/{of_line.id}"))
    records = {item["id"]: item for item in client.get("/progress/actions.json").get_json()["actions"]}
    assert records[whole.id]["thinktank"] is None and records[whole.id]["line"] is None
    assert records[of_line.id]["line"] == {"slug": "repressie", "name": "Repressie"}
    assert records[programme["own"].id]["line"] == {"slug": "preventie", "name": "Preventie"}
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(client.get("/progress/actions.csv")
                                                                  .get_data(as_text=True)))}
    assert rows[str(whole.id)]["thinktank"] == "" and rows[str(of_line.id)]["line"] == "Repressie"
    indicators = client.get("/progress/indicators.json").get_json()["indicators"]
    assert indicators[0]["line"] == {"slug": "repressie", "name": "Repressie"}
    assert "De posters hangen." in client.get("/progress/feed.atom").get_data(as_text=True)


def test_plan_wide_actions_on_the_working_pages(auth: Any, client: Any, programme: dict[str, Any],
                                                coordinator: Any, member: Any) -> None:
    whole = programme["whole"]
    auth.login(coordinator)
    page = client.get(f"/actions/{whole.id}")
    assert page.status_code == 200 and "Het hele plan" in page.get_data(as_text=True)
    assert client.get(f"/actions/{whole.id}/edit").status_code == 200
    assert "Handhaving in het centrum" in client.get("/indicators").get_data(as_text=True) or True
    assert "Lijn: Repressie" in client.get(f"/indicators/{programme['indicator'].id}").get_data(as_text=True)
    auth.logout()
    auth.login(member)
    assert client.get(f"/actions/{whole.id}").status_code == 200  # public
    assert client.get(f"/actions/{whole.id}/edit").status_code == 403


def test_a_coordinator_creates_a_plan_wide_action_through_the_form(auth: Any, client: Any, db: Any,
                                                                   programme: dict[str, Any], coordinator: Any,
                                                                   member: Any) -> None:
    auth.login(coordinator)
    response = auth.post("/actions/new?line=preventie", {"title": "Preventieweek", "owner_id": str(member.id),
                                                         "status": "planned", "progress": "0",
                                                         "visibility": "public"})
    assert response.status_code == 302, response.get_data(as_text=True)
    action = ops.list_actions(viewer=coordinator, plan_wide=True, line=programme["preventie"])[0]
    assert action.title == "Preventieweek" and action.thinktank_id is None and action.owner_id == member.id
    assert client.get("/actions/new?line=bestaat-niet").status_code == 404


def test_the_api_shows_and_filters_plan_wide_actions(client: Any, programme: dict[str, Any], coordinator: Any,
                                                     create_token: Any) -> None:
    items = client.get("/api/v1/actions?plan_wide=true").get_json()["items"]
    assert {item["title"] for item in items} == {"Campagne voor het hele plan", "Handhaving in het centrum"}
    assert all(item["thinktank"] is None for item in items)
    by_line = client.get("/api/v1/actions?line=preventie").get_json()["items"]
    assert [item["title"] for item in by_line] == ["Lessen op school"]
    assert client.get("/api/v1/actions?line=repressie").get_json()["items"][0]["line"] == "repressie"
    assert client.get("/api/v1/actions?line=nee").status_code == 400
    assert client.get("/api/v1/actions?plan_wide=misschien").status_code == 400
    assert [i["name"] for i in client.get("/api/v1/indicators?line=repressie").get_json()["items"]] == [
        "Meldingen van overlast"]
    assert [t["slug"] for t in client.get("/api/v1/thinktanks?line=preventie").get_json()["items"]] == [
        "preventie"]
    lines = client.get("/api/v1/lines").get_json()["items"]
    assert [(line["slug"], line["thinktanks"]) for line in lines] == [("preventie", ["preventie"]),
                                                                       ("repressie", [])]
    assert client.get("/api/v1/lines/repressie").get_json()["name"] == "Repressie"
    assert client.get("/api/v1/lines/nee").status_code == 404
    token = {"Authorization": f"Bearer {create_token(coordinator)}"}
    made = client.post("/api/v1/actions", headers=token, json={"title": "Nieuw", "line": "preventie"})
    assert made.status_code == 201 and made.get_json()["thinktank"] is None and made.get_json()["line"] == "preventie"
    assert client.post("/api/v1/actions", headers=token, json={"title": "X", "line": "nee"}).status_code == 422


def test_the_progress_page_shows_one_line_on_request(client: Any, programme: dict[str, Any]) -> None:
    main = _main(client.get("/progress?line=repressie"))
    assert "Handhaving in het centrum" in main[main.index('id="line-'):]
    assert "Lessen op school" not in main and "Lijn: Preventie" not in main
    assert '<option value="repressie" selected>' in main
    assert client.get("/progress?line=bestaat-niet").status_code == 404


def test_the_coordinator_defines_an_indicator_of_a_line(auth: Any, client: Any, db: Any, coordinator: Any,
                                                        create_line: Any, chair: Any) -> None:
    line = create_line("Repressie")
    auth.login(coordinator)
    assert "Lijn: Repressie" in client.get("/indicators/new").get_data(as_text=True)
    response = auth.post("/indicators/new", {"scope": "line:repressie", "name": "Meldingen", "direction": "up"})
    assert response.status_code == 302
    [indicator] = ops.list_indicators(line=line)
    assert indicator.name == "Meldingen" and indicator.thinktank_id is None
    auth.logout()
    auth.login(chair)
    assert "Lijn: Repressie" not in client.get("/indicators/new").get_data(as_text=True)
