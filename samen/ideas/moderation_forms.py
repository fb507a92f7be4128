"""Forms for the chairs' work on ideas: decide, report, handle reports, tags. They validate, never write."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from samen.core import inputs
from samen.core.forms import Form
from samen.ideas.models import IDEA_STATUSES
from samen.ideas.operations import ANSWER_MAX, REASON_MAX, STATUS_LABELS

NOTE_MAX = 500  # Report.note and the hidden reason are 500 characters long


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class DecideForm(Form):
    """Set an idea's status with a written answer; for 'merged', the number of the idea it is merged into."""

    status = SelectField(_l("Status"),
                         choices=[SelectChoice(value, STATUS_LABELS[value]) for value in IDEA_STATUSES],
                         invalid_choice_message=_l("Unknown status. Choose one of: %(choices)s.",
                                                   choices=", ".join(IDEA_STATUSES)))
    answer = TextAreaField(_l("Answer"), filters=[_strip], validators=[
        DataRequired(_l("Write an answer: the author and the supporters read why.")), Length(max=ANSWER_MAX)])
    merged_into = StringField(_l("Number of the idea it is merged into"), filters=[_strip])

    def validate_merged_into(self, field: StringField) -> None:
        # Only 'merged' reads this field; for another status it may still hold the earlier merge.
        if self.status.data == "merged" and not field.data:
            raise ValidationError(_l("Give the number of the idea it is merged into, e.g. 12."))
        if self.status.data == "merged" and not inputs.is_id(field.data):
            raise ValidationError(inputs.NOT_AN_ID)

    @property
    def merged_into_id(self) -> int | None:
        """The idea to merge into, as an id, when the status is 'merged'."""
        if self.status.data != "merged" or not inputs.is_id(self.merged_into.data):
            return None
        return int(self.merged_into.data)


class MoveForm(Form):
    """Move an idea to another think tank: which one (its slug, among those offered), and why (optional)."""

    thinktank = SelectField(_l("Move to the think tank"), validate_choice=False,
                            validators=[DataRequired(_l("Choose a think tank."))])
    reason = StringField(_l("Why (optional)"), filters=[_strip], validators=[Length(max=REASON_MAX)],
                         description=_l("The author and the followers read it with the news."))

    def offer(self, thinktanks: list[Any]) -> MoveForm:
        """Offer these think tanks (the view loads them: those the chair may move the idea to)."""
        self.thinktank.choices = [SelectChoice("", _l("Choose…"))] + [
            SelectChoice(t.slug, t.name) for t in thinktanks]
        return self


class ReportForm(Form):
    """Report an idea or a comment to the chairs."""

    reason = TextAreaField(_l("Reason"), filters=[_strip], validators=[
        DataRequired(_l("Say why the chairs should look at it.")), Length(max=REASON_MAX)])


class ResolveForm(Form):
    """Hide the reported content (the reason shows in its place and goes to the author), or dismiss it."""

    outcome = RadioField(_l("What to do"), choices=[SelectChoice("hidden", _l("Hide")),
                                                     SelectChoice("dismissed", _l("Dismiss"))],
                         invalid_choice_message=_l("Choose to hide or to dismiss."))
    note = TextAreaField(_l("Reason"), filters=[_strip], validators=[Length(max=NOTE_MAX)])

    def validate_note(self, field: TextAreaField) -> None:
        if self.outcome.data == "hidden" and not field.data:
            raise ValidationError(_l("Give the reason for hiding: it is shown in place of the content and "
                                     "told to the author."))


class ReviewForm(Form):
    """Approve what waits for approval, or refuse it with a reason that its author is told."""

    decision = RadioField(_l("What to do"), choices=[SelectChoice("approve", _l("Approve")),
                                                      SelectChoice("reject", _l("Refuse"))],
                          invalid_choice_message=_l("Choose to approve or to refuse."))
    reason = TextAreaField(_l("Reason"), filters=[_strip], validators=[Length(max=NOTE_MAX)])

    def validate_reason(self, field: TextAreaField) -> None:
        if self.decision.data == "reject" and not field.data:
            raise ValidationError(_l("Give the reason for refusing: the author is told."))


class PremoderationForm(Form):
    """Switch a think tank's pre-moderation on or off."""

    on = RadioField(_l("Pre-moderation"), choices=[SelectChoice("on", _l("On")), SelectChoice("off", _l("Off"))],
                    invalid_choice_message=_l("Choose on or off."))


class TagForm(Form):
    """Offer a new tag in a think tank."""

    name = StringField(_l("Name of the new tag"), filters=[_strip], validators=[
        DataRequired(_l("Give the tag a name.")), Length(max=60)],
        description=_l("A word or two members choose when they post an idea, e.g. 'school' or 'parents'."))
