"""The public progress page shows the upcoming public meetings and the published minutes; its ETag changes with
them; members-only meetings and unpublished minutes stay out."""
from __future__ import annotations

from datetime import timedelta

from samen.core.database import utcnow
from tests.meetings.conftest import soon


def page(client, path: str = "/progress?lang=en") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_upcoming_public_meetings_and_published_minutes(client, db, create_meeting, thinktank, admin):
    create_meeting(thinktank, title="Open denktankavond", location="Het Grote Huis")
    create_meeting(thinktank, title="Besloten avond", public=False)
    create_meeting(None, by=admin, title="Plenaire avond", starts_at=soon(3))
    held = create_meeting(thinktank, title="Avond van vorige maand", starts_at=soon(-30),
                          ends_at=soon(-30) + timedelta(hours=2))
    held.state, held.minutes, held.minutes_published_at = "closed", "We kozen **drie** ideeën.", utcnow()
    draft = create_meeting(thinktank, title="Avond met concept", starts_at=soon(-10),
                           ends_at=soon(-10) + timedelta(hours=2))
    draft.state, draft.minutes = "closed", "Nog niet af."
    db.session.commit()
    html = page(client)
    assert "Upcoming meetings" in html and "Het Grote Huis" in html
    assert html.index("Plenaire avond") < html.index("Open denktankavond")  # soonest first
    assert f'href="/meetings/{held.id}#minutes-heading"' in html and "We kozen drie ideeën." in html
    assert "Besloten avond" not in html and "Avond met concept" not in html
    assert "Avond van vorige maand" not in html[:html.index("Minutes of meetings")]  # held: not upcoming
    assert "Upcoming meetings" in page(client, "/progress/report?lang=en")


def test_the_etag_changes_with_the_meetings(client, db, create_meeting, thinktank):
    first = client.get("/progress").headers["ETag"]
    meeting = create_meeting(thinktank)
    second = client.get("/progress").headers["ETag"]
    meeting.minutes, meeting.minutes_published_at = "Notulen", utcnow()
    db.session.commit()
    assert len({first, second, client.get("/progress").headers["ETag"]}) == 3
