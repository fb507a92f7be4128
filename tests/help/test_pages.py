"""The public help pages: /hulp and a question's page, in Dutch and English, with the quick exit and search."""
from __future__ import annotations

import re

import pytest

from samen import create_app
from samen.core.database import db
from samen.help.blueprint import REQUEST_FORM
from samen.help.models import HelpQuestion
from tests.conftest import make_config

pytestmark = pytest.mark.database


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_the_help_page_shows_emergency_numbers_first_then_questions_then_the_directory(client, question, entry):
    html = page(client, "/hulp")
    emergency = html.index('id="emergency-heading"')
    assert emergency < html.index('id="questions-heading"') < html.index('id="directory-heading"')
    assert "Bel bij nood 112" in html
    # The three emergency entries the migration seeds, with dialable links.
    for number, link in (("112", "tel:112"), ("0900-8844", "tel:09008844"), ("0800-7000", "tel:08007000")):
        assert f'href="{link}"' in html and number in html
    assert html.index("Meld Misdaad Anoniem") < html.index('id="questions-heading"')
    assert "Gebiedsteam Nijkerk" in html[html.index('id="directory-heading"'):]
    assert 'href="tel:14033"' in html and 'href="mailto:gebiedsteam@example.org"' in html
    assert f'href="/hulp/vragen/{question.id}"' in html


def test_the_pages_are_in_english_with_dutch_where_there_is_no_translation(client, in_language, question,
                                                                         create_question):
    untranslated = create_question(category="young_people", question_nl="Wat doet Halt?",
                                   answer_nl="Halt helpt jongeren.")
    in_language("en")
    html = page(client, "/hulp")
    assert "In an emergency call 112" in html
    assert "How do I recognise drug use in my child?" in html
    assert "Nijkerk community team" in html and "Monday to Friday" in html
    assert "Wat doet Halt?" in html  # no English version: the Dutch one
    assert "For young people" in html
    html = page(client, f"/hulp/vragen/{question.id}")
    assert "<strong>changes</strong>" in html and "veranderingen" not in html
    html = page(client, f"/hulp/vragen/{untranslated.id}")
    assert "Halt helpt jongeren." in html


def test_a_question_has_its_own_page_with_the_entries_it_points_to(client, question):
    html = page(client, f"/hulp/vragen/{question.id}")
    assert "<h1>Hoe herken ik drugsgebruik bij mijn kind?</h1>" in html
    assert "<strong>veranderingen</strong>" in html
    assert 'id="entries-heading"' in html and "Gebiedsteam Nijkerk" in html
    assert 'href="tel:112"' in html


@pytest.mark.parametrize("path", ["/hulp/vragen/999999", "/hulp/vragen/0", "/hulp/vragen/abc"])
def test_an_unknown_question_is_404(client, path):
    assert client.get(path).status_code == 404


def test_answers_are_sanitised(client, create_question):
    question = create_question(answer_nl='Lees <script>alert(1)</script> dit [klik](javascript:alert(2)) '
                                         '<img src="https://tracker.example/x.png" onerror="alert(3)">')
    html = page(client, f"/hulp/vragen/{question.id}")
    answer = html[html.index('class="prose help-answer"'):]
    answer = answer[:answer.index("</div>")]
    assert "<script" not in answer and "javascript:" not in answer and "<img" not in answer
    assert "onerror" not in answer and "tracker.example" not in answer


def test_every_help_page_has_the_quick_exit_with_its_no_script_fallback(app, client, question):
    for path in ("/hulp", f"/hulp/vragen/{question.id}", "/hulp?q=drugs"):
        html = page(client, path)
        exit_link = re.search(r'<a class="quick-exit__button" href="([^"]+)" data-quick-exit[^>]*>', html)
        assert exit_link and exit_link.group(1) == app.config["HELP_QUICK_EXIT_URL"], path
        assert "/static/js/quick-exit.js" in html
        assert "wist uw browsergeschiedenis niet" in html  # it says what it does not do
        # Nothing from another site is loaded with the page: the exit's site only when it is used.
        assert not re.search(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="https?://', html), path


def test_the_quick_exit_goes_where_the_setting_says(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "HELP_QUICK_EXIT_URL", "https://nos.nl")
    assert 'href="https://nos.nl" data-quick-exit' in page(client, "/hulp")


@pytest.mark.parametrize("address", ["javascript:alert(1)", "", "nos.nl"])
def test_the_app_does_not_start_with_a_quick_exit_that_is_no_web_address(database_url, address):
    with pytest.raises(RuntimeError, match="HELP_QUICK_EXIT_URL"):
        create_app(make_config(database_url, HELP_QUICK_EXIT_URL=address))


def test_the_quick_exit_script_replaces_the_location():
    from samen import ROOT
    script = (ROOT / "static" / "js" / "quick-exit.js").read_text()
    assert "location.replace(" in script and "Escape" in script


def test_help_pages_are_not_stored_in_any_cache(client, question):
    for path in ("/hulp", f"/hulp/vragen/{question.id}"):
        assert client.get(path).headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", ["/", "/thinktanks/", "/progress", "/meetings/", "/login", "/register", "/privacy",
                                  "/hulp"])
