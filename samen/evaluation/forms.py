"""Forms of the evaluation: open one, write a conclusion or decision, answer the partner pulse. They validate only."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import DateInput

from samen.core.forms import Form
from samen.evaluation.operations import ANSWER_MAX, DECISION_LABELS, TEXT_MAX

DATE_HINT = _l("As YYYY-MM-DD, e.g. 2026-12-31.")


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class OpenForm(Form):
    """Open the evaluation of a period."""

    period = StringField(_l("Period"), filters=[_strip], validators=[DataRequired(_l("Name the period.")),
                                                                     Length(max=20)],
                         description=_l("Its year, e.g. 2026 (or 2026-h1 for half a year): the evaluation's "
                                        "address becomes /evaluatie/2026."))
    title = StringField(_l("Title"), filters=[_strip], validators=[DataRequired(_l("Give it a title.")),
                                                                   Length(max=200)])
    start_date = StringField(_l("First day"), widget=DateInput(), filters=[_strip], description=DATE_HINT)
    end_date = StringField(_l("Last day"), widget=DateInput(), filters=[_strip], description=DATE_HINT)


class NoteForm(Form):
    """A conclusion, or a decision with its reason; empty removes it."""

    decision = RadioField(_l("Decision"), validators=[Optional()], validate_choice=False,
                          choices=[SelectChoice(key, label) for key, label in DECISION_LABELS.items()])
    text = TextAreaField(_l("Text"), filters=[_strip], validators=[Length(max=TEXT_MAX)],
                         description=_l("You can use Markdown: **bold**, *italic*, lists and links."))


SCORE_CHOICES = [SelectChoice(str(n), str(n)) for n in range(1, 11)]


class PulseForm(Form):
    """The partner pulse: a score from 1 to 10 and three open questions."""

    score = RadioField(_l("How well does the collaboration in the plan work, from 1 (not at all) to 10 (very "
                          "well)?"), choices=SCORE_CHOICES, validate_choice=False,
                       validators=[DataRequired(_l("Give a score from 1 to 10."))])
    works = TextAreaField(_l("What works?"), filters=[_strip], validators=[Length(max=ANSWER_MAX)])
    does_not_work = TextAreaField(_l("What does not work?"), filters=[_strip], validators=[Length(max=ANSWER_MAX)])
    obstacles = TextAreaField(_l("Waiting lists and other obstacles"), filters=[_strip],
                              validators=[Length(max=ANSWER_MAX)],
                              description=_l("What stands in the way of helping people in time?"))


class ConfirmForm(Form):
    """A button that changes something (publish, send): only the CSRF token."""
