"""The evaluations the browser tests look at: last year's published, this year's draft with the partner pulse
sent to a contact of the police and answered, for the axe scans and tests/browser/test_evaluation.py."""
from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask
from sqlalchemy import select

from samen.accounts import operations as account_ops
from samen.accounts.models import User
from samen.actions.models import ActionItem
from samen.core.database import db
from samen.evaluation import operations as ops
from samen.partners.models import Organisation, OrganisationContact
from samen.thinktanks import operations as tt_ops

CONTACT = "contact@politie.example.org"


def seed_evaluation(app: Flask, admin_email: str, password_hash: str, thinktank: str) -> dict[str, Any]:
    """Publish last year's evaluation and open this year's; return the ids and the pulse link's token."""
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.email == admin_email))
        tank = tt_ops.get_thinktank(thinktank)
        year = date.today().year
        # The police of the register (tests/browser/partners_seed.py), or one of its own.
        police = db.session.scalar(select(Organisation).where(Organisation.name == "Politie Nijkerk"))
        if police is None:
            police = Organisation(slug="politie-nijkerk", name="Politie Nijkerk", kind="police")
            db.session.add(police)
            db.session.flush()
        for email, name in ((CONTACT, "Karin Post"), ("wijkagent@politie.example.org", "Dennis Verhoef")):
            contact = account_ops.create_user(email=email, display_name=name, password_hash=password_hash,
                                              kind="professional", organisation="Politie")
            db.session.add(OrganisationContact(organisation_id=police.id, user_id=contact.id, status="active"))
        last = ops.open_evaluation(by=admin, period=str(year - 1), title=f"Evaluatie {year - 1}",
                                   start_date=date(year - 1, 1, 1), end_date=date(year - 1, 12, 31))
        ops.write_note(last, by=admin, kind="conclusion", subject_type="thinktank", subject_id=tank.id,
                       text="Voorlichting bereikte **alle** tweede klassen.")
        ops.write_note(last, by=admin, kind="decision", subject_type="thinktank", subject_id=tank.id,
                       decision="scale_up", text="Ook ouderavonden.")
        ops.publish(last, by=admin, threshold=5)
        current = ops.open_evaluation(by=admin, period=str(year), title=f"Evaluatie {year}",
                                      start_date=date(year, 1, 1), end_date=date(year, 12, 31))
        action = db.session.scalar(select(ActionItem).where(ActionItem.thinktank_id == tank.id,
                                                                ActionItem.public.is_(True)).limit(1))
        ops.write_note(current, by=admin, kind="decision", subject_type="action", subject_id=action.id,
                       decision="continue", text="Loopt goed.")
        answered, waiting = ops.send_pulse(current, by=admin)
        ops.answer_pulse(answered.invitation, score=7, works="Korte lijnen.", obstacles="Wachtlijst GGZ.")
        db.session.commit()
        return {"previous_year": year - 1, "this_year": year, "thinktank_id": tank.id,
                "pulse_token": waiting.token}
