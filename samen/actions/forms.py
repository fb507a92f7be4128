"""Forms of action items, progress updates, milestones and indicators: they validate, they never write.

The domain (samen/actions/operations.py) checks dates, percentages, owners, statuses and numbers, so that the
web pages, the API and the meetings say the same thing; these forms only check what a form can know (required
text, lengths, which choices it offered) and hand the raw values on.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import DateInput, NumberInput

from samen.accounts.models import User
from samen.actions.models import ActionItem, Indicator
from samen.actions.operations import STATUS_LABELS, TEXT_MAX, TITLE_MAX
from samen.core import inputs
from samen.core.forms import Form
from samen.ideas.models import Idea
from samen.partners.models import Organisation
from samen.thinktanks.models import Membership, ThinkTank

MARKDOWN_HINT = _l("You can use Markdown: **bold**, *italic*, lists and links.")
DATE_HINT = _l("As YYYY-MM-DD, e.g. 2027-03-01.")
NUMBER_HINT = _l("A number with a comma for decimals and points between thousands, e.g. 12,5 or 1.100.")
VISIBILITY_CHOICES = [
    SelectChoice("public", _l("Public: everyone can follow it on the progress pages")),
    SelectChoice("internal", _l("Internal: only members of this think tank and administrators see it")),
]
OWNER_PUBLIC_CHOICES = [
    SelectChoice("organisation", _l("By their organisation (or as “a participant”)")),
    SelectChoice("name", _l("By their name, as they chose")),
]
DIRECTION_CHOICES = [SelectChoice("up", _l("Higher is better")), SelectChoice("down", _l("Lower is better"))]
KIND_LABELS = {"number": _l("A number (a count, a share)"),
               "scale": _l("A score on a scale (e.g. 1–10)"),
               "feeling": _l("A feeling, recorded per period (on a scale)")}
KIND_CHOICES = [SelectChoice(value, label) for value, label in KIND_LABELS.items()]
# What the indicator's history calls each corrected field.
INDICATOR_FIELD_LABELS = {
                "name": _l("Name"), "unit": _l("Unit"), "direction": _l("Which way is better"), "kind": _l("Kind"),
                "scale_min": _l("Lowest score"), "scale_max": _l("Highest score"),
                "baseline_value": _l("Baseline value"), "baseline_date": _l("Baseline date"),
                "target_value": _l("Target value"), "target_date": _l("Target date"), "source": _l("Source"),
                "description": _l("Description"), "date": _l("Date"), "value": _l("Value"), "note": _l("Note")}


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _status_choices() -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in STATUS_LABELS.items()]


class CheckboxesField(SelectMultipleField):
    """Check boxes of what the page offers; the domain names what is wrong (unknown, not adopted)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, validate_choice=False, **kwargs)


