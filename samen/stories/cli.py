"""`flask stories …`: make and rotate the stories' encryption key (retention: `flask retention apply`)."""
from __future__ import annotations

import click
from cryptography.fernet import Fernet
from flask.cli import AppGroup

from samen.core.database import db
from samen.stories import operations as ops

stories_cli = AppGroup("stories", help="Stories from the field: encryption keys.")


@stories_cli.command("new-key")
def new_key_command() -> None:
    """Print a new encryption key for STORIES_ENCRYPTION_KEY (put it in front of the old ones to rotate)."""
    click.echo(Fernet.generate_key().decode())


@stories_cli.command("rotate-key")
def rotate_key_command() -> None:
    """Re-encrypt every story and direction with the newest key of STORIES_ENCRYPTION_KEY."""
    changed = ops.rotate_keys()
    db.session.commit()
    click.echo(f"Re-encrypted {changed} value(s) with the newest key; older keys can now be removed.")
