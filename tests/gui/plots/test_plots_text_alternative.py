"""Each plot has a name and a description a screen reader reads, saying what the eye
reads off it, and kept up to date as the plot changes (a11y walkthrough M7)."""

from __future__ import annotations

import numpy as np

from workbench.classifiers.mlp import MultilayerPerceptron
from workbench.gui.plots.curves import ThresholdCurveView, curve_area
from workbench.gui.plots.errors import ClassifierErrorsView
from workbench.gui.plots.learning import LearningCurveView
from workbench.gui.plots.margins import MarginHistogramView


def test_roc_curves_name_their_class_and_each_results_auc(qtbot, mlp_cv, knn_cv):
    view = ThresholdCurveView([mlp_cv, knn_cv], "roc", label="Iris-versicolor")
    qtbot.addWidget(view)
    assert view.plot.accessibleName() == "ROC curves for class Iris-versicolor"
    areas = [curve_area(curve, "roc") for curve in view.curves]
    assert view.plot.accessibleDescription() == (
        f"{mlp_cv.results.classifier}: AUC {areas[0]:.3f}; "
        f"{knn_cv.results.classifier}: AUC {areas[1]:.3f}")
    view.class_box.setCurrentText("Iris-setosa")
    view.kind_box.setCurrentIndex(1)
    assert view.plot.accessibleName() == "Precision-recall curves for class Iris-setosa"
    assert view.class_box.accessibleName() == "Class:"


def test_classifier_errors_say_the_axes_and_how_many_are_wrong(qtbot, mlp_cv):
    view = ClassifierErrorsView(mlp_cv, x="petallength", y="petalwidth")
    qtbot.addWidget(view)
    wrong = int(np.count_nonzero(~view.correct))
    total = len(view.correct)
    assert view.plot.accessibleName() == "Classifier errors: petallength against petalwidth"
    assert view.plot.accessibleDescription() == (
        f"{total} predictions, {wrong} wrong (squares), {total - wrong} right (crosses)")
    assert (view.x_box.accessibleName(), view.y_box.accessibleName()) == ("X:", "Y:")
    view.x_box.setCurrentText("sepallength")
    assert view.plot.accessibleName().startswith("Classifier errors: sepallength against")


def test_the_margin_histogram_says_its_summary(qtbot, mlp_cv):
    view = MarginHistogramView(mlp_cv)
    qtbot.addWidget(view)
    assert view.plot.accessibleName() == "Margin histogram"
    assert view.plot.accessibleDescription() == view.summary.text()


def test_the_loss_curve_says_the_epoch_and_the_last_loss(qtbot, iris):
    model = MultilayerPerceptron(epochs=12, seed=1).fit(iris)
    view = LearningCurveView(model)
    qtbot.addWidget(view)
    assert view.loss_widget.accessibleName() == "Loss curve"
    description = view.loss_widget.accessibleDescription()
    assert description == view.status.text()
    assert "12 epochs" in description and f"{model.history_.loss[-1]:.4g}" in description
