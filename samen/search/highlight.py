"""Show found words: escape the text first, then mark the words — never the other way round.

The text is split at the words' occurrences; every piece is escaped on its own and only the found pieces are
wrapped in <mark>. A word can therefore never match inside an entity that escaping made ("&amp;" for "amp"),
and nothing of the text itself can become markup.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup, escape

SNIPPET_LENGTH = 200  # characters of text around the first found word


def _pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    unique = sorted({word.lower() for word in words if word}, key=len, reverse=True)
    if not unique:
        return None
    return re.compile("|".join(re.escape(word) for word in unique), re.IGNORECASE)


def highlight(text: str | None, words: Iterable[str]) -> Markup:
    """Return the text, escaped, with every occurrence of the words (case-insensitive) in <mark>."""
    text = text or ""
    pattern = _pattern(words)
    if pattern is None:
        return escape(text)
    parts: list[str] = []
    last = 0
    for found in pattern.finditer(text):
        parts.append(str(escape(text[last:found.start()])))
        parts.append(f"<mark>{escape(found.group())}</mark>")
        last = found.end()
    parts.append(str(escape(text[last:])))
    return Markup("".join(parts))


def snippet(text: str | None, words: Iterable[str], length: int = SNIPPET_LENGTH) -> str:
    """Return about `length` characters of plain text around the first found word (the start when none is),
    cut at spaces, with an ellipsis where text was left out."""
    text = " ".join((text or "").split())
    if len(text) <= length:
        return text
    pattern = _pattern(words)
    found = pattern.search(text) if pattern is not None else None
    start = 0 if found is None else max(0, found.start() - length // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < found.start() else start  # type: ignore[union-attr]
    end = start + length
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
