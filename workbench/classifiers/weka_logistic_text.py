"""The text of a fitted Logistic model, laid out as WEKA 3.9.7's ``Logistic.toString()``.

WEKA users compare coefficients and odds ratios with their WEKA output line by line, so
the names (NominalToBinary's ``attribute=value`` columns), widths and rounding are
WEKA's: four decimals, odds ratios above 1e10 in Java's own notation.
"""

from __future__ import annotations

import math

import numpy as np

from workbench.core.weka.javaformat import double_to_string_width, java_double_text
from workbench.data.dataset import Dataset

_PLACES = 4


def column_names(header: Dataset, kept: np.ndarray) -> list[str]:
    """The model's columns as NominalToBinary names them: an attribute with more than two
    values gives one ``name=value`` column per value, a two-valued one is named after
    its second value (the one its 0/1 column counts)."""
    names: list[str] = []
    for j, attribute in enumerate(header.attributes):
        if j == header.class_index or not kept[j]:
            continue
        if attribute.is_nominal and attribute.num_values > 2:
            names.extend(f"{attribute.name}={value}" for value in attribute.values)
        elif attribute.is_nominal and attribute.num_values == 2:
            names.append(f"{attribute.name}={attribute.values[1]}")
        else:
            names.append(attribute.name)
    return names


def _number(value: float, width: int) -> str:
    return double_to_string_width(value, width, _PLACES).strip()


def _odds(value: float) -> str:
    ratio = math.exp(value)
    return java_double_text(ratio) if ratio > 1e10 else _number(ratio, 8 + _PLACES)


def describe_logistic(header: Dataset, kept: np.ndarray, coefficients: np.ndarray,
                      ridge: float) -> str:
    """WEKA's model text: coefficients (original units, intercept last) and odds ratios
    for every class but the last, the reference."""
    names = column_names(header, kept)
    target = header.class_attribute
    classes = list(target.values)[:-1] if target is not None else []
    slopes, intercept = coefficients[1:], coefficients[0]
    name_width = max([len(n) for n in names] + [len("Intercept"), len("Variable")]) + 2
    cells = [_number(v, 8 + _PLACES) for v in slopes.ravel()]
    cells += [_odds(v) for v in slopes.ravel()]
    col = max([len(c) for c in classes] + [len(c) for c in cells] + [len("Class")]) + 2
    rule = "=" * (name_width + len(classes) * col)

    def heading() -> list[str]:
        return [" ".ljust(name_width) + "Class".rjust(col),
                "Variable".ljust(name_width) + "".join(c.rjust(col) for c in classes), rule]

    lines = [f"Logistic Regression with ridge parameter of {java_double_text(ridge)}",
             "Coefficients...", *heading()]
    for i, name in enumerate(names):
        lines.append(name.ljust(name_width)
                     + "".join(_number(v, 8 + _PLACES).rjust(col) for v in slopes[i]))
    lines.append("Intercept".ljust(name_width)
                 + "".join(_number(v, 6 + _PLACES).rjust(col) for v in intercept))
    lines += ["", "", "Odds Ratios...", *heading()]
    for i, name in enumerate(names):
        lines.append(name.ljust(name_width) + "".join(_odds(v).rjust(col) for v in slopes[i]))
    return "\n".join(lines) + "\n"
