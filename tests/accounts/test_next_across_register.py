"""From "sign in" to "register" and back, where the visitor was going (a meeting's live page) goes along: the
links carry `next`, the registration keeps it through the confirmation, and only local paths count."""
from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from samen.accounts import operations as ops

LIVE = "/meetings/7/live"
STRONG = "tulp-molen-kaas-42"


def _links(html: str, path: str) -> list[str]:
    """Return the `next` of every link to `path` on the page (None: a link without one)."""
    found = [urlsplit(unescape(href)) for href in re.findall(rf'href="({re.escape(path)}[^"]*)"', html)]
    return [parse_qs(link.query).get("next", [None])[0] for link in found if link.path == path]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_sign_in_links_to_register_with_next_and_back(client, lang):
    login = client.get(f"/login?next={quote(LIVE)}&lang={lang}").get_data(as_text=True)
    assert LIVE in _links(login, "/register")
    register = client.get(f"/register?next={quote(LIVE)}").get_data(as_text=True)
    assert f'name="next" type="hidden" value="{LIVE}"' in register or f'value="{LIVE}"' in register
    assert LIVE in _links(register, "/login")


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example/x", "/\\evil.example"])
def test_a_foreign_next_is_dropped_on_the_register_page(client, target):
    register = client.get(f"/register?next={quote(target)}").get_data(as_text=True)
    assert re.search(r'<input id="next" name="next" type="hidden" value="">', register)
    assert set(_links(register, "/login")) == {None}


def test_registering_keeps_next_through_the_confirmation_to_the_sign_in(client, csrf_token, db, mailbox):
    path = f"/register?next={quote(LIVE)}"
    data = {"csrf_token": csrf_token(client, path), "email": "nieuw@example.org", "display_name": "Merel",
            "kind": "resident", "organisation": "", "password": STRONG, "confirm": STRONG, "accept_terms": "y",
            "next": LIVE}
    assert client.post(path, data=data).headers["Location"] == "/register/sent"
    sent = client.get("/register/sent").get_data(as_text=True)
    assert LIVE in _links(sent, "/login")
    link = re.search(r"/register/confirm/\S+", mailbox[0].get_content()).group(0)
    confirmed = client.post(link, data={"csrf_token": csrf_token(client, link)})
    assert confirmed.status_code == 302
    assert confirmed.headers["Location"] == f"/login?next={LIVE}"
    answer = client.post("/login", data={"csrf_token": csrf_token(client, "/login"), "email": "nieuw@example.org",
                                         "password": STRONG, "next": LIVE})
    assert answer.headers["Location"] == LIVE
    assert ops.find_user_by_email("nieuw@example.org").is_confirmed


def test_a_foreign_next_posted_with_the_registration_is_not_kept(client, csrf_token, mailbox):
    data = {"csrf_token": csrf_token(client, "/register"), "email": "ander@example.org", "display_name": "Merel",
            "kind": "resident", "organisation": "", "password": STRONG, "confirm": STRONG, "accept_terms": "y",
            "next": "https://evil.example/"}
    client.post("/register", data=data)
    assert "evil.example" not in client.get("/register/sent").get_data(as_text=True)
