"""Numbers and dates in the reader's language (samen/core/formatting.py): the same as Babel, remembered."""
from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from flask import Flask
from flask_babel import force_locale, format_date

from samen.core.formatting import format_day, format_number


@pytest.mark.parametrize("value, dutch, english", [
    (12.5, "12,5", "12.5"), (Decimal("12.50"), "12,5", "12.5"), (1234, "1.234", "1,234"),
    (0.125, "0,125", "0.125"), (2.0, "2", "2"), (-3.75, "-3,75", "-3.75"),
])
def test_numbers_in_each_language(app: Flask, value, dutch, english):
    with app.test_request_context("/"):
        for _ in range(2):  # the second time from memory, still per language
            with force_locale("nl"):
                assert format_number(value) == dutch
            with force_locale("en"):
                assert format_number(value) == english


def test_dates_in_each_language_and_pattern(app: Flask):
    day = date(2026, 3, 9)
    with app.test_request_context("/"):
        for _ in range(2):
            with force_locale("nl"):
                assert format_day(day) == "9 mrt 2026"
                assert format_day(day, "long") == "9 maart 2026"
                assert format_day(day, "MMM yyyy") == "mrt 2026"
            with force_locale("en"):
                assert format_day(day) == "Mar 9, 2026"
                assert format_day(day, "MMM yyyy") == "Mar 2026"


def test_a_datetime_is_shown_on_the_readers_calendar(app: Flask):
    late = datetime(2026, 3, 9, 23, 30, tzinfo=UTC)  # 10 March in Amsterdam
    with app.test_request_context("/"), force_locale("nl"):
        assert format_day(late) == format_date(late, "medium") == "10 mrt 2026"


def test_nothing_is_an_empty_string(app: Flask):
    with app.test_request_context("/"):
        assert format_number(None) == "" and format_day(None) == ""
