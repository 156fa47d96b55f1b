"""Java SimpleDateFormat patterns read to epoch seconds (UTC) and written back."""

import calendar

import pytest

from workbench.data.dates import DEFAULT_DATE_FORMAT, DateError, format_date, parse_date


def _utc(*fields: int) -> float:
    return float(calendar.timegm((*fields, 0, 0, 0)))


@pytest.mark.parametrize(("text", "pattern", "expected"), [
    ("2001-04-03T10:20:30", DEFAULT_DATE_FORMAT, _utc(2001, 4, 3, 10, 20, 30)),
    ("1949-01-01", "yyyy-MM-dd", _utc(1949, 1, 1, 0, 0, 0)),
    ("1631-10-15 20:04", "yyyy-MM-dd HH:mm", _utc(1631, 10, 15, 20, 4, 0)),
    ("2013-11", "yyyy-MM", _utc(2013, 11, 1, 0, 0, 0)),
    ("20010403", "yyyyMMdd", _utc(2001, 4, 3, 0, 0, 0)),
    ("3 Apr 2001 5:07 PM", "d MMM yyyy h:mm a", _utc(2001, 4, 3, 17, 7, 0)),
    ("12 AM", "hh a", _utc(1970, 1, 1, 0, 0, 0)),
    ("Tuesday, April 3, 2001", "EEEE, MMMM d, yyyy", _utc(2001, 4, 3, 0, 0, 0)),
    ("1999-01-31 00:01 UTC", "yyyy-MM-dd HH:mm Z", _utc(1999, 1, 31, 0, 1, 0)),
    ("99-01-31 04:31:08 +0430", "yy-MM-dd HH:mm:ss z", _utc(1999, 1, 31, 0, 1, 8)),
    ("17-04-28 13:00:33 +1000", "yy-MM-dd HH:mm:ss Z", _utc(2017, 4, 28, 3, 0, 33)),
    ("2001-04-03T10:20:30-08:00", "yyyy-MM-dd'T'HH:mm:ssXXX", _utc(2001, 4, 3, 18, 20, 30)),
    ("2001-04-03T10:20:30Z", "yyyy-MM-dd'T'HH:mm:ssX", _utc(2001, 4, 3, 10, 20, 30)),
    ("it's 2001", "'it''s' yyyy", _utc(2001, 1, 1, 0, 0, 0)),
])
def test_parse_reads_java_patterns_as_utc_seconds(text, pattern, expected):
    assert parse_date(text, pattern) == expected


def test_milliseconds_are_a_count_as_in_java():
    assert parse_date("00:00:01.250", "HH:mm:ss.SSS") == 1.25
    assert parse_date("00:00:01.5", "HH:mm:ss.S") == 1.005


@pytest.mark.parametrize("pattern", [
    DEFAULT_DATE_FORMAT, "yyyy-MM-dd", "dd/MM/yyyy hh:mm:ss.SSS a", "EEE, d MMM yyyy HH:mm z",
    "yyyyMMddHHmmss", "yyyy-MM-dd'T'HH:mm:ssX", "D yyyy", "yy-MM-dd HH:mm Z",
])
@pytest.mark.parametrize("seconds", [0.0, 986292000.0, -10672919760.0, 1385787300.123])
def test_format_then_parse_gives_the_same_instant(pattern, seconds):
    """Every pattern round-trips, "yy" included: a year outside the two-digit window
    (1946-2045) is written in full, so 1631 comes back as 1631."""
    text = format_date(seconds, pattern)
    expected = seconds
    if "S" not in pattern:
        expected = float(int(seconds // 1))
    if "H" not in pattern and "h" not in pattern:
        expected -= expected % 86400
    assert parse_date(text, pattern) == pytest.approx(expected, abs=1e-6)


def test_format_writes_each_field_like_java():
    seconds = _utc(2001, 4, 3, 17, 7, 9) + 0.045
    assert format_date(seconds, "yyyy-MM-dd'T'HH:mm:ss") == "2001-04-03T17:07:09"
    assert format_date(seconds, "EEE d MMMM yy h:m:s.SSS a") == "Tue 3 April 01 5:7:9.045 PM"
    assert format_date(seconds, "k K u D") == "17 5 2 93"


@pytest.mark.parametrize(("text", "pattern"), [
    ("2001-02-30", "yyyy-MM-dd"),        # no such day
    ("2001-04-03x", "yyyy-MM-dd"),       # trailing text
    ("2001/04/03", "yyyy-MM-dd"),        # wrong separators
    ("25:00", "HH:mm"),                  # hour out of range
    ("2001-04-03 12:00 XYZ", "yyyy-MM-dd HH:mm z"),  # unknown zone
    ("", "yyyy"),
])
def test_bad_dates_raise_date_error(text, pattern):
    with pytest.raises(DateError):
        parse_date(text, pattern)


@pytest.mark.parametrize("pattern", ["yyyy-ww", "yyyy 'open", "qqq"])
def test_bad_patterns_raise_date_error(pattern):
    with pytest.raises(DateError):
        parse_date("2001", pattern)


def test_two_digit_years_use_a_fixed_window():
    assert parse_date("45", "yy") == _utc(2045, 1, 1, 0, 0, 0)
    assert parse_date("46", "yy") == _utc(1946, 1, 1, 0, 0, 0)
    assert parse_date("1817", "yy") == _utc(1817, 1, 1, 0, 0, 0)  # more digits: literal
