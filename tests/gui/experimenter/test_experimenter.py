"""The Experimenter window: set up, run, stop and resume, analyse, save and load."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from held_worker import HeldWorker

from workbench.evaluation.experiment import compare, read_results

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def window(qtbot):
    from PySide6.QtWidgets import QMessageBox

    from workbench.gui.experimenter import Experimenter

    win = Experimenter()
    win.setup.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    qtbot.addWidget(win)
    yield win
    if win.run.job is not None:  # never leave a worker emitting into a deleted window
        win.run.job.stop()
        qtbot.waitUntil(lambda: win.run.job is None, timeout=20_000)


def small_setup(win, out: Path, repetitions: int = 2, folds: int = 3) -> None:
    setup = win.setup
    setup.add_dataset("iris")
    setup.add_dataset("weather.nominal")
    setup.add_classifier("zeror")
    setup.add_classifier("knn", {"k": 3})
    setup.repetitions.setValue(repetitions)
    setup.folds.setValue(folds)
    setup.results.setText(str(out))


def expected_text(mean: float, std: float, marker: str) -> str:
    def num(v: float) -> str:
        return "-" if math.isnan(v) else f"{v:.2f}"

    return f"{num(mean)} ({num(std)})" + (f" {marker}" if marker else "")


def test_run_and_analyse_matches_compare(qtbot, window, tmp_path):
    out = tmp_path / "results.csv"
    small_setup(window, out)
    assert "24 runs" in window.setup.summary.text()
    assert window.start()
    qtbot.waitUntil(lambda: not window.running, timeout=30_000)
    assert window.run.summary is not None and window.run.summary.executed == 24
    assert window.run.progress.value() == window.run.progress.maximum() == 24
    # a finished run fills the Analyse tab; choose metric and baseline explicitly too
    analyse = window.analyse
    analyse.metric_box.setCurrentText("accuracy")
    analyse.baseline.setCurrentText("IBk -K 3")   # shown as chosen, keyed "knn --k 3"
    assert analyse.baseline_label() == "knn --k 3"
    shown = analyse.analyse()
    expected = compare(read_results(out), "accuracy", "knn --k 3", 0.05)
    assert shown is not None and shown.cells == expected.cells
    rows = analyse.cell_texts()
    assert [r[0] for r in rows] == [*expected.datasets, "(v/ /*)"]
    header = [analyse.table.horizontalHeaderItem(c).text()
              for c in range(analyse.table.columnCount())]
    assert header == ["Dataset", "Runs", "(1) IBk -K 3", "(2) ZeroR"]
    for row, dataset in zip(rows, expected.datasets, strict=False):
        assert row[1] == "6"
        for col, clf in enumerate(expected.classifiers, start=2):
            cell = expected.cells[(dataset, clf)]
            assert row[col] == expected_text(cell.mean, cell.std, cell.marker)
    assert rows[-1][3] == "({}/{}/{})".format(*expected.counts("zeror"))
    assert "*" in rows[0][3]  # ZeroR is significantly worse than kNN on iris
    # exports: file and clipboard, each format
    from PySide6.QtGui import QGuiApplication

    from workbench.evaluation.experiment import export

    # reports name the classifiers as the user chose them, as the table does
    assert "(1) IBk -K 3\n(2) ZeroR\n" in analyse.output.toPlainText()
    named = expected.renamed({"knn --k 3": "IBk -K 3", "zeror": "ZeroR"})
    for fmt, name in (("text", "c.txt"), ("csv", "c.csv"), ("latex", "c.tex")):
        analyse.save(tmp_path / name, fmt)
        assert (tmp_path / name).read_text() == export(named, fmt, 2)
    analyse.format.setCurrentIndex(analyse.format.findData("csv"))
    analyse.copy()
    assert QGuiApplication.clipboard().text() == export(named, "csv", 2)


def test_stop_is_immediate_and_start_resumes(qtbot, window, tmp_path, monkeypatch):
    held = HeldWorker(monkeypatch)
    out = tmp_path / "big.csv"
    small_setup(window, out, repetitions=10, folds=10)   # 400 runs
    window.setup.remove_selected_datasets()
    assert window.start()
    qtbot.waitUntil(lambda: window.run.progress.value() >= 5, timeout=20_000)
    held.hold()                                         # the worker between two runs
    assert held.returns_while_held(window.stop)        # Stop never waits on the worker
    assert window.running
    held.let_go()
    qtbot.waitUntil(lambda: not window.running, timeout=20_000)
    assert window.run.summary is None
    assert "Stopped" in window.run.status.text()
    kept = len(read_results(out))
    assert 0 < kept < 400
    assert window.start()                               # resumes: kept runs are skipped
    qtbot.waitUntil(lambda: not window.running, timeout=60_000)
    summary = window.run.summary
    assert summary is not None and summary.complete
    assert summary.skipped == kept and summary.executed == 400 - kept
    assert len(read_results(out)) == 400


def test_spec_round_trip(qtbot, window, tmp_path):
    from workbench.evaluation.experiment import load_spec
    from workbench.gui.experimenter import Experimenter

    small_setup(window, tmp_path / "r.csv")
    window.setup.add_classifier("knn", {"k": 5}, label="IBk 5")
    window.setup.add_dataset(str(ROOT / "workbench" / "resources" / "datasets" / "glass.arff"))
    window.setup.method.setCurrentIndex(window.setup.method.findData("split"))
    window.setup.percent.setValue(70.0)
    window.setup.seed.setValue(7)
    spec = window.setup.spec()
    path = tmp_path / "exp.experiment.json"
    window.setup.save(path)
    assert load_spec(path) == spec
    assert json.loads(path.read_text())["classifiers"][2] == {
        "name": "knn", "params": {"k": 5}, "label": "IBk 5"}
    other = Experimenter()
    qtbot.addWidget(other)
    assert other.open_spec(path) is not None
    assert other.setup.spec() == spec
    assert other.setup.results.text() == str(tmp_path / "exp.results.csv")


def test_example_spec_opens(qtbot, window):
    from workbench.evaluation.experiment import load_spec

    path = ROOT / "workbench" / "resources" / "experiments" / "three-learners.experiment.json"
    spec = window.open_spec(path)
    assert spec is not None and window.setup.classifiers.count() == 3
    # identical, metric order included, so results the CLI started resume here
    assert window.setup.spec().to_dict() == load_spec(path).to_dict()
    assert "900 runs" in window.setup.summary.text()


def test_errors_are_messages(qtbot, window, tmp_path):
    assert not window.start()                             # nothing set up
    assert "datasets" in window.run.last_error
    assert window.run.job is None
    with pytest.raises(Exception, match="neither"):
        window.setup.add_dataset(str(tmp_path / "missing.arff"))
    window.setup._try(lambda: window.setup.add_classifier("no-such-learner"))
    assert "no-such-learner" in window.setup.message.text()
    window.setup._try(lambda: window.setup.add_classifier("knn", {"k": -4}))
    assert window.setup.message.text()
    assert window.open_spec(tmp_path / "nope.json") is None
    assert "nope.json" in window.setup.message.text()
    window.analyse.results.setText(str(tmp_path / "none.csv"))
    assert window.analyse.analyse() is None
    assert "no such results file" in window.analyse.message.text()
    # results of another experiment: refused with a message, not a crash
    small_setup(window, tmp_path / "r.csv", repetitions=1, folds=2)
    assert window.start()
    qtbot.waitUntil(lambda: not window.running, timeout=20_000)
    window.setup.seed.setValue(99)
    started = window.run.log.toPlainText().count("Started")
    assert not window.start()   # refused before it starts, and before "Started" is said
    assert "different experiment" in window.run.last_error
    assert window.run.log.toPlainText().count("Started") == started


def test_classifier_dialog_reads_the_sheet(qtbot):
    from workbench.core.registry import default_registry
    from workbench.gui.experimenter.classifier_dialog import ClassifierDialog

    dialog = ClassifierDialog(default_registry(), "knn", {"k": 4}, "mine")
    qtbot.addWidget(dialog)
    assert dialog.name() == "knn" and dialog.params() == {"k": 4}
    assert dialog.label() == "mine"
    dialog.chooser.set_current("zeror")
    assert dialog.name() == "zeror" and dialog.params() == {}


def test_clicking_and_editing_a_classifier_entry(qtbot):
    """A click calls the view's virtual ``edit(index, trigger, event)``; the list once
    had its own ``edit(row, name, params)`` in its place and crashed on the click."""
    from PySide6.QtCore import Qt

    from workbench.core.registry import default_registry
    from workbench.gui.experimenter.classifier_list import ClassifierList

    entries = ClassifierList(default_registry())
    qtbot.addWidget(entries)
    entries.add("zeror")
    entries.show()
    centre = entries.visualItemRect(entries.item(0)).center()
    qtbot.mouseClick(entries.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(entries.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert entries.currentRow() == 0
    entries.edit_entry(0, "knn", {"k": 3}, "mine")
    assert entries.entries() == [{"name": "knn", "params": {"k": 3}, "label": "mine"}]


def test_analyse_panel_can_be_drawn(qtbot):
    """Qt asks a widget's virtual ``metric()`` for its resolution when it draws it; the
    panel once kept its comparison field box in ``self.metric`` and crashed there."""
    from workbench.gui.experimenter.analyse import AnalysePanel

    panel = AnalysePanel()
    qtbot.addWidget(panel)
    panel.show()
    assert not panel.grab().isNull()
    assert panel.logicalDpiX() > 0


def test_launcher_offers_the_experimenter(qtbot):
    from workbench.gui.app import Launcher

    launcher = Launcher()
    qtbot.addWidget(launcher)
    assert launcher.buttons["Experimenter"].isEnabled()
    launcher.buttons["Experimenter"].click()
    assert type(launcher.windows[-1]).__name__ == "Experimenter"
    qtbot.addWidget(launcher.windows[-1])


def test_command_screenshot(qtbot, tmp_path):
    from PySide6.QtGui import QImage

    from workbench.cli import main

    spec = tmp_path / "tiny.experiment.json"
    spec.write_text(json.dumps({"datasets": ["iris"], "classifiers": ["zeror", "knn"],
                                "resampling": {"folds": 2}, "repetitions": 1}))
    png = tmp_path / "exp.png"
    assert main(["experimenter", str(spec), "--run", "--screenshot", str(png)]) == 0
    assert QImage(str(png)).width() > 100
    assert len(read_results(tmp_path / "tiny.results.csv")) == 4


def test_command_run_waits_for_a_dataset_files_check(qtbot, tmp_path):
    """``--run`` with a dataset file (not bundled) started while the file was still
    being checked, and refused: "Still reading mine.arff to check it"."""
    import shutil

    from workbench.cli import main
    from workbench.data.catalog import bundled_path

    shutil.copy(bundled_path("iris"), tmp_path / "mine.arff")
    spec = tmp_path / "tiny.experiment.json"
    spec.write_text(json.dumps({"datasets": ["mine.arff"], "classifiers": ["zeror"],
                                "resampling": {"folds": 2}, "repetitions": 1}))
    png = tmp_path / "exp.png"
    assert main(["experimenter", str(spec), "--run", "--screenshot", str(png)]) == 0
    assert len(read_results(tmp_path / "tiny.results.csv")) == 2


def test_command_run_says_when_the_dataset_checks_outlast_the_timeout(
        qtbot, tmp_path, monkeypatch, capsys):
    """A check that never ends: the command says so in one line (exit 2), instead of
    the window's "Start again in a moment", which means nothing to a script."""
    import shutil

    from workbench.cli import main
    from workbench.data.catalog import bundled_path
    from workbench.gui.experimenter.setup import SetupPanel

    shutil.copy(bundled_path("iris"), tmp_path / "mine.arff")
    spec = tmp_path / "tiny.experiment.json"
    spec.write_text(json.dumps({"datasets": ["mine.arff"], "classifiers": ["zeror"],
                                "resampling": {"folds": 2}, "repetitions": 1}))
    monkeypatch.setattr(SetupPanel, "checking_datasets", lambda self: ["mine.arff"])
    png = tmp_path / "exp.png"
    assert main(["experimenter", str(spec), "--run", "--timeout", "0.2",
                 "--screenshot", str(png)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "dataset checks (mine.arff) were still running after 0.2 s" in err[0]
    assert not png.exists() and not (tmp_path / "tiny.results.csv").exists()


def test_order_preserved_split_is_offered_saved_and_opened(qtbot, window, tmp_path):
    """WEKA's three experiment types: cross-validation, a randomized split and a split
    in the file's order (``randomize`` false), the last kept through save and open."""
    from workbench.evaluation.experiment import load_spec
    from workbench.gui.experimenter import Experimenter

    method = window.setup.method
    assert [method.itemText(i) for i in range(method.count())] == [
        "Cross-validation", "Percentage split (randomized)",
        "Percentage split (order preserved)"]
    small_setup(window, tmp_path / "r.csv")
    method.setCurrentIndex(method.findText("Percentage split (order preserved)"))
    assert window.setup.experiment_type.method_options.currentIndex() == 1
    spec = window.setup.spec()
    assert (spec.resampling.method, spec.resampling.randomize) == ("split", False)
    path = tmp_path / "ordered.experiment.json"
    window.setup.save(path)
    assert load_spec(path).resampling.randomize is False
    other = Experimenter()
    qtbot.addWidget(other)
    assert other.open_spec(path) is not None
    assert other.setup.method.currentText() == "Percentage split (order preserved)"
    assert other.setup.spec() == spec


def test_run_tab_progress_names_classifiers_as_its_lists_do(qtbot, window, tmp_path,
                                                           monkeypatch):
    """The Classifiers list says "IBk -K 3"; so does the progress line under the bar
    (it said "knn --k 3", the results table's key)."""
    shown: list[str] = []
    status = window.run.status
    real = status.setText
    monkeypatch.setattr(status, "setText",
                        lambda text: (shown.append(text), real(text))[1])
    small_setup(window, tmp_path / "results.csv", repetitions=1, folds=2)
    assert window.start()
    qtbot.waitUntil(lambda: not window.running, timeout=30_000)
    progress = [t for t in shown if "runs done (" in t]
    assert any("IBk -K 3, repetition" in t for t in progress)
    assert not any("knn --k 3" in t for t in shown)
