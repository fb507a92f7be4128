"""The public progress pages, the report for the council and the open data: no account needed.

Every route answers conditional requests: the validators (a weak ETag and Last-Modified) come from one query
of aggregates (queries.data_state) before anything else is loaded, so an unchanged page costs one query and
a 304. Pages are `public, max-age=60` for anonymous visitors; a page that sets a cookie (the session that the
language switch's CSRF token lives in) is `private`, because its header holds that visitor's tokens. The open
data set no cookie, are the same for everyone and public. Every response for a signed-in user is `no-store`
(samen/core/security.py): it carries their refreshed session cookie, and pages show their name.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import wraps
from typing import Any

from flask import Blueprint, Response, abort, current_app, g, render_template, request, session
from flask_babel import force_locale, get_locale, gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from samen.actions import operations as ops
from samen.core.hosts import external_url
from samen.core.markdown import render_markdown
from samen.core.views import or_404
from samen.ideas.operations import STATUS_LABELS as IDEA_STATUS_LABELS
from samen.partners import operations as partner_ops
from samen.partners import queries as partner_queries
from samen.people.participation import participation
from samen.programme import operations as programme_ops
from samen.public import charts, feeds, live, queries
from samen.thinktanks.operations import get_plan

bp = Blueprint("public", __name__, url_prefix="/progress")
bp.record_once(lambda state: live.init_app(state.app))

MAX_AGE = 60
# The progress page shows this many action items of each think tank (overdue first) and this many adopted ideas
# still without one; the think tank's own progress page shows them all, a page at a time.
SAMPLE_ACTIONS = 6
SAMPLE_IDEAS = 3
# The progress page shows at most this many indicators as cards, and fewer sample actions per think tank when
# there are many think tanks (at least one each, SAMPLE_BUDGET in all): it stays under 80 KB whatever the plan's
# size (issue #19); the rest is one link away.
MAX_INDICATOR_CARDS = 12
SAMPLE_BUDGET = 24
PER_PAGE = 50
# Part of every ETag: raise it when what the pages show changes without the data changing (new markup),
# so that browsers holding an old page do not keep it on a 304.
MARKUP_VERSION = "2"


# --- validators and caching ---------------------------------------------------------------------------------

def _today() -> date:
    return date.today()


def _last_modified(state: queries.DataState, today: date) -> datetime:
    """Return the later of the latest change and the start of today: overdue items change at midnight."""
    midnight = datetime.combine(today, time.min).astimezone(UTC).replace(tzinfo=None)
    return max(state.last_modified or midnight, midnight).replace(microsecond=0)


def _not_modified(etag: str, last_modified: datetime) -> bool:
    if request.if_none_match:  # the ETag decides when the client sent one (RFC 9110, 13.2.2)
        return request.if_none_match.contains_weak(etag)
    since = request.if_modified_since
    return since is not None and last_modified.replace(tzinfo=UTC) <= since


def _cache_control(response: Response, *, page: bool) -> None:
    if current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"  # as for every response to a signed-in user
    elif page and current_app.session_interface.should_set_cookie(current_app, session):
        response.headers["Cache-Control"] = f"private, max-age={MAX_AGE}"
    else:
        response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    if page:
        response.vary.add("Cookie")  # the language and the header's sign-in state come from the session


def validated(*, page: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Answer 304 when the client's copy is current; otherwise run the view and add the validators.

    `page`: an HTML page, which depends on the visitor's language and sign-in state; otherwise open data.
    """
    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            g.public_today = today = _today()
            g.public_state = state = queries.current_state(current_app.config["DATABASE_URL"],
                                                           current_app.config["PUBLIC_STATE_TTL"])
            parts = [MARKUP_VERSION, state.fingerprint, today.isoformat(), request.args.get("lang", ""),
                     current_app.config["BASE_URL"]]
            if page:
                parts += [str(get_locale()), str(current_user.id) if current_user.is_authenticated else "-"]
            etag = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
            last_modified = _last_modified(state, today)
            if _not_modified(etag, last_modified):
                response = current_app.response_class(status=304)
            else:
                response = current_app.make_response(view(*args, **kwargs))
                if response.status_code != 200:
                    return response
            # Weak: the same data gives the same page, if not byte for byte (a new CSRF token in the header).
            response.set_etag(etag, weak=True)
            response.last_modified = last_modified
            _cache_control(response, page=page)
            if not page:
                response.headers["Access-Control-Allow-Origin"] = "*"  # open data: read from any site
            return response
        return wrapper
    return decorator


