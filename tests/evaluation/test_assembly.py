"""The figures of a period: actions (started, done, late, stopped, due dates moved) per think tank, line and
partner; indicators against baseline, target and a year earlier; participation; the help desk; other sections —
in a constant number of queries."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import update

from samen.actions import operations as action_ops
from samen.actions.models import ActionItem, Indicator, Measurement
from samen.audit.models import AuditEntry
from samen.core.database import utcnow
from samen.evaluation import assembly, sections
from samen.ideas import operations as idea_ops
from samen.ideas.models import Idea
from samen.partners.models import ActionOrganisation
from samen.programme.models import Line
from tests.evaluation.conftest import period_around_today

pytestmark = pytest.mark.database


def backdate(db, model, row_id, days):
    """Move a row's created_at this many days into the past."""
    db.session.execute(update(model).where(model.id == row_id).values(
        created_at=utcnow() - timedelta(days=days)))


@pytest.fixture
def world(db, thinktank, chair, make_organisation):
    """Actions in every state, a line, a partner organisation; returns the actions by name."""
    line = Line(slug="preventie", name="Preventie")
    db.session.add(line)
    db.session.flush()
    thinktank.line_id = line.id
    today = date.today()

    def action(title, **fields):
        fields.setdefault("start_date", today - timedelta(days=10))
        fields.setdefault("due_date", today + timedelta(days=20))
        return action_ops.create_action(thinktank, by=chair, title=title, **fields)

    done = action("Klaar")
    action_ops.update_action(done, by=chair, status="done")
    late = action("Te laat", start_date=today - timedelta(days=40), due_date=today - timedelta(days=2))
    stopped = action("Gestopt")
    action_ops.update_action(stopped, by=chair, status="stopped", stop_reason="Geen geld.")
    moved = action("Verschoven")
    action_ops.update_action(moved, by=chair, due_date=today + timedelta(days=30))  # +10
    action_ops.update_action(moved, by=chair, due_date=today + timedelta(days=27))  # -3
    old = action("Vorig jaar klaar", start_date=today - timedelta(days=400), due_date=today - timedelta(days=300))
    action_ops.update_action(old, by=chair, status="done")
    internal = action("Intern", public=False)
    db.session.flush()
    backdate(db, ActionItem, old.id, 400)
    db.session.execute(update(AuditEntry).where(AuditEntry.subject_id == old.id, AuditEntry.subject_type == "action")
                       .values(created_at=utcnow() - timedelta(days=300)))
    police = make_organisation("Politie", kind="police")
    db.session.add(ActionOrganisation(action_id=done.id, organisation_id=police.id, role="lead"))
    db.session.add(ActionOrganisation(action_id=late.id, organisation_id=police.id, role="co"))
    db.session.commit()
    return {"done": done, "late": late, "stopped": stopped, "moved": moved, "old": old, "internal": internal,
            "line": line, "police": police}


def test_action_figures(world, thinktank):
    start, end = period_around_today()
    figures = assembly.assemble(start, end)["actions"]
    assert figures["totals"] == {"total": 4, "started": 4, "done": 1, "late": 1, "stopped": 1, "moved": 1,
                                 "moves": 2, "days_moved": 7}
    by_title = {item["title"]: item for item in figures["items"]}
    assert set(by_title) == {"Klaar", "Te laat", "Gestopt", "Verschoven"}  # not done last year, not internal
    assert by_title["Verschoven"]["moves"] == 2 and by_title["Verschoven"]["days_moved"] == 7
    tank = next(row for row in figures["thinktanks"] if row["id"] == thinktank.id)
    assert tank["total"] == 4 and tank["late"] == 1
    assert figures["lines"] == [{"id": world["line"].id, "slug": "preventie", "name": "Preventie",
                                 **figures["totals"]}]
    assert [(org["name"], org["total"], org["done"], org["late"]) for org in figures["organisations"]] == [
        ("Politie", 2, 1, 1)]


def test_a_period_before_the_work_has_none_of_it(world):
    start, _end = period_around_today()
    figures = assembly.assemble(start - timedelta(days=500), start - timedelta(days=200))["actions"]
    assert [item["title"] for item in figures["items"]] == ["Vorig jaar klaar"]
    assert figures["totals"]["done"] == 1 and figures["totals"]["started"] == 1


def test_indicator_values_against_baseline_target_and_a_year_earlier(db, admin):
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    indicator = Indicator(name="Meldingen", unit="meldingen", baseline_value=10, baseline_date=date(2024, 1, 1),
                          target_value=40, target_date=date(2027, 12, 31))
    db.session.add(indicator)
    db.session.flush()
    for day, value in ((date(2024, 12, 31), 12), (date(2025, 6, 30), 15), (date(2025, 12, 31), 20),
                       (date(2026, 6, 30), 25), (date(2026, 12, 1), 30), (date(2027, 3, 1), 99)):
        db.session.add(Measurement(indicator_id=indicator.id, date=day, value=value))
    db.session.add(Indicator(name="Nooit gemeten"))
    db.session.commit()
    (row,) = assembly.assemble(start, end)["indicators"]
    assert row["baseline"] == {"value": 10, "date": "2024-01-01"}
    assert row["target"] == {"value": 40, "date": "2027-12-31"}
    assert row["start"]["value"] == 20 and row["end"]["value"] == 30  # not the 99 after the period
    assert row["previous_start"]["value"] == 12 and row["previous_end"]["value"] == 20
    assert row["measurements_in_period"] == 2


