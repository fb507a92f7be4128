"""The partner organisations the browser tests show: the police leads the seeded action with Halt, Halt the
overdue one."""
from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from samen.accounts.models import User
from samen.actions import operations as action_ops
from samen.actions.models import ActionItem
from samen.core.database import db
from samen.partners import operations as ops


def seed_partners(app: Flask, seeded: dict[str, int]) -> dict[str, int]:
    """Add two organisations of the register, carrying the seeded actions."""
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.is_admin.is_(True)))
        police = ops.create_organisation(by=admin, name="Politie Nijkerk", kind="police",
                                         description="Wijkagenten en de jeugdagent van het basisteam.",
                                         website="https://www.politie.nl")
        halt = ops.create_organisation(by=admin, name="Halt", kind="justice",
                                       description="Een Halt-straf en voorlichting voor jongeren.")
        ops.create_organisation(by=admin, name="Politie", kind="police")  # a possible duplicate
        action: Any = db.session.get(ActionItem, seeded["action"])
        overdue: Any = db.session.get(ActionItem, seeded["overdue_action"])
        action_ops.update_action(action, by=admin, lead=police, co=[halt])
        action_ops.update_action(overdue, by=admin, lead=halt)
        db.session.commit()
        return {"police": police.id, "halt": halt.id}
