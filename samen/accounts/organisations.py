"""The organisation a person chooses when registering or in their profile (docs/partners.md, "Contact people").

accounts keeps no register of organisations: samen/partners does, a layer above. It provides a `Register` here at
start-up (partners/directory.init_app); the forms offer its entries, and the views file the choice through it — a
request to be added as a contact, or, when the organisation is not listed, a note for the administrators. Nothing
of it is a free-text field on the account: `users.organisation` is the register's name, set when a request is
approved (the public name rule, samen/core/names.py, reads it).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from flask import current_app
from flask_babel import lazy_gettext as _l

from samen.core import inputs
from samen.core.errors import DomainError

UNLISTED = "unlisted"  # the choice "my organisation is not listed"
NOTE_MAX = 120
EXTENSION = "samen.organisation_register"


class Register(Protocol):
    """What the register of organisations offers accounts."""

    def offered(self) -> list[tuple[int, str]]:
        """Return (id, name) of the entries people may choose: neither archived nor merged."""

    def has_organisation(self, user: Any) -> bool:
        """Whether the person is, or asks to be, a contact of an entry (or asked for an unlisted one)."""

    def file(self, user: Any, choice: Choice) -> None:
        """File the choice: a request to be a contact, or the note for the administrators."""


@dataclass(frozen=True)
class Choice:
    """A checked choice: an entry of the register, or a note naming an organisation that is not listed."""

    organisation_id: int | None = None
    note: str = ""


def register() -> Register | None:
    """Return the register of this application, or None (then nothing is offered and nothing asked)."""
    return current_app.extensions.get(EXTENSION)


def choices(placeholder: Any) -> list[tuple[str, Any]]:
    """Return the select's choices: a placeholder, the register's entries, and "not listed"."""
    found = register()
    offered = found.offered() if found is not None else []
    return ([("", placeholder)] + [(str(key), name) for key, name in offered]
            + [(UNLISTED, _l("My organisation is not listed"))])


def check_choice(kind: str, value: Any, note: Any, *, offered: list[tuple[int, str]],
                 has_one: bool = False) -> Choice | None:
    """Return the checked choice of a person of this kind, or None when there is nothing to file.

    A professional names their organisation — an entry of the register, or "not listed" with its name for the
    administrators — unless they already have one (`has_one`: a contact, or a request waiting). A resident files
    nothing."""
    if kind != "professional":
        return None
    value = value.strip() if isinstance(value, str) else ""
    if value == UNLISTED:
        text = inputs.line(note, field="organisation_note", maximum=NOTE_MAX, label=_l("Name of your organisation"))
        if not text:
            raise DomainError(_l("Name your organisation, so that an administrator can add it to the register."),
                              field="organisation_note")
        return Choice(note=text)
    if not value:
        if has_one:
            return None
        raise DomainError(_l("Professionals choose their organisation from the list, or say it is not listed."),
                          field="organisation")
    if not inputs.is_id(value) or int(value) not in {key for key, _name in offered}:
        raise DomainError(_l("Choose an organisation from the list."), field="organisation")
    return Choice(organisation_id=int(value))
