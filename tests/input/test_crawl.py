"""Crawl the site as an admin who chairs every think tank, over the demo plan: every page it links to answers
without a server error, also with hostile query strings and ids, and every form it offers refuses hostile values
without a server error or an error in the log. Bounded: a few pages of each kind, a few posts per field."""
from __future__ import annotations

import io
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from samen.accounts import operations as account_ops
from samen.core.database import db
from samen.demo.loader import load_demo
from samen.ideas import operations as idea_ops
from samen.meetings.models import Meeting
from samen.thinktanks import operations as tt_ops
from tests.conftest import PASSWORD, QUICK_PASSWORD_HASH
from tests.input.conftest import ErrorWatch, csrf_of, module_transaction, savepoint, sign_in
from tests.input.crawl import Form, local, read_page, shape

pytestmark = pytest.mark.integration  # crawls the whole demo site: make test-fast leaves it out

SEEDS = ("/", "/admin", "/account", "/indicators", "/meetings", "/actions/mine", "/notifications",
         "/progress", "/register")
MAX_PAGES = 200  # pages fetched by each crawler (the site has many kinds of page: partners, programme, stories, …)
PER_SHAPE = 2  # pages of one kind (/ideas/#): two are enough to find its forms
# Forms that would end the crawl: signing out, deleting the account, giving up admin rights.
SKIP_POSTS = ("/logout", "/account/delete", "/admin/users/")
SKIP_LINKS = ("/logout", "/static/", "/api/")
VISITOR_SEEDS = ("/login?next=/account", "/register", "/password/forgot")

# What a hostile visitor types into a text field: each of these goes into every visible field of a form at once.
HOSTILE = {
    "controls": "Titel\x00met \x1b[31m\x07\x7f\x85",
    "line break": "Titel\r\nBcc: iedereen@example.org",
    "direction": "\u202eevil\u202c titel",
    "huge number": "99999999999999999999",
    "id just too large": "2147483648",
    "ambiguous number": "1.1",
    "not a number": "NaN",
    "year 26": "0026-01-01",
    "year 9999": "9999-12-31T23:59",
}
# And one of these (a different one for each field) into one field while the others are plausible.
ONE_FIELD = {**HOSTILE, "infinity": "-Infinity", "long": "x" * 25_000, "nul": "\x00"}
# What the hostile visitor puts in hidden fields (a `next`, an id, a direction).
HIDDEN_HOSTILE = ("/\r\nSet-Cookie: x=1", "99999999999999999999")
# Plausible values for empty fields, so that a hostile value in one field gets past the others' checks.
PLAUSIBLE = {"date": "2027-03-01", "datetime-local": "2027-03-01T19:30", "number": "5",
             "email": "crawler@example.org", "password": PASSWORD, "url": "https://example.org", "textarea": "Tekst"}
HOSTILE_QUERY = {"page": "99999999999999999999", "per_page": "99999999999", "q": "\x00ouders\u202e",
                 "tag": "\x00", "status": "\x00", "sort": "\u202e", "thinktank": "a\x00b", "idea": "99999999999",
                 "owner": "2147483648", "when": "\x00", "since": "0026-01-01", "until": "9999-99-99",
                 "action": "\x00", "actor": "\x00", "next": "/\r\nx", "overdue": "\x00", "lang": "\x00"}
BAD_IDS = ("2147483648", "99999999999999999999", "0")


@dataclass
class Site:
    """What the crawl found: pages by path, and the forms on them (one of each kind) with who may post them."""

    pages: dict[str, int]
    forms: list[tuple[str, Form]]


@dataclass
class World:
    """The module's database connection, and the pages of what it added to the demo plan."""

    connection: Any
    seeds: tuple[str, ...]
    reset_path: str


