"""The Host header cannot reach what the public pages' caches keep, and those caches keep one copy per language.

Every public page and feed that a cache keeps (the rendered-content cache of samen/public/blueprint.py, and
browsers and proxies for `public, max-age`): asked first with a foreign Host, a foreign X-Forwarded-Host, and
another name the site answers to, and then as usual, no answer names any host but BASE_URL's.
"""
from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from samen.core.database import utcnow
from samen.meetings import operations as meeting_ops

pytestmark = pytest.mark.database

# Every public page and feed that a cache keeps: {name: path}.
CACHED = {
    "progress": "/progress",
    "thinktank": "/progress/thinktanks/{slug}",
    "thinktank-page-1": "/progress/thinktanks/{slug}?page=1",
    "action": "/progress/actions/{action}",
    "report": "/progress/report",
    "feed": "/progress/feed.atom",
    "feed-en": "/progress/feed.atom?lang=en",
    "actions.json": "/progress/actions.json",
    "actions.csv": "/progress/actions.csv",
    "indicators.json": "/progress/indicators.json",
    "indicators.csv": "/progress/indicators.csv",
    "calendar": "/meetings/calendar.ics",
}
FOREIGN = "evil.example"
ALIAS = "127.0.0.1"  # a name the site answers to (BASE_URL is http://localhost): its pages must not show it


@pytest.fixture
def public_world(plan: Any, chair: Any, db: Any) -> dict[str, Any]:
    """Return the plan with a public meeting (for the calendar) and the paths of every cached page."""
    start = (utcnow() + timedelta(days=3)).replace(microsecond=0)
    meeting_ops.create_meeting(plan.thinktank, by=chair, title="Denktankavond", starts_at=start,
                               ends_at=start + timedelta(hours=2), location="Het Grote Huis")
    db.session.commit()
    return {name: path.format(slug=plan.thinktank.slug, action=plan.action.id) for name, path in CACHED.items()}


def _hosts(text: str) -> set[str]:
    """Return every host name an absolute http(s) URL in the text names."""
    return {match.lower() for match in re.findall(r"https?://([^/\s\"'<>:?#]+)", text)}


@pytest.mark.parametrize("name", CACHED)
def test_no_host_but_base_urls_reaches_a_cached_page(client, public_world, caching, name):
    path = public_world[name]
    refused = client.get(path, base_url=f"http://{FOREIGN}")
    assert refused.status_code == 400 and FOREIGN not in refused.get_data(as_text=True)
    # The first to ask, with the request's own Host, X-Forwarded-Host or Forwarded: the caches are empty.
    answers = [client.get(path, base_url=f"http://{ALIAS}"), client.get(path, base_url=f"https://{ALIAS}:8443")]
    for headers in ({"X-Forwarded-Host": FOREIGN}, {"X-Forwarded-Host": FOREIGN, "X-Forwarded-Proto": "https"},
                    {"Forwarded": f"host={FOREIGN}"}):
        answers.append(client.get(path, headers=headers))
    answers.append(client.get(path))  # then anyone
    for response in answers:
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        assert FOREIGN not in text and ALIAS not in text
        # Each absolute link is to the site's address (the feed's namespaces are the W3C's and the IETF's).
        assert _hosts(text) <= {"localhost", "www.w3.org", "purl.org"}, name


def test_the_report_and_feeds_link_to_base_url(client, app, public_world, caching, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://samen.nijkerk.nl")
    for name in ("report", "feed", "actions.json", "calendar"):
        text = client.get(public_world[name]).get_data(as_text=True)
        assert "https://samen.nijkerk.nl/" in text, name
        assert "http://localhost" not in text, name


# Text that only the cached part of each page shows (the header around it is rendered anew), per language.
IN_LANGUAGE = {
    "progress": ("De volledige rapportage, om te printen", "The full report, to print"),
    "thinktank": ("Voortgang van het plan", "Progress of the plan"),
    "action": ("Uitgevoerd door", "Carried out by"),
    "report": ("Online, altijd actueel:", "Online, always up to date:"),
}


@pytest.mark.parametrize("name", IN_LANGUAGE)
@pytest.mark.parametrize("chosen", ["session", "query"])
def test_each_cached_page_is_kept_per_language(client, public_world, caching, name, chosen):
    """The language comes from the visitor's session (the language switch) or ?lang=: the same path in Dutch and
    in English are two entries."""
    path = public_world[name]
    dutch, english = IN_LANGUAGE[name]
    for language in ("nl", "en", "nl", "en"):
        if chosen == "session":
            with client.session_transaction() as session:
                session["lang"] = language
            url = path
        else:
            url = f"{path}{'&' if '?' in path else '?'}lang={language}"
        text = client.get(url).get_data(as_text=True)
        wanted, other = (dutch, english) if language == "nl" else (english, dutch)
        assert wanted in text and other not in text, (url, language)


@pytest.mark.parametrize("language, title", [("nl", "Voortgang van"), ("en", "Progress of")])
def test_the_feed_is_kept_per_language(client, public_world, caching, language, title):
    other = "en" if language == "nl" else "nl"
    client.get(f"/progress/feed.atom?lang={other}")
    text = client.get(f"/progress/feed.atom?lang={language}").get_data(as_text=True)
    assert re.search(rf"<title[^>]*>{title} ", text) and f'xml:lang="{language}"' in text
