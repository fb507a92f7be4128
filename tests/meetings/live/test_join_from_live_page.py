"""A signed-in non-member on the live page of an open think tank's meeting joins it there, in one tap, and is
back on the live page as a participant."""
from __future__ import annotations

import pytest

from samen.thinktanks import operations as tt_ops


def _join_form(html: str, slug: str) -> bool:
    return f'action="/thinktanks/{slug}/join"' in html


@pytest.mark.parametrize('lang, label', [("nl", "Word lid van Preventie en doe mee"),
                                             ("en", "Join Preventie and take part")])
def test_a_non_member_joins_on_the_live_page_and_comes_back(client, auth, db, meeting, thinktank, user, lang,
                                                            label):
    auth.login(user)
    with client.session_transaction() as session:
        session["lang"] = lang
    live = f"/meetings/{meeting.id}/live"
    html = client.get(live).get_data(as_text=True)
    assert _join_form(html, thinktank.slug) and label in html and f'name="next" value="{live}"' in html
    answer = auth.post(f"/thinktanks/{thinktank.slug}/join", {"next": live})
    assert answer.status_code == 302 and answer.headers["Location"] == live
    assert tt_ops.membership_of(thinktank, user).is_active
    after = client.get(live).get_data(as_text=True)
    assert not _join_form(after, thinktank.slug) and 'id="idea-title"' in after


def test_a_foreign_next_goes_to_the_think_tank_page(client, auth, thinktank, user):
    auth.login(user)
    answer = auth.post(f"/thinktanks/{thinktank.slug}/join", {"next": "https://evil.example/"})
    assert answer.headers["Location"] == f"/thinktanks/{thinktank.slug}"


def test_no_join_form_for_members_visitors_or_think_tanks_that_need_approval(client, auth, db, meeting, thinktank,
                                                                             member, user):
    live = f"/meetings/{meeting.id}/live"
    assert not _join_form(client.get(live).get_data(as_text=True), thinktank.slug)  # anonymous: sign in first
    auth.login(member)
    assert not _join_form(client.get(live).get_data(as_text=True), thinktank.slug)
    auth.logout()
    thinktank.join_policy = "approval"
    db.session.commit()
    auth.login(user)
    assert not _join_form(client.get(live).get_data(as_text=True), thinktank.slug)
