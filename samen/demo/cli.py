"""`flask demo load`: load the demo plan (idempotent)."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from samen.core.database import db

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
def load_command() -> None:
    """Load the demo plan; running it again changes nothing."""
    from samen.demo.loader import load_demo

    report = load_demo()
    db.session.commit()
    click.echo(str(report))
