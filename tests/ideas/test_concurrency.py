"""Supporting under real concurrency: threads that each commit on their own connection, on SQLite and
PostgreSQL.

These tests cannot use the rolled-back `db` fixture (one pinned connection): every test gets an app with a
database of its own, migrated to head, and threads that start together at a barrier.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from samen import create_app
from samen.accounts import operations as account_ops
from samen.accounts.models import User
from samen.core.database import _sqlite_write_locks, db
from samen.core.errors import Conflict
from samen.ideas import operations as ops
from samen.ideas.models import Idea, Support
from samen.thinktanks import operations as tt_ops
from samen.thinktanks.models import ThinkTank
from tests.conftest import PASSWORD, THREAD_TIMEOUT, make_config

pytestmark = pytest.mark.integration  # real servers, threads or whole databases: make test-fast leaves it out

def _setup(app: Flask, *, members: int, ideas: int, support_limit: int | None = None) -> tuple[int, list[int],
                                                                                               list[int]]:
    """Create a think tank with members and ideas; return the ids of the think tank, members and ideas."""
    with app.app_context():
        thinktank = tt_ops.create_thinktank({"slug": "preventie", "name": "Preventie"})
        thinktank.support_limit = support_limit
        users = []
        for n in range(members):
            user = account_ops.create_user(email=f"lid{n}@example.org", display_name=f"Lid {n}",
                                           password_hash="!unusable")
            tt_ops.join_thinktank(thinktank, user)
            users.append(user)
        author = users[0]
        made = [ops.create_idea(thinktank, author=author, title=f"Idee nummer {n}") for n in range(ideas)]
        db.session.commit()
        return thinktank.id, [user.id for user in users], [idea.id for idea in made]


def _in_parallel(app: Flask, jobs: list[tuple[int, int]],
                 work: Callable[[Idea, User], Any]) -> list[Any]:
    """Run work(idea, user) for every (idea id, user id) in its own thread and app context, all released at
    once by a barrier, each committing; return each result or the exception it raised."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int, idea_id: int, user_id: int) -> None:
        with app.app_context():
            try:
                idea = db.session.get(Idea, idea_id)
                user = db.session.get(User, user_id)
                db.session.commit()  # give the connection back: 50 waiting threads must not hold the pool
                barrier.wait(timeout=THREAD_TIMEOUT)
                results[index] = work(idea, user)
                db.session.commit()
            except BaseException as error:  # noqa: BLE001 - reported to the test, which fails on the unexpected
                db.session.rollback()
                results[index] = error

    threads = [threading.Thread(target=run, args=(index, *job), daemon=True)
               for index, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=THREAD_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread hangs: deadlock?"
    unexpected = [r for r in results if isinstance(r, BaseException) and not isinstance(r, Conflict)]
    assert not unexpected, f"{len(unexpected)} of {len(jobs)} threads failed, e.g. {unexpected[0]!r}"
    # Every writer, also one refused and rolled back, handed SQLite's write turn on (core.database).
    assert not any(lock.locked() for lock in _sqlite_write_locks.values())
    return results


def _counts(app: Flask, idea_ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    """Return, per idea, its support_count and its number of support rows (read in a new session)."""
    with app.app_context():
        counters = dict(db.session.execute(select(Idea.id, Idea.support_count)
                                           .where(Idea.id.in_(idea_ids))).all())
        rows = dict(db.session.execute(select(Support.idea_id, func.count())
                                       .where(Support.idea_id.in_(idea_ids)).group_by(Support.idea_id)).all())
        return counters, {idea_id: rows.get(idea_id, 0) for idea_id in idea_ids}


def test_fifty_members_support_one_idea_at_once(live_app: Flask) -> None:
    _, members, (idea_id,) = _setup(live_app, members=50, ideas=1)
    results = _in_parallel(live_app, [(idea_id, user_id) for user_id in members], ops.support_idea)
    assert results == [True] * 50
    assert _counts(live_app, [idea_id]) == ({idea_id: 50}, {idea_id: 50})


def test_one_member_supporting_twenty_times_at_once_counts_once(live_app: Flask) -> None:
    _, (user_id,), (idea_id,) = _setup(live_app, members=1, ideas=1)
    results = _in_parallel(live_app, [(idea_id, user_id)] * 20, ops.support_idea)
    assert sorted(results) == [False] * 19 + [True]
    assert _counts(live_app, [idea_id]) == ({idea_id: 1}, {idea_id: 1})


def test_support_limit_holds_under_parallel_supports(live_app: Flask) -> None:
    _, (user_id,), idea_ids = _setup(live_app, members=1, ideas=20, support_limit=5)
    results = _in_parallel(live_app, [(idea_id, user_id) for idea_id in idea_ids], ops.support_idea)
    assert results.count(True) == 5
    refused = [r for r in results if r is not True]
    assert len(refused) == 15 and all(isinstance(r, Conflict) and r.code == "support_limit" for r in refused)
    counters, rows = _counts(live_app, idea_ids)
    assert sum(rows.values()) == 5 and counters == rows
    supported = {idea_id for idea_id, result in zip(idea_ids, results, strict=True) if result is True}
    assert {idea_id for idea_id, n in rows.items() if n} == supported


def test_parallel_support_and_withdraw_keep_the_counter_right(live_app: Flask) -> None:
    _, members, (idea_id,) = _setup(live_app, members=30, ideas=1)
    _in_parallel(live_app, [(idea_id, user_id) for user_id in members[:20]], ops.support_idea)
    # 20 members withdraw (each twice) while 10 others support: 10 remain, the counter never goes negative.
    jobs = [(idea_id, user_id) for user_id in members[:20] * 2]

    def withdraw_or_support(idea: Idea, user: User) -> bool:
        return (ops.withdraw_support if user.id in members[:20] else ops.support_idea)(idea, user)

    jobs += [(idea_id, user_id) for user_id in members[20:]]
    results = _in_parallel(live_app, jobs, withdraw_or_support)
    assert results.count(True) == 20 + 10
    assert _counts(live_app, [idea_id]) == ({idea_id: 10}, {idea_id: 10})



def test_parallel_supports_over_http(live_app: Flask) -> None:
    """The web route too: signed-in members' POSTs at the same moment, each its own request and commit."""
    _, members, (idea_id,) = _setup(live_app, members=21, ideas=1)
    # The same database, served by an app without CSRF tokens (this test is about the commits, not the forms).
    web = create_app(make_config(live_app.config["DATABASE_URL"], WTF_CSRF_ENABLED=False))
    with web.app_context():
        password_hash = account_ops.hash_password(PASSWORD)
        for user in db.session.scalars(select(User).where(User.id.in_(members))):
            user.password_hash = password_hash
        db.session.commit()
        emails = {row.id: row.email
                  for row in db.session.execute(select(User.id, User.email).where(User.id.in_(members)))}
    # 20 members once each, and the 21st member ten times (ten signed-in tabs, one double click each).
    clients = [(web.test_client(), emails[user_id]) for user_id in members[:20] + [members[20]] * 10]
    for client, email in clients:
        assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def post(client: Any) -> None:
        barrier.wait(timeout=THREAD_TIMEOUT)
        statuses.append(client.post(f"/ideas/{idea_id}/support").status_code)

    threads = [threading.Thread(target=post, args=(client,), daemon=True) for client, _ in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=THREAD_TIMEOUT)
    web.extensions["samen_db"]["engine"].dispose()
    assert statuses == [302] * len(clients)
    assert _counts(live_app, [idea_id]) == ({idea_id: 21}, {idea_id: 21})


def test_bench_seed_writes_consistent_data(live_app: Flask) -> None:
    """`flask bench seed` (which commits in bulk, so it needs a database of its own like the tests above)."""
    from samen.demo.bench import bench_cli
    from samen.ideas.models import Comment
    from samen.thinktanks.models import Membership

    live_app.cli.add_command(bench_cli)
    runner = live_app.test_cli_runner()
    args = ["bench", "seed", "--ideas", "300", "--supports", "2000", "--comments", "500", "--thinktanks", "2",
            "--members", "60"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    with live_app.app_context():
        def count(*columns: Any, where: Any = True) -> int:
            return db.session.scalar(select(func.count()).select_from(*columns).where(where))

        assert (count(Idea), count(Support), count(Comment)) == (300, 2000, 500)
        supports = select(func.count()).where(Support.idea_id == Idea.id).scalar_subquery()
        shown = select(func.count()).where(Comment.idea_id == Idea.id, Comment.deleted_at.is_(None),
                                           Comment.hidden_at.is_(None)).scalar_subquery()
        assert count(Idea, where=(Idea.support_count != supports) | (Idea.comment_count != shown)) == 0
        member = select(Membership.id).where(Membership.user_id == Support.user_id,
                                             Membership.thinktank_id == Support.thinktank_id).exists()
        assert count(Support, where=~member) == 0
        assert max(db.session.scalars(select(Idea.support_count))) > 3 * 2000 / 300  # some are popular
        # Written past the model: the seed makes the excerpt the model would derive from the body.
        from samen.core.markdown import markdown_to_text
        from samen.ideas.models import EXCERPT_LENGTH
        for body, excerpt in db.session.execute(select(Idea.body, Idea.excerpt).limit(20)):
            assert excerpt and excerpt == markdown_to_text(body, EXCERPT_LENGTH)
        thinktank = db.session.scalar(select(ThinkTank).order_by(ThinkTank.id))
        assert ops.list_ideas(thinktank, q="jongeren").total > 0
        # The seed chose the ids: new rows must still get fresh ones (PostgreSQL's sequences were moved).
        author = db.session.scalar(select(User).join(Membership, Membership.user_id == User.id)
                                   .where(Membership.thinktank_id == thinktank.id).limit(1))
        assert ops.create_idea(thinktank, author=author, title="Na het zaaien").id > 300
        db.session.commit()

    again = runner.invoke(args=args)
    assert again.exit_code != 0 and "--replace" in again.output
    replaced = runner.invoke(args=[*args, "--replace"])
    assert replaced.exit_code == 0, replaced.output
    with live_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Idea)) == 300  # the extra idea went too
