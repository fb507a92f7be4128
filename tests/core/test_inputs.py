"""samen/core/inputs.py: what a title, a body, an id, a date, a number and a password may be (docs/input.md)."""
from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from samen.core import inputs

# --- text ------------------------------------------------------------------------------------------------------

TEXT_CASES = [
    # (value, what a single-line field says, what a multi-line field says); None: taken
    ("Jongeren en sport", None, None),
    ("Café 🙂 学校 e\u0301", None, None),
    ("  rond  ", None, None),  # stripped, not refused
    ("a\x00b", inputs.CONTROL, inputs.CONTROL),
    ("a\x07b", inputs.CONTROL, inputs.CONTROL),
    ("a\x1bb", inputs.CONTROL, inputs.CONTROL),
    ("a\x7fb", inputs.CONTROL, inputs.CONTROL),
    ("a\x85b", inputs.CONTROL, inputs.CONTROL),
    ("a\x0bb", inputs.CONTROL, inputs.CONTROL),
    ("a\tb", inputs.ONE_LINE, None),
    ("a\nb", inputs.ONE_LINE, None),
    ("a\r\nb", inputs.ONE_LINE, None),
    ("a\u2028b", inputs.ONE_LINE, None),
    ("a\ud800b", inputs.SURROGATE, inputs.SURROGATE),
    ("a\udfffb", inputs.SURROGATE, inputs.SURROGATE),
    *[(f"a{char}b", inputs.DIRECTION, None) for char in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"],
]


@pytest.mark.parametrize("value, single, multi", TEXT_CASES)
def test_what_text_may_hold(value: str, single: Any, multi: Any) -> None:
    assert inputs.text_problem(value) is single
    assert inputs.text_problem(value, multiline=True) is multi
    for check, expected in ((inputs.line, single), (inputs.body, multi)):
        if expected is None:
            assert check(value, field="f", maximum=100) == value.strip()
        else:
            with pytest.raises(inputs.InvalidInput) as refused:
                check(value, field="f", maximum=100)
            assert (refused.value.message, refused.value.field, refused.value.code) == (expected, "f", "invalid_text")


@pytest.mark.parametrize("value", [12, ["a"], {"a": 1}, b"bytes", 1.5])
def test_text_must_be_text(value: Any) -> None:
    with pytest.raises(inputs.InvalidInput) as refused:
        inputs.line(value, field="title", maximum=10)
    assert refused.value.message is inputs.NOT_TEXT


def test_required_and_length() -> None:
    assert inputs.line(None, field="t", maximum=5) == ""
    with pytest.raises(inputs.InvalidInput) as refused:
        inputs.line("   ", field="t", maximum=5, required=True, label="Titel")
    assert (refused.value.code, str(refused.value.message)) == ("required", "Titel is required.")
    assert inputs.line("x" * 5, field="t", maximum=5) == "xxxxx"
    with pytest.raises(inputs.InvalidInput, match="at most 5"):
        inputs.line("x" * 6, field="t", maximum=5)


@pytest.mark.parametrize("value, expected", [
    ("paard-fiets-zon-7", None), ("x" * 200, None), ("met spatie en é", None),
    ("x" * 201, "at most 200"), ("a\x00b", inputs.CONTROL), ("a\tb", inputs.CONTROL), ("a\ud800", inputs.SURROGATE),
    (12, inputs.NOT_TEXT),
])
def test_what_a_password_may_be(value: Any, expected: Any) -> None:
    problem = inputs.password_problem(value)
    if expected is None or isinstance(expected, str):
        assert (problem is None) if expected is None else expected in str(problem)
    else:
        assert problem is expected


@pytest.mark.parametrize("value, expected", [
    ("Herinnering: “Avond”", "Herinnering: “Avond”"),
    ("Avond\r\nBcc: iedereen@example.org", "Avond Bcc: iedereen@example.org"),
    ("a\x00\x07b\u2028c", "a b c"),
    ("kapot \ud800", "kapot \ufffd"),
])
def test_header_text_is_one_line(value: str, expected: str) -> None:
    assert inputs.header_text(value) == expected


@pytest.mark.parametrize("target, local", [
    ("/ideas/3", True), ("/thinktanks/preventie/ideas?sort=new&page=2", True), ("/a%0Ab", True),
    (None, False), ("", False), ("ideas", False), ("//evil.example", False), ("/\\evil.example", False),
    ("/a\nb", False), ("/a\rb", False), ("/a b", False), ("/a\x00b", False), ("/a\tb", False), ("/ä", False),
    ("/a\ud800", False), ("/" + "a" * 2000, False), (["/a"], False),
])
def test_a_next_path_fits_a_location_header(target: Any, local: bool) -> None:
    assert inputs.is_local_path(target) is local


# --- ids -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (1, 1), (inputs.MAX_ID, inputs.MAX_ID), ("42", 42), (" 42 ", 42), ("0042", 42),
    (0, None), (-1, None), (inputs.MAX_ID + 1, None), (2**63, None), (10**30, None), ("2147483648", None),
    ("9" * 5000, None), (True, None), (1.0, None), (float("nan"), None), ("12a", None), ("-3", None), ("", None),
    ("\u00b2", None), ("\u0663", None), ("1e3", None), (None, None), ([1], None),
])
def test_what_an_id_may_be(value: Any, expected: int | None) -> None:
    if expected is None:
        with pytest.raises(inputs.InvalidInput) as refused:
            inputs.ident(value, field="owner_id")
        assert (refused.value.message, refused.value.field) == (inputs.NOT_AN_ID, "owner_id")
    else:
        assert inputs.ident(value, field="owner_id") == expected


