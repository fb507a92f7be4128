"""Request texts, contact details, notes and replies are encrypted at rest; keys rotate; production needs one."""
from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Text, select, text

from samen import create_app
from samen.helpdesk import crypto
from samen.helpdesk import operations as ops
from samen.helpdesk.models import HelpMessage, HelpRequest
from tests.conftest import make_config
from tests.helpdesk.conftest import SECRET_TEXT

CONTACT = "ouder.anoniem@example.org"


def _raw(db, table: str, column: str, row_id: int) -> str:
    return db.session.execute(text(f"SELECT CAST({column} AS TEXT) FROM {table} WHERE id = :id"),
                              {"id": row_id}).scalar_one()


def test_the_stored_values_are_ciphertext_and_read_back_as_written(db, make_request, team_member):
    request, _code = make_request(contact_method="email", contact=CONTACT, mail_replies=True)
    note = ops.add_note(request, "Interne notitie over de schuldeiser", by=team_member)
    answer = ops.reply(request, "We bellen u morgen", by=team_member)
    request.referral_note = "Tactus verslavingszorg"
    db.session.commit()

    stored = {_raw(db, "help_requests", column, request.id) for column in ("text", "contact", "referral_note")}
    stored |= {_raw(db, "help_messages", "body", message.id) for message in (note, answer)}
    for value in stored:
        assert value.startswith("gAAAAA")  # a Fernet token
        for plain in (SECRET_TEXT, CONTACT, "schuldeiser", "morgen", "Tactus"):
            assert plain not in value
    db.session.expire_all()
    again = db.session.get(HelpRequest, request.id)
    assert (again.text, again.contact, again.referral_note) == (SECRET_TEXT, CONTACT, "Tactus verslavingszorg")
    assert [m.body for m in again.messages] == ["Interne notitie over de schuldeiser", "We bellen u morgen"]


def test_rotation_re_encrypts_every_value_with_the_newest_key(app, db, make_request, team_member, monkeypatch):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setitem(app.extensions, crypto.EXTENSION, crypto.cipher())  # restored afterwards
    crypto.use_keys(app, crypto.parse_keys(old))
    request, _code = make_request(contact_method="phone", contact="06 12345678")
    note = ops.add_note(request, "Notitie", by=team_member)
    db.session.commit()
    before = _raw(db, "help_requests", "text", request.id)

    crypto.use_keys(app, crypto.parse_keys(f"{new},{old}"))
    assert ops.rotate_keys() == 3  # text, contact and the note
    db.session.commit()
    after = _raw(db, "help_requests", "text", request.id)
    assert after != before
    assert Fernet(new.encode()).decrypt(after.encode()).decode() == SECRET_TEXT
    assert Fernet(new.encode()).decrypt(_raw(db, "help_messages", "body", note.id).encode()) == b"Notitie"

    crypto.use_keys(app, crypto.parse_keys(new))  # the old key is dropped: everything still reads
    db.session.expire_all()
    assert db.session.get(HelpRequest, request.id).contact == "06 12345678"
    assert db.session.get(HelpMessage, note.id).body == "Notitie"


def test_a_value_of_a_dropped_key_reads_as_unreadable_not_as_an_error(app, db, help_request, monkeypatch):
    request, _code = help_request
    monkeypatch.setitem(app.extensions, crypto.EXTENSION, crypto.cipher())
    crypto.use_keys(app, crypto.parse_keys(Fernet.generate_key().decode()))
    db.session.expire_all()
    assert db.session.get(HelpRequest, request.id).text == crypto.UNREADABLE


def test_the_encrypted_columns_are_the_sensitive_ones():
    assert set(crypto.encrypted_columns(HelpRequest.__table__)) == {"text", "contact", "referral_note"}
    assert crypto.encrypted_columns(HelpMessage.__table__) == ["body"]
    assert isinstance(HelpRequest.__table__.c.text.type.impl_instance, Text)


def test_production_refuses_to_start_with_requests_enabled_and_no_key(database_url):
    with pytest.raises(crypto.KeyMissing):
        create_app(make_config(database_url, PRODUCTION=True, HELP_REQUESTS_ENABLED=True, HELP_ENCRYPTION_KEY=""))
    create_app(make_config(database_url, PRODUCTION=True, HELP_REQUESTS_ENABLED=False, HELP_ENCRYPTION_KEY=""))
    key = Fernet.generate_key().decode()
    application = create_app(make_config(database_url, PRODUCTION=True, HELP_ENCRYPTION_KEY=key))
    assert application.extensions[crypto.EXTENSION] is not None


def test_a_value_that_is_no_key_is_refused_at_start(database_url):
    with pytest.raises(RuntimeError, match="no Fernet key"):
        create_app(make_config(database_url, HELP_ENCRYPTION_KEY="not-a-key"))


def test_the_receipt_code_is_long_random_and_only_its_hash_is_stored(db, make_request):
    first, code = make_request()
    _second, other = make_request()
    assert len(code) >= 32 and code != other  # 24 random bytes: 192 bits
    row = db.session.execute(select(HelpRequest.receipt_hash).where(HelpRequest.id == first.id)).scalar_one()
    assert row == ops.hash_code(code) and code not in row
    assert ops.find_by_code(code).id == first.id
    assert ops.find_by_code(code[:-1] + ("A" if code[-1] != "A" else "B")) is None
    assert ops.find_by_code("x" * 500) is None
