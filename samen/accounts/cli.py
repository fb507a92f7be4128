"""`flask users …` for administrators and scripts."""
from __future__ import annotations

import click
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from samen.accounts import operations as ops
from samen.core.database import db
from samen.core.errors import DomainError

users_cli = AppGroup("users", help="Create users and API tokens.")


def _check_user_fields(email: str, name: str, password: str, organisation: str | None) -> None:
    """Refuse what the registration form would refuse, so a script cannot store what the site never would."""
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise click.BadParameter(str(error), param_hint="EMAIL") from error
    if len(email) > 254:
        raise click.BadParameter("use at most 254 characters.", param_hint="EMAIL")
    if not 2 <= len(name.strip()) <= 80:
        raise click.BadParameter("use 2 to 80 characters.", param_hint="--name")
    if organisation and len(organisation.strip()) > 120:
        raise click.BadParameter("use at most 120 characters.", param_hint="--organisation")
    problem = ops.password_problem(password, min_length=current_app.config["PASSWORD_MIN_LENGTH"],
                                   user_inputs=[email, name])
    if problem:
        raise click.BadParameter(str(problem), param_hint="--password")


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Display name (a pseudonym is fine).")
@click.option("--password", required=True, help="At least 10 characters, not a common password.")
@click.option("--admin", is_flag=True, help="Make the user a site admin.")
@click.option("--professional", is_flag=True, help="The user takes part as a professional.")
@click.option("--organisation", default=None, help="The professional's organisation, e.g. Tactus.")
def create_command(email: str, name: str, password: str, admin: bool, professional: bool,
                   organisation: str | None) -> None:
    """Create a user."""
    if organisation and not professional:
        raise click.UsageError("--organisation is for professionals: add --professional.")
    if professional and not (organisation or "").strip():
        raise click.UsageError("A professional needs --organisation, e.g. --organisation Tactus.")
    # The command line speaks English, whatever the site's default language (and there is no request to ask).
    with force_locale("en"):
        _check_user_fields(email, name, password, organisation)
        try:
            user = ops.create_user(email=email, display_name=name, password=password, is_admin=admin,
                                   kind="professional" if professional else "resident",
                                   organisation=organisation)
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(f"Created user {user.id} <{user.email}>{' (admin)' if admin else ''}.")


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="cli", help="What the token is for.")
@click.option("--days", type=int, default=None, help="Days until it expires (API_TOKEN_DEFAULT_DAYS by default).")
def token_command(email: str, name: str, days: int | None) -> None:
    """Print a new API token for EMAIL."""
    user = ops.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No user with e-mail address {email}.")
    config = current_app.config
    try:
        token = ops.create_api_token(user, name=name, days=days or config["API_TOKEN_DEFAULT_DAYS"],
                                     max_days=config["API_TOKEN_MAX_DAYS"])
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from error
    db.session.commit()
    click.echo(token)


@users_cli.command("admin")
@click.argument("email")
@click.option("--revoke", is_flag=True, help="Take the admin flag away.")
def admin_command(email: str, revoke: bool) -> None:
    """Grant (or revoke) site admin to EMAIL."""
    user = ops.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No user with e-mail address {email}.")
    ops.set_admin(user, not revoke)
    db.session.commit()
    click.echo(f"{user.email} is {'no longer ' if revoke else ''}an admin.")


@users_cli.command("unlock")
@click.argument("email")
def unlock_command(email: str) -> None:
    """Unlock EMAIL's account after too many failed sign-ins (when the e-mailed link cannot be used)."""
    user = ops.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No user with e-mail address {email}.")
    was_locked = ops.unlock_account(user, by=None, how="cli")
    db.session.commit()
    click.echo(f"{user.email} is unlocked." if was_locked else f"{user.email} was not locked.")


@users_cli.command("confirm")
@click.argument("email")
def confirm_command(email: str) -> None:
    """Confirm EMAIL's address without the e-mailed link (when it cannot arrive, and you know it is theirs)."""
    user = ops.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No user with e-mail address {email}.")
    was_unconfirmed = ops.confirm_without_link(user, by=None, how="cli")
    db.session.commit()
    click.echo(f"{user.email} is confirmed." if was_unconfirmed else f"{user.email} was confirmed already.")


@users_cli.command("purge")
def purge_command() -> None:
    """Delete ended sessions and account links that can no longer be used (run it daily from cron)."""
    config = current_app.config
    policy = ops.SessionPolicy(idle=config["SESSION_IDLE_TIMEOUT"], absolute=config["SESSION_ABSOLUTE_TIMEOUT"],
                               remember=config["REMEMBER_COOKIE_DURATION"])
    sessions, tokens = ops.purge_expired(policy)
    db.session.commit()
    click.echo(f"Deleted {sessions} ended session(s) and {tokens} used or expired link(s).")
