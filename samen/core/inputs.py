"""What a title, a body, an id, a date, a number and a password may be: the one place that knows (docs/input.md).

Web forms (through samen/core/forms.py), the API (samen/api/validation.py), the live board's payloads
(samen/meetings/live.py) and the operations behind all three ask these functions, so a value gets one answer —
and one message, in the reader's language — whichever way it came in. A check returns the clean value or raises
InvalidInput: a DomainError that names the field, which a form shows at the field, the API as 422 with `errors`
and the live board as an `invalid` acknowledgement. Nothing here imports Flask.
"""
from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, tzinfo
from typing import TYPE_CHECKING, Any, NoReturn

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter

from samen.core.errors import DomainError

if TYPE_CHECKING:
    from flask import Flask

# Ids are INTEGER columns: PostgreSQL's integer holds up to 2**31 - 1 (SQLite's more); a larger number names no row.
MAX_ID = 2**31 - 1
# Dates of the plan: measurements, baselines, targets, due dates, meetings. Year 26 or 9999 is a typing mistake.
FIRST_YEAR, LAST_YEAR = 1900, 2100
EARLIEST, LATEST = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)
NUMBER_MAX = 10**12  # measured values, baselines and targets, either sign
PASSWORD_MAX = 200  # characters; hashing (scrypt) takes any length, people type no more
STRENGTH_MAX = 72  # characters the strength checker (zxcvbn) looks at: it refuses longer input
NEXT_MAX = 2000  # characters of a `next` path
PAGE_MAX = 10_000  # pages of a list

NOT_TEXT = _l("This must be text.")
NOT_A_FILE = _l("Enter text here, not a file.")
SURROGATE = _l("This text contains a broken character (an unpaired surrogate) that cannot be stored. Remove it.")
CONTROL = _l("This text contains an invisible control character (such as NUL) that cannot be stored. Remove it.")
ONE_LINE = _l("Keep this to one line, without line breaks or tabs.")
DIRECTION = _l("Remove the invisible characters that change the direction of the text (U+202A to U+202E, "
               "U+2066 to U+2069).")
