"""The plain-text excerpt stored with each idea for the list's cards: made whenever the body is set, right after
every edit, escaped where shown, and never shown for an idea the list leaves out."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from samen import create_app
from samen.accounts import operations as account_ops
from samen.core import migrate
from samen.core.database import db as _db
from samen.core.errors import DomainError
from samen.core.markdown import markdown_to_text
from samen.ideas import operations as ops
from samen.ideas.models import EXCERPT_LENGTH, Idea
from tests.conftest import make_config

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both


def _list(client, thinktank, query: str = "") -> str:
    response = client.get(f"/thinktanks/{thinktank.slug}/ideas{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _card(html: str, idea: Idea) -> str:
    return html.split(f'id="idea-{idea.id}"')[1].split("</li>")[0]


def test_posting_stores_the_start_of_the_body_as_plain_text(thinktank, member, create_idea):
    idea = create_idea(thinktank, member, body="**Elke** vrijdag in de [sporthal](https://x.nl).\n\n- één\n- twee")
    assert idea.excerpt == "Elke vrijdag in de sporthal. één twee"
    assert create_idea(thinktank, member, body="").excerpt == ""


def test_a_long_body_is_cut_at_a_word(thinktank, member, create_idea):
    idea = create_idea(thinktank, member, body="woord " * 2000)
    assert len(idea.excerpt) <= EXCERPT_LENGTH + 1 and idea.excerpt.endswith("woord…")
    assert idea.excerpt == markdown_to_text(idea.body, EXCERPT_LENGTH)


def test_an_idea_made_without_the_operations_gets_its_excerpt_too(thinktank, member, db):
    # The live meeting board makes ideas directly; every way of setting the body keeps the excerpt.
    idea = Idea(thinktank_id=thinktank.id, author_id=member.id, title="Direct", body="*Direct* gemaakt")
    db.session.add(idea)
    db.session.commit()
    assert db.session.scalar(text("SELECT excerpt FROM ideas WHERE id = :id"), {"id": idea.id}) == "Direct gemaakt"


def test_editing_changes_the_excerpt_on_the_list(client, thinktank, member, create_idea, db):
    idea = create_idea(thinktank, member, title="Titel", body="Eerste tekst over *sport*.")
    assert "Eerste tekst over sport." in _card(_list(client, thinktank), idea)
    ops.edit_idea(idea, by=member, body="Tweede tekst over **muziek**.")
    db.session.commit()
    card = _card(_list(client, thinktank), idea)
    assert "Tweede tekst over muziek." in card and "Eerste tekst" not in card
    ops.edit_idea(idea, by=member, title="Andere titel")  # only the title: the excerpt stays
    db.session.commit()
    assert "Tweede tekst over muziek." in _card(_list(client, thinktank), idea)
    ops.edit_idea(idea, by=member, body="")
    db.session.commit()
    assert "<p>Tweede" not in _card(_list(client, thinktank), idea)


def test_editing_through_the_form_and_the_api_changes_the_excerpt(client, auth, thinktank, member, create_idea,
                                                                  db):
    idea = create_idea(thinktank, member, title="Titel", body="Oude tekst")
    auth.login(member)
    response = auth.post(f"/ideas/{idea.id}/edit", {"title": "Titel", "body": "Tekst uit het *formulier*"})
    assert response.status_code == 302
    assert "Tekst uit het formulier" in _card(_list(client, thinktank), idea)
    token = account_ops.create_api_token(member)
    db.session.commit()
    response = client.patch(f"/api/v1/ideas/{idea.id}", headers={"Authorization": f"Bearer {token}"},
                            json={"body": "Tekst uit de **API**"})
    assert response.status_code == 200
    card = _card(_list(client, thinktank), idea)
    assert "Tekst uit de API" in card and "formulier" not in card


def test_a_failed_edit_leaves_the_excerpt(thinktank, member, create_idea, db):
    idea = create_idea(thinktank, member, body="Blijft staan")
    with pytest.raises(DomainError):
        ops.edit_idea(idea, by=member, body="x" * (ops.BODY_MAX + 1))
    db.session.rollback()
    assert db.session.get(Idea, idea.id).excerpt == "Blijft staan"


def test_the_excerpt_is_text_escaped_on_the_page(client, thinktank, member, create_idea):
    idea = create_idea(thinktank, member, body='Tom & Jerry <b onclick="x()">vet</b> <script>alert(1)</script>')
    card = _card(_list(client, thinktank), idea)
    assert "Tom &amp; Jerry vet" in card
    assert "<script" not in card and "onclick" not in card and "<b" not in card


@pytest.mark.parametrize("how", ["hidden", "withdrawn"])
def test_the_excerpt_of_an_idea_left_out_of_the_list_is_never_shown(client, thinktank, member, chair,
                                                                    create_idea, db, how):
    create_idea(thinktank, member, title="Zichtbaar", body="Openbare tekst")
    gone = create_idea(thinktank, member, title="Weg", body="Geheimtekst met adresgegevens")
    if how == "hidden":
        ops.hide(gone, by=chair, reason="Persoonsgegevens")
    else:
        ops.withdraw_idea(gone, by=member)
    db.session.commit()
    for query in ("", "?q=Geheimtekst", "?sort=new", "?sort=rising", "?sort=discussed"):
        html = _list(client, thinktank, query)
        assert "adresgegevens" not in html and f'id="idea-{gone.id}"' not in html, query
        assert "Openbare tekst" in html or query.startswith("?q=")
    for query in ("", "?q=Geheimtekst"):
        body = client.get(f"/api/v1/thinktanks/{thinktank.slug}/ideas{query}").get_data(as_text=True)
        assert "adresgegevens" not in body and "excerpt" not in body


def test_a_hidden_idea_in_the_api_shows_no_excerpt(client, thinktank, member, chair, create_idea, db):
    idea = create_idea(thinktank, member, body="Geheimtekst")
    ops.hide(idea, by=chair, reason="Persoonsgegevens")
    db.session.commit()
    body = client.get(f"/api/v1/ideas/{idea.id}").get_data(as_text=True)
    assert "Geheimtekst" not in body


def test_the_migration_fills_the_excerpts_of_existing_ideas(tmp_path: Path):
    application = create_app(make_config(f"sqlite:///{tmp_path / 'excerpts.db'}"))
    with application.app_context():
        migrate.upgrade("20261203_0820")
        bodies = {1: "**Vet** en [link](https://x.nl)", 2: "", 3: "woord " * 500, 4: "<script>x</script>"}
        with _db.engine.begin() as connection:
            connection.execute(text("INSERT INTO thinktanks (id, slug, name, created_at) "
                                    "VALUES (1, 'tt', 'Denktank', '2026-01-01')"))
            for idea_id, body in bodies.items():
                connection.execute(text("INSERT INTO ideas (id, thinktank_id, title, body, created_at, updated_at) "
                                        "VALUES (:id, 1, 'Titel', :body, '2026-01-01', '2026-01-01')"),
                                   {"id": idea_id, "body": body})
            connection.execute(text("ANALYZE"))
        migrate.upgrade()
        with _db.engine.connect() as connection:
            stored = dict(connection.execute(text("SELECT id, excerpt FROM ideas")).all())
            # The rebuilt index gets statistics like the others, or the planner would prefer it blindly.
            assert connection.execute(text("SELECT count(*) FROM sqlite_stat1 "
                                           "WHERE idx = 'ix_ideas_visible_support'")).scalar() == 1
        assert stored == {idea_id: markdown_to_text(body, EXCERPT_LENGTH) for idea_id, body in bodies.items()}
        assert stored[1] == "Vet en link" and stored[2] == "" and stored[4] == ""
        migrate.downgrade("20261203_0820")
        with _db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM ideas")).scalar() == 4
        _db.engine.dispose()


def test_the_migration_makes_no_statistics_where_there_were_none(tmp_path: Path):
    application = create_app(make_config(f"sqlite:///{tmp_path / 'plain.db'}"))
    with application.app_context():
        migrate.upgrade()
        with _db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
                                      ).scalar() == 0
        _db.engine.dispose()
