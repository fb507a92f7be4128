"""A database with rows in every table (the demo plan and what the demo leaves empty), and its full contents:
for the backup round trips (tests/privacy) and the migration safety test (tests/core)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, select, text
from sqlalchemy.engine import make_url

from samen.accounts import operations as account_ops
from samen.accounts.models import User
from samen.actions.models import ActionItem, ReminderSent
from samen.core.database import db, utcnow
from samen.demo.loader import load_demo
from samen.follows import operations as follow_ops
from samen.ideas.models import Idea, IdeaVersion
from samen.meetings.models import (AgendaItem, Attendance, Ballot, Decision, IdeaRound, LiveConnection, LiveSignIn,
                                   Meeting, MeetingCommand, MeetingGuest, MeetingIdea, RaisedHand, Registration, Vote,
                                   VoteDot)
from samen.privacy.models import DeletedAccount
from samen.api.models import IdempotencyKey
from samen.partners.models import ActionOrganisation, Organisation, OrganisationContact, UnlistedOrganisation
from samen.programme.models import Line, PlanRole

# Full-text search keeps its own tables on SQLite (an FTS5 table and its shadow tables): they follow `ideas`.
DERIVED = ("ideas_fts", "help_questions_fts")


def fill_database() -> None:
    """Load the demo plan and add a row to each table it leaves empty; commit."""
    load_demo()
    users = list(db.session.scalars(select(User).order_by(User.id).limit(2)))
    for user in users:
        account_ops.start_session(user, user_agent="Firefox")
        account_ops.create_api_token(user, name="koppeling")
    account_ops.issue_token(users[0], "password_reset", lifetime=timedelta(hours=1))
    idea = db.session.scalar(select(Idea).order_by(Idea.id).limit(1))
    db.session.add(IdeaVersion(idea_id=idea.id, title="Een eerdere titel", body="Een eerdere tekst"))
    action = db.session.scalar(select(ActionItem).order_by(ActionItem.id).limit(1))
    db.session.add(ReminderSent(action_id=action.id, kind="due7", due_date=date.today()))
    db.session.add(DeletedAccount(user_id=99999, email_hash="0" * 64, account_created_at=utcnow(),
                                  contributions="keep"))
    db.session.add(IdempotencyKey(user_id=users[0].id, key="sleutel", fingerprint="0" * 64, status=201,
                                  body='{"id": 1}', location="/api/v1/ideas/1"))
    follow_ops.request_email_follow("volger@example.org", "action", action.id)  # follows, e-mail followers
    follow_ops.queue_mail("volger@example.org", "Samen", "Tekst")  # the outbox
    # An idea not linked to a meeting yet (the kick-off's are: samen/demo/programme_data.py).
    _fill_meetings(users, db.session.scalar(select(Idea).where(Idea.id.not_in(select(MeetingIdea.idea_id)))
                                            .order_by(Idea.id.desc()).limit(1)), action)
    _fill_partners(users, action)
    db.session.commit()


def _fill_partners(users: list[User], action: ActionItem) -> None:
    """Add a line, an organisation working in it with a contact, its part in an action, a plan role and a note of
    an organisation that is not listed."""
    line = Line(slug="volle-database-lijn", name="Volle database: lijn")
    organisation = Organisation(slug="volle-database-partner", name="Volle database: partner", kind="other",
                                lines=[line])
    db.session.add_all([line, organisation])
    db.session.flush()
    db.session.add_all([
        OrganisationContact(organisation_id=organisation.id, user_id=users[0].id, status="active"),
        ActionOrganisation(action_id=action.id, organisation_id=organisation.id, role="co"),
        PlanRole(user_id=users[1].id, role="analyst"),
        UnlistedOrganisation(user_id=users[1].id, name="Volle database: niet in het register"),
    ])


def _fill_meetings(users: list[User], idea: Idea, action: ActionItem) -> None:
    """Add a closed meeting with a row in each of the live board's tables."""
    now = utcnow().replace(microsecond=0)
    meeting = Meeting(thinktank_id=idea.thinktank_id, title="Volle database: bijeenkomst", starts_at=now,
                      ends_at=now, state="closed", minutes="# Verslag", capacity=40)
    item = AgendaItem(title="Ideeënronde", position=0, planned_minutes=20, ideas=[idea])
    meeting.agenda.append(item)
    db.session.add(meeting)
    db.session.flush()
    first, second = users
    live_round = IdeaRound(meeting_id=meeting.id, agenda_item_id=item.id, closed_at=now)
    ballot = Ballot(meeting_id=meeting.id, agenda_item_id=item.id, kind="dots", dots=3, options=[idea],
                    closed_at=now)
    guest = MeetingGuest(meeting_id=meeting.id, name="Gast", hand_raised_at=now)
    db.session.add_all([live_round, ballot, guest])
    db.session.flush()
    db.session.add_all([
        Vote(ballot_id=ballot.id, guest_id=guest.id, dots=[VoteDot(idea_id=idea.id, dots=1)]),
        Registration(meeting_id=meeting.id, user_id=first.id),
        MeetingIdea(idea_id=idea.id, meeting_id=meeting.id, agenda_item_id=item.id, round_id=live_round.id),
        Vote(ballot_id=ballot.id, user_id=first.id, dots=[VoteDot(idea_id=idea.id, dots=2)]),
        Decision(meeting_id=meeting.id, agenda_item_id=item.id, text="We gaan door.", action_id=action.id,
                 ideas=[idea]),
        RaisedHand(meeting_id=meeting.id, user_id=second.id),
        Attendance(meeting_id=meeting.id, user_id=first.id),
        LiveConnection(sid="volle-database-sid", meeting_id=meeting.id, user_id=first.id, server="test"),
        LiveSignIn(sid="volle-database-sid", user_id=first.id, server="test"),
        MeetingCommand(meeting_id=meeting.id, user_id=first.id, kind="meeting:close", payload={"ok": True}),
    ])


