"""The privacy hooks of the partner network: the organisations a person is (or asks to be) a contact of, and their
notes of an organisation that is not listed — personal data, exported and deleted with the account."""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from samen.core.database import db
from samen.partners.models import Organisation, OrganisationContact, UnlistedOrganisation
from samen.privacy import builtin as _builtin  # noqa: F401  (the account's own sections come first in a download)
from samen.privacy.registry import register


def export(user: Any) -> dict[str, Any]:
    """Return the user's contacts (organisation, state, since) and their notes of unlisted organisations."""
    contacts = db.session.execute(
        select(Organisation.slug, Organisation.name, OrganisationContact.status, OrganisationContact.created_at)
        .join(Organisation, Organisation.id == OrganisationContact.organisation_id)
        .where(OrganisationContact.user_id == user.id).order_by(OrganisationContact.id))
    notes = db.session.execute(
        select(UnlistedOrganisation.name, UnlistedOrganisation.created_at, UnlistedOrganisation.closed_at)
        .where(UnlistedOrganisation.user_id == user.id).order_by(UnlistedOrganisation.id))
    return {
        "organisation_contacts": [{"organisation": slug, "name": name, "status": status, "since": since}
                                  for slug, name, status, since in contacts],
        "unlisted_organisations": [{"name": name, "noted_at": noted, "closed_at": closed}
                                   for name, noted, closed in notes],
    }


def erase(user: Any, *, keep_contributions: bool) -> dict[str, int]:
    """Delete the user's contacts and notes (their part in actions as a named contact goes with the contact)."""
    contacts = db.session.execute(delete(OrganisationContact).where(OrganisationContact.user_id == user.id)
                                  .execution_options(synchronize_session=False)).rowcount
    notes = db.session.execute(delete(UnlistedOrganisation).where(UnlistedOrganisation.user_id == user.id)
                               .execution_options(synchronize_session=False)).rowcount
    return {"organisation contacts removed": contacts, "notes of unlisted organisations removed": notes}


register("partners", export=export, erase=erase)
