"""How a person's name appears: one rule for every output (docs/privacy.md, "Names in public").

People's names are for signed-in users, on the pages and API answers they may open at all: there a person appears
by the display name they chose (which may be a pseudonym), never by their e-mail address. In public — anonymous
visitors, the API without a token, feeds and open-data files, calendar files, published minutes and the live
board (which the whole room shares) — a person appears by their organisation when they have one (professionals),
otherwise by a neutral word for their role ("a participant", "a chair"). Anonymous ideas stay anonymous for
everyone but moderators (samen/ideas/operations.author_name).

Templates call `person_name(user, role)` (a Jinja global that asks about the signed-in user); serialisers call
shown_name with the viewer they answer (None for public outputs). Nothing here knows a feature: a person is anything
with `display_name` and `organisation`.
"""
from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import current_user

PARTICIPANT = "participant"
CHAIR = "chair"
ROLE_WORDS = {PARTICIPANT: _l("a participant"), CHAIR: _l("a chair")}
PUBLIC = None  # the viewer of public outputs: nobody signed in


def may_see_names(viewer: Any) -> bool:
    """Whether the viewer sees people's names: anyone signed in (the page or answer itself is checked apart)."""
    return bool(viewer is not None and getattr(viewer, "is_authenticated", False))


def public_name(person: Any, *, role: str = PARTICIPANT) -> str:
    """Return how a person appears in public: their organisation, else the word for their role."""
    organisation = (getattr(person, "organisation", None) or "").strip()
    return organisation or str(ROLE_WORDS[role])


def shown_name(person: Any, viewer: Any, *, role: str = PARTICIPANT) -> str | None:
    """Return the person's name as the viewer may see it (None when there is no person, e.g. a removed account)."""
    if person is None:
        return None
    return person.display_name if may_see_names(viewer) else public_name(person, role=role)


def person_name(person: Any, role: str = PARTICIPANT) -> str | None:
    """Return shown_name for the signed-in user of this request (for templates)."""
    return shown_name(person, current_user, role=role)


def init_app(app: Flask) -> None:
    """Offer person_name to every template."""
    app.jinja_env.globals["person_name"] = person_name
