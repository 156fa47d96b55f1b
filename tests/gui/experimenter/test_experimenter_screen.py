"""What the walkthrough of the Experimenter read on screen: a spec saved without its
suffix, a finished run that stayed on the Run tab, a status bar cut at the window's edge
and "1 datasets × 0 classifiers × 10 repetitions × 10 = 0 runs"."""

from __future__ import annotations

import json

from experimenter_setups import small_experiment


def test_save_adds_the_experiment_suffix_to_a_name_typed_without_it(window, tmp_path):
    small_experiment(window)
    window.setup.ask_spec_path = lambda: str(tmp_path / "myexp")
    assert window.setup._save_clicked()
    saved = tmp_path / "myexp.experiment.json"
    assert saved.is_file() and not (tmp_path / "myexp").exists()
    assert json.loads(saved.read_text())["classifiers"][0]["name"] == "zeror"
    assert window.setup.spec_path == str(saved) and not window.setup.modified
    window.setup.ask_spec_path = lambda: str(tmp_path / "mine.json")
    assert window.setup._save_clicked() and (tmp_path / "mine.json").is_file()


def test_save_asks_before_replacing_the_file_the_suffix_names(window, tmp_path):
    small_experiment(window)
    existing = tmp_path / "myexp.experiment.json"
    existing.write_text("mine", encoding="utf-8")
    asked = []
    window.setup.confirm_replace = lambda path: asked.append(path) or False
    window.setup.ask_spec_path = lambda: str(tmp_path / "myexp")
    assert not window.setup._save_clicked()
    assert asked == [existing] and existing.read_text(encoding="utf-8") == "mine"
    window.setup.confirm_replace = lambda path: True
    assert window.setup._save_clicked() and existing.read_text(encoding="utf-8") != "mine"


def test_a_finished_run_opens_the_analyse_tab_on_its_results(window, qtbot):
    small_experiment(window)
    assert window.start() and window.tabs.currentWidget() is window.run
    qtbot.waitUntil(lambda: not window.running, timeout=30_000)
    assert window.run.summary is not None and window.run.summary.complete
    assert window.tabs.currentWidget() is window.analyse
    assert window.analyse.cell_texts()   # the comparison is there, not an empty table


def test_a_stopped_run_stays_on_the_run_tab(window, qtbot):
    small_experiment(window, repetitions=10, folds=10)
    assert window.start()
    window.stop()
    qtbot.waitUntil(lambda: not window.running, timeout=30_000)
    assert window.run.summary is None and "Stopped" in window.run.status.text()
    assert window.tabs.currentWidget() is window.run


def test_a_long_status_message_is_elided_with_the_whole_text_as_tooltip(window, qtbot):
    window.resize(700, 500)
    window.show()
    qtbot.waitExposed(window)
    small_experiment(window)
    assert window.start()
    qtbot.waitUntil(lambda: not window.running, timeout=30_000)
    label = window.status.activity
    whole = window.run.status.text()
    assert label.text() == whole and whole.startswith("Finished")
    assert label.toolTip() == whole
    shown = label.shown_text()
    assert shown != whole and shown.startswith("Finished") and shown.endswith(".csv.")
    assert label.fontMetrics().horizontalAdvance(shown) <= label.width()
    assert window.status.minimumSizeHint().width() < 400   # the message never widens it
    window.resize(1900, 500)   # room for all of it: the whole text, no tooltip
    qtbot.waitUntil(lambda: label.shown_text() == whole)
    assert label.toolTip() == ""


def test_the_summary_line_names_each_factor_in_singular_or_plural(window):
    summary = window.setup.summary
    window.setup.add_dataset("iris")
    assert summary.text() == "1 dataset × 0 classifiers × 10 repetitions × 10 folds = 0 runs"
    window.setup.add_classifier("zeror")
    window.setup.repetitions.setValue(1)
    window.setup.folds.setValue(2)
    assert summary.text() == "1 dataset × 1 classifier × 1 repetition × 2 folds = 2 runs"
    window.setup.method.setCurrentIndex(window.setup.method.findData("split"))
    assert summary.text() == "1 dataset × 1 classifier × 1 repetition = 1 run"


def test_names_that_would_merge_in_a_report_keep_their_labels(tmp_path):
    from workbench.gui.experimenter.wording import shown_names

    results = tmp_path / "r.results.csv"
    (tmp_path / "r.results.csv.spec.json").write_text(json.dumps({"classifiers": [
        {"name": "zeror", "params": {}, "label": "IBk -K 3"},      # the user's own label
        {"name": "knn", "params": {"k": 3}, "label": ""},
        {"name": "naive-bayes", "params": {}, "label": ""}]}))
    names = shown_names(results)
    assert names["naive-bayes"] == "NaiveBayes"
    assert names["knn --k 3"] == "IBk -K 3 [knn --k 3]"
