"""The Dutch catalog: every message translated, nothing fuzzy, the same placeholders as the English.

After `make extract-messages` new strings arrive empty; these tests fail until they are translated.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

import samen

CATALOG = Path(samen.__file__).parent / "translations" / "nl" / "LC_MESSAGES" / "messages.po"

# A %-placeholder as Python formats it: %(name)s, %(num)d, %s, %.1f …; "%%" is a literal percent sign.
PLACEHOLDER = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?P<kind>[diouxXeEfFgGcrsa%])")


def placeholders(text: str) -> Counter[str]:
    """Return the placeholders in a string, counted, without the literal "%%"."""
    return Counter(f"%({m['name']}){m['kind']}" if m["name"] is not None else f"%{m['kind']}"
                   for m in PLACEHOLDER.finditer(text) if m["kind"] != "%")


def forms(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    """Return the singular and plural forms of a msgid or msgstr as a tuple."""
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def label(message: Message) -> str:
    return forms(message.id)[0]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    with CATALOG.open("rb") as handle:
        return read_po(handle, locale="nl")


def messages(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id]  # the header has the empty id


def test_the_catalog_has_messages(catalog):
    assert len(messages(catalog)) > 100


def test_every_message_is_translated(catalog):
    empty = [label(m) for m in messages(catalog)
             if not forms(m.string) or not all(s.strip() for s in forms(m.string))]
    assert not empty, f"{len(empty)} untranslated in {CATALOG.name}: {empty}"


def test_plural_messages_have_every_form(catalog):
    expected = catalog.num_plurals
    wrong = [label(m) for m in messages(catalog) if m.pluralizable and len(forms(m.string)) != expected]
    assert not wrong, f"plural messages without {expected} forms: {wrong}"


def test_no_message_is_fuzzy(catalog):
    fuzzy = [label(m) for m in messages(catalog) if m.fuzzy]
    assert not fuzzy, f"check these translations and remove their '#, fuzzy' flag: {fuzzy}"


def test_placeholders_match(catalog):
    wrong = []
    for message in messages(catalog):
        english = forms(message.id)
        if not message.python_format:  # set by extraction when the English has a placeholder
            continue
        wanted = placeholders(english[-1]) | placeholders(english[0])
        for dutch in forms(message.string):
            if dutch and placeholders(dutch) != wanted:
                wrong.append((english[0], dutch))
    assert not wrong, f"placeholders differ between msgid and msgstr: {wrong}"


def test_babel_finds_no_errors(catalog):
    errors = [(label(message), [str(e) for e in errs]) for message, errs in catalog.check()]
    assert not errors
