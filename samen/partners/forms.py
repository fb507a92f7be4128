"""Forms of the register: an entry, a merge, a contact to add, a request to be a contact. They only validate."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from samen.core.forms import Form
from samen.partners.operations import DESCRIPTION_MAX, KIND_LABELS, NAME_MAX, WEBSITE_MAX


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class OrganisationForm(Form):
    """An entry of the register; the programme's lines are given."""

    name = StringField(_l("Name"), filters=[_strip],
                       validators=[DataRequired(_l("Give the organisation a name.")), Length(max=NAME_MAX)])
    kind = SelectField(_l("Kind"), validate_choice=False, default="other",
                       choices=lambda: [SelectChoice(key, label) for key, label in KIND_LABELS.items()])
    description = TextAreaField(_l("Short public description"), filters=[_strip],
                                validators=[Length(max=DESCRIPTION_MAX)],
                                description=_l("What the organisation does in this plan, in a few sentences."))
    website = StringField(_l("Website"), filters=[_strip], validators=[Length(max=WEBSITE_MAX)],
                          description=_l("Starting with https://, e.g. https://www.tactus.nl."))
    lines = SelectMultipleField(_l("Lines of the programme it works in"), validate_choice=False)

    def __init__(self, *args: Any, lines: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines.choices = [SelectChoice(str(line.id), line.name) for line in lines]

    def values(self) -> dict[str, Any]:
        return {"name": self.name.data, "kind": self.kind.data, "description": self.description.data or "",
                "website": self.website.data or "", "lines": list(self.lines.data or [])}


class MergeForm(Form):
    """Merge this entry into another one."""

    target = SelectField(_l("Merge into"), validate_choice=False,
                         validators=[DataRequired(_l("Choose the entry to merge into."))])


class ContactForm(Form):
    """Add a person as a contact by their e-mail address (administrators and the coordinator)."""

    email = StringField(_l("E-mail address of the account"), filters=[_strip],
                        validators=[DataRequired(_l("Enter an e-mail address.")), Length(max=254)])


class RequestForm(Form):
    """Ask to be added as a contact of an organisation of the register."""

    organisation = SelectField(_l("Your organisation"), validate_choice=False,
                               validators=[DataRequired(_l("Choose your organisation."))])


class ButtonForm(Form):
    """A button that changes something (approve, remove, archive): the CSRF token only."""
