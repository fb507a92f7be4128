"""Read what the tests look for in pages and responses."""
from __future__ import annotations

import re

from werkzeug.test import TestResponse


def cookie_header(response: TestResponse, name: str) -> str | None:
    """Return the Set-Cookie header that sets the named cookie, or None."""
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(f"{name}="):
            return header
    return None


def field_error(html: str, field: str) -> str | None:
    """Return the text of a field's error message on a page, or None when the field has no error."""
    match = re.search(rf'<p class="error" id="{re.escape(field)}-error">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else None


def html_lang(html: str) -> str | None:
    """Return the page's language, from <html lang="…">."""
    match = re.search(r'<html lang="([^"]*)"', html)
    return match.group(1) if match else None


def mail_link(message, path_start: str) -> str:
    """Return the link of a plain-text e-mail whose path starts with `path_start` (e.g. /unlock/)."""
    body = message.get_content()
    match = re.search(r"(https?://\S+?" + re.escape(path_start) + r"\S+)", body)
    assert match, f"no {path_start} link in:\n{body}"
    return match.group(1)


def local_path(url: str) -> str:
    """Return the path of a full address (what a test client requests)."""
    from urllib.parse import urlsplit

    return urlsplit(url).path


def flashes(html: str) -> list[str]:
    """Return the texts of the flashed messages on a page."""
    block = re.search(r'<div class="flashes" role="status">(.*?)</div>', html, re.S)
    if block is None:
        return []
    return [re.sub(r"<[^>]+>", "", text).strip()
            for text in re.findall(r'<p class="alert[^"]*">(.*?)</p>', block.group(1), re.S)]
