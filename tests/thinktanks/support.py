"""Shared by tests/thinktanks and tests/admin: the roles and the world they act in."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import pairwise
from typing import Any

from samen.accounts.models import User
from samen.thinktanks import operations as tt_ops
from samen.thinktanks.models import Membership, ThinkTank

ROLES = ("anonymous", "resident", "pending", "member", "chair", "other_chair", "admin")


@dataclass
class World:
    """A think tank by approval with one person of every role, another think tank, and a request to decide."""

    thinktank: ThinkTank
    other: ThinkTank
    people: dict[str, User]
    request: Membership
    applicant: User

    def user(self, role: str) -> User | None:
        return self.people.get(role)


def build_world(db: Any, create_user: Callable[..., User],
                create_thinktank: Callable[..., ThinkTank]) -> World:
    """Create the think tanks, one user per role (anonymous has none) and a pending request."""
    thinktank = create_thinktank(slug="nazorg", name="Nazorg", join_policy="approval")
    other = create_thinktank(slug="aanbod", name="Aanbod")
    people = {role: create_user(display_name=f"Rol {role}", is_admin=role == "admin")
              for role in ROLES if role != "anonymous"}
    applicant = create_user(display_name="Aanvrager")
    tt_ops.join_thinktank(thinktank, people["pending"])
    tt_ops.decide_membership(tt_ops.join_thinktank(thinktank, people["member"]), approve=True)
    tt_ops.appoint_chair(thinktank, people["chair"])
    tt_ops.appoint_chair(other, people["other_chair"])
    request = tt_ops.join_thinktank(thinktank, applicant)
    db.session.commit()
    return World(thinktank=thinktank, other=other, people=people, request=request, applicant=applicant)


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.headings: list[int] = []
        self.labels_for: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(attributes["id"] or "")
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))
        if tag == "label" and attributes.get("for"):
            self.labels_for.append(attributes["for"] or "")


def assert_accessible_outline(html: str) -> None:
    """Check what screen readers rely on: one h1, first; no skipped heading level; unique ids; labelled fields."""
    outline = _Outline()
    outline.feed(html)
    assert outline.headings[:1] == [1] and outline.headings.count(1) == 1, outline.headings
    for previous, current in pairwise(outline.headings):
        assert current <= previous + 1, f"h{previous} is followed by h{current}: {outline.headings}"
    duplicates = {name for name in outline.ids if outline.ids.count(name) > 1}
    assert not duplicates, duplicates
    assert set(outline.labels_for) <= set(outline.ids), set(outline.labels_for) - set(outline.ids)
