"""An opened experiment saved into another folder opens there with all its runs done
(its relative dataset paths rewritten to name the same files)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from workbench.data.catalog import bundled_path


def _write(folder: Path, datasets: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "exp.experiment.json"
    path.write_text(json.dumps({
        "datasets": datasets, "classifiers": ["zeror", {"name": "knn", "params": {"k": 3}}],
        "resampling": {"method": "cross_validation", "folds": 2}, "repetitions": 2,
        "seed": 3, "metrics": ["rmse", "accuracy"]}))
    return path


def _run_to_end(window, qtbot) -> None:
    qtbot.waitUntil(lambda: not window.setup.checking_datasets(), timeout=20_000)
    assert window.start(), window.run.last_error
    qtbot.waitUntil(lambda: not window.running, timeout=60_000)
    assert window.run.summary is not None, window.run.last_error


def _reopened_has_nothing_to_run(qtbot, path: Path, analysis: str) -> None:
    from workbench.gui.experimenter import Experimenter

    again = Experimenter()
    qtbot.addWidget(again)
    assert again.open_spec(path) is not None, again.setup.message.text()
    total = again.setup.total_runs()
    assert again.setup.results.text() == str(path.parent / "exp.results.csv")
    assert again.run.progress.value() == total
    assert f"All {total} runs are in the results file already" in again.run.status.text()
    _run_to_end(again, qtbot)
    assert (again.run.summary.executed, again.run.summary.skipped) == (0, total)
    assert again.analyse.output.toPlainText() == analysis
    again.setup.checker.wait(20)


def _save_elsewhere(window, qtbot, tmp_path: Path, datasets: list[str]) -> tuple[Path, str]:
    """Open ``a/exp`` listing ``datasets``, run it, save it as ``b/exp``."""
    assert window.open_spec(_write(tmp_path / "a", datasets)) is not None
    _run_to_end(window, qtbot)
    analysis = window.analyse.output.toPlainText()
    assert "zeror" in analysis.lower()
    saved = tmp_path / "b" / "exp.experiment.json"
    saved.parent.mkdir()
    window.setup.save(saved)
    return saved, analysis


def test_an_experiment_with_relative_paths_saved_elsewhere_opens_with_its_runs(
        window, qtbot, tmp_path):
    (tmp_path / "a" / "data").mkdir(parents=True)
    shutil.copy(bundled_path("iris"), tmp_path / "a" / "mine.arff")
    shutil.copy(bundled_path("weather.nominal"), tmp_path / "a" / "data" / "w.arff")
    saved, analysis = _save_elsewhere(window, qtbot, tmp_path,
                                      ["mine.arff", "data/w.arff", "diabetes"])
    written = json.loads(saved.read_text())["datasets"]
    assert written == ["../a/mine.arff", "../a/data/w.arff", "diabetes"]
    # The window shows what it wrote, and it is saved: nothing to run here either.
    assert window.setup.dataset_refs() == written
    assert not window.setup.modified
    assert "24 finished runs were copied" in window.status.activity.text()
    _reopened_has_nothing_to_run(qtbot, saved, analysis)
    # The experiment left behind still opens, with its own runs.
    _reopened_has_nothing_to_run(qtbot, tmp_path / "a" / "exp.experiment.json", analysis)


def test_an_experiment_of_bundled_datasets_saved_elsewhere_opens_with_its_runs(
        window, qtbot, tmp_path):
    saved, analysis = _save_elsewhere(window, qtbot, tmp_path,
                                      ["iris", "weather.nominal"])
    assert json.loads(saved.read_text())["datasets"] == ["iris", "weather.nominal"]
    _reopened_has_nothing_to_run(qtbot, saved, analysis)


def test_results_in_a_file_the_user_chose_stay_this_experiments_after_saving_elsewhere(
        window, qtbot, tmp_path):
    (tmp_path / "a").mkdir()
    shutil.copy(bundled_path("iris"), tmp_path / "a" / "mine.arff")
    assert window.open_spec(_write(tmp_path / "a", ["mine.arff"])) is not None
    chosen = tmp_path / "chosen.csv"
    window.setup.results.setText(str(chosen))
    _run_to_end(window, qtbot)
    (tmp_path / "b").mkdir()
    window.setup.save(tmp_path / "b" / "exp.experiment.json")
    assert window.setup.results.text() == str(chosen)
    total = window.setup.total_runs()
    assert f"All {total} runs are in the results file already" in window.run.status.text()
    _run_to_end(window, qtbot)
    assert window.run.summary.executed == 0


def test_a_save_whose_results_name_is_taken_is_refused_before_writing(
        window, qtbot, tmp_path):
    """``b/exp.results.csv`` is someone else's: the save into b/ is refused, naming that
    file, and nothing was written (it used to write the experiment and rename the list
    entries, then fail to copy, and Start refused the results left in a/)."""
    import pytest

    from workbench.core.errors import WorkbenchError

    (tmp_path / "a").mkdir()
    shutil.copy(bundled_path("iris"), tmp_path / "a" / "mine.arff")
    assert window.open_spec(_write(tmp_path / "a", ["mine.arff"])) is not None
    _run_to_end(window, qtbot)
    (tmp_path / "b").mkdir()
    taken = tmp_path / "b" / "exp.results.csv"
    taken.write_text("someone else's\n")
    with pytest.raises(WorkbenchError, match=f"{taken}: a file of that name is already"):
        window.setup.save(tmp_path / "b" / "exp.experiment.json")
    assert not (tmp_path / "b" / "exp.experiment.json").exists()
    assert taken.read_text() == "someone else's\n"
    assert window.setup.dataset_refs() == ["mine.arff"]
    assert window.setup.results.text() == str(tmp_path / "a" / "exp.results.csv")
    _run_to_end(window, qtbot)
    assert window.run.summary.executed == 0


def test_a_copy_that_fails_saves_nothing_and_the_runs_still_resume(window, qtbot, tmp_path,
                                                                  monkeypatch):
    """A copy that fails (the disk filled up) saves nothing: no experiment file in b/
    without its runs, the setup still a/'s, which resumes its runs in a/."""
    import pytest

    from workbench.core.errors import WorkbenchError

    (tmp_path / "a").mkdir()
    shutil.copy(bundled_path("iris"), tmp_path / "a" / "mine.arff")
    assert window.open_spec(_write(tmp_path / "a", ["mine.arff"])) is not None
    _run_to_end(window, qtbot)
    (tmp_path / "b").mkdir()

    def full_disk(*args, **kwargs):
        raise WorkbenchError("cannot copy the results there: No space left on device")

    monkeypatch.setattr(window.setup, "carrier", full_disk)
    with pytest.raises(WorkbenchError, match=r"No space left.*not saved"):
        window.setup.save(tmp_path / "b" / "exp.experiment.json")
    assert list((tmp_path / "b").iterdir()) == []
    assert window.setup.dataset_refs() == ["mine.arff"]
    assert window.setup.spec_path == str(tmp_path / "a" / "exp.experiment.json")
    assert window.setup.results.text() == str(tmp_path / "a" / "exp.results.csv")
    _run_to_end(window, qtbot)
    assert window.run.summary.executed == 0
