"""The Content-Security-Policy in Chromium: the live pages open their WebSocket to the site itself without any
violation, and a script could not open one to any other host (connect-src, samen/core/security.py)."""
from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import LiveServer

pytestmark = pytest.mark.browser

VIOLATION = """url => new Promise(resolve => {
    document.addEventListener('securitypolicyviolation',
        event => resolve(event.effectiveDirective + ' ' + event.blockedURI), {once: true});
    try { new WebSocket(url); } catch (error) { resolve('threw ' + error.name); }
    setTimeout(() => resolve('allowed'), 3000);
})"""


def test_the_live_page_connects_to_the_site_over_websocket(page: Any, live_server: LiveServer) -> None:
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    with page.expect_websocket() as opened:
        page.goto("/progress")
    socket = opened.value
    assert socket.url.startswith(live_server.url.replace("http://", "ws://") + "/socket.io/")
    socket.wait_for_event("framereceived")  # the server answered: the connection is up
    assert not [text for text in messages if "Content Security Policy" in text]


@pytest.mark.parametrize("url", ["ws://evil.example/socket.io/", "wss://evil.example/", "https://evil.example/"])
def test_a_script_cannot_connect_to_another_host(page: Any, url: str) -> None:
    page.goto("/progress")
    if url.startswith("http"):
        outcome = page.evaluate(VIOLATION.replace("new WebSocket(url)", "fetch(url).catch(() => {})"), url)
    else:
        outcome = page.evaluate(VIOLATION, url)
    assert outcome.startswith("connect-src"), outcome
