"""The margin histogram, on a real cross-validated MLP."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.core.errors import WorkbenchError
from workbench.gui.plots.margins import MarginHistogramView, margins


def test_margins_are_actual_minus_best_other_probability(mlp_cv):
    results = mlp_cv.results
    found, weights = margins(results)
    dist, actual = results.distribution, results.actual.astype(int)
    expected = [dist[i, actual[i]] - max(p for j, p in enumerate(dist[i]) if j != actual[i])
                for i in range(len(actual))]
    np.testing.assert_allclose(found, expected)
    np.testing.assert_allclose(weights, results.weights)
    # A margin above 0 is exactly a correct prediction (no ties in an MLP's outputs).
    correct = results.predicted == results.actual
    np.testing.assert_array_equal(found > 0, correct)


def test_histogram_counts_every_instance_and_follows_the_bin_count(qtbot, mlp_cv):
    view = MarginHistogramView(mlp_cv)
    qtbot.addWidget(view)
    header, rows = view.table()
    assert header == ["from", "to", "instances"] and len(rows) == 20
    assert sum(r[2] for r in rows) == pytest.approx(150)
    wrong = float((mlp_cv.results.predicted != mlp_cv.results.actual).sum())
    assert sum(r[2] for r in rows if r[1] <= 0) == pytest.approx(wrong)
    assert f"{wrong:g} at or below 0" in view.summary.text()
    view.bins.setValue(4)
    assert [r[:2] for r in view.table()[1]] == [[-1.0, -0.5], [-0.5, 0.0], [0.0, 0.5],
                                                [0.5, 1.0]]
    assert view.windowTitle().startswith("Margin histogram: ")


def test_a_numeric_class_has_no_margins(iris):
    from workbench.classifiers.zeror import ZeroR
    from workbench.evaluation import TestOption, evaluate

    numeric = iris.with_class(0)
    result = evaluate(ZeroR(), numeric, TestOption.cross_validation(folds=3))
    with pytest.raises(WorkbenchError, match="nominal class"):
        MarginHistogramView(result)
