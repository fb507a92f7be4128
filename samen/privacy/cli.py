"""`flask backup …`, `flask retention apply` and `flask privacy …` for administrators and cron."""
from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from samen.accounts.operations import find_user_by_email
from samen.core.database import db, utcnow
from samen.core.errors import DomainError
from samen.privacy import backup as backups
from samen.privacy import operations as ops

backup_cli = AppGroup("backup", help="Back up and restore the database (SQLite or PostgreSQL).")
retention_cli = AppGroup("retention", help="Remove what is older than its retention period.")
privacy_cli = AppGroup("privacy", help="Export or delete one person's data, on their request.")


@backup_cli.command("create")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
def create_command(path: Path | None) -> None:
    """Write a backup to PATH (by default a new file in BACKUP_DIR) while the site keeps running."""
    url = current_app.config["DATABASE_URL"]
    try:
        target = path or backups.default_path(current_app.config["BACKUP_DIR"], url, now=utcnow())
        written = backups.create_backup(url, target)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {written} ({written.stat().st_size} bytes).")


@backup_cli.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--no-safety-backup", is_flag=True,
              help="Do not copy the current database to BACKUP_DIR before it is replaced.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(path: Path, no_safety_backup: bool, yes: bool) -> None:
    """Replace the database with the backup at PATH; accounts deleted since then stay deleted.

    Stop the site first: the restore replaces everything it would be working with.
    """
    url = current_app.config["DATABASE_URL"]
    if not yes:
        click.confirm(f"Replace the database with {path}? Everything since that backup is lost", abort=True)
    safety = None if no_safety_backup else backups.default_path(current_app.config["BACKUP_DIR"], url, now=utcnow(),
                                                                prefix="pre-restore-")
    try:
        restored = backups.restore_database(url, path, safety_backup=safety)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from error
    if restored.safety_backup:
        click.echo(f"The database as it was is kept in {restored.safety_backup}.")
    click.echo(f"Restored {restored.path}.")
    if restored.deletions:
        ids = ", ".join(str(deletion.user_id) for deletion in restored.deletions)
        click.echo(f"Deleted again {len(restored.deletions)} account(s) deleted after the backup was made: {ids}.")
    else:
        click.echo("No account deleted since the backup was in it.")


@retention_cli.command("apply")
@click.option("--dry-run", is_flag=True, help="Only say what would be removed.")
def retention_command(dry_run: bool) -> None:
    """Remove what is older than its retention period (RETENTION_*_DAYS); run it daily from cron."""
    results = ops.apply_retention(current_app.config, dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    verb = "would remove" if dry_run else "removed"
    for result in results:
        click.echo(f"{result.feature}: {verb} {result.count} {result.what}")
    if not results:
        click.echo("No retention period is set: nothing to do.")


def _user(email: str):
    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No user with e-mail address {email}.")
    return user


@privacy_cli.command("export")
@click.argument("email")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Write to this file instead of the screen.")
def export_command(email: str, output) -> None:
    """Print everything stored about EMAIL as JSON (for a request that reaches you by letter or e-mail)."""
    output.write(ops.to_json(ops.export_user_data(_user(email))) + "\n")


@privacy_cli.command("delete")
@click.argument("email")
@click.option("--contributions", type=click.Choice(["keep", "remove"]), required=True,
              help="keep: ideas, comments and updates stay as a deleted participant's; remove: they are deleted.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def delete_command(email: str, contributions: str, yes: bool) -> None:
    """Delete the account of EMAIL, as its owner could on the site."""
    user = _user(email)
    if not yes:
        click.confirm(f"Delete the account of {user.email} for good ({contributions} contributions)?", abort=True)
    # The command line speaks English, whatever the site's default language.
    with force_locale("en"):
        try:
            deletion = ops.delete_account(user, keep_contributions=contributions == "keep",
                                          hash_key=current_app.config["SECRET_KEY"])
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"Deleted account {deletion.user_id}.")
    for line in deletion.lines():
        click.echo(f"  {line}")


@privacy_cli.command("was-deleted")
@click.argument("email")
def was_deleted_command(email: str) -> None:
    """Tell whether an account with EMAIL was deleted, and when."""
    found = ops.was_deleted(email, current_app.config["SECRET_KEY"])
    if not found:
        click.echo(f"No deleted account is recorded for {email}.")
    for record in found:
        click.echo(f"Account {record.user_id} was deleted on {record.deleted_at:%Y-%m-%d %H:%M} UTC "
                   f"({record.contributions} contributions).")
