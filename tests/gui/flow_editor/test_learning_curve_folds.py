"""A LearningCurveViewer after a cross-validation: the flow trains one model per fold and
none on all the data (as WEKA's Knowledge Flow), so there is no single curve. The node
charts each fold's curve by name, and the viewer offers the folds to choose from, rather
than showing the last fold's curve as if it were the model's."""

from __future__ import annotations

import numpy as np
from flow_editor_helpers import run_to_end

from workbench.gui.flow_editor.files import templates_dir
from workbench.gui.plots import LearningCurveView


def _cv_with_curves(editor, folds=3):
    assert editor.open_template(templates_dir() / "cross-validation.kflow.json")
    flow = editor.flow
    flow.set_params("cv", folds=folds)
    flow.remove_node("classifier")
    flow.add_node("classifier:mlp", node_id="mlp", params={"epochs": 15})
    flow.add_node("LearningCurveViewer", node_id="curves")
    for link in [("cv", "trainingSet", "mlp", "trainingSet"),
                 ("cv", "testSet", "mlp", "testSet"),
                 ("mlp", "batchClassifier", "evaluator", "batchClassifier"),
                 ("mlp", "batchClassifier", "curves", "batchClassifier")]:
        flow.connect(*link)


def test_each_folds_curve_is_charted_and_chosen_in_the_viewer(make_editor, qtbot):
    editor = make_editor()
    _cv_with_curves(editor)
    result = run_to_end(qtbot, editor)
    assert result.ok, {n: str(s) for n, s in result.states.items()}
    chart = editor.runner.outputs["curves"]["chart"]
    labels = ("fold 1 of 3", "fold 2 of 3", "fold 3 of 3")
    assert chart.fold_labels == labels
    assert "one model per fold, 3 folds" in chart.title
    assert {s.label.split(": ")[0] for s in chart.series} == set(labels)
    view = editor.open_viewer("curves").content
    assert isinstance(view, LearningCurveView)
    assert not view.fold_choice.isHidden() and not view.fold_label.isHidden()
    assert [view.fold_choice.itemText(i) for i in range(3)] == list(labels)
    assert view.fold_choice.currentText() == "fold 3 of 3"
    assert view.status.text().startswith("fold 3 of 3: ")
    for index, label in enumerate(labels):
        view.fold_choice.setCurrentIndex(index)
        assert view.status.text().startswith(f"{label}: ")
        _, drawn = view.points("loss")
        charted = next(s for s in chart.series if s.label == f"{label}: loss")
        np.testing.assert_allclose(drawn, charted.y)


def test_a_single_training_set_keeps_one_curve_and_no_chooser(make_editor, qtbot):
    editor = make_editor()
    _cv_with_curves(editor)
    flow = editor.flow
    flow.remove_node("cv")
    flow.add_node("TrainTestSplitMaker", node_id="split")
    flow.connect("class", "dataSet", "split", "dataSet")
    flow.connect("split", "trainingSet", "mlp", "trainingSet")
    flow.connect("split", "testSet", "mlp", "testSet")
    result = run_to_end(qtbot, editor)
    assert result.ok, {n: str(s) for n, s in result.states.items()}
    chart = editor.runner.outputs["curves"]["chart"]
    assert chart.fold_labels == () and [s.label for s in chart.series][:1] == ["loss"]
    view = editor.open_viewer("curves").content
    assert view.fold_choice.isHidden() and view.fold_label.isHidden()
    assert len(view.points("loss")[1]) > 0
