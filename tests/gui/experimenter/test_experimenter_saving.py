"""A saved experiment keeps its runs, its classifiers' names and a truthful Run tab;
the window has a File menu (walk 5, items 2, 4, 8-12 and 15)."""

from __future__ import annotations

import json
from pathlib import Path

from experimenter_setups import small_experiment
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence


def _run_to_end(window, qtbot) -> None:
    assert window.start(), window.run.last_error
    qtbot.waitUntil(lambda: not window.running, timeout=60_000)
    assert window.run.summary is not None, window.run.last_error


def _reopen(qtbot, path: Path):
    from workbench.gui.experimenter import Experimenter

    again = Experimenter()
    qtbot.addWidget(again)
    assert again.open_spec(path) is not None
    return again


def test_saving_a_new_experiment_carries_its_runs_beside_the_saved_file(
        window, qtbot, tmp_path):
    small_experiment(window)
    in_home = Path(window.setup.results.text())
    assert str(tmp_path / "home") in str(in_home)   # a new experiment: the data folder
    _run_to_end(window, qtbot)
    total = window.setup.total_runs()
    window.setup.save(tmp_path / "mine.experiment.json")
    beside = tmp_path / "mine.results.csv"
    assert window.setup.results.text() == str(beside)
    assert beside.is_file() and in_home.is_file()   # copied: the first copy stays
    assert f"{total} finished runs were copied to {beside}" in \
        window.status.activity.text()
    again = _reopen(qtbot, tmp_path / "mine.experiment.json")
    assert again.setup.results.text() == str(beside)
    assert again.run.progress.value() == total
    assert f"All {total} runs are in the results file already" in \
        again.run.status.text()
    _run_to_end(again, qtbot)
    assert again.run.summary.executed == 0 and again.run.summary.skipped == total


def test_saving_before_running_points_the_results_beside_the_file(window, tmp_path):
    small_experiment(window)
    window.setup.save(tmp_path / "fresh.experiment.json")
    assert window.setup.results.text() == str(tmp_path / "fresh.results.csv")
    assert "results go to" in window.status.activity.text()


def test_a_results_file_the_user_chose_stays_on_save(window, tmp_path):
    small_experiment(window)
    chosen = str(tmp_path / "chosen.csv")
    window.setup.results.setText(chosen)
    window.setup.save(tmp_path / "mine.experiment.json")
    assert window.setup.results.text() == chosen


def test_a_reopened_experiment_shows_the_names_chosen_and_saves_as_it_was(
        window, qtbot, tmp_path):
    small_experiment(window)
    window.setup.add_classifier("naive-bayes")
    shown = [window.setup.classifiers.item(i).text()
             for i in range(window.setup.classifiers.count())]
    assert shown == ["ZeroR", "IBk -K 3", "NaiveBayes"]
    path = tmp_path / "names.experiment.json"
    window.setup.save(path)
    saved = path.read_text()
    again = _reopen(qtbot, path)
    assert [again.setup.classifiers.item(i).text()
            for i in range(again.setup.classifiers.count())] == shown
    assert not again.setup.modified
    again.setup.save(path)
    assert path.read_text() == saved   # an old file stays as it was: no label added


def test_the_run_tab_counts_a_stopped_run_and_the_restart_says_resuming(
        window, qtbot, tmp_path):
    small_experiment(window, repetitions=2, folds=2)
    total = window.setup.total_runs()
    results = Path(window.setup.results.text())
    _run_to_end(window, qtbot)
    # Keep the header and the first 3 runs, as a Stop after 3 runs leaves the file.
    lines = results.read_text().splitlines(keepends=True)
    results.write_text("".join(lines[:4]))
    window.setup.repetitions.setValue(1)
    window.setup.repetitions.setValue(2)   # any edit redraws the Run tab
    assert window.run.progress.value() == 3
    assert f"3 of {total} runs done" in window.run.status.text()
    _run_to_end(window, qtbot)
    assert f"Resuming: 3 of {total} runs done, {total - 3} to compute" in \
        window.run.log.toPlainText()


def test_a_changed_opened_experiment_is_told_how_to_keep_both(window, qtbot, tmp_path):
    small_experiment(window)
    path = tmp_path / "mine.experiment.json"
    window.setup.save(path)
    _run_to_end(window, qtbot)
    window.setup.seed.setValue(5)
    assert "Start will refuse this results file" in window.run.status.text()
    window.run.start_button.click()   # the button, as a person starts it
    assert "Save... it under a new name" in window.run.last_error
    assert window.status.activity.text().startswith("Not started: ")
    assert "Started" not in window.run.log.toPlainText().split("Finished")[-1]


def test_new_and_save_update_the_status_bar(window, tmp_path):
    small_experiment(window)
    window.setup.save(tmp_path / "a.experiment.json")
    assert window.status.activity.text().startswith(
        f"Saved {tmp_path / 'a.experiment.json'}")
    assert window.setup.new()
    assert window.status.activity.text().startswith("New experiment")
    assert window.setup.results.text() in window.status.activity.text()


