"""The stories pages answer their own people."""
from __future__ import annotations

from tests.stories.conftest import ANALYSIS_ONLY, QUOTABLE


def test_field_worker_records_and_reads_a_story(client, auth, field_worker, themes):
    auth.login(field_worker)
    assert client.get("/verhalen/nieuw").status_code == 200
    response = auth.post("/verhalen/nieuw", {"text": QUOTABLE, "teller": "parent", "neighbourhood": "Oost",
                                             "told_on": "2026-11-30", "themes": [str(themes[0].id)],
                                             "consent": "quote"})
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.headers["Location"])
    assert QUOTABLE in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"


def test_a_story_sent_twice_from_a_flaky_phone_is_saved_once(client, auth, db, field_worker, themes):
    """The form's token (samen/core/once.py): the resend leads to the first story, and no second one is made."""
    import re

    from sqlalchemy import func, select

    from samen.stories.models import Story

    auth.login(field_worker)
    token = re.search(r'name="submission" value="([0-9a-f]{32})"',
                      client.get("/verhalen/nieuw").get_data(as_text=True)).group(1)
    data = {"text": QUOTABLE, "teller": "parent", "neighbourhood": "Oost", "told_on": "2026-11-30",
            "themes": [str(themes[0].id)], "consent": "quote", "submission": token}
    first, again = auth.post("/verhalen/nieuw", data), auth.post("/verhalen/nieuw", data)
    assert first.status_code == 302 and again.status_code == 303
    assert again.location == first.location
    assert db.session.scalar(select(func.count()).select_from(Story)) == 1


def test_analyst_sees_all(client, auth, analyst, three_stories):
    auth.login(analyst)
    text = client.get("/verhalen").get_data(as_text=True)
    assert "Baarn-Oost" in text
    page = client.get(f"/verhalen/{three_stories[0].id}").get_data(as_text=True)
    assert ANALYSIS_ONLY in page


def test_the_pages_speak_both_languages(client, auth, field_worker, analyst, three_stories):
    from tests.conftest import speak

    auth.login(field_worker)
    assert "Verhaal vastleggen" in client.get("/verhalen/nieuw").get_data(as_text=True)
    speak(client, "en")
    page = client.get("/verhalen/nieuw").get_data(as_text=True)
    assert "Record a story" in page and "Consent the teller gave" in page
    speak(client, "nl")
    page = client.get(f"/verhalen/{three_stories[0].id}").get_data(as_text=True)
    assert "Alleen voor analyse" in page


def test_the_list_runs_a_fixed_number_of_queries(client, auth, analyst, make_story, themes, count_queries):
    auth.login(analyst)

    def count() -> int:
        client.get("/verhalen")
        with count_queries() as statements:
            assert client.get("/verhalen").status_code == 200
        return len(statements)

    make_story(themes=[themes[0].id])
    small = count()
    for _ in range(10):
        make_story(themes=[themes[0].id, themes[1].id])
    assert count() == small


def test_bad_input_is_a_form_error_not_a_500(client, auth, field_worker, themes):
    auth.login(field_worker)
    response = auth.post("/verhalen/nieuw", {"text": "x", "teller": "mayor", "neighbourhood": "Oost",
                                             "told_on": "morgen", "themes": ["abc", "99999999999"],
                                             "consent": "quote"})
    assert response.status_code == 422
    response = auth.post("/verhalen/nieuw", {"text": "x", "teller": "parent", "neighbourhood": "Oost",
                                             "told_on": "2026-01-01", "themes": ["2147483000"],
                                             "consent": "quote"})
    assert response.status_code == 422
    assert client.get("/verhalen?thema=abc&toestemming=zzz").status_code == 200


def test_the_account_page_leads_each_role_to_its_pages(client, auth, field_worker, coordinator, member):
    auth.login(field_worker)
    page = client.get("/account").get_data(as_text=True)
    assert "/verhalen\"" in page and "/verhalen/themas" not in page
    auth.login(coordinator)
    page = client.get("/account").get_data(as_text=True)
    assert "/verhalen/themas" in page and "/verhalen\"" not in page
    auth.login(member)
    assert "/verhalen" not in client.get("/account").get_data(as_text=True)


def test_the_analysis_team_adds_knowledge_sources_and_links_stories_to_them(client, auth, db, analyst,
                                                                            field_worker, three_stories, themes):
    """A knowledge source — title, publisher, link, what is known to work — and a story linked to it."""
    from samen.stories.models import KnowledgeSource

    auth.login(field_worker)
    assert auth.post("/verhalen/bronnen", {"title": "Geen bron"}).status_code == 403
    auth.login(analyst)
    bad = auth.post("/verhalen/bronnen", {"title": "Richtlijn", "url": "javascript:alert(1)"})
    assert bad.status_code == 422 and db.session.query(KnowledgeSource).count() == 0
    added = auth.post("/verhalen/bronnen", {"title": "Preventie in de nachtlevensector", "publisher": "Trimbos",
                                            "url": "https://www.trimbos.nl/", "note": "Afspraken met horeca werken."})
    assert added.status_code == 302
    source = db.session.query(KnowledgeSource).one()
    assert (source.publisher, source.url, source.note) == ("Trimbos", "https://www.trimbos.nl/",
                                                          "Afspraken met horeca werken.")
    story = three_stories[0]
    assert auth.post(f"/verhalen/{story.id}/analyse", {"themes": [str(themes[1].id)],
                                                        "sources": [str(source.id)]}).status_code == 302
    page = client.get(f"/verhalen/{story.id}").get_data(as_text=True)
    assert 'href="https://www.trimbos.nl/"' in page and "Afspraken met horeca werken." in page
    assert "Trimbos" in client.get("/verhalen/bronnen").get_data(as_text=True)
