"""The flow's model and evaluation viewers open the shared viewers of ``gui/plots`` (the
ones the Explorer's result list opens), fed by what the templates compute."""

from __future__ import annotations

import numpy as np
import pytest
from flow_editor_helpers import run_to_end

from workbench.data.arff import read_arff
from workbench.data.catalog import bundled_path
from workbench.gui.flow_editor.files import templates
from workbench.gui.plots import (
    ConfusionMatrixView,
    LearningCurveView,
    ThresholdCurveView,
    WeightsView,
)


def _template(prefix):
    return next(p for p in templates() if p.name.startswith(prefix))


def _open_and_run(make_editor, qtbot, prefix):
    editor = make_editor()
    assert editor.open_template(_template(prefix))
    result = run_to_end(qtbot, editor)
    assert result.ok, {n: str(s) for n, s in result.states.items()}
    return editor


def test_model_performance_chart_overlays_one_roc_curve_per_classifier(make_editor, qtbot):
    editor = _open_and_run(make_editor, qtbot, "roc-")
    view = editor.open_viewer("roc").content
    assert isinstance(view, ThresholdCurveView) and view.kind == "roc"
    feeding = [lk for lk in editor.flow.links if lk.target == "roc"]
    assert len(view.curves) == len(view.legend.items) == len(feeding) == 2
    # The same points and areas as the node's chart, which `workbench run` writes as CSV.
    chart = editor.runner.outputs["roc"]["chart"]
    assert view.class_box.currentText() == chart.class_label
    for curve, series, evaluation in zip(view.curves, chart.series, chart.evaluations,
                                         strict=True):
        np.testing.assert_allclose(curve.fpr, series.x)
        np.testing.assert_allclose(curve.tpr, series.y)
        assert f"AUC {curve.roc_area():.4f}" in series.label
        total = evaluation.results.weights.sum()
        assert curve.tp[-1] + curve.fn[-1] + curve.fp[-1] + curve.tn[-1] == total
    legend = [label.text for _, label in view.legend.items]
    assert all("AUC" in text for text in legend)
    # Named as the reports' Scheme lines name them, not by the registry keys knn and
    # naive-bayes.
    assert [text.split(" (AUC")[0] for text in legend] == ["IBk -K 5", "NaiveBayes"]
    assert {evaluation.results.classifier for evaluation in chart.evaluations} == \
        {r.classifier for r in view.results}


def test_mlp_template_viewers_show_matrix_learning_curves_and_weights(make_editor, qtbot):
    editor = _open_and_run(make_editor, qtbot, "mlp-")
    data = read_arff(bundled_path(editor.flow.node("loader").params["file"]))
    tested = data.num_instances - round(data.num_instances * 0.66)

    matrix = editor.open_viewer("matrix").content
    assert isinstance(matrix, ConfusionMatrixView)
    assert matrix.counts.sum() == tested == len(matrix.results.actual)
    np.testing.assert_array_equal(matrix.counts,
                                  editor.runner.outputs["matrix"]["confusionMatrix"].matrix)
    assert matrix.cell_text(0, 0) == f"{matrix.counts[0, 0]:g}"
    assert matrix.matrix.rowCount() == matrix.matrix.columnCount() == 10

    curve = editor.open_viewer("curve").content
    assert isinstance(curve, LearningCurveView)
    epochs, loss = curve.points("loss")
    assert len(epochs) == editor.flow.node("mlp").params["epochs"] == 30
    assert loss[-1] < loss[0]

    weights = editor.open_viewer("weights").content
    assert isinstance(weights, WeightsView)
    mosaic = weights.pages["Hidden units"].mosaic
    assert mosaic.tile_count == 16 and mosaic.tile_shape == (8, 8)
    assert "Network" in weights.pages


def test_shared_viewers_refresh_when_the_flow_re_runs(make_editor, qtbot):
    editor = _open_and_run(make_editor, qtbot, "roc-")
    window = editor.open_viewer("roc")
    before = [c.roc_area() for c in window.content.curves]
    editor.flow.set_params("ibk", k=7)
    run_to_end(qtbot, editor)
    view = window.content
    assert isinstance(view, ThresholdCurveView)
    after = [c.roc_area() for c in view.curves]
    assert after[0] != pytest.approx(before[0]) and after[1] == pytest.approx(before[1])


def test_viewer_shows_why_curves_cannot_be_overlaid(make_editor, qtbot):
    from PySide6.QtWidgets import QPlainTextEdit

    from workbench.flow.nodes.viewers import ThresholdChart
    from workbench.gui.flow_editor.viewers import viewer_widget

    editor = _open_and_run(make_editor, qtbot, "roc-")
    chart = editor.runner.outputs["roc"]["chart"]
    broken = ThresholdChart(chart.title, chart.x_label, chart.y_label, chart.series,
                            evaluations=chart.evaluations, curve="roc",
                            class_label="no such class")
    widget = viewer_widget({"chart": broken})
    qtbot.addWidget(widget)
    assert isinstance(widget, QPlainTextEdit)
    assert "no such class" in widget.toPlainText()
