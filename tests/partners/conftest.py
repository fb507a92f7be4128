"""Fixtures for the partner network: organisations, their contacts, and actions they carry out."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from samen.actions import operations as action_ops
from samen.actions.models import ActionItem
from samen.partners import operations as ops
from samen.partners.models import Organisation


@pytest.fixture
def create_organisation(db: Any, admin: Any) -> Callable[..., Organisation]:
    """Return a factory for register entries, made by an administrator."""
    def make(name: str, **fields: Any) -> Organisation:
        organisation = ops.create_organisation(by=admin, name=name, **fields)
        db.session.commit()
        return organisation
    return make


@pytest.fixture
def police(create_organisation: Callable[..., Organisation]) -> Organisation:
    return create_organisation("Politie Nijkerk", kind="police", description="Wijkagenten en jeugdagenten.",
                               website="https://www.politie.nl")


@pytest.fixture
def halt(create_organisation: Callable[..., Organisation]) -> Organisation:
    return create_organisation("Halt", kind="justice")


@pytest.fixture
def contact_of(db: Any, admin: Any, create_user: Callable[..., Any]) -> Callable[..., Any]:
    """Return a factory for people who are active contacts of an organisation (not members of any think tank)."""
    def make(organisation: Organisation, **fields: Any) -> Any:
        user = create_user(kind="professional", organisation=organisation.name, **fields)
        ops.add_contact(organisation, user, by=admin)
        db.session.commit()
        return user
    return make


@pytest.fixture
def partner_action(db: Any, chair: Any, thinktank: Any) -> Callable[..., ActionItem]:
    """Return a factory for action items carried out by organisations (lead= and co=)."""
    def make(**fields: Any) -> ActionItem:
        fields.setdefault("title", "Voorlichting in de horeca")
        fields.setdefault("due_date", date.today() + timedelta(days=30))
        action = action_ops.create_action(thinktank, by=chair, **fields)
        db.session.commit()
        return action
    return make
