"""The Atom feed: updates of public actions and decisions on public ideas, newest first, valid Atom."""
from __future__ import annotations

import re
from datetime import datetime
from xml.etree import ElementTree as ET

from samen.actions import operations as ops
from tests.public.helpers import assert_nothing_secret

A = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$")


def _feed(client, path: str = "/progress/feed.atom?lang=en") -> ET.Element:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert response.data.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    return ET.fromstring(response.data)


def _check_atom(feed: ET.Element) -> None:
    """Check what RFC 4287 requires of a feed and its entries."""
    assert feed.tag == f"{A}feed"
    for tag in ("id", "title", "updated"):
        assert len(feed.findall(f"{A}{tag}")) == 1, tag
    assert feed.find(f"{A}author/{A}name").text
    assert RFC3339.match(feed.find(f"{A}updated").text)
    assert feed.find(f"{A}link[@rel='self']").get("href").startswith("http://localhost/progress/feed.atom")
    ids = []
    for entry in feed.findall(f"{A}entry"):
        for tag in ("id", "title", "updated"):
            assert len(entry.findall(f"{A}{tag}")) == 1, tag
        assert RFC3339.match(entry.find(f"{A}updated").text)
        assert entry.find(f"{A}link[@rel='alternate']").get("href").startswith("http://localhost/")
        assert entry.find(f"{A}content").get("type") == "html"
        ids.append(entry.find(f"{A}id").text)
    assert len(ids) == len(set(ids))


def test_the_feed_is_valid_atom_with_updates_and_decisions(client, plan):
    feed = _feed(client)
    _check_atom(feed)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    entries = feed.findall(f"{A}entry")
    titles = [entry.find(f"{A}title").text for entry in entries]
    assert "Voorlichting op alle middelbare scholen: In progress, 50%" in titles
    assert "Decision on the idea “Voorlichting door ervaringsdeskundigen”: Adopted" in titles
    assert "Decision on the idea “Een vrijplaats voor jongeren”: Adopted" in titles
    anchor = f"#update-{plan.updates[1].id}"
    update = next(entry for entry in entries if entry.find(f"{A}id").text.endswith(anchor))
    link = f"http://localhost/progress/actions/{plan.action.id}{anchor}"
    assert update.find(f"{A}link").get("href") == link
    assert "<em>zeven</em>" in update.find(f"{A}content").text  # HTML, escaped inside the XML
    assert update.find(f"{A}category").get("term") == "Preventie"
    times = [datetime.fromisoformat(entry.find(f"{A}updated").text.replace("Z", "+00:00"))
             for entry in entries]
    assert times == sorted(times, reverse=True)


def test_the_feed_is_newest_first(client, plan, chair, db):
    ops.post_update(plan.overdue, by=chair, body="De eerste ouderavond is gepland.", status="in_progress")
    db.session.commit()
    first = _feed(client).find(f"{A}entry")
    assert first.find(f"{A}title").text == "Ouderavond in elke wijk: In progress, 0%"


def test_the_feed_holds_nothing_internal_hidden_or_withdrawn(client, plan):
    for path in ("/progress/feed.atom", "/progress/feed.atom?lang=en"):
        response = client.get(path)
        assert_nothing_secret(response.get_data(as_text=True))
        assert "Set-Cookie" not in response.headers


def test_the_feed_language_comes_from_the_address_only(client, plan):
    assert _feed(client, "/progress/feed.atom").get("{http://www.w3.org/XML/1998/namespace}lang") == "nl"
    with client.session_transaction() as session:
        session["lang"] = "en"  # a reader's session does not change the shared feed
    assert _feed(client, "/progress/feed.atom").get("{http://www.w3.org/XML/1998/namespace}lang") == "nl"


def test_an_empty_feed_is_still_valid(client, db):
    feed = _feed(client)
    _check_atom(feed)
    assert feed.findall(f"{A}entry") == []


def test_the_progress_page_announces_its_feed(client, plan):
    html = client.get("/progress").get_data(as_text=True)
    assert '<link rel="alternate" type="application/atom+xml" href="/progress/feed.atom"' in html
