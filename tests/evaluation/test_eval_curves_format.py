"""Threshold curves worked by hand, and numbers printed as WEKA's Java prints them."""

from __future__ import annotations

import math

import numpy as np
import pytest

from workbench.core.weka.javaformat import double_to_string_width
from workbench.evaluation.curves import threshold_curve


def test_threshold_curve_points_by_hand():
    actual = np.array([1, 0, 1, 0, 1, np.nan])
    probs = np.array([0.9, 0.8, 0.8, 0.3, 0.1, 0.5])  # the missing class is not counted
    curve = threshold_curve(actual, probs, np.ones(6), 1, "yes")
    assert curve.tp.tolist() == [3, 2, 2, 2, 1, 0]
    assert curve.fp.tolist() == [2, 2, 1, 1, 0, 0]
    assert curve.fn.tolist() == [0, 1, 1, 1, 2, 3]
    assert curve.tn.tolist() == [0, 0, 1, 1, 2, 2]
    assert curve.threshold[:5].tolist() == [0.1, 0.3, 0.5, 0.8, 0.9]
    assert math.isclose(curve.threshold[5], 0.9 + 1e-5)
    assert math.isclose(curve.roc_area(), 3.5 / 6)
    assert math.isclose(curve.prc_area(), 0.6 / 3 + (2 / 3) * (1 / 3) + 1 / 3)
    assert curve.precision[-1] == 0 and curve.recall[0] == 1
    assert set(curve.as_columns()) >= {"True Positive Rate", "Threshold", "Lift"}


def test_curve_of_a_class_that_never_occurs_has_no_area():
    curve = threshold_curve(np.array([0.0, 0.0]), np.array([0.2, 0.7]), np.ones(2), 1)
    assert np.isnan(curve.roc_area()) and np.isnan(curve.prc_area())
    empty = threshold_curve(np.zeros(0), np.zeros(0), np.zeros(0), 0)
    assert empty.num_points == 0 and np.isnan(empty.roc_area())


@pytest.mark.parametrize(("value", "text"), [
    (50.0, "     50     "), (33.33333333, "     33.3333"), (100.0, "    100     "),
    (0.0, "      0     "), (0.4444444, "      0.4444"), (-0.5, "     -0.5   ")])
def test_decimal_aligned_width_12(value, text):
    assert double_to_string_width(value, 12, 4) == text
