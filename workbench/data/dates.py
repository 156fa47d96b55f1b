"""Dates written with Java ``SimpleDateFormat`` patterns, read to and from epoch seconds.

ARFF date attributes carry a Java pattern (``yyyy-MM-dd'T'HH:mm:ss`` by default), and the
files WEKA writes use it, so we speak the same pattern language rather than translate to
``strftime`` (which cannot express ``h``/``k``/``K`` hours, quoted literals or Java's
two-digit-year and abutting-field rules). A pattern compiles once into a regular
expression plus a list of field handlers; parsing a column then costs one ``match`` per
distinct value.

Supported letters: ``G y Y M L d D E u a H k K h m s S z Z X`` and quoted literals
(``'T'``, ``''`` for a quote). Deliberate differences from Java:

- Every date is read and written in UTC; a value with a zone (``z``, ``Z``, ``X``) is
  converted to UTC. Java uses the JVM's local zone for dates without one.
- Parsing is strict: the whole text must match and the fields must form a real date
  (Java's ``parse`` ignores trailing text and is lenient by default).
- Two-digit years (``yy`` given exactly two digits) fall in the fixed window 1946-2045,
  the window Java used in 2026; Java slides it with today's date, which would make the
  same file mean different dates in different years. Writing never changes a year:
  ``yy`` writes two digits only for the years of that window and any other year in
  full (at least three digits, which read back literally, as in Java); an abutting
  ``yyMMdd`` has no room for that and refuses such a year.
- Matching is linear in the pattern's length: every field is an atomic group of
  bounded width, and a date text longer than 512 characters is refused outright.
- The calendar is proleptic Gregorian for all years 1..9999 (Java switches to the
  Julian calendar before 15 October 1582).
- ``S`` is a count of milliseconds, as in Java (so ``ss.S`` reads ``.5`` as 5 ms).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from workbench.core.errors import WorkbenchError
from workbench.data.shown import shown

DEFAULT_DATE_FORMAT = "yyyy-MM-dd'T'HH:mm:ss"

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.UTC)
_TWO_DIGIT_YEAR_PIVOT = 46  # 00..45 -> 2000..2045, 46..99 -> 1946..1999

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Zone abbreviations Java's SimpleDateFormat reads most often in data files (UTC offsets
# in minutes). Abbreviations are ambiguous world-wide; these are the North American and
# European meanings Java's default locale uses.
_ZONES = {
    "UTC": 0, "GMT": 0, "UT": 0, "Z": 0, "WET": 0, "CET": 60, "MET": 60, "EET": 120,
    "CEST": 120, "EEST": 180, "WEST": 60, "EST": -300, "EDT": -240, "CST": -360,
    "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420, "AKST": -540,
    "AKDT": -480, "HST": -600, "JST": 540, "IST": 330,
}

_NUMERIC = set("yYMLdDuHkKhmsS")
_KNOWN = _NUMERIC | set("GEazZX")


class DateError(WorkbenchError, ValueError):
    """A date pattern or a date value that cannot be used; the message says which part."""


@dataclass(frozen=True)
class _Field:
    letter: str
    count: int
    fixed_width: bool = False


def _split_pattern(pattern: str) -> list[_Field | str]:
    """Pattern letters as fields, everything else as literal text (quotes resolved)."""
    parts: list[_Field | str] = []
    i, n = 0, len(pattern)
    literal: list[str] = []
    while i < n:
        c = pattern[i]
        if c == "'":
            if i + 1 < n and pattern[i + 1] == "'":
                literal.append("'")
                i += 2
                continue
            end = i + 1
            chunk: list[str] = []
            while True:
                if end >= n:
                    raise DateError(f"date pattern '{shown(pattern)}' has an unterminated quote")
                if pattern[end] == "'":
                    if end + 1 < n and pattern[end + 1] == "'":
                        chunk.append("'")
                        end += 2
                        continue
                    break
                chunk.append(pattern[end])
                end += 1
            literal.append("".join(chunk))
            i = end + 1
        elif c.isascii() and c.isalpha():
            if c not in _KNOWN:
                raise DateError(f"date pattern '{shown(pattern)}' uses the letter '{c}', which "
                                f"is not supported (supported: G y Y M L d D E u a H k K h m s "
                                f"S z Z X)")
            j = i
            while j < n and pattern[j] == c:
                j += 1
            if literal:
                parts.append("".join(literal))
                literal = []
            parts.append(_Field(c, j - i))
            i = j
        else:
            literal.append(c)
            i += 1
    if literal:
        parts.append("".join(literal))
    # Java reads abutting numeric fields ("yyyyMMdd") with the widths the pattern gives.
    for k, part in enumerate(parts[:-1]):
        nxt = parts[k + 1]
        if (isinstance(part, _Field) and isinstance(nxt, _Field)
                and part.letter in _NUMERIC and nxt.letter in _NUMERIC):
            parts[k] = _Field(part.letter, part.count, fixed_width=True)
    return parts


def _names_regex(names: tuple[str, ...]) -> str:
    options = sorted({*names, *(name[:3] for name in names)}, key=len, reverse=True)
    return "|".join(options)


# Widest text a numeric field without a fixed width takes: more digits than any real
# date needs, few enough that ``int`` never meets a thousand-digit number.
_MAX_DIGITS = 9
# Longer date text than this is refused before matching (real dates are far shorter).
MAX_DATE_TEXT = 512


def _field_regex(field: _Field) -> str:
    """The regex of one field: always of bounded width, so with the atomic group it is
    wrapped in (see ``DateFormat``) a field is tried once, at one place, in bounded time.
    """
    letter, count = field.letter, field.count
    if letter in ("M", "L") and count >= 3:
        return f"(?i:{_names_regex(_MONTHS)})"
    if letter == "E":
        return f"(?i:{_names_regex(_DAYS)})"
    if letter == "a":
        return "(?i:AM|PM)"
    if letter == "G":
        return "(?i:AD)"
    if letter in ("z", "Z", "X"):
        # Offsets first, then a run of letters (Z, UTC, EST, ...): the alternatives
        # cannot both fit the same text, so the first that fits is the only reading.
        return (r"(?:(?:GMT|UTC|UT)[+-]\d{1,2}(?::?\d{2})?|[+-]\d{2}(?::?\d{2})?"
                r"|[A-Za-z]{1,5})")
    if field.fixed_width:
        return rf"\d{{{count}}}"
    digits = rf"\d{{1,{_MAX_DIGITS}}}"
    return rf"[+-]?{digits}" if letter in ("y", "Y") else digits


def _zone_minutes(text: str) -> int:
    upper = text.upper()
    if upper in _ZONES:
        return _ZONES[upper]
    m = re.fullmatch(r"(?:GMT|UTC|UT)?([+-])(\d{1,2}):?(\d{2})?", upper)
    if m is None:
        raise DateError(f"unknown time zone '{shown(text)}'")
    minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
    return -minutes if m.group(1) == "-" else minutes


def _name_index(text: str, names: tuple[str, ...]) -> int:
    low = text.lower()
    for i, name in enumerate(names):
        if low in (name.lower(), name[:3].lower()):
            return i
    raise DateError(f"unknown name '{shown(text)}'")


class DateFormat:
    """One compiled ``SimpleDateFormat`` pattern: ``parse`` text to epoch seconds (UTC)
    and ``format`` epoch seconds back to text."""

    def __init__(self, pattern: str = DEFAULT_DATE_FORMAT) -> None:
        self.pattern = pattern
        self._parts = _split_pattern(pattern)
        self._fields: list[_Field] = []
        regex: list[str] = []
        for part in self._parts:
            if isinstance(part, str):
                regex.append(re.escape(part))
            else:
                # An atomic group: once a field has matched, a later mismatch never
                # makes the engine retry it another way. With every field of bounded
                # width this makes a match linear in the pattern's length whatever
                # the text (the old nested choices backtracked exponentially).
                regex.append(f"((?>{_field_regex(part)}))")
                self._fields.append(part)
        self._regex = re.compile("".join(regex), re.ASCII)

    def __repr__(self) -> str:
        return f"DateFormat({self.pattern!r})"

    # Reading ---------------------------------------------------------------------------
    def parse(self, text: str) -> float:
        """Epoch seconds (UTC) of ``text``; raises ``DateError`` saying what did not fit."""
        if len(text) > MAX_DATE_TEXT:
            raise DateError(f"a date of {len(text)} characters is longer than any date "
                            f"(at most {MAX_DATE_TEXT}; format '{shown(self.pattern)}')")
        m = self._regex.fullmatch(text)
        if m is None:
            raise DateError(f"'{shown(text)}' does not match the date format "
                            f"'{shown(self.pattern)}'")
        year, month, day, day_of_year = 1970, 1, 1, None
        hour = minute = second = millis = 0
        hour12: int | None = None
        pm: bool | None = None
        zone = 0
        for field, value in zip(self._fields, m.groups(), strict=True):
            letter = field.letter
            if letter in ("y", "Y"):
                year = int(value)
                if field.count <= 2 and len(value) == 2 and value.isdigit():
                    year += 2000 if year < _TWO_DIGIT_YEAR_PIVOT else 1900
            elif letter in ("M", "L"):
                month = (_name_index(value, _MONTHS) + 1 if field.count >= 3
                         else int(value))
            elif letter == "d":
                day = int(value)
            elif letter == "D":
                day_of_year = int(value)
            elif letter == "H":
                hour = int(value)
            elif letter == "k":
                hour = int(value) % 24
            elif letter == "K":
                hour12 = int(value)
            elif letter == "h":
                hour12 = int(value) % 12
            elif letter == "m":
                minute = int(value)
            elif letter == "s":
                second = int(value)
            elif letter == "S":
                millis = int(value)
            elif letter == "a":
                pm = value.upper() == "PM"
            elif letter in ("z", "Z", "X"):
                zone = _zone_minutes(value)
            # G, E and u are checked by the regex and carry no extra information here.
        if hour12 is not None:
            hour = hour12 + (12 if pm else 0)
        elif pm and hour < 12:
            hour += 12
        if not (0 <= hour < 24 and 0 <= minute < 60 and 0 <= second < 60
                and 0 <= millis < 1000):
            raise DateError(f"'{shown(text)}' has a time of day out of range "
                            f"(format '{shown(self.pattern)}')")
        try:
            if day_of_year is not None:
                date = _dt.datetime(year, 1, 1, tzinfo=_dt.UTC) + _dt.timedelta(
                    days=day_of_year - 1)
                if date.year != year:
                    raise ValueError("day of year out of range")
            else:
                date = _dt.datetime(year, month, day, tzinfo=_dt.UTC)
        except (ValueError, OverflowError) as exc:
            raise DateError(f"'{shown(text)}' is not a real date ({exc}; format "
                            f"'{shown(self.pattern)}')") from None
        seconds = ((date - _EPOCH) // _dt.timedelta(seconds=1)
                   + hour * 3600 + minute * 60 + second - zone * 60)
        return seconds + millis / 1000.0

    # Writing ---------------------------------------------------------------------------
    def format(self, seconds: float) -> str:
        """``seconds`` since the epoch (UTC) as text in this pattern."""
        if not math.isfinite(seconds):
            raise DateError(f"cannot format {seconds} as a date")
        total_ms = round(seconds * 1000.0)
        whole, millis = divmod(total_ms, 1000)
        try:
            moment = _EPOCH + _dt.timedelta(seconds=whole)
        except OverflowError:
            raise DateError(f"{seconds} seconds is outside the years 1..9999") from None
        out: list[str] = []
        for part in self._parts:
            out.append(part if isinstance(part, str) else _format_field(part, moment, millis))
        return "".join(out)


def _format_field(field: _Field, moment: _dt.datetime, millis: int) -> str:
    letter, count = field.letter, field.count
    if letter in ("y", "Y"):
        return _format_year(field, moment.year)
    if letter in ("M", "L"):
        if count >= 4:
            return _MONTHS[moment.month - 1]
        if count == 3:
            return _MONTHS[moment.month - 1][:3]
        return f"{moment.month:0{count}d}"
    if letter == "E":
        name = _DAYS[moment.weekday()]
        return name if count >= 4 else name[:3]
    if letter == "a":
        return "PM" if moment.hour >= 12 else "AM"
    if letter == "G":
        return "AD"
    if letter == "z":
        return "UTC"
    if letter == "Z":
        return "+0000"
    if letter == "X":
        return "Z"
    number = {
        "d": moment.day, "D": moment.timetuple().tm_yday, "u": moment.weekday() + 1,
        "H": moment.hour, "k": moment.hour or 24, "K": moment.hour % 12,
        "h": moment.hour % 12 or 12, "m": moment.minute, "s": moment.second, "S": millis,
    }[letter]
    return f"{number:0{count}d}"


def _format_year(field: _Field, year: int) -> str:
    """The year as text that reads back as the same year, never a silent other one.

    ``yy`` writes two digits only inside the window they read back into (1946-2045);
    any other year is written in full (Java reads ``yy`` given other than two digits
    literally), padded so that it never has exactly two digits. Abutting fields
    (``yyMMdd``) have no room to widen into, so such a year is refused.
    """
    if field.count == 2 and 1900 + _TWO_DIGIT_YEAR_PIVOT <= year < 2000 + _TWO_DIGIT_YEAR_PIVOT:
        return f"{year % 100:02d}"
    text = f"{year:0{field.count}d}"
    if field.count <= 2 and len(text) <= 2:
        if field.fixed_width:
            raise DateError(f"the year {year} cannot be written in the {field.count}-digit "
                            f"field of this date format: it would read back as "
                            f"{1900 + year if year >= _TWO_DIGIT_YEAR_PIVOT else 2000 + year}"
                            f" (use yyyy)")
        text = f"{year:03d}"
    elif field.fixed_width and len(text) != field.count:
        raise DateError(f"the year {year} does not fit the {field.count}-digit year field "
                        f"of this date format (use yyyy)")
    return text


@lru_cache(maxsize=128)
def date_format(pattern: str = DEFAULT_DATE_FORMAT) -> DateFormat:
    """A compiled pattern, cached: files repeat the same few patterns."""
    return DateFormat(pattern)


def parse_date(text: str, pattern: str = DEFAULT_DATE_FORMAT) -> float:
    """Epoch seconds (UTC) of ``text`` read with the Java pattern ``pattern``."""
    return date_format(pattern).parse(text)


def format_date(seconds: float, pattern: str = DEFAULT_DATE_FORMAT) -> str:
    """Epoch seconds (UTC) written with the Java pattern ``pattern``."""
    return date_format(pattern).format(seconds)
