"""Who may see an idea: the predicate (may_see_idea, may_list_idea) and its SQL form agree for every role."""
from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from samen.ideas import operations as ops
from samen.ideas.models import Idea
from samen.thinktanks import operations as tt_ops

pytestmark = pytest.mark.database


def test_the_predicate_and_its_sql_form_agree(db, create_user, create_thinktank):
    open_tank, closed = create_thinktank(join_policy="open"), create_thinktank(join_policy="approval")
    author, member, pending, outsider = create_user(), create_user(), create_user(), create_user()
    admin = create_user(is_admin=True)
    tt_ops.decide_membership(tt_ops.join_thinktank(closed, author), approve=True)
    tt_ops.decide_membership(tt_ops.join_thinktank(closed, member), approve=True)
    tt_ops.join_thinktank(closed, pending)
    tt_ops.join_thinktank(open_tank, author)
    ideas = []
    for tank in (open_tank, closed):
        ideas.append(ops.create_idea(tank, author=author, title="Zichtbaar"))
        withdrawn = ops.create_idea(tank, author=author, title="Ingetrokken")
        ops.withdraw_idea(withdrawn, by=author)
        hidden = ops.create_idea(tank, author=author, title="Verborgen")
        hidden.hidden_at = hidden.created_at
        ideas += [withdrawn, hidden]
    db.session.commit()
    expected_seen = {"anonymous": 3, "outsider": 3, "pending": 3, "member": 6, "admin": 6}
    for role, viewer in (("anonymous", AnonymousUserMixin()), ("outsider", outsider), ("pending", pending),
                         ("member", member), ("admin", admin)):
        seen = {idea.id for idea in ideas if ops.may_see_idea(idea, viewer)}
        listed = {idea.id for idea in ideas if ops.may_list_idea(idea, viewer)}
        assert set(db.session.scalars(select(Idea.id).where(ops.readable_ideas_clause(viewer)))) == seen, role
        assert set(db.session.scalars(select(Idea.id).where(ops.listed_ideas_clause(viewer)))) == listed, role
        assert {idea.id for idea in ops.listed_ideas(ideas, viewer)} == listed, role
        assert len(seen) == expected_seen[role] and len(listed) == expected_seen[role] // 3, role


def test_ideas_under_review_agree_too(db, create_user, create_thinktank):
    """An idea waiting for approval (or refused) is seen by its author and the think tank's chairs and admins
    only, in the predicate and in its SQL form; it is never listed on a page that links ideas."""
    open_tank, closed = create_thinktank(join_policy="open"), create_thinktank(join_policy="approval")
    author, member, chair, other_chair = create_user(), create_user(), create_user(), create_user()
    admin = create_user(is_admin=True)
    for tank in (open_tank, closed):
        for person in (author, member):
            membership = tt_ops.join_thinktank(tank, person)
            if membership.status != "active":
                tt_ops.decide_membership(membership, approve=True)
        tt_ops.appoint_chair(tank, chair)
    tt_ops.appoint_chair(create_thinktank(join_policy="open"), other_chair)
    ideas = []
    for tank in (open_tank, closed):
        for state in (None, "waiting", "refused"):
            idea = ops.create_idea(tank, author=author, title=f"Idee {state}")
            idea.review = state
            ideas.append(idea)
    db.session.commit()
    expected = {"anonymous": 1, "other chair": 1, "member": 2, "author": 6, "chair": 6, "admin": 6}
    for role, viewer in (("anonymous", AnonymousUserMixin()), ("other chair", other_chair), ("member", member),
                         ("author", author), ("chair", chair), ("admin", admin)):
        seen = {idea.id for idea in ideas if ops.may_see_idea(idea, viewer)}
        listed = {idea.id for idea in ideas if ops.may_list_idea(idea, viewer)}
        assert set(db.session.scalars(select(Idea.id).where(ops.readable_ideas_clause(viewer)))) == seen, role
        assert set(db.session.scalars(select(Idea.id).where(ops.listed_ideas_clause(viewer)))) == listed, role
        assert len(seen) == expected[role], role
        assert all(idea.review is None for idea in ideas if idea.id in listed), role