def test_an_optional_id_may_be_empty() -> None:
    assert inputs.optional_ident("", field="x") is None
    assert inputs.optional_ident(None, field="x") is None
    assert inputs.optional_ident("7", field="x") == 7


# --- numbers ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("1.100", 1100), ("1,5", 1.5), ("1.100,5", 1100.5), ("12.345.678", 12345678), ("0,125", 0.125), ("-1,5", -1.5),
    ("\u22123", -3), (" 7 ", 7), ("1000000", 1_000_000), ("3", 3), (12, 12), (12.75, 12.75), (-0.5, -0.5),
    (10**12, 10**12), ("1.000.000.000.000", 10**12),
    # A comma and three digits that cannot be an English thousands group: a Dutch decimal.
    ("1234,567", 1234.567), ("1.040,125", 1040.125), ("1,04", 1.04), ("1,0400", 1.04),
])
def test_numbers_as_dutch_people_type_them(value: Any, expected: float) -> None:
    assert inputs.number(value, field="value") == expected


@pytest.mark.parametrize("value, message", [
    ("1.1", inputs.AMBIGUOUS), ("1.5", inputs.AMBIGUOUS), ("12.5", inputs.AMBIGUOUS), ("1.10", inputs.AMBIGUOUS),
    ("1.1000", inputs.AMBIGUOUS), ("1,100.5", inputs.AMBIGUOUS), ("1.100.5", inputs.AMBIGUOUS),
    # As English pages show a thousand and forty: a thousand or 1,04? Refused rather than stored 1000 times smaller.
    ("1,040", inputs.AMBIGUOUS_COMMA), ("12,500", inputs.AMBIGUOUS_COMMA), ("-999,999", inputs.AMBIGUOUS_COMMA),
    ("NaN", inputs.NOT_FINITE), ("nan", inputs.NOT_FINITE), ("Infinity", inputs.NOT_FINITE),
    ("-inf", inputs.NOT_FINITE), (float("nan"), inputs.NOT_FINITE), (float("inf"), inputs.NOT_FINITE),
    (float("-inf"), inputs.NOT_FINITE),
    ("", inputs.NOT_A_NUMBER), ("veel", inputs.NOT_A_NUMBER), ("1e5", inputs.NOT_A_NUMBER),
    ("1 100", inputs.NOT_A_NUMBER), (",5", inputs.NOT_A_NUMBER), ("5,", inputs.NOT_A_NUMBER),
    ("\u0663", inputs.NOT_A_NUMBER), ("0x10", inputs.NOT_A_NUMBER), ("1" * 5000, inputs.NOT_A_NUMBER),
    (True, inputs.NOT_A_NUMBER), (None, inputs.NOT_A_NUMBER), ([1], inputs.NOT_A_NUMBER),
    (10**12 + 1, inputs.TOO_LARGE), (1e13, inputs.TOO_LARGE), ("1.000.000.000.001", inputs.TOO_LARGE),
    (10**400, inputs.TOO_LARGE),
])
def test_numbers_that_are_refused(value: Any, message: Any) -> None:
    with pytest.raises(inputs.InvalidInput) as refused:
        inputs.number(value, field="value")
    assert (refused.value.message, refused.value.field, refused.value.code) == (message, "value", "invalid_number")


