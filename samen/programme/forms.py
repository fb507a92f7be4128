"""Forms of the plan's inbox: they validate, they never write."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired
from wtforms.widgets import CheckboxInput, ListWidget

from samen.core.forms import Form
from samen.programme.models import InboxIdea
from samen.thinktanks.models import ThinkTank


def _choices(thinktanks: Iterable[ThinkTank]) -> list[SelectChoice]:
    return [SelectChoice("", _l("Choose a think tank"))] + [SelectChoice(t.slug, t.name) for t in thinktanks]


class AssignForm(Form):
    """Assign one inbox idea to a think tank."""

    idea = HiddenField()
    thinktank = SelectField(_l("Think tank"), validators=[DataRequired(_l("Choose a think tank."))])

    def __init__(self, *args: Any, thinktanks: Iterable[ThinkTank], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.thinktank.choices = _choices(thinktanks)


class AssignManyForm(Form):
    """Assign the chosen inbox ideas to one think tank."""

    ideas = SelectMultipleField(_l("Ideas"), validate_choice=False, widget=ListWidget(prefix_label=False),
                                option_widget=CheckboxInput(),
                                validators=[DataRequired(_l("Choose at least one idea."))])
    thinktank = SelectField(_l("Assign the chosen ideas to"),
                            validators=[DataRequired(_l("Choose a think tank."))])

    def __init__(self, *args: Any, thinktanks: Iterable[ThinkTank], ideas: Iterable[InboxIdea],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.thinktank.choices = _choices(thinktanks)
        self.ideas.choices = [SelectChoice(str(item.id), item.title) for item in ideas]
