"""The site search: what each person finds, filters, ranking, paging — the same on SQLite and PostgreSQL."""
from __future__ import annotations

from typing import Any

import pytest

from samen.core.errors import DomainError
from samen.ideas import operations as idea_ops
from samen.search import operations as ops

pytestmark = pytest.mark.database

PUBLIC = {("idea", "Een skatebaan bij het park"), ("idea", "Sport voor iedereen"),
          ("action", "Skatebaan aanleggen"), ("indicator", "Bezoekers skatebaan"),
          ("meeting", "Avond over de skatebaan")}
CLOSED_TANK = {("idea", "Nazorg op de skatebaan"), ("meeting", "Besloten avond skatebaan"),
               ("minutes", "Terugblik")}
INTERNAL = {("action", "Skatebaan begroten")}


def test_anonymous_visitors_find_only_what_is_public(world: Any, titles: Any) -> None:
    assert titles("skatebaan") == PUBLIC


def test_a_member_of_nothing_finds_the_same_as_a_visitor(world: Any, titles: Any) -> None:
    assert titles("skatebaan", world.outsider) == PUBLIC


def test_members_also_find_their_think_tanks_things(world: Any, titles: Any) -> None:
    assert titles("skatebaan", world.chair) == PUBLIC | INTERNAL
    assert titles("skatebaan", world.insider) == PUBLIC | CLOSED_TANK


def test_admins_find_everything(world: Any, titles: Any) -> None:
    assert titles("skatebaan", world.admin) == PUBLIC | CLOSED_TANK | INTERNAL


def test_hidden_and_waiting_ideas_are_not_found(world: Any, titles: Any, db: Any) -> None:
    idea = world.things["open idea"]
    idea_ops.withdraw_idea(idea, by=world.chair)
    db.session.commit()
    assert ("idea", idea.title) not in titles("skatebaan", world.admin)


def test_every_word_must_occur(world: Any, titles: Any) -> None:
    assert titles("skatebaan park") == {("idea", "Een skatebaan bij het park")}
    assert titles("SKATEBAAN gemeente") == {("action", "Skatebaan aanleggen")}
    assert titles("skatebaan olifant") == set()


def test_filtered_by_kind_and_think_tank(world: Any, titles: Any) -> None:
    assert titles("skatebaan", kinds=["action", "indicator"]) == {("action", "Skatebaan aanleggen"),
                                                                   ("indicator", "Bezoekers skatebaan")}
    assert titles("skatebaan", world.admin, thinktank=world.closed) == CLOSED_TANK
    # The plan's own indicators and plenaries belong to no think tank: a think tank's filter leaves them out.
    assert ("indicator", "Bezoekers skatebaan") not in titles("skatebaan", thinktank=world.open)


def test_title_hits_come_first_then_the_newest(world: Any) -> None:
    hits = ops.search("skatebaan", viewer=world.admin, per_page=50).hits
    in_title = [hit for hit in hits if "skatebaan" in hit.title.lower()]
    assert hits[:len(in_title)] == in_title
    assert hits[-1].title in {"Sport voor iedereen", "Terugblik"}  # the word only in the text


def test_pages_do_not_overlap_and_add_up(world: Any) -> None:
    everything = [(hit.kind, hit.id) for hit in ops.search("skatebaan", viewer=world.admin, per_page=50).hits]
    paged = []
    for number in (1, 2, 3, 4):
        page = ops.search("skatebaan", viewer=world.admin, page=number, per_page=3)
        assert page.total == len(everything) and page.pages == 3
        paged += [(hit.kind, hit.id) for hit in page.hits]
    assert paged == everything
    assert ops.search("skatebaan", viewer=world.admin, page=9, per_page=3).total == len(everything)


@pytest.mark.parametrize("q", ["", "   ", "*", '"', "&|!():*", "' OR 1=1 --", "%", "_", "\\"])
def test_a_query_without_words_finds_nothing_and_fails_never(world: Any, q: str) -> None:
    page = ops.search(q, viewer=world.admin)
    assert page.hits == [] and page.total == 0


@pytest.mark.parametrize("q", ["skate_baan", "skate%", "50%", "a_b", "ouders:*", "NEAR(skatebaan)"])
def test_like_wildcards_in_words_are_plain_characters(world: Any, q: str) -> None:
    ops.search(q, viewer=world.admin)  # no error; '_' and '%' do not match any character


def test_wrong_filters_are_clear_errors(world: Any) -> None:
    with pytest.raises(DomainError) as kind:
        ops.search("skatebaan", kinds=["people"])
    assert kind.value.field == "kind"
    with pytest.raises(DomainError) as page:
        ops.search("skatebaan", page="zero")
    assert page.value.field == "page"
    with pytest.raises(DomainError) as tank:
        ops.parse_thinktank("bestaat-niet")
    assert tank.value.field == "thinktank"
