"""An idea's page: the meetings it came up at (as the viewer may see them), and its Open Graph preview."""
from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from samen.core.database import utcnow
from samen.meetings import operations as meeting_ops
from samen.meetings.models import Ballot, MeetingIdea

pytestmark = pytest.mark.database


def _meeting(db: Any, tank: Any, by: Any, title: str, idea: Any, *, public: bool = True, days: int = 7) -> Any:
    starts = (utcnow() + timedelta(days=days)).replace(microsecond=0)
    meeting = meeting_ops.create_meeting(tank, by=by, title=title, starts_at=starts,
                                         ends_at=starts + timedelta(hours=2), location="Het Huis", public=public)
    meeting_ops.add_agenda_item(meeting, by=by, title="Ideeën", ideas=[idea.id])
    db.session.commit()
    return meeting


def test_the_page_names_the_meetings_and_how_the_idea_came_up(client: Any, db: Any, world: Any) -> None:
    idea = world.things["open idea"]
    public = _meeting(db, world.open, world.chair, "Open avond", idea)
    db.session.add(Ballot(meeting_id=public.id, kind="dots", dots=3, options=[idea]))
    private = _meeting(db, world.open, world.chair, "Besloten overleg", idea, public=False)
    db.session.add(MeetingIdea(idea_id=idea.id, meeting_id=private.id))
    db.session.commit()
    page = client.get(f"/ideas/{idea.id}?lang=en").get_data(as_text=True)
    assert f'href="/meetings/{public.id}">Open avond</a>' in page
    assert "on the agenda, voted on" in page
    assert "Besloten overleg" not in page  # members only


def test_members_see_the_members_only_meeting(client: Any, auth: Any, db: Any, world: Any) -> None:
    idea = world.things["open idea"]
    _meeting(db, world.open, world.chair, "Besloten overleg", idea, public=False)
    auth.login(world.chair)
    assert "Besloten overleg" in client.get(f"/ideas/{idea.id}").get_data(as_text=True)


def test_the_idea_page_has_an_open_graph_preview(client: Any, app: Any, world: Any, monkeypatch: Any) -> None:
    monkeypatch.setitem(app.config, "BASE_URL", "https://samen.example.nl")
    idea = world.things["open idea"]
    page = client.get(f"/ideas/{idea.id}", headers={"Host": "localhost"}).get_data(as_text=True)
    assert '<meta property="og:title" content="Een skatebaan bij het park">' in page
    assert '<meta property="og:description" content="Jongeren hebben een plek nodig.">' in page
    assert f'<meta property="og:url" content="https://samen.example.nl/ideas/{idea.id}">' in page
    # No third party: nothing the page loads comes from elsewhere.
    assert not re.search(r'(src|href)="(https?:)?//', page.split("<body>")[0].replace(
        f'content="https://samen.example.nl/ideas/{idea.id}"', ""))


def test_markup_in_the_title_stays_text_in_the_preview(client: Any, db: Any, world: Any, create_idea: Any) -> None:
    idea = create_idea(world.open, world.chair, title='"><script>alert(1)</script>', body="<b>vet</b> & meer")
    page = client.get(f"/ideas/{idea.id}").get_data(as_text=True)
    assert '<meta property="og:title" content="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">' in page


def _count(client: Any, count_queries: Any, path: str) -> int:
    client.get(path)
    with count_queries() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def test_meetings_do_not_add_queries(client: Any, auth: Any, db: Any, world: Any, count_queries: Any) -> None:
    idea = world.things["open idea"]
    _meeting(db, world.open, world.chair, "Eerste", idea)
    auth.login(world.chair)
    path = f"/ideas/{idea.id}"
    small = _count(client, count_queries, path)
    for n in range(8):
        _meeting(db, world.open, world.chair, f"Avond {n}", idea, public=n % 2 == 0, days=8 + n)
    assert _count(client, count_queries, path) == small
    assert client.get(path).get_data(as_text=True).count('href="/meetings/') >= 9
