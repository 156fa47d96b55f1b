"""Saving an experiment whose runs are copied along is one step for the user: a failure
or a crash at any point leaves the saved experiment as it was before, completely, or
the new one with its runs beside it; never the new file without its runs, and the
results the user had are never lost."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from workbench.core import atomic
from workbench.core.errors import WorkbenchError
from workbench.data.catalog import bundled_path
from workbench.evaluation.experiment import store

OLD_TEXT = json.dumps({"datasets": ["iris"], "classifiers": ["zeror"],
                       "resampling": {"method": "cross_validation", "folds": 2}})


class Died(BaseException):
    """The process ending where it was raised (a kill, a power cut): nothing after it
    runs, no ``except Exception`` cleans up."""


def _run_to_end(window, qtbot) -> None:
    qtbot.waitUntil(lambda: not window.setup.checking_datasets(), timeout=20_000)
    assert window.start(), window.run.last_error
    qtbot.waitUntil(lambda: not window.running, timeout=60_000)
    assert window.run.summary is not None, window.run.last_error


def _experiment_with_runs(window, qtbot, tmp_path: Path) -> tuple[Path, bytes]:
    """``a/exp`` run to the end (its results in ``a/``), and ``b/exp``, another
    experiment saved earlier, that the user is about to replace with it."""
    (tmp_path / "a").mkdir()
    shutil.copy(bundled_path("iris"), tmp_path / "a" / "mine.arff")
    spec = tmp_path / "a" / "exp.experiment.json"
    spec.write_text(json.dumps({
        "datasets": ["mine.arff"], "classifiers": ["zeror", {"name": "knn",
                                                             "params": {"k": 3}}],
        "resampling": {"method": "cross_validation", "folds": 2}, "repetitions": 2}))
    assert window.open_spec(spec) is not None
    _run_to_end(window, qtbot)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "exp.experiment.json").write_text(OLD_TEXT)
    return tmp_path / "a" / "exp.results.csv", (tmp_path / "a" /
                                                "exp.results.csv").read_bytes()


def _fail_at(monkeypatch, step: str, error: BaseException) -> None:
    """Make the save meet ``error`` at ``step``: placing the copied record, placing the
    copied table (the record already there), or renaming the experiment file into
    place."""
    if step in ("record", "table"):
        place = store._place_new
        calls = []

        def failing_place(target, data):
            calls.append(target)
            if len(calls) == (1 if step == "record" else 2):
                raise error
            place(target, data)

        monkeypatch.setattr(store, "_place_new", failing_place)
    else:
        put = atomic._put_in_place

        def failing_put(temp, target):
            if target.name == "exp.experiment.json":
                raise error
            put(temp, target)

        monkeypatch.setattr(atomic, "_put_in_place", failing_put)


def _check_old_or_new(tmp_path: Path, results: Path, before: bytes, qtbot) -> str:
    """The saved experiment is the old one as it was, or the new one whose runs are all
    beside it; the results the user had are as they were. Which one it is."""
    from workbench.gui.experimenter import Experimenter

    assert results.read_bytes() == before
    saved = tmp_path / "b" / "exp.experiment.json"
    if saved.read_text() == OLD_TEXT:
        return "old"
    again = Experimenter()
    qtbot.addWidget(again)
    assert again.open_spec(saved) is not None, again.setup.message.text()
    assert again.setup.results.text() == str(tmp_path / "b" / "exp.results.csv")
    total = again.setup.total_runs()
    assert again.run.progress.value() == total, "the saved experiment lost its runs"
    again.setup.checker.wait(20)
    return "new"


@pytest.mark.parametrize("step", ["record", "table", "commit"])
def test_a_save_failing_at_any_step_leaves_the_old_experiment_or_the_new_one_whole(
        window, qtbot, tmp_path, monkeypatch, step):
    results, before = _experiment_with_runs(window, qtbot, tmp_path)
    _fail_at(monkeypatch, step, OSError(28, "No space left on device"))
    with pytest.raises(WorkbenchError, match="No space left") as caught:
        window.setup.save(tmp_path / "b" / "exp.experiment.json")
    assert "not saved" in str(caught.value)
    monkeypatch.undo()
    assert _check_old_or_new(tmp_path, results, before, qtbot) == "old"
    # Nothing changed for the user either: the setup is still a/exp's, its runs in a/.
    assert window.setup.spec_path == str(tmp_path / "a" / "exp.experiment.json")
    assert window.setup.results.text() == str(results)
    assert window.setup.dataset_refs() == ["mine.arff"]


@pytest.mark.parametrize("step", ["record", "table"])
def test_a_save_killed_mid_copy_leaves_the_old_experiment_and_can_be_done_again(
        window, qtbot, tmp_path, monkeypatch, step):
    """The process dies while the runs are copied: the experiment file there is the
    old one; started again, the same save goes through, with every run."""
    from workbench.gui.experimenter import Experimenter

    results, before = _experiment_with_runs(window, qtbot, tmp_path)
    _fail_at(monkeypatch, step, Died())
    with pytest.raises(Died):
        window.setup.save(tmp_path / "b" / "exp.experiment.json")
    monkeypatch.undo()
    assert _check_old_or_new(tmp_path, results, before, qtbot) == "old"

    restarted = Experimenter()
    qtbot.addWidget(restarted)
    assert restarted.open_spec(tmp_path / "a" / "exp.experiment.json") is not None
    note = restarted.setup.save(tmp_path / "b" / "exp.experiment.json")
    assert "were copied" in note, note
    assert _check_old_or_new(tmp_path, results, before, qtbot) == "new"
    restarted.setup.checker.wait(20)
