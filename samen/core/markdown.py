"""The only place where Markdown becomes HTML: rendered, then sanitised with an allow-list."""
from __future__ import annotations

import html as _html
import threading
from functools import lru_cache

import markdown as _markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "em", "strong", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
    "del", "sup", "sub", "abbr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


# Texts up to this length are remembered once rendered (an idea list shows the same popular ideas to everyone);
# the output depends on nothing but the text, so a remembered rendering can never be out of date.
CACHED_LENGTH = 2_000
CACHE_SIZE = 1_024
_converters = threading.local()


def _converter() -> _markdown.Markdown:
    """Return this thread's Markdown converter: building one (its extensions and patterns) costs more than a
    typical conversion, and an instance must not be shared between threads."""
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        # align="…" survives the allow-list; the default style="text-align: …" would not
        converter = _markdown.Markdown(extensions=["sane_lists", "tables", "fenced_code"], output_format="html",
                                       extension_configs={"tables": {"use_align_attribute": True}})
        _converters.markdown = converter
    return converter


def render_markdown(text: str | None) -> Markup:
    """Return sanitised HTML for a Markdown text: no script, no event handlers, no images, no unsafe links."""
    if not text:
        return Markup("")
    if len(text) <= CACHED_LENGTH:
        return _render_remembered(text)
    return _render(text)


@lru_cache(maxsize=CACHE_SIZE)
def _render_remembered(text: str) -> Markup:
    return _render(text)


def _render(text: str) -> Markup:
    converter = _converter()
    converter.reset()  # before, not after: a conversion that failed must not leave its state to the next one
    # Images are not allowed: each would be a request to a third party from our pages.
    html = converter.convert(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener",
        strip_comments=True,
    )
    # Headings start at h2: the page's own title is the only h1.
    clean = clean.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return Markup(clean)


def markdown_to_text(text: str | None, limit: int = 200) -> str:
    """Return the plain text of a Markdown body, cut at a word boundary, for summaries and feeds."""
    # Stripping the tags leaves the text HTML-escaped ("&amp;"); plain text is escaped by whoever shows it.
    # Only the start can show: render a few times the limit, not a whole 20,000-character body per card.
    plain = _html.unescape(nh3.clean(str(render_markdown((text or "")[:limit * 4])), tags=set()))
    plain = " ".join(plain.split())
    if len(plain) <= limit:
        return plain
    return plain[:limit].rsplit(" ", 1)[0] + "…"
