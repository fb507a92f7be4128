"""The demo's evaluation: last year's published next to this year's open draft, the pulse answered by a few
partners, and nothing made again at a second load."""
from __future__ import annotations

from datetime import date

import pytest
from samen.partners.models import Organisation, OrganisationContact
from sqlalchemy import func, select

from samen.demo.loader import load_demo
from samen.evaluation import operations as ops
from samen.evaluation.models import Evaluation, EvaluationNote, PulseInvitation

pytestmark = [pytest.mark.database, pytest.mark.shared_database]


def test_last_year_is_published_next_to_this_years_draft(db, demo, client):
    year = date.today().year
    last, current = ops.get_evaluation(str(year - 1)), ops.get_evaluation(str(year))
    assert last.is_published and last.figures["actions"]["totals"]["total"] > 0
    for line in last.figures["actions"]["lines"]:  # a line adds up its think tanks' first year
        tanks = [row for row in last.figures["actions"]["thinktanks"] if row["line_id"] == line["id"]]
        assert tanks and line["total"] == sum(row["total"] for row in tanks) > 0, line["name"]
    assert not current.is_published and current.figures is None
    assert ops.previous_of(current).id == last.id
    pulse = ops.pulse_indicator(current, by=None)
    assert (pulse.kind, pulse.scale_min, pulse.scale_max) == ("scale", 1, 10)  # qualitative, drawn on 1–10
    assert db.session.scalar(select(func.count()).select_from(EvaluationNote).where(
        EvaluationNote.evaluation_id == last.id)) == 4
    page = client.get(f"/evaluatie/{year - 1}")
    assert page.status_code == 200 and "Opschalen" in page.get_data(as_text=True)
    assert client.get(f"/evaluatie/{year}").status_code == 404  # a draft, for the coordinator and chairs


def test_a_few_partners_answered_the_pulse(db, demo):
    current = ops.get_evaluation(str(date.today().year))
    invitations = list(db.session.scalars(select(PulseInvitation).where(
        PulseInvitation.evaluation_id == current.id)))
    answered = [invitation for invitation in invitations if invitation.answered_at is not None]
    contacts = db.session.scalar(select(func.count()).select_from(OrganisationContact).join(Organisation).where(
        OrganisationContact.status == "active", Organisation.archived_at.is_(None),
        Organisation.merged_into_id.is_(None)))
    assert len(invitations) == contacts > 4 and len(answered) == 4  # every active contact of every partner
    assert {invitation.organisation.kind for invitation in answered} == {"police", "addiction_care", "youth_work",
                                                                         "school"}
    assert any("Wachtlijst" in (invitation.obstacles or "") for invitation in answered)


def test_a_second_load_makes_nothing_again(db, demo):
    before = db.session.scalar(select(func.count()).select_from(Evaluation))
    report = load_demo()
    assert "evaluations" not in report.created and "pulse answers" not in report.created
    assert db.session.scalar(select(func.count()).select_from(Evaluation)) == before == 2
