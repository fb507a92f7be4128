"""Migration 20261207_1730 on a copy of the demo data: the free-text organisations people typed become register
entries — values equal but for case and spaces are one entry, near-duplicates stay apart for an administrator —
with their people as contacts (active where a chair gave them an action of it) and each action's lead."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, func, select, update

from samen import create_app
from samen.accounts.models import User
from samen.actions.models import ActionItem
from samen.core import migrate
from samen.core.database import db
from samen.demo.stories_data import ANALYST as STORIES_ANALYST
from samen.demo.stories_data import FIELD_WORKER as STORIES_FIELD_WORKER
from samen.demo.data import ACTIONS, PEOPLE
from samen.meetings.models import Vote
from samen.partners import operations as ops
from samen.partners.models import ActionOrganisation, Organisation, OrganisationContact, organisation_lines
from tests.conftest import make_config, scratch_postgres
from tests.full_database import build_sqlite, filled_postgres

pytestmark = pytest.mark.integration  # whole databases: make test-fast leaves it out

BELOW = "20261207_1630"


@pytest.fixture(scope="module")
def demo_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sqlite(tmp_path_factory.mktemp("demo") / "demo.db")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def demo_copy(request: pytest.FixtureRequest, tmp_path: Path, demo_sqlite: Path) -> Iterator[Flask]:
    """Return an app on a copy of the demo data, as it was before the register: free text only."""
    if request.param == "sqlite":
        path = tmp_path / "copy.db"
        shutil.copy(demo_sqlite, path)
        application = create_app(make_config(f"sqlite:///{path}"))
        _before_the_register(application)
        yield application
        application.extensions["samen_db"]["engine"].dispose()
        return
    with filled_postgres("partners_migration") as template, scratch_postgres("partners_copy",
                                                                           template=template) as url:
        application = create_app(make_config(url))
        _before_the_register(application)
        yield application
        application.extensions["samen_db"]["engine"].dispose()


def _before_the_register(application: Flask) -> None:
    """Empty the register and put back what the demo's people and chairs typed, a few variants more; go down."""
    with application.app_context():
        for statement in (delete(ActionOrganisation), delete(OrganisationContact), delete(organisation_lines),
                          update(Organisation).values(merged_into_id=None), delete(Organisation)):
            db.session.execute(statement)
        for person in PEOPLE:
            db.session.execute(update(User).where(User.email == person.email)
                               .values(organisation=person.organisation))
        for demo in ACTIONS:
            db.session.execute(update(ActionItem).where(ActionItem.title == demo.title)
                               .values(organisation=demo.organisation))
        # How people really type: other case, extra spaces — one organisation still.
        db.session.execute(update(User).where(User.email == "politie-stefan@samen.local")
                           .values(organisation="  politie "))
        db.session.execute(update(User).where(User.email == "ggd-bram@samen.local")
                           .values(organisation="GGD Gelderland-Midden"))
        # Plan-wide actions (samen/programme) cannot go below their revision: the demo's go first.
        db.session.execute(delete(ActionItem).where(ActionItem.thinktank_id.is_(None)))
        # Nor can the votes of the demo meeting's guests (samen/meetings/guests.py), which need their revision.
        db.session.execute(delete(Vote).where(Vote.guest_id.is_not(None)))
        db.session.commit()
        migrate.downgrade(BELOW)
        db.session.remove()


def _register() -> dict[str, Any]:
    organisations = {o.name: o for o in db.session.scalars(select(Organisation))}
    contacts = {(c.organisation_id, c.user_id): c.status for c in db.session.scalars(select(OrganisationContact))}
    leads = {row[0]: row[1] for row in db.session.execute(select(ActionOrganisation.action_id,
                                                                 ActionOrganisation.organisation_id))}
    return {"organisations": organisations, "contacts": contacts, "leads": leads}


def test_the_free_text_becomes_the_register(demo_copy: Flask) -> None:
    with demo_copy.app_context():
        migrate.upgrade()
        found = _register()
        names = set(found["organisations"])
        typed = {person.organisation for person in PEOPLE if person.organisation} | {
            demo.organisation for demo in ACTIONS} | {"GGD Gelderland-Midden"} | {
            person[2] for person in (STORIES_ANALYST, STORIES_FIELD_WORKER)}
        assert names == typed  # one entry per value, "  politie " with "Politie"
        police = found["organisations"]["Politie"]
        stefan = db.session.scalar(select(User).where(User.email == "politie-stefan@samen.local"))
        assert found["contacts"][(police.id, stefan.id)] == "pending"  # typed it himself
        karin = db.session.scalar(select(User).where(User.email == "politie-karin@samen.local"))
        assert found["contacts"][(police.id, karin.id)] == "active"  # a chair gave her an action of it
        actions = list(db.session.scalars(select(ActionItem).where(ActionItem.organisation != "")))
        assert actions and all(found["leads"].get(action.id) == found["organisations"][action.organisation].id
                               for action in actions)
        assert all(found["organisations"][n].kind == "police" for n in ("Politie",))
        # Near-duplicates are not merged, but listed for an administrator.
        assert {"GGD", "GGD Gelderland-Midden"} <= names
        pairs = {(pair.first.name, pair.second.name) for pair in ops.possible_duplicates()}
        assert ("GGD", "GGD Gelderland-Midden") in pairs
        entries = db.session.scalar(select(func.count()).select_from(Organisation))
        db.session.remove()
        # Down and up again adds nothing: every value matches its entry now.
        migrate.downgrade(BELOW)
        migrate.upgrade()
        again = _register()
        assert db.session.scalar(select(func.count()).select_from(Organisation)) == entries
        assert again["contacts"] == found["contacts"] and again["leads"] == found["leads"]