@pytest.mark.parametrize("value, expected", [
    (0, 0), (100, 100), ("50", 50), ("1.000", None), (3.0, 3),
    (-1, None), (101, None), (2.5, None), ("2,5", None), ("1.5", None), (True, None), ("veel", None), (None, None),
    (float("nan"), "finite"), ("NaN", "finite"), (float("inf"), "finite"), (10**30, None),
])
def test_whole_numbers(value: Any, expected: Any) -> None:
    message = "Een heel getal van 0 tot 100."
    if isinstance(expected, int):
        assert inputs.whole(value, field="progress", minimum=0, maximum=100, message=message) == expected
        return
    with pytest.raises(inputs.InvalidInput) as refused:
        inputs.whole(value, field="progress", minimum=0, maximum=100, message=message)
    assert refused.value.message is (inputs.NOT_FINITE if expected == "finite" else message)


def test_whole_numbers_take_thousands_points() -> None:
    assert inputs.whole("1.000", field="capacity", minimum=1, maximum=100_000, message="m") == 1000


def test_whole_numbers_from_json_refuse_text() -> None:
    with pytest.raises(inputs.InvalidInput):
        inputs.whole("60", field="seconds", minimum=1, maximum=100, message="m", text=False)


# --- dates -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("2026-03-15", date(2026, 3, 15)), (" 2026-03-15 ", date(2026, 3, 15)), ("1900-01-01", date(1900, 1, 1)),
    ("2100-12-31", date(2100, 12, 31)), (date(2027, 1, 1), date(2027, 1, 1)), (None, None), ("", None), ("  ", None),
    ("0026-01-01", inputs.DATE_RANGE), ("1899-12-31", inputs.DATE_RANGE), ("2101-01-01", inputs.DATE_RANGE),
    ("9999-12-31", inputs.DATE_RANGE), (date(26, 1, 1), inputs.DATE_RANGE),
    ("2026-02-30", inputs.NOT_A_DATE), ("20260315", inputs.NOT_A_DATE), ("2026-W11-1", inputs.NOT_A_DATE),
    ("15-03-2026", inputs.NOT_A_DATE), (2026, inputs.NOT_A_DATE),
    ("\uff12\uff10\uff12\uff16-\uff10\uff13-\uff11\uff15", inputs.NOT_A_DATE),  # full-width digits
    ("2026-03-15\x00", inputs.NOT_A_DATE),
])
def test_what_a_date_may_be(value: Any, expected: Any) -> None:
    if expected is None or isinstance(expected, date):
        assert inputs.day(value, field="date") == expected
        return
    with pytest.raises(inputs.InvalidInput) as refused:
        inputs.day(value, field="date")
    assert (refused.value.message, refused.value.code) == (expected, "invalid_date")


AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.mark.parametrize("value, expected", [
    ("2027-03-01T19:30", datetime(2027, 3, 1, 18, 30)), ("2027-03-01T19:30:00+00:00", datetime(2027, 3, 1, 19, 30)),
    (datetime(2027, 3, 1, 19, 30, tzinfo=UTC), datetime(2027, 3, 1, 19, 30)), ("", None),
    ("0026-03-01T19:30", inputs.DATE_RANGE), ("9999-12-31T23:59", inputs.DATE_RANGE),
    ("0001-01-01T00:00+14:00", inputs.DATE_RANGE),
    ("morgen", inputs.NOT_A_MOMENT), (12, inputs.NOT_A_MOMENT),
    ("\uff12\uff10\uff12\uff17-03-01T19:30", inputs.NOT_A_MOMENT),
])
def test_what_a_moment_may_be(value: Any, expected: Any) -> None:
    if expected is None or isinstance(expected, datetime):
        assert inputs.moment(value, field="starts_at", zone=AMSTERDAM) == expected
        return
    with pytest.raises(inputs.InvalidInput) as refused:
        inputs.moment(value, field="starts_at", zone=AMSTERDAM)
    assert refused.value.message is expected


