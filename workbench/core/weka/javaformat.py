"""Numbers printed the way WEKA's Java code prints them, digit for digit.

WEKA's report uses two formatters that round differently from Python:

* ``Utils.doubleToString(value, digits)`` is a ``DecimalFormat`` with HALF_UP rounding of
  the exact binary value, no trailing zeros, ``-0`` for small negatives, ``NaN`` and
  ``Infinity``; ``Utils.doubleToString(value, width, digits)`` then aligns it on the
  decimal point inside ``width`` characters;
* ``String.format("%-9.3f", value)`` rounds the *shortest* decimal representation of the
  double HALF_UP (so 0.1235 prints 0.124 where Python prints 0.123).

MultilayerPerceptron's model text prints its weights with ``Double.toString`` instead.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import numpy as np


def double_to_string(value: float, after_decimal_point: int) -> str:
    """``weka.core.Utils.doubleToString(value, afterDecimalPoint)``."""
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    quantum = Decimal(1).scaleb(-after_decimal_point)
    rounded = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    negative = rounded.is_signed() or (rounded == 0 and math.copysign(1.0, value) < 0)
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
        quantum = Decimal(1).scaleb(-precision)
        text = format(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP), "f")
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
