"""Help desk forms: they validate, they never write (the operations check the values again)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from samen.core.forms import Form
from samen.helpdesk.operations import CODE_MAX, CONTACT_MAX, REFERRAL_MAX, TEXT_MAX

ABOUT_LABELS = {
    "myself": _l("About myself"),
    "my_child": _l("About my child"),
    "someone_close": _l("About someone close to me"),
    "situation": _l("About a place or a situation (for example dealing)"),
}
CONTACT_LABELS = {
    "none": _l("Do not contact me: I will look with my receipt code"),
    "phone": _l("By phone"),
    "email": _l("By e-mail"),
}
STATUS_LABELS = {
    "new": _l("New"),
    "in_progress": _l("In progress"),
    "referred": _l("Referred"),
    "closed": _l("Closed"),
}
OUTCOME_LABELS = {
    "helped": _l("Helped"),
    "referred": _l("Referred to other help"),
    "no_contact": _l("No contact possible"),
    "not_needed": _l("No help needed after all"),
    "other": _l("Other"),
}


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


class RequestForm(Form):
    about = RadioField(_l("Whom is it about?"), choices=_choices(ABOUT_LABELS),
                       validators=[InputRequired(message=_l("Choose whom this is about."))],
                       invalid_choice_message=_l("Choose whom this is about."))
    text = TextAreaField(_l("What is going on?"), validators=[InputRequired(), Length(max=TEXT_MAX)],
                         description=_l("Write it in your own words. You do not need to give names."))
    urgent = BooleanField(_l("It is urgent: please react within a day"))
    contact_method = RadioField(_l("How can we reach you?"), choices=_choices(CONTACT_LABELS), default="none",
                                validators=[InputRequired(message=_l("Choose how we can reach you."))],
                                invalid_choice_message=_l("Choose how we can reach you."))
    contact = StringField(_l("Your phone number or e-mail address"), validators=[Length(max=CONTACT_MAX)],
                          description=_l("Only if you chose phone or e-mail above."))
    mail_replies = BooleanField(_l("Also send the team's replies to my e-mail address"))
    # A field people do not see: whatever fills it in is a robot.
    website = StringField(_l("Leave this field empty"), validators=[Length(max=200)])


class CodeForm(Form):
    code = StringField(_l("Your receipt code"), validators=[InputRequired(), Length(max=CODE_MAX)])


class AddInformationForm(Form):
    code = HiddenField()
    text = TextAreaField(_l("What do you want to add?"), validators=[InputRequired(), Length(max=TEXT_MAX)])


class WithdrawForm(Form):
    code = HiddenField()
    confirm = BooleanField(_l("Yes, withdraw my request and delete it with everything in it"),
                           validators=[DataRequired(message=_l("Tick the box to confirm."))])


class AssignForm(Form):
    assignee = SelectField(_l("Handled by"), coerce=str, validate_choice=True)

    def __init__(self, *args, team_choices=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.assignee.choices = [SelectChoice("", _l("Nobody yet")),
                                *[SelectChoice(str(u.id), u.display_name) for u in team_choices]]


class StatusForm(Form):
    status = SelectField(_l("Status"), choices=_choices(STATUS_LABELS))
    outcome = SelectField(_l("Outcome (when closing)"), choices=[SelectChoice("", "—"), *_choices(OUTCOME_LABELS)],
                          validators=[Optional()])
    referral_entry = StringField(_l("Directory entry number (when referring)"), validators=[Optional(),
                                                                                          Length(max=10)])
    referral_note = StringField(_l("Referred to (when referring)"), validators=[Length(max=REFERRAL_MAX)])


class MessageForm(Form):
    body = TextAreaField(_l("Text"), validators=[InputRequired(), Length(max=TEXT_MAX)])


class TeamMemberForm(Form):
    email = StringField(_l("E-mail address of the account"), validators=[InputRequired(), Length(max=254)])
