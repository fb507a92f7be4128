"""The demo's help pages: a directory with the emergency numbers first, and ten questions and answers in Dutch
and English, loaded once and never put back after an administrator changed them."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from samen.demo.help_data import HELP_ENTRIES, QUESTIONS
from samen.demo.loader import load_demo
from samen.help import operations as help_ops
from samen.help.models import HelpQuestion

pytestmark = [pytest.mark.database, pytest.mark.shared_database]


def test_the_data_is_complete_and_consistent():
    keys = [entry.key for entry in HELP_ENTRIES]
    assert len(keys) == len(set(keys))
    assert len(QUESTIONS) == 10
    assert {question.category for question in QUESTIONS} == {"parents", "young_people", "others"}
    for question in QUESTIONS:
        assert question.question_en and question.answer_en, question.question_nl
        assert set(question.entries) <= set(keys), question.question_nl
    asked = {question.question_nl for question in QUESTIONS}
    assert {"Hoe herken ik drugsgebruik bij mijn kind?", "Mijn kind heeft schulden bij een dealer: wat nu?"} <= asked


def test_the_directory_has_the_emergency_numbers_first_and_the_organisations(db, demo):
    directory = help_ops.directory()
    assert [entry.phone for entry in directory[:3]] == ["112", "0900-8844", "0800-7000"]
    names = [entry.name_nl for entry in directory[3:]]
    assert names == [entry.name_nl for entry in HELP_ENTRIES]
    team = next(entry for entry in directory if entry.name_nl == "Gebiedsteam Nijkerk")
    assert team.thinktank is not None and team.thinktank.slug == "nazorg"
    assert demo.created["questions and answers"] == 10


def test_the_questions_point_to_the_entries(db, demo):
    debts = db.session.scalar(select(HelpQuestion).where(
        HelpQuestion.question_nl == "Mijn kind heeft schulden bij een dealer: wat nu?"))
    assert {entry.name_nl for entry in help_ops.get_question(debts.id).entries} == {"Gebiedsteam Nijkerk",
                                                                                     "Gemeente Nijkerk"}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_help_pages_render_in_both_languages(client, demo, language):
    with client.session_transaction() as session:
        session["lang"] = language
    html = client.get("/hulp").get_data(as_text=True)
    links = re.findall(r'href="(/hulp/vragen/\d+)"', html)
    assert len(links) == 10
    for link in links:
        page = client.get(link)
        assert page.status_code == 200
    expected = "My child owes money to a dealer: what now?" if language == "en" else \
        "Mijn kind heeft schulden bij een dealer: wat nu?"
    assert expected in html


def test_a_second_load_does_not_put_back_what_an_administrator_removed(db, demo):
    question = db.session.scalar(select(HelpQuestion).order_by(HelpQuestion.id).limit(1))
    help_ops.delete_question(question, by=None)
    db.session.commit()
    report = load_demo()
    assert not report.created["questions and answers"]
    assert db.session.get(HelpQuestion, question.id) is None
