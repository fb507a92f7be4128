"""The administrators' forms for the help directory and the questions and answers: they validate, never write.

What a phone number, a web address or an e-mail address may be is samen/core/inputs.py's to say: the
operations check it, and the views show their message at the field.
"""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from samen.core.forms import Form
from samen.help import operations as ops

MARKDOWN_HINT = _l("You can use Markdown: **bold**, *italic*, lists and links.")
ENGLISH_HINT = _l("Optional: without it, English pages show the Dutch text.")


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _position() -> IntegerField:
    return IntegerField(_l("Position"), default=0, description=_l("Lower numbers come first."),
                        validators=[Optional(), NumberRange(min=0, max=ops.POSITION_MAX)])


class EntryForm(Form):
    """A directory entry: an organisation or person that helps, or an emergency number."""

    kind = RadioField(_l("Kind"), default="organisation", choices=[
        SelectChoice("organisation", _l("Organisation or person that helps")),
        SelectChoice("emergency", _l("Emergency number (shown first, in its own block)"))])
    name_nl = StringField(_l("Name (Dutch)"), filters=[_strip],
                          validators=[InputRequired(), Length(max=ops.NAME_MAX)])
    name_en = StringField(_l("Name (English)"), filters=[_strip], description=ENGLISH_HINT,
                          validators=[Optional(), Length(max=ops.NAME_MAX)])
    topics_nl = TextAreaField(_l("What they help with (Dutch)"), validators=[Optional(), Length(max=ops.TOPICS_MAX)],
                              description=_l("For an emergency number: when to call it."))
    topics_en = TextAreaField(_l("What they help with (English)"), description=ENGLISH_HINT,
                              validators=[Optional(), Length(max=ops.TOPICS_MAX)])
    phone = StringField(_l("Phone"), filters=[_strip], description=_l("E.g. 0800-7000 or 14 033."),
                        validators=[Optional(), Length(max=40)])
    email = StringField(_l("E-mail address"), filters=[_strip], validators=[Optional(), Length(max=254)])
    website = StringField(_l("Website"), filters=[_strip], description=_l("Starts with https://"),
                          validators=[Optional(), Length(max=300)])
    hours_nl = StringField(_l("Opening hours (Dutch)"), filters=[_strip],
                           validators=[Optional(), Length(max=ops.HOURS_MAX)])
    hours_en = StringField(_l("Opening hours (English)"), filters=[_strip], description=ENGLISH_HINT,
                           validators=[Optional(), Length(max=ops.HOURS_MAX)])
    languages = StringField(_l("Languages spoken"), filters=[_strip], description=_l("E.g. Nederlands, English"),
                            validators=[Optional(), Length(max=ops.LANGUAGES_MAX)])
    thinktank_id = SelectField(_l("Part of the plan"), choices=[], validate_choice=False, default="",
                               description=_l("The think tank whose theme this entry belongs to, if any."))
    position = _position()

    def __init__(self, *args: Any, thinktanks: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.thinktank_id.choices = [("", _l("None"))] + [(str(tt.id), tt.name) for tt in thinktanks]
        if self.thinktank_id.data is None:
            self.thinktank_id.data = ""
        elif not isinstance(self.thinktank_id.data, str):
            self.thinktank_id.data = str(self.thinktank_id.data)


class QuestionForm(Form):
    """A question and its answer, with the directory entries the answer points to."""

    category = RadioField(_l("For whom"), default="parents", choices=[
        SelectChoice("parents", _l("For parents")),
        SelectChoice("young_people", _l("For young people")),
        SelectChoice("others", _l("For others"))])
    question_nl = StringField(_l("Question (Dutch)"), filters=[_strip],
                              validators=[InputRequired(), Length(max=ops.QUESTION_MAX)])
    question_en = StringField(_l("Question (English)"), filters=[_strip], description=ENGLISH_HINT,
                              validators=[Optional(), Length(max=ops.QUESTION_MAX)])
    answer_nl = TextAreaField(_l("Answer (Dutch)"), description=MARKDOWN_HINT,
                              validators=[InputRequired(), Length(max=ops.ANSWER_MAX)])
    answer_en = TextAreaField(_l("Answer (English)"), description=ENGLISH_HINT,
                              validators=[Optional(), Length(max=ops.ANSWER_MAX)])
    entry_ids = SelectMultipleField(_l("Directory entries the answer points to"), choices=[],
                                    validate_choice=False, widget=ListWidget(prefix_label=False),
                                    option_widget=CheckboxInput())
    position = _position()

    def __init__(self, *args: Any, entries: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.entry_ids.choices = [(str(entry.id), entry.name_nl) for entry in entries]
        if self.entry_ids.data:
            self.entry_ids.data = [str(value) for value in self.entry_ids.data]
