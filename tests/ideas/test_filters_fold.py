"""At 375 px the idea list's sort and filters fold away: they sit in a details element (no script needed), open
when one of them is chosen, so what narrows the list is never hidden."""
from __future__ import annotations

import re

import pytest


def _details(html: str) -> str:
    found = re.search(r'<details class="idea-filters"[^>]*>.*?</details>', html, re.S)
    assert found, "no folding filters"
    return found.group(0)


@pytest.mark.parametrize('lang, summary', [("nl", "Sorteren en filteren"), ("en", "Sort and filter")])
def test_the_filters_fold_into_a_details_element(client, thinktank, idea, lang, summary):
    html = client.get(f"/thinktanks/{thinktank.slug}/ideas?lang={lang}").get_data(as_text=True)
    details = _details(html)
    assert not details.startswith('<details class="idea-filters" open')
    assert f"<summary>{summary}</summary>" in details
    assert 'id="sort"' in details and 'id="status"' in details
    assert 'id="q"' in html and 'id="q"' not in details  # the search words stay in sight


def test_the_filters_are_open_when_one_is_chosen(client, thinktank, idea):
    html = client.get(f"/thinktanks/{thinktank.slug}/ideas?status=new&sort=new&lang=en").get_data(as_text=True)
    details = _details(html)
    assert details.startswith('<details class="idea-filters" open>')
    assert "(2 chosen)" in details
