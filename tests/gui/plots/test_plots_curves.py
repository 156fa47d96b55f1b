import dataclasses

import numpy as np
import pytest

from workbench.core.errors import WorkbenchError
from workbench.evaluation.curves import threshold_curve
from workbench.gui.plots.curves import ThresholdCurveView, default_point, roc_hull


def _drawn(view):
    """(x, y) arrays of the plotted lines, legend names included."""
    items = view.plot.getPlotItem().listDataItems()
    return [(item.name(), *item.getData()) for item in items]


def test_roc_curve_points_and_auc_match_the_evaluation(qtbot, mlp_cv):
    view = ThresholdCurveView(mlp_cv, "roc", label="Iris-versicolor")
    qtbot.addWidget(view)
    res = mlp_cv.results
    expected = threshold_curve(res.actual, res.distribution[:, 1], res.weights, 1)
    curve = view.curves[0]
    np.testing.assert_array_equal(curve.tp, expected.tp)
    named = [d for d in _drawn(view) if d[0]]
    assert len(named) == 1
    name, x, y = named[0]
    assert f"AUC {expected.roc_area():.3f}" in name
    np.testing.assert_allclose(x, expected.fpr)
    np.testing.assert_allclose(y, expected.tpr)
    # The marker sits at the classifier's own predictions for the class.
    fpr, tpr, _ = view.points[0]
    predicted_positive = res.predicted == 1
    assert tpr == pytest.approx(np.mean(predicted_positive[res.actual == 1]))
    assert fpr == pytest.approx(np.mean(predicted_positive[res.actual != 1]))


def test_overlay_per_fold_hull_and_precision_recall(qtbot, mlp_cv, knn_cv):
    view = ThresholdCurveView([mlp_cv, knn_cv], "roc")
    qtbot.addWidget(view)
    names = [d[0] for d in _drawn(view) if d[0]]
    assert [n.split(" (")[0] for n in names] == ["mlp", "knn"]
    view.folds_box.setChecked(True)
    assert len(view.fold_curves) == 6  # 3 folds for each of the two classifiers
    view.hull_box.setChecked(True)
    hx, hy = view.hulls[0]
    assert hx[0] == 0 and hy[-1] == 1 and np.all(np.diff(hx) >= 0) and np.all(np.diff(hy) >= 0)
    view.kind_box.setCurrentIndex(1)
    assert view.kind == "prc"
    _name, x, y = next(d for d in _drawn(view) if d[0])
    np.testing.assert_allclose(x, view.curves[0].recall)
    np.testing.assert_allclose(y, view.curves[0].precision)
    view.class_box.setCurrentIndex(2)
    assert view.curves[0].label == "Iris-virginica"


def test_legend_names_a_result_as_the_explorer_labelled_it(qtbot, knn_cv):
    """The Explorer names a result as the user chose it ("IBk -K 3", classify.py) by
    relabelling its results; the legend reads that label and nothing else."""
    labelled = dataclasses.replace(knn_cv, results=dataclasses.replace(
        knn_cv.results, classifier="IBk -K 3"))
    view = ThresholdCurveView(labelled, "roc")
    qtbot.addWidget(view)
    assert [d[0].split(" (AUC")[0] for d in _drawn(view) if d[0]] == ["IBk -K 3"]


def test_hover_reads_out_the_nearest_point(qtbot, mlp_cv):
    view = ThresholdCurveView(mlp_cv)
    qtbot.addWidget(view)
    curve, i = view.nearest(0.0, 1.0)
    text = view.describe_point(curve, i)
    assert "threshold" in text and "TP rate" in text
    header, rows = view.table()
    assert len(rows) == view.curves[0].num_points and header[2] == "threshold"


def test_hull_of_a_perfect_curve_and_refusals(mlp_cv):
    hx, hy = roc_hull(np.array([0.0, 0.0, 0.5, 1.0]), np.array([0.0, 1.0, 1.0, 1.0]))
    assert list(zip(hx, hy, strict=True)) == [(0, 0), (0, 1), (1, 1)]
    with pytest.raises(WorkbenchError, match="kind"):
        ThresholdCurveView(mlp_cv, "lift")
    assert default_point(mlp_cv.results, 0)[1] == 1.0  # setosa is always found


def test_overlay_refuses_results_with_other_classes(mlp_cv, iris):
    from workbench.classifiers.zeror import ZeroR
    from workbench.data.dataset import Attribute, Dataset
    from workbench.evaluation import TestOption, evaluate

    attrs = list(iris.attributes)
    attrs[4] = Attribute.nominal("class", ["a", "b", "c"])
    other = Dataset("other", attrs, iris.dense_values(), class_index=4)
    ev = evaluate(ZeroR(), other, TestOption.cross_validation(folds=3), build_model=False)
    with pytest.raises(WorkbenchError, match="classes differ"):
        ThresholdCurveView([mlp_cv, ev])
