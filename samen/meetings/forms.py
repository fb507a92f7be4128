"""Forms for planning meetings: they validate what a form can know, and never write.

The domain (samen/meetings/operations.py) checks times, capacity, places and ideas, so that the web pages and the
API say the same thing; these forms check required text and lengths and hand the raw values on.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import DateTimeLocalInput, NumberInput

from samen.core.forms import Form
from samen.ideas.models import Idea
from samen.meetings.models import AgendaItem, Meeting
from samen.meetings.operations import LOCATION_MAX, MINUTES_MAX, TEXT_MAX, TITLE_MAX, URL_MAX

MARKDOWN_HINT = _l("You can use Markdown: **bold**, *italic*, lists and links.")
MOMENT_HINT = _l("Date and time, e.g. 2027-03-01 19:30.")
VISIBILITY_CHOICES = [
    SelectChoice("public", _l("Public: everyone can see it and anyone with an account can register")),
    SelectChoice("members", _l("Members only: only members can see it and register")),
]


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def local_input(moment: datetime | None, zone: ZoneInfo) -> str:
    """Return a stored (UTC) moment as the form shows it: local time, YYYY-MM-DDTHH:MM."""
    if moment is None:
        return ""
    return moment.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone).strftime("%Y-%m-%dT%H:%M")


def local_value(text: str | None) -> str | None:
    """Return the form's local time as ISO text (a space between date and time is fine too)."""
    if not text:
        return None
    return text.strip().replace(" ", "T", 1)


class MeetingForm(Form):
    """Plan or change a meeting: what, when, where, for whom."""

    title = StringField(_l("Title"), filters=[_strip],
                        validators=[DataRequired(_l("Give the meeting a title.")), Length(max=TITLE_MAX)])
    description = TextAreaField(_l("Description"), description=MARKDOWN_HINT,
                                validators=[Optional(), Length(max=TEXT_MAX)])
    starts_at = StringField(_l("Starts"), widget=DateTimeLocalInput(), filters=[_strip], description=MOMENT_HINT,
                            validators=[DataRequired(_l("Say when the meeting starts."))])
    ends_at = StringField(_l("Ends"), widget=DateTimeLocalInput(), filters=[_strip], description=MOMENT_HINT,
                          validators=[DataRequired(_l("Say when the meeting ends."))])
    location = StringField(_l("Address"), filters=[_strip], validators=[Length(max=LOCATION_MAX)],
                           description=_l("Where people meet, e.g. Het Grote Huis, Nijkerk."))
    online_url = StringField(_l("Online link"), filters=[_strip], validators=[Length(max=URL_MAX)],
                             description=_l("A link to join online, if people can. An address, a link or both."))
    capacity = StringField(_l("Capacity"), widget=NumberInput(min=1, step=1), filters=[_strip],
                           description=_l("How many people fit; leave empty for no limit. When it is full, "
                                          "people go on the waiting list."))
    visibility = RadioField(_l("Who can come"), choices=VISIBILITY_CHOICES, default="public")
    allow_guests = BooleanField(_l("Guests may take part on the live board without an account"),
                                description=_l("Public meetings only. Someone who scans the QR code votes, adds "
                                               "ideas and raises a hand under a name of their choice; you can "
                                               "remove a guest."))

    @classmethod
    def data_of(cls, meeting: Meeting, zone: ZoneInfo) -> dict[str, Any]:
        """Return the form's data for an existing meeting."""
        return {"title": meeting.title, "description": meeting.description,
                "starts_at": local_input(meeting.starts_at, zone), "ends_at": local_input(meeting.ends_at, zone),
                "location": meeting.location, "online_url": meeting.online_url,
                "capacity": "" if meeting.capacity is None else str(meeting.capacity),
                "visibility": "public" if meeting.public else "members", "allow_guests": meeting.allow_guests}

    def values(self) -> dict[str, Any]:
        """Return the fields as the operations take them (times in local time, as typed)."""
        return {"title": self.title.data, "description": self.description.data or "",
                "starts_at": local_value(self.starts_at.data), "ends_at": local_value(self.ends_at.data),
                "location": self.location.data or "", "online_url": self.online_url.data or "",
                "capacity": self.capacity.data or None, "public": self.visibility.data != "members",
                "allow_guests": bool(self.allow_guests.data)}


class IdeasField(SelectMultipleField):
    """Check boxes of the ideas the page offers; the domain names an unknown one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, validate_choice=False, **kwargs)


class AgendaItemForm(Form):
    """An item of the agenda: what, how long, and the ideas it discusses."""

    title = StringField(_l("Agenda item"), filters=[_strip],
                        validators=[DataRequired(_l("Give the agenda item a title.")), Length(max=TITLE_MAX)])
    description = TextAreaField(_l("Description"), description=MARKDOWN_HINT,
                                validators=[Optional(), Length(max=TEXT_MAX)])
    planned_minutes = StringField(_l("Planned minutes"), widget=NumberInput(min=0, max=MINUTES_MAX, step=1),
                                  filters=[_strip], default="15",
                                  description=_l("A whole number of minutes from 0 to %(n)d.", n=MINUTES_MAX))
    ideas = IdeasField(_l("Ideas to discuss"))

    def __init__(self, *args: Any, ideas: Iterable[Idea], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ideas.choices = [SelectChoice(str(idea.id), idea.title) for idea in ideas]

    @classmethod
    def data_of(cls, item: AgendaItem) -> dict[str, Any]:
        return {"title": item.title, "description": item.description,
                "planned_minutes": str(item.planned_minutes), "ideas": [str(idea.id) for idea in item.ideas]}

    def values(self) -> dict[str, Any]:
        return {"title": self.title.data, "description": self.description.data or "",
                "planned_minutes": self.planned_minutes.data or 0, "ideas": list(self.ideas.data or [])}


class MoveForm(Form):
    """Move an agenda item one place up or down."""

    direction = HiddenField(default="up")