class ActionForm(Form):
    """Create or edit an action item; the think tank's members, adopted ideas and indicators are given."""

    title = StringField(_l("Title"), filters=[_strip],
                        validators=[DataRequired(_l("Give the action item a title.")), Length(max=TITLE_MAX)])
    description = TextAreaField(_l("Description"), description=MARKDOWN_HINT,
                                validators=[Optional(), Length(max=TEXT_MAX)])
    owner_id = SelectField(_l("Responsible person"), validate_choice=False,
                           description=_l("Who answers for the work and posts the progress updates: a member, a "
                                          "contact of a partner organisation, a resident or an expert by "
                                          "experience."))
    owner_public_as = RadioField(_l("In public, the responsible person appears"), default="organisation",
                                 choices=OWNER_PUBLIC_CHOICES)
    lead_organisation = SelectField(_l("Lead organisation"), validate_choice=False,
                                    description=_l("The partner organisation that leads the work, from the "
                                                   "register."))
    lead_contact = SelectField(_l("Contact person of the lead organisation"), validate_choice=False,
                               description=_l("One of its active contacts; they hear the reminders."))
    co_organisations = CheckboxesField(_l("Co-executing organisations"))
    # A contact person per co-executing organisation: one select each (actions/form.html), all of this name, each
    # sending "organisation id:user id" or "" (nobody in particular). The operation checks the contact is active.
    co_contacts = SelectMultipleField(_l("Contact person"), validate_choice=False)
    start_date = StringField(_l("Start date"), widget=DateInput(), filters=[_strip], description=DATE_HINT)
    due_date = StringField(_l("Due date"), widget=DateInput(), filters=[_strip], description=DATE_HINT)
    status = SelectField(_l("Status"), choices=_status_choices, validate_choice=False, default="planned")
    stop_reason = TextAreaField(_l("Why it was stopped"), filters=[_strip], validators=[Length(max=1000)],
                                description=_l("Only when the status is “Stopped”: say why, for the "
                                               "residents who follow it."))
    progress = StringField(_l("Progress (percentage done)"), widget=NumberInput(min=0, max=100, step=1),
                           filters=[_strip], default="0", description=_l("A whole number from 0 to 100."))
    ideas = CheckboxesField(_l("The adopted ideas it comes from"))
    indicators = CheckboxesField(_l("The indicators it serves"))
    visibility = RadioField(_l("Who can see it"), choices=VISIBILITY_CHOICES, default="public")
    decision = TextAreaField(_l("The decision"), validators=[Optional(), Length(max=TEXT_MAX)],
                             description=_l("What the think tank decided and why. You can use Markdown."))

    def __init__(self, *args: Any, members: Iterable[Membership], ideas: Iterable[Idea],
                 indicators: Iterable[Indicator], organisations: Iterable[Organisation] = (),
                 contacts: dict[int, list[User]] | None = None, owner: User | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations, contacts = list(organisations), contacts or {}
        people = {m.user.id: m.user for m in members}
        for users in contacts.values():
            people.update({user.id: user for user in users})
        if owner is not None:
            people.setdefault(owner.id, owner)
        self.owner_id.choices = [SelectChoice("", _l("Nobody yet"))] + [
            SelectChoice(str(user.id), f"{user.display_name} ({user.organisation})"
                         if user.organisation else user.display_name)
            for user in sorted(people.values(), key=lambda user: (user.display_name.lower(), user.id))]
        self.lead_organisation.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(str(organisation.id), organisation.name) for organisation in organisations]
        self.lead_contact.choices = [SelectChoice("", _l("Nobody in particular"))] + [
            SelectChoice(str(user.id), f"{user.display_name} ({organisation.name})")
            for organisation in organisations for user in contacts.get(organisation.id, [])]
        self.co_organisations.choices = [SelectChoice(str(organisation.id), organisation.name)
                                         for organisation in organisations]
        self.co_contact_choices = {str(organisation.id): [
            SelectChoice(f"{organisation.id}:{user.id}", user.display_name)
            for user in contacts.get(organisation.id, [])] for organisation in organisations}
        self.ideas.choices = [SelectChoice(str(idea.id), "{} ({})".format(idea.title, ngettext(
            "%(num)d support", "%(num)d supports", idea.support_count))) for idea in ideas]
        self.indicators.choices = [SelectChoice(str(indicator.id), indicator.name)
                                   for indicator in indicators]

    @classmethod
    def data_of(cls, action: ActionItem) -> dict[str, Any]:
        """Return the form's data for an existing action item."""
        lead = action.lead_organisation
        return {"title": action.title, "description": action.description,
                "owner_id": str(action.owner_id or ""), "owner_public_as": action.owner_public_as,
                "lead_organisation": str(lead.organisation_id) if lead else "",
                "lead_contact": str(lead.contact_user_id or "") if lead else "",
                "co_organisations": [str(c.organisation_id) for c in action.carriers if c.role == "co"],
                "co_contacts": [f"{c.organisation_id}:{c.contact_user_id}" for c in action.carriers
                                if c.role == "co" and c.contact_user_id],
                "start_date": action.start_date.isoformat() if action.start_date else "",
                "due_date": action.due_date.isoformat() if action.due_date else "",
                "status": action.status, "stop_reason": action.stop_reason or "",
                "progress": str(action.progress), "ideas": [str(idea.id) for idea in action.ideas],
                "indicators": [str(indicator.id) for indicator in action.indicators],
                "visibility": "public" if action.public else "internal", "decision": action.decision}

    def validate_co_contacts(self, field: SelectMultipleField) -> None:
        """Each choice names an organisation and a person, at most one person an organisation."""
        seen = set()
        for value in field.data or []:
            if not value:
                continue
            organisation, _sep, user = value.partition(":")
            if not (inputs.is_id(organisation) and inputs.is_id(user)) or organisation in seen:
                raise ValidationError(_l("Choose a contact person from the list, one per organisation."))
            seen.add(organisation)

    def co_contact_of(self, organisation_id: str) -> str | None:
        """Return the contact person chosen for a co-executing organisation (its user id), or None."""
        for value in self.co_contacts.data or []:
            organisation, _sep, user = (value or "").partition(":")
            if organisation == organisation_id and user:
                return user
        return None

    def values(self) -> dict[str, Any]:
        """Return the fields as the operations take them."""
        stopped = self.status.data == "stopped"
        return {"title": self.title.data, "description": self.description.data or "",
                "owner": self.owner_id.data or None, "owner_public_as": self.owner_public_as.data or "organisation",
                "lead": self.lead_organisation.data or None, "lead_contact": self.lead_contact.data or None,
                "co": [(value, self.co_contact_of(value)) for value in self.co_organisations.data or []],
                "start_date": self.start_date.data or None, "due_date": self.due_date.data or None,
                "status": self.status.data,
                "stop_reason": (self.stop_reason.data or None) if stopped else None,
                "progress": self.progress.data if self.progress.data not in (None, "") else 0,
                "public": self.visibility.data != "internal", "decision": self.decision.data or "",
                "ideas": list(self.ideas.data or []), "indicators": list(self.indicators.data or [])}


