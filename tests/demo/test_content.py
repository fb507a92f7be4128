"""What the loaded demo shows: ideas with supports, comments and answers; action items; indicators."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from samen.accounts import operations as account_ops
from samen.actions import operations as action_ops
from samen.actions.models import ActionItem, ProgressUpdate, action_indicators
from samen.demo.data import ACTIONS, IDEAS, INDICATORS, TAGS
from samen.demo.loader import load_demo
from samen.ideas import operations as idea_ops
from samen.ideas.models import Comment, Idea, Report, Tag
from samen.thinktanks import operations as tt_ops
from samen.evaluation.operations import PULSE_INDICATOR

# database: what can differ between SQLite and PostgreSQL (runs on both); shared_database: one demo per module
pytestmark = [pytest.mark.database, pytest.mark.shared_database]


def admin():
    return account_ops.find_user_by_email("admin@samen.local")


def test_the_first_load_creates_all_of_the_demo(db, demo):
    created = demo.created
    assert created["ideas"] == len(IDEAS) and created["actions"] == len(ACTIONS)
    assert created["indicators"] == len(INDICATORS)
    assert created["tags"] == sum(len(names) for names in TAGS.values())
    assert created["supports"] == sum(len(idea.supporters) for idea in IDEAS)
    assert created["hidden ideas"] == 1


def test_every_demo_account_is_confirmed_and_agreed_to_the_terms(db, demo):
    from samen.accounts.models import User

    unconfirmed = db.session.scalar(select(func.count()).select_from(User).where(
        User.email_confirmed_at.is_(None) | User.terms_version.is_(None)))
    assert unconfirmed == 0 and db.session.scalar(select(func.count()).select_from(User)) > 70


def test_the_ideas_with_supports_comments_and_answers(db, demo):
    from samen.demo.stories_data import DIRECTION_TITLE

    # The demo's direction of the analysis team becomes an idea too (samen/demo/stories_data.py).
    ideas = list(db.session.scalars(select(Idea).where(Idea.title != DIRECTION_TITLE)))
    assert len(ideas) == len(IDEAS)
    assert sum(idea.support_count for idea in ideas) == sum(len(demo.supporters) for demo in IDEAS)
    assert db.session.scalar(select(func.count()).select_from(Comment).where(Comment.parent_id.is_not(None))) >= 5
    answered = {idea.status for idea in ideas if idea.answer}
    assert {"adopted", "rejected", "existing", "discussion"} <= answered
    anonymous = [idea for idea in ideas if idea.anonymous]
    assert "Moeder uit Hoevelaken" in {idea.author.display_name for idea in anonymous}
    assert all(idea_ops.author_name(idea) is None for idea in anonymous)
    # Backdated: the demo grew over months, and answers came after the ideas.
    assert min(idea.created_at for idea in ideas) < account_ops.find_user_by_email("bewoner@samen.local").created_at
    assert all(idea.answered_at > idea.created_at for idea in ideas if idea.answered_at)
    assert len(db.session.scalars(select(Tag)).all()) == sum(len(names) for names in TAGS.values())


def test_the_idea_lists_render(client, demo):
    page = client.get("/thinktanks/preventie/ideas")
    assert page.status_code == 200
    assert "Vrijetijdsbesteding voor jongeren in het dorp" in page.get_data(as_text=True)


def test_one_idea_is_hidden_after_a_report(db, demo):
    [hidden] = db.session.scalars(select(Idea).where(Idea.hidden_at.is_not(None))).all()
    assert hidden.hidden_reason.startswith("Verborgen omdat")
    [entry] = db.session.scalars(select(Report)).all()
    assert (entry.idea_id, entry.outcome) == (hidden.id, "hidden") and entry.resolved_at is not None
    aanbod = tt_ops.get_thinktank("aanbod")
    listed = idea_ops.list_ideas(aanbod, viewer=admin(), per_page=50).ideas
    assert hidden not in listed and len(listed) == sum(1 for idea in IDEAS if idea.thinktank == "aanbod") - 1


def test_the_actions_are_done_running_planned_delayed_and_overdue(db, demo):
    today = date.today()
    actions = action_ops.list_actions(viewer=admin(), today=today)
    assert len(actions) == len(ACTIONS)
    statuses = {action.status for action in actions}
    assert {"done", "in_progress", "planned", "delayed"} <= statuses
    overdue = [action for action in actions if action.is_overdue(today)]
    assert len(overdue) >= 1 and actions[:len(overdue)] == overdue  # listed first
    assert any(action.milestones and action.status == "in_progress" and 0 < action.progress < 100
               for action in actions)
    assert all(action.progress == 100 for action in actions if action.status == "done")
    internal = [action for action in actions if not action.public]
    assert len(internal) == 1
    assert internal[0] not in action_ops.list_actions(viewer=None)
    assert all(action.ideas and action.ideas[0].status == "adopted" for action in actions)
    assert {"Tactus", "Jongerenwerk", "Gemeente Nijkerk", "Politie", "Voortgezet onderwijs"} <= {
        action.organisation for action in actions}
    # The demo stays realistic whenever it is loaded: the overdue work is overdue today, and reminders are due.
    assert {kind for _action, kind in action_ops.due_reminders(today)} >= {"overdue"}
    my_overdue = action_ops.my_actions(account_ops.find_user_by_email("voorzitter@samen.local"), today=today)
    assert my_overdue and my_overdue[0].is_overdue(today)


def test_progress_updates_are_dated(db, demo):
    updates = db.session.scalars(select(ProgressUpdate).order_by(ProgressUpdate.created_at)).all()
    assert len(updates) == sum(len(action.updates) for action in ACTIONS)
    days = {update.created_at.date() for update in updates}
    assert len(days) > len(updates) // 2
    assert min(days) < date.today() - timedelta(days=90)
    done = db.session.scalars(select(ActionItem).where(ActionItem.status == "done")).all()
    assert all(action_ops.updates_of(action)[0].status == "done" for action in done)


def test_the_indicators_have_measurements_and_serve_actions(db, demo):
    indicators = {indicator.name: indicator for indicator in action_ops.list_indicators()
                  if indicator.help_feed is None  # the help desk's own is tests/helpdesk/test_demo.py's
                  and indicator.name != PULSE_INDICATOR}  # the evaluation's, tests/evaluation/test_demo.py's
    assert set(indicators) == {demo.name for demo in INDICATORS}
    assert all(indicator.measurements for indicator in indicators.values())
    helped = indicators["Inwoners geholpen door de gebiedsteams"]
    assert (helped.baseline_value, helped.baseline_date, helped.target_value) == (150, date(2018, 12, 31), 200)
    arrests = indicators["Aanhoudingen voor drugshandel"]
    assert arrests.baseline_value == 20 and [m.value for m in arrests.measurements] == [42, 45]
    reached = indicators["Jongeren bereikt met voorlichting"]
    assert reached.thinktank.slug == "preventie"
    latest = reached.measurements[-1]
    assert date.today() - timedelta(days=366) < latest.date <= date.today() and latest.note.startswith("Schooljaar")
    linked = db.session.execute(select(action_indicators.c.indicator_id).distinct()).scalars().all()
    assert set(linked) == {indicator.id for indicator in indicators.values()}


def test_an_idea_its_author_renamed_is_not_posted_again(db, demo, snapshot):
    idea = db.session.scalar(select(Idea).where(Idea.title == "Groepsdruk omdraaien"))
    idea_ops.edit_idea(idea, by=idea.author, title="Groepsdruk omdraaien, samen met jongeren")
    db.session.commit()
    before = snapshot()
    assert not load_demo().changed
    assert snapshot() == before
