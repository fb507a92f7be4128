"""The stories' keys: their own, rotated like the help desk's; production without one logs an error."""
from __future__ import annotations

import logging

from cryptography.fernet import Fernet
from sqlalchemy import text

from samen import create_app
from samen.helpdesk import crypto as help_crypto
from samen.stories import crypto
from samen.stories import operations as ops
from samen.stories.models import Story
from tests.conftest import make_config
from tests.stories.conftest import QUOTABLE


def test_rotation_re_encrypts_with_the_newest_key(app, db, make_story):
    story = make_story(QUOTABLE)
    old = db.session.execute(text("SELECT text FROM stories WHERE id = :id"), {"id": story.id}).scalar_one()
    original = app.extensions[crypto.EXTENSION]
    current = crypto.derived_key(app.config["SECRET_KEY"])  # the tests' key
    new = Fernet(Fernet.generate_key())
    try:
        crypto.use_keys(app, [new, current])
        assert ops.rotate_keys() >= 2  # the text and the neighbourhood
        raw = db.session.execute(text("SELECT text FROM stories WHERE id = :id"), {"id": story.id}).scalar_one()
        assert raw != old and new.decrypt(raw.encode()).decode() == QUOTABLE
        crypto.use_keys(app, [new])
        db.session.expire_all()
        assert db.session.get(Story, story.id).text == QUOTABLE
    finally:
        app.extensions[crypto.EXTENSION] = original


def test_the_help_desks_key_opens_no_story(app, db, make_story):
    story = make_story(QUOTABLE)
    raw = db.session.execute(text("SELECT text FROM stories WHERE id = :id"), {"id": story.id}).scalar_one()
    assert help_crypto.decrypt(raw) == help_crypto.UNREADABLE


def test_production_without_a_key_of_their_own_says_so(database_url, caplog):
    help_key = Fernet.generate_key().decode()
    with caplog.at_level(logging.ERROR, logger="samen.stories.crypto"):
        application = create_app(make_config(database_url, PRODUCTION=True, HELP_ENCRYPTION_KEY=help_key))
    assert "STORIES_ENCRYPTION_KEY is not set" in caplog.text
    own = Fernet.generate_key().decode()
    application = create_app(make_config(database_url, PRODUCTION=True, HELP_ENCRYPTION_KEY=help_key,
                                         STORIES_ENCRYPTION_KEY=own))
    token = application.extensions[crypto.EXTENSION].encrypt(b"x")
    assert Fernet(own.encode()).decrypt(token) == b"x"
