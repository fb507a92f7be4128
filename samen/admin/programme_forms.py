"""Forms of the programme's admin pages (lines, plan-wide roles): they validate, they never write."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from samen.core.forms import Form
from samen.programme.operations import LINE_NAME_MAX, LINE_SLUG_MAX, LINE_TEXT_MAX, ROLE_LABELS
from samen.thinktanks.models import ThinkTank


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class LineForm(Form):
    """A line of the programme and the think tanks in it."""

    name = StringField(_l("Name"), filters=[_strip],
                       validators=[DataRequired(_l("Give the line a name.")), Length(max=LINE_NAME_MAX)])
    slug = StringField(_l("Web address"), filters=[_strip], validators=[Optional(), Length(max=LINE_SLUG_MAX)],
                       description=_l("Lower-case letters, digits and hyphens; made from the name when empty."))
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=LINE_TEXT_MAX)])
    thinktanks = SelectMultipleField(_l("Think tanks in this line"), validate_choice=False,
                                     widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())

    def __init__(self, *args: Any, thinktanks: Iterable[ThinkTank], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.thinktanks.choices = [SelectChoice(str(tank.id), tank.name) for tank in thinktanks]


class PlanRoleForm(Form):
    """Grant a plan-wide role to an account, by e-mail address."""

    person = StringField(_l("E-mail address"), filters=[_strip],
                         validators=[DataRequired(_l("Enter the person's e-mail address.")), Length(max=254)])
    role = SelectField(_l("Role"), choices=[SelectChoice(key, label) for key, label in ROLE_LABELS.items()])