# --- rendered content, kept per state of the data ----------------------------------------------------------

class PageCache:
    """The rendered content of the public pages, the most recently used `size` of them, in one app."""

    def __init__(self) -> None:
        self._pages: OrderedDict[tuple[Any, ...], Markup] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> Markup | None:
        with self._lock:
            content = self._pages.get(key)
            if content is not None:
                self._pages.move_to_end(key)
            return content

    def put(self, key: tuple[Any, ...], content: Markup, size: int) -> None:
        with self._lock:
            self._pages[key] = content
            while len(self._pages) > size:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()

    def __len__(self) -> int:
        return len(self._pages)


def page_cache(app: Any) -> PageCache:
    """Return the app's cache of rendered public pages (each app has its own: its database, its address)."""
    return app.extensions.setdefault("samen_public_pages", PageCache())


def content_key(name: str) -> tuple[Any, ...]:
    """Return what a cached page's content depends on: the state of the public data, the day, the language, the
    path with its query (?page=, ?lang=) and where the site is mounted, the site's address (BASE_URL: the
    report's links) and the markup's version. Not the request's Host: no content shows it (samen/core/hosts.py).
    Nothing of the visitor either: the content names no one, and the header around it is rendered anew."""
    return (name, g.public_state.fingerprint, g.public_today, str(get_locale()), request.script_root,
            request.full_path, current_app.config["BASE_URL"], MARKUP_VERSION)


def cached(name: str, template: str, load: Callable[[], dict[str, Any]]) -> Markup:
    """Return a page's content (`template` rendered with what `load()` returns), rendered once per content_key
    and kept for the next visitor (PUBLIC_PAGE_CACHE_SIZE pages).

    On a hit nothing is loaded: the page costs the fingerprint's query (itself cached, queries.current_state).
    """
    size = current_app.config["PUBLIC_PAGE_CACHE_SIZE"]
    pages = page_cache(current_app)
    key = content_key(name)
    content = pages.get(key) if size > 0 else None
    if content is None:
        content = Markup(render_template(template, **load()))
        if size > 0:
            pages.put(key, content, size)
    return content


class RegionCache:
    """The rendered regions of pages (a think tank's section of the progress page, the indicators), each kept
    under its own section_key: four times as many as PUBLIC_PAGE_CACHE_SIZE pages, and none when that is 0."""

    def __init__(self, app: Any) -> None:
        self.app = app

    @property
    def _size(self) -> int:
        return 4 * self.app.config["PUBLIC_PAGE_CACHE_SIZE"]

    @property
    def enabled(self) -> bool:
        return self._size > 0

    def get(self, key: tuple[Any, ...]) -> Markup | None:
        return regions(self.app).get(("region", *key)) if self._size > 0 else None

    def put(self, key: tuple[Any, ...], content: Markup) -> None:
        if self._size > 0:
            regions(self.app).put(("region", *key), content, self._size)


def regions(app: Any) -> PageCache:
    """Return the app's store of rendered regions (see RegionCache)."""
    return app.extensions.setdefault("samen_public_regions", PageCache())


def region_cache(app: Any) -> RegionCache:
    """Return the app's cache of rendered regions."""
    return RegionCache(app)