# --- ids in routes ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path, status", [
    ("/ideas/1", 404), (f"/ideas/{inputs.MAX_ID}", 404), (f"/ideas/{inputs.MAX_ID + 1}", 404),
    ("/ideas/99999999999999999999", 404), ("/ideas/" + "9" * 5000, 404), ("/ideas/0", 404), ("/ideas/-1", 404),
    ("/ideas/%C2%B2", 404), ("/api/v1/ideas/2147483648", 404), ("/api/v1/actions/99999999999999999999999", 404),
])
def test_an_id_in_a_path_beyond_the_column_is_not_found(client: Any, path: str, status: int) -> None:
    assert client.get(path).status_code == status


def test_route_ids_are_bounded(app: Any) -> None:
    adapter = app.url_map.bind("localhost")
    assert adapter.match(f"/ideas/{inputs.MAX_ID}")[1] == {"idea_id": inputs.MAX_ID}
    assert app.url_map.converters["int"] is inputs.IdConverter


@pytest.mark.parametrize("value, expected", [
    ("ouders", "ouders"), ("  Jan   de Vries ", "Jan de Vries"), ("\x00ouders\u202e", "ouders"), ("a\nb\tc", "a b c"),
    ("a\ud800b", "a b"), ("x" * 150, "x" * 100), (None, ""), (["a"], ""),
])
def test_search_text_is_one_clean_line(value: Any, expected: str) -> None:
    assert inputs.search_text(value) == expected


@pytest.mark.parametrize("value, expected", [
    (None, 1), ("", 1), ("3", 3), ("0", 1), ("-2", 1), ("abc", 1), ("99999999999999999999", inputs.PAGE_MAX),
    ("20000", inputs.PAGE_MAX), ("\u00b2", 1),
])
def test_page_numbers_from_a_query_string(value: Any, expected: int) -> None:
    assert inputs.page_number(value) == expected


def test_is_id() -> None:
    assert inputs.is_id("12") and inputs.is_id(12)
    assert not any(inputs.is_id(value) for value in ("2147483648", "\u00b2", "", None, 0, True))


# --- contact details (the help directory) ----------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("112", "112"), ("0800-7000", "0800-7000"), (" 14 033 ", "14 033"), ("+31 6 1234 5678", "+31 6 1234 5678"),
    ("(033) 247 20 00", None), ("", ""), (None, ""),
])
def test_a_phone_number_as_people_write_it(value: Any, expected: Any) -> None:
    if expected is None:
        expected = value
    assert inputs.phone_number(value, field="phone") == expected


@pytest.mark.parametrize("value", ["bel me", "+", "0800-", "06 1234\n5678", "112; DROP", "1" * 41, 31])
def test_what_is_no_phone_number(value: Any) -> None:
    with pytest.raises(inputs.InvalidInput) as raised:
        inputs.phone_number(value, field="phone")
    assert raised.value.field == "phone"


@pytest.mark.parametrize("number, dialled", [("0800-7000", "08007000"), ("14 033", "14033"),
                                             ("+31 (0)6 12", "+310612"), ("112", "112")])
def test_a_phone_number_as_a_tel_link_dials_its_digits(number: str, dialled: str) -> None:
    assert inputs.phone_digits(number) == dialled


@pytest.mark.parametrize("value, taken", [
    ("https://www.112.nl", True), ("http://nijkerk.eu/zorg?x=1#a", True), ("", True),
    ("javascript:alert(1)", False), ("data:text/html,hi", False), ("www.nijkerk.eu", False),
    ("https://localhost", False), ("https://a b.nl", False), ("https://user@evil.example", False),
    ("https://bücher.de", False),
])
def test_a_web_address_is_http_or_https_with_a_host(value: str, taken: bool) -> None:
    if taken:
        assert inputs.web_address(value, field="website") == value
    else:
        with pytest.raises(inputs.InvalidInput, match="https://"):
            inputs.web_address(value, field="website")


def test_a_web_address_has_at_most_300_characters() -> None:
    with pytest.raises(inputs.InvalidInput, match="300"):
        inputs.web_address("https://x.nl/" + "a" * 300, field="website")


@pytest.mark.parametrize("value, taken", [("team@nijkerk.example", True), ("", True), ("geen adres", False),
                                          ("a@b", False), ("a@@b.nl", False)])
def test_an_email_address(value: str, taken: bool) -> None:
    if taken:
        assert inputs.email_address(value, field="email") == value
    else:
        with pytest.raises(inputs.InvalidInput):
            inputs.email_address(value, field="email")