def test_need_help_is_on_every_page(client, path):
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 200
    assert re.search(r'<a class="help-link" href="/hulp"[^>]*>Hulp nodig\?</a>', response.get_data(as_text=True))


@pytest.fixture
def fresh_app(database_url):
    """Return an app of its own on the suite's database (routes can still be added to it), disposed after."""
    app = create_app(make_config(database_url))
    yield app
    with app.app_context():
        db.engine.dispose()


def test_without_the_request_form_there_is_no_link_to_it(fresh_app):
    app = fresh_app
    app.view_functions.pop(REQUEST_FORM, None)  # as on a site without samen/helpdesk
    html = app.test_client().get("/hulp").get_data(as_text=True)
    assert 'id="request-heading"' not in html and "/hulp/verzoek" not in html
    assert 'id="emergency-heading"' in html  # the rest of the page is there


def test_the_request_form_is_linked_when_it_exists(fresh_app):
    app = fresh_app
    if REQUEST_FORM not in app.view_functions:  # this branch alone: stand in for samen/helpdesk's form
        app.add_url_rule("/hulp/verzoek", endpoint=REQUEST_FORM, view_func=lambda: "formulier")
    html = app.test_client().get("/hulp").get_data(as_text=True)
    assert 'id="request-heading"' in html and 'class="button" href="/hulp/verzoek"' in html


def test_the_help_page_runs_a_fixed_number_of_queries(client, count_queries, create_entry, create_question):
    def measure() -> int:
        with count_queries() as statements:
            page(client, "/hulp")
        with count_queries() as searching:
            page(client, "/hulp?q=kind")
        return len(statements) + len(searching)

    entry = create_entry()
    create_question(entries=[entry])
    few = measure()
    for n in range(12):
        created = create_entry(name_nl=f"Organisatie {n}", phone="0800-1234")
        create_question(entries=[created], question_nl=f"Vraag {n} over mijn kind?", category="young_people")
    assert measure() == few


def test_searching_finds_words_in_the_question_or_the_answer_in_the_pages_language(client, in_language, question,
                                                                                   create_question):
    create_question(question_nl="Mijn kind heeft schulden bij een dealer: wat nu?",
                    question_en="My child owes money to a dealer: what now?",
                    answer_nl="Betaal niet zomaar. Neem contact op met de politie.",
                    answer_en="Do not simply pay. Contact the police.")

    def found(query: str) -> set[str]:
        html = page(client, f"/hulp?q={query}")
        section = html[html.index('id="questions-heading"'):html.index('id="directory-heading"')]
        return set(re.findall(r'href="/hulp/vragen/\d+">([^<]+)</a>', section))

    assert found("schuld") == {"Mijn kind heeft schulden bij een dealer: wat nu?"}  # the start of a word
    assert found("kind") == {"Mijn kind heeft schulden bij een dealer: wat nu?",
                             "Hoe herken ik drugsgebruik bij mijn kind?"}
    assert found("slaap vrienden") == {"Hoe herken ik drugsgebruik bij mijn kind?"}  # from the answer
    assert found("politie kind") == {"Mijn kind heeft schulden bij een dealer: wat nu?"}
    assert found("debts") == set()
    in_language("en")
    assert found("police") == {"My child owes money to a dealer: what now?"}
    assert found("schulden") == set()


def test_a_search_with_only_punctuation_shows_everything(client, question):
    html = page(client, "/hulp?q=%22%2A%28%29")
    assert "Hoe herken ik drugsgebruik bij mijn kind?" in html


def test_the_questions_are_grouped_by_category_in_their_order(client, create_question, db):
    second = create_question(question_nl="Tweede vraag?", position=2)
    create_question(question_nl="Eerste vraag?", position=1)
    create_question(question_nl="Vraag voor jongeren?", category="young_people")
    html = page(client, "/hulp")
    assert html.index("Voor ouders") < html.index("Eerste vraag?") < html.index("Tweede vraag?") \
        < html.index("Voor jongeren") < html.index("Vraag voor jongeren?")
    assert isinstance(second, HelpQuestion)
