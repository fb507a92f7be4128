"""core/markdown.py: Markdown rendered, then sanitised with an allow-list."""
from __future__ import annotations

import pytest
from markupsafe import Markup

from samen.core.markdown import markdown_to_text, render_markdown


def html(text: str | None) -> str:
    return str(render_markdown(text))


@pytest.mark.parametrize("text", [None, ""])
def test_nothing_renders_as_nothing(text):
    result = render_markdown(text)
    assert isinstance(result, Markup) and result == ""


def test_the_result_is_markup_so_templates_do_not_escape_it_again():
    assert isinstance(render_markdown("*hallo*"), Markup)
    assert html("*hallo* en **allemaal**") == "<p><em>hallo</em> en <strong>allemaal</strong></p>"


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>tekst",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>tekst",
    "tekst<style>body { display: none }</style>",
    "```\n</code><script>alert(1)</script>\n```",
])
def test_scripts_and_styles_are_removed(text):
    out = html(text).lower()
    assert "<script" not in out and "<style" not in out


@pytest.mark.parametrize("text", [
    '<a href="https://example.org" onclick="steal()">link</a>',
    '<p onmouseover="steal()">tekst</p>',
    '<b onload=steal()>vet</b>',
    '<svg onload=alert(1)>',
    '<details open ontoggle=alert(1)>',
])
def test_event_handlers_are_removed(text):
    out = html(text).lower()
    assert " on" not in out and "steal" not in out and "alert" not in out


@pytest.mark.parametrize("text", [
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    '<a href="java&#x09;script:alert(1)">klik</a>',
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[klik](vbscript:msgbox(1))",
    '<a href="  javascript:alert(1)">klik</a>',
])
def test_javascript_and_data_links_lose_their_href(text):
    out = html(text)
    assert "klik" in out
    assert "href" not in out and "script:" not in out.lower() and "data:" not in out


@pytest.mark.parametrize("text", [
    "![foto](https://tracker.example/pixel.png)",
    '<img src="https://tracker.example/pixel.png" alt="foto">',
    '<img src=x onerror="alert(1)">',
    '<picture><source srcset="https://tracker.example/a.webp"></picture>',
])
def test_images_are_removed_they_would_ask_a_third_party(text):
    out = html(text)
    assert "<img" not in out and "<source" not in out and "tracker.example" not in out


@pytest.mark.parametrize("text", [
    '<iframe src="https://evil.example"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<form action="https://evil.example"><input name="password"></form>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
])
def test_frames_objects_and_forms_are_removed(text):
    out = html(text)
    assert "evil.example" not in out
    for tag in ("<iframe", "<object", "<embed", "<form", "<input", "<base", "<meta"):
        assert tag not in out


@pytest.mark.parametrize("text, href", [
    ("[Tactus](https://www.tactus.nl)", "https://www.tactus.nl"),
    ("[site](http://example.org/pad?a=1&b=2)", "http://example.org/pad?a=1&amp;b=2"),
    ("[mail](mailto:info@example.org)", "mailto:info@example.org"),
    ("<https://example.org>", "https://example.org"),
])
def test_web_and_mail_links_stay_with_nofollow_noopener(text, href):
    out = html(text)
    assert f'href="{href}"' in out
    assert 'rel="nofollow noopener"' in out


def test_a_link_cannot_choose_its_own_rel_or_target():
    out = html('<a href="https://example.org" rel="opener" target="_blank" style="color:red">x</a>')
    assert out == '<p><a href="https://example.org" rel="nofollow noopener">x</a></p>'


def test_link_titles_are_kept():
    assert 'title="Verslavingszorg"' in html('[Tactus](https://www.tactus.nl "Verslavingszorg")')


def test_headings_start_at_h2_the_page_title_is_the_only_h1():
    out = html("# Preventie\n\n## Voorlichting\n\n### Op school\n\n<h1 class='x'>Ruw</h1>")
    assert "<h1" not in out
    assert "<h2>Preventie</h2>" in out and "<h2>Voorlichting</h2>" in out and "<h3>Op school</h3>" in out
    assert "<h2>Ruw</h2>" in out


def test_tables_render_with_their_alignment():
    out = html("| Denktank | Leden |\n|:---|---:|\n| Preventie | 34 |")
    assert "<table>" in out and "<thead>" in out and "<tbody>" in out
    assert '<th align="left">Denktank</th>' in out and '<td align="right">34</td>' in out
    assert "style=" not in out


def test_lists_quotes_and_code():
    out = html("- een\n- twee\n\n1. eerst\n2. dan\n\n> citaat\n\n`code` en\n\n```\nblok <b>\n```")
    for tag in ("<ul>", "<ol>", "<li>een</li>", "<blockquote>", "<code>code</code>",
                "<pre><code>blok &lt;b&gt;"):
        assert tag in out


def test_unknown_tags_keep_their_text_but_not_their_attributes():
    assert html('<div class="x" style="position:fixed">tekst</div>') == "tekst"
    assert html('<span id="x">tekst</span>') == "<p>tekst</p>"


def test_comments_are_removed():
    assert "geheim" not in html("tekst <!-- geheim -->")


def test_plain_text_for_summaries_is_unescaped_and_cut_at_a_word():
    assert markdown_to_text("# Kop\n\nOuders **&** kinderen <3") == "Kop Ouders & kinderen <3"
    assert markdown_to_text(None) == ""
    cut = markdown_to_text("woord " * 100, limit=30)
    assert cut.endswith("…") and len(cut) <= 31 and not cut[:-1].endswith(" ")


# --- one converter per thread, and rendered texts remembered ------------------------------------------------

def test_a_reused_converter_forgets_the_previous_text():
    from samen.core.markdown import _render  # not the remembered renderings: the converter itself

    # Reference links and stashed raw HTML live in the converter between calls unless it is reset.
    assert "x.example" in _render("[a][ref]\n\n[ref]: https://x.example")
    assert _render("[a][ref]") == "<p>[a][ref]</p>"
    assert "<pre><code>" in _render("```\ncode\n```")
    assert _render("tekst") == "<p>tekst</p>"


def test_a_failed_conversion_does_not_spoil_the_next(monkeypatch):
    from samen.core import markdown as module

    converter = module._converter()
    original = converter.convert

    def fail_halfway(text):
        converter.references["ref"] = ("https://stale.example", None)
        raise RuntimeError("boom")

    monkeypatch.setattr(converter, "convert", fail_halfway)
    with pytest.raises(RuntimeError):
        module._render("[a][ref]")
    monkeypatch.setattr(converter, "convert", original)
    assert module._render("[a][ref]") == "<p>[a][ref]</p>"


def test_each_thread_has_its_own_converter():
    import threading

    from samen.core import markdown as module

    seen = []
    thread = threading.Thread(target=lambda: seen.append(module._converter()))
    thread.start()
    thread.join()
    assert seen[0] is not module._converter()


def test_remembered_renderings_are_the_same_as_fresh_ones():
    from samen.core import markdown as module

    text = "*Eén* idee met een [link](https://example.org) en <script>x</script>"
    first = render_markdown(text)
    assert render_markdown(text) == first == module._render(text)
    assert isinstance(render_markdown(text), Markup)
    # Long texts are rendered every time, not kept.
    long = "woord " * (module.CACHED_LENGTH // 5)
    misses = module._render_remembered.cache_info().misses
    assert render_markdown(long) == module._render(long)
    assert module._render_remembered.cache_info().misses == misses


def test_a_changed_text_is_rendered_anew():
    assert html("**oud**") == "<p><strong>oud</strong></p>"
    assert html("**nieuw**") == "<p><strong>nieuw</strong></p>"
