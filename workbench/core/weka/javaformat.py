"""Numbers printed the way WEKA's Java code prints them, digit for digit.

WEKA's report uses two formatters that round differently from Python:

* ``Utils.doubleToString(value, digits)`` is a ``DecimalFormat`` with HALF_UP rounding of
  the exact binary value, no trailing zeros, ``-0`` for small negatives, ``NaN`` and
  ``Infinity``; ``Utils.doubleToString(value, width, digits)`` then aligns it on the
  decimal point inside ``width`` characters;
* ``String.format("%-9.3f", value)`` rounds the *shortest* decimal representation of the
  double HALF_UP (so 0.1235 prints 0.124 where Python prints 0.123).

Both start from the shortest digits that read back as the double (``Double.toString``'s)
and never invent digits past them: 1e25 prints as 1 and 25 zeros, not as the binary
value's 10000000000000000905969664, and any double up to 1.8e308 prints in full, with no
exponent. The arithmetic runs in a decimal context sized to the number, because the
default 28 digits cannot hold a report number of 1e24 or more.

MultilayerPerceptron's model text prints its weights with ``Double.toString`` instead.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal

import numpy as np


def _shortest(value: float) -> Decimal:
    """The shortest decimal that reads back as ``value`` (Python's ``repr`` digits, which
    are Java's ``Double.toString`` digits bar Java 17's rare extra one)."""
    return Decimal(repr(value))


def _round_half_up(number: Decimal, places: int) -> Decimal:
    """``number`` rounded HALF_UP to ``places`` digits after the point, in a context wide
    enough for every digit it keeps (up to 309 before the point for a double)."""
    digits = max(number.adjusted(), 0) + places + 2
    return number.quantize(Decimal(1).scaleb(-places),
                           context=Context(prec=max(digits, 28), rounding=ROUND_HALF_UP))


def _fraction_digits(number: Decimal) -> int:
    exponent = number.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def double_to_string(value: float, after_decimal_point: int) -> str:
    """``weka.core.Utils.doubleToString(value, afterDecimalPoint)``.

    Java's ``DecimalFormat`` takes the shortest digits of the double; where they reach past
    the last digit kept it rounds HALF_UP, deciding a tie by the exact binary value (the
    same as rounding the binary value itself); where they stop sooner it prints them as
    they are, padded with zeros before the point.
    """
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    places = max(after_decimal_point, 0)
    shortest = _shortest(value)
    if _fraction_digits(shortest) > places:
        rounded = _round_half_up(Decimal(value), places)
    else:
        rounded = shortest
    negative = math.copysign(1.0, value) < 0
    text = format(abs(rounded), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return ("-" if negative else "") + text


def double_to_string_width(value: float, width: int, after_decimal_point: int) -> str:
    """``weka.core.Utils.doubleToString(value, width, afterDecimalPoint)``: aligned on the
    decimal point, trailing zeros left as spaces; the bare number when it does not fit."""
    temp = double_to_string(value, after_decimal_point)
    if after_decimal_point >= width:
        return temp
    result = [" "] * width
    if after_decimal_point > 0:
        dot = temp.find(".")
        if dot == -1:
            dot = len(temp)
        else:
            result[width - after_decimal_point - 1] = "."
    else:
        dot = len(temp)
    offset = width - after_decimal_point - dot
    if after_decimal_point > 0:
        offset -= 1
    if offset < 0:
        return temp
    for i in range(dot):
        result[offset + i] = temp[i]
    for i in range(dot + 1, len(temp)):
        result[offset + i] = temp[i]
    return "".join(result)


def format_fixed(value: float, width: int, precision: int = 3) -> str:
    """Java's ``String.format("%-<width>.<precision>f", value)`` (left-justified)."""
    value = float(value)
    if math.isnan(value):
        text = "NaN"
    elif math.isinf(value):
        text = "Infinity" if value > 0 else "-Infinity"
    else:
        text = format(_round_half_up(_shortest(value), precision), "f")
    return text.ljust(width)


def java_double_text(value: float) -> str:
    """A double as Java's ``Double.toString`` writes it (WEKA prints weights so): plain
    between 10^-3 and 10^7, else ``1.2345E88`` / ``5.0E-4``; the shortest digits that
    read back as the same double (Java 17 now and then writes one digit more)."""
    if not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if value == 0:
        return "-0.0" if math.copysign(1.0, value) < 0 else "0.0"
    if 1e-3 <= abs(value) < 1e7:
        return repr(value)  # Python's shortest digits, always with a point here
    mantissa, _, exponent = np.format_float_scientific(value, unique=True,
                                                       trim="0").partition("e")
    return f"{mantissa}E{int(exponent)}"
