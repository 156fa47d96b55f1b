"""An experiment saved into another folder names the same dataset files from there, and
its results' record follows it (the rows, keyed by the datasets' names, stay valid)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from workbench.core.errors import WorkbenchError
from workbench.data.catalog import bundled_path
from workbench.evaluation.experiment import load_spec, run_experiment
from workbench.evaluation.experiment.relocate import relocated, relocated_ref
from workbench.evaluation.experiment.runner import count_finished
from workbench.evaluation.experiment.store import carry_results, record_results_as


def test_a_relative_path_is_rewritten_relative_to_the_new_folder(tmp_path):
    a, b = tmp_path / "a", tmp_path / "x" / "b"
    assert relocated_ref("mine.arff", str(a), str(b)) == os.path.join(
        "..", "..", "a", "mine.arff")
    assert relocated_ref("data/w.arff", str(a), str(tmp_path)) == os.path.join(
        "a", "data", "w.arff")
    assert relocated_ref("../up.arff", str(a), str(b)) == os.path.join("..", "..",
                                                                       "up.arff")


def test_bundled_names_and_absolute_paths_stay_as_written(tmp_path):
    absolute = str(tmp_path / "else" / "mine.arff")
    assert relocated_ref("iris", str(tmp_path / "a"), str(tmp_path / "b")) == "iris"
    assert relocated_ref(absolute, str(tmp_path / "a"), str(tmp_path / "b")) == absolute


def test_folders_sharing_only_the_root_get_an_absolute_path():
    assert relocated_ref("mine.arff", "/nowhere-a/d", "/nowhere-b") == \
        "/nowhere-a/d/mine.arff"


def test_a_relative_path_through_a_linked_folder_becomes_absolute(tmp_path):
    """``..`` from a linked folder leaves the link's target, not the link: a path
    written relative to it would name another file."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "mine.arff").write_text("x")
    (tmp_path / "deep" / "sub").mkdir(parents=True)
    (tmp_path / "link").symlink_to(tmp_path / "deep" / "sub")
    assert relocated_ref("mine.arff", str(tmp_path / "a"), str(tmp_path / "link")) == \
        str(tmp_path / "a" / "mine.arff")


def test_the_same_folder_changes_nothing(tmp_path):
    spec = _spec(tmp_path / "a")
    assert relocated(spec, tmp_path / "a") is spec


def _spec(folder: Path, datasets: list[str] | None = None):
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / "mine.arff").exists():
        shutil.copy(bundled_path("iris"), folder / "mine.arff")
    path = folder / "exp.experiment.json"
    path.write_text(json.dumps({
        "datasets": datasets or ["mine.arff", "weather.nominal"],
        "classifiers": ["zeror"], "repetitions": 1,
        "resampling": {"method": "cross_validation", "folds": 2}}))
    return load_spec(path)


def test_carried_results_are_the_relocated_experiments(tmp_path):
    spec = _spec(tmp_path / "a")
    old = tmp_path / "a" / "exp.results.csv"
    run_experiment(spec, old)
    moved = relocated(spec, tmp_path / "b")
    (tmp_path / "b").mkdir()
    moved.save(tmp_path / "b" / "exp.experiment.json")
    reopened = load_spec(tmp_path / "b" / "exp.experiment.json")
    assert reopened.datasets == ("../a/mine.arff", "weather.nominal")
    new = tmp_path / "b" / "exp.results.csv"
    assert carry_results(old, new, spec, moved) == 4
    assert count_finished(reopened, new) == 4
    assert run_experiment(reopened, new).executed == 0
    assert count_finished(spec, old) == 4   # the old experiment keeps its results


def test_a_chosen_results_file_is_recorded_for_the_relocated_experiment(tmp_path):
    spec = _spec(tmp_path / "a")
    chosen = tmp_path / "chosen.csv"
    run_experiment(spec, chosen)
    moved = relocated(spec, tmp_path / "b")
    assert record_results_as(chosen, spec, moved)
    assert count_finished(moved, chosen) == 4
    assert not record_results_as(chosen, spec, moved)   # another experiment's now


def test_a_record_is_never_given_to_another_experiment(tmp_path):
    spec = _spec(tmp_path / "a")
    old = tmp_path / "a" / "exp.results.csv"
    run_experiment(spec, old)
    other = _spec(tmp_path / "c", ["mine.arff", "iris"])
    with pytest.raises(WorkbenchError, match="not the one whose runs"):
        carry_results(old, tmp_path / "new.csv", spec, other)
    assert not (tmp_path / "new.csv").exists()
