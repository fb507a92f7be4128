"""The base of every form: what its fields may receive, checked by samen/core/inputs.py before their own validators.

A text field refuses what the API and the live board refuse, with the same message: an <input> is a single-line
text, a <textarea> a multi-line one, a password field a password, a date field a date from 1900 to 2100. A
form reads posted fields only: a file, or JSON, sent where a form expects text is refused at that field (and
never reaches a validator that would choke on it); only a file field takes a file. Fields' own rules — required,
lengths, choices — and the operations' rules (dates, numbers, ids) come after.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage, MultiDict
from wtforms import DateField, Field, FileField, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.validators import ValidationError

from samen.core import inputs


def an_id(form: Any, field: Field) -> None:
    """Validate that a (hidden) field that is not empty names a row: an id from 1 to inputs.MAX_ID."""
    if field.data not in (None, "") and not inputs.is_id(field.data):
        raise ValidationError(inputs.NOT_AN_ID)


def field_problem(field: Field) -> Any | None:
    """Return why the field's value cannot be taken (a message), or None; hidden fields are their view's."""
    data = field.data
    if isinstance(field, HiddenField):
        return None
    if isinstance(field, PasswordField):
        return inputs.password_problem(data) if data is not None else None
    if isinstance(field, StringField) and isinstance(data, str):
        return inputs.text_problem(data, multiline=isinstance(field, TextAreaField))
    if isinstance(field, DateField) and isinstance(data, date) and not inputs.EARLIEST <= data <= inputs.LATEST:
        return inputs.DATE_RANGE
    return None


class Form(FlaskForm):
    """A form whose fields take text only, and refuse what samen/core/inputs.py refuses."""

    _not_text: Mapping[str, Any] = {}  # field name → message, for values that were no text (set per form)

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            """Keep the text values of the posted data; note the fields that were sent a file or other data."""
            data = super().wrap_formdata(form, formdata)
            if data is None:
                return None
            text: MultiDict[str, str] = MultiDict()
            refused: dict[str, Any] = {}
            for name, value in data.items(multi=True):
                if isinstance(value, str):
                    text.add(name, value)
                elif isinstance(value, FileStorage) and isinstance(form._fields.get(name), FileField):
                    text.add(name, value)  # a file field's file (a CSV list of people to invite)
                else:
                    refused[name] = inputs.NOT_A_FILE if isinstance(value, FileStorage) else inputs.NOT_TEXT
            form._not_text = refused
            return text

    def validate(self, extra_validators: Any = None) -> bool:
        """Validate the fields; a value inputs refuses gets that message alone at its field."""
        refused = {name: message for name, message in self._not_text.items() if name in self}
        for field in self:
            if field.short_name not in refused:
                message = field_problem(field)
                if message is not None:
                    refused[field.short_name] = message
        valid = super().validate(extra_validators)
        for name, message in refused.items():
            self[name].errors = [message]
        return valid and not refused
