"""Account forms: they validate, they never write."""
from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import (BooleanField, EmailField, HiddenField, PasswordField, RadioField, SelectField,
                     SelectMultipleField, StringField)
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Optional, ValidationError

from samen.accounts.operations import DIGESTS, password_problem, pseudonym_problem
from samen.core.forms import Form

KIND_CHOICES = [
    SelectChoice("resident", _l("Resident (parent, young person, neighbour, …)")),
    SelectChoice("professional", _l("Professional (police, youth work, addiction care, school, …)")),
]
DIGEST_LABELS = {"never": _l("Never: I look in Samen myself"), "daily": _l("Once a day, a summary"),
                 "weekly": _l("Once a week, a summary")}
# Language names are written in their own language: a visitor must recognise their own.
LANGUAGE_CHOICES = [SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")]


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _strength(form: Form, field: PasswordField) -> None:
    inputs = [getattr(form, "email", None) and form.email.data, getattr(form, "display_name", None)
              and form.display_name.data, *getattr(form, "user_inputs", [])]
    problem_text = password_problem(field.data or "", min_length=current_app.config["PASSWORD_MIN_LENGTH"],
                                    user_inputs=[i for i in inputs if isinstance(i, str)])
    if problem_text:
        raise ValidationError(problem_text)


def password_strength(form: Form, field: PasswordField) -> None:
    """Refuse a short or guessable password (a validator for forms elsewhere: the invitation's)."""
    _strength(form, field)


class GroupsField(SelectMultipleField):
    """The groups a participant says they belong to, as checkboxes; optional. The choices are the offered groups
    (set by the view); the operation (accounts.groups.set_groups) checks what is chosen."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label", _l("I belong to (optional)"))
        kwargs.setdefault("description", _l("Tick what fits, or nothing. Nobody sees it: Samen only counts how many "
                                            "people of each group take part, and shows counts under 5 as “< 5”."))
        kwargs.setdefault("coerce", str)
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)


class OrganisationChoice(SelectField):
    """A professional's organisation, chosen from the register of organisations (samen/accounts/organisations.py);
    the choices are set by the view, and accounts.organisations.check_choice checks what is chosen."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("label", _l("Organisation"))
        kwargs.setdefault("description", _l("Only for professionals. Choose it from the register of partner "
                                            "organisations; an administrator or a colleague approves."))
        kwargs.setdefault("validate_choice", False)
        kwargs.setdefault("choices", [])
        super().__init__(*args, **kwargs)


def _organisation_note_field() -> StringField:
    """The name of an organisation that is not in the register: a note for the administrators, not stored on the
    account."""
    return StringField(_l("Not listed? Its name"), filters=[_strip], validators=[Length(max=120)],
                       description=_l("Only when your organisation is not listed: an administrator adds it to "
                                      "the register."))


class RegisterForm(Form):
    email = EmailField(_l("E-mail address"), filters=[_strip],
                       validators=[InputRequired(), Length(max=254),
                                   Email(message=_l("Enter a valid e-mail address."))],
                       description=_l("Never shown to others. We use it to sign you in and to send notices."))
    display_name = StringField(_l("Display name"), filters=[_strip],
                               validators=[InputRequired(), Length(min=2, max=80)],
                               description=_l("Shown with what you post. A pseudonym is fine."))
    kind = RadioField(_l("I take part as"), choices=KIND_CHOICES, default="resident", validators=[InputRequired()])
    organisation = OrganisationChoice()
    organisation_note = _organisation_note_field()
    password = PasswordField(_l("Password"), validators=[InputRequired(), _strength],
                             description=_l("At least 10 characters; a few unrelated words work well."))
    confirm = PasswordField(_l("Repeat password"), validators=[
        InputRequired(), EqualTo("password", message=_l("The passwords do not match."))])
    groups = GroupsField()
    under_16 = BooleanField(_l("I am younger than 16"))
    accept_terms = BooleanField(_l("I agree to the terms of use"), validators=[
        DataRequired(message=_l("Agree to the terms of use to register."))])
    next = HiddenField()  # where the visitor was going (checked with is_safe_next before use)

    def validate_display_name(self, field: StringField) -> None:
        """Someone under 16 shows a pseudonym only (the operation checks it too)."""
        if self.under_16.data and (problem := pseudonym_problem(field.data or "", self.email.data or "")):
            raise ValidationError(problem)


class LoginForm(Form):
    email = EmailField(_l("E-mail address"), filters=[_strip],
                       validators=[InputRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me signed in on this device"))
    next = HiddenField()


class ProfileForm(Form):
    display_name = StringField(_l("Display name"), filters=[_strip],
                               validators=[InputRequired(), Length(min=2, max=80)],
                               description=_l("Shown with what you post. A pseudonym is fine."))
    kind = RadioField(_l("I take part as"), choices=KIND_CHOICES, validators=[InputRequired()])
    organisation = OrganisationChoice()
    organisation_note = _organisation_note_field()
    groups = GroupsField()
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, validators=[Optional()])
    # Not sent at all (an older form): the choice stays as it was, because the field keeps the user's value.
    digest = RadioField(_l("E-mail about your notifications"),
                        choices=[SelectChoice(value, DIGEST_LABELS[value]) for value in DIGESTS],
                        invalid_choice_message=_l("Choose never, daily or weekly."),
                        description=_l("A summary of what is new for you: comments, replies and decisions."))


class PasswordChangeForm(Form):
    current = PasswordField(_l("Current password"), validators=[InputRequired(), Length(max=200)])
    password = PasswordField(_l("New password"), validators=[InputRequired(), _strength],
                             description=_l("At least 10 characters; a few unrelated words work well."))
    confirm = PasswordField(_l("Repeat new password"), validators=[
        InputRequired(), EqualTo("password", message=_l("The passwords do not match."))])


class LanguageForm(Form):
    lang = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    next = HiddenField()


class ForgotPasswordForm(Form):
    email = EmailField(_l("E-mail address"), filters=[_strip],
                       validators=[InputRequired(), Length(max=254),
                                   Email(message=_l("Enter a valid e-mail address."))],
                       description=_l("The address you sign in with."))


class ResetPasswordForm(Form):
    password = PasswordField(_l("New password"), validators=[InputRequired(), _strength],
                             description=_l("At least 10 characters; a few unrelated words work well."))
    confirm = PasswordField(_l("Repeat new password"), validators=[
        InputRequired(), EqualTo("password", message=_l("The passwords do not match."))])

    def __init__(self, *args: object, user_inputs: list[str] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # The account's address and name: a password made of them is easy to guess.
        self.user_inputs = [value for value in (user_inputs or []) if value]


class EmailChangeForm(Form):
    email = EmailField(_l("New e-mail address"), filters=[_strip],
                       validators=[InputRequired(), Length(max=254),
                                   Email(message=_l("Enter a valid e-mail address."))],
                       description=_l("We send a link to this address. Your address changes when you open it."))
    password = PasswordField(_l("Current password"), validators=[InputRequired(), Length(max=200)],
                             description=_l("To make sure it is you."))


class ApiTokenForm(Form):
    name = StringField(_l("Name"), filters=[_strip], validators=[InputRequired(), Length(max=80)],
                       description=_l("What the token is for, e.g. “dashboard”. Only you see it."))
    # Checked by the operation (samen/core/inputs.py: whole numbers as people type them), as in the API.
    expires_in_days = StringField(_l("Expires after (days)"), filters=[_strip], validators=[InputRequired()],
                                  render_kw={"inputmode": "numeric"})

    def __init__(self, *args: object, max_days: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.expires_in_days.description = _l("From 1 to %(n)d days.", n=max_days)
