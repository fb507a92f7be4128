"""The site search (samen/search): ranked, paginated, over every kind, at the benchmark's size.

`python -m bench site-search` times, one request after another (1 connection):

* `site search (ops)`: samen.search.operations.search — the query, its total and the page's hits loaded;
* `GET /search`: the whole page through Flask's test client (the viewer's session, the query, rendering with the
  words marked), without a network in between;
* `GET /api/v1/search`: the API's answer, the same way.

Viewers are anonymous or one of the seeded members (so the members-only rules are in the query), kinds and think
tanks sometimes filtered, pages 1 to 3. Target (issue #19): p95 <= 50 ms on SQLite and PostgreSQL.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from flask import Flask
from flask_login import FlaskLoginClient

from bench.queries import SEARCHES, _viewers
from bench.stats import Result, run_sequentially
from samen.accounts import operations as account_ops
from samen.accounts.models import User
from samen.core.database import db
from samen.demo.bench import bench_thinktank_slugs
from samen.search import operations as ops
from samen.thinktanks.models import ThinkTank

SEARCH_P95_MS = 50
# What people look for across the site: the idea searches, and words of actions, indicators and meetings.
SITE_SEARCHES = [*SEARCHES, "actie", "gemeente", "indicator", "bijeenkomst", "verslag", "jongeren actie"]


def _options(rng: random.Random, slugs: list[str]) -> dict[str, Any]:
    options: dict[str, Any] = {"q": rng.choice(SITE_SEARCHES), "page": rng.choice([1, 1, 1, 2, 3])}
    if rng.random() < 0.25:
        options["kind"] = [rng.choice(ops.KINDS)]
    if rng.random() < 0.25:
        options["thinktank"] = rng.choice(slugs)
    return options


def _ops_call(app: Flask, viewer_id: int | None, options: dict[str, Any]) -> Callable[[], None]:
    def call() -> None:
        with app.app_context():
            viewer = db.session.get(User, viewer_id) if viewer_id else None
            tank = db.session.query(ThinkTank).filter_by(slug=options["thinktank"]).one() \
                if "thinktank" in options else None
            page = ops.search(options["q"], viewer=viewer, kinds=options.get("kind", ()), thinktank=tank,
                              page=options["page"])
            assert page.hits or page.total == 0 or page.page > page.pages or not page.words
            db.session.remove()
    return call


def _http_call(app: Flask, clients: dict[int | None, Any], viewer_id: int | None, path: str,
               options: dict[str, Any]) -> Callable[[], None]:
    query = urlencode(options, doseq=True)

    def call() -> None:
        response = clients[viewer_id].get(f"{path}?{query}")
        assert response.status_code == 200, (response.status_code, query)
    return call


def _clients(app: Flask, viewers: list[int | None]) -> tuple[dict[int | None, Any], list[str]]:
    """A test client per viewer, each signed in with a session of its own (no password round trip); return
    them and the sessions' keys, to end them afterwards."""
    app.test_client_class = FlaskLoginClient
    clients: dict[int | None, Any] = {}
    keys = []
    with app.app_context():
        for viewer_id in viewers:
            user = db.session.get(User, viewer_id) if viewer_id else None
            if user is not None:
                keys.append(account_ops.start_session(user, user_agent="bench"))
                db.session.commit()
            clients[viewer_id] = app.test_client(user=user) if user is not None else app.test_client()
        db.session.remove()
    return clients, keys


def _end_sessions(app: Flask, keys: list[str]) -> None:
    with app.app_context():
        for key in keys:
            account_ops.end_session(key)
        db.session.commit()
        db.session.remove()


def bench_site_search(app: Flask, backend: str, *, n: int = 300, seed: int = 3) -> list[Result]:
    """Site search in-process, as a page and through the API: p95 at 1 connection."""
    with app.app_context():
        slugs = bench_thinktank_slugs()
    viewers = [None, *_viewers(app)[1:21]]
    rng = random.Random(seed)
    plan = [(rng.choice(viewers) if rng.random() < 0.5 else None, _options(rng, slugs)) for _ in range(n)]
    results = [run_sequentially(Result("site search (ops)", backend),
                                [_ops_call(app, viewer, options) for viewer, options in plan])]
    clients, keys = _clients(app, viewers)
    try:
        results.append(run_sequentially(Result("GET /search", backend),
                                        [_http_call(app, clients, viewer, "/search", options)
                                         for viewer, options in plan]))
    finally:
        _end_sessions(app, keys)
    anonymous = {None: clients[None]}
    results.append(run_sequentially(Result("GET /api/v1/search", backend),
                                    [_http_call(app, anonymous, None, "/api/v1/search", options)
                                     for _viewer, options in plan]))
    for result in results:
        result.check(p95_ms=SEARCH_P95_MS)
    return results
