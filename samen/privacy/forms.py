"""Privacy forms: they validate, they never write."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, PasswordField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from samen.core.forms import Form

CONTRIBUTION_CHOICES = [
    SelectChoice("keep", _l("Keep what I wrote, as “deleted participant”")),
    SelectChoice("remove", _l("Remove what I wrote")),
]


class ConfirmPasswordForm(Form):
    password = PasswordField(_l("Your password"), validators=[InputRequired(), Length(max=200)],
                             description=_l("To protect your data, we ask for your password again before you "
                                            "download your data or delete your account."))
    next = HiddenField()


class DeleteAccountForm(Form):
    contributions = RadioField(
        _l("What happens to your ideas, comments and progress updates?"), choices=CONTRIBUTION_CHOICES,
        validators=[InputRequired(message=_l("Choose whether to keep or remove what you wrote."))],
        invalid_choice_message=_l("Choose whether to keep or remove what you wrote."))
    confirm = BooleanField(_l("I understand that my account is deleted for good and cannot be restored."),
                           validators=[DataRequired(message=_l("Tick the box to confirm."))])