def build_sqlite(path: Path) -> Path:
    """Make a filled SQLite database at `path`, migrated to head (copy it rather than building it again)."""
    from samen import create_app
    from samen.core import migrate
    from tests.conftest import make_config

    application = create_app(make_config(f"sqlite:///{path}"))
    with application.app_context():
        migrate.upgrade()
        fill_database()
        db.session.remove()
    application.extensions["samen_db"]["engine"].dispose()  # the last connection out writes the WAL back
    return path


@contextmanager
def filled_postgres(suffix: str) -> Iterator[str]:
    """Make a filled PostgreSQL database at head, named after this process's and `suffix`; yield its name, to
    copy as a template (scratch_postgres(..., template=name)) rather than building it again; drop it after."""
    from samen import create_app
    from samen.core import migrate
    from tests.conftest import make_config, scratch_postgres

    with scratch_postgres(suffix) as url:
        application = create_app(make_config(url))
        with application.app_context():
            migrate.upgrade()
            fill_database()
            db.session.remove()
        application.extensions["samen_db"]["engine"].dispose()  # a template may have no connections
        yield make_url(url).database


def tables(connection: Any) -> list[str]:
    """Return the tables whose rows count (not the derived search tables)."""
    return sorted(name for name in inspect(connection).get_table_names() if not name.startswith(DERIVED))


def contents(connection: Any, *, columns: dict[str, list[str]] | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of every table (only the named columns, where given), in a stable order."""
    result = {}
    for table in tables(connection):
        names = (columns or {}).get(table) or [c["name"] for c in inspect(connection).get_columns(table)]
        quoted = ", ".join(f'"{name}"' for name in names)
        rows = connection.execute(text(f'SELECT {quoted} FROM "{table}"')).all()
        result[table] = sorted((tuple(row) for row in rows), key=repr)
    return result


def counts(connection: Any) -> dict[str, int]:
    """Return the number of rows of every table."""
    return {table: connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one()
            for table in tables(connection)}

