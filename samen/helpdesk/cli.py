"""`flask helpdesk …`: make and rotate the encryption key, feed the indicators, link an indicator to a count."""
from __future__ import annotations

import click
from cryptography.fernet import Fernet
from flask import current_app
from flask.cli import AppGroup

from samen.actions.models import Indicator
from samen.core.database import db
from samen.core.errors import DomainError
from samen.helpdesk import counts
from samen.helpdesk import operations as ops

helpdesk_cli = AppGroup("helpdesk", help="The confidential help desk: keys, counts and indicators.")


@helpdesk_cli.command("new-key")
def new_key_command() -> None:
    """Print a new encryption key for HELP_ENCRYPTION_KEY (put it in front of the old ones to rotate)."""
    click.echo(Fernet.generate_key().decode())


@helpdesk_cli.command("rotate-key")
def rotate_key_command() -> None:
    """Re-encrypt every help request, contact detail and message (and the partner pulse's answers) with the newest
    key of HELP_ENCRYPTION_KEY."""
    changed = ops.rotate_keys()
    db.session.commit()
    click.echo(f"Re-encrypted {changed} value(s) with the newest key; older keys can now be removed.")


@helpdesk_cli.command("feed-indicators")
def feed_command() -> None:
    """Write each complete month's counts into the indicators fed by the help desk; run it monthly from cron."""
    written = counts.feed_indicators(threshold=current_app.config["HELP_COUNT_THRESHOLD"])
    db.session.commit()
    click.echo(f"Wrote {written} measurement(s).")


@helpdesk_cli.command("link-indicator")
@click.argument("indicator_id", type=int)
@click.argument("feed", type=click.Choice([*counts.FEEDS, "none"]))
def link_command(indicator_id: int, feed: str) -> None:
    """Let the help desk feed indicator INDICATOR_ID with a monthly count (FEED), or stop (none)."""
    indicator = db.session.get(Indicator, indicator_id) if 0 < indicator_id < 2**31 else None
    if indicator is None:
        raise click.ClickException(f"There is no indicator {indicator_id}.")
    try:
        counts.link_indicator(indicator, None if feed == "none" else feed, by=None)
    except DomainError as error:
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"Indicator {indicator_id} ({indicator.name}): " + (
        "no longer fed by the help desk." if feed == "none" else f"fed with the count {feed!r}."))
