"""The register of organisations as accounts sees it (samen/accounts/organisations.py): what registration and the
profile offer, and what they file — a request to be a contact of an entry, or a note that the organisation is not
listed."""
from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l

from samen.accounts.organisations import EXTENSION, Choice
from samen.core.database import db
from samen.core.errors import DomainError
from samen.partners import operations as ops
from samen.partners.models import Organisation


class PartnerRegister:
    """accounts.organisations.Register on the register of partner organisations."""

    def offered(self) -> list[tuple[int, str]]:
        return [(organisation.id, organisation.name) for organisation in ops.offered_organisations()]

    def has_organisation(self, user: Any) -> bool:
        return ops.has_organisation(user)

    def file(self, user: Any, choice: Choice) -> None:
        if choice.organisation_id is None:
            ops.note_unlisted(user, choice.note)
            return
        organisation = db.session.get(Organisation, choice.organisation_id)
        if organisation is None:
            raise DomainError(_l("Choose an organisation from the list."), field="organisation")
        ops.request_contact(organisation, user=user)


def init_app(app: Flask) -> None:
    """Offer the register to registration and the profile."""
    app.extensions[EXTENSION] = PartnerRegister()
