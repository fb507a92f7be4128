"""The pages run a fixed number of SQL queries, whether there are 2 or 30 think tanks or members."""
from __future__ import annotations

import pytest

from samen.core.database import db
from samen.thinktanks import operations as tt_ops

pytestmark = pytest.mark.database  # what can differ between SQLite and PostgreSQL: runs on both

SMALL, LARGE = 2, 30
# The point is that the count does not grow; the ceiling only catches a page that got far heavier (other
# features, such as the ideas link on the think tank's page, add a query of their own).
CEILING = 11  # 10, and whether you follow the think tank (samen/follows)


def _queries(client, count_queries, path: str) -> list[str]:
    """Return the statements one GET of the page runs, starting from an empty identity map."""
    assert client.get(path).status_code == 200  # warm up: a first request may differ, e.g. a fresh CSRF token
    db.session.expunge_all()  # objects the test created must not hide a lazy load
    with count_queries() as statements:
        response = client.get(path)
    assert response.status_code == 200
    return statements


def _add_thinktanks(create_thinktank, create_user, n: int, start: int) -> None:
    for i in range(start, start + n):
        thinktank = create_thinktank(slug=f"denktank-n{i}", name=f"Denktank {i}", theme="Thema",
                                     join_policy="approval" if i % 2 else "open")
        tt_ops.appoint_chair(thinktank, create_user())
        if i % 3 == 0:
            tt_ops.archive_thinktank(thinktank)
    db.session.commit()


def _add_members(thinktank, create_user, n: int, *, chairs: bool = True) -> None:
    for i in range(n):
        member = create_user(kind="professional", organisation=f"Organisatie {i}") if i % 2 else create_user()
        if chairs and i % 5 == 0:
            tt_ops.appoint_chair(thinktank, member)
        else:
            membership = tt_ops.join_thinktank(thinktank, member)
            if i % 7 == 0:
                membership.status = "pending"
    db.session.commit()


def test_home_page_and_list_do_not_grow_with_the_think_tanks(client, auth, count_queries, create_thinktank,
                                                              create_user, user):
    auth.login(user)
    _add_thinktanks(create_thinktank, create_user, SMALL, 0)
    small = {path: _queries(client, count_queries, path) for path in ("/", "/thinktanks/")}
    _add_thinktanks(create_thinktank, create_user, LARGE - SMALL, SMALL)
    large = {path: _queries(client, count_queries, path) for path in ("/", "/thinktanks/")}
    for path in small:
        assert len(small[path]) == len(large[path]), (path, large[path])
        assert len(large[path]) <= CEILING, large[path]


def test_think_tank_page_does_not_grow_with_the_members(client, auth, count_queries, create_user, thinktank,
                                                        admin):
    auth.login(admin)  # an admin sees the most: the edit link, the requests waiting
    path = f"/thinktanks/{thinktank.slug}"
    _add_members(thinktank, create_user, SMALL)
    small = _queries(client, count_queries, path)
    _add_members(thinktank, create_user, LARGE - SMALL)
    large = _queries(client, count_queries, path)
    assert len(small) == len(large), large
    assert len(large) <= CEILING, large


def test_members_page_does_not_grow_with_the_members(client, auth, count_queries, create_user, thinktank):
    chair = create_user(display_name="Voorzitter")
    tt_ops.appoint_chair(thinktank, chair)
    db.session.commit()
    auth.login(chair)  # a chair sees the most: the members and the requests
    path = f"/thinktanks/{thinktank.slug}/members"
    _add_members(thinktank, create_user, SMALL)
    small = _queries(client, count_queries, path)
    _add_members(thinktank, create_user, LARGE - SMALL)
    large = _queries(client, count_queries, path)
    assert len(small) == len(large), large
    assert len(large) <= CEILING, large


def test_anonymous_pages_do_not_grow_either(client, count_queries, create_user, create_thinktank, thinktank):
    _add_members(thinktank, create_user, SMALL)
    _add_thinktanks(create_thinktank, create_user, SMALL, 100)
    paths = ("/", "/thinktanks/", f"/thinktanks/{thinktank.slug}")
    small = {path: len(_queries(client, count_queries, path)) for path in paths}
    _add_members(thinktank, create_user, LARGE - SMALL)
    _add_thinktanks(create_thinktank, create_user, LARGE - SMALL, 200)
    large = {path: len(_queries(client, count_queries, path)) for path in paths}
    assert small == large
