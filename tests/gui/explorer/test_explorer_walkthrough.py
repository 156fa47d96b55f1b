"""What a user met in the Explorer walkthrough (issue 18), each checked as behaviour."""

from __future__ import annotations

import numpy as np
from explorer_helpers import dataset_path, open_and_wait
from PySide6.QtWidgets import QLabel

from workbench.data.io import load_dataset
from workbench.gui.explorer.histogram import ClassHistogram, class_histogram, elide
from workbench.gui.explorer.scatter_plot import ScatterPlot
from workbench.gui.widgets.access_keys import plain_text


def _shown_refusals(widget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel)
            if label.isVisibleTo(widget) and "not allowed" in label.text()]


def test_undo_and_run_start_are_enabled_only_when_they_can_act(qtbot, explorer):
    assert not explorer.undo_action.isEnabled()
    assert not explorer.preprocess.undo_button.isEnabled()
    assert not explorer.start_action.isEnabled()  # no data: as the Start button
    assert not explorer.classify.start_button.isEnabled()
    assert not explorer.stop_action.isEnabled()
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    assert explorer.start_action.isEnabled() and not explorer.undo_action.isEnabled()
    reduced = explorer.dataset.remove_attributes([0])
    explorer.replace_dataset(reduced, "removed attributes: sepallength")
    assert explorer.undo_action.isEnabled() and explorer.preprocess.undo_button.isEnabled()
    assert explorer.undo_action.text() == "&Undo removed attributes: sepallength"
    explorer.undo()
    assert not explorer.undo_action.isEnabled()
    assert not explorer.preprocess.undo_button.isEnabled()


def test_the_scheme_line_is_read_only_and_looks_it(explorer):
    line = explorer.classify.options_line
    assert line.isReadOnly() and not line.hasFrame()


def test_the_mlp_sheet_shows_whole_in_a_1280x800_window(qtbot, explorer):
    explorer.resize(1280, 800)
    explorer.tabs.setCurrentWidget(explorer.classify)
    explorer.classify.choose("mlp")
    bar = explorer.classify.sheet_scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() == 0, timeout=60_000)
    assert explorer.classify.sheet.editor("batch_size").isVisible()


