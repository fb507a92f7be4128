"""Found words are marked after the text is escaped: nothing typed or stored becomes markup."""
from __future__ import annotations

from samen.search.highlight import highlight, snippet


def test_words_are_marked_whatever_their_case() -> None:
    assert highlight("Een Skatebaan en een skatebaan", ["skatebaan"]) == \
        "Een <mark>Skatebaan</mark> en een <mark>skatebaan</mark>"


def test_the_text_is_escaped_before_it_is_marked() -> None:
    marked = highlight('<script>alert("x")</script> & skatebaan', ["script", "amp", "skatebaan"])
    assert "<script>" not in marked and "&lt;<mark>script</mark>&gt;" in marked
    assert "&amp; <mark>skatebaan</mark>" in marked  # 'amp' does not match inside the entity it made
    assert highlight("a <b> c", ["b"]) == "a &lt;<mark>b</mark>&gt; c"


def test_a_word_with_markup_characters_is_a_plain_word() -> None:
    assert highlight("x < y", ["<"]) == "x <mark>&lt;</mark> y"


def test_without_words_the_text_is_only_escaped() -> None:
    assert highlight("<i>", []) == "&lt;i&gt;"


def test_the_snippet_shows_the_text_around_the_first_word() -> None:
    text = " ".join(["woord"] * 100 + ["skatebaan"] + ["einde"] * 100)
    cut = snippet(text, ["skatebaan"], length=60)
    assert "skatebaan" in cut and cut.startswith("…") and cut.endswith("…") and len(cut) <= 62
    assert snippet("kort", ["x"]) == "kort"