NOT_AN_ID = _l("This is not a valid id.")
NOT_A_DATE = _l("Enter a date as YYYY-MM-DD.")
NOT_A_MOMENT = _l("Enter a date and time as YYYY-MM-DDTHH:MM, e.g. 2027-03-01T19:30.")
DATE_RANGE = _l("Enter a date between the years %(first)s and %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)
NOT_A_NUMBER = _l("Enter a number, such as 1.100 or 12,5.")
NOT_FINITE = _l("Enter a number: NaN and Infinity are not numbers.")
AMBIGUOUS = _l("Write decimals with a comma (12,5); a point only separates thousands (1.100).")
AMBIGUOUS_COMMA = _l("Is this a thousand or a decimal? Write 1.040 or 1040 for one thousand and forty, and 1,04 "
                     "for one and four hundredths.")
TOO_LARGE = _l("This number is too large.")

_SURROGATES = re.compile("[\ud800-\udfff]")
# Control characters (C0, DEL, C1); a multi-line text keeps its tabs and line breaks.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
_CONTROLS_BUT_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile("[\t\n\r\u2028\u2029]")
# Embeddings, overrides and isolates (Unicode's bidirectional algorithm): in a title or a name they turn the
# text around it on the page ("Trojan Source"). Bodies may hold right-to-left text and keep them; a paragraph
# ends their effect.
_DIRECTION = re.compile("[\u202a-\u202e\u2066-\u2069]")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ID = re.compile(r"[0-9]{1,10}")
_DIGITS = re.compile(r"[0-9]{1,30}")
# The Dutch way: a comma for decimals, a point between groups of three digits. Anything else with a point is
# ambiguous (1.1, 12.5: an English decimal?) and refused rather than read a thousand times too large or small.
_NUMBER = re.compile(r"(?P<sign>[-\u2212]?)(?P<whole>[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,(?P<fraction>[0-9]+))?")
_WHOLE = re.compile(r"(?P<sign>[-\u2212]?)(?P<whole>[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)")
_NOT_FINITE = re.compile(r"[-+\u2212]?(?:nan|inf|infinity)", re.IGNORECASE)
_NUMBER_TEXT_MAX = 40  # characters of a number as text: more is no number a person types
_HEADER_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_SEARCH_NOISE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


class InvalidInput(DomainError):
    """A value that is not what its field may hold; the message says what it may be."""


# --- text ----------------------------------------------------------------------------------------------------

def text_problem(value: str, *, multiline: bool = False) -> Any | None:
    """Return why this text cannot be stored as it is (a message), or None.

    Everywhere: no unpaired surrogates and no control characters. A single-line text (a title, a name) also has
    no line breaks or tabs and no characters that change the direction of the text around it; a multi-line text
    (a body) keeps its tabs and line breaks.
    """
    if _SURROGATES.search(value):
        return SURROGATE
    if multiline:
        return CONTROL if _CONTROLS_BUT_LINES.search(value) else None
    if _LINE_BREAKS.search(value):
        return ONE_LINE
    if _CONTROLS.search(value):
        return CONTROL
    if _DIRECTION.search(value):
        return DIRECTION
    return None


def _text(value: Any, *, field: str, maximum: int, required: bool, label: Any, multiline: bool) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(NOT_TEXT, field=field, code="invalid_text")
    value = value.strip()
    problem = text_problem(value, multiline=multiline)
    if problem is not None:
        raise InvalidInput(problem, field=field, code="invalid_text")
    if required and not value:
        raise InvalidInput(_l("%(field)s is required.", field=label or field), field=field, code="required")
    if len(value) > maximum:
        raise InvalidInput(_l("Use at most %(n)d characters.", n=maximum), field=field)
    return value


def line(value: Any, *, field: str, maximum: int, required: bool = False, label: Any = None) -> str:
    """Return a single-line text (a title, a name, an address) without surrounding spaces, or refuse it."""
    return _text(value, field=field, maximum=maximum, required=required, label=label, multiline=False)


def body(value: Any, *, field: str, maximum: int, required: bool = False, label: Any = None) -> str:
    """Return a multi-line text (a body, a description, an answer) without surrounding spaces, or refuse it."""
    return _text(value, field=field, maximum=maximum, required=required, label=label, multiline=True)


def search_text(value: Any, *, maximum: int = 100) -> str:
    """Return what a search box asks for, as one line of at most `maximum` characters: it stores nothing, so
    control characters, line breaks and unpaired surrogates become spaces rather than a refusal."""
    if not isinstance(value, str):
        return ""
    return " ".join(_SEARCH_NOISE.sub(" ", value).split())[:maximum]


def password_problem(value: Any) -> Any | None:
    """Return why this cannot be a password at all (not text, control characters, too long), or None."""
    if not isinstance(value, str):
        return NOT_TEXT
    if _SURROGATES.search(value):
        return SURROGATE
    if _CONTROLS.search(value):
        return CONTROL
    if len(value) > PASSWORD_MAX:
        return _l("Use at most %(n)d characters.", n=PASSWORD_MAX)
    return None


def header_text(value: str) -> str:
    """Return text fit for one e-mail header line: line breaks and control characters become one space."""
    return _SURROGATES.sub("\ufffd", _HEADER_BREAKS.sub(" ", value)).strip()


def is_local_path(target: Any) -> bool:
    """Tell whether a redirect target (a `next`) is a path on this site that a Location header can hold."""
    if not isinstance(target, str) or not 1 <= len(target) <= NEXT_MAX:
        return False
    # Visible ASCII only: no spaces, line breaks or control characters (a header cannot hold them), no
    # characters a browser would turn into something else.
    if not all("!" <= char <= "~" for char in target):
        return False
    return target.startswith("/") and not target.startswith("//") and "\\" not in target


# --- contact details ---------------------------------------------------------------------------------------

PHONE_MAX = 40
WEB_ADDRESS_MAX = 300
EMAIL_MAX = 254
NOT_A_PHONE = _l("Enter a phone number with digits, spaces, hyphens or brackets, and at most one + at the "
                 "start, e.g. 0800-7000 or +31 20 123 4567.")
NOT_A_WEB_ADDRESS = _l("Enter a web address that starts with https:// or http://, e.g. https://www.nijkerk.eu.")
NOT_AN_EMAIL = _l("Enter a valid e-mail address.")
_PHONE = re.compile(r"\+?\(?[0-9][0-9 ()\-]*[0-9]|[0-9]")
_WEB_ADDRESS = re.compile(r"https?://[^\s/?#@]+\.[^\s/?#@]+(?:[/?#]\S*)?", re.IGNORECASE)


def phone_number(value: Any, *, field: str) -> str:
    """Return a phone number as people write it (0800-7000, 14 033, +31 6 1234 5678, 112), or "" for none."""
    text = line(value, field=field, maximum=PHONE_MAX)
    if text and not _PHONE.fullmatch(text):
        raise InvalidInput(NOT_A_PHONE, field=field, code="invalid_phone")
    return text


def phone_digits(number: str) -> str:
    """Return what a tel: link dials for a phone number: its digits, and a leading +."""
    return ("+" if number.strip().startswith("+") else "") + "".join(char for char in number if char.isdigit())


def web_address(value: Any, *, field: str) -> str:
    """Return an http(s) address with a host name, or "" for none; other schemes (javascript:, data:) never."""
    text = line(value, field=field, maximum=WEB_ADDRESS_MAX)
    if text and not (text.isascii() and _WEB_ADDRESS.fullmatch(text)):
        raise InvalidInput(NOT_A_WEB_ADDRESS, field=field, code="invalid_url")
    return text


def email_address(value: Any, *, field: str) -> str:
    """Return an e-mail address as written (not checked for delivery), or "" for none."""
    text = line(value, field=field, maximum=EMAIL_MAX)
    if text:
        try:
            validate_email(text, check_deliverability=False)
        except EmailNotValidError:
            raise InvalidInput(NOT_AN_EMAIL, field=field, code="invalid_email") from None
    return text


# --- ids -----------------------------------------------------------------------------------------------------

def ident(value: Any, *, field: str, message: Any = None, code: str = "invalid_id") -> int:
    """Return the id of a row: a whole number from 1 to MAX_ID (a JSON integer, or digits in a form or a query)."""
    number = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _ID.fullmatch(value.strip()):
        number = int(value.strip())
    if number is None or not 1 <= number <= MAX_ID:
        raise InvalidInput(message or NOT_AN_ID, field=field, code=code)
    return number


def is_id(value: Any) -> bool:
    """Tell whether a value names a row as an id would (for lookups that answer 404 for anything else)."""
    try:
        ident(value, field="")
    except InvalidInput:
        return False
    return True


def optional_ident(value: Any, *, field: str, message: Any = None, code: str = "invalid_id") -> int | None:
    """Return the id of a row, or None for nothing (None or an empty text)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return ident(value, field=field, message=message, code=code)


class IdConverter(IntegerConverter):
    """`<int:…>` in a route: an id, ASCII digits from 1 to MAX_ID; anything else matches no route (404)."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map: Any, fixed_digits: int = 0, min: int | None = 1, max: int | None = MAX_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def page_number(value: Any, *, maximum: int = PAGE_MAX) -> int:
    """Return the page a query string asks for: 1 when it asks for none or for no whole number, at most
    `maximum` (an OFFSET beyond the database's integers is a server error, not an empty page)."""
    if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        return min(max(int(value), 1), maximum)
    return 1


# --- numbers -------------------------------------------------------------------------------------------------

def _refuse_number(value: Any, *, field: str, message: Any) -> NoReturn:
    """Raise the message for a value that is no number; NaN and Infinity get their own, however sent."""
    if isinstance(value, float) and not math.isfinite(value):
        raise InvalidInput(NOT_FINITE, field=field, code="invalid_number")
    if isinstance(value, str) and _NOT_FINITE.fullmatch(value.strip()):
        raise InvalidInput(NOT_FINITE, field=field, code="invalid_number")
    raise InvalidInput(message, field=field, code="invalid_number")


def number(value: Any, *, field: str, maximum: float = NUMBER_MAX) -> float:
    """Return a finite number: a JSON number, or text as Dutch people type it (1.100,5 is 1100.5).

    A comma is the decimal sign; a point separates groups of three digits; any other point is ambiguous and
    refused (1.1). NaN and Infinity are refused, as text and as JSON literals, and so is anything beyond
    ±`maximum`.
    """
    if isinstance(value, bool):
        _refuse_number(value, field=field, message=NOT_A_NUMBER)
    if isinstance(value, int):
        if abs(value) > maximum:
            raise InvalidInput(TOO_LARGE, field=field, code="invalid_number")
        return float(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            _refuse_number(value, field=field, message=NOT_A_NUMBER)
        result = value
    elif isinstance(value, str) and len(value) <= _NUMBER_TEXT_MAX:
        text = value.strip()
        match = _NUMBER.fullmatch(text)
        if match is None:
            _refuse_number(value, field=field, message=AMBIGUOUS if "." in text else NOT_A_NUMBER)
        if _english_thousands(match):
            _refuse_number(value, field=field, message=AMBIGUOUS_COMMA)
        digits = match["whole"].replace(".", "") + ("." + match["fraction"] if match["fraction"] else "")
        result = float(digits) * (-1 if match["sign"] else 1)
    else:
        _refuse_number(value, field=field, message=NOT_A_NUMBER)
    if abs(result) > maximum:
        raise InvalidInput(TOO_LARGE, field=field, code="invalid_number")
    return result


def _english_thousands(match: re.Match[str]) -> bool:
    """Whether a number reads as a thousands group in English as well: 1,040 (English 1040, Dutch 1.04) or
    12,500. The English pages show numbers as 1,040, so an English reader may type them so: refused as ambiguous
    rather than stored a thousand times too small. 0,125, 1.040,5 and 1234,567 are not English thousands."""
    whole_part, fraction = match["whole"], match["fraction"]
    return (fraction is not None and len(fraction) == 3 and "." not in whole_part and len(whole_part) <= 3
            and not whole_part.startswith("0"))


def whole(value: Any, *, field: str, minimum: int, maximum: int, message: Any, text: bool = True) -> int:
    """Return a whole number within bounds: a JSON integer (or a float without a fraction), or — when `text` —
    digits as Dutch people type them (1.000 is a thousand). `message` says what the field takes."""
    if isinstance(value, bool):
        _refuse_number(value, field=field, message=message)
    if isinstance(value, int):
        result = value
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        result = int(value)
    elif text and isinstance(value, str) and len(value) <= _NUMBER_TEXT_MAX:
        match = _WHOLE.fullmatch(value.strip())
        if match is None:
            _refuse_number(value, field=field, message=message)
        result = int(match["whole"].replace(".", "")) * (-1 if match["sign"] else 1)
    else:
        _refuse_number(value, field=field, message=message)
    if not minimum <= result <= maximum:
        raise InvalidInput(message, field=field, code="invalid_number")
    return result


# --- dates ---------------------------------------------------------------------------------------------------

def day(value: Any, *, field: str, earliest: date = EARLIEST, latest: date = LATEST) -> date | None:
    """Return a calendar date (YYYY-MM-DD) from 1900 to 2100, or None for nothing; refuse anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    result: date | None = None
    if isinstance(value, datetime):
        result = value.date()
    elif isinstance(value, date):
        result = value
    elif isinstance(value, str) and _DAY.fullmatch(value.strip()):
        try:
            result = date.fromisoformat(value.strip())
        except ValueError:
            result = None
    if result is None:
        raise InvalidInput(NOT_A_DATE, field=field, code="invalid_date")
    if not earliest <= result <= latest:
        raise InvalidInput(DATE_RANGE, field=field, code="invalid_date")
    return result


def moment(value: Any, *, field: str, zone: tzinfo = UTC) -> datetime | None:
    """Return a moment as a naive UTC datetime (how times are stored) from a datetime or ISO 8601 text, in the
    years 1900 to 2100; None for nothing. A time without an offset is taken to be in `zone`."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    result: datetime | None = value if isinstance(value, datetime) else None
    if result is None and isinstance(value, str) and len(value) <= 40 and value.isascii():
        try:
            result = datetime.fromisoformat(value.strip())
        except ValueError:
            result = None
    if result is None:
        raise InvalidInput(NOT_A_MOMENT, field=field, code="invalid_datetime")
    if not FIRST_YEAR <= result.year <= LAST_YEAR:
        raise InvalidInput(DATE_RANGE, field=field, code="invalid_datetime")
    if result.tzinfo is None:
        result = result.replace(tzinfo=zone)
    return result.astimezone(UTC).replace(tzinfo=None, microsecond=0)


def init_app(app: Flask) -> None:
    """Make `<int:…>` in routes an id (IdConverter); call it before the blueprints are registered."""
    app.url_map.converters["int"] = IdConverter