class UpdateForm(Form):
    """A progress update: what happened, and optionally the new percentage and status."""

    body = TextAreaField(_l("What happened"), description=MARKDOWN_HINT, filters=[_strip],
                         validators=[DataRequired(_l("Write what happened first.")), Length(max=TEXT_MAX)])
    progress = StringField(_l("New percentage done"), widget=NumberInput(min=0, max=100, step=1),
                           filters=[_strip],
                           description=_l("A whole number from 0 to 100; empty: unchanged."))
    status = SelectField(_l("New status"), validate_choice=False,
                         choices=lambda: [SelectChoice("", _l("Unchanged")), *_status_choices()])
    stop_reason = TextAreaField(_l("Why it was stopped"), filters=[_strip], validators=[Length(max=1000)],
                                description=_l("Only when the new status is “Stopped”."))


class MilestoneForm(Form):
    """A step of an action item."""

    title = StringField(_l("Milestone"), filters=[_strip],
                        validators=[DataRequired(_l("Give the milestone a title.")), Length(max=TITLE_MAX)])
    due_date = StringField(_l("Milestone due date"), widget=DateInput(), filters=[_strip],
                           description=DATE_HINT)


class ToggleForm(Form):
    """Tick a milestone off, or on again: `done` says which, so sending it twice changes nothing."""

    done = HiddenField(default="1")


class IndicatorForm(Form):
    """Define an indicator for the plan or a think tank; the scopes the user may choose are given."""

    scope = SelectField(_l("For"), description=_l("The whole plan (administrators), or one think tank "
                                                  "(its chairs)."))
    name = StringField(_l("Name"), filters=[_strip],
                       validators=[DataRequired(_l("Give the indicator a name.")), Length(max=200)],
                       description=_l("What is measured, e.g. “Young people who used drugs in the last "
                                      "month”."))
    unit = StringField(_l("Unit"), filters=[_strip], validators=[Length(max=60)],
                       description=_l("E.g. percent, persons or reports."))
    direction = RadioField(_l("Which way is better"), choices=DIRECTION_CHOICES, default="up")
    kind = RadioField(_l("Kind"), choices=KIND_CHOICES, default="number")
    scale_min = StringField(_l("Lowest score"), filters=[_strip], render_kw={"inputmode": "decimal"},
                            description=_l("Only for a scale or a feeling, e.g. 1."))
    scale_max = StringField(_l("Highest score"), filters=[_strip], render_kw={"inputmode": "decimal"},
                            description=_l("Only for a scale or a feeling, e.g. 10."))
    baseline_value = StringField(_l("Baseline value"), filters=[_strip], render_kw={"inputmode": "decimal"},
                                 description=NUMBER_HINT)
    baseline_date = StringField(_l("Baseline date"), widget=DateInput(), filters=[_strip],
                                description=DATE_HINT)
    target_value = StringField(_l("Target value"), filters=[_strip], render_kw={"inputmode": "decimal"},
                               description=NUMBER_HINT)
    target_date = StringField(_l("Target date"), widget=DateInput(), filters=[_strip], description=DATE_HINT)
    source = StringField(_l("Source"), filters=[_strip], validators=[Length(max=300)],
                         description=_l("Where the figures come from, e.g. the GGD youth monitor."))
    description = TextAreaField(_l("Description"), description=MARKDOWN_HINT,
                                validators=[Optional(), Length(max=TEXT_MAX)])

    def __init__(self, *args: Any, scopes: Iterable[ThinkTank | None] = (), lines: Iterable[Any] = (),
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.scope is None:  # correcting an indicator: its scope stays
            return
        self.scope.choices = [SelectChoice("", _l("The whole plan")) if thinktank is None
                              else SelectChoice(thinktank.slug, thinktank.name) for thinktank in scopes]
        # The programme's lines (samen/programme), for those who may define plan-wide indicators.
        self.scope.choices[1:1] = [SelectChoice(f"line:{line.slug}", _l("Line: %(name)s", name=line.name))
                                   for line in lines]

    def values(self) -> dict[str, Any]:
        """Return the fields as create_indicator takes them."""
        return {name: getattr(self, name).data or "" for name in (
            "name", "unit", "direction", "kind", "scale_min", "scale_max", "baseline_value", "baseline_date",
            "target_value", "target_date", "source", "description")}


class IndicatorEditForm(IndicatorForm):
    """Correct an indicator: everything but whom it is for."""

    scope = None  # type: ignore[assignment]


class MeasurementForm(Form):
    """A measured value of an indicator on a date."""

    date = StringField(_l("Date"), widget=DateInput(), filters=[_strip], description=DATE_HINT,
                       validators=[DataRequired(_l("Enter the date of the measurement."))])
    value = StringField(_l("Value"), filters=[_strip], render_kw={"inputmode": "decimal"},
                        validators=[DataRequired(_l("Enter the measured value."))],
                        description=NUMBER_HINT)
    note = StringField(_l("Note"), filters=[_strip], validators=[Length(max=500)],
                       description=_l("Optional, e.g. how or by whom it was measured."))
