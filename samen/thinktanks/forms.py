"""Think-tank and plan forms: they validate, they never write."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional, Regexp

from samen.core.forms import Form


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


SLUG_HELP = _l("Part of the web address: lower-case letters, digits and hyphens, e.g. 'preventie'.")


class ThinkTankForm(Form):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=120)])
    slug = StringField(_l("Web address"), description=SLUG_HELP, validators=[
        InputRequired(), Length(max=80),
        Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
               message=_l("Use lower-case letters, digits and hyphens only."))])
    theme = StringField(_l("Theme"), validators=[Optional(), Length(max=120)])
    summary = StringField(_l("Short summary"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=20000)],
                                description=_l("You can use Markdown: **bold**, *italic*, lists and links."))
    join_policy = RadioField(_l("Who can join"), default="open", choices=[
        SelectChoice("open", _l("Anyone with an account")),
        SelectChoice("approval", _l("After a chair approves the request"))])
    position = IntegerField(_l("Position in the list"), default=0,
                            validators=[Optional(), NumberRange(min=0, max=1000)])
    support_limit = IntegerField(
        _l("Supports per member"),
        validators=[Optional(), NumberRange(
            min=1, max=50, message=_l("Enter a whole number from 1 to 50, or leave it empty."))],
        description=_l("How many ideas each member may support at the same time, from 1 to 50. "
                       "Leave it empty for no limit."))


class PlanForm(Form):
    title = StringField(_l("Title of the plan"), validators=[InputRequired(), Length(max=200)])
    municipality = StringField(_l("Municipality"), validators=[InputRequired(), Length(max=120)])
    introduction = TextAreaField(_l("Introduction"), validators=[Optional(), Length(max=20000)],
                                 description=_l("You can use Markdown: **bold**, *italic*, lists and links."))


class AppointChairForm(Form):
    email = EmailField(_l("E-mail address of the new chair"), validators=[
        InputRequired(), Length(max=254), Email(message=_l("Enter a valid e-mail address."))],
        filters=[_strip],  # an address pasted from an e-mail often carries spaces
        description=_l("The person needs an account; they become a member if they are not one yet."))
