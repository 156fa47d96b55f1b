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
    assert header == ["from", "to", "instances", "right", "wrong"] and len(rows) == 20
    assert sum(r[2] for r in rows) == pytest.approx(150)
    wrong = float((mlp_cv.results.predicted != mlp_cv.results.actual).sum())
    assert sum(r[2] for r in rows if r[1] <= 0) == pytest.approx(wrong)
    assert sum(r[4] for r in rows) == pytest.approx(wrong)
    assert f"{wrong:g} misclassified (red)" in view.summary.text()
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


def test_a_tie_is_red_and_counted_wrong_unless_its_first_class_is_the_actual_one(qtbot, iris):
    from workbench.evaluation.results import Results

    results = Results(iris.header(), "hand-made", "test")
    # Rows 0 and 1 tie setosa with versicolor (margin 0): predicted setosa, the first of
    # the tie, so row 0 (setosa) is right and row 1 (versicolor) wrong. Row 2 is right.
    results.add_fold(run=0, fold=0, indices=np.arange(3), actual=np.array([0.0, 1.0, 2.0]),
                     distribution=np.array([[0.5, 0.5, 0.0], [0.5, 0.5, 0.0],
                                            [0.1, 0.1, 0.8]]), train=iris)
    view = MarginHistogramView(results, bins=4)
    qtbot.addWidget(view)
    np.testing.assert_allclose(view.margins, [0.0, 0.0, 0.7])
    rows = view.table()[1]
    # Both ties fall into [0, 0.5): one right (green), one wrong (red).
    assert rows[2] == [0.0, 0.5, 2.0, 1.0, 1.0]
    assert rows[3] == [0.5, 1.0, 1.0, 1.0, 0.0]
    wrong_bars, right_bars = view.bars
    np.testing.assert_allclose(wrong_bars.opts["height"], [0, 0, 1, 0])
    np.testing.assert_allclose(right_bars.opts["height"], [0, 0, 1, 1])
    assert view.summary.text() == ("3 instances; mean margin 0.233; 1 misclassified (red); "
                                   "2 tied at 0, 1 of them right (a tie goes to the first "
                                   "class)")