def section_key(name: str, *depends_on: Any) -> tuple[Any, ...]:
    """Return the key of a region's cached content: what it depends on (fingerprints of its own data), and what
    every content depends on but the global fingerprint (the day, the language, where the site is mounted, its
    address, the markup's version). Not the URL: a region is the same on every page that shows it."""
    return (name, *depends_on, g.public_today, str(get_locale()), request.script_root,
            current_app.config["BASE_URL"], MARKUP_VERSION)


@dataclass(frozen=True)
class PlanTitle:
    """What the public pages show of the plan: its title (a copy, kept across requests)."""

    title: str
    municipality: str


def _plan() -> PlanTitle:
    """Return the plan's title, read once per state of the data in this app: a page served from the cache
    runs no query for it (the plans table is in the fingerprint). Without the page cache (tests), every time."""
    if current_app.config["PUBLIC_PAGE_CACHE_SIZE"] <= 0:
        stored = get_plan()
        return PlanTitle(title=stored.title, municipality=stored.municipality or "")
    memo = current_app.extensions.setdefault("samen_public_plan", {})
    fingerprint = g.public_state.fingerprint
    plan = memo.get(fingerprint)
    if plan is None:
        stored = get_plan()
        plan = PlanTitle(title=stored.title, municipality=stored.municipality or "")
        memo.clear()
        memo[fingerprint] = plan
    return plan


def _overview(today: date) -> dict[Any, queries.Overview]:
    """Return queries.overview(today) (two grouped queries over the actions and the adopted ideas), kept per
    state of the data and day in this app: a think tank's progress page needs its counts before its cached
    content, for the page numbers. Without the page cache (tests), every time."""
    if current_app.config["PUBLIC_PAGE_CACHE_SIZE"] <= 0:
        return queries.overview(today)
    memo = current_app.extensions.setdefault("samen_public_overview", {})
    key = (g.public_state.fingerprint, today)
    counts = memo.get(key)
    if counts is None:
        counts = queries.overview(today)
        memo.clear()
        memo[key] = counts
    return counts


def _section_states() -> dict[Any, str]:
    """Return queries.section_states(), computed once per state of the data in this app."""
    memo = current_app.extensions.setdefault("samen_public_section_states", {})
    fingerprint = g.public_state.fingerprint
    states = memo.get(fingerprint)
    if states is None:
        states = queries.section_states()
        memo.clear()
        memo[fingerprint] = states
    return states


# --- what the templates use ---------------------------------------------------------------------------------

@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {
        "action_statuses": ops.STATUS_LABELS, "idea_statuses": IDEA_STATUS_LABELS,
        "chart": charts.indicator_chart, "describe_indicator": charts.describe, "sparkline": charts.sparkline,
        "gaps_of": lambda indicator: charts.reading(indicator).gaps(),
        "format_value": charts.format_value, "format_number": charts.format_number,
        "public_ideas_of": queries.public_ideas_of, "iso": feeds.iso,
        "today": g.get("public_today") or _today(),
    }


def _url(kind: str, obj: Any) -> str:
    """Return the absolute URL of an object of the open data."""
    if kind == "action":
        return external_url("public.action", action_id=obj.id)
    if kind == "idea":
        return external_url("ideas.show", idea_id=obj.id)
    if kind == "organisation":
        return external_url("partners.show", slug=obj.slug)
    return external_url("thinktanks.show", slug=obj.slug)


# --- pages --------------------------------------------------------------------------------------------------

