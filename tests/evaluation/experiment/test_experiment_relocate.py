"""An experiment saved into another folder names the same dataset files from there, and
its results' record follows it (the rows, keyed by the datasets' names, stay valid)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from workbench.core.errors import WorkbenchError
from workbench.data.catalog import bundled_path
from workbench.evaluation.experiment import load_spec, run_experiment, spec_from_dict
from workbench.evaluation.experiment.relocate import relocated, relocated_ref
from workbench.evaluation.experiment.runner import count_finished
from workbench.evaluation.experiment.store import carry_results, spec_sidecar


def test_a_relative_path_is_rewritten_relative_to_the_new_folder(tmp_path):
    """Written with '/', which every system reads (not the OS separator: a '\\' from
    Windows is part of one file name elsewhere)."""
    a, b = tmp_path / "a", tmp_path / "x" / "b"
    assert relocated_ref("mine.arff", str(a), str(b)) == "../../a/mine.arff"
    assert relocated_ref("data/w.arff", str(a), str(tmp_path)) == "a/data/w.arff"
    assert relocated_ref("../up.arff", str(a), str(b)) == "../../up.arff"


def test_bundled_names_and_absolute_paths_stay_as_written(tmp_path):
    absolute = str(tmp_path / "else" / "mine.arff")
    assert relocated_ref("iris", str(tmp_path / "a"), str(tmp_path / "b")) == "iris"
    assert relocated_ref(absolute, str(tmp_path / "a"), str(tmp_path / "b")) == absolute


def test_folders_sharing_only_the_root_get_an_absolute_path():
    assert relocated_ref("mine.arff", "/nowhere-a/d", "/nowhere-b") == \
        "/nowhere-a/d/mine.arff"


def test_a_relative_path_into_a_linked_folder_is_taken_from_its_real_place(tmp_path):
    """``..`` from a linked folder leaves the link's target, not the link: the path is
    written relative to the target, where the system reads it from (it used to become
    absolute, and no longer moved with the project)."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "mine.arff").write_text("x")
    (tmp_path / "deep" / "sub").mkdir(parents=True)
    (tmp_path / "link").symlink_to(tmp_path / "deep" / "sub")
    written = relocated_ref("mine.arff", str(tmp_path / "a"), str(tmp_path / "link"))
    assert written == "../../a/mine.arff"
    assert (tmp_path / "link" / written).resolve() == (tmp_path / "a" / "mine.arff")


def _linked_project(tmp_path: Path) -> Path:
    """proj/data is a link to store/data (where iris.arff is); link -> proj/other."""
    root = tmp_path.resolve()
    (root / "store" / "data").mkdir(parents=True)
    shutil.copy(bundled_path("iris"), root / "store" / "data" / "iris.arff")
    for folder in ("exps", "other", "x"):
        (root / "proj" / folder).mkdir(parents=True)
    (root / "x").mkdir()
    (root / "proj" / "data").symlink_to(root / "store" / "data")
    (root / "link").symlink_to(root / "proj" / "other")
    return root


def test_a_path_through_a_linked_data_folder_keeps_its_spelling(tmp_path):
    """The spelled path names the same file from the new folder: kept, so the data
    folder's link in the project goes on working when the project moves."""
    root = _linked_project(tmp_path)
    old = str(root / "proj" / "exps")
    assert relocated_ref("../data/iris.arff", old, str(root / "proj" / "other")) == \
        "../data/iris.arff"
    assert relocated_ref("../data/iris.arff", old, str(root / "link")) == \
        "../data/iris.arff"


def test_a_folder_named_with_dotdot_after_a_link_is_where_the_system_writes(tmp_path):
    """``link/../x`` is proj/x for the system (the link's parent), not root/x: the
    saved experiment must open from where the file really is."""
    root = _linked_project(tmp_path)
    spec = spec_from_dict({"datasets": ["../data/iris.arff"], "classifiers": ["zeror"]},
                          base_dir=str(root / "proj" / "exps"))
    folder = root / "link" / ".." / "x"
    moved = relocated(spec, folder)
    assert moved.base_dir == str(root / "proj" / "x")
    (folder / "exp.json").write_text(json.dumps({"datasets": list(moved.datasets),
                                                 "classifiers": ["zeror"]}))
    reopened = load_spec(folder / "exp.json")
    assert reopened.dataset_location(reopened.datasets[0]) == \
        str(root / "store" / "data" / "iris.arff")


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


def test_a_chosen_results_file_serves_both_spellings_of_the_experiment(tmp_path):
    """Saved into another folder, the experiment lists ``../a/mine.arff``: the same
    file, so the results the user chose resume for the saved experiment and still for
    the original (they used to be handed to the copy, and the original refused them),
    and their record is not rewritten."""
    spec = _spec(tmp_path / "a")
    chosen = tmp_path / "chosen.csv"
    run_experiment(spec, chosen)
    record = spec_sidecar(chosen).read_bytes()
    moved = relocated(spec, tmp_path / "b")
    assert carry_results(chosen, chosen, spec, moved) == 0
    assert count_finished(moved, chosen) == 4
    assert count_finished(spec, chosen) == 4
    assert run_experiment(spec, chosen).executed == 0
    assert spec_sidecar(chosen).read_bytes() == record


def test_a_project_folder_moved_elsewhere_still_resumes(tmp_path):
    """Written the same, a dataset matches wherever the folder went (a project
    copied to another machine): the recorded file is only the other way to match."""
    spec = _spec(tmp_path / "a")
    run_experiment(spec, tmp_path / "a" / "exp.results.csv")
    shutil.move(tmp_path / "a", tmp_path / "moved")
    again = load_spec(tmp_path / "moved" / "exp.experiment.json")
    assert count_finished(again, tmp_path / "moved" / "exp.results.csv") == 4


def test_a_dataset_of_another_name_is_another_experiment(tmp_path):
    """The name is what rows are keyed by: another file name never matches."""
    spec = _spec(tmp_path / "a")
    chosen = tmp_path / "chosen.csv"
    run_experiment(spec, chosen)
    shutil.copy(tmp_path / "a" / "mine.arff", tmp_path / "a" / "yours.arff")
    other = _spec(tmp_path / "a", ["yours.arff", "weather.nominal"])
    with pytest.raises(WorkbenchError, match="different experiment"):
        count_finished(other, chosen)


def test_a_record_written_before_files_were_recorded_still_resumes(tmp_path):
    """Records without ``dataset_locations`` (older Workbench) compare spelled."""
    spec = _spec(tmp_path / "a")
    chosen = tmp_path / "chosen.csv"
    run_experiment(spec, chosen)
    spec_sidecar(chosen).write_text(json.dumps(spec.to_dict()))
    assert count_finished(spec, chosen) == 4
    with pytest.raises(WorkbenchError, match="different experiment"):
        count_finished(relocated(spec, tmp_path / "b"), chosen)


def test_a_record_is_never_given_to_another_experiment(tmp_path):
    spec = _spec(tmp_path / "a")
    old = tmp_path / "a" / "exp.results.csv"
    run_experiment(spec, old)
    other = _spec(tmp_path / "c", ["mine.arff", "iris"])
    with pytest.raises(WorkbenchError, match="not the one whose runs"):
        carry_results(old, tmp_path / "new.csv", spec, other)
    assert not (tmp_path / "new.csv").exists()
