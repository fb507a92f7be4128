"""Admin forms: they validate, they never write."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from samen.core.forms import Form


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _not_before_since(form: Form, field: DateField) -> None:
    if field.data and form.since.data and field.data < form.since.data:
        raise ValidationError(_l("The end date cannot be before the start date."))


class AuditFilterForm(Form):
    """The filters of the audit log, read from the address (GET): no CSRF token, nothing changes."""

    class Meta:
        csrf = False

    # Any kind may be asked for (an old bookmark, a kind with no entries yet): it then finds nothing.
    action = SelectField(_l("Kind of action"), choices=[], validate_choice=False, default="",
                         validators=[Length(max=60)])
    actor = StringField(_l("Done by (name or e-mail)"), filters=[_strip],
                        validators=[Optional(), Length(max=100)])
    since = DateField(_l("From"), validators=[Optional()], description=_l("Date, e.g. 2026-11-23"))
    until = DateField(_l("Until (inclusive)"), validators=[Optional(), _not_before_since],
                      description=_l("Date, e.g. 2026-11-30"))

    def __init__(self, *args: Any, actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = list(actions)
        if self.action.data and self.action.data not in kinds:
            kinds.append(self.action.data)
        self.action.choices = [("", _l("All kinds"))] + [(action, action) for action in kinds]


class SuspendForm(Form):
    """Suspend an account: the reason is required, and recorded in the audit log."""

    reason = TextAreaField(_l("Reason"), validators=[InputRequired(), Length(max=500)],
                           description=_l("Why the account is suspended. It is kept in the audit log, with your "
                                          "name."))