@pytest.fixture(scope="module")
def world(app: Flask) -> Iterator[World]:
    """Load the demo plan and an admin (English) who chairs every think tank, with an idea and a comment of their
    own and a report on it; undo it all after the module."""
    with module_transaction(app) as connection:
        load_demo()
        admin = account_ops.create_user(email="crawler@example.org", display_name="Crawler", is_admin=True,
                                        password_hash=QUICK_PASSWORD_HASH, locale="en")
        thinktanks = [thinktank for thinktank, _members in tt_ops.thinktanks_with_counts(include_archived=True)]
        for thinktank in thinktanks:
            tt_ops.appoint_chair(thinktank, admin)
        open_tank = next(thinktank for thinktank in thinktanks if not thinktank.is_archived)
        idea = idea_ops.create_idea(open_tank, author=admin, title="Een idee van de crawler", body="Tekst")
        comment = idea_ops.add_comment(idea, author=admin, body="Een reactie")
        idea_ops.report(by=admin, reason="Kijk hier eens naar", comment=comment)
        reader = account_ops.create_user(email="lezer@example.org", display_name="Lezer", locale="en",
                                         password_hash=QUICK_PASSWORD_HASH)
        reset = account_ops.issue_token(reader, "password_reset", lifetime=timedelta(hours=1))
        closed = db.session.scalar(select(Meeting.id).where(Meeting.state == "closed").limit(1))
        db.session.commit()
        seeds = (f"/ideas/{idea.id}/edit", f"/comments/{comment.id}/edit", f"/meetings/{closed}/minutes",
                 *(f"/thinktanks/{thinktank.slug}/moderation" for thinktank in thinktanks),
                 "/account/confirm?next=/account/data", "/admin/audit", "/admin/users")
        yield World(connection, seeds, f"/password/reset/{reset}")


@pytest.fixture(scope="module")
def clients(app: Flask, world: World) -> dict[str, FlaskClient]:
    """Return the admin's client, signed in, and an anonymous visitor's."""
    return {"admin": sign_in(app, "crawler@example.org"), "visitor": app.test_client()}


@pytest.fixture(scope="module")
def site(clients: dict[str, FlaskClient], world: World, error_watch: ErrorWatch) -> Site:
    """Crawl from the seeds, breadth first, a few pages of each kind: as the admin, and as a visitor."""
    pages: dict[str, int] = {}
    forms: dict[tuple[str, ...], tuple[str, Form]] = {}
    with savepoint(world.connection):
        for who, seeds in (("admin", (*SEEDS, *world.seeds)), ("visitor", (*VISITOR_SEEDS, world.reset_path))):
            _crawl(clients[who], who, seeds, pages, forms)
    return Site(pages=pages, forms=list(forms.values()))


def _crawl(client: FlaskClient, who: str, seeds: tuple[str, ...], pages: dict[str, int],
           forms: dict[tuple[str, ...], tuple[str, Form]]) -> None:
    queue: deque[str] = deque(seeds)
    seen: set[str] = set(seeds)
    per_shape: dict[str, int] = {}
    fetched = 0
    while queue and fetched < MAX_PAGES:
        path = queue.popleft()
        kind = shape(path)
        if per_shape.get(kind, 0) >= PER_SHAPE:
            continue
        per_shape[kind] = per_shape.get(kind, 0) + 1
        fetched += 1
        response = client.get(path)
        pages[f"{who} {path}"] = response.status_code
        if response.mimetype != "text/html":
            continue
        found = read_page(f"http://localhost{path}", response.get_data(as_text=True))
        for form in found.forms:
            target = local(form.action)
            key = (who, shape(target or ""), *sorted(field.name for field in form.fields))
            if target and not target.startswith(SKIP_POSTS) and key not in forms:
                form.action = target
                forms[key] = (who, form)
        for link in found.links:
            target = local(link)
            if target and target not in seen and not target.startswith(SKIP_LINKS):
                seen.add(target)
                queue.append(target)


def _server_errors(results: list[tuple[str, int]]) -> list[tuple[str, int]]:
    return [(what, status) for what, status in results if status >= 500]


def test_the_crawl_reaches_the_site(site: Site, error_watch: ErrorWatch) -> None:
    kinds = {shape(page.split(" ", 1)[1]) for page in site.pages}
    # The crawl is a test only if it gets around: the main kinds of page, and their forms.
    for expected in ("/ideas/#", "/ideas/#/edit", "/comments/#/edit", "/actions/#", "/actions/#/edit",
                     "/meetings/#", "/meetings/#/console", "/meetings/#/minutes", "/indicators/#", "/admin/",
                     "/account", "/thinktanks/*/moderation", "/register", "/password/reset/*"):
        assert expected in kinds or expected.replace("*", "#") in kinds or any(
            kind.startswith(expected.rstrip("*")) for kind in kinds), sorted(kinds)
    assert len(site.forms) >= 50, [form.action for _who, form in site.forms]
    assert not _server_errors(list(site.pages.items()))
    assert not error_watch.take()


