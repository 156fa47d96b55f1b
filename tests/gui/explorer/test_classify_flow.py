"""The issue's "done when" checks, driven through the window as a user would."""

from __future__ import annotations

import threading

import pytest
from explorer_helpers import dataset_path, open_and_wait, settle_classify
from held_worker import HeldWorker
from PySide6.QtCore import Qt, QTimer

from workbench.cli import main


def _sections(report: str) -> tuple[str, list[str]]:
    """The run information block, and the cross-validation's statistics without blank
    lines (the Explorer heads them "=== Summary ===", WEKA's command line does not)."""
    head = report[:report.index("=== Classifier model")]
    body = report[report.index("=== Stratified cross-validation ==="):]
    return head, [line for line in body.splitlines()[1:]
                  if line.strip() and line != "=== Summary ==="]


def test_knn_cross_validation_report_equals_the_command_line(qtbot, explorer, capsys):
    path = dataset_path("iris.arff")
    open_and_wait(qtbot, explorer, path)
    assert explorer.dataset is not None and explorer.dataset.num_instances == 150
    explorer.classify.choose("knn")
    explorer.classify.use_cv.setChecked(True)
    explorer.classify.set_test_options(folds=10)
    qtbot.mouseClick(explorer.classify.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(explorer.classify.evaluations) == 1, timeout=60_000)
    gui_report = explorer.classify.report.toPlainText()

    assert main(["classify", "-t", path, "--no-progress", "knn"]) == 0
    cli_report = capsys.readouterr().out
    assert "=== Stratified cross-validation ===" in gui_report
    # Both name the classifier as the window's menus do (IBk), then list every option,
    # defaults included, as WEKA's Scheme line does, with WEKA's option letters.
    assert "Scheme:       IBk -K 1 --distance-weighting none -W 0 " in gui_report
    # The Explorer's layout and the command line's (WEKA's own two): the same run
    # information and the same statistics, word for word.
    assert _sections(gui_report) == _sections(cli_report)
    assert "=== Error on training data ===" in cli_report
    assert "=== Error on training data ===" not in gui_report
    # The window names the classifier as its menu does, with WEKA's option letters.
    assert explorer.classify.options_line.text() == "IBk"
    assert explorer.classify.results_list.item(0).text().endswith(" - IBk")
    assert explorer.classify.evaluations[0].results.classifier == "IBk"


def test_stop_during_mlp_training_returns_before_the_worker_finishes(qtbot, explorer,
                                                                     monkeypatch):
    held = HeldWorker(monkeypatch)
    open_and_wait(qtbot, explorer, dataset_path("diabetes.arff"))
    explorer.classify.choose("mlp", {"epochs": 100000})
    explorer.classify.use_training.setChecked(True)
    assert explorer.classify.start()
    qtbot.waitUntil(lambda: len(explorer.classify.curve.series["loss"]) >= 2, timeout=30_000)
    assert explorer.classify.curve.isVisibleTo(explorer.classify)

    held.hold()  # the worker is inside the training, stopped at a progress report
    # Run > Stop returns while the worker is still held: it cannot have waited for it.
    assert held.returns_while_held(lambda: qtbot.keyClick(explorer, Qt.Key.Key_Escape))
    assert explorer.classify.running
    assert explorer.classify.progress_label.text() == "Stopping..."
    ticked: list[bool] = []  # and the window goes on handling events meanwhile
    QTimer.singleShot(0, lambda: ticked.append(True))
    qtbot.waitUntil(lambda: bool(ticked), timeout=10_000)
    assert explorer.classify.running

    held.let_go()
    qtbot.waitUntil(lambda: not explorer.classify.running, timeout=30_000)
    assert explorer.classify.evaluations == []
    assert "cancelled" in explorer.status.activity.text()
    assert explorer.classify.start_button.isEnabled()


@pytest.mark.parametrize("watch", [False, True], ids=["digits", "digits-watching-weights"])
def test_an_mlp_trains_off_the_gui_thread_and_reports_through_queued_signals(
        qtbot, explorer, monkeypatch, watch):
    """What keeps the window from freezing, checked exactly: the training loop runs on a
    worker thread, and every report it makes is handled on the GUI thread afterwards (a
    queued signal), never inside the training. How long the GUI thread is busy with the
    reports is measured by benchmarks/gui_stall.py, not here."""
    held = HeldWorker(monkeypatch)
    handled_on: list[int] = []
    panel_type = type(explorer.classify)
    on_progress = panel_type._on_progress

    def recording(panel, event) -> None:
        handled_on.append(threading.get_ident())
        on_progress(panel, event)

    monkeypatch.setattr(panel_type, "_on_progress", recording)
    open_and_wait(qtbot, explorer, dataset_path("digits.arff"))
    explorer.classify.choose("mlp", {"epochs": 5, "hidden_layers": (32,)})
    explorer.classify.use_training.setChecked(True)
    assert explorer.classify.start()
    if watch:  # the weights window follows the model through the same reports
        view = explorer.classify.watch_weights()
    qtbot.waitUntil(lambda: not explorer.classify.running, timeout=120_000)

    assert len(explorer.classify.evaluations) == 1
    gui_thread = threading.get_ident()
    assert held.reporting_threads and gui_thread not in held.reporting_threads
    assert handled_on and set(handled_on) == {gui_thread}
    assert len(explorer.classify.curve.series["loss"]) >= 5
    if watch:
        assert view.refreshes >= 1


def test_broken_arff_shows_its_line_number(qtbot, explorer, tmp_path):
    broken = tmp_path / "broken.arff"
    broken.write_text("@relation r\n@attribute a numeric\n@attribute b {x,y}\n@data\n"
                      "1,x\n2,z\n", encoding="utf-8")
    open_and_wait(qtbot, explorer, str(broken))
    message = explorer.preprocess.message.text()
    assert explorer.dataset is None
    assert "broken.arff:6" in message
    assert explorer.preprocess.message.isVisible()
    assert "broken.arff:6" in explorer.log.text()
    assert explorer.status.activity.text().startswith("Error:")