def test_participation_new_and_returning(db, thinktank, member, make_member, create_idea):
    start, end = period_around_today()
    newcomer = make_member(thinktank, display_name="Nieuw")
    earlier = create_idea(thinktank, member, title="Een oud idee")
    backdate(db, Idea, earlier.id, 400)
    from samen.thinktanks.models import Membership

    db.session.execute(update(Membership).where(Membership.user_id == member.id).values(
        created_at=utcnow() - timedelta(days=400)))
    idea = create_idea(thinktank, newcomer, title="Een nieuw idee")
    idea_ops.support_idea(idea, member)
    idea_ops.add_comment(idea, author=member, body="Goed plan.")
    db.session.commit()
    figures = assembly.assemble(start, end)["participation"]
    tank = next(row for row in figures["thinktanks"] if row["id"] == thinktank.id)
    assert (tank["members"], tank["new_members"], tank["ideas"], tank["supports"], tank["comments"]) == (2, 1, 1, 1, 1)
    totals = figures["totals"]
    assert (totals["participants"], totals["new_participants"], totals["returning_participants"]) == (2, 1, 1)


def test_help_desk_counts_below_the_threshold_are_not_published(db):
    start, end = period_around_today()
    figures = assembly.assemble(start, end, threshold=5)["helpdesk"]
    assert figures["total"] == "< 5" and figures["about"]["my_child"] == "< 5"
    assert assembly.shown_count(5, 5) == 5 and assembly.shown_count(0, 5) == "< 5"


def test_a_section_is_included_when_its_provider_exists(db, monkeypatch):
    monkeypatch.setattr(sections, "_registered", {})
    start, end = period_around_today()
    assert "groups" not in assembly.assemble(start, end)["sections"]
    sections.register_section("groups", "Groepen", lambda first, last: [("Ouders", 12), ("Jongeren", 2)])
    assert assembly.assemble(start, end)["sections"]["groups"] == [{"label": "Ouders", "value": 12},
                                                                   {"label": "Jongeren", "value": "< 5"}]


def test_the_stories_themes_are_found_when_the_stories_provide_them(monkeypatch):
    import sys
    import types

    monkeypatch.setattr(sections, "_registered", {})
    assert all(section.key != "stories" for section in sections.providers()) or "samen.stories" in sys.modules
    package = types.ModuleType("samen.stories")
    package.__path__ = []  # a package
    module = types.ModuleType("samen.stories.operations")
    module.theme_counts = lambda start, end: {"Schulden bij dealers": 7}
    monkeypatch.setitem(sys.modules, "samen.stories", package)
    monkeypatch.setitem(sys.modules, "samen.stories.operations", module)
    monkeypatch.setattr(sections.importlib.util, "find_spec", lambda name: object())
    (found,) = [section for section in sections.providers() if section.key == "stories"]
    assert sections.rows_of(found.provide(date(2026, 1, 1), date(2026, 12, 31))) == [
        {"label": "Schulden bij dealers", "value": 7}]


def test_assembling_takes_the_same_number_of_queries_whatever_the_data(world, db, thinktank, chair, count_queries,
                                                                       create_idea, member, make_organisation):
    start, end = period_around_today()
    with count_queries() as few:
        assembly.assemble(start, end)
    for n in range(6):
        action = action_ops.create_action(thinktank, by=chair, title=f"Nog een {n}")
        action_ops.update_action(action, by=chair, due_date=date.today() + timedelta(days=90 + n))
        organisation = make_organisation(f"Partner extra {n}", kind="school")
        db.session.add(ActionOrganisation(action_id=action.id, organisation_id=organisation.id, role="lead"))
        create_idea(thinktank, member, title=f"Idee {n}")
    db.session.add(Line(slug="zorg", name="Zorg"))
    db.session.commit()
    with count_queries() as many:
        figures = assembly.assemble(start, end)
    assert figures["actions"]["totals"]["total"] == 10
    assert len(many) == len(few) <= 14, many


def test_compare_gives_the_difference_of_every_figure_both_have():
    previous = {"actions": {"totals": {"done": 3, "late": 2}, "thinktanks": [{"id": 1, "name": "A", "done": 1}]},
                "participation": {"totals": {"ideas": 10}, "thinktanks": []},
                "indicators": [{"id": 5, "end": {"value": 20.0}}], "helpdesk": {"total": "< 5"},
                "pulse": {"average": 6.5, "answered": 4}}
    current = {"actions": {"totals": {"done": 5, "late": 2}, "thinktanks": [{"id": 1, "name": "A", "done": 4},
                                                                            {"id": 2, "name": "B", "done": 1}]},
               "participation": {"totals": {"ideas": 7}, "thinktanks": []},
               "indicators": [{"id": 5, "end": {"value": 25.0}}], "helpdesk": {"total": 8},
               "pulse": {"average": 7.0, "answered": 6}}
    deltas = assembly.compare(current, previous)
    assert deltas["actions.totals.done"] == 2 and deltas["actions.totals.late"] == 0
    assert deltas["actions.thinktank.1.done"] == 3 and "actions.thinktank.2.done" not in deltas
    assert deltas["participation.totals.ideas"] == -3
    assert deltas["indicator.5.end"] == 5 and deltas["pulse.average"] == 0.5
    assert "helpdesk.total" not in deltas  # "< 5" is no number
    assert assembly.compare(current, None) == {}
