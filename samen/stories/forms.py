"""Stories' forms: they validate, they never write (the operations check every value again)."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from samen.actions.forms import CheckboxesField
from samen.core.forms import Form
from samen.stories.operations import (ACTION_MAX, DIRECTION_BODY_MAX, DIRECTION_TITLE_MAX, NEIGHBOURHOOD_MAX,
                                      PUBLISHER_MAX, SOURCE_NOTE_MAX, SOURCE_TITLE_MAX, TEXT_MAX, THEME_MAX)

TELLER_LABELS = {
    "parent": _l("A parent"),
    "young_person": _l("A young person"),
    "resident": _l("A resident"),
    "entrepreneur": _l("An entrepreneur"),
    "professional": _l("A professional"),
}
CONSENT_LABELS = {
    "analysis": _l("For analysis only: never quoted"),
    "quote": _l("May be quoted, without anything that identifies anyone"),
    "publish": _l("May be published"),
}
CONSENT_SHORT = {
    "analysis": _l("Analysis only"),
    "quote": _l("May be quoted"),
    "publish": _l("May be published"),
}


def _choices(labels: dict[str, Any]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


class StoryForm(Form):
    """Record or change a story; the themes to choose from are given by the view."""

    text = TextAreaField(_l("The story, in the teller's words"), validators=[InputRequired(), Length(max=TEXT_MAX)],
                         description=_l("No names, addresses or other details that identify anyone."))
    teller = RadioField(_l("Who told it?"), choices=_choices(TELLER_LABELS),
                        validators=[InputRequired(message=_l("Choose who told the story."))],
                        invalid_choice_message=_l("Choose who told the story."))
    neighbourhood = StringField(_l("Neighbourhood"), validators=[InputRequired(), Length(max=NEIGHBOURHOOD_MAX)])
    told_on = StringField(_l("Day it was told"), validators=[InputRequired()],
                          description=_l("YYYY-MM-DD. An earlier day when you write it up later from notes."))
    themes = CheckboxesField(_l("Themes"), coerce=str)
    action_needed = BooleanField(_l("Immediate action was needed"))
    action_taken = TextAreaField(_l("What was done"), validators=[Optional(), Length(max=ACTION_MAX)],
                                 description=_l("Only if immediate action was needed."))
    consent = RadioField(_l("Consent the teller gave"), choices=_choices(CONSENT_LABELS),
                         validators=[InputRequired(message=_l("Choose the consent the teller gave."))],
                         invalid_choice_message=_l("Choose the consent the teller gave."))


class AnalysisForm(Form):
    themes = CheckboxesField(_l("Themes"), coerce=str)
    sources = CheckboxesField(_l("Knowledge sources"), coerce=str)


class ThemeForm(Form):
    name = StringField(_l("New theme"), validators=[InputRequired(), Length(max=THEME_MAX)])


class SourceForm(Form):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=SOURCE_TITLE_MAX)])
    publisher = StringField(_l("Publisher"), validators=[Length(max=PUBLISHER_MAX)],
                            description=_l("For example Trimbos, CCV or NJi."))
    url = StringField(_l("Link"), validators=[Length(max=500)])
    note = TextAreaField(_l("What is known to work"), validators=[Length(max=SOURCE_NOTE_MAX)])


class DirectionForm(Form):
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=DIRECTION_TITLE_MAX)])
    body = TextAreaField(_l("Text"), validators=[Length(max=DIRECTION_BODY_MAX)],
                         description=_l("Markdown. Think tanks read it when the direction is put to them."))
    stories = CheckboxesField(_l("Stories it is based on"), coerce=str)


class PutForm(Form):
    thinktank_id = SelectField(_l("Think tank"), validate_choice=False)


class FieldWorkerForm(Form):
    email = StringField(_l("E-mail address of the account"), validators=[InputRequired(), Length(max=254)])