def test_a_bad_parameter_ends_as_a_readable_message(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    explorer.classify.choose("mlp")
    explorer.classify.sheet.editor("hidden_layers").setText("4,x")
    explorer.classify.start()  # refused at once, or failing in the worker
    qtbot.waitUntil(lambda: not explorer.classify.running, timeout=30_000)
    assert explorer.status.activity.text().startswith("Error:")
    assert "4,x" in explorer.log.text()
    assert explorer.classify.evaluations == []
    assert explorer.classify.start_button.isEnabled()


def test_percentage_split_and_output_predictions(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    explorer.classify.choose("zeror")
    explorer.classify.use_split.setChecked(True)
    explorer.classify.output_predictions.setChecked(True)
    assert explorer.classify.start()
    qtbot.waitUntil(lambda: not explorer.classify.running, timeout=30_000)
    report = explorer.classify.report.toPlainText()
    assert "Evaluation on test split" in report
    assert "=== Predictions ===" in report
    assert report.count("\n") > 51  # 51 test instances listed


def test_explorer_command_writes_a_screenshot_of_the_report(qtbot, tmp_path, settings,
                                                            monkeypatch):
    from PySide6.QtGui import QImage

    from workbench.gui.explorer import window as window_module

    monkeypatch.setattr(window_module, "explorer_settings", lambda: settings)
    out = tmp_path / "out.png"
    assert main(["explorer", dataset_path("iris.arff"), "--run", "--classifier", "knn",
                 "--screenshot", str(out)]) == 0
    image = QImage(str(out))
    assert image.width() == 1100 and image.height() == 760
    assert len({image.pixel(x, y) for x in range(0, 1100, 37) for y in range(0, 760, 37)}) > 5
    # The next Explorer starts on ZeroR, as WEKA's does, not on the last run's learner.
    again = window_module.ExplorerWindow(settings=settings)
    qtbot.addWidget(again)
    assert again.classify.chooser.current_name() == "zeror"



def test_a_learners_warning_is_in_the_log_once(qtbot, explorer):
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    explorer.classify.choose("sklearn", {"estimator": "sklearn.neural_network.MLPClassifier",
                                         "options": '{"max_iter": 5}'})
    explorer.classify.use_cv.setChecked(True)
    explorer.classify.set_test_options(folds=3)
    qtbot.mouseClick(explorer.classify.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(explorer.classify.evaluations) == 1, timeout=60_000)
    warned = [line for line in explorer.log.text().splitlines() if "Warning: " in line]
    assert len(warned) == 1, explorer.log.text()     # four fits, said once
    assert "sklearn: Stochastic Optimizer: Maximum iterations (5) reached" in warned[0]


def test_a_failed_run_says_why_where_it_said_running(qtbot, explorer):
    """The output pane said "Running ... the report appears here": a run that fails
    replaces that promise with its reason, not only the status line."""
    open_and_wait(qtbot, explorer, dataset_path("iris.arff"))
    tab = explorer.classify
    explorer.tabs.setCurrentWidget(tab)
    tab.choose("rnn")
    settle_classify(qtbot, tab)   # the chosen sheet laid out: the baseline is its width
    widest = tab.minimumSizeHint().width()
    # iris has no text and no square image: the worker's fit refuses it
    qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.running, timeout=60_000)
    text = tab.report.toPlainText()
    assert text.startswith("Failed: ") and "no sequences to read" in text
    assert "report appears here" not in text
    # the long reason under the buttons is elided, never a wider window (it was 2665 px)
    assert tab.progress_label.text().startswith("Error: dataset 'iris' has no sequences")
    settle_classify(qtbot, tab)   # a late relayout would widen it after this point
    assert tab.minimumSizeHint().width() <= widest


def test_explorer_command_reads_a_file_with_the_options_info_takes(qtbot, tmp_path, settings,
                                                                   monkeypatch, capsys):
    """`workbench explorer FILE --skip-lines 1` reads a CSV with a title line, as
    `workbench info` and the window's Open with options... do, and the window remembers
    the options for the file; a bad value fails before any window."""
    from workbench.gui.explorer import window as window_module
    from workbench.gui.explorer.load_options import LoadOptions, remembered_options

    monkeypatch.setattr(window_module, "explorer_settings", lambda: settings)
    data = tmp_path / "titled.csv"
    data.write_text("Land-Ocean: Global Means\nyear,jan,feb\n1880,-.19,-.25\n1881,-.20,-.15\n")
    out = tmp_path / "out.png"
    assert main(["explorer", str(data), "--screenshot", str(out)]) == 2
    assert "this row has 3 fields, the header has 1" in capsys.readouterr().err
    # the failed one-shot run left no window, nor the options dialog it offered
    from PySide6.QtWidgets import QApplication

    assert QApplication.activeModalWidget() is None
    assert main(["explorer", str(data), "--skip-lines", "1", "--encoding", "latin-1",
                 "--screenshot", str(out)]) == 0
    assert remembered_options(settings, str(data)) == LoadOptions(encoding="latin-1",
                                                                  skip_lines=1)
    assert main(["explorer", "iris", "--no-header"]) == 2   # an ARFF file: said, not ignored
    assert "apply to CSV files only" in capsys.readouterr().err
    with pytest.raises(SystemExit) as refused:   # argparse's usage error: exit status 2
        main(["explorer", str(data), "--encoding", "klingon"])
    assert refused.value.code == 2
    assert "unknown text encoding 'klingon'" in capsys.readouterr().err
