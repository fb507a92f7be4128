"""Confirmations appear where the person is looking: after reporting a comment, the thanks are next to that
comment (the redirect's fragment points at them) as a status message that screen readers announce; not at the
top of the page. A notice no page showed does not turn up later elsewhere."""
from __future__ import annotations

import re

import pytest

from samen.ideas import operations as ops
from samen.core.database import db as _db


def _notice(html: str, anchor: str) -> str | None:
    found = re.search(rf'<p id="notice-{anchor}" class="alert alert--success local-notice" role="status" '
                      rf'aria-live="polite" tabindex="-1">([^<]*)</p>', html)
    return found.group(1) if found else None


@pytest.mark.parametrize('lang, thanks', [("nl", "Bedankt, de voorzitters gaan ernaar kijken."),
                                              ("en", "Thank you, the chairs will look at it.")])
def test_the_thanks_for_a_report_are_next_to_the_comment(client, auth, thinktank, idea, member, make_member, lang,
                                                         thanks):
    comment = ops.add_comment(idea, author=member, body="Een reactie")
    other = ops.add_comment(idea, author=member, body="Nog een reactie")
    _db.session.commit()
    auth.login(make_member(thinktank))
    with client.session_transaction() as session:
        session["lang"] = lang
    response = auth.post(f"/comments/{comment.id}/report", {"reason": "Scheldwoorden."})
    assert response.headers["Location"].endswith(f"#notice-comment-{comment.id}")
    html = client.get(response.headers["Location"].split("#")[0]).get_data(as_text=True)
    assert _notice(html, f"comment-{comment.id}") == thanks
    article = html[html.index(f'<article id="comment-{comment.id}"'):]
    assert article.index(f'id="notice-comment-{comment.id}"') < article.index("</article>")  # inside it
    assert _notice(html, f"comment-{other.id}") is None
    assert thanks not in html[:html.index('id="content"')+200]  # not among the flashes at the top
    assert _notice(client.get(f"/ideas/{idea.id}").get_data(as_text=True), f"comment-{comment.id}") is None


def test_a_notice_no_page_showed_is_dropped(client, auth, thinktank, idea, member, make_member):
    comment = ops.add_comment(idea, author=member, body="Een reactie")
    _db.session.commit()
    auth.login(make_member(thinktank))
    auth.post(f"/comments/{comment.id}/report", {"reason": "Scheldwoorden."})
    client.get("/thinktanks/")  # somewhere else first
    assert _notice(client.get(f"/ideas/{idea.id}").get_data(as_text=True), f"comment-{comment.id}") is None


def test_a_posted_comment_is_confirmed_next_to_it(client, auth, idea, member):
    auth.login(member)
    response = auth.post(f"/ideas/{idea.id}/comments", {"body": "Goed plan!"})
    anchor = response.headers["Location"].split("#notice-")[1]
    assert _notice(client.get(f"/ideas/{idea.id}").get_data(as_text=True), anchor) == "Je reactie is geplaatst."
