"""Load the demo plan: create what is missing, fill in what is blank, never overwrite what someone changed.

`make run` loads the demo at every start, so a second run must be quick and must change nothing: each step
finds its objects by a stable key (slug, e-mail address) in one query and creates only what is missing.
Memberships are seeded only where the person or the think tank is new in this run, so someone who left a think
tank, or whose request a chair turned down, is not put back at the next start.

To extend the demo (ideas, actions, meetings): add the data to data.py and a step to STEPS that follows the
same rules, using the feature's operations and the objects that earlier steps put on the DemoState.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from samen.accounts import operations as account_ops
from samen.accounts.models import User
from samen.core.database import db
from samen.demo.data import DEMO_PASSWORD, PEOPLE, PLAN, THINKTANKS, DemoThinkTank
from samen.thinktanks import operations as tt_ops
from samen.thinktanks.models import ThinkTank

BLANK_PLAN_TITLE = "Samen"  # the title get_plan gives a plan nobody has named yet
FILLABLE_THINKTANK_FIELDS = ("theme", "summary", "description")


@dataclass
class DemoReport:
    """What a load created and filled in, by kind of object."""

    created: Counter[str] = field(default_factory=Counter)
    filled: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(+self.created or +self.filled)

    def __str__(self) -> str:
        def listing(counts: Counter[str]) -> str:
            return ", ".join(f"{n} {kind}" for kind, n in counts.items() if n)

        if not self.changed:
            return "Demo plan already loaded: nothing to add."
        parts = [f"{verb} {listing(counts)}" for verb, counts in (("created", self.created),
                                                                  ("filled in", self.filled)) if +counts]
        return f"Demo plan loaded: {'; '.join(parts)}."


@dataclass
class DemoState:
    """What the steps share: the demo's objects by key, which of them this run created, and the report."""

    users: dict[str, User] = field(default_factory=dict)  # by handle
    new_users: set[str] = field(default_factory=set)
    thinktanks: dict[str, ThinkTank] = field(default_factory=dict)  # by slug
    new_thinktanks: set[str] = field(default_factory=set)
    report: DemoReport = field(default_factory=DemoReport)


def load_plan(state: DemoState) -> None:
    """Name the plan and write its introduction, where they are still blank."""
    plan = tt_ops.get_plan()
    title = PLAN.title if plan.title in ("", BLANK_PLAN_TITLE) else plan.title
    municipality = plan.municipality or PLAN.municipality
    introduction = plan.introduction or PLAN.introduction
    if (title, municipality, introduction) != (plan.title, plan.municipality, plan.introduction):
        tt_ops.update_plan(plan, title=title, municipality=municipality, introduction=introduction)
        state.report.filled["plan"] += 1


def load_thinktanks(state: DemoState) -> None:
    """Create the missing think tanks; fill in the blank texts of existing ones."""
    existing = {tt.slug: tt for tt in db.session.scalars(
        select(ThinkTank).where(ThinkTank.slug.in_([demo.slug for demo in THINKTANKS])))}
    for position, demo in enumerate(THINKTANKS):
        thinktank = existing.get(demo.slug)
        if thinktank is None:
            thinktank = tt_ops.create_thinktank({
                "slug": demo.slug, "name": demo.name, "theme": demo.theme, "summary": demo.summary,
                "description": demo.description, "join_policy": demo.join_policy, "position": position})
            state.new_thinktanks.add(demo.slug)
            state.report.created["think tanks"] += 1
        else:
            blanks = {name: getattr(demo, name) for name in FILLABLE_THINKTANK_FIELDS
                      if not getattr(thinktank, name)}
            if blanks:
                tt_ops.update_thinktank(thinktank, blanks)
                state.report.filled["think tanks"] += 1
        state.thinktanks[demo.slug] = thinktank


def load_people(state: DemoState) -> None:
    """Create the missing people; all share the demo password, hashed once (scrypt is slow on purpose)."""
    existing = {user.email: user for user in db.session.scalars(
        select(User).where(User.email.in_([person.email for person in PEOPLE])))}
    password_hash: str | None = None
    for person in PEOPLE:
        user = existing.get(person.email)
        if user is None:
            password_hash = password_hash or account_ops.hash_password(DEMO_PASSWORD)
            user = account_ops.create_user(
                email=person.email, display_name=person.display_name, password_hash=password_hash,
                kind=person.kind, organisation=person.organisation, is_admin=person.is_admin, locale="nl")
            state.new_users.add(person.handle)
            state.report.created["people"] += 1
        state.users[person.handle] = user


def _members(demo: DemoThinkTank) -> list[str]:
    return [p.handle for p in PEOPLE if demo.slug in p.thinktanks and p.handle not in demo.chairs]


def load_memberships(state: DemoState) -> None:
    """Appoint the chairs, add the members and the requests to join, for new people and new think tanks."""
    for demo in THINKTANKS:
        thinktank = state.thinktanks[demo.slug]
        if thinktank.is_archived:
            continue

        def is_new(handle: str, slug: str = demo.slug) -> bool:
            return slug in state.new_thinktanks or handle in state.new_users

        for handle in filter(is_new, demo.chairs):
            tt_ops.appoint_chair(thinktank, state.users[handle])
            state.report.created["memberships"] += 1
        for handle in filter(is_new, _members(demo)):
            membership = tt_ops.join_thinktank(thinktank, state.users[handle])
            if membership.status == "pending":
                tt_ops.decide_membership(membership, approve=True)
            state.report.created["memberships"] += 1
        for handle in filter(is_new, demo.pending):
            tt_ops.join_thinktank(thinktank, state.users[handle])
            state.report.created["memberships"] += 1


STEPS: tuple[Callable[[DemoState], None], ...] = (load_plan, load_thinktanks, load_people, load_memberships)


def load_demo() -> DemoReport:
    """Create what is missing of the demo plan and return what was done; the caller commits."""
    state = DemoState()
    for step in STEPS:
        step(state)
    return state.report
