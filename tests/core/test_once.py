"""A creating form is done once per token, however often it is sent (samen/core/once.py): the forms of ideas,
comments, progress updates, milestones, measurements and new actions, sent twice as a browser resends after a lost
answer."""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from samen.actions import operations as action_ops
from samen.actions.models import ActionItem, Indicator, Measurement, Milestone, ProgressUpdate
from samen.api.models import IdempotencyKey
from samen.core.database import AppSession, utcnow
from samen.ideas.models import Comment, Idea

TOKEN = re.compile(r'name="submission" value="([0-9a-f]{32})"')


def token_of(html: str, action: str) -> str:
    """The token of the form posting to `action` on the page."""
    start = html.index(f'action="{action}')
    return TOKEN.search(html, start).group(1)


def count(model: Any, db: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def chair_action(chair: Any, thinktank: Any, db: Any) -> ActionItem:
    action = action_ops.create_action(thinktank, by=chair, title="Voorlichting op scholen", owner=chair,
                                      start_date=date.today() - timedelta(days=3),
                                      due_date=date.today() + timedelta(days=30))
    db.session.commit()
    return action


@pytest.fixture
def indicator(thinktank: Any, db: Any) -> Indicator:
    made = Indicator(thinktank_id=thinktank.id, name="Jongeren bereikt", unit="jongeren")
    db.session.add(made)
    db.session.commit()
    return made


# Each form: (who signs in, the page that shows it, where it posts, what it sends, what it creates).
Case = Callable[[dict[str, Any]], tuple[Any, str, str, dict[str, str], Any]]
CASES: dict[str, Case] = {
    "idea": lambda w: (w["member"], f"/thinktanks/{w['thinktank'].slug}/ideas/new",
                       f"/thinktanks/{w['thinktank'].slug}/ideas/new",
                       {"title": "Een jongerencentrum in het dorp", "body": "Een plek voor jongeren."}, Idea),
    "comment": lambda w: (w["member"], f"/ideas/{w['idea'].id}", f"/ideas/{w['idea'].id}/comments",
                          {"body": "Goed idee, ik help mee."}, Comment),
    "update": lambda w: (w["chair"], f"/actions/{w['chair_action'].id}", f"/actions/{w['chair_action'].id}/updates",
                         {"body": "De eerste school doet mee.", "progress": "20", "status": "in_progress"},
                         ProgressUpdate),
    "milestone": lambda w: (w["chair"], f"/actions/{w['chair_action'].id}",
                            f"/actions/{w['chair_action'].id}/milestones", {"title": "Eerste les"}, Milestone),
    "measurement": lambda w: (w["chair"], f"/indicators/{w['indicator'].id}",
                              f"/indicators/{w['indicator'].id}/measurements",
                              {"date": date.today().isoformat(), "value": "12", "note": ""}, Measurement),
    "action": lambda w: (w["chair"], f"/actions/new?thinktank={w['thinktank'].slug}", "/actions/new",
                         {"title": "Een avond voor ouders", "description": "", "owner_id": "", "organisation": "",
                          "start_date": "", "due_date": ""}, ActionItem),
}


@pytest.fixture
def world(member: Any, chair: Any, thinktank: Any, idea: Any, chair_action: ActionItem,
          indicator: Indicator) -> dict[str, Any]:
    return {"member": member, "chair": chair, "thinktank": thinktank, "idea": idea, "chair_action": chair_action,
            "indicator": indicator}


@pytest.mark.parametrize("form", sorted(CASES))
def test_a_form_sent_twice_is_done_once_and_the_second_answer_leads_to_the_first(
        form: str, world: dict[str, Any], auth: Any, db: Any) -> None:
    person, page, target, data, model = CASES[form](world)
    auth.login(person)
    html = auth.client.get(page).get_data(as_text=True)
    data = {**data, "submission": token_of(html, target)}
    before = count(model, db)
    first = auth.post(target + ("?" + page.split("?", 1)[1] if "?" in page else ""), data)
    assert first.status_code in (302, 303), first.get_data(as_text=True)[:2000]
    assert count(model, db) == before + 1
    again = auth.post(target + ("?" + page.split("?", 1)[1] if "?" in page else ""), data)
    assert again.status_code == 303
    assert again.location == first.location
    assert count(model, db) == before + 1
    shown = auth.client.get(again.location).get_data(as_text=True)
    assert "already sent" in shown or "al verstuurd" in shown


def test_every_token_on_a_page_is_new(world: dict[str, Any], auth: Any) -> None:
    auth.login(world["chair"])
    first = TOKEN.findall(auth.client.get(f"/actions/{world['chair_action'].id}").get_data(as_text=True))
    second = TOKEN.findall(auth.client.get(f"/actions/{world['chair_action'].id}").get_data(as_text=True))
    assert len(first) == 2 and len(set(first + second)) == 4


def test_the_same_token_with_other_contents_is_a_new_submission(world: dict[str, Any], auth: Any, db: Any) -> None:
    """A page restored by the back button and filled in anew still carries the old token: it must not be lost."""
    auth.login(world["member"])
    target = f"/ideas/{world['idea'].id}/comments"
    token = token_of(auth.client.get(f"/ideas/{world['idea'].id}").get_data(as_text=True), target)
    auth.post(target, {"body": "Eerste reactie.", "submission": token})
    auth.post(target, {"body": "Een tweede, andere reactie.", "submission": token})
    bodies = set(db.session.scalars(select(Comment.body).where(Comment.idea_id == world["idea"].id)))
    assert {"Eerste reactie.", "Een tweede, andere reactie."} <= bodies


def test_a_form_with_mistakes_frees_its_token_for_the_corrected_one(world: dict[str, Any], auth: Any,
                                                                    db: Any) -> None:
    auth.login(world["member"])
    slug = world["thinktank"].slug
    target = f"/thinktanks/{slug}/ideas/new"
    token = token_of(auth.client.get(target).get_data(as_text=True), target)
    refused = auth.post(target, {"title": "", "body": "Zonder titel", "submission": token})
    assert refused.status_code == 422
    assert count(IdempotencyKey, db) == 0
    made = auth.post(target, {"title": "Met titel", "body": "Zonder titel", "submission": token})
    assert made.status_code in (302, 303)
    assert db.session.scalar(select(func.count()).select_from(Idea).where(Idea.title == "Met titel")) == 1


def test_a_refused_form_keeps_nothing_and_does_not_fail(world: dict[str, Any], auth: Any, db: Any,
                                                       create_user: Any) -> None:
    """An outsider's update is refused (403) before anything is stored: the token goes with the refusal."""
    outsider = create_user(email="buitenstaander@example.org")
    auth.login(outsider)
    answer = auth.post(f"/actions/{world['chair_action'].id}/updates",
                       {"body": "Ik doe ook wat.", "progress": "50", "status": "in_progress",
                        "submission": "a" * 32})
    assert answer.status_code == 403
    assert count(ProgressUpdate, db) == 0
    assert count(IdempotencyKey, db) == 0


def test_without_a_token_each_form_counts(world: dict[str, Any], auth: Any, db: Any) -> None:
    auth.login(world["member"])
    target = f"/ideas/{world['idea'].id}/comments"
    for _ in range(2):
        assert auth.post(target, {"body": "Nog een keer."}).status_code in (302, 303)
    assert db.session.scalar(select(func.count()).select_from(Comment).where(Comment.body == "Nog een keer.")) == 2


def test_another_persons_token_is_theirs_alone(world: dict[str, Any], auth: Any, db: Any) -> None:
    """Tokens are per person: the same token from someone else creates their own comment."""
    target = f"/ideas/{world['idea'].id}/comments"
    for person in (world["member"], world["chair"]):
        auth.login(person)
        auth.post(target, {"body": "Dezelfde tekst.", "submission": "b" * 32})
        auth.logout()
    assert db.session.scalar(select(func.count()).select_from(Comment).where(Comment.body == "Dezelfde tekst.")) == 2


class Killed(BaseException):
    """The process dies (the OOM killer): nothing after this point of the request happens."""


@pytest.mark.parametrize("referrer", ["the form's page", "another site"])
def test_a_copy_sent_after_the_first_died_unanswered_is_told_it_was_saved_once(
        world: dict[str, Any], auth: Any, db: Any, monkeypatch: pytest.MonkeyPatch, referrer: str) -> None:
    person, page, target, data, model = CASES["comment"](world)
    sent_from, back_to = ((f"http://localhost{page}", page) if referrer == "the form's page"
                          else ("http://evil.example/phish", "/"))  # never back to another site
    auth.login(person)
    html = auth.client.get(page).get_data(as_text=True)
    data = {**data, "submission": token_of(html, target)}
    before = count(model, db)
    real_commit = AppSession.commit

    def commit_then_die(self: Any) -> None:
        real_commit(self)
        if self.scalar(select(func.count()).select_from(model)) > before:  # the commit that stored the comment
            monkeypatch.setattr(AppSession, "commit", real_commit)
            raise Killed

    monkeypatch.setattr(AppSession, "commit", commit_then_die)
    with pytest.raises(Killed):
        auth.client.post(target, data={**data, "csrf_token": auth.token()}, headers={"Referer": sent_from})
    assert count(model, db) == before + 1
    sent = {**data, "csrf_token": auth.token()}
    assert auth.client.post(target, data=sent).status_code == 409  # the first may still be running
    db.session.execute(update(IdempotencyKey).values(created_at=utcnow() - timedelta(minutes=2)))
    db.session.commit()
    again = auth.client.post(target, data=sent)
    assert again.status_code == 303 and again.location == back_to  # back to the page the form was on
    assert count(model, db) == before + 1
    shown = auth.client.get(again.location).get_data(as_text=True)
    assert "al verstuurd" in shown or "already sent" in shown
