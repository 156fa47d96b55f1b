"""What a person met in the Experimenter during the walkthrough of issue 18: a Run tab
that counted to 1, a Start that needed a typed file name, command-line flags in messages,
a broken dataset found only at the end, and a close that lost the setup."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from experimenter_setups import small_experiment
from PySide6.QtWidgets import QMessageBox

from workbench.core.errors import WorkbenchError
from workbench.evaluation.experiment import read_results

BROKEN = ("@relation broken\n@attribute a numeric\n@attribute class {yes,no}\n@data\n"
          "1,yes\n2,maybe\n")


def _broken_file(tmp_path: Path) -> Path:
    path = tmp_path / "broken.arff"
    path.write_text(BROKEN, encoding="utf-8")
    return path


# Item 18 ---------------------------------------------------------------------------------
def test_run_tab_counts_towards_the_setup_total(window):
    assert window.run.progress.text() == "0 / 0 runs"
    small_experiment(window, repetitions=10, folds=10)
    assert "400 runs" in window.setup.summary.text()
    assert window.run.progress.maximum() == 400
    assert window.run.progress.text() == "0 / 400 runs"
    window.setup.repetitions.setValue(5)
    assert window.run.progress.text() == "0 / 200 runs"


# Item 19 ---------------------------------------------------------------------------------
def test_start_works_without_typing_a_results_file(window, qtbot, tmp_path):
    default = Path(window.setup.results.text())
    assert default.parent == tmp_path / "home" / "experiments"
    assert default.name.endswith(".results.csv")
    assert str(default) in window.run.results_label.text()
    small_experiment(window)
    assert window.start()
    qtbot.waitUntil(lambda: not window.running, timeout=30_000)
    assert window.run.summary is not None and window.run.summary.complete
    assert len(read_results(default)) == 8
    assert str(default) in window.run.status.text()


def test_a_default_file_holding_other_results_is_replaced_by_a_fresh_one(window, qtbot):
    small_experiment(window)
    first = window.setup.results.text()
    assert window.start()
    qtbot.waitUntil(lambda: not window.running, timeout=30_000)
    window.setup.seed.setValue(42)           # another experiment, same default file
    assert window.start()
    qtbot.waitUntil(lambda: not window.running, timeout=30_000)
    assert window.run.last_error == ""
    second = window.setup.results.text()
    assert second != first and Path(second).exists()


def test_an_emptied_results_field_gets_the_default_again(window, qtbot):
    small_experiment(window)
    window.setup.results.clear()
    assert window.start()
    qtbot.waitUntil(lambda: not window.running, timeout=30_000)
    assert Path(window.setup.results.text()).exists()


# Item 20 ---------------------------------------------------------------------------------
def test_messages_name_the_controls_not_command_line_flags(window, qtbot, tmp_path):
    from workbench.gui.experimenter.wording import gui_words

    assert "--" not in gui_words("choose another --out to start afresh")
    assert "Results file" in gui_words("choose another --out to start afresh")
    assert "Scheduler" in gui_words("--scheduler only applies to the dask backend")
    chosen = tmp_path / "mine.csv"
    small_experiment(window)
    window.setup.results.setText(str(chosen))           # the user's own file
    assert window.start()
    qtbot.waitUntil(lambda: not window.running, timeout=30_000)
    window.setup.seed.setValue(7)
    assert not window.start()   # refused at once, nothing started
    assert "different experiment" in window.run.last_error
    assert "--out" not in window.run.last_error
    assert "Results file" in window.run.last_error
    assert "--out" not in window.run.status.text()


# Item 21 ---------------------------------------------------------------------------------
def test_a_broken_dataset_is_refused_when_added(window, qtbot, tmp_path):
    broken = _broken_file(tmp_path)
    window.setup.add_dataset(str(broken))
    window.setup.checker.wait(20)
    qtbot.waitUntil(lambda: not window.setup.checking_datasets())
    assert str(broken.resolve()) not in window.setup.dataset_refs()
    message = window.setup.message.text()
    assert "broken.arff" in message and "maybe" in message and ":6" in message
    good = Path(__file__).resolve().parents[3] / "workbench/resources/datasets/glass.arff"
    window.setup.add_dataset(str(good))
    qtbot.waitUntil(lambda: not window.setup.checking_datasets(), timeout=20_000)
    assert window.setup.dataset_refs() == [str(good.resolve())]
    assert "instances" in window.setup.datasets.item(0).toolTip()


def test_an_opened_experiment_with_a_broken_dataset_does_not_start(window, qtbot, tmp_path):
    broken = _broken_file(tmp_path)
    spec = tmp_path / "exp.experiment.json"
    spec.write_text(json.dumps({"version": 1, "datasets": ["iris", str(broken)],
                                "classifiers": [{"name": "zeror"}],
                                "resampling": {"method": "cross_validation", "folds": 2},
                                "repetitions": 1}), encoding="utf-8")
    assert window.open_spec(spec) is not None
    qtbot.waitUntil(lambda: not window.setup.checking_datasets(), timeout=20_000)
    assert list(window.setup.broken_datasets()) == [str(broken)]
    assert not window.start()
    assert "cannot be used" in window.run.last_error and "Remove" in window.run.last_error
    assert window.run.job is None


def test_the_bar_ends_when_a_run_fails(window, qtbot, monkeypatch):
    from workbench.evaluation.experiment import runs as runs_module

    real = runs_module.execute_run

    def failing(run):
        if run.dataset == "weather.nominal":
            raise WorkbenchError("weather.nominal: the disk went away")
        return real(run)

    monkeypatch.setattr(runs_module, "execute_run", failing)
    small_experiment(window)
    assert window.start()
    qtbot.waitUntil(lambda: not window.running, timeout=30_000)
    assert "disk went away" in window.run.last_error
    bar = window.run.progress
    assert bar.value() == bar.maximum()
    assert "ended by an error" in bar.text() and "of 8 runs done" in bar.text()


# Item 22 ---------------------------------------------------------------------------------
def test_closing_with_an_unsaved_setup_asks(window, qtbot, tmp_path):
    window.show()
    qtbot.waitExposed(window)
    asked = []

    def answer(choice):
        def ask():
            asked.append(choice)
            return choice
        return ask

    assert not window.setup.modified
    small_experiment(window)
    assert window.setup.modified
    window.setup.ask_save_changes = answer(QMessageBox.StandardButton.Cancel)
    assert not window.close() and window.isVisible()
    target = tmp_path / "kept.experiment.json"
    window.setup.ask_save_changes = answer(QMessageBox.StandardButton.Save)
    window.setup.ask_spec_path = lambda: str(target)
    assert window.close()
    assert asked == [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save]
    assert json.loads(target.read_text())["classifiers"][1]["name"] == "knn"


def test_an_unchanged_setup_closes_without_asking(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    window.setup.ask_save_changes = lambda: pytest.fail("asked about an unchanged setup")
    assert window.close()


def test_new_asks_before_dropping_the_setup(window):
    small_experiment(window)
    window.setup.ask_save_changes = lambda: QMessageBox.StandardButton.Cancel
    assert not window.setup.new() and window.setup.classifiers.count() == 2
    window.setup.ask_save_changes = lambda: QMessageBox.StandardButton.Discard
    assert window.setup.new() and window.setup.classifiers.count() == 0
    assert not window.setup.modified


def test_the_status_bar_follows_a_run_started_with_the_button(window, qtbot):
    small_experiment(window)
    window.run.start_button.click()
    assert window.status.activity.text() == "Running…"
    qtbot.waitUntil(lambda: not window.running, timeout=30_000)
    assert window.status.activity.text().startswith("Finished")
