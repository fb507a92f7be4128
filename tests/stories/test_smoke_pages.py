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


def test_analyst_sees_all(client, auth, analyst, three_stories):
    auth.login(analyst)
    text = client.get("/verhalen").get_data(as_text=True)
    assert "Baarn-Oost" in text
    page = client.get(f"/verhalen/{three_stories[0].id}").get_data(as_text=True)
    assert ANALYSIS_ONLY in page