def sample_sizes(thinktanks: int) -> tuple[int, int]:
    """Return how many action items and waiting adopted ideas the progress page shows per think tank: fewer
    when there are many think tanks (SAMPLE_BUDGET action items in all, at least one each)."""
    actions = max(1, min(SAMPLE_ACTIONS, SAMPLE_BUDGET // max(1, thinktanks)))
    return actions, (SAMPLE_IDEAS if actions == SAMPLE_ACTIONS else 1)


@bp.route("")
@validated(page=True)
def progress():
    """Show where the plan stands: actions per status, overdue, updates, each think tank (by line, or one line
    with ?line=slug), indicators."""
    today = g.public_today
    plan = _plan()
    chosen = request.args.get("line") or None
    if chosen is not None and programme_ops.line_by_slug(chosen) is None:
        abort(404)

    def load() -> dict[str, Any]:
        tanks = queries.thinktanks()
        lines = programme_ops.list_lines()
        overview = _overview(today)
        per_tank, per_tank_ideas = sample_sizes(len(tanks))
        depth = 1 if lines or chosen else 0
        # Each think tank's section and the indicators are cached on their own, keyed on what they show
        # (section_key): after a write only what it changed is rendered again.
        states = _section_states() if region_cache(current_app).enabled else {}
        shared = g.public_state.of("thinktanks", "lines", "organisations", "action_organisations", "plans")
        keys = {tank.id: section_key("progress-tank", tank.id, states.get(tank.id, ""), shared, per_tank, depth)
                for tank in tanks}
        tank_html = {tank.id: html for tank in tanks if (html := region_cache(current_app).get(keys[tank.id]))
                     is not None}
        missing = [tank for tank in tanks if tank.id not in tank_html]
        sample = queries.sample_actions(today, per_thinktank=per_tank, plan_wide_only=not missing)
        if missing:
            built = {section.thinktank.id: section for section in queries.build_sections(
                tanks, sample, queries.sample_adopted_without_action(per_thinktank=per_tank_ideas))}
            for tank in missing:
                section = built.get(tank.id)
                tank_html[tank.id] = html = (Markup(render_template(
                    "public/_tank_section.html", section=section, overview=overview, depth=depth))
                    if section is not None else Markup(""))
                region_cache(current_app).put(keys[tank.id], html)
        sections = [queries.Section(tank) for tank in tanks if tank_html[tank.id]]
        groups = queries.group_by_line(lines, sections, sample)
        if chosen is not None:
            groups = [group for group in groups if group.line is not None and group.line.slug == chosen]
        indicators_key = section_key("progress-indicators", g.public_state.of(
            "indicators", "measurements", "thinktanks", "lines"))
        indicators_html = region_cache(current_app).get(indicators_key)
        if indicators_html is None:
            indicators_html = Markup(render_template("public/_indicator_cards.html", indicators=ops.list_indicators(),
                                                     max_indicators=MAX_INDICATOR_CARDS))
            region_cache(current_app).put(indicators_key, indicators_html)
        return {"groups": groups, "lines": lines, "chosen_line": chosen, "tank_html": tank_html,
                "plan": plan, "summary": ops.progress_summary(today=today), "external": False,
                "overdue": ops.list_actions(public_only=True, today=today, overdue=True, limit=SAMPLE_ACTIONS * 2),
                "updates": ops.latest_updates(limit=8), "meetings": queries.upcoming_meetings(today),
                "minutes": queries.published_minutes(), "sections": sections, "overview": overview,
                "indicators_html": indicators_html, "participation": participation()}

    return render_template("public/progress.html", plan=plan,
                           content=cached("progress", "public/_progress_content.html", load))


@bp.route("/thinktanks/<slug>")
@validated(page=True)
def thinktank(slug: str):
    """Show every adopted idea and public action item of one think tank, a page of action items at a time."""
    today = g.public_today
    tank = or_404(next((tank for tank in queries.thinktanks() if tank.slug == slug), None))
    try:
        page = int(request.args.get("page", "1"))
    except ValueError:
        abort(400, _("The page number must be a whole number."))
    counts = _overview(today).get(tank.id) or queries.Overview()
    pages = max(1, -(-counts.actions // PER_PAGE))
    if not 1 <= page <= pages:
        abort(404)

    def load() -> dict[str, Any]:
        actions = ops.list_actions(public_only=True, today=today, thinktank=tank, limit=PER_PAGE,
                                   offset=(page - 1) * PER_PAGE)
        waiting = queries.adopted_without_action(tank, limit=PER_PAGE) if page == 1 else []
        sections = queries.build_sections([tank], actions, waiting)
        return {"tank": tank, "counts": counts, "page": page, "pages": pages, "per_page": PER_PAGE,
                "section": sections[0] if sections else queries.Section(tank),
                "indicators": ops.list_indicators(thinktank=tank, own_only=True)}

    return render_template("public/thinktank.html", tank=tank,
                           content=cached("thinktank", "public/_thinktank_content.html", load))


@bp.route("/actions/<int:action_id>")
@validated(page=True)
def action(action_id: int):
    """Show a public action's whole trail: ideas, decision, owner, dates, milestones, updates, indicators."""
    item = or_404(ops.get_action(action_id))  # no viewer: public actions only, for everyone alike
    ideas = queries.public_ideas_of(item)
    rooms = [f"action:{item.id}", *(f"indicator:{indicator.id}" for indicator in item.indicators)]
    return render_template("public/action.html", action=item, ideas=ideas, rooms=rooms,
                           closed_ideas=len(item.ideas) - len(ideas), updates=ops.updates_of(item))


@bp.route("/indicators/<int:indicator_id>")
@validated(page=True)
def indicator(indicator_id: int):
    """Show one indicator in full: its state in words, the chart, every measurement as a table, each period
    without a published value, and the public action items that serve it."""
    item = or_404(queries.indicator_named(indicator_id))  # its name for the title; the rest only on a miss

    def load() -> dict[str, Any]:
        full = queries.indicator_with_measurements(indicator_id)
        return {"indicator": full, "actions": queries.public_actions_serving(full)}

    return render_template("public/indicator.html", indicator=item,
                           content=cached("indicator", "public/_indicator_content.html", load))


@bp.route("/report")
@validated(page=True)
def report():
    """Show the whole plan on paper for the council: every think tank, action and indicator."""
    today = g.public_today
    plan = _plan()

    def load() -> dict[str, Any]:
        actions = queries.public_actions(today, details=True)
        sections = queries.build_sections(queries.thinktanks(), actions, queries.adopted_public_ideas())
        return {"groups": queries.group_by_line(programme_ops.list_lines(), sections, actions),
                "plan": plan, "summary": ops.progress_summary(today=today), "external": True,
                "overdue": [item for item in actions if item.is_overdue(today)],
                "latest": queries.latest_update_per_action(), "indicators": ops.list_indicators(),
                "partners": partner_queries.organisations_of(actions),
                "meetings": queries.upcoming_meetings(today), "participation": participation(),
                "generated_at": datetime.now(UTC).replace(tzinfo=None)}

    return render_template("public/report.html", plan=plan,
                           content=cached("report", "public/_report_content.html", load))


# --- open data ----------------------------------------------------------------------------------------------

def _feed_language() -> str:
    """The feed's language comes from ?lang= alone (readers send no cookies); Dutch by default."""
    lang = request.args.get("lang")
    return lang if lang in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def _feed_entry(item: queries.FeedItem) -> feeds.Entry:
    tank = item.thinktank.name if item.thinktank else None
    if item.update is not None:
        update = item.update
        url = external_url("public.action", action_id=update.action_id)
        status = ops.STATUS_LABELS[update.status]
        facts = _("Status: %(status)s. Progress: %(progress)d%%.", status=status, progress=update.progress)
        return feeds.Entry(
            id=f"{url}#update-{update.id}", url=f"{url}#update-{update.id}", updated=update.created_at,
            title=_("%(action)s: %(status)s, %(progress)d%%", action=update.action.title, status=status,
                    progress=update.progress),
            html=f"<p>{escape(facts)}</p>{render_markdown(update.body)}", category=tank)
    change, idea = item.decision, item.idea
    assert change is not None and idea is not None
    url = _url("idea", idea)
    status = IDEA_STATUS_LABELS.get(change.to_status, change.to_status)
    return feeds.Entry(
        id=f"{url}#decision-{change.id}", url=url, updated=change.created_at,
        title=_("Decision on the idea “%(title)s”: %(status)s", title=idea.title, status=status),
        html=str(render_markdown(change.answer)), category=tank)


@bp.route("/feed.atom")
@validated(page=False)
def feed():
    """Serve the Atom feed of progress updates and idea decisions, newest first."""
    lang = _feed_language()
    with force_locale(lang):
        plan = get_plan()
        self_url = external_url("public.feed", lang=request.args.get("lang") or None)
        body = feeds.atom_feed(
            feed_id=self_url, title=_("Progress of %(plan)s", plan=plan.title),
            subtitle=_("Progress updates on the action items and decisions on the ideas of the plan."),
            author=plan.municipality or plan.title, self_url=self_url,
            page_url=external_url("public.progress"), updated=g.public_state.last_modified,
            lang=lang, entries=[_feed_entry(item) for item in queries.feed_items()])
    return Response(body, content_type="application/atom+xml; charset=utf-8")


def _actions_data() -> list[dict[str, Any]]:
    today = g.public_today
    latest = queries.latest_update_per_action()
    return [feeds.action_record(item, today=today, last_update=latest.get(item.id), url=_url)
            for item in queries.public_actions(today, details=True)]


def _indicators_data() -> list[dict[str, Any]]:
    served = queries.public_actions_per_indicator()
    return [feeds.indicator_record(indicator, action_ids=served.get(indicator.id, []), url=_url)
            for indicator in ops.list_indicators()]


def _envelope(key: str, records: list[dict[str, Any]]) -> dict[str, Any]:
    return {"source": external_url("public.progress"),
            "documentation": external_url("public.progress") + "#open-data",
            "updated": feeds.iso(g.public_state.last_modified), "count": len(records), key: records}


def _csv(body: str, name: str) -> Response:
    return Response(body, content_type="text/csv; charset=utf-8; header=present",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/actions.json")
@validated(page=False)
def actions_json():
    """Serve the public action items as JSON, with their ideas, milestones and latest update."""
    return current_app.json.response(_envelope("actions", _actions_data()))


@bp.route("/actions.csv")
@validated(page=False)
def actions_csv():
    """Serve the public action items as CSV, one row each."""
    return _csv(feeds.to_csv(feeds.ACTION_COLUMNS, map(feeds.action_row, _actions_data())), "actions.csv")


@bp.route("/indicators.json")
@validated(page=False)
def indicators_json():
    """Serve the indicators with their baseline, target and measurements as JSON."""
    return current_app.json.response(_envelope("indicators", _indicators_data()))


def _organisations_data() -> list[dict[str, Any]]:
    counts, none = partner_queries.counts(g.public_today), partner_queries.PartnerCounts()
    return [feeds.organisation_record(organisation, counts=counts.get(organisation.id) or none,
                                      kind_label=str(partner_ops.KIND_LABELS[organisation.kind]), url=_url)
            for organisation in partner_ops.list_organisations()]


@bp.route("/organisations.json")
@validated(page=False)
def organisations_json():
    """Serve the partner organisations with their public action items counted, as JSON."""
    return current_app.json.response(_envelope("organisations", _organisations_data()))


@bp.route("/organisations.csv")
@validated(page=False)
def organisations_csv():
    """Serve the partner organisations as CSV, one row each."""
    return _csv(feeds.to_csv(feeds.ORGANISATION_COLUMNS, map(feeds.organisation_row, _organisations_data())),
                "organisations.csv")


@bp.route("/indicators.csv")
@validated(page=False)
def indicators_csv():
    """Serve the indicators' measurements as CSV, one row per measurement."""
    rows = [row for record in _indicators_data() for row in feeds.indicator_rows(record)]
    return _csv(feeds.to_csv(feeds.INDICATOR_COLUMNS, rows), "indicators.csv")
