"""GET /api/v1/help/directory, /help/questions and /help/questions/<id>: public, in the language asked for, and
as the OpenAPI document describes them."""
from __future__ import annotations

import pytest

from tests.api.helpers import assert_documented, assert_problem

pytestmark = pytest.mark.database


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").get_json()


def test_the_directory_lists_emergency_numbers_first(client, document, entry, thinktank, db):
    entry.thinktank_id = thinktank.id
    db.session.commit()
    response = client.get("/api/v1/help/directory")
    assert response.status_code == 200
    assert_documented(document, "/help/directory", "get", response)
    body = response.get_json()
    assert body["language"] == "nl"
    kinds = [item["kind"] for item in body["items"]]
    assert kinds == ["emergency"] * 3 + ["organisation"]
    assert [item["phone_link"] for item in body["items"][:3]] == ["tel:112", "tel:09008844", "tel:08007000"]
    team = body["items"][-1]
    assert (team["name"], team["opening_hours"], team["thinktank"]) == (
        "Gebiedsteam Nijkerk", "Maandag tot vrijdag 9–17 uur", thinktank.slug)


def test_the_directory_in_english(client, document, entry):
    response = client.get("/api/v1/help/directory?lang=en")
    assert_documented(document, "/help/directory", "get", response)
    body = response.get_json()
    assert body["language"] == "en"
    assert body["items"][0]["name"] == "Emergency number 112"
    assert body["items"][-1]["topics"] == "Parenting, debts and worries about drugs."
    assert client.get("/api/v1/help/directory", headers={"Accept-Language": "en"}).get_json()["language"] == "en"


def test_questions_are_listed_searched_and_filtered(client, document, question, create_question, entry):
    young = create_question(category="young_people", question_nl="Kan ik anoniem hulp krijgen?",
                            answer_nl="Ja, bij het jongerenwerk.")
    response = client.get("/api/v1/help/questions")
    assert_documented(document, "/help/questions", "get", response)
    items = response.get_json()["items"]
    assert [item["id"] for item in items] == [question.id, young.id]
    assert items[0]["entries"] == [entry.id] and items[1]["entries"] == []
    assert items[0]["answer_html"] == "<p>Let op <strong>veranderingen</strong> in slaap, vrienden en geld.</p>"
    assert items[0]["url"].endswith(f"/hulp/vragen/{question.id}")
    found = client.get("/api/v1/help/questions?q=anoniem").get_json()["items"]
    assert [item["id"] for item in found] == [young.id]
    english = client.get("/api/v1/help/questions?q=sleep&lang=en").get_json()
    assert english["language"] == "en" and [item["question"] for item in english["items"]] == [
        "How do I recognise drug use in my child?"]
    only_young = client.get("/api/v1/help/questions?category=young_people").get_json()["items"]
    assert [item["id"] for item in only_young] == [young.id]


def test_an_unknown_category_is_a_problem(client, document):
    response = client.get("/api/v1/help/questions?category=iedereen")
    assert_problem(response, 400, code="invalid_category")
    assert_documented(document, "/help/questions", "get", response)


def test_one_question(client, document, question, entry):
    response = client.get(f"/api/v1/help/questions/{question.id}?lang=en")
    assert_documented(document, "/help/questions/{question_id}", "get", response)
    body = response.get_json()
    assert (body["question"], body["entries"]) == ("How do I recognise drug use in my child?", [entry.id])
    assert body["answer"] == "Look for **changes** in sleep, friends and money."


def test_an_unknown_question_is_404(client, document):
    response = client.get("/api/v1/help/questions/999999")
    assert_problem(response, 404)
    assert_documented(document, "/help/questions/{question_id}", "get", response)


def test_the_answers_html_is_sanitised(client, create_question):
    question = create_question(answer_nl="<script>alert(1)</script>[x](javascript:alert(2))")
    body = client.get(f"/api/v1/help/questions/{question.id}").get_json()
    assert "<script" not in body["answer_html"] and "javascript:" not in body["answer_html"]


def test_the_lists_run_a_fixed_number_of_queries(client, count_queries, create_entry, create_question):
    def measure() -> int:
        with count_queries() as statements:
            client.get("/api/v1/help/directory")
            client.get("/api/v1/help/questions?q=kind")
            client.get("/api/v1/help/questions")
        return len(statements)

    create_question(entries=[create_entry()])
    few = measure()
    for n in range(10):
        create_question(entries=[create_entry(name_nl=f"Organisatie {n}")], question_nl=f"Vraag {n} over mijn kind?")
    assert measure() == few


def test_the_help_operations_are_public_in_the_document(document):
    for path in ("/help/directory", "/help/questions", "/help/questions/{question_id}"):
        assert document["paths"][path]["get"]["security"] == []
