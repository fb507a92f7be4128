"""Rate limits on posting (ideas and comments together), supporting and reporting, per member.

A refused request gets the 429 page in the page's language, and nothing is stored.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from samen.ideas.models import Comment, Idea, Report
from tests.conftest import Auth


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _post_idea(auth: Auth, thinktank, title: str, **extra):
    return auth.post(f"/thinktanks/{thinktank.slug}/ideas/new", {"title": title, "body": "Tekst.", **extra})


def _comment(auth: Auth, idea, body: str = "Goed plan."):
    return auth.post(f"/ideas/{idea.id}/comments", {"body": body})


@pytest.mark.parametrize("lang, title, detail", [
    ("nl", "Te veel verzoeken", "Wacht even"),
    ("en", "Too many requests", "Please wait a moment and try again."),
])
def test_posting_ideas_is_limited_and_the_refusal_is_a_page_in_the_language(client, auth, thinktank, member, db,
                                                                            rate_limited, lang, title, detail):
    rate_limited(POST_RATE_LIMIT="2 per minute")
    auth.login(member)
    with client.session_transaction() as session:
        session["lang"] = lang
    assert [_post_idea(auth, thinktank, f"Idee {n}").status_code for n in range(2)] == [302, 302]
    refused = _post_idea(auth, thinktank, "Idee 3")
    assert refused.status_code == 429
    assert refused.mimetype == "text/html"
    html = refused.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html and title in html and detail in html
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.headers["Cache-Control"] == "no-store"
    assert _count(db, Idea) == 2
    assert client.get(f"/thinktanks/{thinktank.slug}/ideas/new").status_code == 200  # reading is not limited


def test_a_preview_does_not_count(client, auth, thinktank, member, db, rate_limited):
    rate_limited(POST_RATE_LIMIT="1 per minute")
    auth.login(member)
    for _ in range(3):
        assert _post_idea(auth, thinktank, "Nog een concept", preview="Preview").status_code == 200
    assert _post_idea(auth, thinktank, "Eindelijk geplaatst").status_code == 302


def test_ideas_and_comments_share_the_posting_limit(client, auth, thinktank, member, idea, db, rate_limited):
    rate_limited(POST_RATE_LIMIT="2 per minute")
    auth.login(member)
    assert _post_idea(auth, thinktank, "Een idee").status_code == 302
    assert _comment(auth, idea).status_code == 302
    assert _comment(auth, idea, "Nog een reactie.").status_code == 429
    assert _count(db, Comment) == 1


def test_the_limit_is_per_member(client, new_auth, auth, thinktank, member, make_member, db, rate_limited):
    rate_limited(POST_RATE_LIMIT="1 per minute")
    auth.login(member)
    assert _post_idea(auth, thinktank, "Van het eerste lid").status_code == 302
    assert _post_idea(auth, thinktank, "Nog een van het eerste lid").status_code == 429
    other = new_auth()
    other.login(make_member(thinktank))
    assert _post_idea(other, thinktank, "Van het tweede lid, vanaf hetzelfde adres").status_code == 302


def test_supporting_is_limited(client, auth, thinktank, member, create_idea, chair, db, rate_limited):
    rate_limited(SUPPORT_RATE_LIMIT="3 per minute")
    ideas = [create_idea(thinktank, chair, title=f"Idee {n}") for n in range(3)]
    auth.login(member)
    statuses = [auth.post(f"/ideas/{ideas[0].id}/support").status_code,
                auth.post(f"/ideas/{ideas[0].id}/unsupport").status_code,
                auth.post(f"/ideas/{ideas[1].id}/support").status_code,
                auth.post(f"/ideas/{ideas[2].id}/support").status_code]
    assert statuses == [302, 302, 302, 429]
    db.session.expire_all()
    assert db.session.get(Idea, ideas[2].id).support_count == 0


def test_reporting_is_limited(client, auth, thinktank, member, idea, chair, db, rate_limited):
    rate_limited(REPORT_RATE_LIMIT="1 per hour")
    auth.login(member)
    assert auth.post(f"/ideas/{idea.id}/report", {"reason": "Klopt niet."}).status_code == 302
    assert auth.post(f"/ideas/{idea.id}/report", {"reason": "Nog steeds niet."}).status_code == 429
    assert _count(db, Report) == 1


def test_an_anonymous_post_is_sent_to_sign_in_and_not_counted(client, auth, thinktank, member, idea, db,
                                                              rate_limited):
    rate_limited(POST_RATE_LIMIT="1 per minute")
    for _ in range(3):
        response = _comment(auth, idea)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    auth.login(member)
    assert _comment(auth, idea).status_code == 302


@pytest.fixture
def new_auth(app, csrf_token):
    """Return a factory for sign-in helpers of other browsers."""
    return lambda: Auth(app.test_client(), csrf_token)
