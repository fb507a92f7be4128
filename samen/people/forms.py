"""Forms of "who takes part": inviting people, accepting an invitation, and the groups administrators keep."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileSize
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Optional, ValidationError

from samen.accounts.forms import password_strength
from samen.accounts.operations import pseudonym_problem
from samen.core.forms import Form
from samen.people.operations import MAX_LIST_CHARS, MAX_ROWS


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class InviteForm(Form):
    thinktank = SelectField(_l("Into the think tank"), validate_choice=False,
                            description=_l("They become members as soon as they open the link."))
    name = StringField(_l("Name"), filters=[_strip], validators=[Optional(), Length(max=80)],
                       description=_l("How to address them in the e-mail; they choose their display name themselves."))
    email = EmailField(_l("E-mail address"), filters=[_strip], validators=[Length(max=254)])
    organisation = SelectField(_l("Organisation"), validators=[Optional()],
                               description=_l("From the register of organisations; leave empty for a resident."))
    people = TextAreaField(_l("Or a list: one person a line"), filters=[_strip],
                           validators=[Optional(), Length(max=MAX_LIST_CHARS)],
                           description=_l("Name, e-mail address, organisation — separated by commas, e.g. “Eva de "
                                          "Boer, eva@example.nl, Tactus”. Only the address is needed. At most "
                                          "%(n)d people at a time.", n=MAX_ROWS))
    file = FileField(_l("Or a CSV file"), validators=[
        FileAllowed(["csv", "txt"], _l("Choose a CSV file (.csv).")),
        FileSize(MAX_LIST_CHARS * 4, message=_l("The file is too large."))],
        description=_l("The same columns as the list; a first line with headings is skipped."))

    def __init__(self, *args: object, thinktanks: list, organisations: list, without_thinktank: bool,
                 **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _l("No think tank: only an account"))] if without_thinktank else []
        self.thinktank.choices = choices + [(tank.slug, tank.name) for tank in thinktanks]
        self.organisation.choices = [("", _l("None"))] + [(str(o.id), o.name) for o in organisations]
        self.without_thinktank = without_thinktank

    def validate_thinktank(self, field: SelectField) -> None:
        if field.data not in {value for value, _label in field.choices} or (not field.data
                                                                            and not self.without_thinktank):
            raise ValidationError(_l("Choose the think tank to invite people into."))

    def validate_email(self, field: EmailField) -> None:
        if not field.data and not (self.people.data or "").strip() and not self.file.data:
            raise ValidationError(_l("Enter an e-mail address, a list or a file."))


class AcceptForm(Form):
    display_name = StringField(_l("Display name"), filters=[_strip],
                               validators=[InputRequired(), Length(min=2, max=80)],
                               description=_l("Shown with what you post. A pseudonym is fine."))
    password = PasswordField(_l("Password"), validators=[InputRequired(), password_strength],
                             description=_l("At least 10 characters; a few unrelated words work well."))
    confirm = PasswordField(_l("Repeat password"), validators=[
        InputRequired(), EqualTo("password", message=_l("The passwords do not match."))])
    under_16 = BooleanField(_l("I am younger than 16"))
    accept_terms = BooleanField(_l("I agree to the terms of use"), validators=[
        DataRequired(message=_l("Agree to the terms of use to register."))])

    def __init__(self, *args: object, email: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.email_address = email
        self.user_inputs = [email]  # a password made of the address is easy to guess

    def validate_display_name(self, field: StringField) -> None:
        """Someone under 16 shows a pseudonym only (the operation checks it too)."""
        if self.under_16.data and (problem := pseudonym_problem(field.data or "", self.email_address)):
            raise ValidationError(problem)


class GroupForm(Form):
    name_nl = StringField(_l("Name in Dutch"), filters=[_strip], validators=[InputRequired(), Length(max=80)])
    name_en = StringField(_l("Name in English"), filters=[_strip], validators=[InputRequired(), Length(max=80)])
