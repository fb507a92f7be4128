"""Participation per group on the progress page and the printable report: counts only, under 5 shown as "< 5",
nothing of what a group of fewer than 5 members did, no total to subtract from; one query, whatever the numbers."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from samen.accounts import groups as group_ops
from samen.accounts.groups import ParticipantGroup
from samen.ideas import operations as idea_ops
from samen.meetings.models import Attendance, Meeting
from samen.people.participation import SMALL_COUNT, participation, raw_counts
from samen.thinktanks import operations as tt_ops

pytestmark = pytest.mark.database


def _group(db, key: str) -> ParticipantGroup:
    return db.session.scalar(select(ParticipantGroup).where(ParticipantGroup.key == key))


@pytest.fixture
def world(db, create_user, thinktank):
    """Seven parents (members; one idea each, each supports the first idea, all at one meeting) and two young
    people (members, 12 ideas between them)."""
    parent, young = _group(db, "parent"), _group(db, "young_person")
    parents = [create_user(display_name=f"Ouder {n}") for n in range(7)]
    youngsters = [create_user(display_name=f"Jongere {n}") for n in range(2)]
    for person in parents:
        tt_ops.join_thinktank(thinktank, person)
        group_ops.set_groups(person, [parent.id])
    for person in youngsters:
        tt_ops.join_thinktank(thinktank, person)
        group_ops.set_groups(person, [young.id])
    ideas = [idea_ops.create_idea(thinktank, author=person, title=f"Idee van {person.display_name}", body="Tekst")
             for person in parents]
    for n in range(12):
        idea_ops.create_idea(thinktank, author=youngsters[n % 2], title=f"Jongerenidee {n}", body="Tekst")
    for person in parents[1:]:
        idea_ops.support_idea(ideas[0], person)
    from datetime import timedelta

    from samen.core.database import utcnow
    meeting = Meeting(thinktank_id=thinktank.id, title="Avond", starts_at=utcnow(),
                      ends_at=utcnow() + timedelta(hours=2), public=True)
    db.session.add(meeting)
    db.session.flush()
    db.session.add_all([Attendance(meeting_id=meeting.id, user_id=person.id) for person in parents])
    db.session.commit()
    return parent, young


def test_the_counts(db, world):
    counts = {group.key: figures for group, figures in raw_counts()}
    assert counts["parent"] == {"members": 7, "ideas": 7, "supports": 6, "attendance": 7}
    assert counts["young_person"] == {"members": 2, "ideas": 12, "supports": 0, "attendance": 0}
    rows = {row.key: row for row in participation()}
    assert [rows["parent"].members.value, rows["parent"].ideas.value, rows["parent"].supports.value] == [7, 7, 6]
    # Two young people: fewer than 5, so "< 5" — and their 12 ideas are not shown (it would say what two did).
    young = rows["young_person"]
    assert young.members.small and young.ideas.withheld and young.supports.withheld and young.too_small
    assert rows["entrepreneur"].members.small  # nobody: "< 5" too
    assert SMALL_COUNT == 5


def test_a_retired_group_is_not_shown_and_the_rows_have_no_total(db, world):
    group_ops.retire_group(_group(db, "entrepreneur"))
    db.session.commit()
    assert "entrepreneur" not in {row.key for row in participation()}


@pytest.mark.parametrize("lang, heading, parents", [("nl", "Wie doet er mee", "Ouder of verzorger"),
                                                          ("en", "Who takes part", "Parent or carer")])
@pytest.mark.parametrize("path", ["/progress", "/progress/report"])
def test_the_public_pages_show_the_table(client, db, world, lang, heading, parents, path):
    html = client.get(f"{path}?lang={lang}").get_data(as_text=True)
    assert heading in html
    table = re.search(r'<table class="table public-participation__table" tabindex="0">.*?</table>', html, re.S)
    assert table, "the table is keyboard-focusable (it scrolls on a phone)"
    row = re.search(rf"<th scope=\"row\">{parents}</th>(.*?)</tr>", table.group(0), re.S).group(1)
    assert re.findall(r"<td>(.*?)</td>", row) == ["7", "7", "6", "7"]
    young = table.group(0).split("Jonger" if lang == "nl" else "Young")[1].split("</tr>")[0]
    assert young.count("&lt; 5") == 1 and young.count("–") == 3 and "12" not in young
    assert "Ouder 1" not in html and "Jongere 0" not in html  # never a person


def test_the_table_costs_one_query_whatever_the_numbers(db, world, count_queries, create_user, thinktank):
    with count_queries() as before:
        participation()
    for n in range(20):
        person = create_user(display_name=f"Extra {n}")
        tt_ops.join_thinktank(thinktank, person)
        group_ops.set_groups(person, [group.id for group in group_ops.offered_groups()])
    group_ops.add_group(name_nl="Sporter", name_en="Athlete")
    db.session.commit()
    with count_queries() as after:
        rows = participation()
    assert len(before) == len(after) == 1 and len(rows) == 7
