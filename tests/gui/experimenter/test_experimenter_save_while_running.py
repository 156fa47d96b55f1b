"""Saving an experiment while it runs: the runs that finish after the save end up in the
saved experiment's results too, each once, so reopening it has nothing left to run."""

from __future__ import annotations

import csv
import itertools
import threading
from pathlib import Path

import pytest

TOTAL = 2 * 2 * 5 * 5   # datasets x classifiers x repetitions x folds


@pytest.fixture
def held_run(monkeypatch):
    """Runs as usual, except that the 5th one, computed, waits (before its row is
    written) until the test lets it go: a save lands part-way, deterministically."""
    from workbench.evaluation.experiment import runs as runs_module

    real = runs_module.execute_run
    count = itertools.count(1)
    held, release = threading.Event(), threading.Event()

    def gated(run):
        row = real(run)
        if next(count) == 5:
            held.set()
            release.wait(30)
        return row

    monkeypatch.setattr(runs_module, "execute_run", gated)
    yield held, release
    release.set()


def _many_short_runs(window) -> None:
    window.setup.add_dataset("iris")
    window.setup.add_dataset("weather.nominal")
    window.setup.add_classifier("zeror")
    window.setup.add_classifier("naive-bayes")
    window.setup.repetitions.setValue(5)
    window.setup.folds.setValue(5)
    assert window.setup.total_runs() == TOTAL


def _keys(path: Path) -> list[tuple[str, ...]]:
    with path.open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert all(len(row) == len(rows[0]) for row in rows)   # no torn line
    return [tuple(row[:4]) for row in rows[1:]]


def test_runs_finished_after_a_save_during_the_run_are_in_the_saved_results(
        window, qtbot, tmp_path, held_run):
    from workbench.gui.experimenter import Experimenter

    held, release = held_run
    _many_short_runs(window)
    old = Path(window.setup.results.text())
    assert window.start(), window.run.last_error
    qtbot.waitUntil(held.is_set, timeout=30_000)
    saved = tmp_path / "during.experiment.json"
    window.setup.save(saved)
    beside = tmp_path / "during.results.csv"
    assert window.setup.results.text() == str(beside)
    assert "4 finished runs were copied" in window.status.activity.text()
    release.set()
    qtbot.waitUntil(lambda: not window.running, timeout=60_000)
    assert window.run.summary is not None, window.run.last_error
    assert window.run.summary.path == beside   # Analyse shows the saved results

    keys = _keys(beside)
    assert len(keys) == TOTAL and len(set(keys)) == TOTAL   # every run, each once
    assert len(_keys(old)) == 4   # the old file is left as it was at the save

    again = Experimenter()
    qtbot.addWidget(again)
    assert again.open_spec(saved) is not None
    assert again.setup.results.text() == str(beside)
    assert again.run.progress.value() == TOTAL
    assert f"All {TOTAL} runs are in the results file already" in again.run.status.text()
    assert again.start(), again.run.last_error
    qtbot.waitUntil(lambda: not again.running, timeout=60_000)
    assert again.run.summary.executed == 0 and again.run.summary.skipped == TOTAL


def test_a_stop_counts_the_run_that_finished_after_it(window, qtbot, held_run):
    """The run computing when Stop is pressed is written to the table; the Run tab
    counts it, as the next Start does (it said 4 while the table held 5)."""
    held, release = held_run
    _many_short_runs(window)
    results = Path(window.setup.results.text())
    assert window.start(), window.run.last_error
    qtbot.waitUntil(held.is_set, timeout=30_000)
    window.stop()
    release.set()
    qtbot.waitUntil(lambda: not window.running, timeout=60_000)
    assert len(_keys(results)) == 5
    assert window.run.progress.value() == 5
    assert f"Stopped at 5/{TOTAL} runs" in window.run.status.text()
    assert window.start(), window.run.last_error
    assert f"Resuming: 5 of {TOTAL} runs done" in window.run.log.toPlainText()


def test_saving_into_another_folder_during_the_run_keeps_relative_paths_working(
        window, qtbot, tmp_path, held_run):
    """An opened experiment listing ``mine.arff`` beside it, saved into another folder
    while it runs: the saved file names the same dataset from there, and the moved
    table (rows before and after the save) is that file's, with nothing left to run."""
    import json
    import shutil

    from workbench.data.catalog import bundled_path
    from workbench.gui.experimenter import Experimenter

    held, release = held_run
    (tmp_path / "a").mkdir()
    shutil.copy(bundled_path("iris"), tmp_path / "a" / "mine.arff")
    spec = tmp_path / "a" / "exp.experiment.json"
    spec.write_text(json.dumps({
        "datasets": ["mine.arff", "weather.nominal"],
        "classifiers": ["zeror", "naive-bayes"], "repetitions": 5,
        "resampling": {"method": "cross_validation", "folds": 5}}))
    assert window.open_spec(spec) is not None
    qtbot.waitUntil(lambda: not window.setup.checking_datasets(), timeout=20_000)
    assert window.start(), window.run.last_error
    qtbot.waitUntil(held.is_set, timeout=30_000)
    (tmp_path / "b").mkdir()
    saved = tmp_path / "b" / "exp.experiment.json"
    window.setup.save(saved)
    assert json.loads(saved.read_text())["datasets"] == ["../a/mine.arff", "weather.nominal"]
    release.set()
    qtbot.waitUntil(lambda: not window.running, timeout=60_000)
    assert window.run.summary is not None, window.run.last_error
    beside = tmp_path / "b" / "exp.results.csv"
    assert window.run.summary.path == beside
    keys = _keys(beside)
    assert len(keys) == TOTAL and len(set(keys)) == TOTAL

    again = Experimenter()
    qtbot.addWidget(again)
    assert again.open_spec(saved) is not None, again.setup.message.text()
    assert f"All {TOTAL} runs are in the results file already" in again.run.status.text()
    qtbot.waitUntil(lambda: not again.setup.checking_datasets(), timeout=20_000)
    assert again.start(), again.run.last_error
    qtbot.waitUntil(lambda: not again.running, timeout=60_000)
    assert again.run.summary.executed == 0 and again.run.summary.skipped == TOTAL
