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
