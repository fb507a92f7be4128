"""The idea list and search through the operations, in the benchmark process: a request's cost without HTTP.

Each call is one request's database work: a fresh app context and session, the think tank by slug, one page of
ideas (with the viewer's supports when signed in), and the session removed again.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlalchemy import select

from bench.stats import Result, run_sequentially
from samen.accounts.models import User
from samen.core.database import db
from samen.demo.bench import EMAIL_DOMAIN, bench_thinktank_slugs
from samen.ideas import operations as ops
from samen.thinktanks import operations as tt_ops

LIST_P95_MS = 30
SEARCH_P95_MS = 50

# What people search for: common words, prefixes as they type, two words, rare words, diacritics, no match.
SEARCHES = ["jongeren", "ouders", "voorlichting", "jong", "voorl", "sportav", "ouders school",
            "jongeren drugs", "lachgas", "podcast", "reünie", "reunie", "geindiceerde",
            "geïndiceerde preventie", "coördinator", "café", "ideeën", "moestuin park", "wijkagenten alcohol",
            "xylofoon", "een", "de jongeren",
            '"ouders" OR school*', "NEAR(drugs alcohol)", "!(lachgas & vapen):*"]


def _call(app: Flask, slug: str, viewer_id: int | None, **options: Any) -> Callable[[], None]:
    def call() -> None:
        with app.app_context():
            viewer = db.session.get(User, viewer_id) if viewer_id else None
            thinktank = tt_ops.get_thinktank(slug)
            page = ops.list_ideas(thinktank, viewer=viewer, **options)
            assert page.ideas or page.total == 0 or options.get("page", 1) > page.pages
    return call


def _viewers(app: Flask) -> list[int | None]:
    with app.app_context():
        members = list(db.session.scalars(select(User.id).where(User.email.endswith("@" + EMAIL_DOMAIN))
                                          .order_by(User.id).limit(200)))
    return [None, *members]


def list_calls(app: Flask, rng: random.Random, n: int, **options: Any) -> list[Callable[[], None]]:
    """Return n idea-list requests: every sort, mostly the first pages, sometimes a deep one."""
    with app.app_context():
        slugs = bench_thinktank_slugs()
    viewers = _viewers(app)
    calls = []
    for _ in range(n):
        page = rng.choice([1, 1, 1, 1, 2, 2, 3, 5, 10, 50])
        viewer = rng.choice(viewers) if rng.random() < 0.5 else None
        calls.append(_call(app, rng.choice(slugs), viewer, sort=rng.choice(ops.SORTS), page=page, **options))
    return calls


def search_calls(app: Flask, rng: random.Random, n: int) -> list[Callable[[], None]]:
    """Return n search requests: the queries above in every sort, first page mostly."""
    with app.app_context():
        slugs = bench_thinktank_slugs()
    viewers = _viewers(app)
    return [_call(app, rng.choice(slugs), rng.choice(viewers) if rng.random() < 0.5 else None,
                  q=rng.choice(SEARCHES), sort=rng.choice(ops.SORTS), page=rng.choice([1, 1, 1, 2]))
            for _ in range(n)]


def bench_list(app: Flask, backend: str, *, n: int = 400, seed: int = 1) -> Result:
    """Idea list, through ops.list_ideas."""
    result = run_sequentially(Result("list (ops)", backend), list_calls(app, random.Random(seed), n))
    result.check(p95_ms=LIST_P95_MS)
    return result


def bench_search(app: Flask, backend: str, *, n: int = 400, seed: int = 2) -> Result:
    """Search, through ops.list_ideas with q."""
    result = run_sequentially(Result("search (ops)", backend), search_calls(app, random.Random(seed), n))
    result.check(p95_ms=SEARCH_P95_MS)
    return result


def breakdown(app: Flask, backend: str, *, repeat: int = 15) -> list[Result]:
    """Time each sort and each search query on its own: where the slow ones are."""
    with app.app_context():
        slug = bench_thinktank_slugs()[0]
    results = []
    for sort in ops.SORTS:
        calls = [_call(app, slug, None, sort=sort)] * repeat
        results.append(run_sequentially(Result(f"  sort={sort}", backend), calls, warmup=2))
    result = run_sequentially(Result("  sort=support page=50", backend),
                              [_call(app, slug, None, sort="support", page=50)] * repeat, warmup=2)
    results.append(result)
    for q in SEARCHES:
        calls = [_call(app, slug, None, q=q)] * repeat
        results.append(run_sequentially(Result(f"  q={q[:19]}", backend), calls, warmup=2))
    return results
