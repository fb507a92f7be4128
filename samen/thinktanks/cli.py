"""`flask thinktanks …` for administrators and scripts."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from samen.accounts.operations import find_user_by_email
from samen.core.database import db
from samen.thinktanks import operations as ops

thinktanks_cli = AppGroup("thinktanks", help="Manage think tanks.")


@thinktanks_cli.command("chair")
@click.argument("slug")
@click.argument("email")
def chair_command(slug: str, email: str) -> None:
    """Appoint EMAIL as a chair of the think tank SLUG; the user becomes a member."""
    thinktank = ops.get_thinktank(slug)
    if thinktank is None:
        raise click.ClickException(f"No think tank with slug {slug}.")
    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No user with e-mail address {email}.")
    ops.appoint_chair(thinktank, user)
    db.session.commit()
    click.echo(f"{user.display_name} <{user.email}> chairs {thinktank.name}.")


@thinktanks_cli.command("list")
def list_command() -> None:
    """List the think tanks with their member counts."""
    for thinktank, count in ops.thinktanks_with_counts(include_archived=True):
        flag = " (archived)" if thinktank.is_archived else ""
        click.echo(f"{thinktank.slug}\t{thinktank.name}\t{count} members{flag}")