def test_an_invalid_k_is_refused_beside_the_field_and_start_says_why(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    tab = explorer.classify
    tab.choose("knn", {"k": 3})
    editor = tab.sheet.editor("k")
    editor.selectAll()
    qtbot.keyClicks(editor, "-5")
    assert _shown_refusals(tab.sheet) == ["-5 is not allowed (expected a whole number "
                                          "in [1, inf])"]
    assert tab.sheet.values()["k"] == 3  # not silently 5
    assert not tab.start()
    assert tab.progress_label.text() == ("Error: fix the classifier's parameters first: "
                                         "parameter 'k': -5 is not allowed (expected a "
                                         "whole number in [1, inf])")
    assert explorer.status.activity.text().startswith("Error: fix the classifier's")
    editor.selectAll()
    qtbot.keyClicks(editor, "4")
    assert tab.progress_label.text() == "Ready"  # the refusal was about the old value
    # ... and the status bar lets it go too (walkthrough 13e: it kept the error)
    assert explorer.status.activity.text() == "Ready"
    assert "Error: fix the classifier's parameters first" in explorer.log.text()
    assert tab.options_line.text() == "IBk -K 4"


def test_a_new_run_a_stop_and_new_data_leave_no_stale_text(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    tab = explorer.classify
    tab.choose("zeror")
    tab.use_training.setChecked(True)
    assert tab.start()
    qtbot.waitUntil(lambda: len(tab.evaluations) == 1 and not tab.running,
                    timeout=30_000)
    assert "ZeroR predicts" in tab.report.toPlainText()
    assert tab.progress_label.text().startswith("Finished ZeroR in ")
    tab.choose("mlp", {"epochs": 100000})
    assert tab.start()
    # While it trains, the pane says what runs, not the previous report.
    assert tab.report.toPlainText().startswith("Running MLP -N 100000")
    qtbot.waitUntil(lambda: len(tab.curve.series["loss"]) >= 2, timeout=30_000)
    tab.stop()
    qtbot.waitUntil(lambda: not tab.running, timeout=10_000)
    assert tab.progress_label.text() == "Stopped: the run was cancelled"
    assert tab.progress_bar.value() == 0
    assert len(tab.evaluations) == 1
    # A refusal about this data is gone once other data is loaded.
    tab.cost_matrix.setText("[0 1; 1 0]")
    assert not tab.start()
    assert "expected a 3 x 3 matrix" in tab.progress_label.text()
    open_and_wait(qtbot, explorer, dataset_path("diabetes.arff"))
    assert tab.progress_label.text() == "Ready"


def test_results_and_viewers_use_the_names_the_user_chose(qtbot, explorer):
    from workbench.gui.plots.curves import ThresholdCurveView

    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    tab = explorer.classify
    tab.choose("knn", {"k": 3})
    assert tab.start()
    qtbot.waitUntil(lambda: len(tab.evaluations) == 1 and not tab.running,
                    timeout=60_000)
    tab.choose("naive-bayes")
    assert tab.start()
    qtbot.waitUntil(lambda: len(tab.evaluations) == 2 and not tab.running,
                    timeout=60_000)
    assert tab.results_list.item(0).text().endswith(" - IBk -K 3")
    assert tab.results_list.item(1).text().endswith(" - NaiveBayes")
    menu = explorer.results.build_menu(0)
    next(a for a in menu.actions()
         if plain_text(a.text()) == "Visualize confusion matrix").trigger()
    assert explorer.results.windows[-1].windowTitle() == "Confusion matrix: IBk -K 3"
    roc = ThresholdCurveView(tab.evaluations, "roc")
    qtbot.addWidget(roc)
    names = [label.text for _sample, label in roc.legend.items]
    assert [n.split(" (AUC")[0] for n in names] == ["IBk -K 3", "NaiveBayes"]
    for window in explorer.results.windows:
        window.close()


def test_learning_curves_say_why_there_is_no_accuracy(qtbot):
    from workbench.core.progress import ProgressEvent
    from workbench.gui.plots.learning import MIN_PLOT_HEIGHT, LearningCurveView

    view = LearningCurveView()
    qtbot.addWidget(view)
    for epoch in (1, 2, 3):
        view.on_progress(ProgressEvent(0.1, "", {"epoch": epoch, "loss": 1.0 / epoch}))
    view.redraw()
    assert view.acc_widget.isHidden() and not view.acc_note.isHidden()
    assert view.loss_widget.minimumHeight() == MIN_PLOT_HEIGHT
    legend = [label.text for _s, label in view.loss_plot.legend.items]
    assert legend == ["training loss"]  # no validation data, no "validation loss" entry
    view.on_progress(ProgressEvent(0.1, "", {"epoch": 4, "loss": 0.2, "val_loss": 0.3,
                                             "val_accuracy": 0.9}))
    view.redraw()
    assert not view.acc_widget.isHidden() and view.acc_note.isHidden()
    # The next run has no validation data: the legend no longer names a line it lacks.
    view.on_progress(ProgressEvent(0.1, "", {"epoch": 1, "loss": 1.0}))
    view.redraw()
    assert [label.text for _s, label in view.loss_plot.legend.items] == ["training loss"]
    assert [label.text for _s, label in view.acc_plot.legend.items] == []
    # The note names the learner's own parameter, or none where it has none.
    view.name_validation_parameter("Validation fraction")
    assert "Set Validation fraction above 0" in view.acc_note.text()
    view.name_validation_parameter(None)
    assert view.acc_note.text() == "No accuracy to draw: this training reports only its loss."


def test_class_histograms_labels_and_constants(qtbot):
    ds = load_dataset(dataset_path("iris.arff"))
    plot = ClassHistogram()
    qtbot.addWidget(plot)
    plot.resize(240, 160)
    plot.show()
    plot.show_attribute(ds, 4, 4)
    # The class's own histogram: three series, one colour each.
    brushes = {item.opts["brush"].color().name() for item in plot.listDataItems()
               + plot.getPlotItem().items if hasattr(item, "opts") and "brush" in item.opts}
    assert len(brushes) == 3
    assert all(t.endswith("\u2026") for t in plot.tick_texts)  # cut, and it says so
    assert plot.toolTip() == "Iris-setosa\nIris-versicolor\nIris-virginica"
    plot.resize(1200, 300)
    qtbot.waitUntil(lambda: plot.tick_texts == list(ds.attributes[4].values), timeout=60_000)
    assert elide("Iris-versicolor", 8) == "Iris-ve\u2026"
    # A constant attribute is one bar at its value, not a bin from 0 to 1.
    constant = ds.with_class(4)
    values = constant.dense_values().copy()
    values[:, 0] = 0.0
    from workbench.data.dataset import Dataset

    flat = Dataset(constant.relation, constant.attributes, values, class_index=4)
    edges, counts, _names = class_histogram(flat, 0, 4)
    assert edges.tolist() == [0.0] and counts.sum() == 150
    plot.show_attribute(flat, 0, 4)
    low, high = plot.getPlotItem().vb.viewRange()[0]
    assert low < 0.0 < high and abs(low + high) < 1e-9  # centred on the value


def test_the_enlarged_scatter_plot_has_a_legend(qtbot):
    ds = load_dataset(dataset_path("iris.arff"))
    plot = ScatterPlot(ds, 0, 1, 4)
    qtbot.addWidget(plot)
    assert plot.legend_names == ["Iris-setosa", "Iris-versicolor", "Iris-virginica"]
    assert len(plot.legend.items) == 3
    assert np.isfinite(plot.scatter.data["x"]).all()
