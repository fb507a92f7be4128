"""The forms of following: validate only."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from samen.accounts.forms import DIGEST_LABELS
from samen.accounts.operations import DIGESTS
from samen.core.forms import Form


class FollowForm(Form):
    """Follow or unfollow (the button says which)."""

    follow = HiddenField(default="1")
    next = HiddenField()


class EmailFollowForm(Form):
    """Follow by e-mail, without an account."""

    email = EmailField(_l("E-mail address"), validators=[InputRequired(), Length(max=254)])
    next = HiddenField()


class PreferencesForm(Form):
    """How often notifications come by e-mail."""

    digest = RadioField(_l("E-mail about your notifications"),
                        choices=[SelectChoice(value, DIGEST_LABELS[value]) for value in DIGESTS],
                        invalid_choice_message=_l("Choose never, daily or weekly."))
