"""WEKA's number formatting over the whole range of doubles, not only report-sized ones.

A regression target near 1e25 or an instance weight of 1e308 used to stop the report with
``decimal.InvalidOperation``: the rounding ran in Python's default 28-digit context.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.core.weka.javaformat import (
    double_to_string,
    double_to_string_width,
    format_fixed,
)

MAX = 1.7976931348623157e308
PLAIN = re.compile(r"-?\d+(\.\d*[1-9])?")

# Printed by OpenJDK 17 through WEKA 3.8's Utils.doubleToString (a DecimalFormat, HALF_UP,
# no grouping) with 4, 2 and 0 digits, and String.format("%-9.3f"): report-sized values
# first, then the extremes.
JAVA = [
    (0.0625, "0.0625", "0.06", "0", "0.063    "),
    (0.12345, "0.1235", "0.12", "0", "0.123    "),
    (0.1235, "0.1235", "0.12", "0", "0.124    "),
    (-0.00001, "-0", "-0", "-0", "-0.000   "),
    (95.33333333333333, "95.3333", "95.33", "95", "95.333   "),
    (100.0, "100", "100", "100", "100.000  "),
    (123456.78915, "123456.7891", "123456.79", "123457", "123456.789"),
    (2.5e-5, "0", "0", "0", "0.000    "),
    (0.0005, "0.0005", "0", "0", "0.001    "),
    (-1.25, "-1.25", "-1.25", "-1", "-1.250   "),
    (float("nan"), "NaN", "NaN", "NaN", "NaN      "),
    (float("inf"), "Infinity", "Infinity", "Infinity", "Infinity "),
    (33.33335, "33.3334", "33.33", "33", "33.333   "),
    (1.0005, "1.0005", "1", "1", "1.001    "),
    (0.9995, "0.9995", "1", "1", "1.000    "),
    (1e24, "1" + "0" * 24, "1" + "0" * 24, "1" + "0" * 24, "1" + "0" * 24 + ".000"),
    (1e25, "1" + "0" * 25, "1" + "0" * 25, "1" + "0" * 25, "1" + "0" * 25 + ".000"),
    (-1e25, "-1" + "0" * 25, "-1" + "0" * 25, "-1" + "0" * 25, "-1" + "0" * 25 + ".000"),
    (1e308, "1" + "0" * 308, "1" + "0" * 308, "1" + "0" * 308, "1" + "0" * 308 + ".000"),
    (MAX, "17976931348623157" + "0" * 292, "17976931348623157" + "0" * 292,
     "17976931348623157" + "0" * 292, "17976931348623157" + "0" * 292 + ".000"),
    (5e-324, "0", "0", "0", "0.000    "),
    (-5e-324, "-0", "-0", "-0", "-0.000   "),
    (2.2250738585072014e-308, "0", "0", "0", "0.000    "),
    (-0.0, "-0", "-0", "-0", "-0.000   "),
    (10000000000000.1, "10000000000000.1", "10000000000000.1", "10000000000000",
     "10000000000000.100"),
    (123456789012345.67, "123456789012345.67", "123456789012345.67", "123456789012346",
     "123456789012345.670"),
    (4503599627370495.5, "4503599627370495.5", "4503599627370495.5", "4503599627370496",
     "4503599627370495.500"),
    (9007199254740992.0, "9007199254740992", "9007199254740992", "9007199254740992",
     "9007199254740992.000"),
    (float("-inf"), "-Infinity", "-Infinity", "-Infinity", "-Infinity"),
]


@pytest.mark.parametrize(("value", "four", "two", "zero", "fixed"), JAVA)
def test_extreme_numbers_format_like_java(value, four, two, zero, fixed):
    assert double_to_string(value, 4) == four
    assert double_to_string(value, 2) == two
    assert double_to_string(value, 0) == zero
    assert format_fixed(value, 9) == fixed


def _error_bound(value: float, places: int) -> Decimal:
    """Half a unit of the last digit kept, or half the double's spacing where the double's
    own shortest digits stop sooner (those are printed as they are)."""
    return max(Decimal(1).scaleb(-places), Decimal(math.ulp(value))) / 2


@settings(max_examples=600)
@given(value=st.floats(allow_nan=False, allow_infinity=False),
       places=st.integers(min_value=0, max_value=12))
def test_every_finite_double_prints_plain_and_close(value, places):
    text = double_to_string(value, places)
    assert PLAIN.fullmatch(text), text
    assert text.startswith("-") == (math.copysign(1.0, value) < 0)
    assert abs(Decimal(text) - Decimal(value)) <= _error_bound(value, places)
    # WEKA never invents digits past the double's shortest ones: when those fit, they
    # come back as they are and read back as the same double.
    exponent = Decimal(repr(value)).as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent >= -places:
        assert float(text) == value


@settings(max_examples=300)
@given(value=st.floats(allow_nan=False, allow_infinity=False),
       precision=st.integers(min_value=0, max_value=6))
def test_every_finite_double_fixed_keeps_its_digits(value, precision):
    text = format_fixed(value, 9, precision).rstrip()
    whole, _, fraction = text.lstrip("-").partition(".")
    assert whole.isdigit() and len(fraction) == precision
    assert abs(Decimal(text) - Decimal(repr(value))) <= Decimal(1).scaleb(-precision) / 2


@given(value=st.floats(), width=st.integers(min_value=1, max_value=20),
       places=st.integers(min_value=0, max_value=6))
def test_aligned_form_takes_any_double(value, width, places):
    text = double_to_string_width(value, width, places)
    assert text.strip() != ""
    if math.isnan(value):
        assert text.strip() == "NaN"
    elif math.isinf(value):
        assert text.strip() == ("Infinity" if value > 0 else "-Infinity")
