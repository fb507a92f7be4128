"""Fixtures of the help pages' tests: directory entries and questions, in Dutch and (some) in English."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from samen.help.models import HelpEntry, HelpQuestion


@pytest.fixture
def create_entry(db: Any) -> Callable[..., HelpEntry]:
    """Return a factory for directory entries."""
    def make(**fields: Any) -> HelpEntry:
        fields.setdefault("name_nl", "Gebiedsteam Noord")
        entry = HelpEntry(**fields)
        db.session.add(entry)
        db.session.commit()
        return entry
    return make


@pytest.fixture
def create_question(db: Any) -> Callable[..., HelpQuestion]:
    """Return a factory for questions and answers."""
    def make(entries: list[HelpEntry] | None = None, **fields: Any) -> HelpQuestion:
        fields.setdefault("question_nl", "Hoe herken ik drugsgebruik bij mijn kind?")
        fields.setdefault("answer_nl", "Let op **veranderingen** in gedrag.")
        question = HelpQuestion(entries=list(entries or []), **fields)
        db.session.add(question)
        db.session.commit()
        return question
    return make


@pytest.fixture
def entry(create_entry: Callable[..., HelpEntry]) -> HelpEntry:
    """Return a directory entry with every detail, in Dutch and English."""
    return create_entry(name_nl="Gebiedsteam Nijkerk", name_en="Nijkerk community team",
                        topics_nl="Opvoeding, schulden en zorgen om drugs.",
                        topics_en="Parenting, debts and worries about drugs.",
                        phone="14 033", email="gebiedsteam@example.org", website="https://www.example.org/team",
                        hours_nl="Maandag tot vrijdag 9–17 uur", hours_en="Monday to Friday 9am–5pm",
                        languages="Nederlands, English")


@pytest.fixture
def question(create_question: Callable[..., HelpQuestion], entry: HelpEntry) -> HelpQuestion:
    """Return a question for parents with an English version that points to the entry."""
    return create_question(
        entries=[entry], category="parents",
        question_nl="Hoe herken ik drugsgebruik bij mijn kind?",
        question_en="How do I recognise drug use in my child?",
        answer_nl="Let op **veranderingen** in slaap, vrienden en geld.",
        answer_en="Look for **changes** in sleep, friends and money.")


@pytest.fixture
def in_language(client: FlaskClient) -> Callable[[str], None]:
    """Return a function that picks the pages' language for the client."""
    def pick(language: str) -> None:
        with client.session_transaction() as session:
            session["lang"] = language
    return pick
