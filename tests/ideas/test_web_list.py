"""The list of a think tank's ideas: cards, sorting, filters, search, pages, bad parameters, fixed queries."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask, request_started
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from samen.accounts.models import User
from samen.core.database import db as _db
from samen.ideas import operations as ops
from samen.thinktanks import operations as tt_ops
from samen.thinktanks.models import ThinkTank
from tests.conftest import PASSWORD

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both

QUICK_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")


# These two fixtures belong in tests/ideas/conftest.py; each web module repeats them until they move there.
@pytest.fixture(autouse=True)
def _like_production(app: Flask, client: FlaskClient) -> Iterator[None]:
    """Start each request with nothing cached in the session, as in production; show pages in English."""
    def forget(_sender: Flask, **_extra: Any) -> None:
        _db.session.expire_all()

    with client.session_transaction() as session:
        session["lang"] = "en"
    request_started.connect(forget, app)
    try:
        yield
    finally:
        request_started.disconnect(forget, app)


@pytest.fixture
def create_user(create_user: Callable[..., User]) -> Callable[..., User]:
    """Return the user factory, with a password hash that is quick to check: these tests sign in often."""
    def make(**fields: Any) -> User:
        user = create_user(**fields)
        user.password_hash = QUICK_HASH
        _db.session.commit()
        return user
    return make


def _titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="card__title"><a href="/ideas/\d+">([^<]+)</a>', html)


def _list(client: FlaskClient, thinktank: ThinkTank, query: str = "") -> tuple[int, str]:
    response = client.get(f"/thinktanks/{thinktank.slug}/ideas{query}")
    return response.status_code, response.get_data(as_text=True)


def test_cards_show_title_excerpt_author_status_tags_and_counts(client, thinktank, member, create_idea, db):
    tag = ops.create_tag(thinktank, "School")
    idea = create_idea(thinktank, member, title="Sportavonden",
                       body="**Elke** vrijdag in de [sporthal](https://x.nl).", tags=["school"])
    ops.add_comment(idea, author=member, body="Ik help mee.")
    db.session.commit()
    status, html = _list(client, thinktank)
    assert status == 200
    assert f'<a href="/ideas/{idea.id}">Sportavonden</a>' in html
    assert "Elke vrijdag in de sporthal." in html and "**Elke**" not in html
    assert "by a participant" in html and "Lid van de denktank" not in html  # no names in public
    assert "Status: </span>New" in html
    assert tag.name in html
    assert "0 supports" in html and "1 comment" in html
    assert "1 idea" in html


def test_anonymous_idea_shows_anonymous_participant(client, auth, thinktank, make_member, create_idea, db):
    author = make_member(thinktank, display_name="Geheime Schrijver")
    create_idea(thinktank, author, anonymous=True)
    auth.login(make_member(thinktank))
    _status, html = _list(client, thinktank)
    assert "by anonymous participant" in html
    assert "Geheime Schrijver" not in html


def test_sort_orders(client, thinktank, member, make_member, create_idea, db):
    quiet = create_idea(thinktank, member, title="Stil idee")
    popular = create_idea(thinktank, member, title="Populair idee")
    newest = create_idea(thinktank, member, title="Nieuwste idee")
    for supporter in (make_member(thinktank), make_member(thinktank)):
        ops.support_idea(popular, supporter)
    ops.support_idea(newest, member)
    for n in range(3):
        ops.add_comment(quiet, author=member, body=f"Reactie {n}")
    db.session.commit()
    assert _titles(_list(client, thinktank)[1]) == ["Populair idee", "Nieuwste idee", "Stil idee"]
    newest_first = ["Nieuwste idee", "Populair idee", "Stil idee"]
    assert _titles(_list(client, thinktank, "?sort=new")[1]) == newest_first
    assert _titles(_list(client, thinktank, "?sort=discussed")[1])[0] == "Stil idee"
    assert _titles(_list(client, thinktank, "?sort=rising")[1]) == ["Populair idee", "Nieuwste idee",
                                                                     "Stil idee"]
    html = _list(client, thinktank, "?sort=new")[1]
    assert '<option value="new" selected>Newest</option>' in html


def test_filter_by_status_and_tag_and_search(client, thinktank, member, chair, create_idea, db):
    ops.create_tag(thinktank, "Ouders")
    adopted = create_idea(thinktank, member, title="Voorlichting op school", body="Met ervaringsdeskundigen.")
    create_idea(thinktank, member, title="Ouderavond over drugs", tags=["ouders"])
    create_idea(thinktank, member, title="Sportavonden")
    ops.decide(adopted, by=chair, status="adopted", answer="We doen het.")
    db.session.commit()
    assert _titles(_list(client, thinktank, "?status=adopted")[1]) == ["Voorlichting op school"]
    assert _titles(_list(client, thinktank, "?tag=ouders")[1]) == ["Ouderavond over drugs"]
    assert _titles(_list(client, thinktank, "?q=ervaringsdeskundige")[1]) == ["Voorlichting op school"]
    status, html = _list(client, thinktank, "?q=onvindbaar")
    assert status == 200 and "No ideas match your search." in html
    assert _titles(_list(client, thinktank, "?tag=bestaat-niet")[1]) == []


def test_withdrawn_and_hidden_ideas_are_not_listed(client, thinktank, member, chair, create_idea, db):
    gone = create_idea(thinktank, member, title="Ingetrokken idee")
    hidden = create_idea(thinktank, member, title="Verborgen idee")
    create_idea(thinktank, member, title="Zichtbaar idee")
    ops.withdraw_idea(gone, by=member)
    ops.hide(hidden, by=chair, reason="Persoonlijke gegevens")
    db.session.commit()
    assert _titles(_list(client, thinktank)[1]) == ["Zichtbaar idee"]


def test_pages_keep_the_filters(client, thinktank, member, create_idea):
    for n in range(ops.PER_PAGE + 3):
        create_idea(thinktank, member, title=f"Idee {n:02d}")
    status, html = _list(client, thinktank, "?sort=new&page=2")
    assert status == 200
    assert _titles(html) == ["Idee 02", "Idee 01", "Idee 00"]
    assert "Page 2 of 2" in html
    assert f'href="/thinktanks/{thinktank.slug}/ideas?page=1&amp;sort=new"' in html
    status, html = _list(client, thinktank, "?page=9")
    assert status == 200 and "There are no ideas on this page." in html


@pytest.mark.parametrize("query, message", [
    ("?sort=password_hash", "Unknown sort order. Choose one of: support, new, discussed, rising."),
    ("?page=abc", "The page must be a whole number."),
    ("?page=0", "The page must be between 1 and 10000."),
    ("?status=bogus", "Unknown status. Choose one of:"),
    ("?q=" + "x" * 201, "Use at most 200 characters."),
])
def test_bad_parameters_show_the_list_page_with_a_clear_error(client, thinktank, member, idea, query,
                                                              message):
    status, html = _list(client, thinktank, query)
    assert status == 400
    assert message in html
    assert 'role="alert"' in html and "Find ideas" in html  # the filter form stays, to fix the mistake
    assert "password_hash" not in html.replace("?sort=password_hash", "")


def test_members_see_their_supports_and_the_limit(client, auth, thinktank, member, create_idea, db):
    thinktank.support_limit = 3
    supported = create_idea(thinktank, member, title="Gesteund idee")
    other = create_idea(thinktank, member, title="Ander idee")
    ops.support_idea(supported, member)
    db.session.commit()
    auth.login(member)
    html = _list(client, thinktank)[1]
    assert "You have used 1 of 3 supports in this think tank." in html
    supported_card = html.split(f'id="idea-{supported.id}"')[1].split("</li>")[0]
    other_card = html.split(f'id="idea-{other.id}"')[1].split("</li>")[0]
    assert "You support this idea" in supported_card and f"/ideas/{supported.id}/unsupport" in supported_card
    assert "You support this idea" not in other_card and f"/ideas/{other.id}/support" in other_card
    assert f'name="next" value="/thinktanks/{thinktank.slug}/ideas#idea-{other.id}"' in other_card
    assert "Post an idea" in html


def test_visitors_are_invited_to_take_part(client, auth, thinktank, user, idea):
    html = _list(client, thinktank)[1]
    assert "Sign in to post and support ideas." in html and "/support" not in html
    auth.login(user)
    html = _list(client, thinktank)[1]
    assert "Join this think tank to post and support ideas." in html and "/support" not in html


def test_archived_think_tank_lists_read_only(client, auth, thinktank, member, idea, db):
    tt_ops.archive_thinktank(thinktank)
    db.session.commit()
    auth.login(member)
    status, html = _list(client, thinktank)
    assert status == 200 and "This think tank is archived" in html
    assert "Post an idea" not in html and "/support" not in html


def test_think_tank_page_links_to_its_ideas(client, thinktank, member, create_idea):
    create_idea(thinktank, member)
    create_idea(thinktank, member, title="Tweede idee")
    html = client.get(f"/thinktanks/{thinktank.slug}").get_data(as_text=True)
    assert f'href="/thinktanks/{thinktank.slug}/ideas">Ideas (2)</a>' in html


def _add_ideas(thinktank_id: int, viewer_id: int, n: int, start: int, create_user: Any) -> None:
    """Add n ideas, each with a tag, its own author, the support of the viewer and the author, a comment."""
    thinktank = _db.session.get(ThinkTank, thinktank_id)
    viewer = _db.session.get(User, viewer_id)
    tag = ops.tags_for(thinktank)[0]
    for i in range(start, start + n):
        author = create_user(display_name=f"Auteur {i}")
        tt_ops.join_thinktank(thinktank, author)
        idea = ops.create_idea(thinktank, author=author, title=f"Idee {i}", body=f"Tekst {i}",
                               tags=[tag.slug], anonymous=i % 3 == 0)
        ops.support_idea(idea, viewer)
        ops.support_idea(idea, author)
        ops.add_comment(idea, author=author, body="Reactie")
    _db.session.commit()


def _count(client: FlaskClient, count_queries: Any, path: str) -> list[str]:
    assert client.get(path).status_code == 200  # warm up
    _db.session.expunge_all()  # objects the test made must not spare a lazy load
    with count_queries() as statements:
        assert client.get(path).status_code == 200
    return statements


def test_list_runs_a_fixed_number_of_queries(client, auth, count_queries, thinktank, member, create_user, db):
    ops.create_tag(thinktank, "School")
    db.session.commit()
    tt_id, member_id, path = thinktank.id, member.id, f"/thinktanks/{thinktank.slug}/ideas?tag=school"
    auth.login(member)
    _add_ideas(tt_id, member_id, 3, 0, create_user)
    small = _count(client, count_queries, path)
    _add_ideas(tt_id, member_id, 27, 3, create_user)
    large = _count(client, count_queries, path)
    assert len(small) == len(large), large
    assert len(large) <= 10, large
