"""The database and a backup hold no readable request: text, contact details, notes, replies and referrals are
ciphertext in the file and in the dump (SQLite and PostgreSQL)."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from samen.core.database import db
from samen.helpdesk import operations as ops
from samen.helpdesk.models import HelpTeamMember
from samen.accounts import operations as account_ops
from samen.privacy import backup as backups
from tests.conftest import migrated_app, scratch_postgres, skip_or_fail
from tests.helpdesk.conftest import SECRET_TEXT

pytestmark = pytest.mark.integration  # whole databases and their dumps

PLAIN = [SECRET_TEXT, "drugsschuld", "06 98765432", "Notitie over de schuldeiser", "We bellen u vanavond",
         "Hij is zestien", "Tactus Deventer"]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def own(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Flask, str]]:
    """Return an app on a database of its own, and its URL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'own.db'}"
        with migrated_app(url) as application:
            yield application, url
        return
    if shutil.which("pg_dump") is None:
        skip_or_fail("pg_dump is not installed (the PostgreSQL client tools)")
    with scratch_postgres("helpdesk_backup") as url, migrated_app(url) as application:
        yield application, url


def test_neither_the_database_nor_a_backup_holds_readable_request_text(own, tmp_path):
    app, url = own
    with app.app_context():
        member = account_ops.create_user(email="intake@example.org", display_name="Intake",
                                         password_hash="x")
        db.session.add(HelpTeamMember(user_id=member.id))
        request, code = ops.submit_request(about="my_child", text=SECRET_TEXT, urgent=True,
                                           contact_method="phone", contact="06 98765432")
        ops.add_note(request, "Notitie over de schuldeiser", by=member)
        ops.reply(request, "We bellen u vanavond", by=member)
        ops.add_information(request, "Hij is zestien")
        ops.update_status(request, "referred", referral_note="Tactus Deventer", by=member)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()  # everything written to the file
        backup = backups.create_backup(url, tmp_path / "backup.out")
        with app.app_context():
            assert ops.find_by_code(code).text == SECRET_TEXT  # readable with the key
    dumps = {"backup": backup.read_bytes()}
    if url.startswith("sqlite:///"):
        dumps["database file"] = Path(url[len("sqlite:///"):]).read_bytes()
    for name, data in dumps.items():
        assert b"help_requests" in data or (name == "database file" and b"help_requests" in data)
        for plain in PLAIN:
            assert plain.encode() not in data, (name, plain)