def test_hostile_query_strings_and_ids_are_no_server_error(clients: dict[str, FlaskClient], site: Site,
                                                           world: World, no_errors_logged: Any) -> None:
    results = []
    kinds = {shape(page): page for page in site.pages}  # "admin /ideas/#" → "admin /ideas/12"
    with savepoint(world.connection):
        for page in kinds.values():
            who, path = page.split(" ", 1)
            client, route = clients[who], urlsplit(path).path
            results.append((f"{route}?…", client.get(f"{route}?{urlencode(HOSTILE_QUERY)}").status_code))
            parts = route.split("/")
            numbered = [i for i, part in enumerate(parts) if part.isdigit()]
            for bad in BAD_IDS if numbered else ():
                parts[numbered[-1]] = bad
                results.append(("/".join(parts), client.get("/".join(parts)).status_code))
    assert not _server_errors(results), _server_errors(results)
    # An id a column cannot hold names nothing: 404, never a server error.
    too_large = [(what, status) for what, status in results if what.endswith(BAD_IDS[:2]) and status != 404]
    assert not too_large


def _plausible(form: Form) -> dict[str, list[str]]:
    """Return the form's values as the page gives them, with plausible text in empty fields."""
    values = form.values()
    for field in form.fields:
        if field.text and not any(values.get(field.name, [])):
            values[field.name] = [PLAUSIBLE.get(field.kind, "Iets") if field.kind != "" else "Iets"]
    return values


def _posts(form: Form) -> Iterator[tuple[str, dict[str, Any], bool]]:
    """Yield (what, data, multipart): every hostile value in all the visible fields at once; each field with one
    (a different one for each field) while the others are plausible; hidden fields hostile; text fields sent as
    files."""
    visible = [field for field in form.fields if not field.hidden and field.kind not in ("checkbox", "radio")]
    text = [field for field in visible if field.text]
    hidden = [field for field in form.fields if field.hidden and field.name != "csrf_token"]
    base = _plausible(form)
    for name, value in HOSTILE.items():
        yield f"all fields: {name}", {**base, **{field.name: [value] for field in visible}}, False
    names = list(ONE_FIELD)
    for index, field in enumerate(visible):
        name = names[(index + len(form.fields)) % len(names)]
        yield f"{field.name}: {name}", {**base, field.name: [ONE_FIELD[name]]}, False
    for value in HIDDEN_HOSTILE:
        if hidden:
            yield f"hidden: {value!r}", {**base, **{field.name: [value] for field in hidden}}, False
    if text:
        files = {field.name: (io.BytesIO(b"\x00\xff binary"), "kwaad.bin") for field in text}
        yield "text fields as files", {**base, **files}, True


def test_hostile_posts_into_every_form_are_no_server_error(app: Flask, clients: dict[str, FlaskClient], site: Site,
                                                            world: World, no_errors_logged: Any) -> None:
    results = []
    tokens = {"admin": csrf_of(clients["admin"], "/account"), "visitor": csrf_of(clients["visitor"], "/login")}
    for who, form in site.forms:
        for what, data, multipart in _posts(form):
            with savepoint(world.connection):
                client = clients[who]
                payload = {**data, "csrf_token": [tokens[who]]}
                if multipart:
                    response = client.post(form.action, data=payload, content_type="multipart/form-data")
                else:
                    response = client.post(form.action, data=payload)
                results.append((f"{who}: POST {form.action} {what}", response.status_code))
                if who == "visitor" and response.status_code in (302, 303):
                    # Signed in or registered, perhaps: a visitor no more. The next post comes from a new one.
                    clients["visitor"] = app.test_client()
                    tokens["visitor"] = csrf_of(clients["visitor"], "/login")
    statuses = Counter(status for _what, status in results)
    assert not _server_errors(results), _server_errors(results)
    # Most posts are refused (the form shown again with the error: 422), a few succeed or redirect (a flash).
    assert statuses[422] > len(results) / 3, statuses