def test_the_analyse_table_follows_the_comparison_field(window, qtbot):
    small_experiment(window)
    _run_to_end(window, qtbot)
    panel = window.analyse
    assert panel.comparison.metric == "accuracy"
    panel.metric_box.setCurrentText("rmse")
    assert panel.comparison.metric == "rmse"
    assert "lower is better for rmse" in panel.legend.text()
    assert "Analysing:  rmse" in panel.output.toPlainText()


def test_typing_a_level_tests_once_and_new_decimals_only_reformat(window, qtbot,
                                                                   monkeypatch):
    """The test runs on the GUI thread (a second over hundreds of classifiers): not at
    every keystroke of the level, and not at all for new decimals."""
    from PySide6.QtTest import QTest

    from workbench.gui.experimenter import analyse as analyse_module

    small_experiment(window)
    _run_to_end(window, qtbot)
    panel = window.analyse
    calls = []
    real = analyse_module.compare
    monkeypatch.setattr(analyse_module, "compare",
                        lambda *a, **k: calls.append(a) or real(*a, **k))
    panel.significance.setFocus()
    panel.significance.selectAll()
    QTest.keyClicks(panel.significance, "0.125")
    assert calls == []                        # typing alone performs nothing
    QTest.keyClick(panel.significance, Qt.Key.Key_Return)
    assert len(calls) == 1 and panel.comparison.significance == 0.125
    panel.precision.setValue(4)
    assert len(calls) == 1                    # only the numbers' format changed
    assert any("." in text and len(text.split(" ")[0].split(".")[-1]) == 4
               for row in panel.cell_texts() for text in row[2:3] if text)


def test_a_datasets_message_goes_with_its_cause_and_moves_nothing(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    setup = window.setup
    setup.add_dataset("iris")
    before = setup.bundled.mapTo(window, setup.bundled.rect().topLeft())
    setup.bundled.setCurrentText("iris")
    setup.add_bundled_button.click()
    assert "already in the list" in setup.message.text()
    qtbot.wait(50)
    assert setup.bundled.mapTo(window, setup.bundled.rect().topLeft()) == before
    setup.datasets.setCurrentRow(0)
    setup.remove_selected_datasets()
    assert setup.message.text() == ""


def test_the_file_menu_has_the_usual_entries_and_ctrl_q_quits(window):
    texts = [a.text() for a in window.file_menu.actions() if a.text()]
    assert texts == ["&New", "&Open...", "Open &bundled", "&Save", "Save &as...", "&Quit"]
    assert QKeySequence("Ctrl+Q") in window.quit_action.shortcuts()
    assert window.quit_action.shortcutContext() == Qt.ShortcutContext.WindowShortcut


def test_file_save_writes_an_opened_experiment_without_asking(window, tmp_path):
    small_experiment(window)
    path = tmp_path / "x.experiment.json"
    window.setup.save(path)
    window.setup.seed.setValue(3)
    window.setup.ask_spec_path = lambda: (_ for _ in ()).throw(AssertionError("asked"))
    assert window.setup.save_current()
    assert json.loads(path.read_text())["seed"] == 3


def test_save_as_proposes_the_output_folder_numbered(window, tmp_path, monkeypatch):
    """A new experiment's Save as... opened in the folder the program started from,
    as "experiment.experiment.json"; it proposes the output folder the other tools'
    Save... use, under a name that replaces nothing."""
    monkeypatch.setenv("WORKBENCH_OUTPUT", str(tmp_path / "out"))
    first = window.setup.suggested_spec_path()
    assert first == tmp_path / "out" / "experiment.experiment.json"
    assert first.parent.is_dir()
    first.write_text("{}")
    assert window.setup.suggested_spec_path().name == "experiment-2.experiment.json"


def test_new_decimals_after_a_failed_test_draw_no_earlier_table(window, qtbot, monkeypatch):
    """A test that fails clears the table; new decimals then have nothing to redraw
    (they redrew the earlier measure's table under the new measure's name)."""
    from workbench.core.errors import WorkbenchError
    from workbench.gui.experimenter import analyse as analyse_module

    small_experiment(window)
    _run_to_end(window, qtbot)
    panel = window.analyse
    real = analyse_module.compare

    def failing_on_rmse(table, metric, *args, **kwargs):
        if metric == "rmse":
            raise WorkbenchError("no rmse here")
        return real(table, metric, *args, **kwargs)

    monkeypatch.setattr(analyse_module, "compare", failing_on_rmse)
    panel.metric_box.setCurrentText("rmse")
    assert panel.table.rowCount() == 0
    panel.precision.setValue(4)
    assert panel.table.rowCount() == 0 and "Analysing:  accuracy" not in \
        panel.output.toPlainText()
